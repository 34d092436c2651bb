"""Q&A matching: the tokenizer, QaIndex.search and ask, and their errors."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Dict, List, Tuple

import pytest

import dealscore
from conftest import REPO
from test_api import example_deals

QA = (REPO / "examples" / "qa.jsonl").read_text(encoding="utf-8")
MODEL = dealscore.Model.from_file(REPO / "examples" / "model.toml")


def entries() -> List[Dict[str, Any]]:
    return [json.loads(line) for line in QA.splitlines() if line.strip()]


def test_tokenize_follows_the_model() -> None:
    assert dealscore.tokenize("ＰＣの見積もりをAWSで") == ["pc", "の見", "見積", "積も", "もり", "りを", "aws", "で"]
    assert dealscore.tokenize("予") == ["予"]
    assert dealscore.tokenize("・、  !") == []


def test_every_source_gives_the_same_index() -> None:
    rows = entries()
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(["id", "question", "answer", "stages", "tags"])
    for e in rows:
        w.writerow([e["id"], e["question"], e["answer"], ";".join(e.get("stages", [])), ";".join(e.get("tags", []))])
    indexes = [
        dealscore.QaIndex(rows, model=MODEL),
        dealscore.QaIndex.from_jsonl(QA, model=MODEL),
        dealscore.QaIndex.from_json(json.dumps(rows), model=MODEL),
        dealscore.QaIndex.from_csv(text.getvalue(), model=MODEL),
    ]
    results = [i.search("見積もりの値引き交渉", stage="proposal", k=5) for i in indexes]
    assert all(r == results[0] for r in results) and results[0]
    assert all(len(i) == len(rows) for i in indexes)
    assert indexes[0].entries()[0]["id"] == rows[0]["id"]
    assert repr(indexes[0]) == f"QaIndex(entries={len(rows)})"


def test_search_ranks_and_boosts() -> None:
    index = dealscore.QaIndex(entries(), model=MODEL)
    hits = index.search("アポイントが取れない", stage="first_contact", k=3)
    assert hits[0].id == "qa-001" and "first_contact" in hits[0].stages
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert set(hits[0].matched) <= set(dealscore.tokenize("アポイントが取れない"))
    plain = index.search("アポイントが取れない", k=3)
    assert hits[0].score > next(h.score for h in plain if h.id == "qa-001")  # the stage boost
    assert index.search("アポイントが取れない", k=0) == []
    assert dealscore.QaHit.from_dict(hits[0].to_dict()) == hits[0]


def test_ask_answers_or_names_who_to_ask() -> None:
    index = dealscore.QaIndex(entries(), model=MODEL)
    deal = example_deals()[0]
    answered = index.ask("アポイントが取れない", deal=deal)
    assert not answered.unanswered and answered.hits and answered.stage == deal["stage"]
    unanswered = index.ask("ｘｙｚｚｙ", deal=deal)
    assert unanswered.unanswered and unanswered.hits == []
    assert unanswered.ask and all(set(e.skills) for e in unanswered.ask)
    assert [e.user for e in unanswered.ask] == [e["user"] for e in unanswered.to_dict()["ask"]]


@pytest.mark.parametrize(
    "rows, code",
    [
        ([{"id": "a", "question": "q", "answer": "x"}, {"id": "a", "question": "q2", "answer": "y"}], "duplicate_entry"),
        ([{"id": "a", "question": "  ", "answer": "x"}], "missing_question"),
        ([{"id": "", "question": "q", "answer": "x"}], "empty_id"),
        ([{"id": "a", "question": "q", "answer": "x", "stage": ["typo"]}], "invalid_input"),
    ],
)
def test_index_errors(rows: List[Dict[str, Any]], code: str) -> None:
    with pytest.raises(dealscore.InputError) as info:
        dealscore.QaIndex(rows)
    assert info.value.code == code


def test_search_errors() -> None:
    index = dealscore.QaIndex(entries(), model=MODEL)
    calls: List[Tuple[Callable[[], object], str]] = [
        (lambda: index.search("？！"), "empty_question"),
        (lambda: index.search("見積", k=100_000), "limit_exceeded"),
        (lambda: index.search("見" * 5000), "limit_exceeded"),
        (lambda: index.ask("見積", stage="nowhere"), "unknown_stage"),
    ]
    for call, code in calls:
        with pytest.raises(dealscore.InputError) as info:
            call()
        assert info.value.code == code
    with pytest.raises(dealscore.InputError) as info:
        dealscore.QaIndex.from_jsonl('{"id": "a"}\nnot json')
    assert info.value.code == "invalid_input" and info.value.path is not None
