//! The operations, each twice, with the Node package's names and call shapes: on plain request
//! objects (`score(request, model?)`) and on JSON text (`scoreJson(text, model?)`, the Web API's
//! request body in, the core's exact JSON text out). An inline `model` in a request wins over the
//! `model` argument, which defaults to the embedded model.

use dealscore::api::{
    BacktestRequest, NextStepsRequest, QualityRequest, RecipientsRequest, ReportRequest, ScoreRequest,
};
#[cfg(feature = "learn")]
use dealscore::api::{FitRequest, ScorecardRequest};
use dealscore::{Activity, normalize_title};
use wasm_bindgen::prelude::*;

use crate::convert::{Result, arg, json_call, object, object_call};
use crate::model::Model;

/// One report per deal id found in `deals` or `activities`, sorted by deal id.
#[wasm_bindgen(unchecked_return_type = "DealReport[]")]
pub fn score(
    #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &ScoreRequest| r.score(&models))
}

/// `score` on JSON text (a string or UTF-8 bytes): returns the reports as the core's JSON text.
#[wasm_bindgen(js_name = scoreJson)]
pub fn score_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &ScoreRequest| r.score(&models))
}

/// The clipped energy breakdown of every activity dated ≤ `as_of`, sorted by (deal, date, id).
#[wasm_bindgen(unchecked_return_type = "Explanation[]")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "ScoreRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &ScoreRequest| r.explain(&models))
}

/// `explain` on JSON text.
#[wasm_bindgen(js_name = explainJson)]
pub fn explain_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &ScoreRequest| r.explain(&models))
}

/// One activity's breakdown on its own, before caps (caps need the deal's history: see
/// `explain`). `dealModel` names the model of the activity's deal in a model set.
#[wasm_bindgen(js_name = explainActivity, unchecked_return_type = "Explanation")]
pub fn explain_activity(
    #[wasm_bindgen(unchecked_param_type = "Activity")] activity: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
    #[wasm_bindgen(js_name = dealModel)] deal_model: Option<String>,
) -> Result<JsValue> {
    let activity: Activity = arg(&activity, "activity")?;
    object(&dealscore::explain_activity(&Model::from_arg(model.as_ref())?, deal_model.as_deref(), &activity)?)
}

/// The stale list (未接触リスト): the request's `days` and `basis` are its options.
#[wasm_bindgen(unchecked_return_type = "StaleReport")]
pub fn stale(
    #[wasm_bindgen(unchecked_param_type = "StaleRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &ScoreRequest| r.stale(&models))
}

/// `stale` on JSON text.
#[wasm_bindgen(js_name = staleJson)]
pub fn stale_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &ScoreRequest| r.stale(&models))
}

/// One deal's quality replayed as of `as_of`, with its history; `null` when the deal's model has
/// no quality indicators.
#[wasm_bindgen(unchecked_return_type = "QualityReport | null")]
pub fn quality(
    #[wasm_bindgen(unchecked_param_type = "QualityRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &QualityRequest| r.run(&models))
}

/// `quality` on JSON text.
#[wasm_bindgen(js_name = qualityJson)]
pub fn quality_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &QualityRequest| r.run(&models))
}

/// How well energy, breadth, continuity and quality told won deals from lost ones: each closed
/// deal scored at its snapshot, with AUC, lift groups, win rate by status, insights and rows.
#[wasm_bindgen(unchecked_return_type = "Backtest")]
pub fn backtest(
    #[wasm_bindgen(unchecked_param_type = "BacktestRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &BacktestRequest| r.run(&models))
}

/// `backtest` on JSON text.
#[wasm_bindgen(js_name = backtestJson)]
pub fn backtest_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &BacktestRequest| r.run(&models))
}

/// Learns an integer points table from the closed deals (OUTCOMES.md §4); in the `learn` module only.
#[cfg(feature = "learn")]
#[wasm_bindgen(unchecked_return_type = "Fit")]
pub fn fit(
    #[wasm_bindgen(unchecked_param_type = "FitRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &FitRequest| r.run(&models))
}

/// `fit` on JSON text; in the `learn` module only.
#[cfg(feature = "learn")]
#[wasm_bindgen(js_name = fitJson)]
pub fn fit_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &FitRequest| r.run(&models))
}

/// Learns an integer scorecard from any numeric table and 0/1 labels (OUTCOMES.md §5); in the `learn` module only.
#[cfg(feature = "learn")]
#[wasm_bindgen(js_name = fitScorecard, unchecked_return_type = "Scorecard")]
pub fn fit_scorecard(#[wasm_bindgen(unchecked_param_type = "ScorecardRequest")] request: JsValue) -> Result<JsValue> {
    object_call(&request, ScorecardRequest::run)
}

/// `fitScorecard` on JSON text; in the `learn` module only.
#[cfg(feature = "learn")]
#[wasm_bindgen(js_name = fitScorecardJson)]
pub fn fit_scorecard_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
) -> Result<String> {
    json_call(&request, ScorecardRequest::run)
}

/// What is left to do in the deal's process stage, and who in the team can do it.
#[wasm_bindgen(js_name = nextSteps, unchecked_return_type = "NextSteps")]
pub fn next_steps(
    #[wasm_bindgen(unchecked_param_type = "NextStepsRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &NextStepsRequest| r.run(&models))
}

/// `nextSteps` on JSON text.
#[wasm_bindgen(js_name = nextStepsJson)]
pub fn next_steps_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &NextStepsRequest| r.run(&models))
}

/// Who must hear about a new activity report: the deal's members whose `notify` is not
/// `"none"`, minus the reporter, sorted.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn recipients(#[wasm_bindgen(unchecked_param_type = "RecipientsRequest")] request: JsValue) -> Result<JsValue> {
    object_call(&request, RecipientsRequest::run)
}

/// `recipients` on JSON text.
#[wasm_bindgen(js_name = recipientsJson)]
pub fn recipients_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
) -> Result<String> {
    json_call(&request, RecipientsRequest::run)
}

/// A daily report (日報) has been written: the deal members to notify (`immediate` for
/// `notify: "all"`, `digest` for `"digest"`; never the reporter), the deal before and after the
/// report, and what it changed, each change with its `text`.
#[wasm_bindgen(js_name = onReport, unchecked_return_type = "ReportNotice")]
pub fn on_report(
    #[wasm_bindgen(unchecked_param_type = "ReportRequest")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<JsValue> {
    let models = Model::from_arg(model.as_ref())?;
    object_call(&request, |r: &ReportRequest| r.run(&models))
}

/// `onReport` on JSON text.
#[wasm_bindgen(js_name = onReportJson)]
pub fn on_report_json(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
) -> Result<String> {
    let models = Model::from_arg(model.as_ref())?;
    json_call(&request, |r: &ReportRequest| r.run(&models))
}

/// A free-text job title as the model matches it against role aliases (NFKC, lower case,
/// trimmed).
#[wasm_bindgen(js_name = normalizeTitle)]
pub fn normalize_title_js(title: &str) -> String {
    normalize_title(title).into_owned()
}
