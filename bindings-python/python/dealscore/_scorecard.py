"""Integer scorecards (OUTCOMES §5) from numpy arrays and data frames, and a scikit-learn
compatible classifier. Every number is the core's: this module only converts tables."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import _dealscore as _native


def _input_error(path: str, message: str) -> Exception:
    """An ``InputError`` as the core raises it (code ``invalid_input``, with a path)."""
    err = _native.InputError(f"invalid input at {path}: {message}")
    err.code, err.path, err.row = "invalid_input", path, None
    return err


def _table(X: Any, feature_names: Optional[Sequence[str]]) -> Tuple[List[str], List[float], int]:
    """Column names, row-major float values and the row count of an array or data frame."""
    names: Optional[List[str]] = None
    if type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            "Sparse data was passed for X, but dense data is required: a scorecard reads every value. "
            "Use X.toarray() to convert it to a dense array."
        )
    if hasattr(X, "column_names") and hasattr(X, "to_pydict"):  # pyarrow.Table
        names = [str(c) for c in X.column_names]
        columns = [X.column(i).to_pylist() for i in range(X.num_columns)]
        rows = [list(r) for r in zip(*columns)] if columns else []
    elif hasattr(X, "columns") and hasattr(X, "to_numpy"):  # pandas or polars DataFrame
        names = [str(c) for c in X.columns]
        rows = X.to_numpy().tolist()
    else:
        rows = X.tolist() if hasattr(X, "tolist") else [list(r) for r in X]
    if rows and not isinstance(rows[0], (list, tuple)):
        raise _input_error("table.rows", "X must be two-dimensional (rows × features)")
    p = len(rows[0]) if rows else (len(names) if names is not None else 0)
    if feature_names is not None:
        names = [str(n) for n in feature_names]
    if names is None:
        names = [f"x{j}" for j in range(p)]
    values: List[float] = []
    for r in rows:
        values.extend(float("nan") if v is None else float(v) for v in r)
    return names, values, len(rows)


def _labels(y: Any) -> Tuple[List[float], bool]:
    """Labels as floats, and whether they were booleans."""
    if hasattr(y, "to_pylist"):  # pyarrow array or chunked array
        raw = y.to_pylist()
    elif hasattr(y, "tolist"):
        raw = y.tolist()
    else:
        raw = list(y)
    if raw and all(isinstance(v, bool) for v in raw):
        return [1.0 if v else 0.0 for v in raw], True
    out = []
    for v in raw:
        if isinstance(v, bool):  # booleans mixed with numbers: the core names the culprit
            return [float(x) if not isinstance(x, bool) else 2.0 for x in raw], False
        out.append(float(v))
    return out, False


def fit_scorecard(
    X: Any,
    y: Any,
    k: int = 5,
    lb: int = -5,
    ub: int = 5,
    feature_names: Optional[Sequence[str]] = None,
    X_test: Any = None,
    y_test: Any = None,
) -> Dict[str, Any]:
    """An integer scorecard: at most ``k`` features with integer points in ``[lb, ub]``, an
    integer intercept ``b`` and a multiplier ``m > 0`` with
    ``P(y = 1) = 1 / (1 + exp(-(b + Σ points × x) / m))``, learned from ``X`` (numpy array, list
    of rows, pandas / polars DataFrame or pyarrow Table) and ``y`` (0/1, -1/1 or booleans).

    Returns OUTCOMES §5's dict: ``{"intercept", "multiplier", "points", "train", "test",
    "warnings"}``; ``test`` holds the figures on ``X_test``/``y_test`` when given.
    """
    names, values, _ = _table(X, feature_names)
    labels, bools = _labels(y)
    test_values = test_labels = None
    if X_test is not None:
        if y_test is None:
            raise _input_error("test.labels", "X_test needs y_test")
        _, test_values, _ = _table(X_test, names)
        test_labels, test_bools = _labels(y_test)
        if test_bools != bools:
            raise _input_error("test.labels", "another kind of label than the training labels")
    text = _native.fit_scorecard_values(names, values, labels, bools, k, lb, ub, test_values, test_labels)
    return json.loads(text)  # type: ignore[no-any-return]


class ScorecardClassifier:
    """scikit-learn estimator for :func:`fit_scorecard`.

    Learned attributes: ``points_`` (one integer per feature, 0 for those left out),
    ``intercept_``, ``multiplier_``, ``classes_``, ``feature_names_in_`` (for data frames),
    ``n_features_in_`` and ``scorecard_`` (the core's dict).
    """

    def __init__(self, k: int = 5, lb: int = -5, ub: int = 5) -> None:
        self.k = k
        self.lb = lb
        self.ub = ub

    def get_params(self, deep: bool = True) -> Dict[str, Any]:
        return {"k": self.k, "lb": self.lb, "ub": self.ub}

    def set_params(self, **params: Any) -> "ScorecardClassifier":
        for key, value in params.items():
            if key not in ("k", "lb", "ub"):
                raise ValueError(f"invalid parameter {key!r} for ScorecardClassifier")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        return f"ScorecardClassifier(k={self.k}, lb={self.lb}, ub={self.ub})"

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import ClassifierTags, Tags, TargetTags

        tags = Tags(estimator_type="classifier", target_tags=TargetTags(required=True),
                    classifier_tags=ClassifierTags(multi_class=False))
        return tags

    def fit(self, X: Any, y: Any) -> "ScorecardClassifier":
        names, values, n = _table(X, None)
        # scikit-learn's own wording for empty input, which its estimator checks look for.
        if n == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape=(0, {len(names)})) while a minimum of 1 is required.")
        if not names:
            raise ValueError(f"0 feature(s) (shape=({n}, 0)) while a minimum of 1 is required.")
        frame = hasattr(X, "columns") or hasattr(X, "column_names")
        raw = y.to_pylist() if hasattr(y, "to_pylist") else (y.tolist() if hasattr(y, "tolist") else list(y))
        if len(raw) != n:
            raise ValueError(f"y has {len(raw)} labels for {n} rows")
        classes = sorted(set(raw))
        if len(classes) > 2:
            raise ValueError(
                "Only binary classification is supported. The type of the target is multiclass "
                f"({len(classes)} classes; a scorecard has two)."
            )
        if len(classes) < 2:
            raise ValueError("y has one class only: the fit needs both classes")
        # The greater class is y = 1 (as scikit-learn's LogisticRegression takes classes_[1]).
        labels = [1.0 if v == classes[1] else 0.0 for v in raw]
        card = json.loads(_native.fit_scorecard_values(names, values, labels, False, self.k, self.lb, self.ub))
        self.scorecard_ = card
        self.classes_ = _array(classes)
        self.n_features_in_ = len(names)
        if frame:
            self.feature_names_in_ = _array(names, object)
        self._names = names
        self.points_ = _array([card["points"].get(c, 0) for c in names])
        self.intercept_ = card["intercept"]
        self.multiplier_ = card["multiplier"]
        return self

    def _check(self, X: Any) -> Tuple[List[str], List[float]]:
        if not hasattr(self, "scorecard_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this ScorecardClassifier is not fitted yet: call fit first")
        names, values, n = _table(X, None)
        p = len(values) // n if n else len(names)
        if p != self.n_features_in_:
            raise ValueError(f"X has {p} features, the scorecard was fitted on {self.n_features_in_}")
        return self._names, values

    def decision_function(self, X: Any) -> Any:
        """``(b + Σ points × x) / m``: the log-odds of the second class."""
        names, values = self._check(X)
        return _array(_native.scorecard_decision(json.dumps(self.scorecard_), names, values))

    def predict_proba(self, X: Any) -> Any:
        """Shape (n, 2): the probability of ``classes_[0]`` and of ``classes_[1]``."""
        names, values = self._check(X)
        p = _native.scorecard_probabilities(json.dumps(self.scorecard_), names, values)
        return _array([[1.0 - q, q] for q in p])

    def predict(self, X: Any) -> Any:
        d = self.decision_function(X)
        return self.classes_[(d > 0).astype(int)]

    def score(self, X: Any, y: Any) -> float:
        """Accuracy, as scikit-learn classifiers report."""
        pred = self.predict(X)
        truth = y.tolist() if hasattr(y, "tolist") else list(y)
        return float(sum(1 for a, b in zip(pred.tolist(), truth) if a == b) / len(truth))


def _array(values: Any, dtype: Any = None) -> Any:
    import numpy as np

    return np.asarray(values, dtype=dtype)
