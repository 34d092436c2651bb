"""The Python API mirrors the core: models, one-shot functions, the incremental Scorer."""

from __future__ import annotations

import datetime
import json
import pickle
import threading
from pathlib import Path
from typing import Any, Dict, List

import pytest

import dealscore
from conftest import REPO, canonical

EXAMPLES = REPO / "examples"
AS_OF = "2026-11-27"


def example_activities() -> List[Dict[str, Any]]:
    lines = (EXAMPLES / "activities.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def example_deals() -> List[Dict[str, Any]]:
    deals: List[Dict[str, Any]] = json.loads((EXAMPLES / "deals.json").read_text(encoding="utf-8"))
    return deals


@pytest.fixture(scope="module")
def model() -> dealscore.Model:
    return dealscore.Model.from_file(EXAMPLES / "model.toml")


def test_models_from_every_source_agree(tmp_path: Path) -> None:
    default = dealscore.Model.default()
    as_dict = default.to_dict()
    (tmp_path / "m.json").write_text(json.dumps(as_dict), encoding="utf-8")
    (tmp_path / "m.toml").write_text(dealscore.DEFAULT_MODEL_TOML, encoding="utf-8")
    for m in [
        dealscore.Model.from_toml(dealscore.DEFAULT_MODEL_TOML),
        dealscore.Model.from_json(json.dumps(as_dict)),
        dealscore.Model.from_dict(as_dict),
        dealscore.Model.from_file(tmp_path / "m.json"),
        dealscore.Model.from_file(str(tmp_path / "m.toml")),
        pickle.loads(pickle.dumps(default)),
    ]:
        assert m.to_dict() == as_dict
        assert m.names == ["default"] and m.default_name == "default"
    assert repr(default) == 'Model(default="default", names=["default"])'


def test_model_set_names_and_choice() -> None:
    base = dealscore.Model.default().to_dict()
    rich = json.loads(json.dumps(base))
    rich["actions"][0]["points"] += 100
    models = dealscore.Model.from_dict({"default": "std", "models": {"std": base, "rich": rich}})
    assert models.names == ["rich", "std"] and models.default_name == "std"
    acts = [{"id": "a", "deal": "D", "date": "2026-11-01", "actions": [base["actions"][0]["id"]]}]
    plain = dealscore.score(acts, as_of=AS_OF, model=models)[0].energy.total
    chosen = dealscore.score(acts, deals=[{"id": "D", "model": "rich"}], as_of=AS_OF, model=models)
    assert chosen[0].energy.total == plain + 100
    assert pickle.loads(pickle.dumps(models)).to_dict() == models.to_dict()


def test_score_accepts_dates_and_iterables() -> None:
    acts = example_activities()
    want = dealscore.score(acts, deals=example_deals(), as_of=AS_OF)
    for as_of in (datetime.date(2026, 11, 27), datetime.datetime(2026, 11, 27, 23, 59)):
        got = dealscore.score(iter(acts), deals=(d for d in example_deals()), as_of=as_of)
        assert got == want
    assert [r.deal for r in want] == sorted({a["deal"] for a in acts} | {d["id"] for d in example_deals()})


def test_results_round_trip_through_dicts() -> None:
    for report in dealscore.score(example_activities(), deals=example_deals(), as_of=AS_OF):
        d = report.to_dict()
        again = dealscore.DealReport.from_dict(d)
        assert again == report and canonical(again.to_dict()) == canonical(d)
        assert d is not report.to_dict()  # a fresh dict each call
        for s in report.signals:
            assert type(s).__name__ != "Signal", s  # every kind has its own class


def test_typed_fields() -> None:
    acts = [
        {"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["visited_us"],
         "contacts": [{"person": "佐藤", "title": "部長"}]},
    ]
    (r,) = dealscore.score(acts, as_of=AS_OF)
    assert (r.energy.total, r.breadth.top_role, r.breadth.people) == (30, "director", ["佐藤"])
    assert isinstance(r.energy.decayed, float) and isinstance(r.continuity.series[0], int)
    assert r.continuity.series[-2:] == [30, 0] and r.continuity.days_since_last == 7
    assert isinstance(r.signals[0], dealscore.SingleThreaded) and r.signals[0].person == "佐藤"
    assert r.quality is not None and r.quality.needs_review
    assert r.breadth.route.steps[0] == dealscore.RouteStep(role="staff")
    assert r.breadth.route.steps[0].to_dict() == {"role": "staff"}


def test_scorer_is_score_fed_one_by_one() -> None:
    acts, deals = example_activities(), example_deals()
    scorer = dealscore.Scorer(deals=deals)
    for a in reversed(acts):
        scorer.add(a)
    assert len(scorer) == len(acts)
    assert scorer.report_all(as_of=AS_OF) == dealscore.score(acts, deals=deals, as_of=AS_OF)
    first = acts[0]
    assert scorer.report(first["deal"], as_of=AS_OF) == dealscore.score(acts, deals=deals, as_of=AS_OF)[
        scorer.deal_ids().index(first["deal"])
    ]
    assert [e.activity for e in scorer.explain(first["deal"], as_of=AS_OF)] == [
        e.activity for e in dealscore.explain(acts, deals=deals, as_of=AS_OF) if e.deal == first["deal"]
    ]
    # An edit and a deletion are the only ways a total goes down.
    before = scorer.report(first["deal"], as_of=AS_OF).energy.total
    scorer.replace({**first, "actions": []})
    edited = scorer.report(first["deal"], as_of=AS_OF).energy.total
    removed = scorer.remove(first["id"])
    assert removed["id"] == first["id"] and removed["actions"] == []
    assert scorer.report(first["deal"], as_of=AS_OF).energy.total == edited <= before
    assert len(scorer) == len(acts) - 1
    scorer.upsert_deal({"id": "D-new"})
    assert "D-new" in scorer.deal_ids()
    assert repr(scorer).startswith("Scorer(activities=")


def test_explain_activity_and_explain_sum_up() -> None:
    a = {"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["meeting_accepted", "asked_question"],
         "contacts": [{"person": "田中", "title": "CEO"}, {"person": "鈴木", "title": "課長"}]}
    e = dealscore.explain_activity(a)
    assert e.energy == sum(i.points for i in e.items) == 54
    assert [i.kind for i in e.items] == ["action", "action", "role", "attendees"]
    (d,) = dealscore.explain([a], as_of=AS_OF)
    assert d == e


def test_stale_quality_next_steps_recipients(model: dealscore.Model) -> None:
    acts, deals = example_activities(), example_deals()
    report = dealscore.stale(acts, deals=deals, as_of=AS_OF, model=model)
    assert report.basis == "contact" and all(r.stale_days > 0 for r in report.deals)
    energy = dealscore.stale(acts, deals=deals, as_of=AS_OF, days=7, basis="energy", model=model)
    assert energy.basis == "energy" and all(r.stale_days == 7 for r in energy.deals)
    assert len(energy.deals) >= len(report.deals)

    deal = deals[0]
    q = dealscore.quality(deal, as_of=AS_OF, model=model)
    assert q is not None and q.checked and q.history[-1].score == q.score

    steps = dealscore.next_steps(deal, model=model)
    assert steps.stage == deal["stage"] and not steps.can_advance
    done = [c.id for c in steps.remaining]
    assert dealscore.next_steps(deal, done=done, model=model).can_advance

    activity = next(a for a in acts if a["deal"] == deal["id"])
    got = dealscore.recipients(deal, activity)
    want = sorted({m["user"] for m in deal["members"] if m.get("notify") != "none"} - {activity.get("reporter")})
    assert got == want


def test_helpers() -> None:
    assert dealscore.normalize_title("  ＶＰ Sales ") == "vp sales"
    schema = dealscore.model_schema()
    assert "actions" in schema["properties"]
    assert dealscore.__version__
    assert dealscore.Model.from_toml(dealscore.DEFAULT_MODEL_TOML).to_dict() == dealscore.Model.default().to_dict()


def test_json_bulk_path_with_the_callers_model(model: dealscore.Model) -> None:
    acts, deals = example_activities(), example_deals()
    text = dealscore.score_json(json.dumps({"activities": acts, "deals": deals, "as_of": AS_OF}), model=model)
    objs = [r.to_dict() for r in dealscore.score(acts, deals=deals, as_of=AS_OF, model=model)]
    assert text == canonical(objs)


def test_the_gil_is_released_while_scoring() -> None:
    """Another Python thread keeps running while a large score() computes."""
    acts = [{"id": f"a{i}", "deal": f"D{i % 500}", "date": "2026-11-01", "actions": ["called_us"]}
            for i in range(200_000)]
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1

    text = json.dumps({"activities": acts, "as_of": AS_OF})
    t = threading.Thread(target=count)
    t.start()
    try:
        before = ticks
        dealscore.score_json(text)
        during = ticks - before
    finally:
        done.set()
        t.join()
    assert during > 1000, during
