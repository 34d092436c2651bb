"""Shared paths and helpers of the dealscore Python tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Set

REPO = Path(__file__).resolve().parents[2]
ALL_VECTORS = sorted((REPO / "vectors").glob("*.json"))
# Operations whose Python binding has not landed yet. Their vectors run in the Rust core and the
# oracle; test_vectors.py lists the ones left out here, so none is dropped silently. (Empty:
# every operation is bound.)
NOT_BOUND: Set[str] = set()
VECTORS = [p for p in ALL_VECTORS if json.loads(p.read_text(encoding="utf-8")).get("op") not in NOT_BOUND]


def load_case(path: Path) -> Dict[str, Any]:
    case: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return case


def canonical(value: Any) -> str:
    """Compact JSON text; Python keeps 1.0 and 1 apart, and key order, like the core."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def raw_expected(path: Path) -> str:
    """The case's ``expected`` value exactly as the file spells it (the core's float digits:
    ``1e-7``, where Python writes ``1e-07``), without the whitespace outside strings."""
    text = path.read_text(encoding="utf-8")
    start = text.rindex('"expected":') + len('"expected":')
    while text[start].isspace():
        start += 1
    _, end = json.JSONDecoder().raw_decode(text, start)
    out: List[str] = []
    i = start
    while i < end:
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        if not c.isspace():
            out.append(c)
        i += 1
    return "".join(out)


def case_ids(paths: List[Path]) -> List[str]:
    return [p.stem for p in paths]


FRAME_COLUMNS = [
    "deal", "total", "decayed", "people", "roles", "departments", "top_role", "route_coverage",
    "breadth", "active_periods", "continuity", "streak", "days_since_last", "slope", "quality",
    "grade", "needs_review", "status", "signals", "last_contact", "future_ignored",
]


def frame_row(report: Any) -> Dict[str, Any]:
    """The score_frame row a DealReport becomes (docs/python.md, "Data frames")."""
    import datetime

    q = report.quality
    return {
        "deal": report.deal,
        "total": report.energy.total,
        "decayed": report.energy.decayed,
        "people": len(report.breadth.people),
        "roles": len(report.breadth.roles),
        "departments": len(report.breadth.departments),
        "top_role": report.breadth.top_role,
        "route_coverage": report.breadth.route.coverage,
        "breadth": report.breadth.score,
        "active_periods": report.continuity.active_periods,
        "continuity": report.continuity.ratio,
        "streak": report.continuity.streak,
        "days_since_last": report.continuity.days_since_last,
        "slope": report.continuity.slope,
        "quality": None if q is None else q.score,
        "grade": None if q is None else q.grade,
        "needs_review": None if q is None else q.needs_review,
        "status": report.status,
        "signals": [s.kind for s in report.signals],
        "last_contact": None if report.last_contact is None else datetime.date.fromisoformat(report.last_contact),
        "future_ignored": report.future_ignored,
    }


def contacts_type() -> Any:
    import pyarrow as pa

    return pa.list_(pa.struct([(f, pa.string()) for f in ("person", "role", "title", "department")]))


def activities_table(activities: List[Dict[str, Any]]) -> Any:
    """A pyarrow table of activities in the documented column schema (contacts as structs)."""
    import pyarrow as pa

    return pa.table(
        {
            "id": pa.array([a["id"] for a in activities], pa.string()),
            "deal": pa.array([a["deal"] for a in activities], pa.string()),
            "date": pa.array([a["date"] for a in activities], pa.string()).cast(pa.date32()),
            "actions": pa.array([a.get("actions", []) for a in activities], pa.list_(pa.string())),
            "contacts": pa.array([a.get("contacts", []) for a in activities], contacts_type()),
            "attendees": pa.array([a.get("attendees") for a in activities], pa.int32()),
            "reporter": pa.array([a.get("reporter") for a in activities], pa.string()),
        }
    )
