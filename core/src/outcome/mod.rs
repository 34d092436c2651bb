//! Learning from won and lost deals (OUTCOMES.md): backtest and fit. Scores deals through
//! `ingest` like any report and owns only the statistics on top; never used by `score`/`ingest`.

pub(crate) mod backtest;
pub(crate) mod fit;
pub(crate) mod metrics;
pub(crate) mod scorecard;
mod summary;
