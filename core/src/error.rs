//! The one error type of the library. Every variant has a stable [`Error::code`]; bindings expose
//! the code unchanged, and the test vectors assert codes, never message text.

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong. Messages name the culprit: an activity or deal id, a model path
/// such as `actions[3].points`, or a JSON path.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input that is not well-formed JSON/TOML or has the wrong shape.
    #[error("invalid input at {path}: {message}")]
    InvalidInput { path: String, message: String },
    /// A model that parses but breaks a rule.
    #[error("invalid model at {path}: {message}")]
    InvalidModel { path: String, message: String },
    /// A date that is not a real `YYYY-MM-DD` civil date.
    #[error("invalid date {value:?} at {path}: expected a real date written YYYY-MM-DD")]
    InvalidDate { path: String, value: String },
    #[error("empty id at {path}")]
    EmptyId { path: String },
    #[error("activity {activity:?} names unknown action {action:?}")]
    UnknownAction { activity: String, action: String },
    #[error("{context} names unknown role {role:?}")]
    UnknownRole { context: String, role: String },
    #[error("deal {deal:?} names unknown model {model:?}")]
    UnknownModel { deal: String, model: String },
    #[error("{context} names unknown stage {stage:?}")]
    UnknownStage { context: String, stage: String },
    #[error("deal {deal:?} has a quality event for unknown indicator {indicator:?}")]
    UnknownIndicator { deal: String, indicator: String },
    #[error("unknown deal {deal:?}")]
    UnknownDeal { deal: String },
    #[error("unknown activity {activity:?}")]
    UnknownActivity { activity: String },
    #[error("stage {stage:?} has no exit criterion {criterion:?}")]
    UnknownCriterion { stage: String, criterion: String },
    #[error("activity id {activity:?} appears more than once")]
    DuplicateActivity { activity: String },
    #[error("deal id {deal:?} appears more than once")]
    DuplicateDeal { deal: String },
    #[error("deal {deal:?}: quality event by {by:?} rejected, only the maintainer {maintainer:?} may maintain quality")]
    NotMaintainer { deal: String, by: String, maintainer: String },
    #[error("activity {activity:?} belongs to deal {activity_deal:?}, not {deal:?}")]
    DealMismatch { activity: String, activity_deal: String, deal: String },
    #[error("the question is empty")]
    EmptyQuestion,
    #[error("Q&A entry id {id:?} appears more than once")]
    DuplicateEntry { id: String },
    #[error("Q&A entry at {path} has no question")]
    MissingQuestion { path: String },
    #[error("{what} exceeds the limit of {limit}")]
    LimitExceeded { what: String, limit: usize },
    /// The caller's stop signal ended a long computation (`fit_until`): a server's time limit.
    #[error("stopped before the end: the time limit passed")]
    Stopped,
}

impl Error {
    /// The stable, machine-readable code of this error (`"unknown_action"`, `"not_maintainer"` …).
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::InvalidModel { .. } => "invalid_model",
            Error::InvalidDate { .. } => "invalid_date",
            Error::EmptyId { .. } => "empty_id",
            Error::UnknownAction { .. } => "unknown_action",
            Error::UnknownRole { .. } => "unknown_role",
            Error::UnknownModel { .. } => "unknown_model",
            Error::UnknownStage { .. } => "unknown_stage",
            Error::UnknownIndicator { .. } => "unknown_indicator",
            Error::UnknownDeal { .. } => "unknown_deal",
            Error::UnknownActivity { .. } => "unknown_activity",
            Error::UnknownCriterion { .. } => "unknown_criterion",
            Error::DuplicateActivity { .. } => "duplicate_activity",
            Error::DuplicateDeal { .. } => "duplicate_deal",
            Error::NotMaintainer { .. } => "not_maintainer",
            Error::DealMismatch { .. } => "deal_mismatch",
            Error::EmptyQuestion => "empty_question",
            Error::DuplicateEntry { .. } => "duplicate_entry",
            Error::MissingQuestion { .. } => "missing_question",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::Stopped => "stopped",
        }
    }

    /// The JSON/model path the error points at, when it has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { path, .. }
            | Error::InvalidModel { path, .. }
            | Error::InvalidDate { path, .. }
            | Error::EmptyId { path }
            | Error::MissingQuestion { path } => Some(path),
            _ => None,
        }
    }

    pub(crate) fn model(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidModel { path: path.into(), message: message.into() }
    }
}
