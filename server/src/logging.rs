//! Structured logs: one event per request (method, route, status, error code, duration), never a
//! body, a header value or a query string.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;

use crate::error::ErrorCode;

/// How log events are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Installs a global subscriber writing to stderr; the level comes from `RUST_LOG` (default
/// `info`). Returns false when a subscriber was already installed.
pub fn init_logging(format: LogFormat) -> bool {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.with_ansi(false).try_init().is_ok(),
        LogFormat::Json => builder.json().flatten_event(true).try_init().is_ok(),
    }
}

/// Middleware: logs each request once it is answered.
pub(crate) async fn access_log(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    // The route template, not the raw path: bounded and free of caller data.
    let route = request.extensions().get::<MatchedPath>().map_or("(unmatched)", |p| p.as_str()).to_owned();
    let response = next.run(request).await;
    let micros = start.elapsed().as_micros() as u64;
    let status = response.status().as_u16();
    match response.extensions().get::<ErrorCode>() {
        Some(code) if status >= 500 => {
            tracing::warn!(target: "dealscore_server::access", %method, route, status, code = code.0.as_str(), micros, "request");
        }
        Some(code) => {
            tracing::info!(target: "dealscore_server::access", %method, route, status, code = code.0.as_str(), micros, "request");
        }
        None => {
            tracing::info!(target: "dealscore_server::access", %method, route, status, micros, "request");
        }
    }
    response
}
