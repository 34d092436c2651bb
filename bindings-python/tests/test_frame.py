"""score_frame: Arrow data frames from pyarrow, polars and pandas give the rows of score()."""

from __future__ import annotations

import datetime
import threading
from typing import Any, Dict, List

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import dealscore
from conftest import FRAME_COLUMNS, activities_table, frame_row
from test_api import AS_OF, example_activities, example_deals


def rows(table: Any) -> List[Dict[str, Any]]:
    assert isinstance(table, pa.Table)
    assert table.column_names == FRAME_COLUMNS
    out: List[Dict[str, Any]] = table.to_pylist()
    return out


def expected(activities: List[Dict[str, Any]], **kw: Any) -> List[Dict[str, Any]]:
    return [frame_row(r) for r in dealscore.score(activities, as_of=AS_OF, **kw)]


def test_pyarrow_table_matches_score() -> None:
    acts, deals = example_activities(), example_deals()
    table = activities_table(acts)
    assert rows(dealscore.score_frame(table, deals=deals, as_of=AS_OF)) == expected(acts, deals=deals)


def test_output_schema() -> None:
    out = dealscore.score_frame(activities_table(example_activities()), as_of=AS_OF)
    types = {f.name: f.type for f in out.schema}
    assert types["deal"] == pa.string() and types["total"] == pa.int64()
    assert types["decayed"] == pa.float64() and types["last_contact"] == pa.date32()
    assert types["needs_review"] == pa.bool_() and types["signals"] == pa.list_(pa.string())
    assert not out.schema.field("deal").nullable


def test_stream_of_batches_and_row_numbers() -> None:
    acts = example_activities()
    table = activities_table(acts)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=7))
    assert rows(dealscore.score_frame(reader, as_of=AS_OF)) == expected(acts)
    # An error in a later batch names the row of the whole frame.
    bad = [dict(a) for a in acts]
    bad[30]["actions"] = ["no_such_action"]
    table = activities_table(bad)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=7))
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score_frame(reader, as_of=AS_OF)
    assert (info.value.code, info.value.row) == ("unknown_action", 30)
    assert str(info.value).startswith("row 30: ")


def test_polars_frame() -> None:
    acts = example_activities()
    df = pl.DataFrame(
        {
            "id": [a["id"] for a in acts],
            "deal": pl.Series([a["deal"] for a in acts], dtype=pl.Categorical),
            "date": [datetime.date.fromisoformat(a["date"]) for a in acts],
            "actions": [a.get("actions", []) for a in acts],
            "contact_person": [[c.get("person") for c in a.get("contacts", [])] for a in acts],
            "contact_role": [[c.get("role") for c in a.get("contacts", [])] for a in acts],
            "contact_title": [[c.get("title") for c in a.get("contacts", [])] for a in acts],
            "contact_department": [[c.get("department") for c in a.get("contacts", [])] for a in acts],
            "attendees": pl.Series([a.get("attendees") for a in acts], dtype=pl.UInt8),
            "reporter": [a.get("reporter") for a in acts],
        }
    )
    assert rows(dealscore.score_frame(df, as_of=AS_OF)) == expected(acts)


def test_duckdb_result() -> None:
    acts = example_activities()
    frame = activities_table(acts)  # noqa: F841 - DuckDB reads the Python variable by name
    result = duckdb.sql("SELECT id, deal, date, actions, contacts, attendees, reporter FROM frame")
    assert rows(dealscore.score_frame(result, as_of=AS_OF)) == expected(acts)


def test_sliced_table() -> None:
    """Arrow arrays with an offset (a slice of a larger table) are read from their offset."""
    acts = example_activities()
    part = activities_table(acts).slice(40, 100)
    assert rows(dealscore.score_frame(part, as_of=AS_OF)) == expected(acts[40:140])


def test_pandas_frame_with_joined_text_and_timestamps() -> None:
    acts = example_activities()
    df = pd.DataFrame(
        {
            "id": [a["id"] for a in acts],
            "deal": [a["deal"] for a in acts],
            "date": pd.to_datetime([a["date"] for a in acts]),
            "actions": [";".join(a.get("actions", [])) for a in acts],
            "contact_person": [";".join(c.get("person", "") for c in a.get("contacts", [])) for a in acts],
            "contact_role": [";".join(c.get("role", "") for c in a.get("contacts", [])) for a in acts],
            "contact_title": [";".join(c.get("title", "") for c in a.get("contacts", [])) for a in acts],
            "contact_department": [";".join(c.get("department", "") for c in a.get("contacts", [])) for a in acts],
            "attendees": [a.get("attendees") for a in acts],
            "reporter": [a.get("reporter") for a in acts],
            "note": [a.get("note") for a in acts],  # ignored
        }
    )
    assert rows(dealscore.score_frame(df, as_of=AS_OF)) == expected(acts)


def test_pandas_missing_numbers_and_integer_ids() -> None:
    acts: List[Dict[str, Any]] = [
        {"id": "1", "deal": "7", "date": "2026-11-01", "actions": ["called_us"], "attendees": 3},
        {"id": "2", "deal": "7", "date": "2026-11-02", "actions": ["called_us"]},
    ]
    df = pd.DataFrame(
        {"id": [1, 2], "deal": [7, 7], "date": ["2026-11-01", "2026-11-02"],
         "actions": ["called_us", "called_us"], "attendees": [3, None]}
    )
    assert df["attendees"].dtype == "float64"  # how pandas stores a missing number
    assert rows(dealscore.score_frame(df, as_of=AS_OF)) == expected(acts)


def test_without_id_column_rows_are_numbered() -> None:
    acts = [
        {"id": f"{i:010}", "deal": "D", "date": "2026-11-01", "actions": ["called_us"]} for i in range(3)
    ]
    table = pa.table({"deal": ["D"] * 3, "date": ["2026-11-01"] * 3, "actions": [["called_us"]] * 3})
    assert rows(dealscore.score_frame(table, as_of=AS_OF)) == expected(acts)


def test_zoned_timestamps_use_the_local_date() -> None:
    stamp = datetime.datetime(2026, 11, 1, 15, 30, tzinfo=datetime.timezone.utc)  # 00:30 on the 2nd in Tokyo
    arr = pa.array([stamp], pa.timestamp("s", tz="Asia/Tokyo"))
    table = pa.table({"deal": ["D"], "date": arr, "actions": [["called_us"]]})
    (row,) = rows(dealscore.score_frame(table, as_of=AS_OF))
    assert row["last_contact"] == datetime.date(2026, 11, 2)
    naive = pa.table({"deal": ["D"], "date": pa.array([stamp.replace(tzinfo=None)], pa.timestamp("ns")),
                      "actions": [["called_us"]]})
    assert rows(dealscore.score_frame(naive, as_of=AS_OF))[0]["last_contact"] == datetime.date(2026, 11, 1)


def test_contacts_and_attendees_columns() -> None:
    acts: List[Dict[str, Any]] = [
        {"id": "a", "deal": "D", "date": "2026-11-01", "actions": ["meeting_accepted"], "attendees": 5,
         "contacts": [{"person": "田中", "title": "CEO"}, {"role": "manager", "department": "購買部"}]},
        {"id": "b", "deal": "D", "date": "2026-11-02", "actions": [], "contacts": [{"title": "謎の肩書"}]},
        {"id": "c", "deal": "E", "date": "2026-12-01", "actions": ["called_us"]},
    ]
    assert rows(dealscore.score_frame(activities_table(acts), as_of=AS_OF)) == expected(acts)


def test_deals_without_activities_get_rows() -> None:
    empty = activities_table([])
    got = rows(dealscore.score_frame(empty, deals=[{"id": "D-9"}], as_of=AS_OF))
    assert got == expected([], deals=[{"id": "D-9"}])
    assert rows(dealscore.score_frame(empty, as_of=AS_OF)) == []


def frame_error(table: Any) -> dealscore.DealscoreError:
    with pytest.raises(dealscore.DealscoreError) as info:
        dealscore.score_frame(table, as_of=AS_OF)
    return info.value


def test_frame_errors_name_the_row_and_column() -> None:
    base = {"deal": ["D", "D"], "date": ["2026-11-01", "2026-11-02"]}
    e = frame_error(pa.table({"date": ["2026-11-01"]}))
    assert (e.code, e.path, e.row) == ("invalid_input", "activities.deal", None)
    e = frame_error(pa.table({**base, "date": ["2026-11-01", None]}))
    assert (e.code, e.path, e.row) == ("invalid_input", "activities[1].date", 1)
    e = frame_error(pa.table({**base, "date": ["2026-11-01", "2026-02-30"]}))
    assert (e.code, e.path, e.row) == ("invalid_date", "activities[1].date", 1)
    e = frame_error(pa.table({**base, "deal": ["D", None]}))
    assert (e.code, e.path, e.row) == ("invalid_input", "activities[1].deal", 1)
    e = frame_error(pa.table({**base, "id": ["x", "x"]}))
    assert (e.code, e.row) == ("duplicate_activity", 1)
    e = frame_error(pa.table({**base, "actions": pa.array([["called_us"], [None]], pa.list_(pa.string()))}))
    assert (e.code, e.path, e.row) == ("invalid_input", "activities[1].actions[0]", 1)
    e = frame_error(pa.table({**base, "contact_person": ["a;b", "a"], "contact_title": ["課長", "課長"]}))
    assert (e.code, e.path, e.row) == ("invalid_input", "activities[0].contact_title", 0)
    e = frame_error(pa.table({**base, "attendees": [1.5, 2.0]}))
    assert (e.code, e.path, e.row) == ("invalid_input", "activities[0].attendees", 0)
    e = frame_error(pa.table({**base, "attendees": [1, -2]}))
    assert (e.code, e.row) == ("invalid_input", 1)
    e = frame_error(pa.table({**base, "actions": [1, 2]}))
    assert (e.code, e.path) == ("invalid_input", "activities.actions")
    e = frame_error(pa.table({**base, "date": [1.0, 2.0]}))
    assert (e.code, e.path) == ("invalid_input", "activities.date")
    e = frame_error(pa.table({**base, "contacts": [[], []], "contact_title": ["", ""]}))
    assert e.code == "invalid_input"
    e = frame_error(pa.table({**base, "contact_role": ["boss", ""]}))
    assert (e.code, e.row) == ("unknown_role", 0)
    with pytest.raises(TypeError):
        dealscore.score_frame([{"deal": "D"}], as_of=AS_OF)


def test_the_gil_is_released_while_scoring_a_frame() -> None:
    n = 300_000
    table = pa.table({"deal": [f"D{i % 1000}" for i in range(n)], "date": ["2026-11-01"] * n,
                      "actions": [["called_us"]] * n})
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        before = ticks
        dealscore.score_frame(table, as_of=AS_OF)
        during = ticks - before
    finally:
        done.set()
        t.join()
    assert during > 1000, during


def many_activities(copies: int = 400) -> List[Dict[str, Any]]:
    """The examples again and again with fresh ids, over 50 times the deals: 120,000 rows, enough
    for score_frame to use threads (a frame under 100,000 rows is scored on one)."""
    out = []
    for k in range(copies):
        for a in example_activities():
            b = dict(a)
            b["id"] = f"{a['id']}-{k}"
            b["deal"] = f"{a['deal']}-{k % 50}"
            out.append(b)
    return out


def test_threads_give_the_same_table() -> None:
    acts = many_activities()
    assert len(acts) >= 100_000
    table = activities_table(acts)
    one = dealscore.score_frame(table, deals=example_deals(), as_of=AS_OF, threads=1)
    assert one.num_rows == len({a["deal"] for a in acts} | {d["id"] for d in example_deals()})
    for threads in (2, 3, None):
        assert dealscore.score_frame(table, deals=example_deals(), as_of=AS_OF, threads=threads).equals(one)
    # A stream (one thread by default, or read into memory for more) and a pandas frame.
    for threads in (None, 2):
        reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=10_000))
        assert dealscore.score_frame(reader, deals=example_deals(), as_of=AS_OF, threads=threads).equals(one)
    frame = table.to_pandas()
    assert dealscore._row_count(frame) == len(acts)
    assert dealscore.score_frame(frame, deals=example_deals(), as_of=AS_OF).equals(one)
    # The same reports as score() gives for one slice of the deals.
    part = [a for a in acts if a["deal"].endswith("-7")]
    want = {r["deal"]: r for r in expected(part)}
    got = {r["deal"]: r for r in rows(one) if r["deal"] in want}
    assert got == want


def test_threads_name_the_first_bad_row() -> None:
    acts = many_activities()
    bad = [dict(a) for a in acts]
    bad[110_000]["actions"] = ["no_such_action"]
    bad[115_000]["id"] = bad[3]["id"]
    table = activities_table(bad)
    for threads in (1, 2):
        with pytest.raises(dealscore.InputError) as info:
            dealscore.score_frame(table, as_of=AS_OF, threads=threads)
        assert (info.value.code, info.value.row) == ("unknown_action", 110_000)
    # An id repeated across deals that different threads score is still found.
    dup = [dict(a) for a in acts]
    dup[100_500]["id"] = dup[5]["id"]
    assert dup[100_500]["deal"] != dup[5]["deal"]
    table = activities_table(dup)
    for threads in (1, 2):
        with pytest.raises(dealscore.InputError) as info:
            dealscore.score_frame(table, as_of=AS_OF, threads=threads)
        assert (info.value.code, info.value.row) == ("duplicate_activity", 100_500)


def test_threads_must_be_positive() -> None:
    with pytest.raises(dealscore.DealscoreError) as info:
        dealscore.score_frame(activities_table(example_activities()), as_of=AS_OF, threads=0)
    assert info.value.code == "invalid_input" and "threads" in str(info.value)
