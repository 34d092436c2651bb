//! What a score is, one deal at a time: the checks a deal and an activity must pass, an
//! activity's energy E(a) and its explanation, the fold of a deal's activities into its report
//! (axes, signals, quality, status) and the stale rule. Uses the model and the shared vocabulary
//! (`date`, `error`, `input`), never the ingestion machinery (`crate::ingest`), which calls it.

pub(crate) mod axes;
pub(crate) mod check;
pub(crate) mod day_sums;
pub(crate) mod energy;
pub(crate) mod explain;
pub(crate) mod fold;
pub(crate) mod quality;
pub(crate) mod report;
pub(crate) mod rows;
pub(crate) mod stale;
pub(crate) mod status;
