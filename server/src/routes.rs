//! The router and its endpoints. Every POST endpoint is one line: parse the core's request shape,
//! check its sizes, call the core, serialise.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dealscore::api::{
    BacktestRequest, FitRequest, NextStepsRequest, QaRequest, QualityRequest, ReportRequest, ScoreRequest,
    ScorecardRequest,
};
use dealscore::{ModelSet, QaIndex};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::auth::{self, Token};
use crate::body;
use crate::config::{Config, Limits};
use crate::error::ApiError;
use crate::limits::Bounded;
use crate::logging;

/// Shared state of the endpoints.
#[derive(Debug)]
pub(crate) struct App {
    pub models: ModelSet,
    pub limits: Limits,
    pub jobs: Arc<Semaphore>,
    pub qa: Arc<QaIndex>,
    openapi: Bytes,
    model: Bytes,
}

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// The API as an axum router, to serve with [`crate::serve`] or to mount in another app.
/// `/healthz` and `/openapi.json` are open; every `/v1/…` route needs the token when one is set.
pub fn router(config: Config) -> Router {
    let openapi =
        serde_json::to_vec(&crate::openapi::document(config.token.is_some())).expect("the document serialises");
    let model = serde_json::to_vec(&config.models.to_value()).expect("models serialise");
    let qa = config.knowledge_base.clone().unwrap_or_else(|| {
        let settings = &config.models.default_model().qa;
        let empty = QaIndex::new(Vec::new(), settings)
            .or_else(|_| QaIndex::new(Vec::new(), &dealscore::model::QaConfig::default()));
        Arc::new(empty.expect("an empty index with default settings is valid"))
    });
    let app = Arc::new(App {
        qa,
        jobs: Arc::new(Semaphore::new(config.limits.max_concurrent_jobs)),
        models: config.models,
        limits: config.limits,
        openapi: openapi.into(),
        model: model.into(),
    });
    let mut v1 = Router::new()
        .route("/v1/score", post(score))
        .route("/v1/explain", post(explain))
        .route("/v1/stale", post(stale))
        .route("/v1/quality", post(quality))
        .route("/v1/next-steps", post(next_steps))
        .route("/v1/reports", post(reports))
        .route("/v1/qa/search", post(qa_search))
        .route("/v1/backtest", post(backtest))
        .route("/v1/fit", post(fit))
        .route("/v1/scorecard", post(scorecard))
        .route("/v1/model", get(model_handler));
    if let Some(token) = config.token.as_deref() {
        v1 = v1.route_layer(from_fn_with_state(Arc::new(Token::new(token)), auth::require));
    }
    Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi_handler))
        .merge(v1)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn(logging::access_log))
        .with_state(app)
}

async fn score(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &ScoreRequest, app, _| r.score(&app.models)).await
}

async fn explain(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &ScoreRequest, app, _| r.explain(&app.models)).await
}

async fn stale(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &ScoreRequest, app, _| r.stale(&app.models)).await
}

async fn quality(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &QualityRequest, app, _| r.run(&app.models)).await
}

async fn next_steps(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &NextStepsRequest, app, _| r.run(&app.models)).await
}

async fn reports(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &ReportRequest, app, _| r.run(&app.models)).await
}

async fn qa_search(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &QaRequest, app, _| r.run(&app.models, &app.qa)).await
}

async fn backtest(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &BacktestRequest, app, _| r.run(&app.models)).await
}

/// The fits ask the deadline between their steps: past it they stop, and the answer is 503.
async fn fit(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &FitRequest, app, stop| r.run_until(&app.models, stop)).await
}

async fn scorecard(State(app): State<Arc<App>>, request: Request) -> Result<Response, ApiError> {
    call(app, request, |r: &ScorecardRequest, _, stop| r.run_until(stop)).await
}

async fn model_handler(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, app.model.clone())
}

async fn openapi_handler(State(app): State<Arc<App>>) -> Response {
    json(StatusCode::OK, app.openapi.clone())
}

async fn healthz() -> Response {
    let health = Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() };
    json(StatusCode::OK, serde_json::to_vec(&health).expect("health serialises").into())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint; see /openapi.json")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "method not allowed; see the Allow header")
}

fn json(status: StatusCode, bytes: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes).into_response()
}

/// Bodies up to this size without an inline model are computed on the async worker: their work
/// is bounded (about 2 ms for the worst case, 64 KiB of one-activity deals; 0.2 ms for a
/// 200-activity deal), and a hand-off to the blocking pool costs a good part of it (two thread
/// switches a request). Larger bodies, requests with an inline model, and the fits (whose search
/// the body's size does not bound: [`Bounded::unbounded`]) are parsed and computed on the
/// blocking pool. Figures in benches/server/README.md.
pub(crate) const INLINE_MAX_BYTES: usize = 64 * 1024;

/// Reads, parses and checks a `Req`, then computes `op` (see [`INLINE_MAX_BYTES`]).
async fn call<Req, Out>(
    app: Arc<App>,
    request: Request,
    op: fn(&Req, &App, &dyn Fn() -> bool) -> dealscore::Result<Out>,
) -> Result<Response, ApiError>
where
    Req: DeserializeOwned + Bounded + Send + 'static,
    Out: Serialize + 'static,
{
    let deadline = Instant::now() + app.limits.request_timeout;
    let bytes = body::read(request, app.limits.max_body_bytes, deadline).await?;
    let slot = body::slot(&app, deadline).await?;
    let out = if bytes.len() <= INLINE_MAX_BYTES {
        let req: Req = body::parse(&bytes)?;
        req.check(&app.limits)?;
        if req.has_model() || req.unbounded() {
            body::offload(app, slot, deadline, move |app| compute(&req, app, deadline, op)).await?
        } else {
            let out = compute(&req, &app, deadline, op)?;
            drop(slot);
            out
        }
    } else {
        body::offload(app, slot, deadline, move |app| {
            let req: Req = body::parse(&bytes)?;
            req.check(&app.limits)?;
            compute(&req, app, deadline, op)
        })
        .await?
    };
    Ok(json(StatusCode::OK, out.into()))
}

fn compute<Req, Out: Serialize>(
    req: &Req,
    app: &App,
    deadline: Instant,
    op: fn(&Req, &App, &dyn Fn() -> bool) -> dealscore::Result<Out>,
) -> Result<Vec<u8>, ApiError> {
    // The stop signal of the computations that ask for one (the fits): the request's deadline.
    let out = op(req, app, &|| Instant::now() >= deadline).map_err(|e| ApiError::core(&e))?;
    let mut bytes = Vec::with_capacity(16 * 1024);
    serde_json::to_writer(&mut bytes, &out).map_err(|_| ApiError::internal())?;
    Ok(bytes)
}
