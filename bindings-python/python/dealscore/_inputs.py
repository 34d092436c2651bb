"""The shapes of input records, for type checkers.

Inputs are plain dicts in the JSON shape of docs/model.md (what a CRM export or ``json.load``
gives); these TypedDicts describe them. Functions accept any ``Mapping[str, Any]``, so data that
was never annotated type-checks too.
"""

from __future__ import annotations

from typing import List, Literal, TypedDict

__all__ = [
    "ActivityDict",
    "ContactDict",
    "DealDict",
    "MemberDict",
    "QualityEventDict",
    "RouteStepDict",
]


class ContactDict(TypedDict, total=False):
    """A customer person met; ``role`` (a role id) wins over ``title`` (free text)."""

    person: str
    role: str
    title: str
    department: str


class _ActivityRequired(TypedDict):
    id: str
    deal: str
    date: str


class ActivityDict(_ActivityRequired, total=False):
    """One activity report (活動報告). ``date`` is ``YYYY-MM-DD``."""

    actions: List[str]
    contacts: List[ContactDict]
    attendees: int
    reporter: str
    note: str


class RouteStepDict(TypedDict, total=False):
    """A step of an approval route (稟議ルート); name at least one field."""

    role: str
    department: str
    person: str


class _MemberRequired(TypedDict):
    user: str


class MemberDict(_MemberRequired, total=False):
    """A seller-side member of the deal team."""

    role: str
    skills: List[str]
    notify: Literal["all", "digest", "none"]


class _QualityEventRequired(TypedDict):
    indicator: str
    checked: bool
    by: str
    date: str


class QualityEventDict(_QualityEventRequired, total=False):
    """Checking or unchecking one quality indicator."""

    reason: str


class _DealRequired(TypedDict):
    id: str


class DealDict(_DealRequired, total=False):
    """A deal (商談); every field but ``id`` is optional."""

    customer: str
    model: str
    stage: str
    route: List[RouteStepDict]
    members: List[MemberDict]
    maintainer: str
    quality_events: List[QualityEventDict]
    snoozed_until: str
