"""Errors: one ValueError subclass with the core's stable code; nothing else leaks out."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Dict

import pytest

import dealscore

AS_OF = "2026-11-27"


def act(**kw: Any) -> Dict[str, Any]:
    return {"id": "a1", "deal": "D-1", "date": "2026-11-01", "actions": ["called_us"], **kw}


def test_hierarchy() -> None:
    for cls in (dealscore.ModelError, dealscore.InputError, dealscore.NotMaintainerError):
        assert issubclass(cls, dealscore.DealscoreError)
    assert issubclass(dealscore.DealscoreError, ValueError)


def test_invalid_model_is_a_model_error_with_path() -> None:
    bad = dealscore.Model.default().to_dict()
    bad["actions"][3]["points"] = -1
    with pytest.raises(dealscore.ModelError) as info:
        dealscore.Model.from_dict(bad)
    assert (info.value.code, info.value.path, info.value.row) == ("invalid_model", "actions[3].points", None)
    assert "actions[3].points" in str(info.value)


def test_model_text_errors() -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.Model.from_toml("schema = ")
    assert info.value.code == "invalid_input"
    with pytest.raises(dealscore.InputError):
        dealscore.Model.from_json("{")
    with pytest.raises(dealscore.InputError) as info:
        dealscore.Model.from_dict({**dealscore.Model.default().to_dict(), "typo": 1})
    assert info.value.code == "invalid_input"


def test_missing_model_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        dealscore.Model.from_file(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "activities, code, path",
    [
        ([act(date="2026-02-30")], "invalid_date", "activities[0].date"),
        ([act(), act(id="a2", date="26-1-1")], "invalid_date", "activities[1].date"),
        ([act(attendees=-1)], "invalid_input", "activities[0].attendees"),
        ([{"deal": "D-1", "date": "2026-11-01"}], "invalid_input", "activities[0]"),
        ([act(id="")], "empty_id", None),
        ([act(), act()], "duplicate_activity", None),
        ([act(actions=["nope"])], "unknown_action", None),
        ([act(contacts=[{"role": "nope"}])], "unknown_role", None),
        ([act(date=datetime.date(2026, 11, 1))], "invalid_input", "activities"),
    ],
)
def test_input_errors(activities: Any, code: str, path: Any) -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score(activities, as_of=AS_OF)
    assert info.value.code == code, str(info.value)
    if path is not None:
        assert info.value.path == path
    assert info.value.row is None


@pytest.mark.parametrize("activities", ["not a list", {"id": "a1"}, b"bytes"])
def test_records_must_be_a_collection(activities: Any) -> None:
    with pytest.raises(TypeError):
        dealscore.score(activities, as_of=AS_OF)


def test_bad_as_of() -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score([], as_of="2026-13-01")
    assert (info.value.code, info.value.path) == ("invalid_date", "as_of")
    with pytest.raises(TypeError):
        dealscore.score([], as_of=20261127)  # type: ignore[arg-type]


def test_a_cycle_is_invalid_input() -> None:
    deal: Dict[str, Any] = {"id": "D"}
    deal["members"] = [deal]
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score([], deals=[deal], as_of=AS_OF)
    assert (info.value.code, info.value.path) == ("invalid_input", "deals")


def test_deal_errors() -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score([], deals=[{"id": "D"}, {"id": "D"}], as_of=AS_OF)
    assert info.value.code == "duplicate_deal"
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score([], deals=[{"id": "D", "model": "enterprise"}], as_of=AS_OF)
    assert info.value.code == "unknown_model"
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score([], deals=[{"id": "D", "stage": "nowhere"}], as_of=AS_OF)
    assert info.value.code == "unknown_stage"


def test_not_maintainer() -> None:
    deal = {"id": "D", "maintainer": "boss", "quality_events": [
        {"indicator": "referral", "checked": True, "by": "intern", "date": "2026-11-01"}]}
    with pytest.raises(dealscore.NotMaintainerError) as info:
        dealscore.quality(deal, as_of=AS_OF)
    assert info.value.code == "not_maintainer"
    assert "intern" in str(info.value) and "boss" in str(info.value)
    with pytest.raises(dealscore.NotMaintainerError):
        dealscore.score([], deals=[deal], as_of=AS_OF)


def test_stale_basis_and_recipients_mismatch() -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.stale([], as_of=AS_OF, basis="vibes")
    assert (info.value.code, info.value.path) == ("invalid_input", "basis")
    with pytest.raises(dealscore.InputError) as info:
        dealscore.recipients({"id": "D-2"}, act())
    assert info.value.code == "deal_mismatch"


def test_next_steps_errors() -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.next_steps({"id": "D", "stage": "nowhere"})
    assert info.value.code == "unknown_stage"
    model = dealscore.Model.from_file(Path(__file__).resolve().parents[2] / "examples" / "model.toml")
    with pytest.raises(dealscore.InputError) as info:
        dealscore.next_steps({"id": "D"}, done=["nope"], model=model)
    assert info.value.code == "unknown_criterion"


def test_scorer_errors() -> None:
    s = dealscore.Scorer()
    s.add(act())
    with pytest.raises(dealscore.InputError) as info:
        s.add(act())
    assert info.value.code == "duplicate_activity"
    with pytest.raises(dealscore.InputError) as info:
        s.replace(act(id="zzz"))
    assert info.value.code == "unknown_activity"
    with pytest.raises(dealscore.InputError) as info:
        s.remove("zzz")
    assert info.value.code == "unknown_activity"
    with pytest.raises(dealscore.InputError) as info:
        s.report("nobody", as_of=AS_OF)
    assert info.value.code == "unknown_deal"
    with pytest.raises(dealscore.InputError) as info:
        s.add(act(id="a2", actions=["nope"]))
    assert info.value.code == "unknown_action"
    assert len(s) == 1  # a failed add changes nothing


def test_json_bulk_errors() -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score_json("{")
    assert info.value.code == "invalid_input"
    with pytest.raises(dealscore.InputError) as info:
        dealscore.score_json('{"as_of": "2026-11-27", "activities": [], "extra": 1}')
    assert info.value.code == "invalid_input"
