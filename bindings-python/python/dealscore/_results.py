"""Typed result objects.

Each is a frozen dataclass whose fields are, in order, the fields of the core's JSON output
(docs/model.md), so ``to_dict()`` gives back exactly that JSON shape: the same keys in the same
order, ``int`` where the core writes an integer and ``float`` where it writes a float. Dates are
``YYYY-MM-DD`` strings, as in the JSON.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Dict, List, Optional, Type, TypeVar, Union

__all__ = [
    "Breadth",
    "Change",
    "Continuity",
    "Coverage",
    "Criterion",
    "DealReport",
    "DealSnapshot",
    "Expert",
    "Declining",
    "Energy",
    "EnergyChange",
    "ExplainItem",
    "Explanation",
    "NewSignals",
    "NextSteps",
    "NoEnergy",
    "QaAnswer",
    "QaHit",
    "QualityReport",
    "QualityStep",
    "QualitySummary",
    "Recipients",
    "ReportNotice",
    "RouteCoverage",
    "RouteGap",
    "RouteStep",
    "RouteStepCovered",
    "RouteStepUncovered",
    "Signal",
    "SignalsCleared",
    "SingleThreaded",
    "StaleReport",
    "StaleRow",
    "StatusChange",
    "TopRoleAbsent",
    "TopRoleChange",
]

R = TypeVar("R", bound="Result")


def _plain(value: Any) -> Any:
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Result:
    """Base of every result: typed fields and ``to_dict()``."""

    # Fields that hold nested results: field name -> how to build it from its JSON value.
    _nested: ClassVar[Dict[str, Any]] = {}

    def to_dict(self) -> Dict[str, Any]:
        """The exact JSON shape of the core's output (a fresh dict every call)."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls: Type[R], data: Dict[str, Any]) -> R:
        """Builds the object from the core's JSON shape (what ``to_dict()`` returns)."""
        args = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            value = data.get(f.name)
            build = cls._nested.get(f.name)
            if build is not None and value is not None:
                value = build(value)
            args[f.name] = value
        return cls(**args)


def _list_of(build: Any) -> Any:
    return lambda items: [build(i) for i in items]


@dataclass(frozen=True)
class RouteStep(Result):
    """A step of an approval route; it names at least one of its fields."""

    role: Optional[str] = None
    department: Optional[str] = None
    person: Optional[str] = None

    def to_dict(self) -> Dict[str, Any]:
        # Unset fields are left out, as in the core's JSON.
        return {k: v for k, v in super().to_dict().items() if v is not None}


@dataclass(frozen=True)
class Energy(Result):
    """The cumulative axis (累計)."""

    total: int
    decayed: float
    by_action: Dict[str, int]
    by_role: Dict[str, int]
    by_reporter: Dict[str, int]


@dataclass(frozen=True)
class RouteCoverage(Result):
    steps: List[RouteStep]
    covered: List[RouteStep]
    missing: List[RouteStep]
    coverage: Optional[float]

    _nested = {k: _list_of(RouteStep.from_dict) for k in ("steps", "covered", "missing")}


@dataclass(frozen=True)
class Breadth(Result):
    """The breadth axis (多面的接触)."""

    people: List[str]
    roles: List[str]
    departments: List[str]
    top_role: Optional[str]
    route: RouteCoverage
    score: float

    _nested = {"route": RouteCoverage.from_dict}


@dataclass(frozen=True)
class Continuity(Result):
    """The continuity axis (継続性); ``series`` is the energy per period, oldest first."""

    period_days: int
    series: List[int]
    active_periods: int
    ratio: float
    streak: int
    days_since_last: Optional[int]
    slope: float


@dataclass(frozen=True)
class QualitySummary(Result):
    """Quality (商談クオリティ) as it appears in a deal report."""

    score: float
    grade: Optional[str]
    checked: List[str]
    unchecked: List[str]
    needs_review: bool


@dataclass(frozen=True)
class Signal(Result):
    """A warning with its evidence; ``kind`` tells which (one of the subclasses)."""

    kind: str

    @staticmethod
    def _build(data: Dict[str, Any]) -> Signal:
        cls = _SIGNALS.get(data.get("kind", ""), Signal)
        return cls.from_dict(data)


@dataclass(frozen=True)
class NoEnergy(Signal):
    days_since_last: Optional[int]
    stale_days: int


@dataclass(frozen=True)
class Declining(Signal):
    slope: float
    older: int
    newer: int


@dataclass(frozen=True)
class TopRoleAbsent(Signal):
    role: str
    last_seen: str


@dataclass(frozen=True)
class SingleThreaded(Signal):
    person: str


@dataclass(frozen=True)
class RouteGap(Signal):
    coverage: float
    missing: int


_SIGNALS: Dict[str, Type[Signal]] = {
    "no_energy": NoEnergy,
    "declining": Declining,
    "top_role_absent": TopRoleAbsent,
    "single_threaded": SingleThreaded,
    "route_gap": RouteGap,
}

AnySignal = Union[NoEnergy, Declining, TopRoleAbsent, SingleThreaded, RouteGap, Signal]


@dataclass(frozen=True)
class DealReport(Result):
    """Everything a manager needs to know about one deal as of a date."""

    deal: str
    as_of: str
    energy: Energy
    breadth: Breadth
    continuity: Continuity
    quality: Optional[QualitySummary]
    signals: List[Signal]
    status: str
    last_contact: Optional[str]
    unmapped_titles: List[str]
    future_ignored: int

    _nested = {
        "energy": Energy.from_dict,
        "breadth": Breadth.from_dict,
        "continuity": Continuity.from_dict,
        "quality": QualitySummary.from_dict,
        "signals": _list_of(Signal._build),
    }


@dataclass(frozen=True)
class ExplainItem(Result):
    kind: str
    id: str
    points: int


@dataclass(frozen=True)
class Explanation(Result):
    """The itemised energy of one activity; the items' points add up to ``energy``."""

    activity: str
    deal: str
    date: str
    energy: int
    items: List[ExplainItem]

    _nested = {"items": _list_of(ExplainItem.from_dict)}


@dataclass(frozen=True)
class QualityStep(Result):
    date: str
    indicator: str
    checked: bool
    by: str
    score: float


@dataclass(frozen=True)
class QualityReport(Result):
    """A deal's quality replayed as of a date, with the score after each event."""

    deal: str
    as_of: str
    score: float
    grade: Optional[str]
    checked: List[str]
    unchecked: List[str]
    needs_review: bool
    history: List[QualityStep]

    _nested = {"history": _list_of(QualityStep.from_dict)}


@dataclass(frozen=True)
class StaleRow(Result):
    deal: str
    last_date: Optional[str]
    days_since: Optional[int]
    stale_days: int
    total: int
    breadth: float
    continuity: float
    quality: Optional[float]
    grade: Optional[str]
    status: str


@dataclass(frozen=True)
class StaleReport(Result):
    """The stale list (未接触リスト): never-contacted first, then longest silence."""

    as_of: str
    basis: str
    snoozed: int
    deals: List[StaleRow]

    _nested = {"deals": _list_of(StaleRow.from_dict)}


@dataclass(frozen=True)
class Criterion(Result):
    id: str
    label: str


@dataclass(frozen=True)
class Coverage(Result):
    id: str
    members: List[str]


@dataclass(frozen=True)
class NextSteps(Result):
    """What is left to do in a deal's process stage, and who can do it."""

    deal: str
    stage: str
    label: str
    phase: str
    remaining: List[Criterion]
    actions: List[str]
    roles: List[Coverage]
    skills: List[Coverage]
    missing_roles: List[str]
    missing_skills: List[str]
    next_stage: Optional[str]
    can_advance: bool

    _nested = {
        "remaining": _list_of(Criterion.from_dict),
        "roles": _list_of(Coverage.from_dict),
        "skills": _list_of(Coverage.from_dict),
    }


@dataclass(frozen=True)
class QaHit(Result):
    """One Q&A search result; ``matched`` are the query tokens found in the entry."""

    id: str
    score: float
    question: str
    answer: str
    stages: List[str]
    matched: List[str]


@dataclass(frozen=True)
class Expert(Result):
    """A deal member who can answer at a stage, with the stage skills they have."""

    user: str
    skills: List[str]


@dataclass(frozen=True)
class QaAnswer(Result):
    """The answer to a rep's question: the best entries, or, when ``unanswered``, whom to ask."""

    question: str
    stage: Optional[str]
    hits: List[QaHit]
    unanswered: bool
    ask: List[Expert]

    _nested = {"hits": _list_of(QaHit.from_dict), "ask": _list_of(Expert.from_dict)}


@dataclass(frozen=True)
class Recipients(Result):
    """Whom to tell about a report: ``immediate`` (``notify: "all"``) and ``digest``; sorted."""

    immediate: List[str]
    digest: List[str]


@dataclass(frozen=True)
class DealSnapshot(Result):
    """A deal at a glance: energy total, status label, quality grade."""

    total: int
    status: str
    grade: Optional[str]


@dataclass(frozen=True)
class Change(Result):
    """One thing a report changed; ``kind`` tells which (one of the subclasses), ``text`` says it
    in words (``energy +35``)."""

    kind: str

    @staticmethod
    def _build(data: Dict[str, Any]) -> Change:
        cls = _CHANGES.get(data.get("kind", ""), Change)
        return cls.from_dict(data)


@dataclass(frozen=True)
class EnergyChange(Change):
    from_: int
    to: int
    text: str

    def to_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "from": self.from_, "to": self.to, "text": self.text}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> EnergyChange:
        return cls(kind=data["kind"], from_=data["from"], to=data["to"], text=data["text"])


@dataclass(frozen=True)
class StatusChange(Change):
    from_: str
    to: str
    text: str

    def to_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "from": self.from_, "to": self.to, "text": self.text}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> StatusChange:
        return cls(kind=data["kind"], from_=data["from"], to=data["to"], text=data["text"])


@dataclass(frozen=True)
class TopRoleChange(Change):
    from_: Optional[str]
    to: Optional[str]
    text: str

    def to_dict(self) -> Dict[str, Any]:
        return {"kind": self.kind, "from": self.from_, "to": self.to, "text": self.text}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> TopRoleChange:
        return cls(kind=data["kind"], from_=data["from"], to=data["to"], text=data["text"])


@dataclass(frozen=True)
class RouteStepCovered(Change):
    step: RouteStep
    text: str

    _nested = {"step": RouteStep.from_dict}


@dataclass(frozen=True)
class RouteStepUncovered(Change):
    step: RouteStep
    text: str

    _nested = {"step": RouteStep.from_dict}


@dataclass(frozen=True)
class SignalsCleared(Change):
    signals: List[str]
    text: str


@dataclass(frozen=True)
class NewSignals(Change):
    signals: List[str]
    text: str


_CHANGES: Dict[str, Type[Change]] = {
    "energy": EnergyChange,
    "status": StatusChange,
    "top_role": TopRoleChange,
    "route_step_covered": RouteStepCovered,
    "route_step_uncovered": RouteStepUncovered,
    "signals_cleared": SignalsCleared,
    "new_signals": NewSignals,
}


@dataclass(frozen=True)
class ReportNotice(Result):
    """The answer to a new daily report (日報): whom to tell, the deal before and after, and what
    changed (``changes``, in a fixed order; empty when nothing did)."""

    recipients: Recipients
    before: DealSnapshot
    after: DealSnapshot
    changes: List[Change]

    _nested = {
        "recipients": Recipients.from_dict,
        "before": DealSnapshot.from_dict,
        "after": DealSnapshot.from_dict,
        "changes": _list_of(Change._build),
    }
