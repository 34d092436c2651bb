"""The result of ``dealscore.backtest``: the core's JSON (OUTCOMES.md §3) with its tables as data
frames and its two charts as matplotlib figures.

Every number comes from the core; this module only reshapes the JSON. pandas, pyarrow and
matplotlib are imported when a table or chart is asked for, so the package needs none of them.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, cast

if TYPE_CHECKING:
    import pandas as _pd
    import pyarrow as _pa
    from matplotlib.axes import Axes as _Axes
    from matplotlib.figure import Figure as _Figure

__all__ = ["BacktestResult"]

#: The scores of OUTCOMES.md §3, in the core's order (``quality`` only when a model has indicators).
SCORES = ("energy", "decayed", "breadth", "continuity", "quality")
TABLES = ("rows", "lift", "insights", "by_status")

# The columns of each table: name and kind ("str", "int", "float" (null → NaN), "date", or
# "score": int for energy, float for the other scores).
_COLUMNS: Dict[str, Sequence[Tuple[str, str]]] = {
    "rows": [
        ("deal", "str"), ("snapshot", "date"), ("outcome", "str"), ("energy", "int"), ("decayed", "float"),
        ("breadth", "float"), ("continuity", "float"), ("quality", "float"), ("status", "str"),
    ],
    "lift": [
        ("deals", "int"), ("won", "int"), ("win_rate", "float"), ("min", "score"), ("max", "score"),
        ("won_share", "float"),
    ],
    "insights": [
        ("kind", "str"), ("id", "str"), ("deals", "int"), ("won", "int"), ("win_rate", "float"), ("lift", "float"),
    ],
    "by_status": [("status", "str"), ("deals", "int"), ("won", "int"), ("win_rate", "float")],
}


def _need(module: str, what: str, extra: str) -> Any:
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as e:
        raise ImportError(f"{what} needs {module.split('.')[0]}: pip install 'dealscore[{extra}]'") from e


class BacktestResult:
    """How well each score told the won deals from the lost ones (OUTCOMES.md §3).

    The summary fields are attributes (``mode``, ``horizon_days``, ``as_of``, ``deals``,
    ``won``, ``lost``, ``win_rate``, ``warnings``, ``auc``); the tables are pandas DataFrames
    (``rows``, ``lift(score)``, ``insights``, ``by_status``) or pyarrow Tables
    (``to_arrow(table)``, for polars and DuckDB); ``to_json()`` is the core's JSON text, byte for
    byte what the CLI, the Web API and the other bindings give.
    """

    __slots__ = ("_text", "_data")

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: Dict[str, Any] = json.loads(text)

    @classmethod
    def from_json(cls, text: str) -> BacktestResult:
        """A result from the core's JSON text (what ``to_json()`` returns)."""
        return cls(text)

    # -- the summary ------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"horizon"`` (each deal scored ``horizon_days`` before it closed) or ``"cohort"``
        (every deal closed after ``as_of`` scored as of it)."""
        mode: str = self._data["mode"]
        return mode

    @property
    def horizon_days(self) -> Optional[int]:
        value: Optional[int] = self._data["horizon_days"]
        return value

    @property
    def as_of(self) -> Optional[str]:
        value: Optional[str] = self._data["as_of"]
        return value

    @property
    def deals(self) -> int:
        """The population: closed deals (in cohort mode, closed after ``as_of``)."""
        value: int = self._data["deals"]
        return value

    @property
    def won(self) -> int:
        value: int = self._data["won"]
        return value

    @property
    def lost(self) -> int:
        value: int = self._data["lost"]
        return value

    @property
    def win_rate(self) -> Optional[float]:
        value: Optional[float] = self._data["win_rate"]
        return value

    @property
    def warnings(self) -> List[str]:
        """In words, why the figures may not be trusted (under 40 won or lost, an empty population)."""
        return list(self._data["warnings"])

    @property
    def auc(self) -> Dict[str, Optional[float]]:
        """AUC per score: the probability that a won deal outscores a lost one (ties count one
        half); ``None`` without both won and lost deals."""
        return {name: fit["auc"] for name, fit in self._data["scores"].items()}

    # -- the tables -------------------------------------------------------------------------

    @property
    def rows(self) -> _pd.DataFrame:
        """One row per population deal, by deal id: its snapshot, outcome, scores at the
        snapshot and status (``snapshot`` as ``datetime64``; a ``quality`` of NaN means the
        deal's model has no indicators)."""
        return self._pandas("rows", self._data["rows"])

    def lift(self, score: str = "energy") -> _pd.DataFrame:
        """The lift groups of a score: deals ranked by it, highest first, cut into ``bins``
        groups (the index, from 0); ``won_share`` is the share of all won deals in this group and
        the ones before it."""
        frame = self._pandas("lift", self._lift(score), score)
        frame.index.name = "group"
        return frame

    @property
    def insights(self) -> _pd.DataFrame:
        """One row per action, role, quality indicator and signal of the model: how many deals
        had it at their snapshot, how many of them were won, and ``lift`` = their win rate over
        the population's."""
        return self._pandas("insights", self._data["insights"])

    @property
    def by_status(self) -> _pd.DataFrame:
        """The win rate of the deals in each status at their snapshot (close, qualify, engage, review)."""
        return self._pandas("by_status", self._data["by_status"])

    def to_arrow(self, table: str = "rows", *, score: str = "energy") -> _pa.Table:
        """A table as a ``pyarrow.Table`` (``pl.from_arrow(...)`` for polars): ``"rows"``
        (``snapshot`` as ``date32``), ``"lift"`` (of ``score``), ``"insights"`` or ``"by_status"``."""
        pa = _need("pyarrow", "BacktestResult.to_arrow", "arrow")
        types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}
        types["score"] = pa.int64() if score == "energy" else pa.float64()
        items = self._lift(score) if table == "lift" else self._table(table)
        columns = _COLUMNS[table]
        arrays = {}
        for name, kind in columns:
            values = [item[name] for item in items]
            if kind == "date":
                arrays[name] = pa.array(values, pa.string()).cast(pa.date32())
            else:
                arrays[name] = pa.array(values, types[kind])
        return pa.table(arrays, schema=pa.schema([(n, arrays[n].type) for n, _ in columns]))

    def to_dict(self) -> Dict[str, Any]:
        """The core's JSON shape as plain dicts and lists (a fresh copy every call)."""
        data: Dict[str, Any] = json.loads(self._text)
        return data

    def to_json(self) -> str:
        """The core's JSON text, untouched."""
        return self._text

    # -- the charts -------------------------------------------------------------------------

    def plot_lift(self, score: str = "energy", *, ax: Optional[_Axes] = None) -> _Figure:
        """A bar chart of the win rate in each lift group of ``score`` (highest scores on the
        left) against the population's win rate; returns the figure (drawn on ``ax`` when given)."""
        groups = self._lift(score)
        fig, ax = _axes(ax, (8, 4), "plot_lift")
        ticker = _need("matplotlib.ticker", "plot_lift", "plot")
        x = list(range(1, len(groups) + 1))
        rates = [g["win_rate"] for g in groups]
        bars = ax.bar(x, rates, color="#4878a8", label="win rate in the group")
        for bar, g in zip(bars, groups):
            ax.annotate(
                f"{g['won']}/{g['deals']}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points",
            )
        if self.win_rate is not None:
            ax.axhline(self.win_rate, color="#c44e52", linestyle="--", label=f"all deals ({self.win_rate:.0%})")
        ax.set_xticks(x)
        ax.set_xticklabels([_span(g["max"], g["min"]) for g in groups], rotation=30 if len(x) > 5 else 0,
                           ha="right" if len(x) > 5 else "center", fontsize=8)
        ax.set_xlabel(f"{score} at the snapshot, highest first ({len(groups)} groups)")
        ax.set_ylabel("win rate")
        ax.set_ylim(0, 1.08)
        ax.yaxis.set_major_formatter(ticker.PercentFormatter(1.0))
        auc = self.auc.get(score)
        ax.set_title(f"Win rate by {score} ({self.deals} deals, AUC {'n/a' if auc is None else f'{auc:.2f}'})")
        ax.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        return fig

    def plot_insights(
        self,
        *,
        kinds: Optional[Iterable[str]] = None,
        min_deals: int = 1,
        ax: Optional[_Axes] = None,
    ) -> _Figure:
        """A horizontal bar chart of each insight's lift (its deals' win rate over the
        population's; 1 = no difference), largest on top. ``kinds`` keeps some of ``"action"``,
        ``"role"``, ``"indicator"``, ``"signal"``; insights of fewer than ``min_deals`` deals, or
        without a lift, are left out."""
        wanted = None if kinds is None else set(kinds)
        items = [
            i for i in self._data["insights"]
            if i["lift"] is not None and i["deals"] >= min_deals and (wanted is None or i["kind"] in wanted)
        ]
        # Ascending: barh draws the first item at the bottom.
        items.sort(key=lambda i: (i["lift"], i["kind"], i["id"]))
        fig, ax = _axes(ax, (8, max(2.5, 0.32 * len(items) + 1.2)), "plot_insights")
        y = list(range(len(items)))
        lifts = [i["lift"] for i in items]
        ax.barh(y, lifts, color=["#55a868" if v >= 1 else "#c44e52" for v in lifts])
        ax.set_yticks(y)
        ax.set_yticklabels([f"{i['kind']}: {i['id']} ({i['won']}/{i['deals']})" for i in items], fontsize=8)
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xlabel("lift: win rate of the deals with it ÷ win rate of all deals")
        ax.set_title("What goes with winning" if items else "No insight to show")
        fig.tight_layout()
        return fig

    # -- plumbing ---------------------------------------------------------------------------

    def _table(self, table: str) -> List[Dict[str, Any]]:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}: one of {', '.join(TABLES)}")
        items: List[Dict[str, Any]] = self._data[table]
        return items

    def _lift(self, score: str) -> List[Dict[str, Any]]:
        scores = self._data["scores"]
        if score not in scores:
            if score == "quality":
                raise ValueError("no quality score: no deal's model has quality indicators")
            raise ValueError(f"unknown score {score!r}: one of {', '.join(scores)}")
        groups: List[Dict[str, Any]] = scores[score]["lift"]
        return groups

    def _pandas(self, table: str, items: List[Dict[str, Any]], score: str = "energy") -> _pd.DataFrame:
        pd = _need("pandas", f"BacktestResult.{table}", "pandas")
        convert: Dict[str, Callable[[List[Any]], Any]] = {
            "str": lambda v: pd.Series(v, dtype=object),
            "int": lambda v: pd.Series(v, dtype="int64"),
            "float": lambda v: pd.Series([math.nan if x is None else x for x in v], dtype="float64"),
            "date": lambda v: pd.Series(pd.to_datetime(v, format="%Y-%m-%d"), dtype="datetime64[ns]"),
        }
        convert["score"] = convert["int"] if score == "energy" else convert["float"]
        return pd.DataFrame({name: convert[kind]([i[name] for i in items]) for name, kind in _COLUMNS[table]})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BacktestResult) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __repr__(self) -> str:
        when = f"horizon_days={self.horizon_days}" if self.mode == "horizon" else f"as_of={self.as_of!r}"
        auc = self.auc.get("energy")
        return (
            f"BacktestResult({when}, deals={self.deals}, won={self.won}, lost={self.lost}, "
            f"auc_energy={'None' if auc is None else f'{auc:.3f}'})"
        )


def _span(high: Any, low: Any) -> str:
    def text(v: Any) -> str:
        return str(v) if isinstance(v, int) else f"{v:.2f}"

    return text(high) if high == low else f"{text(high)}–{text(low)}"


def _axes(ax: Optional[_Axes], size: Tuple[float, float], what: str) -> Tuple[_Figure, _Axes]:
    """The caller's axes, or a new figure's. No pyplot: nothing is shown or kept by the library."""
    if ax is not None:
        return cast("_Figure", ax.figure), ax
    figure = _need("matplotlib.figure", what, "plot")
    fig = figure.Figure(figsize=size)
    return fig, fig.subplots()
