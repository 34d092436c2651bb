"""dealscore.fit from Python: the records and every frame form give the core's JSON, the result's
tables and chart show the core's numbers, the fitted model scores, and bad options carry codes."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import pyarrow as pa
import pytest

import dealscore
from conftest import REPO, activities_table

HISTORY = REPO / "examples" / "history"


def shipped_history() -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    activities = [json.loads(line) for line in (HISTORY / "activities.jsonl").read_text(encoding="utf-8").splitlines()]
    deals: List[Dict[str, Any]] = json.loads((HISTORY / "deals.json").read_text(encoding="utf-8"))
    return activities, deals


@pytest.fixture(scope="module")
def result() -> dealscore.FitResult:
    activities, deals = shipped_history()
    return dealscore.fit(activities, deals, max_nonzero=5)


def test_the_result_is_the_cores_json(result: dealscore.FitResult) -> None:
    activities, deals = shipped_history()
    request = {"deals": deals, "activities": activities, "options": {"max_nonzero": 5}}
    assert result.to_json() == dealscore.fit_json(json.dumps(request))
    assert result.to_dict() == json.loads(result.to_json())
    assert result == dealscore.FitResult.from_json(result.to_json())


def test_frames_give_the_records_result(result: dealscore.FitResult) -> None:
    import polars as pl

    activities, deals = shipped_history()
    table = activities_table(activities)
    for frame in (table, pl.from_arrow(table), table.to_pandas()):
        assert dealscore.fit(frame, deals, max_nonzero=5).to_json() == result.to_json()


def test_summary_and_tables_show_the_cores_numbers(result: dealscore.FitResult) -> None:
    data = result.to_dict()
    assert (result.c, result.m) == (data["c"], data["m"])
    assert result.train == data["train"] and result.test == data["test"]
    test = result.test
    assert test is not None
    # The shipped history: 111 closed deals, the last 20% by close date held out.
    assert (result.train["deals"], test["deals"]) == (88, 23)
    assert result.train["auc_fitted"] > result.train["auc_base"]
    points = result.points
    assert list(points.columns) == ["kind", "id", "base", "fitted"]
    assert points.to_dict("records") == data["points"]
    actions = points[(points["kind"] == "action") & (points["fitted"] != 0)]
    assert 1 <= len(actions) <= 5
    assert (points["fitted"] >= 0).all() and (points["fitted"] <= 30).all()
    calibration = result.calibration
    assert calibration.to_dict("records") == data["calibration"]
    assert int(calibration["deals"].sum()) == test["deals"]
    assert "FitResult(c=" in repr(result)


def test_the_fitted_model_backtests_to_the_reported_auc(result: dealscore.FitResult) -> None:
    activities, deals = shipped_history()
    model = result.model
    fitted = {p["id"]: p["fitted"] for p in result.to_dict()["points"] if p["kind"] == "action"}
    assert {a["id"]: a["points"] for a in model.to_dict()["actions"]} == fitted
    # Backtesting the fitted model on the training deals gives the fit's train AUC exactly.
    train_ids = {r["deal"] for r in dealscore.backtest(activities, deals).to_dict()["rows"]}
    closed = sorted((d for d in deals if d["id"] in train_ids), key=lambda d: (d["closed_on"], d["id"]))
    train = closed[: result.train["deals"]]
    bt = dealscore.backtest(activities, train, model=model)
    assert bt.auc["energy"] == result.train["auc_fitted"]


def test_plot_calibration_draws_the_groups(result: dealscore.FitResult) -> None:
    pytest.importorskip("matplotlib")
    fig = result.plot_calibration()
    ax = fig.axes[0]
    assert ax.get_xlabel() == "predicted probability of winning"
    offsets: Any = ax.collections[0].get_offsets()
    assert len(offsets) == len(result.to_dict()["calibration"])


@pytest.mark.parametrize(
    ("options", "path"),
    [({"max_points": 0}, "options.max_points"), ({"max_nonzero": 0}, "options.max_nonzero"),
     ({"horizon_days": 14, "as_of": "2026-01-01"}, None), ({"fit_model": "nope"}, "options.model")],
)
def test_bad_options_name_their_path(options: Dict[str, Any], path: Any) -> None:
    activities, deals = shipped_history()
    with pytest.raises(dealscore.InputError) as info:
        dealscore.fit(activities, deals, **options)
    assert info.value.code == "invalid_input"
    if path is not None:
        assert info.value.path == path


def test_one_class_is_an_error_not_a_crash() -> None:
    activities, deals = shipped_history()
    won = [d for d in deals if d.get("outcome") == "won"]
    with pytest.raises(dealscore.DealscoreError) as info:
        dealscore.fit(activities, won)
    assert info.value.code == "invalid_input"


def test_a_stream_frame_reads_like_a_table(result: dealscore.FitResult) -> None:
    activities, deals = shipped_history()
    table = activities_table(activities)
    stream = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=500))
    assert dealscore.fit(stream, deals, max_nonzero=5).to_json() == result.to_json()
