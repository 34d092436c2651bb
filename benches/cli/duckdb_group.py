"""What a data person runs first: DuckDB reads the JSON Lines file and groups it by deal
(activities, first and last date, actions counted), printing one row per deal as JSON."""

import json
import sys

import duckdb

path = sys.argv[1].replace("'", "''")
rows = duckdb.sql(
    f"""
    select deal, count(*) as activities, min(date) as first, max(date) as last,
           sum(len(actions)) as actions
    from read_json('{path}', format = 'newline_delimited')
    group by deal order by deal
    """
).fetchall()
json.dump([{"deal": d, "activities": n, "first": str(f), "last": str(l), "actions": a} for d, n, f, l, a in rows], sys.stdout)
