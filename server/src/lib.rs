//! # dealscore-server
//!
//! dealscore over HTTP. [`router`] builds an axum [`Router`](axum::Router) that a vendor mounts in
//! its own application; [`serve`] runs a router with the connection-level hardening a standalone
//! server needs (header read timeout, connection cap, graceful shutdown), which is what
//! `dealscore serve` does.
//!
//! Every endpoint takes and returns the JSON shapes of the core ([`dealscore::api`]); errors are
//! `{code, message, path?}` with the core's stable codes. Requests are bounded in bytes, items,
//! string lengths and time ([`Limits`]); scoring runs on the blocking pool so one large request
//! never stalls the others.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use dealscore_server::{Config, ServeOptions};
//!
//! let config = Config::new(dealscore::ModelSet::embedded()).with_token(Some("s3cret".into()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let app = dealscore_server::router(config);
//! dealscore_server::serve(listener, app, ServeOptions::default(), dealscore_server::shutdown_signal()).await
//! # }
//! ```

mod auth;
mod body;
mod config;
mod error;
mod limits;
mod logging;
mod openapi;
mod routes;
mod serve;

pub use config::{Config, Limits};
pub use error::{ApiError, status_for_code};
pub use logging::{LogFormat, init_logging};
pub use openapi::openapi;
pub use routes::router;
pub use serve::{ServeOptions, serve, shutdown_signal};
