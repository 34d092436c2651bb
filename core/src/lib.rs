//! # dealscore
//!
//! Deterministic scoring of sales deals from the customer's own effort (ユーザエネルギー).
//! A [`ModelSet`] configures points for customer actions, roles and attendees; [`score_all`] (or
//! the incremental [`Scorer`]) turns activity reports into a [`DealReport`] per deal: energy on
//! three axes (cumulative, breadth, continuity), warning signals, quality (商談クオリティ) and a
//! status; [`score_columns`] does the same for activities held as columns of coded text
//! ([`ActivityColumns`], Arrow's dictionary layout). [`stale`] lists deals nobody has touched;
//! [`next_steps`] and [`qa`] help reps move a deal along; [`recipients`] routes new reports to
//! the deal team.
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
mod axes;
pub(crate) mod batch;
mod columns;
mod date;
mod day_sums;
mod deals;
mod energy;
mod engine;
mod error;
mod input;
pub mod model;
mod modelset;
mod normalize;
mod notify;
#[allow(dead_code)] // used by backtest and fit, which build on it next
mod outcome;
mod parallel;
mod parse;
mod process;
pub mod qa;
mod quality;
mod report;
mod rows;
mod schema;
mod scorer;
mod shortmap;
mod sort;
mod stale;
mod stream;

pub use batch::BatchScorer;
pub use columns::{ActivityCodes, ActivityColumns, NULL, Texts};
/// The string type of activity fields: up to 24 bytes stay inline, no allocation.
pub use compact_str::{CompactString, format_compact};
pub use date::{Date, DateParseError};
pub use energy::explain_activity;
pub use error::{Error, Result};
pub use input::{Activity, ActivityRef, Contact, ContactRef, Deal, Member, Notify, QualityEvent};
pub use model::Model;
pub use modelset::{DEFAULT_MODEL_JSON, DEFAULT_MODEL_TOML, MAX_INDICATORS, ModelSet};
pub use normalize::normalize_title;
pub use outcome::scorecard::{Label, Points, Scorecard, ScorecardEvidence, ScorecardOptions, ScorecardTable, fit_scorecard};
pub use notify::recipients;
pub use parallel::Part;
#[cfg(feature = "parallel")]
pub use parallel::{score_all_parallel, score_parallel};
#[cfg(feature = "toml")]
pub use parse::from_toml;
pub use parse::{from_json, from_value};
pub use process::{Coverage, Expert, NextSteps, next_steps};
pub use qa::{QaAnswer, QaEntry, QaHit, QaIndex, tokenize};
pub use quality::{QualityReport, QualityStep, quality};
pub use report::{
    Breadth, Continuity, DealReport, Energy, ExplainItem, ExplainKind, Explanation, QualitySummary, RouteCoverage,
    Signal,
};
pub use schema::{model_schema, model_schema_text};
pub use scorer::{Scorer, explain};
pub use stale::{StaleBasis, StaleOptions, StaleReport, StaleRow, stale};
pub use stream::{StreamScorer, score_all, score_columns};

/// The README's Rust snippet runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
