//! Request shapes shared by every front end (bindings, Web API, CLI): one serde struct per
//! operation, so JSON-in/JSON-out glue is written once, here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{Activity, Deal};
use crate::model::compiled::ModelSet;
use crate::score::stale::StaleBasis;

/// An error as plain data: what every front end shows callers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code (`unknown_action`, …).
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl From<&Error> for ErrorBody {
    fn from(e: &Error) -> Self {
        ErrorBody { code: e.code().to_owned(), message: e.to_string(), path: e.path().map(str::to_owned) }
    }
}

/// The model of a request: inline (a model or model set) or the caller's default.
fn models(inline: Option<&serde_json::Value>, fallback: &ModelSet) -> Result<ModelSet> {
    match inline {
        Some(v) => ModelSet::from_value(v.clone()),
        None => Ok(fallback.clone()),
    }
}

/// Input of `score`, `explain` and `stale`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    /// An inline model or model set; the server's or the embedded default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<serde_json::Value>,
    #[serde(default)]
    pub deals: Vec<Deal>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    pub as_of: Date,
    /// `stale` only: threshold in days for every deal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// `stale` only: what counts as contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<StaleBasis>,
}

impl ScoreRequest {
    pub fn score(&self, default: &ModelSet) -> Result<Vec<crate::DealReport>> {
        crate::score_all(&models(self.model.as_ref(), default)?, &self.deals, &self.activities, self.as_of)
    }

    pub fn explain(&self, default: &ModelSet) -> Result<Vec<crate::Explanation>> {
        crate::explain(&models(self.model.as_ref(), default)?, &self.deals, &self.activities, self.as_of)
    }

    pub fn stale(&self, default: &ModelSet) -> Result<crate::StaleReport> {
        let options = crate::StaleOptions { days: self.days, basis: self.basis.unwrap_or_default() };
        crate::stale(&models(self.model.as_ref(), default)?, &self.deals, &self.activities, self.as_of, options)
    }
}

/// Input of `backtest` (OUTCOMES.md §2–3): the deals with their outcomes, their activities, and
/// the snapshot rule (`horizon_days`, or `as_of` for a cohort) and lift groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BacktestRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<serde_json::Value>,
    #[serde(default)]
    pub deals: Vec<Deal>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// Horizon mode: each closed deal scored this many days before it closed (default 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// Cohort mode: deals closed after this date, scored as of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Lift groups, 1–100 (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bins: Option<u32>,
}

impl BacktestRequest {
    pub fn run(&self, default: &ModelSet) -> Result<crate::Backtest> {
        let options = crate::BacktestOptions { horizon_days: self.horizon_days, as_of: self.as_of, bins: self.bins };
        crate::backtest(&models(self.model.as_ref(), default)?, &self.deals, &self.activities, &options)
            .map_err(at_top_level)
    }
}

/// The options are top-level keys of a request: an option error's path (`options.bins`) names
/// the key the caller wrote (`bins`).
fn at_top_level(e: Error) -> Error {
    match e {
        Error::InvalidInput { path, message } => {
            let path = path.strip_prefix("options.").map_or(path.clone(), str::to_owned);
            Error::InvalidInput { path, message }
        }
        other => other,
    }
}

/// Input of `fit` (OUTCOMES.md §4): the deals with their outcomes, their activities, and the
/// options (snapshot rule, split, bounds) under `options`, as `fit_scorecard`'s request has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<serde_json::Value>,
    #[serde(default)]
    pub deals: Vec<Deal>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub options: crate::FitOptions,
}

impl FitRequest {
    pub fn run(&self, default: &ModelSet) -> Result<crate::Fit> {
        self.run_until(default, &|| false)
    }

    /// [`run`](Self::run) that gives up with `Error::Stopped` when `stop` says yes.
    pub fn run_until(&self, default: &ModelSet, stop: &dyn Fn() -> bool) -> Result<crate::Fit> {
        crate::fit_until(&models(self.model.as_ref(), default)?, &self.deals, &self.activities, &self.options, stop)
    }
}

/// Input of `quality`: one deal's events replayed as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct QualityRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<serde_json::Value>,
    pub deal: Deal,
    pub as_of: Date,
}

impl QualityRequest {
    pub fn run(&self, default: &ModelSet) -> Result<Option<crate::QualityReport>> {
        crate::quality(&models(self.model.as_ref(), default)?, &self.deal, self.as_of)
    }
}

/// Input of `next_steps`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct NextStepsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<serde_json::Value>,
    pub deal: Deal,
    /// Exit criteria already done.
    #[serde(default)]
    pub done: Vec<String>,
}

impl NextStepsRequest {
    pub fn run(&self, default: &ModelSet) -> Result<crate::NextSteps> {
        crate::next_steps(&models(self.model.as_ref(), default)?, &self.deal, &self.done)
    }
}

/// Input of `recipients`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct RecipientsRequest {
    pub deal: Deal,
    pub activity: Activity,
}

impl RecipientsRequest {
    pub fn run(&self) -> Result<Vec<String>> {
        crate::recipients(&self.deal, &self.activity)
    }
}

/// Input of `on_report` (`POST /v1/reports`): a new daily report (日報) with its deal's history,
/// as score requests take them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// An inline model or model set; the server's or the embedded default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<serde_json::Value>,
    /// Deal records; the reported deal's must be among them (it names whom to notify).
    #[serde(default)]
    pub deals: Vec<Deal>,
    /// The deal reported on; the report's `deal` when absent (a report for another deal is
    /// `deal_mismatch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    /// The activities recorded so far (the deal's history).
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// The new activity report.
    pub report: Activity,
    pub as_of: Date,
}

impl ReportRequest {
    pub fn run(&self, default: &ModelSet) -> Result<crate::ReportNotice> {
        let models = models(self.model.as_ref(), default)?;
        crate::notify::notice(&models, &self.deals, self.deal.as_deref(), &self.activities, &self.report, self.as_of)
    }
}

/// Input of a Q&A search against a knowledge base the caller holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct QaRequest {
    /// Must hold at least one word (a letter or digit).
    #[schemars(pattern(r"\S"))]
    pub question: String,
    /// The stage asked at; the deal's stage when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The deal, so an unanswered question names the members who can answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<Deal>,
    /// How many answers at most.
    #[serde(default = "default_k")]
    #[schemars(range(max = crate::qa::MAX_K))]
    pub k: usize,
}

fn default_k() -> usize {
    5
}

impl QaRequest {
    pub fn run(&self, models: &ModelSet, index: &crate::qa::QaIndex) -> Result<crate::qa::QaAnswer> {
        crate::qa::ask(models, index, self.deal.as_ref(), self.stage.as_deref(), &self.question, self.k)
    }
}

/// A numeric table as JSON: column names and rows of numbers (`null` cells are rejected).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableJson {
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    pub columns: Vec<String>,
    // `Option` so that a `null` cell is named by its path; the schema says numbers.
    #[schemars(with = "Vec<Vec<f64>>", length(min = 1))]
    pub rows: Vec<Vec<Option<f64>>>,
}

impl TableJson {
    /// The values row-major, checking each row's length and that no cell is `null` (paths
    /// prefixed by `at`).
    fn values(&self, at: &str) -> Result<Vec<f64>> {
        let p = self.columns.len();
        let mut out = Vec::with_capacity(self.rows.len() * p);
        for (i, row) in self.rows.iter().enumerate() {
            if row.len() != p {
                return Err(Error::InvalidInput {
                    path: format!("{at}table.rows[{i}]"),
                    message: format!("{} values for {p} columns", row.len()),
                });
            }
            for (j, v) in row.iter().enumerate() {
                out.push(v.ok_or_else(|| Error::InvalidInput {
                    path: format!("{at}table.rows[{i}][{j}]"),
                    message: format!("column {:?}: null is not a number", self.columns[j]),
                })?);
            }
        }
        Ok(out)
    }
}

/// A test table with its labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelledTable {
    pub table: TableJson,
    #[schemars(length(min = 1))]
    pub labels: Vec<crate::Label>,
}

/// Input of `fit_scorecard` (OUTCOMES §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardRequest {
    pub table: TableJson,
    #[schemars(length(min = 1))]
    pub labels: Vec<crate::Label>,
    #[serde(default)]
    pub options: crate::ScorecardOptions,
    /// A table with the same columns to measure the scorecard on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<LabelledTable>,
}

impl ScorecardRequest {
    pub fn run(&self) -> Result<crate::Scorecard> {
        self.run_until(&|| false)
    }

    /// [`run`](Self::run) that gives up with `Error::Stopped` when `stop` says yes.
    pub fn run_until(&self, stop: &dyn Fn() -> bool) -> Result<crate::Scorecard> {
        let train = self.table.values("")?;
        let test = match &self.test {
            Some(t) => Some((t, t.table.values("test.")?)),
            None => None,
        };
        crate::fit_scorecard_until(
            crate::ScorecardTable { columns: &self.table.columns, values: &train, labels: &self.labels },
            test.as_ref().map(|(t, v)| crate::ScorecardTable {
                columns: &t.table.columns,
                values: v,
                labels: &t.labels,
            }),
            &self.options,
            stop,
        )
    }
}

/// Parses a request from JSON text and runs `f`, returning JSON text: the whole round trip a
/// binding's bulk path needs.
pub fn json_call<Req, Out>(text: &str, f: impl FnOnce(&Req) -> Result<Out>) -> Result<String>
where
    Req: serde::de::DeserializeOwned,
    Out: Serialize,
{
    let req: Req = crate::from_json(text)?;
    let out = f(&req)?;
    serde_json::to_string(&out).map_err(|e| Error::InvalidInput { path: "$".into(), message: e.to_string() })
}

/// `score` on a JSON request body, returning the reports as JSON text: the fastest way to score
/// a large request. When `as_of` (and any `model` and `deals`) come before `activities`, each
/// activity is checked and resolved as soon as it is parsed and never held as an object (a
/// million activities as objects take about a gigabyte); otherwise, and for any input that is
/// not valid, this is `json_call` with [`ScoreRequest::score`], which also gives the exact error.
pub fn score_json(body: &[u8], default: &ModelSet) -> Result<String> {
    let reports = match streamed::score(body, default) {
        Some(reports) => reports,
        None => {
            let text = std::str::from_utf8(body).map_err(|e| Error::InvalidInput {
                path: "$".into(),
                message: format!("the JSON text is not UTF-8: {e}"),
            })?;
            crate::from_json::<ScoreRequest>(text)?.score(default)?
        }
    };
    serde_json::to_string(&reports).map_err(|e| Error::InvalidInput { path: "$".into(), message: e.to_string() })
}

/// The streaming half of [`score_json`]: `None` means "take the general path".
mod streamed {
    use std::fmt;

    use serde::Deserializer as _;
    use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

    use crate::date::Date;
    use crate::ingest::batch::BatchScorer;
    use crate::input::{Activity, Deal};
    use crate::model::compiled::ModelSet;
    use crate::score::report::DealReport;
    use crate::score::stale::StaleBasis;

    pub(super) fn score(body: &[u8], default: &ModelSet) -> Option<Vec<DealReport>> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let batch = (&mut de).deserialize_map(Request { default }).ok()?;
        de.end().ok()?;
        batch.finish().ok()
    }

    /// The request object, read field by field (the fields of [`super::ScoreRequest`]).
    struct Request<'m> {
        default: &'m ModelSet,
    }

    /// Not an error the caller sees: the general path runs instead and reports the real one.
    fn general<E: serde::de::Error>() -> E {
        E::custom("take the general path")
    }

    impl<'de> Visitor<'de> for Request<'_> {
        type Value = BatchScorer<'static>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a score request")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut model, mut deals, mut as_of) = (None::<serde_json::Value>, None::<Vec<Deal>>, None::<Date>);
            let mut batch = None;
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                match (key.as_ref(), batch.is_some()) {
                    ("model", false) if model.is_none() => model = Some(map.next_value()?),
                    ("deals", false) if deals.is_none() => deals = Some(map.next_value()?),
                    ("as_of", _) if as_of.is_none() => as_of = Some(map.next_value()?),
                    ("days", _) => drop(map.next_value::<Option<u32>>()?),
                    ("basis", _) => drop(map.next_value::<Option<StaleBasis>>()?),
                    ("activities", false) => {
                        let as_of = as_of.ok_or_else(general)?;
                        let models = super::models(model.as_ref(), self.default).map_err(|_| general())?;
                        let scorer = BatchScorer::new(&models, deals.take().unwrap_or_default(), as_of)
                            .map_err(|_| general())?;
                        batch = Some(map.next_value_seed(PushAll(scorer))?);
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                        return Err(general());
                    }
                }
            }
            batch.ok_or_else(general)
        }
    }

    /// The `activities` array, each element pushed as soon as it is parsed.
    struct PushAll(BatchScorer<'static>);

    impl<'de> DeserializeSeed<'de> for PushAll {
        type Value = BatchScorer<'static>;

        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for PushAll {
        type Value = BatchScorer<'static>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of activities")
        }

        fn visit_seq<S: SeqAccess<'de>>(mut self, mut seq: S) -> Result<Self::Value, S::Error> {
            if let Some(n) = seq.size_hint() {
                self.0.reserve(n);
            }
            while let Some(a) = seq.next_element::<Activity>()? {
                self.0.push(&a).map_err(|_| general::<S::Error>())?;
            }
            Ok(self.0)
        }
    }
}

crate::model::parse::objects_only! {
    ScoreRequest => "a request (a JSON object)",
    QualityRequest => "a request (a JSON object)",
    NextStepsRequest => "a request (a JSON object)",
    RecipientsRequest => "a request (a JSON object)",
    QaRequest => "a request (a JSON object)",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_round_trip_through_json_text() {
        let text = r#"{"as_of": "2026-11-27", "activities": [
            {"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["called_us"], "contacts": []}]}"#;
        let out = json_call(text, |r: &ScoreRequest| r.score(&ModelSet::embedded())).unwrap();
        assert!(out.starts_with(r#"[{"deal":"D","as_of":"2026-11-27","energy":{"total":8,"#), "{out}");
    }

    /// The streamed path and the general one give the same bytes, whatever the key order, and
    /// the general path's exact error when the input is bad.
    #[test]
    fn score_json_streams_or_falls_back_with_the_same_answer() {
        let acts = r#"[{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["called_us"], "contacts": []},
                      {"id": "b", "deal": "E", "date": "2026-11-20", "actions": ["visited_us"], "contacts": []}]"#;
        let deals = r#"[{"id": "D", "stage": "proposal"}]"#;
        let models = ModelSet::embedded();
        let general = |text: &str| json_call(text, |r: &ScoreRequest| r.score(&models));
        for text in [
            format!(r#"{{"as_of": "2026-11-27", "deals": {deals}, "activities": {acts}}}"#),
            format!(r#"{{"activities": {acts}, "as_of": "2026-11-27", "deals": {deals}}}"#),
            format!(r#"{{"as_of": "2026-11-27", "activities": {acts}, "deals": {deals}}}"#),
            format!(r#"{{"as_of": "2026-11-27", "days": 3, "activities": {acts}}}"#),
        ] {
            let fast = score_json(text.as_bytes(), &models).unwrap();
            assert_eq!(fast, general(&text).unwrap(), "{text}");
            assert!(fast.contains(r#""deal":"E""#), "{fast}");
        }
        assert!(
            streamed::score(format!(r#"{{"as_of": "2026-11-27", "activities": {acts}}}"#).as_bytes(), &models)
                .is_some()
        );
        for bad in [
            r#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["x"]}]}"#,
            r#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "D", "date": "2026-11-26"}, {"id": "a", "deal": "D", "date": "2026-11-26"}]}"#,
            r#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "D", "date": "2026-02-30"}]}"#,
            r#"{"as_of": "2026-11-27", "activities": [], "extra": 1}"#,
            r#"{"as_of": "2026-11-27", "activities": []} trailing"#,
        ] {
            let fast = score_json(bad.as_bytes(), &models).unwrap_err();
            let slow = general(bad).unwrap_err();
            assert_eq!((fast.code(), fast.to_string()), (slow.code(), slow.to_string()), "{bad}");
        }
    }

    /// Option errors name the request's own key, not the `options.` of `BacktestOptions`.
    #[test]
    fn backtest_option_errors_name_the_request_key() {
        let models = ModelSet::embedded();
        for (text, path) in [
            (r#"{"bins": 0}"#, "bins"),
            (r#"{"horizon_days": 7, "as_of": "2026-07-01"}"#, "as_of"),
            (r#"{"horizon_days": 100000}"#, "horizon_days"),
            (r#"{"deals": [{"id": "D", "outcome": "won"}]}"#, "deals[\"D\"].closed_on"),
        ] {
            let err = json_call(text, |r: &BacktestRequest| r.run(&models)).unwrap_err();
            assert_eq!((err.code(), err.path()), ("invalid_input", Some(path)), "{text}: {err}");
        }
    }

    #[test]
    fn errors_become_bodies_with_codes() {
        let text = r#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["x"]}]}"#;
        let err = json_call(text, |r: &ScoreRequest| r.score(&ModelSet::embedded())).unwrap_err();
        let body = ErrorBody::from(&err);
        assert_eq!(body.code, "unknown_action");
        assert!(body.message.contains("\"a\"") && body.message.contains("\"x\""), "{}", body.message);
    }
}
