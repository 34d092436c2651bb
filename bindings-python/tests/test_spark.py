"""Scale-out: the Spark recipe of docs/python.md (groupBy("deal").applyInArrow + score_frame) on
pyspark in local mode gives exactly score()'s rows, across many partitions."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pyarrow.parquet as pq
import pytest

import dealscore
from conftest import activities_table, frame_row

AS_OF = "2026-11-27"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    yield session
    # The docs notebook may run later in this process and reuses the session; the JVM ends
    # with the process.


def synthetic(n: int) -> List[Dict[str, Any]]:
    """Deterministic activities over 60 deals, with caps, titles and unknown titles."""
    actions = ["meeting_accepted", "visited_us", "called_us", "emailed_us", "asked_question", "introduced_boss"]
    titles = ["担当", "課長", "部長", "CEO", "Manager", "謎の肩書"]
    out = []
    for i in range(n):
        out.append({
            "id": f"s{i:05}",
            "deal": f"D{(i * 7) % 60:02}",
            "date": f"2026-{1 + i % 11:02}-{1 + (i * 13) % 28:02}",
            "actions": [actions[(i * k) % len(actions)] for k in range(1 + i % 3)],
            "contacts": [{"person": f"p{(i + k) % 9}", "title": titles[(i + k) % len(titles)]} for k in range(i % 4)],
            "reporter": f"rep{i % 5}",
        })
    return out


def test_spark_apply_in_arrow_matches_score(spark: Any, tmp_path: Path) -> None:
    from pyspark.sql.pandas.types import from_arrow_schema

    acts = synthetic(3000)
    # Deal records change the result (own route, quality), so a lost record would show.
    deals: List[Dict[str, Any]] = [
        {"id": "D00", "route": [{"role": "director"}, {"person": "nobody"}]},
        {"id": "D07", "maintainer": "boss", "quality_events": [
            {"indicator": "referral", "checked": True, "by": "boss", "date": "2026-10-01"},
            {"indicator": "budget_secured", "checked": True, "by": "boss", "date": "2026-11-20"}]},
        {"id": "D99"},  # no activities: no group, no row
    ]
    path = str(tmp_path / "activities.parquet")
    pq.write_table(activities_table(acts), path, row_group_size=250)
    frame = spark.read.parquet(path).repartition(6)  # a deal's rows start out spread over partitions
    model = dealscore.Model.default()
    records = {d["id"]: d for d in deals}

    def score_deal(key: Any, group: Any) -> Any:
        deal_id = key[0].as_py()  # group keys arrive as pyarrow scalars
        record = [records[deal_id]] if deal_id in records else []
        return dealscore.score_frame(group, deals=record, as_of=AS_OF, model=model, threads=1)

    scored = frame.groupBy("deal").applyInArrow(score_deal, schema=from_arrow_schema(dealscore.frame_schema()))
    got = scored.orderBy("deal").toArrow()
    assert got.schema.names == dealscore.frame_schema().names
    want = [frame_row(r) for r in dealscore.score(acts, deals=deals, as_of=AS_OF, model=model) if r.deal != "D99"]
    assert got.to_pylist() == want
    without_records = [frame_row(r) for r in dealscore.score(acts, as_of=AS_OF, model=model)]
    assert {r["deal"]: r for r in want}.keys() == {r["deal"]: r for r in without_records}.keys()
    assert want != without_records  # the records reached the workers and mattered


def test_spark_backtest_recipe_matches_backtest(spark: Any, tmp_path: Path) -> None:
    """docs/python.md's backtest recipe: groupBy("deal").applyInArrow backtests each deal (its
    JSON out), the driver merges the collected parts and the deals without activities."""
    import pyarrow as pa

    from history import planted_history

    activities, deals = planted_history(n_deals=150, seed=4)
    deals.append({"id": "H-idle", "outcome": "lost", "closed_on": "2026-03-31"})  # no activities: no group
    path = str(tmp_path / "history.parquet")
    pq.write_table(activities_table(activities), path, row_group_size=200)
    frame = spark.read.parquet(path).repartition(6)
    records = {d["id"]: d for d in deals}
    model = dealscore.Model.default()

    def backtest_deal(key: Any, group: Any) -> Any:
        deal_id = key[0].as_py()
        record = [records[deal_id]] if deal_id in records else []
        part = dealscore.backtest(group, record, model=model, horizon_days=14, threads=1)
        return pa.table({"deal": [deal_id], "backtest": [part.to_json()]})

    parts = frame.groupBy("deal").applyInArrow(backtest_deal, schema="deal string, backtest string").toArrow()
    idle = [d for d in deals if d["id"] not in set(parts.column("deal").to_pylist())]
    assert [d["id"] for d in idle] == ["H-idle"]
    rest = dealscore.backtest([], idle, model=model, horizon_days=14)
    summary = dealscore.merge_backtests(parts.column("backtest").to_pylist() + [rest])
    whole = dealscore.backtest(activities, deals, model=model, horizon_days=14)
    assert summary.to_json() == whole.to_json()
    assert summary.deals == sum(1 for d in deals if "outcome" in d) and summary.auc["energy"] is not None
