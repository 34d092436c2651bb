//! The scoring model as written in a model file (JSON or TOML, `schema = 1`). These are plain
//! data types; [`crate::ModelSet`] validates them and builds the look-up indexes.

use std::collections::BTreeMap;

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::compiled::{MAX_INDICATORS, MAX_PERIOD_DAYS, MAX_PERIODS, MAX_POINTS};

/// One scoring model: points for customer actions and roles, and every threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Format version; must be 1.
    #[schemars(range(min = 1, max = 1))]
    pub schema: u32,
    /// The customer's own actions that earn energy.
    pub actions: Vec<ActionDef>,
    /// The customer's job roles, ordered by `rank`.
    pub roles: Vec<RoleDef>,
    /// Points by number of customer attendees.
    #[serde(default)]
    pub attendee_bands: Vec<AttendeeBand>,
    /// Approval route (稟議ルート) for deals that have none of their own.
    #[serde(default)]
    pub default_route: Vec<RouteStep>,
    #[serde(default)]
    pub continuity: Continuity,
    /// Half-life of the decayed total, in days.
    #[serde(default = "default_half_life")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub half_life_days: f64,
    /// Default threshold of the stale list, in days.
    #[serde(default = "default_stale_days")]
    #[schemars(range(min = 1))]
    pub stale_days: u32,
    pub status: StatusConfig,
    #[serde(default)]
    pub quality: QualityConfig,
    #[serde(default)]
    pub process: Process,
    #[serde(default)]
    pub qa: QaConfig,
}

/// A customer action, chosen from a list when a rep writes an activity report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    #[schemars(pattern(r"\S"))]
    pub id: String,
    pub label: String,
    #[schemars(range(min = 0, max = MAX_POINTS))]
    pub points: i64,
    /// Points that replace `points` when the activity's top role is the key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(extend("additionalProperties" = {"type": "integer", "minimum": 0, "maximum": MAX_POINTS}))]
    pub by_role: BTreeMap<String, i64>,
    /// Most points this action may add to one deal in total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = MAX_POINTS))]
    pub cap: Option<i64>,
}

/// A customer role (job title band).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    #[schemars(pattern(r"\S"))]
    pub id: String,
    #[schemars(pattern(r"\S"))]
    pub label: String,
    /// Higher is more senior; unique within a model.
    pub rank: i64,
    #[schemars(range(min = 0, max = MAX_POINTS))]
    pub points: i64,
    /// Free-text titles mapping to this role after NFKC + lower-casing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(pattern(r"\S")))]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct AttendeeBand {
    pub min: u32,
    #[schemars(range(min = 0, max = MAX_POINTS))]
    pub points: i64,
}

/// A step of an approval route. A contact matches when every named field is equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct RouteStep {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<CompactString>,
}

impl RouteStep {
    /// A step must name at least one field; one naming none would match every contact.
    pub fn names_nothing(&self) -> bool {
        self.role.is_none() && self.department.is_none() && self.person.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
#[schemars(rename = "ContinuityConfig")]
pub struct Continuity {
    #[serde(default = "default_period_days")]
    #[schemars(range(min = 1, max = MAX_PERIOD_DAYS))]
    pub period_days: u32,
    #[serde(default = "default_periods")]
    #[schemars(range(min = 1, max = MAX_PERIODS))]
    pub periods: u32,
}

impl Default for Continuity {
    fn default() -> Self {
        Continuity { period_days: default_period_days(), periods: default_periods() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct StatusConfig {
    pub energy_threshold: u64,
    pub quality_threshold: f64,
    #[serde(default)]
    pub labels: StatusLabels,
}

/// Display names of the four statuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct StatusLabels {
    #[serde(default = "label_close")]
    pub close: String,
    #[serde(default = "label_qualify")]
    pub qualify: String,
    #[serde(default = "label_engage")]
    pub engage: String,
    #[serde(default = "label_review")]
    pub review: String,
}

impl Default for StatusLabels {
    fn default() -> Self {
        StatusLabels { close: label_close(), qualify: label_qualify(), engage: label_engage(), review: label_review() }
    }
}

/// Quality indicators (商談クオリティ) and grades.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct QualityConfig {
    #[serde(default)]
    #[schemars(length(max = MAX_INDICATORS))]
    pub indicators: Vec<Indicator>,
    /// Listed by strictly decreasing `min`; the first whose `min <= score` applies.
    #[serde(default)]
    pub grades: Vec<Grade>,
    #[serde(default = "default_review_days")]
    pub review_days: u32,
}

impl Default for QualityConfig {
    fn default() -> Self {
        QualityConfig { indicators: Vec::new(), grades: Vec::new(), review_days: default_review_days() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    #[schemars(pattern(r"\S"))]
    pub id: String,
    pub label: String,
    #[serde(default = "default_weight")]
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct Grade {
    #[schemars(pattern(r"\S"))]
    pub grade: String,
    pub min: f64,
}

/// Sales and support stages (プロセス設定).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct Process {
    #[serde(default)]
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct Stage {
    #[schemars(pattern(r"\S"))]
    pub id: String,
    pub label: String,
    pub phase: Phase,
    /// The seller's internal roles this stage needs.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The skills this stage needs.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Suggested next actions (free text).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Exit criteria; all done means the deal can advance.
    #[serde(default)]
    pub exit: Vec<Criterion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub stale_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Sales,
    Support,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    #[schemars(pattern(r"\S"))]
    pub id: String,
    pub label: String,
}

/// BM25 parameters of Q&A matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct QaConfig {
    #[serde(default = "default_k1")]
    #[schemars(range(min = 0))]
    pub k1: f64,
    #[serde(default = "default_b")]
    #[schemars(range(min = 0, max = 1))]
    pub b: f64,
    #[serde(default = "default_answer_weight")]
    #[schemars(range(min = 0))]
    pub answer_weight: f64,
    #[serde(default = "default_stage_boost")]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub stage_boost: f64,
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub min_score: f64,
}

impl Default for QaConfig {
    fn default() -> Self {
        QaConfig {
            k1: default_k1(),
            b: default_b(),
            answer_weight: default_answer_weight(),
            stage_boost: default_stage_boost(),
            min_score: 0.0,
        }
    }
}

/// A model-set file: several named models (points differ by product or customer segment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct ModelSetFile {
    /// Name of the model used by deals that name none.
    pub default: String,
    pub models: BTreeMap<String, Model>,
}

fn default_half_life() -> f64 {
    30.0
}
fn default_stale_days() -> u32 {
    30
}
fn default_period_days() -> u32 {
    7
}
fn default_periods() -> u32 {
    12
}
fn default_review_days() -> u32 {
    14
}
fn default_weight() -> u32 {
    1
}
fn default_k1() -> f64 {
    1.2
}
fn default_b() -> f64 {
    0.75
}
fn default_answer_weight() -> f64 {
    0.3
}
fn default_stage_boost() -> f64 {
    1.5
}
fn label_close() -> String {
    "close".into()
}
fn label_qualify() -> String {
    "qualify".into()
}
fn label_engage() -> String {
    "engage".into()
}
fn label_review() -> String {
    "review".into()
}

crate::model::parse::objects_only! {
    Model => "a model (an object)",
    ActionDef => "an action (an object)",
    RoleDef => "a role (an object)",
    AttendeeBand => "an attendee band (an object)",
    RouteStep => "a route step (an object)",
    Continuity => "continuity settings (an object)",
    StatusConfig => "status settings (an object)",
    StatusLabels => "status labels (an object)",
    QualityConfig => "quality settings (an object)",
    Indicator => "a quality indicator (an object)",
    Grade => "a grade (an object)",
    Process => "a process (an object)",
    Stage => "a stage (an object)",
    Criterion => "an exit criterion (an object)",
    QaConfig => "Q&A settings (an object)",
    ModelSetFile => "a model set (an object)",
}
