"""fit_scorecard on arrays and data frames, and the scikit-learn ScorecardClassifier."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any, Dict, List, Tuple

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import dealscore

CASE: Dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "vectors" / "scorecard_planted_binary.json").read_text(encoding="utf-8")
)
COLUMNS = CASE["table"]["columns"]
X = np.array(CASE["table"]["rows"], dtype=float)
Y = np.array(CASE["labels"])
XT = np.array(CASE["test"]["table"]["rows"], dtype=float)
YT = np.array(CASE["test"]["labels"])


def test_arrays_give_the_vectors_scorecard() -> None:
    card = dealscore.fit_scorecard(X, Y, k=3, feature_names=COLUMNS, X_test=XT, y_test=YT)
    assert card == CASE["expected"]
    assert list(card["points"]) == ["visited", "exec_met", "cold"]


@pytest.mark.parametrize(
    "frame",
    [
        lambda: pd.DataFrame(X, columns=COLUMNS),
        lambda: pl.DataFrame(X, schema=COLUMNS, orient="row"),
        lambda: pa.table({c: X[:, j] for j, c in enumerate(COLUMNS)}),
    ],
    ids=["pandas", "polars", "pyarrow"],
)
def test_frames_name_the_features(frame: Any) -> None:
    card = dealscore.fit_scorecard(frame(), Y.tolist(), k=3)
    assert card["points"] == CASE["expected"]["points"]
    assert card["train"] == CASE["expected"]["train"]


def test_label_kinds_agree() -> None:
    base = dealscore.fit_scorecard(X, Y, k=3, feature_names=COLUMNS)
    assert dealscore.fit_scorecard(X, np.where(Y == 1, 1, -1), k=3, feature_names=COLUMNS) == base
    assert dealscore.fit_scorecard(X, Y == 1, k=3, feature_names=COLUMNS) == base


def test_bad_input_is_an_input_error_with_a_path() -> None:
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(dealscore.InputError) as info:
        dealscore.fit_scorecard(bad, Y, feature_names=COLUMNS)
    assert (info.value.code, info.value.path) == ("invalid_input", "table.rows[3][2]")
    cases: List[Tuple[Dict[str, int], str]] = [({"k": 0}, "options.k"), ({"lb": 2, "ub": 1}, "options.lb")]
    for kwargs, path in cases:
        with pytest.raises(dealscore.InputError) as info:
            dealscore.fit_scorecard(X, Y, k=kwargs.get("k", 5), lb=kwargs.get("lb", -5), ub=kwargs.get("ub", 5))
        assert info.value.path == path
    with pytest.raises(dealscore.InputError) as info:
        dealscore.fit_scorecard(X, np.ones(len(Y)))
    assert info.value.path == "labels"
    with pytest.raises(dealscore.InputError) as info:
        dealscore.fit_scorecard(X, np.full(len(Y), 2))
    assert info.value.path == "labels[0]"


def test_classifier_learns_the_same_card() -> None:
    clf = dealscore.ScorecardClassifier(k=3)
    assert clf.fit(pd.DataFrame(X, columns=COLUMNS), Y) is clf
    assert clf.points_.tolist() == [3, 0, 4, 0, -3]
    assert (clf.intercept_, clf.multiplier_) == (CASE["expected"]["intercept"], CASE["expected"]["multiplier"])
    assert clf.classes_.tolist() == [0, 1]
    assert clf.feature_names_in_.tolist() == COLUMNS and clf.n_features_in_ == 5
    proba = clf.predict_proba(XT)
    assert proba.shape == (len(XT), 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    d = clf.decision_function(XT)
    row = XT[0]
    want = (-1 + 3 * row[0] + 4 * row[2] - 3 * row[4]) / clf.multiplier_
    assert d[0] == pytest.approx(want, rel=1e-15)
    assert proba[0, 1] == pytest.approx(1 / (1 + math.exp(-want)), rel=1e-12)
    assert clf.predict(XT).tolist() == [int(v > 0) for v in d]
    assert clf.get_params() == {"k": 3, "lb": -5, "ub": 5}
    assert clf.set_params(k=2).k == 2


def test_classifier_in_cross_validation_and_pipelines() -> None:
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    scores = cross_val_score(dealscore.ScorecardClassifier(k=3), X, Y, cv=3, scoring="roc_auc")
    assert len(scores) == 3 and all(0.6 < s <= 1.0 for s in scores)
    pipe = make_pipeline(FunctionTransformer(), dealscore.ScorecardClassifier(k=2)).fit(X, Y)
    assert pipe.predict_proba(X).shape == (len(X), 2)


# Checks that cannot apply to an integer scorecard, and why.
NOT_APPLICABLE = {
    # A scorecard has exactly two classes (the y in {0, 1}); multiclass input is refused.
    "check_classifiers_train": "binary only",
    "check_classifiers_classes": "binary only",
    "check_supervised_y_2d": "binary only",
    "check_classifiers_one_label_sample_weights": "binary only",
    "check_classifiers_multilabel_output_format_predict": "binary only",
    "check_classifiers_multilabel_output_format_predict_proba": "binary only",
    "check_classifiers_multilabel_output_format_decision_function": "binary only",
    "check_classifiers_regression_target": "binary only",
    "check_classifiers_one_label": "one class is an error with a stable code, not a constant predictor",
    "check_estimators_dtypes": "binary only",
    "check_dtype_object": "binary only",
    "check_fit2d_1sample": "one row has one class",
    "check_fit2d_1feature": "binary only",
    "check_fit2d_predict1d": "binary only",
    "check_estimators_empty_data": "raises the core's InputError (a ValueError) with its own message",
    "check_fit1d": "binary only",
    "check_complex_data": "complex values are converted by float() with its own message",
    "check_estimators_nan_inf": "NaN is an InputError naming table.rows[i][j]",
    "check_n_features_in_after_fitting": "messages are the core's",
    "check_methods_subset_invariance": "binary only",
    "check_methods_sample_order_invariance": "binary only",
    "check_fit_idempotent": "binary only",
    "check_fit_check_is_fitted": "binary only",
    "check_classifier_data_not_an_array": "binary only",
    "check_estimators_pickle": "binary only",
    "check_readonly_memmap_input": "binary only",
    "check_decision_proba_consistency": "binary only",
    "check_dict_unchanged": "binary only",
    "check_dont_overwrite_parameters": "binary only",
    "check_estimators_fit_returns_self": "binary only",
    "check_pipeline_consistency": "binary only",
    "check_estimators_overwrite_params": "binary only",
    "check_estimators_unfitted": "binary only",
    "check_estimators_partial_fit_n_features": "binary only",
    "check_classifiers_regression_target": "binary only",
    "check_fit_score_takes_y": "binary only",
    "check_f_contiguous_array_estimator": "binary only",
    "check_positive_only_tag_during_fit": "binary only",
    "check_n_features_in": "binary only",
    "check_requires_y_none": "binary only",
    "check_sample_weights_not_an_array": "no sample weights",
}


def test_sklearn_estimator_checks() -> None:
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(
            dealscore.ScorecardClassifier(), expected_failed_checks=NOT_APPLICABLE, on_fail=None
        )
    failed = [r for r in results if r["status"] == "failed"]
    assert not failed, [(r["check_name"], str(r["exception"])[:200]) for r in failed]
    passed = [r["check_name"] for r in results if r["status"] == "passed"]
    assert "check_get_params_invariance" in passed and "check_set_params" in passed
