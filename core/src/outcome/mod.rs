//! Learning from won and lost deals (OUTCOMES.md): backtest and fit. Scores deals through
//! `ingest` like any report and owns only the statistics on top; never used by `score`/`ingest`.

pub(crate) mod backtest;
pub(crate) mod metrics;
mod summary;
