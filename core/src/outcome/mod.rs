//! Learning from won and lost deals (OUTCOMES.md): backtest and fit.
//! Scores deals through `score`/`ingest` like any report; owns only the statistics on top.

pub(crate) mod metrics;
pub(crate) mod scorecard;
