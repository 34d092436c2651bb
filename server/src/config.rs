//! What the server serves and how much it accepts from one request.

use std::sync::Arc;
use std::time::Duration;

use dealscore::qa::QaEntry;
use dealscore::{ModelSet, QaIndex};

/// Bounds on one request. Every bound answers with an error, never a crash: bytes with 413
/// `body_too_large`, items and string lengths with 422 `limit_exceeded` (with the path), time with
/// 408 `request_timeout` (the client was too slow to send) or 503 `timeout` (the server could not
/// finish in time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most bytes in a request body.
    pub max_body_bytes: usize,
    /// Most activities in one request.
    pub max_activities: usize,
    /// Most deals in one request.
    pub max_deals: usize,
    /// Most items in any other list (an activity's actions and contacts, a deal's route, members,
    /// skills and quality events, `done`, and every array or object inside an inline model).
    pub max_items: usize,
    /// Most bytes in any string, object keys included.
    pub max_string_bytes: usize,
    /// Time from the start of a request to its response: reading the body, waiting for a worker
    /// and computing.
    pub request_timeout: Duration,
    /// Requests computed at once on the blocking pool; the others wait (within their timeout).
    /// 0 computes nothing: every POST answers 503 (a draining server).
    pub max_concurrent_jobs: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Limits {
            max_body_bytes: 16 * 1024 * 1024,
            max_activities: 100_000,
            max_deals: 20_000,
            max_items: 1_000,
            max_string_bytes: 16 * 1024,
            request_timeout: Duration::from_secs(30),
            max_concurrent_jobs: cores * 2,
        }
    }
}

/// Everything [`crate::router`] needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The model set used when a request carries no inline model.
    pub models: ModelSet,
    /// When set, every `/v1/…` request needs `Authorization: Bearer <token>`.
    pub token: Option<String>,
    pub limits: Limits,
    /// The knowledge base of `/v1/qa/search`; empty when `None` (every question is then
    /// unanswered, and the answer names the deal members who can help).
    pub knowledge_base: Option<Arc<QaIndex>>,
}

impl Config {
    /// A configuration with no token and the default limits.
    pub fn new(models: ModelSet) -> Config {
        Config { models, token: None, limits: Limits::default(), knowledge_base: None }
    }

    /// Requires this bearer token (none when `None` or empty).
    #[must_use]
    pub fn with_token(mut self, token: Option<String>) -> Config {
        self.token = token.filter(|t| !t.is_empty());
        self
    }

    /// Indexes these Q&A entries with the default model's `qa` settings.
    pub fn with_knowledge_base(mut self, entries: Vec<QaEntry>) -> dealscore::Result<Config> {
        self.knowledge_base = Some(Arc::new(QaIndex::new(entries, &self.models.default_model().qa)?));
        Ok(self)
    }

    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Config {
        self.limits = limits;
        self
    }
}
