//! Output types. Field order is the JSON order of MODEL.md §10; every binding, the CLI, the Web
//! API and the vectors emit exactly these shapes.

use std::collections::BTreeMap;

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::model::RouteStep;

/// Everything a manager needs to know about one deal as of a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DealReport {
    pub deal: CompactString,
    pub as_of: Date,
    pub energy: Energy,
    pub breadth: Breadth,
    pub continuity: Continuity,
    pub quality: Option<QualitySummary>,
    pub signals: Vec<Signal>,
    pub status: CompactString,
    pub last_contact: Option<Date>,
    pub unmapped_titles: Vec<CompactString>,
    pub future_ignored: u64,
}

/// The cumulative axis (累計).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Energy {
    pub total: u64,
    pub decayed: f64,
    pub by_action: BTreeMap<CompactString, u64>,
    pub by_role: BTreeMap<CompactString, u64>,
    pub by_reporter: BTreeMap<CompactString, u64>,
}

/// The breadth axis (多面的接触).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Breadth {
    pub people: Vec<CompactString>,
    /// Role ids in rank order.
    pub roles: Vec<CompactString>,
    pub departments: Vec<CompactString>,
    pub top_role: Option<CompactString>,
    pub route: RouteCoverage,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RouteCoverage {
    pub steps: Vec<RouteStep>,
    pub covered: Vec<RouteStep>,
    pub missing: Vec<RouteStep>,
    /// `covered / steps`; null when the deal has no route.
    pub coverage: Option<f64>,
}

/// The continuity axis (継続性).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Continuity {
    pub period_days: u32,
    /// Energy per period, oldest first.
    pub series: Vec<u64>,
    pub active_periods: u32,
    pub ratio: f64,
    pub streak: u32,
    pub days_since_last: Option<u32>,
    pub slope: f64,
}

/// Quality as it appears inside a deal report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualitySummary {
    pub score: f64,
    pub grade: Option<CompactString>,
    pub checked: Vec<CompactString>,
    pub unchecked: Vec<CompactString>,
    pub needs_review: bool,
}

/// A warning with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// No energy-bearing activity for the deal's stale days.
    NoEnergy { days_since_last: Option<u32>, stale_days: u32 },
    /// The continuity series is falling.
    Declining { slope: f64, older: u64, newer: u64 },
    /// The most senior role reached has gone quiet in the continuity window.
    TopRoleAbsent { role: CompactString, last_seen: Date },
    /// All energy came from one person.
    SingleThreaded { person: CompactString },
    /// Less than half of the approval route reached after the first window.
    RouteGap { coverage: f64, missing: u32 },
}

impl Signal {
    /// The kind as JSON writes it (`no_energy`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Signal::NoEnergy { .. } => "no_energy",
            Signal::Declining { .. } => "declining",
            Signal::TopRoleAbsent { .. } => "top_role_absent",
            Signal::SingleThreaded { .. } => "single_threaded",
            Signal::RouteGap { .. } => "route_gap",
        }
    }
}

/// The breakdown of one activity's energy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Explanation {
    pub activity: CompactString,
    pub deal: CompactString,
    pub date: Date,
    pub energy: u64,
    pub items: Vec<ExplainItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExplainItem {
    pub kind: ExplainKind,
    pub id: CompactString,
    pub points: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExplainKind {
    Action,
    Role,
    Attendees,
}
