"""dealscore.backtest from Python: every input form gives the records' result, the tables and
charts show the core's numbers, what the history planted is what the backtest reports, errors
carry codes, and the figures of docs/backtest.md are written from the planted history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pyarrow as pa
import pytest

import dealscore
from conftest import REPO, activities_table, canonical
from history import HORIZON_DAYS, planted_history

# One history for the module (drawn when the first test asks, not at import).
_HISTORY: Dict[str, Any] = {}


def history() -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    if not _HISTORY:
        _HISTORY["value"] = planted_history()
    value: Tuple[List[Dict[str, Any]], List[Dict[str, Any]]] = _HISTORY["value"]
    return value


@pytest.fixture(scope="module")
def result() -> dealscore.BacktestResult:
    activities, deals = history()
    return dealscore.backtest(activities, deals)


def deals_table(deals: List[Dict[str, Any]]) -> pa.Table:
    """Deals as a frame: outcome and closed_on as columns (closed_on as date32, null when open),
    quality events as a list of structs."""
    event = pa.struct([("indicator", pa.string()), ("checked", pa.bool_()), ("by", pa.string()), ("date", pa.date32())])
    return pa.table({
        "id": pa.array([d["id"] for d in deals], pa.string()),
        "maintainer": pa.array([d.get("maintainer") for d in deals], pa.string()),
        "outcome": pa.array([d.get("outcome") for d in deals], pa.string()),
        "closed_on": pa.array([d.get("closed_on") for d in deals], pa.string()).cast(pa.date32()),
        "quality_events": pa.array(
            [[{**e, "date": dt.date.fromisoformat(e["date"])} for e in d.get("quality_events", [])] for d in deals],
            pa.list_(event),
        ),
    })


# -- every input form -------------------------------------------------------------------------


def test_frames_of_every_kind_give_the_records_result(result: dealscore.BacktestResult) -> None:
    import duckdb
    import polars as pl

    activities, deals = history()
    table, dtable = activities_table(activities), deals_table(deals)
    frame = table  # noqa: F841 - DuckDB reads the Python variable by name
    want = result.to_json()
    # pyarrow, polars and pandas, for activities and for deals; a DuckDB result; a stream.
    inputs = {
        "pyarrow": (table, dtable),
        "polars": (pl.from_arrow(table), pl.from_arrow(dtable)),
        "pandas": (table.to_pandas(), dtable.to_pandas()),
        "duckdb": (duckdb.sql("SELECT * FROM frame ORDER BY deal, id"), deals),
        "stream": (pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=500)), deals),
    }
    for name, (acts, ds) in inputs.items():
        got = dealscore.backtest(acts, ds)
        assert got.to_json() == want, name
    # A pandas frame with timestamps for closed_on (NaT for open deals), as read from a CSV.
    pdeals = dtable.to_pandas()
    import pandas as pd

    pdeals["closed_on"] = pd.to_datetime(pdeals["closed_on"])
    assert dealscore.backtest(table, pdeals).to_json() == want
    assert result.deals == 360 and result.won + result.lost == 360


def test_threads_share_out_a_large_frame_without_changing_the_result() -> None:
    """Over 100,000 rows the frame is backtested on threads (deals split by a hash of their id)."""
    activities, deals = history()
    copies = 32
    big_acts = [{**a, "id": f"{a['id']}~{k}", "deal": f"{a['deal']}~{k}"} for k in range(copies) for a in activities]
    big_deals = [{**d, "id": f"{d['id']}~{k}"} for k in range(copies) for d in deals]
    assert len(big_acts) > 100_000
    table = activities_table(big_acts)
    one = dealscore.backtest(table, big_deals, threads=1)
    assert dealscore.backtest(table, big_deals, threads=2).to_json() == one.to_json()
    assert dealscore.backtest(table, big_deals).to_json() == one.to_json()
    assert dealscore.backtest(big_acts, big_deals).to_json() == one.to_json()
    assert one.deals == 360 * copies
    # A bad row found on threads is named as on one thread.
    bad = table.to_pylist()
    bad[77_777]["actions"] = ["teleported"]
    with pytest.raises(dealscore.InputError) as info:
        dealscore.backtest(pa.Table.from_pylist(bad, schema=table.schema), big_deals, threads=2)
    assert (info.value.code, info.value.row) == ("unknown_action", 77_777)


# -- the planted rule ------------------------------------------------------------------------


def test_what_was_planted_is_what_the_backtest_reports(result: dealscore.BacktestResult) -> None:
    activities, deals = history()
    scorer = dealscore.Scorer(deals=deals)
    for a in activities:
        scorer.add(a)
    closed = {d["id"]: d for d in deals if "outcome" in d}
    rows = result.to_dict()["rows"]
    assert [r["deal"] for r in rows] == sorted(closed)
    for r in rows:
        snapshot = dt.date.fromisoformat(closed[r["deal"]]["closed_on"]) - dt.timedelta(days=HORIZON_DAYS)
        report = scorer.report(r["deal"], as_of=snapshot)
        assert r["snapshot"] == snapshot.isoformat() and r["outcome"] == closed[r["deal"]]["outcome"]
        assert (r["energy"], r["decayed"], r["breadth"]) == (report.energy.total, report.energy.decayed, report.breadth.score)
        assert r["status"] == report.status
    # AUC by counting pairs (O(n²)), against the core's midranks.
    for score in ("energy", "decayed", "breadth", "continuity"):
        won = [r[score] for r in rows if r["outcome"] == "won"]
        lost = [r[score] for r in rows if r["outcome"] == "lost"]
        pairs = sum(2 * (w > x) + (w == x) for w in won for x in lost)
        assert result.auc[score] == pairs / (2 * len(won) * len(lost)), score
    # The rule planted a win rate that rises with energy: the AUC shows it, and the top tenth
    # of deals by energy win more often than the bottom tenth.
    auc = result.auc["energy"]
    assert auc is not None and auc > 0.7
    lift = result.lift("energy")
    assert lift["deals"].sum() == result.deals and lift["won"].sum() == result.won
    assert lift["win_rate"].iloc[0] > 2 * lift["win_rate"].iloc[-1]
    # The hidden table valued an introduction to the boss above an e-mail.
    insights = result.insights.set_index(["kind", "id"])
    assert insights.loc[("action", "introduced_boss"), "lift"] > insights.loc[("action", "emailed_us"), "lift"]
    # The paperwork came in the last ten days: a horizon of 0 lets it leak into the score.
    activities, deals = history()
    leaked = dealscore.backtest(activities, deals, horizon_days=0)
    assert leaked.auc["energy"] is not None and leaked.auc["energy"] > auc
    assert result.insights.set_index("id").loc["approval_circular", "deals"] == 0
    assert leaked.insights.set_index("id").loc["approval_circular", "deals"] == result.won


def test_cohort_mode_scores_every_deal_as_of_one_date() -> None:
    activities, deals = history()
    cohort = dealscore.backtest(activities, deals, as_of=dt.date(2026, 1, 1), bins=4)
    closed_after = [d for d in deals if "outcome" in d and d["closed_on"] > "2026-01-01"]
    assert (cohort.mode, cohort.as_of, cohort.horizon_days) == ("cohort", "2026-01-01", None)
    assert cohort.deals == len(closed_after) and len(cohort.lift()) == 4
    assert set(cohort.rows["snapshot"]) == {dt.datetime(2026, 1, 1)}
    # A date after every close: an empty population, with a warning rather than an error.
    empty = dealscore.backtest(activities, deals, as_of="2030-01-01")
    assert (empty.deals, empty.win_rate, empty.auc["energy"]) == (0, None, None)
    assert empty.warnings == ["no deal closed after 2030-01-01: the population is empty"]
    assert empty.rows.empty and list(empty.rows.columns) == list(cohort.rows.columns)
    assert empty.lift().empty and len(empty.insights) == len(cohort.insights)


# -- the tables ----------------------------------------------------------------------------


def test_tables_hold_the_cores_numbers(result: dealscore.BacktestResult) -> None:
    data = result.to_dict()
    assert json.dumps(data, ensure_ascii=False, separators=(",", ":")) == result.to_json()
    assert (result.mode, result.horizon_days, result.as_of) == ("horizon", 14, None)
    assert (result.deals, result.won, result.lost, result.win_rate) == (
        data["deals"], data["won"], data["lost"], data["win_rate"])
    assert result.warnings == [] and list(result.auc) == ["energy", "decayed", "breadth", "continuity", "quality"]

    rows = result.rows
    assert list(rows.columns) == ["deal", "snapshot", "outcome", "energy", "decayed", "breadth", "continuity",
                                  "quality", "status"]
    assert str(rows["snapshot"].dtype) == "datetime64[ns]" and str(rows["energy"].dtype) == "int64"
    assert rows["deal"].tolist() == [r["deal"] for r in data["rows"]]
    assert rows["energy"].tolist() == [r["energy"] for r in data["rows"]]
    assert rows["quality"].tolist() == [r["quality"] for r in data["rows"]]
    assert rows["snapshot"].dt.strftime("%Y-%m-%d").tolist() == [r["snapshot"] for r in data["rows"]]

    lift = result.lift()
    assert lift.index.name == "group" and lift.index.tolist() == list(range(10))
    assert lift.to_dict("records") == data["scores"]["energy"]["lift"]
    assert str(lift["min"].dtype) == "int64" and str(result.lift("breadth")["min"].dtype) == "float64"
    assert result.lift("quality").to_dict("records") == data["scores"]["quality"]["lift"]

    insights = result.insights.astype(object).where(result.insights.notna(), None)
    assert insights.to_dict("records") == data["insights"]
    by_status = result.by_status.astype(object).where(result.by_status.notna(), None)
    assert by_status.to_dict("records") == data["by_status"]
    assert by_status["status"].tolist() == ["close", "qualify", "engage", "review"]


def test_arrow_tables_for_polars(result: dealscore.BacktestResult) -> None:
    import polars as pl

    data = result.to_dict()
    rows = result.to_arrow()
    assert rows.schema.field("snapshot").type == pa.date32() and rows.schema.field("energy").type == pa.int64()
    assert [{**r, "snapshot": r["snapshot"].isoformat()} for r in rows.to_pylist()] == data["rows"]
    assert result.to_arrow("lift", score="continuity").to_pylist() == data["scores"]["continuity"]["lift"]
    assert result.to_arrow("lift").schema.field("max").type == pa.int64()
    assert result.to_arrow("insights").to_pylist() == data["insights"]
    assert result.to_arrow("by_status").to_pylist() == data["by_status"]
    frame = pl.DataFrame(result.to_arrow("insights"))
    best = frame.filter(pl.col("kind") == "action").sort("lift", descending=True, nulls_last=True)["id"][0]
    assert best == max((i for i in data["insights"] if i["kind"] == "action" and i["lift"] is not None),
                       key=lambda i: i["lift"])["id"]


def test_without_quality_indicators_there_is_no_quality_score() -> None:
    table = dealscore.Model.default().to_dict()
    table["quality"]["indicators"] = []
    model = dealscore.Model.from_dict(table)
    activities, deals = history()
    plain = [{k: v for k, v in d.items() if k != "quality_events"} for d in deals]
    bt = dealscore.backtest(activities, plain, model=model)
    assert list(bt.auc) == ["energy", "decayed", "breadth", "continuity"]
    assert bt.rows["quality"].isna().all()
    with pytest.raises(ValueError, match="no quality score"):
        bt.lift("quality")
    with pytest.raises(ValueError, match="unknown score 'speed'"):
        bt.lift("speed")
    with pytest.raises(ValueError, match="unknown table"):
        bt.to_arrow("everything")


def test_merge_of_per_deal_backtests_is_the_whole(result: dealscore.BacktestResult) -> None:
    activities, deals = history()
    by_deal: Dict[str, List[Dict[str, Any]]] = {}
    for a in activities:
        by_deal.setdefault(a["deal"], []).append(a)
    parts = [dealscore.backtest(by_deal.get(d["id"], []), [d]) for d in deals]
    merged = dealscore.merge_backtests(parts)
    assert merged == result and merged.to_json() == result.to_json()
    assert dealscore.merge_backtests([p.to_json() for p in parts], bins=3).lift().shape[0] == 3
    cohort = dealscore.backtest(activities, deals, as_of="2026-01-01")
    with pytest.raises(dealscore.InputError) as info:
        dealscore.merge_backtests([result, cohort])
    assert (info.value.code, info.value.path) == ("invalid_input", "parts[1].mode")
    with pytest.raises(dealscore.InputError) as info:
        dealscore.merge_backtests([result, "{}"])
    assert info.value.code == "invalid_input" and (info.value.path or "").startswith("parts[1]")


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "deal, code, path",
    [
        ({"id": "D-1", "outcome": "tied", "closed_on": "2026-06-30"}, "invalid_input", "deals[0].outcome"),
        ({"id": "D-1", "outcome": "won", "closed_on": "2026-02-30"}, "invalid_date", "deals[0].closed_on"),
        ({"id": "D-1", "outcome": "won"}, "invalid_input", 'deals["D-1"].closed_on'),
    ],
)
def test_bad_deals_fail_with_the_cores_code(deal: Dict[str, Any], code: str, path: str) -> None:
    acts = [{"id": "a1", "deal": "D-1", "date": "2026-06-01", "actions": ["visited_us"]}]
    for activities in (acts, activities_table(acts)):
        with pytest.raises(dealscore.InputError) as info:
            dealscore.backtest(activities, [deal])
        assert (info.value.code, info.value.path) == (code, path), str(info.value)


def test_bad_options_and_rows_fail_with_codes() -> None:
    activities, deals = history()
    table = activities_table(activities)
    cases: List[Tuple[Dict[str, Any], str]] = [
        ({"bins": 0}, "options.bins"),
        ({"bins": 101}, "options.bins"),
        ({"horizon_days": -1}, "options.horizon_days"),
        ({"horizon_days": 14, "as_of": "2026-01-01"}, "options.as_of"),
        ({"horizon_days": 4000}, "options.horizon_days"),
    ]
    for options, path in cases:
        for acts in (activities, table):
            with pytest.raises(dealscore.InputError) as info:
                dealscore.backtest(acts, deals, **options)
            assert (info.value.code, info.value.path) == ("invalid_input", path), (options, str(info.value))
    with pytest.raises(dealscore.InputError) as info:
        dealscore.backtest(activities, deals, as_of="2026-13-01")
    assert (info.value.code, info.value.path) == ("invalid_date", "options.as_of")
    # A bad row of a frame is named by its row, as in score_frame.
    rows = table.to_pylist()
    rows[17]["actions"] = ["visited_us", "teleported"]
    with pytest.raises(dealscore.InputError) as info:
        dealscore.backtest(pa.Table.from_pylist(rows, schema=table.schema), deals)
    assert (info.value.code, info.value.row, info.value.path) == ("unknown_action", 17, None)
    rows = table.to_pylist()
    rows[40]["id"] = rows[3]["id"]
    with pytest.raises(dealscore.InputError) as info:
        dealscore.backtest(pa.Table.from_pylist(rows, schema=table.schema), deals)
    assert (info.value.code, info.value.row) == ("duplicate_activity", 40)
    with pytest.raises(TypeError):
        dealscore.backtest({"id": "a1"}, deals)


# -- charts ----------------------------------------------------------------------------------


def bars(ax: Any) -> List[Any]:
    from matplotlib.patches import Rectangle

    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_plot_lift_draws_one_bar_per_group(result: dealscore.BacktestResult) -> None:
    import numpy as np
    from matplotlib.figure import Figure

    fig = result.plot_lift()
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(bars(ax)) == len(ax.patches) == 10
    heights = [bar.get_height() for bar in bars(ax)]
    assert heights == result.lift()["win_rate"].tolist()
    assert [np.asarray(line.get_ydata())[0] for line in ax.get_lines()] == [result.win_rate]
    assert "AUC 0.78" in ax.get_title()
    # Into the caller's axes, for any score.
    other = Figure()
    axes = other.subplots(1, 2)
    assert result.plot_lift("quality", ax=axes[1]) is other
    assert [b.get_height() for b in bars(axes[1])] == result.lift("quality")["win_rate"].tolist()


def test_plot_insights_draws_the_lift_of_each_insight(result: dealscore.BacktestResult) -> None:
    fig = result.plot_insights()
    ax = fig.axes[0]
    shown = [i for i in result.to_dict()["insights"] if i["lift"] is not None]
    widths = [bar.get_width() for bar in bars(ax)]
    assert widths == sorted(i["lift"] for i in shown)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    top = max(shown, key=lambda i: i["lift"])
    assert labels[-1] == f"{top['kind']}: {top['id']} ({top['won']}/{top['deals']})"
    roles = result.plot_insights(kinds=["role"], min_deals=150).axes[0]
    want = sorted(i["lift"] for i in shown if i["kind"] == "role" and i["deals"] >= 150)
    assert [b.get_width() for b in bars(roles)] == want and len(want) >= 2
    empty = dealscore.backtest([], [], as_of="2026-01-01").plot_insights()
    assert len(empty.axes[0].patches) == 0 and empty.axes[0].get_title() == "No insight to show"


def test_plots_without_matplotlib_say_what_to_install(
    result: dealscore.BacktestResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'dealscore\[plot\]'"):
        result.plot_lift()


def test_the_guides_figures_are_written_from_the_example_history() -> None:
    """docs/backtest.md embeds these two PNG files, drawn from examples/history as its snippets do."""
    from matplotlib.image import imread

    history = REPO / "examples" / "history"
    with open(history / "activities.jsonl", encoding="utf-8") as f:
        activities = [json.loads(line) for line in f]
    example = dealscore.backtest(activities, json.loads((history / "deals.json").read_text(encoding="utf-8")))
    assert (example.deals, example.won, example.lost) == (111, 62, 49)
    assert example.auc["energy"] == 0.9165569453587886
    out = REPO / "docs" / "img"
    out.mkdir(exist_ok=True)
    figures = {"backtest_lift.png": example.plot_lift(), "backtest_insights.png": example.plot_insights(min_deals=5)}
    for name, fig in figures.items():
        path: Path = out / name
        # No software version in the file: the same figure gives the same bytes.
        fig.savefig(path, dpi=100, metadata={"Software": None})
        image = imread(path)
        width, height = fig.get_size_inches() * 100
        assert image.shape[:2] == (round(height), round(width)), name


def test_result_equality_and_repr(result: dealscore.BacktestResult) -> None:
    again = dealscore.BacktestResult.from_json(result.to_json())
    assert again == result and hash(again) == hash(result)
    assert repr(result) == "BacktestResult(horizon_days=14, deals=360, won=208, lost=152, auc_energy=0.781)"
    assert canonical(result.to_dict()) == result.to_json()
