"""Property: score() over dicts and score_frame() over the same data as Arrow agree exactly."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dealscore
from conftest import activities_table, frame_row

MODEL = dealscore.Model.default().to_dict()
ACTIONS = [a["id"] for a in MODEL["actions"]]
ROLES = [r["id"] for r in MODEL["roles"]]
TITLES = [t for r in MODEL["roles"] for t in r.get("aliases", [])] + ["ＣＥＯ", " Manager ", "謎の肩書", "intern"]
START = datetime.date(2025, 10, 1)

names = st.sampled_from(["佐藤", "鈴木", "Tanaka", "Lee", "高橋"])
contact = st.fixed_dictionaries(
    {},
    optional={
        "person": names,
        "role": st.sampled_from(ROLES),
        "title": st.sampled_from(TITLES),
        "department": st.sampled_from(["購買部", "情報システム部", "Finance"]),
    },
)
day = st.integers(0, 500).map(lambda n: (START + datetime.timedelta(days=n)).isoformat())
activity = st.fixed_dictionaries(
    {
        "deal": st.sampled_from(["D1", "D2", "D3", "D4"]),
        "date": day,
        "actions": st.lists(st.sampled_from(ACTIONS), max_size=4),
        "contacts": st.lists(contact, max_size=3),
    },
    optional={"attendees": st.integers(0, 12), "reporter": st.sampled_from(["rep1", "rep2"])},
)
deal = st.fixed_dictionaries(
    {"id": st.sampled_from(["D1", "D2", "D5"])},
    optional={"route": st.lists(st.fixed_dictionaries({"role": st.sampled_from(ROLES)}), min_size=1, max_size=3)},
)


@st.composite
def inputs(draw: Any) -> Dict[str, Any]:
    acts = draw(st.lists(activity, max_size=40))
    # Ids are unique; their order is random so same-date ties (caps) are exercised.
    ids = draw(st.permutations(range(len(acts))))
    acts = [{"id": f"a{i:03}", **a} for i, a in zip(ids, acts)]
    deals = {d["id"]: d for d in draw(st.lists(deal, max_size=3))}
    return {"activities": acts, "deals": list(deals.values()), "as_of": draw(day), "layout": draw(st.integers(0, 2))}


def as_frame(acts: List[Dict[str, Any]], layout: int) -> pa.Table:
    table = activities_table(acts)
    if layout == 0:  # contacts as a list<struct> column, dates as date32
        return table
    # Parallel contact_* list columns and dates as text (1) or timestamps (2).
    table = table.drop_columns(["contacts"])
    for field in ("person", "role", "title", "department"):
        values = [[c.get(field) for c in a["contacts"]] for a in acts]
        table = table.append_column(f"contact_{field}", pa.array(values, pa.list_(pa.string())))
    dates = pa.array([a["date"] for a in acts], pa.string())
    if layout == 2:
        dates = dates.cast(pa.date32()).cast(pa.timestamp("ms"))
    return table.set_column(table.column_names.index("date"), "date", dates)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs())
def test_score_and_score_frame_agree(data: Dict[str, Any]) -> None:
    acts, deals, as_of = data["activities"], data["deals"], data["as_of"]
    reports = dealscore.score(acts, deals=deals, as_of=as_of)
    table = dealscore.score_frame(as_frame(acts, data["layout"]), deals=deals, as_of=as_of)
    assert table.to_pylist() == [frame_row(r) for r in reports]
    # And the incremental Scorer, fed in reverse, agrees with both.
    scorer = dealscore.Scorer(deals=deals)
    for a in reversed(acts):
        scorer.add(a)
    assert scorer.report_all(as_of=as_of) == reports


@settings(max_examples=50, deadline=None, database=None)
@given(inputs(), st.data())
def test_errors_agree_and_name_the_row(data: Dict[str, Any], draw: Any) -> None:
    acts = data["activities"]
    if not acts:
        return
    bad = draw.draw(st.integers(0, len(acts) - 1))
    acts[bad] = {**acts[bad], "actions": [*acts[bad]["actions"], "not_an_action"]}
    try:
        dealscore.score(acts, as_of=data["as_of"])
        raise AssertionError("score() accepted an unknown action")
    except dealscore.InputError as e:
        assert e.code == "unknown_action"
    try:
        dealscore.score_frame(as_frame(acts, data["layout"]), as_of=data["as_of"])
        raise AssertionError("score_frame() accepted an unknown action")
    except dealscore.InputError as e:
        assert (e.code, e.row) == ("unknown_action", bad)
