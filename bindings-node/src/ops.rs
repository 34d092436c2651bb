//! The stateless operations, each in two forms: plain objects in and out (`score`), and JSON text
//! in and out (`scoreJson`, the bulk path: no JS objects are built or read). Requests are the
//! shared shapes of `dealscore::api`, so a request object, its JSON text and a Web API body are
//! the same thing.

use dealscore::Activity;
use dealscore::api::{
    BacktestRequest, FitRequest, NextStepsRequest, QualityRequest, RecipientsRequest, ReportRequest, ScoreRequest,
    ScorecardRequest,
};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

use crate::args;
use crate::convert::{Text, call, call_json, from_js, to_js};
use crate::error::{OrThrow, guard};
use crate::model::models;

/// One report per deal id found in `deals` or `activities`, sorted by deal id.
#[napi(ts_args_type = "request: ScoreRequest, model?: Model | null", ts_return_type = "DealReport[]")]
pub fn score<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &ScoreRequest| r.score(models(model.as_deref())))
}

/// `score` on JSON text (a string, Buffer or Uint8Array): returns the reports as JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn score_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    guard(env, || {
        let text = Text::from_js(env, request)?;
        dealscore::api::score_json(text.bytes(), models(model.as_deref())).or_throw(env)
    })
}

/// The clipped energy breakdown of every activity dated ≤ `as_of`, sorted by (deal, date, id).
#[napi(ts_args_type = "request: ScoreRequest, model?: Model | null", ts_return_type = "Explanation[]")]
pub fn explain<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &ScoreRequest| r.explain(models(model.as_deref())))
}

/// `explain` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn explain_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &ScoreRequest| r.explain(models(model.as_deref())))
}

/// One activity's breakdown on its own, before caps (caps need the deal's history: see
/// `explain`). `dealModel` names the model of the activity's deal in a model set.
#[napi(
    ts_args_type = "activity: Activity, model?: Model | null, dealModel?: string | null",
    ts_return_type = "Explanation"
)]
pub fn explain_activity<'e>(
    env: &'e Env,
    activity: Unknown,
    model: Option<Unknown>,
    deal_model: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    let deal_model = deal_model.map(|m| args::string(env, m, "dealModel")).transpose()?;
    guard(env, || {
        let activity: Activity = from_js(env, activity)?;
        to_js(
            env,
            &dealscore::explain_activity(models(model.as_deref()), deal_model.as_deref(), &activity).or_throw(env)?,
        )
    })
}

/// The stale list (未接触リスト): the request's `days` and `basis` are its options.
#[napi(ts_args_type = "request: StaleRequest, model?: Model | null", ts_return_type = "StaleReport")]
pub fn stale<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &ScoreRequest| r.stale(models(model.as_deref())))
}

/// `stale` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn stale_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &ScoreRequest| r.stale(models(model.as_deref())))
}

/// One deal's quality replayed as of `as_of`, with its history; `null` when the deal's model has
/// no quality indicators.
#[napi(ts_args_type = "request: QualityRequest, model?: Model | null", ts_return_type = "QualityReport | null")]
pub fn quality<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &QualityRequest| r.run(models(model.as_deref())))
}

/// `quality` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn quality_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &QualityRequest| r.run(models(model.as_deref())))
}

/// How well energy, breadth, continuity and quality told won deals from lost ones (OUTCOMES.md
/// §2–3): each closed deal scored at its snapshot (`horizon_days` before it closed, or `as_of`
/// for a cohort), with AUC, lift groups, win rate by status, insights and per-deal rows.
#[napi(ts_args_type = "request: BacktestRequest, model?: Model | null", ts_return_type = "Backtest")]
pub fn backtest<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &BacktestRequest| r.run(models(model.as_deref())))
}

/// `backtest` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn backtest_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &BacktestRequest| r.run(models(model.as_deref())))
}

/// Learns an integer points table from the closed deals (OUTCOMES.md §4): the fitted model, base
/// and fitted points, train/test AUC and log loss, calibration. Runs on the calling thread.
#[napi(ts_args_type = "request: FitRequest, model?: Model | null", ts_return_type = "Fit")]
pub fn fit<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &FitRequest| r.run(models(model.as_deref())))
}

/// `fit` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn fit_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &FitRequest| r.run(models(model.as_deref())))
}

/// Learns an integer scorecard from any numeric table and 0/1 labels (OUTCOMES.md §5).
#[napi(ts_args_type = "request: ScorecardRequest", ts_return_type = "Scorecard")]
pub fn fit_scorecard<'e>(env: &'e Env, request: Unknown) -> napi::Result<Unknown<'e>> {
    call(env, request, ScorecardRequest::run)
}

/// `fitScorecard` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array")]
pub fn fit_scorecard_json(env: &Env, request: Unknown) -> napi::Result<String> {
    call_json(env, request, ScorecardRequest::run)
}

/// What is left to do in the deal's process stage, and who in the team can do it.
#[napi(ts_args_type = "request: NextStepsRequest, model?: Model | null", ts_return_type = "NextSteps")]
pub fn next_steps<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &NextStepsRequest| r.run(models(model.as_deref())))
}

/// `nextSteps` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn next_steps_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &NextStepsRequest| r.run(models(model.as_deref())))
}

/// Who must hear about a new activity report: the deal's members whose `notify` is not `"none"`,
/// minus the reporter, sorted.
#[napi(ts_args_type = "request: RecipientsRequest", ts_return_type = "string[]")]
pub fn recipients<'e>(env: &'e Env, request: Unknown) -> napi::Result<Unknown<'e>> {
    call(env, request, RecipientsRequest::run)
}

/// `recipients` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array")]
pub fn recipients_json(env: &Env, request: Unknown) -> napi::Result<String> {
    call_json(env, request, RecipientsRequest::run)
}

/// A daily report (日報) has been written: the deal members to notify (`immediate` for
/// `notify: "all"`, `digest` for `"digest"`; never the reporter), the deal before and after the
/// report, and what it changed, each change with its `text`.
#[napi(ts_args_type = "request: ReportRequest, model?: Model | null", ts_return_type = "ReportNotice")]
pub fn on_report<'e>(env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
    let model = args::model(env, model)?;
    call(env, request, |r: &ReportRequest| r.run(models(model.as_deref())))
}

/// `onReport` on JSON text.
#[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
pub fn on_report_json(env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
    let model = args::model(env, model)?;
    call_json(env, request, |r: &ReportRequest| r.run(models(model.as_deref())))
}

/// The JSON Schema of a model file, for admin UIs that edit models.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn model_schema(env: &Env) -> napi::Result<Unknown<'_>> {
    guard(env, || to_js(env, &dealscore::model_schema()))
}

/// A free-text job title as the model matches it against role aliases (NFKC, lower case, trimmed).
#[napi(ts_args_type = "title: string")]
pub fn normalize_title(env: &Env, title: Unknown) -> napi::Result<String> {
    let title = args::string(env, title, "title")?;
    guard(env, || Ok(dealscore::normalize_title(&title).into_owned()))
}
