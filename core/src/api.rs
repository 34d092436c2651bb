//! Request shapes shared by every front end (bindings, Web API, CLI): one serde struct per
//! operation, so JSON-in/JSON-out glue is written once, here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{Activity, Deal};
use crate::modelset::ModelSet;
use crate::stale::StaleBasis;

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

/// Input of `quality`: one deal's events replayed as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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

/// Input of a Q&A search against a knowledge base the caller holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QaRequest {
    pub question: String,
    /// The stage asked at; the deal's stage when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The deal, so an unanswered question names the members who can answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<Deal>,
    /// How many answers at most.
    #[serde(default = "default_k")]
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

    #[test]
    fn errors_become_bodies_with_codes() {
        let text = r#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["x"]}]}"#;
        let err = json_call(text, |r: &ScoreRequest| r.score(&ModelSet::embedded())).unwrap_err();
        let body = ErrorBody::from(&err);
        assert_eq!(body.code, "unknown_action");
        assert!(body.message.contains("\"a\"") && body.message.contains("\"x\""), "{}", body.message);
    }
}
