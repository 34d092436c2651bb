//! Reading a request body within its limits and deadline, parsing it, and computing off the async
//! executor.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, timeout_at};

use crate::error::ApiError;
use crate::routes::App;

/// The whole body of a JSON request, or 415 / 413 / 408 / 400.
pub(crate) async fn read(request: Request, max: usize, deadline: Instant) -> Result<Bytes, ApiError> {
    check_content_type(request.headers())?;
    if let Some(len) = content_length(request.headers())
        && len > max as u64
    {
        return Err(ApiError::body_too_large(max));
    }
    let limited = Limited::new(request.into_body(), max);
    match timeout_at(deadline, limited.collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<LengthLimitError>() => Err(ApiError::body_too_large(max)),
        Ok(Err(_)) => {
            Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", "the request body could not be read").at("$"))
        }
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            "the request body did not arrive in time",
        )),
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// `application/json` or any `application/…+json`, parameters (charset) allowed.
fn check_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some(t) if t == "application/json" || (t.starts_with("application/") && t.ends_with("+json")) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the request as JSON with Content-Type: application/json",
        )),
    }
}

/// Parses a request: UTF-8, a JSON object, nothing after it. Errors are the core's, with the
/// JSON path of the culprit.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let bad = |message: String| ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message).at("$");
    // The SIMD check first (several times faster on large bodies); std's names the bad byte.
    let text = simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes))
        .map_err(|e| bad(format!("the request body is not UTF-8: {e}")))?;
    // serde also reads structs from arrays; a request is an object.
    if !text.trim_start_matches([' ', '\t', '\n', '\r']).starts_with('{') {
        return Err(bad("the request body must be a JSON object".into()));
    }
    // Fast path without path tracking; on failure the core parser names the culprit's path.
    let mut de = serde_json::Deserializer::from_str(text);
    let fast = T::deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    fast.map_err(|fast| match dealscore::from_json::<T>(text) {
        Err(e) => {
            let mut error = ApiError::core(&e);
            // serde_path_to_error writes `?` when the syntax broke before any field was known.
            if error.body.path.as_deref() == Some("?") {
                error.body.path = Some("$".into());
            }
            error
        }
        // Only trailing characters fail here and not in the core parser.
        Ok(_) => bad(format!("invalid input at $: {fast}")),
    })
}

/// A computing slot: at most `max_concurrent_jobs` computations run at once; 503 when none frees
/// up before the deadline.
pub(crate) async fn slot(app: &Arc<App>, deadline: Instant) -> Result<OwnedSemaphorePermit, ApiError> {
    match timeout_at(deadline, app.jobs.clone().acquire_owned()).await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(ApiError::busy()),
    }
}

/// Runs `job` on the blocking pool, answering 503 when the deadline passes first. A job that
/// outlives its deadline keeps its slot until it ends, so runaway work cannot pile up.
pub(crate) async fn offload<F>(
    app: Arc<App>,
    slot: OwnedSemaphorePermit,
    deadline: Instant,
    job: F,
) -> Result<Vec<u8>, ApiError>
where
    F: FnOnce(&App) -> Result<Vec<u8>, ApiError> + Send + 'static,
{
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        job(&app)
    });
    match timeout_at(deadline, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "a request job panicked");
            Err(ApiError::internal())
        }
        Err(_) => Err(ApiError::busy()),
    }
}
