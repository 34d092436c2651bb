//! The integer scorecard for any numeric table (OUTCOMES §5): integer points in `[lb, ub]` on at
//! most `k` features, an integer intercept `b` and a multiplier `m > 0`, with
//! `P(y = 1) = 1 / (1 + exp(−(b + Σ points × x) / m))`, learned by the engine in
//! [`engine`] (shared with the points-table fit of §4).

// The optimiser is written in the notation of the papers it follows (x, y, z, β, b, m; loops
// over indices that address several arrays at once).
#[allow(clippy::many_single_char_names, clippy::needless_range_loop, clippy::unused_self, clippy::if_not_else)]
pub(crate) mod engine;
#[allow(clippy::many_single_char_names, clippy::needless_range_loop)]
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
    #[schemars(extend("enum" = [-1, 0, 1]))]
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
    #[schemars(range(min = 1))]
    pub k: usize,
    /// Smallest point value (≤ 0).
    #[schemars(range(max = 0))]
    pub lb: i64,
    /// Largest point value (≥ 0).
    #[schemars(range(min = 0))]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
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

impl JsonSchema for Points {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Points".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": {"type": "integer", "format": "int64"},
            "description": "Feature name → non-zero integer points, in column order"
        })
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
        if p == 0 || !values.len().is_multiple_of(p) {
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
    fit_scorecard_until(train, test, options, &|| false)
}

/// [`fit_scorecard`] that asks `stop` between the steps of the search and gives up with
/// [`Error::Stopped`](crate::Error::Stopped) when it says yes.
pub fn fit_scorecard_until(
    train: ScorecardTable<'_>,
    test: Option<ScorecardTable<'_>>,
    options: &ScorecardOptions,
    stop: &dyn Fn() -> bool,
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
    let fit = fit_integer(
        &Problem {
            x: train.values,
            n,
            p,
            y: &y,
            bounds: &bounds,
            sparsity: Some(Sparsity { counted: &counted, max: options.k }),
            intercept: Intercept::Integer,
        },
        stop,
    )?;
    let points =
        Points(train.columns.iter().zip(&fit.beta).filter(|(_, v)| **v != 0).map(|(c, &v)| (c.clone(), v)).collect());
    // The engine keeps the intercept an integer within ±2⁵³, so the conversion is exact.
    debug_assert!(fit.intercept.fract() == 0.0 && fit.intercept.abs() <= 9_007_199_254_740_992.0);
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
    if !t.values.len().is_multiple_of(p) {
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

#[cfg(test)]
#[allow(clippy::many_single_char_names)]
mod tests {
    use super::*;

    /// A deterministic stream of uniforms in [0, 1) (splitmix64).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as f64 / 2f64.powi(64)
        }
    }

    /// `n` rows of `p` binary features, labels drawn from the planted scorecard.
    fn planted(
        n: usize,
        p: usize,
        points: &[(usize, i64)],
        b: i64,
        m: f64,
        seed: u64,
    ) -> (Vec<String>, Vec<f64>, Vec<Label>) {
        let mut rng = Rng(seed);
        let columns = (0..p).map(|j| format!("f{j}")).collect();
        let mut values = Vec::with_capacity(n * p);
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let row: Vec<f64> = (0..p).map(|_| if rng.next() < 0.4 { 1.0 } else { 0.0 }).collect();
            let score = b as f64 + points.iter().map(|&(j, v)| v as f64 * row[j]).sum::<f64>();
            labels.push(Label::Number(if rng.next() < groups::sigmoid(score / m) { 1.0 } else { 0.0 }));
            values.extend(row);
        }
        (columns, values, labels)
    }

    fn table<'a>(c: &'a [String], v: &'a [f64], l: &'a [Label]) -> ScorecardTable<'a> {
        ScorecardTable { columns: c, values: v, labels: l }
    }

    #[test]
    fn a_planted_scorecard_is_recovered() {
        let truth = [(1, 3), (3, -2), (4, 4), (7, -1)];
        let (c, v, l) = planted(20_000, 10, &truth, -1, 1.5, 7);
        let options = ScorecardOptions { k: 4, lb: -5, ub: 5 };
        let card = fit_scorecard(table(&c, &v, &l), None, &options).unwrap();
        let got: Vec<(String, i64)> = card.points.0.clone();
        let want: Vec<(String, i64)> = truth.iter().map(|&(j, p)| (format!("f{j}"), p)).collect();
        assert_eq!(got, want);
        assert_eq!(card.intercept, -1);
        assert!((card.multiplier - 1.5).abs() < 0.1, "m = {}", card.multiplier);
        assert!(card.warnings.is_empty());
        // The planted truth's own figures on the same rows: the fit is as good.
        let truth_card = Scorecard { points: Points(want), intercept: -1, multiplier: 1.5, ..card.clone() };
        let y: Vec<bool> = l.iter().map(|l| *l == Label::Number(1.0)).collect();
        let truth_evidence = truth_card.evidence(&c, &v, &y).unwrap();
        assert_eq!(card.train.auc, truth_evidence.auc);
        assert!(card.train.logloss <= truth_evidence.logloss);
    }

    #[test]
    fn constraints_hold_and_output_is_deterministic() {
        let (c, v, l) = planted(3_000, 12, &[(0, 5), (2, -4), (5, 3), (6, 2), (9, -3), (11, 1)], 0, 0.8, 11);
        let options = ScorecardOptions { k: 3, lb: -2, ub: 4 };
        let a = fit_scorecard(table(&c, &v, &l), None, &options).unwrap();
        assert!(a.points.0.len() <= 3);
        assert!(a.points.0.iter().all(|(_, p)| (-2..=4).contains(p) && *p != 0));
        assert!(a.multiplier > 0.0);
        let b = fit_scorecard(table(&c, &v, &l), None, &options).unwrap();
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }

    #[test]
    fn label_kinds_give_the_same_scorecard() {
        let (c, v, l) = planted(500, 5, &[(0, 2), (3, -2)], 0, 1.0, 3);
        let o = ScorecardOptions::default();
        let zero_one = fit_scorecard(table(&c, &v, &l), None, &o).unwrap();
        let minus: Vec<Label> =
            l.iter().map(|x| if *x == Label::Number(1.0) { *x } else { Label::Number(-1.0) }).collect();
        let bools: Vec<Label> = l.iter().map(|x| Label::Bool(*x == Label::Number(1.0))).collect();
        assert_eq!(fit_scorecard(table(&c, &v, &minus), None, &o).unwrap(), zero_one);
        assert_eq!(fit_scorecard(table(&c, &v, &bools), None, &o).unwrap(), zero_one);
    }

    #[test]
    fn json_has_the_contract_shape_and_test_figures() {
        let (c, v, l) = planted(400, 4, &[(1, 2)], -1, 1.0, 5);
        let (tv, tl) = (&v[..40], &l[..10]);
        let card = fit_scorecard(table(&c, &v, &l), Some(table(&c, tv, tl)), &ScorecardOptions::default()).unwrap();
        let json = serde_json::to_value(&card).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["intercept", "multiplier", "points", "train", "test", "warnings"]);
        let text = serde_json::to_string(&card).unwrap();
        assert!(text.starts_with(r#"{"intercept":"#), "{text}");
        assert!(text.contains(r#""test":{"rows":10,"auc":"#), "{text}");
        assert_eq!(card.test.unwrap().rows, 10);
        let back: Scorecard = serde_json::from_str(&text).unwrap();
        assert_eq!(back.points, card.points);
    }

    #[test]
    fn few_rows_of_a_class_warn() {
        let c = vec!["a".to_owned()];
        let v: Vec<f64> = (0..50).map(|i| f64::from(i % 3)).collect();
        let l: Vec<Label> = (0..50).map(|i| Label::Bool(i % 5 == 0)).collect();
        let card = fit_scorecard(table(&c, &v, &l), None, &ScorecardOptions::default()).unwrap();
        assert_eq!(card.warnings.len(), 1);
        assert!(card.warnings[0].starts_with("only 10 positive (1) training rows"), "{:?}", card.warnings);
    }

    fn error(c: &[&str], v: &[f64], l: &[Label], o: ScorecardOptions) -> (String, String) {
        let c: Vec<String> = c.iter().map(|s| (*s).to_owned()).collect();
        let e = fit_scorecard(table(&c, v, l), None, &o).unwrap_err();
        (e.code().to_owned(), e.path().unwrap_or("").to_owned())
    }

    #[test]
    fn bad_input_is_named() {
        let n = |x: f64| Label::Number(x);
        let ok = [n(0.0), n(1.0)];
        let o = ScorecardOptions::default();
        let err = |c: &[&str], v: &[f64], l: &[Label], o| error(c, v, l, o).1;
        assert_eq!(err(&["a"], &[1.0, 2.0], &ok, ScorecardOptions { k: 0, ..o }), "options.k");
        assert_eq!(err(&["a"], &[1.0, 2.0], &ok, ScorecardOptions { lb: 2, ub: 1, ..o }), "options.lb");
        assert_eq!(err(&["a"], &[1.0, 2.0], &ok, ScorecardOptions { lb: 1, ub: 3, ..o }), "options.lb");
        assert_eq!(err(&["a"], &[1.0, 2.0], &ok, ScorecardOptions { lb: -3, ub: -1, ..o }), "options.ub");
        assert_eq!(err(&[], &[], &[], o), "table.columns");
        assert_eq!(err(&["a", "a"], &[1.0, 2.0], &ok[..1], o), "table.columns[1]");
        assert_eq!(err(&["a"], &[], &[], o), "table.rows");
        assert_eq!(err(&["a", "b"], &[1.0, 2.0, 3.0], &ok, o), "table.rows");
        assert_eq!(err(&["a", "b"], &[1.0, 2.0, 3.0, f64::NAN], &ok, o), "table.rows[1][1]");
        assert_eq!(err(&["a"], &[f64::INFINITY, 2.0], &ok, o), "table.rows[0][0]");
        assert_eq!(err(&["a"], &[1.0, 2.0], &ok[..1], o), "labels");
        assert_eq!(err(&["a"], &[1.0, 2.0], &[n(0.0), n(2.0)], o), "labels[1]");
        assert_eq!(err(&["a"], &[1.0, 2.0, 3.0], &[n(0.0), n(1.0), n(-1.0)], o), "labels[2]");
        assert_eq!(err(&["a"], &[1.0, 2.0], &[Label::Bool(true), n(0.0)], o), "labels[1]");
        assert_eq!(err(&["a"], &[1.0, 2.0], &[n(1.0), n(1.0)], o), "labels");
        assert_eq!(err(&["a"], &[1.0, 2.0], &[n(-1.0), n(-1.0)], o), "labels");
        assert_eq!(error(&["a"], &[1.0, 2.0], &[n(1.0), n(1.0)], o).0, "invalid_input");
    }

    #[test]
    fn a_test_table_must_have_the_same_columns() {
        let c = vec!["a".to_owned(), "b".to_owned()];
        let c2 = vec!["b".to_owned(), "a".to_owned()];
        let v = [0.0, 1.0, 1.0, 0.0];
        let l = [Label::Number(0.0), Label::Number(1.0)];
        let e = fit_scorecard(table(&c, &v, &l), Some(table(&c2, &v, &l)), &ScorecardOptions::default()).unwrap_err();
        assert_eq!(e.path(), Some("test.table.columns"));
        let e =
            fit_scorecard(table(&c, &v, &l), Some(table(&c, &v[..3], &l)), &ScorecardOptions::default()).unwrap_err();
        assert_eq!(e.path(), Some("test.table.rows"));
    }
}
