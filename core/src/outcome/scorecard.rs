//! The integer scorecard for any numeric table (OUTCOMES §5): integer points in `[lb, ub]` on at
//! most `k` features, an integer intercept `b` and a multiplier `m > 0`, with
//! `P(y = 1) = 1 / (1 + exp(−(b + Σ points × x) / m))`, learned by the engine in
//! [`engine`] (shared with the points-table fit of §4).

pub(crate) mod engine;
mod groups;

use std::fmt;

use schemars::JsonSchema;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use self::engine::{Intercept, Problem, Sparsity, fit_integer};
use super::metrics;
use crate::error::{Error, Result};

/// Fewer training rows of a class than this give a warning (the fit still runs).
const FEW: usize = 40;

/// A label as callers give it: `0`/`1`, `false`/`true` or `-1`/`1` (one kind per table).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Label {
    Bool(bool),
    Number(f64),
}

impl From<bool> for Label {
    fn from(b: bool) -> Self {
        Label::Bool(b)
    }
}

/// Options of [`fit_scorecard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ScorecardOptions {
    /// At most this many features with non-zero points (≥ 1).
    pub k: usize,
    /// Smallest point value (≤ 0).
    pub lb: i64,
    /// Largest point value (≥ 0).
    pub ub: i64,
}

impl Default for ScorecardOptions {
    fn default() -> Self {
        ScorecardOptions { k: 5, lb: -5, ub: 5 }
    }
}

/// A numeric table with a label per row: column names, the values row by row (`rows ×
/// columns.len()`, row-major) and the labels.
#[derive(Debug, Clone, Copy)]
pub struct ScorecardTable<'a> {
    pub columns: &'a [String],
    pub values: &'a [f64],
    pub labels: &'a [Label],
}

/// The fitted scorecard, serialised as OUTCOMES §5 says (plus `warnings`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub intercept: i64,
    pub multiplier: f64,
    /// The non-zero points, in column order.
    pub points: Points,
    pub train: ScorecardEvidence,
    pub test: Option<ScorecardEvidence>,
    /// In words: each class with fewer than 40 training rows (the points are then unstable).
    pub warnings: Vec<String>,
}

/// How well the scorecard ranks and predicts one table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScorecardEvidence {
    pub rows: usize,
    /// OUTCOMES §3's exact AUC of the points total; `null` when the table has one class.
    pub auc: Option<f64>,
    /// Mean logistic loss of the predicted probabilities.
    pub logloss: f64,
}

/// Feature name → points, in column order; a JSON object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Points(pub Vec<(String, i64)>);

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, v) in &self.0 {
            map.serialize_entry(name, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Points;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of integer points")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Points, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, i64>()? {
                    out.push((k, v));
                }
                Ok(Points(out))
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl Scorecard {
    /// Each row's points total `Σ points × x` for a table with the named `columns` (every
    /// feature of the scorecard must be one of them; others are ignored).
    pub fn totals(&self, columns: &[String], values: &[f64]) -> Result<Vec<f64>> {
        let p = columns.len();
        if p == 0 || values.len() % p != 0 {
            return Err(invalid("table.rows", format!("{} values do not fill rows of {p} columns", values.len())));
        }
        let mut used = Vec::with_capacity(self.points.0.len());
        for (name, v) in &self.points.0 {
            let j = columns
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| invalid("table.columns", format!("the scorecard's feature {name:?} is not a column")))?;
            used.push((j, *v as f64));
        }
        let mut out = Vec::with_capacity(values.len() / p);
        for (i, row) in values.chunks_exact(p).enumerate() {
            let mut total = 0.0;
            for &(j, v) in &used {
                if !row[j].is_finite() {
                    return Err(invalid(format!("table.rows[{i}][{j}]"), format!("{} is not a finite number", row[j])));
                }
                total += v * row[j];
            }
            out.push(total);
        }
        Ok(out)
    }

    /// `(b + total) / m` per row: the log-odds of `y = 1`.
    pub fn decision(&self, columns: &[String], values: &[f64]) -> Result<Vec<f64>> {
        let b = self.intercept as f64;
        Ok(self.totals(columns, values)?.into_iter().map(|t| (b + t) / self.multiplier).collect())
    }

    /// `P(y = 1)` at a score `b + Σ points × x`.
    pub fn probability(&self, score: f64) -> f64 {
        groups::sigmoid(score / self.multiplier)
    }

    /// `P(y = 1)` per row.
    pub fn probabilities(&self, columns: &[String], values: &[f64]) -> Result<Vec<f64>> {
        Ok(self.decision(columns, values)?.into_iter().map(groups::sigmoid).collect())
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::InvalidInput { path: path.into(), message: message.into() }
}

/// Fits an integer scorecard on `train` (OUTCOMES §5) and measures it on `train` and, when
/// given, `test` (same columns in the same order).
///
/// Errors (`invalid_input`, with the JSON path of the request shape: `options.k`,
/// `table.rows[3][1]`, `labels[7]`, `test.table.columns` …): `k = 0`, `lb > ub`, `lb > 0` or
/// `ub < 0` (a feature left out has 0 points, so the box must hold 0), no columns or rows,
/// duplicate column names, values that do not fill the rows, NaN or infinite values, labels
/// outside 0/1, −1/1 and booleans (or mixing them), a label count that differs from the rows,
/// and training labels of one class only.
pub fn fit_scorecard(
    train: ScorecardTable<'_>,
    test: Option<ScorecardTable<'_>>,
    options: &ScorecardOptions,
) -> Result<Scorecard> {
    if options.k == 0 {
        return Err(invalid("options.k", "k must be at least 1"));
    }
    if options.lb > options.ub {
        return Err(invalid("options.lb", format!("lb = {} is above ub = {}", options.lb, options.ub)));
    }
    if options.lb > 0 {
        return Err(invalid("options.lb", format!("lb = {} is above 0: features left out have 0 points", options.lb)));
    }
    if options.ub < 0 {
        return Err(invalid("options.ub", format!("ub = {} is below 0: features left out have 0 points", options.ub)));
    }
    let (n, y) = check_table(&train, "")?;
    let p = train.columns.len();
    let positives = y.iter().filter(|&&v| v).count();
    if positives == 0 || positives == n {
        let class = if positives == 0 { "0 (negative)" } else { "1 (positive)" };
        return Err(invalid("labels", format!("every label is {class}: the fit needs both classes")));
    }
    let test = match test {
        Some(t) => {
            if t.columns != train.columns {
                return Err(invalid(
                    "test.table.columns",
                    "the test table must have the training table's columns, in order",
                ));
            }
            Some((t, check_table(&t, "test.")?.1))
        }
        None => None,
    };
    let mut warnings = Vec::new();
    for (count, class) in [(positives, "positive (1)"), (n - positives, "negative (0)")] {
        if count < FEW {
            warnings.push(format!(
                "only {count} {class} training rows (fewer than {FEW}): the points and figures are unstable"
            ));
        }
    }
    let bounds = vec![(options.lb, options.ub); p];
    let counted = vec![true; p];
    let fit = fit_integer(&Problem {
        x: train.values,
        n,
        p,
        y: &y,
        bounds: &bounds,
        sparsity: Some(Sparsity { counted: &counted, max: options.k }),
        intercept: Intercept::Integer,
    });
    let points =
        Points(train.columns.iter().zip(&fit.beta).filter(|(_, v)| **v != 0).map(|(c, &v)| (c.clone(), v)).collect());
    let mut card = Scorecard {
        intercept: fit.intercept as i64,
        multiplier: fit.multiplier,
        points,
        train: ScorecardEvidence { rows: n, auc: None, logloss: 0.0 },
        test: None,
        warnings,
    };
    card.train = card.evidence(train.columns, train.values, &y)?;
    if let Some((t, ty)) = test {
        card.test = Some(card.evidence(t.columns, t.values, &ty)?);
    }
    Ok(card)
}

impl Scorecard {
    fn evidence(&self, columns: &[String], values: &[f64], y: &[bool]) -> Result<ScorecardEvidence> {
        let totals = self.totals(columns, values)?;
        let b = self.intercept as f64;
        let p: Vec<f64> = totals.iter().map(|t| groups::sigmoid((b + t) / self.multiplier)).collect();
        Ok(ScorecardEvidence { rows: y.len(), auc: metrics::auc(&totals, y), logloss: metrics::log_loss(&p, y) })
    }
}

/// Checks a table (paths prefixed by `at`): its row count and labels as booleans.
fn check_table(t: &ScorecardTable<'_>, at: &str) -> Result<(usize, Vec<bool>)> {
    let p = t.columns.len();
    if p == 0 {
        return Err(invalid(format!("{at}table.columns"), "the table has no columns"));
    }
    for (j, c) in t.columns.iter().enumerate() {
        if t.columns[..j].contains(c) {
            return Err(invalid(format!("{at}table.columns[{j}]"), format!("column {c:?} appears more than once")));
        }
    }
    if t.values.is_empty() {
        return Err(invalid(format!("{at}table.rows"), "the table has no rows"));
    }
    if t.values.len() % p != 0 {
        return Err(invalid(
            format!("{at}table.rows"),
            format!("{} values do not fill rows of {p} columns", t.values.len()),
        ));
    }
    let n = t.values.len() / p;
    for (i, row) in t.values.chunks_exact(p).enumerate() {
        for (j, v) in row.iter().enumerate() {
            if !v.is_finite() {
                return Err(invalid(
                    format!("{at}table.rows[{i}][{j}]"),
                    format!("column {:?}: {v} is not a finite number", t.columns[j]),
                ));
            }
        }
    }
    if t.labels.len() != n {
        return Err(invalid(format!("{at}labels"), format!("{} labels for {n} rows", t.labels.len())));
    }
    Ok((n, labels(t.labels, at)?))
}

/// Labels as booleans: one kind per table (booleans, 0/1 or −1/1).
fn labels(raw: &[Label], at: &str) -> Result<Vec<bool>> {
    let (mut bools, mut numbers, mut zero, mut minus) = (false, false, false, false);
    let mut out = Vec::with_capacity(raw.len());
    for (i, l) in raw.iter().enumerate() {
        let value = match *l {
            Label::Bool(b) => {
                bools = true;
                b
            }
            Label::Number(x) => {
                numbers = true;
                zero |= x == 0.0;
                minus |= x == -1.0;
                if x != 1.0 && x != 0.0 && x != -1.0 {
                    let message = format!("{x} is not a label (0/1, -1/1 or true/false)");
                    return Err(invalid(format!("{at}labels[{i}]"), message));
                }
                x == 1.0
            }
        };
        if (bools && numbers) || (zero && minus) {
            let message = "labels mix kinds: use 0/1, -1/1 or true/false throughout";
            return Err(invalid(format!("{at}labels[{i}]"), message));
        }
        out.push(value);
    }
    Ok(out)
}
