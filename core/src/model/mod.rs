//! What a model is: the plain types of a model file ([`Model`] and its parts), their validation
//! and compilation into the indexed [`ModelSet`](crate::ModelSet), title normalisation, parsing
//! with paths in errors, and the model's JSON Schema. Uses only the shared vocabulary.

pub(crate) mod compiled;
pub(crate) mod normalize;
pub(crate) mod parse;
pub(crate) mod schema;
mod types;

pub use types::{
    ActionDef, AttendeeBand, Continuity, Criterion, Grade, Indicator, Model, ModelSetFile, Phase, Process, QaConfig,
    QualityConfig, RoleDef, RouteStep, Stage, StatusConfig, StatusLabels,
};
