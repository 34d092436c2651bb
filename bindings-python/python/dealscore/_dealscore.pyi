# Hand-written stub of the native module (src/*.rs); checked by `python -m mypy.stubtest dealscore`.
# Results cross as the core's JSON shape (dicts and lists); the package wraps them in typed objects.

from os import PathLike
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, final

import pyarrow

__all__ = [
    "DealscoreError",
    "ModelError",
    "InputError",
    "NotMaintainerError",
    "DEFAULT_MODEL_TOML",
    "__version__",
    "Model",
    "Scorer",
    "QaIndex",
    "score",
    "explain",
    "explain_activity",
    "stale",
    "quality",
    "next_steps",
    "recipients",
    "on_report",
    "score_json",
    "fit_scorecard_json",
    "fit_scorecard_values",
    "scorecard_decision",
    "scorecard_probabilities",
    "explain_json",
    "stale_json",
    "score_frame",
    "backtest",
    "backtest_frame",
    "backtest_json",
    "fit",
    "fit_json",
    "merge_backtests",
    "frame_schema",
    "model_schema",
    "normalize_title",
    "tokenize",
]

__version__: str
DEFAULT_MODEL_TOML: str

class DealscoreError(ValueError):
    """Base of every dealscore error."""

    code: str
    path: Optional[str]
    row: Optional[int]

class ModelError(DealscoreError): ...
class InputError(DealscoreError): ...
class NotMaintainerError(DealscoreError): ...

@final
class Model:
    """A validated scoring model, or a named set of them."""

    @staticmethod
    def default() -> Model: ...
    @staticmethod
    def from_toml(text: str) -> Model: ...
    @staticmethod
    def from_json(text: str) -> Model: ...
    @staticmethod
    def from_dict(value: Mapping[str, Any]) -> Model: ...
    @staticmethod
    def from_file(path: Union[str, PathLike[str]]) -> Model: ...
    def to_dict(self) -> Dict[str, Any]: ...
    @property
    def default_name(self) -> str: ...
    @property
    def names(self) -> List[str]: ...
    def __reduce__(self) -> Tuple[Any, Tuple[str]]: ...

@final
class Scorer:
    def __new__(cls, deals: Sequence[Mapping[str, Any]], model: Optional[Model] = None) -> Scorer: ...
    def add(self, activity: Mapping[str, Any]) -> None: ...
    def replace(self, activity: Mapping[str, Any]) -> None: ...
    def remove(self, id: str) -> Any: ...
    def upsert_deal(self, deal: Mapping[str, Any]) -> None: ...
    def report(self, deal: str, as_of: str) -> Dict[str, Any]: ...
    def report_all(self, as_of: str) -> List[Dict[str, Any]]: ...
    def explain(self, deal: str, as_of: str) -> List[Dict[str, Any]]: ...
    def deal_ids(self) -> List[str]: ...
    def __len__(self) -> int: ...

@final
class QaIndex:
    def __new__(cls, entries: Sequence[Mapping[str, Any]], model: Optional[Model] = None) -> QaIndex: ...
    @staticmethod
    def from_json(text: str, model: Optional[Model] = None) -> QaIndex: ...
    @staticmethod
    def from_jsonl(text: str, model: Optional[Model] = None) -> QaIndex: ...
    @staticmethod
    def from_csv(text: str, model: Optional[Model] = None) -> QaIndex: ...
    def search(self, question: str, stage: Optional[str] = None, k: int = 5) -> List[Dict[str, Any]]: ...
    def ask(
        self, question: str, deal: Optional[Mapping[str, Any]] = None, stage: Optional[str] = None, k: int = 5
    ) -> Dict[str, Any]: ...
    def entries(self) -> List[Dict[str, Any]]: ...
    def __len__(self) -> int: ...

def score(
    activities: Sequence[Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    as_of: str,
    model: Optional[Model] = None,
) -> List[Dict[str, Any]]: ...
def explain(
    activities: Sequence[Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    as_of: str,
    model: Optional[Model] = None,
) -> List[Dict[str, Any]]: ...
def explain_activity(
    activity: Mapping[str, Any], deal_model: Optional[str] = None, model: Optional[Model] = None
) -> Dict[str, Any]: ...
def stale(
    activities: Sequence[Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    as_of: str,
    days: Optional[int] = None,
    basis: str = "contact",
    model: Optional[Model] = None,
) -> Dict[str, Any]: ...
def quality(deal: Mapping[str, Any], as_of: str, model: Optional[Model] = None) -> Optional[Dict[str, Any]]: ...
def next_steps(deal: Mapping[str, Any], done: List[str], model: Optional[Model] = None) -> Dict[str, Any]: ...
def recipients(deal: Mapping[str, Any], activity: Mapping[str, Any]) -> List[str]: ...
def on_report(
    report: Mapping[str, Any],
    activities: Sequence[Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    as_of: str,
    deal: Optional[str] = None,
    model: Optional[Model] = None,
) -> Dict[str, Any]: ...
def score_json(request: str, model: Optional[Model] = None) -> str:
    """JSON text in (``{model?, deals?, activities, as_of}``), the core's JSON text out."""
def explain_json(request: str, model: Optional[Model] = None) -> str: ...
def stale_json(request: str, model: Optional[Model] = None) -> str: ...
def score_frame(
    activities: Any,
    deals: Sequence[Mapping[str, Any]],
    as_of: str,
    model: Optional[Model] = None,
    rows: Optional[int] = None,
    threads: Optional[int] = None,
) -> pyarrow.Table: ...
def backtest(
    activities: Sequence[Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any],
    model: Optional[Model] = None,
) -> str:
    """The backtest's JSON text; ``options`` is ``{horizon_days?, as_of?, bins?}``."""

def backtest_frame(
    activities: Any,
    deals: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any],
    model: Optional[Model] = None,
    rows: Optional[int] = None,
    threads: Optional[int] = None,
) -> str: ...
def backtest_json(request: str, model: Optional[Model] = None) -> str:
    """JSON text in (``{model?, deals, activities, horizon_days?, as_of?, bins?}``), the core's JSON text out."""

def merge_backtests(parts: Sequence[str], bins: Optional[int] = None) -> str: ...
def fit(
    activities: Sequence[Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any],
    model: Optional[Model] = None,
) -> str:
    """The fit's JSON text; ``options`` is ``{horizon_days?, as_of?, train_before?, max_points?, max_nonzero?, model?}``."""

def fit_json(request: str, model: Optional[Model] = None) -> str:
    """JSON text in (``{model?, deals, activities, options?}``), the core's JSON text out."""

def frame_schema() -> pyarrow.Schema:
    """The schema of ``score_frame``'s result."""

def model_schema() -> Dict[str, Any]:
    """JSON Schema of the model file."""

def normalize_title(title: str) -> str:
    """A job title as the alias table sees it (NFKC, lower-case, trimmed)."""

def tokenize(text: str) -> List[str]:
    """The Q&A tokenizer: NFKC, lower-case, CJK bigrams, word tokens."""

def fit_scorecard_json(request: str) -> str: ...
def fit_scorecard_values(
    columns: Sequence[str],
    values: Sequence[float],
    labels: Sequence[float],
    bool_labels: bool,
    k: int,
    lb: int,
    ub: int,
    test_values: Optional[Sequence[float]] = None,
    test_labels: Optional[Sequence[float]] = None,
) -> str: ...
def scorecard_decision(card: str, columns: Sequence[str], values: Sequence[float]) -> List[float]: ...
def scorecard_probabilities(card: str, columns: Sequence[str], values: Sequence[float]) -> List[float]: ...
