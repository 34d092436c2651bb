//! The status rule: energy × quality → how to manage the deal (MODEL.md).

use crate::model::{Model, StatusLabels};

/// A deal's status by its canonical name; models may display it under labels of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Close,
    Qualify,
    Engage,
    Review,
}

impl Status {
    /// Every status, in the order reports list them.
    pub const ALL: [Status; 4] = [Status::Close, Status::Qualify, Status::Engage, Status::Review];

    /// High energy and high quality → close; high energy only → qualify; high quality only →
    /// engage; neither → review. A deal without quality is not high on it.
    pub fn of(model: &Model, energy: u64, quality: Option<f64>) -> Status {
        let energy_high = energy >= model.status.energy_threshold;
        let quality_high = quality.is_some_and(|q| q >= model.status.quality_threshold);
        match (energy_high, quality_high) {
            (true, true) => Status::Close,
            (true, false) => Status::Qualify,
            (false, true) => Status::Engage,
            (false, false) => Status::Review,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Close => "close",
            Status::Qualify => "qualify",
            Status::Engage => "engage",
            Status::Review => "review",
        }
    }

    pub fn label(self, labels: &StatusLabels) -> &str {
        match self {
            Status::Close => &labels.close,
            Status::Qualify => &labels.qualify,
            Status::Engage => &labels.engage,
            Status::Review => &labels.review,
        }
    }
}
