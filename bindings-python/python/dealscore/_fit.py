"""The result of ``dealscore.fit``: the core's JSON (OUTCOMES.md §4) with the points table and the
calibration as data frames, the fitted model as a ``Model``, and a calibration chart.

Every number comes from the core; this module only reshapes the JSON. pandas and matplotlib are
imported when a table or chart is asked for.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from ._backtest import _axes, _need

if TYPE_CHECKING:
    import pandas as _pd
    from matplotlib.axes import Axes as _Axes
    from matplotlib.figure import Figure as _Figure

    from ._dealscore import Model

__all__ = ["FitResult"]


class FitResult:
    """An integer points table learned from won and lost deals, and the evidence for it.

    ``c`` and ``m`` are the curve ``P(won) = 1 / (1 + exp(−(E − c) / m))``; ``model`` is the
    fitted model (a ``Model``, ready for ``score``/``backtest``); ``points`` is a DataFrame
    (``kind``, ``id``, ``base``, ``fitted``); ``train`` and ``test`` are dicts (``deals``, ``won``,
    ``lost``, ``auc_base``, ``auc_fitted``, ``logloss_base``, ``logloss_fitted``; ``test`` is
    ``None`` without held-out deals); ``calibration`` is a DataFrame (``deals``, ``predicted``,
    ``observed``). ``to_json()`` is the core's JSON text, byte for byte what the CLI, the Web
    API and the other bindings give; ``model_toml()`` is not offered here: ``dealscore fit
    --out`` writes the commented TOML.
    """

    __slots__ = ("_text", "_data")

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: Dict[str, Any] = json.loads(text)

    @classmethod
    def from_json(cls, text: str) -> FitResult:
        """A result from the core's JSON text (what ``to_json()`` returns)."""
        return cls(text)

    @property
    def c(self) -> float:
        """The energy at which the curve gives a 50% chance of winning."""
        value: float = self._data["c"]
        return value

    @property
    def m(self) -> float:
        """The curve's scale: energy points per unit of log-odds."""
        value: float = self._data["m"]
        return value

    @property
    def model(self) -> Model:
        """The fitted model: the base model with the learned points, caps and per-role
        overrides removed, ``status.energy_threshold = max(0, ceil(c))``."""
        from ._dealscore import Model

        return Model.from_dict(self._data["model"])

    @property
    def train(self) -> Dict[str, Any]:
        return dict(self._data["train"])

    @property
    def test(self) -> Optional[Dict[str, Any]]:
        test: Optional[Dict[str, Any]] = self._data["test"]
        return None if test is None else dict(test)

    @property
    def warnings(self) -> List[str]:
        """In words, why the table may not hold (under 40 won or lost training deals)."""
        return list(self._data["warnings"])

    @property
    def points(self) -> _pd.DataFrame:
        """One row per action, role and attendee band (model order): ``kind``, ``id``, ``base``
        and ``fitted`` points."""
        pd = _need("pandas", "FitResult.points", "pandas")
        items = self._data["points"]
        return pd.DataFrame(
            {
                "kind": pd.Series([p["kind"] for p in items], dtype=object),
                "id": pd.Series([p["id"] for p in items], dtype=object),
                "base": pd.Series([p["base"] for p in items], dtype="int64"),
                "fitted": pd.Series([p["fitted"] for p in items], dtype="int64"),
            }
        )

    @property
    def calibration(self) -> _pd.DataFrame:
        """The held-out deals (the training deals without a test set) grouped by predicted
        probability, highest first: ``deals``, mean ``predicted`` and ``observed`` win rate."""
        pd = _need("pandas", "FitResult.calibration", "pandas")
        items = self._data["calibration"]
        return pd.DataFrame(
            {
                "deals": pd.Series([g["deals"] for g in items], dtype="int64"),
                "predicted": pd.Series([g["predicted"] for g in items], dtype="float64"),
                "observed": pd.Series([g["observed"] for g in items], dtype="float64"),
            }
        )

    def to_json(self) -> str:
        return self._text

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = json.loads(self._text)
        return out

    def plot_calibration(self, ax: Optional[_Axes] = None) -> _Figure:
        """Predicted against observed win rate per calibration group (points sized by deals),
        with the diagonal a calibrated table follows. Returns the figure (matplotlib, the
        ``dealscore[plot]`` extra); draws on ``ax`` when given."""
        fig, ax = _axes(ax, (4.5, 4.5), "FitResult.plot_calibration")
        groups = self._data["calibration"]
        ax.plot([0, 1], [0, 1], color="#999999", linewidth=0.8, linestyle="--")
        ax.scatter(
            [g["predicted"] for g in groups],
            [g["observed"] for g in groups],
            s=[20 + 8 * g["deals"] for g in groups],
            color="#4c72b0",
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("predicted probability of winning")
        ax.set_ylabel("observed win rate")
        ax.set_title("Calibration of the fitted table" if groups else "No deal to calibrate on")
        fig.tight_layout()
        return fig

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FitResult) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __repr__(self) -> str:
        def auc(e: Optional[Dict[str, Any]]) -> str:
            if e is None or e["auc_fitted"] is None:
                return "None"
            return f"{e['auc_base']:.3f}→{e['auc_fitted']:.3f}"

        return f"FitResult(c={self.c:.2f}, m={self.m:.2f}, train_auc={auc(self.train)}, test_auc={auc(self.test)})"
