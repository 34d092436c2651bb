"""dealscore: deterministic sales-deal scoring from the customer's own effort (ユーザエネルギー).

>>> import dealscore
>>> reports = dealscore.score(
...     [{"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["visited_us"],
...       "contacts": [{"person": "佐藤", "title": "部長"}]}],
...     as_of="2026-11-27",
... )
>>> reports[0].energy.total
30

Every function is pure and deterministic: the same model, input and ``as_of`` give the same
result, byte for byte the JSON of every other dealscore front end (``to_dict()``). Inputs are
plain dicts in the JSON shape of the model documentation; errors are ``DealscoreError``
(a ``ValueError``) with the core's stable ``code``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping as _MappingType
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _dealscore as _native
from ._dealscore import (
    DEFAULT_MODEL_TOML,
    DealscoreError,
    InputError,
    Model,
    ModelError,
    NotMaintainerError,
    __version__,
    backtest_json,
    explain_json,
    fit_json,
    fit_scorecard_json,
    frame_schema,
    model_schema,
    normalize_title,
    score_json,
    stale_json,
    tokenize,
)
from ._backtest import BacktestResult
from ._fit import FitResult
from ._scorecard import ScorecardClassifier, fit_scorecard
from ._inputs import ActivityDict, ContactDict, DealDict, MemberDict, QualityEventDict, RouteStepDict
from ._results import (
    Breadth,
    Change,
    DealSnapshot,
    EnergyChange,
    NewSignals,
    Recipients,
    ReportNotice,
    RouteStepCovered,
    RouteStepUncovered,
    SignalsCleared,
    StatusChange,
    TopRoleChange,
    Continuity,
    Coverage,
    Criterion,
    DealReport,
    Declining,
    Expert,
    Energy,
    ExplainItem,
    Explanation,
    NextSteps,
    NoEnergy,
    QaAnswer,
    QaHit,
    QualityReport,
    QualityStep,
    QualitySummary,
    RouteCoverage,
    RouteGap,
    RouteStep,
    Signal,
    SingleThreaded,
    StaleReport,
    StaleRow,
    TopRoleAbsent,
)

if TYPE_CHECKING:
    import pyarrow as _pa

__all__ = [
    "DEFAULT_MODEL_TOML",
    "ActivityDict",
    "BacktestResult",
    "Breadth",
    "Change",
    "ContactDict",
    "Continuity",
    "Coverage",
    "Criterion",
    "DateLike",
    "DealDict",
    "DealReport",
    "DealSnapshot",
    "DealscoreError",
    "Declining",
    "Energy",
    "EnergyChange",
    "Expert",
    "ExplainItem",
    "Explanation",
    "FitResult",
    "InputError",
    "MemberDict",
    "Model",
    "ModelError",
    "NewSignals",
    "NextSteps",
    "NoEnergy",
    "NotMaintainerError",
    "QaAnswer",
    "QaHit",
    "QaIndex",
    "QualityEventDict",
    "QualityReport",
    "QualityStep",
    "QualitySummary",
    "Recipients",
    "ReportNotice",
    "RouteCoverage",
    "RouteGap",
    "RouteStep",
    "RouteStepCovered",
    "RouteStepDict",
    "RouteStepUncovered",
    "ScorecardClassifier",
    "Scorer",
    "Signal",
    "SignalsCleared",
    "SingleThreaded",
    "StaleReport",
    "StaleRow",
    "StatusChange",
    "TopRoleAbsent",
    "TopRoleChange",
    "__version__",
    "backtest",
    "backtest_json",
    "explain",
    "explain_activity",
    "explain_json",
    "fit",
    "fit_json",
    "fit_scorecard",
    "fit_scorecard_json",
    "frame_schema",
    "merge_backtests",
    "model_schema",
    "next_steps",
    "normalize_title",
    "on_report",
    "quality",
    "recipients",
    "score",
    "score_frame",
    "score_json",
    "stale",
    "stale_json",
    "tokenize",
]

#: A date: ``"YYYY-MM-DD"`` text or a ``datetime.date`` (a ``datetime`` counts as its date).
DateLike = Union[str, _dt.date]

Record = Mapping[str, Any]


def _date(value: DateLike) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"expected a date or 'YYYY-MM-DD' text, got {type(value).__name__}")


def _records(items: Optional[Iterable[Record]]) -> Sequence[Record]:
    if items is None:
        return []
    if isinstance(items, (list, tuple)):
        return items
    if isinstance(items, (str, bytes, _MappingType)):
        raise TypeError(f"expected a list of records (dicts), got {type(items).__name__}")
    return list(items)


def score(
    activities: Iterable[Record],
    *,
    deals: Optional[Iterable[Record]] = None,
    as_of: DateLike,
    model: Optional[Model] = None,
) -> List[DealReport]:
    """One report per deal id found in ``deals`` or ``activities``, sorted by deal id."""
    out = _native.score(_records(activities), _records(deals), _date(as_of), model)
    return [DealReport.from_dict(r) for r in out]


def explain(
    activities: Iterable[Record],
    *,
    deals: Optional[Iterable[Record]] = None,
    as_of: DateLike,
    model: Optional[Model] = None,
) -> List[Explanation]:
    """The energy breakdown of every activity dated ≤ ``as_of`` (points after caps), sorted by
    (deal, date, id)."""
    out = _native.explain(_records(activities), _records(deals), _date(as_of), model)
    return [Explanation.from_dict(e) for e in out]


def explain_activity(
    activity: Record, *, deal_model: Optional[str] = None, model: Optional[Model] = None
) -> Explanation:
    """The breakdown of one activity on its own (points before caps, which need the deal's
    history). ``deal_model`` names the model of a model set the activity's deal uses."""
    return Explanation.from_dict(_native.explain_activity(activity, deal_model, model))


def stale(
    activities: Iterable[Record],
    *,
    deals: Optional[Iterable[Record]] = None,
    as_of: DateLike,
    days: Optional[int] = None,
    basis: str = "contact",
    model: Optional[Model] = None,
) -> StaleReport:
    """The stale list (未接触リスト): deals with no contact (``basis="contact"``) or no energy
    (``basis="energy"``) for ``days`` (default: each deal's stage or model setting)."""
    out = _native.stale(_records(activities), _records(deals), _date(as_of), days, basis, model)
    return StaleReport.from_dict(out)


def quality(deal: Record, *, as_of: DateLike, model: Optional[Model] = None) -> Optional[QualityReport]:
    """The deal's quality (商談クオリティ) replayed as of a date; None when the model has no
    quality indicators."""
    out = _native.quality(deal, _date(as_of), model)
    return None if out is None else QualityReport.from_dict(out)


def next_steps(deal: Record, *, done: Iterable[str] = (), model: Optional[Model] = None) -> NextSteps:
    """What is left in the deal's process stage, given the exit criteria already ``done``."""
    return NextSteps.from_dict(_native.next_steps(deal, list(done), model))


def recipients(deal: Record, activity: Record) -> List[str]:
    """Who must be told about a new activity report: the deal's members whose ``notify`` is not
    ``"none"``, minus the reporter, sorted."""
    return _native.recipients(deal, activity)


def on_report(
    report: Record,
    *,
    activities: Optional[Iterable[Record]] = None,
    deals: Optional[Iterable[Record]] = None,
    as_of: DateLike,
    deal: Optional[str] = None,
    model: Optional[Model] = None,
) -> ReportNotice:
    """A daily report (日報) has been written: the deal members to notify (``immediate`` for
    ``notify: "all"``, ``digest`` for ``"digest"``; never the reporter), the deal's total, status
    and grade without and with the report, and what the report changed, each change with its
    ``text``. ``activities`` is the deal's history; ``deals`` must hold the deal's record (the
    deal is ``deal``, else the report's); a repeated id is a ``duplicate_activity`` error."""
    out = _native.on_report(report, _records(activities), _records(deals), _date(as_of), deal, model)
    return ReportNotice.from_dict(out)


def score_frame(
    activities: Any,
    *,
    deals: Any = None,
    as_of: DateLike,
    model: Optional[Model] = None,
    threads: Optional[int] = None,
) -> _pa.Table:
    """Scores a data frame of activities and returns a ``pyarrow.Table`` with one row per deal.

    ``activities`` is anything exposing ``__arrow_c_stream__`` (a pyarrow Table or
    RecordBatchReader, a polars or pandas DataFrame, a DuckDB result …); its columns are
    described in docs/python.md. The GIL is released while the frame is read and scored.
    ``deals`` are records (dicts) or a data frame of deal fields (``id``, ``route`` …).

    ``threads`` is how many threads may score (default: one per core for a table or data frame,
    one for a stream such as a ``RecordBatchReader``; ``1`` for none besides the caller's). Deals
    are split between them, so the result is the same for any number; a frame of fewer than
    100,000 rows is scored on one thread. With more than one thread a stream is read into memory
    first.
    """
    if not _is_arrow(activities):
        activities = _to_arrow(activities)
    return _native.score_frame(
        activities, _deal_records(deals), _date(as_of), model, _row_count(activities), threads
    )


def backtest(
    activities: Any,
    deals: Any,
    *,
    model: Optional[Model] = None,
    horizon_days: Optional[int] = None,
    as_of: Optional[DateLike] = None,
    bins: Optional[int] = None,
    threads: Optional[int] = None,
) -> BacktestResult:
    """Measures on won and lost deals how well energy, breadth, continuity and quality told them
    apart (OUTCOMES.md §2–3; the guide is docs/backtest.md).

    Each closed deal (``outcome`` ``"won"`` or ``"lost"`` and a ``closed_on`` date) is scored at a
    snapshot: ``horizon_days`` (default 14) before it closed, or, with ``as_of``, as of that
    date for every deal closed after it. ``bins`` is the number of lift groups (default 10).

    ``activities`` are records (dicts) or a data frame, as for ``score_frame`` (pyarrow, polars,
    pandas, DuckDB …; ``threads`` as there); ``deals`` are records or a data frame with ``id``,
    ``outcome`` and ``closed_on`` columns (and any other deal field). Returns a
    ``BacktestResult``.
    """
    options: Dict[str, Any] = {}
    if horizon_days is not None:
        options["horizon_days"] = horizon_days
    if as_of is not None:
        options["as_of"] = _date(as_of)
    if bins is not None:
        options["bins"] = bins
    records = _deal_records(deals)
    if _is_arrow(activities) or _is_pandas(activities):
        frame = activities if _is_arrow(activities) else _to_arrow(activities)
        text = _native.backtest_frame(frame, records, options, model, _row_count(frame), threads)
    else:
        text = _native.backtest(_records(activities), records, options, model)
    return BacktestResult(text)


def fit(
    activities: Any,
    deals: Any,
    *,
    model: Optional[Model] = None,
    horizon_days: Optional[int] = None,
    as_of: Optional[DateLike] = None,
    train_before: Optional[DateLike] = None,
    max_points: Optional[int] = None,
    max_nonzero: Optional[int] = None,
    fit_model: Optional[str] = None,
) -> FitResult:
    """Learns an integer points table from won and lost deals (OUTCOMES.md §4; the guide is
    docs/fit.md): small non-negative points (at most ``max_points``, default 30) per action,
    contact role and attendee band, at most ``max_nonzero`` actions with points, and the curve
    ``P(won) = 1 / (1 + exp(−(E − c) / m))``.

    Each closed deal's features are counted at its snapshot, as in ``backtest``
    (``horizon_days``, default 14, or ``as_of``). Deals closed before ``train_before`` train and
    the others test; by default the last 20% by close date test. ``fit_model`` names the model
    of a model set to fit (the default model otherwise).

    ``activities`` and ``deals`` are records (dicts) or data frames (pyarrow, polars, pandas,
    DuckDB …), as for ``backtest``; a frame's rows are read as records. Returns a ``FitResult``.
    """
    options: Dict[str, Any] = {}
    if horizon_days is not None:
        options["horizon_days"] = horizon_days
    if as_of is not None:
        options["as_of"] = _date(as_of)
    if train_before is not None:
        options["train_before"] = _date(train_before)
    if max_points is not None:
        options["max_points"] = max_points
    if max_nonzero is not None:
        options["max_nonzero"] = max_nonzero
    if fit_model is not None:
        options["model"] = fit_model
    text = _native.fit(_frame_records(activities), _deal_records(deals), options, model)
    return FitResult(text)


def merge_backtests(parts: Iterable[Union[BacktestResult, str]], *, bins: Optional[int] = None) -> BacktestResult:
    """The backtest of the union of disjoint populations from the backtest of each (results or
    their JSON text), as a partitioned run (Spark) collects them: counts, win rates by status
    and insights add up, AUC and lift (``bins`` groups, default 10) are computed again from the
    rows. All parts must follow one snapshot rule and no deal may be in two of them."""
    texts = [p.to_json() if isinstance(p, BacktestResult) else p for p in parts]
    return BacktestResult(_native.merge_backtests(texts, bins))


def _is_arrow(frame: Any) -> bool:
    return hasattr(frame, "__arrow_c_stream__") or hasattr(frame, "__arrow_c_array__")


def _is_pandas(frame: Any) -> bool:
    return type(frame).__module__.startswith("pandas.") and hasattr(frame, "columns")


def _frame_rows(frame: Any) -> Optional[List[Dict[str, Any]]]:
    """The rows of a data frame (pyarrow, polars, pandas, DuckDB …) as plain records: nulls (and
    pandas' NaN) left out, dates and timestamps as ``YYYY-MM-DD`` (a zoned timestamp's date in its
    zone). ``None`` when ``frame`` is not a data frame."""
    if frame is None or isinstance(frame, (list, tuple)) or not (_is_arrow(frame) or _is_pandas(frame)):
        return None
    import pyarrow

    table = pyarrow.Table.from_pandas(frame, preserve_index=False) if _is_pandas(frame) else pyarrow.table(frame)
    return [_plain_record(r) for r in table.to_pylist()]


def _deal_records(deals: Any) -> Sequence[Record]:
    """Deal records as given, or the rows of a deals data frame (``_frame_rows``) with an integer
    ``id`` as text (as the activities' ``deal`` column reads it)."""
    rows = _frame_rows(deals)
    if rows is None:
        return _records(deals)
    for r in rows:
        if isinstance(r.get("id"), int):
            r["id"] = str(r["id"])
    return rows


def _frame_records(frame: Any) -> Sequence[Record]:
    """Activity records as given, or the rows of an activities data frame (``_frame_rows``)."""
    rows = _frame_rows(frame)
    return _records(frame) if rows is None else [_whole_counts(r) for r in rows]


def _whole_counts(record: Dict[str, Any]) -> Dict[str, Any]:
    """pandas keeps an integer column with nulls as floats: ``attendees`` 5.0 is 5 again."""
    n = record.get("attendees")
    if isinstance(n, float) and n.is_integer():
        record["attendees"] = int(n)
    return record


def _plain_record(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_record(v) for k, v in value.items() if not _missing(v)}
    if isinstance(value, list):
        return [_plain_record(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return _date(value)
    return value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _row_count(frame: Any) -> Optional[int]:
    """The number of rows when the frame knows it without computing anything (pyarrow's
    ``num_rows``, polars' ``height``, a pandas DataFrame's length): the scorer then sizes its
    buffers once, and may use every core. A stream does not know it."""
    for attribute in ("num_rows", "height"):
        n = getattr(frame, attribute, None)
        if isinstance(n, int):
            return n
    if type(frame).__module__.startswith("pandas.") and hasattr(frame, "__len__"):
        return len(frame)
    return None


def _to_arrow(frame: Any) -> Any:
    """Frames that do not speak the Arrow PyCapsule protocol themselves (older pandas)."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        pandas = None
    if pandas is not None and isinstance(frame, pandas.DataFrame):
        import pyarrow

        return pyarrow.Table.from_pandas(frame, preserve_index=False)
    raise TypeError(
        "expected an Arrow table or data frame (an object with __arrow_c_stream__), "
        f"got {type(frame).__name__}"
    )


class Scorer:
    """Incremental scoring: add, replace or remove activity reports one at a time, in any
    order, and report any deal as of any date. Reports equal ``score()`` over the same data."""

    def __init__(self, model: Optional[Model] = None, deals: Optional[Iterable[Record]] = None) -> None:
        self._inner = _native.Scorer(_records(deals), model)

    def add(self, activity: Record) -> None:
        """Adds a new activity report (a repeated id is a ``duplicate_activity`` error)."""
        self._inner.add(activity)

    def replace(self, activity: Record) -> None:
        """Replaces an edited activity report with the same id."""
        self._inner.replace(activity)

    def remove(self, id: str) -> ActivityDict:
        """Removes a deleted activity report and returns it."""
        removed: ActivityDict = self._inner.remove(id)
        return removed

    def upsert_deal(self, deal: Record) -> None:
        """Adds or replaces a deal record."""
        self._inner.upsert_deal(deal)

    def report(self, deal: str, *, as_of: DateLike) -> DealReport:
        return DealReport.from_dict(self._inner.report(deal, _date(as_of)))

    def report_all(self, *, as_of: DateLike) -> List[DealReport]:
        return [DealReport.from_dict(r) for r in self._inner.report_all(_date(as_of))]

    def explain(self, deal: str, *, as_of: DateLike) -> List[Explanation]:
        """The deal's activities dated ≤ ``as_of`` with their energy after caps."""
        return [Explanation.from_dict(e) for e in self._inner.explain(deal, _date(as_of))]

    def deal_ids(self) -> List[str]:
        """Every deal known from deal records or activities, sorted."""
        return self._inner.deal_ids()

    def __len__(self) -> int:
        return len(self._inner)

    def __repr__(self) -> str:
        return f"Scorer(activities={len(self)}, deals={len(self.deal_ids())})"


class QaIndex:
    """Q&A matching (質疑応答): an immutable BM25 index over question/answer entries
    (``{id, question, answer, stages?, tags?}``). The model's ``qa`` settings tune the scoring,
    and its process stages are the ones questions may be asked at."""

    def __init__(self, entries: Iterable[Record], *, model: Optional[Model] = None) -> None:
        self._inner = _native.QaIndex(_records(entries), model)

    @classmethod
    def from_json(cls, text: str, *, model: Optional[Model] = None) -> QaIndex:
        """Entries from a JSON array."""
        return cls._wrap(_native.QaIndex.from_json(text, model))

    @classmethod
    def from_jsonl(cls, text: str, *, model: Optional[Model] = None) -> QaIndex:
        """Entries from JSON Lines (one entry per line)."""
        return cls._wrap(_native.QaIndex.from_jsonl(text, model))

    @classmethod
    def from_csv(cls, text: str, *, model: Optional[Model] = None) -> QaIndex:
        """Entries from CSV with a header (``id,question,answer[,stages][,tags]``; lists ``;``-separated)."""
        return cls._wrap(_native.QaIndex.from_csv(text, model))

    @classmethod
    def _wrap(cls, inner: _native.QaIndex) -> QaIndex:
        index = cls.__new__(cls)
        index._inner = inner
        return index

    def search(self, question: str, *, stage: Optional[str] = None, k: int = 5) -> List[QaHit]:
        """The best ``k`` entries for ``question``; entries listing ``stage`` are boosted."""
        return [QaHit.from_dict(h) for h in self._inner.search(question, stage, k)]

    def ask(
        self, question: str, *, deal: Optional[Record] = None, stage: Optional[str] = None, k: int = 5
    ) -> QaAnswer:
        """Answers a rep's question at ``stage`` (default: the deal's stage); when nothing matches,
        ``ask`` lists the deal's members whose skills cover the stage."""
        return QaAnswer.from_dict(self._inner.ask(question, deal, stage, k))

    def entries(self) -> List[Dict[str, Any]]:
        """The entries, as given."""
        return self._inner.entries()

    def __len__(self) -> int:
        return len(self._inner)

    def __repr__(self) -> str:
        return f"QaIndex(entries={len(self)})"
