//! # dealscore
//!
//! Deterministic scoring of sales deals from the customer's own effort (ユーザエネルギー).
//! A [`ModelSet`] configures points for customer actions, roles and attendees; [`score_all`] (or
//! the incremental [`Scorer`]) turns activity reports into a [`DealReport`] per deal: energy on
//! three axes (cumulative, breadth, continuity), warning signals, quality (商談クオリティ) and a
//! status; [`score_columns`] does the same for activities held as columns of coded text
//! ([`columns::ActivityColumns`], Arrow's dictionary layout). [`stale`] lists deals nobody has touched;
//! [`next_steps`] and [`qa`] help reps move a deal along; [`on_report`] tells, when a daily report
//! (日報) is written, whom of the deal team to notify and what the report changed ([`recipients`]
//! is the list of people alone).
//!
//! ## Which entry point
//!
//! All of them give identical reports for the same activities (the vectors and properties check
//! it); they differ in how the activities reach the fold.
//!
//! | you have | call | why |
//! |---|---|---|
//! | a slice of activities, one date | [`score_all`] | the fastest path from [`Activity`] values |
//! | activities arriving one by one (a file, a queue), one date | [`BatchScorer`] (push, then `finish`) | `score_all`'s speed without first collecting a `Vec` |
//! | more activities than memory holds | [`StreamScorer`] | memory bounded by the deals, not the activities |
//! | more activities than memory holds, parsed on several threads | [`parallel::SharedStream`] | `StreamScorer`'s bound, pushed from every thread at once (the CLI reads files this way) |
//! | activities as coded columns (Arrow dictionaries, categoricals) | [`score_columns`] ([`columns`]) | each distinct string looked up once: the fastest path |
//! | a large slice and several cores | [`score_all_parallel`] (or [`parallel::score_parallel`] to feed each thread yourself) | deals shared out by a hash of their id |
//! | a live system: add, replace, remove; report any deal as of any date | [`Scorer`] | incremental |
//! | a JSON request body (a front end, the Web API) | [`api`] | JSON in, JSON out, as every binding |
//!
//! Everything is pure: no I/O, no clock, no randomness, ordered output, and `libm` for
//! transcendental maths, so the same input gives byte-identical JSON on every platform.
//!
//! ```
//! use dealscore::{ModelSet, Scorer, Activity, Date};
//!
//! let mut scorer = Scorer::new(ModelSet::embedded(), vec![]).unwrap();
//! let visit: Activity = dealscore::from_json(r#"{
//!     "id": "a1", "deal": "D-1", "date": "2026-11-02",
//!     "actions": ["meeting_accepted", "asked_question"],
//!     "contacts": [{"person": "田中", "title": "CEO"}, {"person": "鈴木", "title": "課長"}]
//! }"#).unwrap();
//! scorer.add(visit).unwrap();
//! let report = scorer.report("D-1", "2026-11-27".parse::<Date>().unwrap()).unwrap();
//! // meeting_accepted by an executive 25 + question 6 + 経営層 20 + two attendees 3
//! assert_eq!(report.energy.total, 54);
//! assert_eq!(report.breadth.top_role.as_deref(), Some("executive"));
//! ```
#![forbid(unsafe_code)]

pub mod api;
mod date;
mod error;
mod ingest;
mod input;
pub mod model;
mod notify;
mod outcome;
mod process;
pub mod qa;
mod score;
mod util;

/// The string type of activity fields: up to 24 bytes stay inline, no allocation.
pub use compact_str::{CompactString, format_compact};
pub use date::{Date, DateParseError};
pub use error::{Error, Result};
pub use ingest::batch::BatchScorer;
pub use ingest::check::ActivityCheck;
#[cfg(feature = "parallel")]
pub use ingest::parallel::score_all_parallel;
pub use ingest::scorer::{Scorer, explain};
pub use ingest::stale;
pub use ingest::stream::StreamScorer;
pub use ingest::{score_all, score_columns};
pub use input::{Activity, ActivityRef, Contact, ContactRef, Deal, Member, Notify, Outcome, QualityEvent};
pub use model::Model;
pub use model::compiled::{DEFAULT_MODEL_JSON, DEFAULT_MODEL_TOML, MAX_INDICATORS, ModelSet};
pub use model::normalize::normalize_title;
#[cfg(feature = "toml")]
pub use model::parse::from_toml;
pub use model::parse::{activity_from_json, from_json, from_value};
pub use model::schema::{model_schema, model_schema_text};
pub use notify::{Change, DealSnapshot, Recipients, ReportNotice, on_report, recipients};
pub use outcome::backtest::{
    Backtest, BacktestOptions, BacktestRow, Backtester, BatchBacktester, Insight, LiftGroup, ScoreFit, ScoreValue,
    Scores, StatusRate, backtest,
};
pub use outcome::fit::{CalibrationGroup, Evidence, Fit, FitOptions, FitPoint, fit, fit_until};
pub use outcome::scorecard::{
    Label, Points, Scorecard, ScorecardEvidence, ScorecardOptions, ScorecardTable, fit_scorecard, fit_scorecard_until,
};
pub use process::{Coverage, Expert, NextSteps, next_steps};
pub use qa::{QaAnswer, QaEntry, QaHit, QaIndex, tokenize};
pub use score::energy::explain_activity;
pub use score::quality::{QualityReport, QualityStep, quality};
pub use score::report::{
    Breadth, Continuity, DealReport, Energy, ExplainItem, ExplainKind, Explanation, QualitySummary, RouteCoverage,
    Signal,
};
pub use score::stale::{StaleBasis, StaleOptions, StaleReport, StaleRow};

/// Activities as columns of coded text, the layout of Arrow dictionary arrays and data-frame
/// categoricals, for [`score_columns`] and [`BatchScorer::push_columns`].
pub mod columns {
    pub use crate::ingest::columns::{ActivityCodes, ActivityColumns, NULL, Texts};
}

/// Sharing deals out between threads (or machines) that each read their own input:
/// [`score_all_parallel`] does it for a slice; [`SharedStream`](parallel::SharedStream) takes
/// activities from several threads at once with memory bounded by the deals.
pub mod parallel {
    #[cfg(feature = "parallel")]
    pub use crate::ingest::parallel::score_parallel;
    pub use crate::ingest::part::Part;
    #[cfg(feature = "parallel")]
    pub use crate::ingest::shared::SharedStream;
    #[cfg(feature = "parallel")]
    pub use crate::outcome::backtest::{SharedBacktester, backtest_parallel};
}

/// The README's Rust snippet runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
