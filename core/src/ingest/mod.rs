//! How many activities reach the fold fast: the batch (each activity resolved into a compact
//! row, rows grouped by deal, then folded), streaming with memory bounded by the deals, the
//! incremental [`Scorer`](crate::Scorer), coded columns and threads. Every rule comes from `crate::score`;
//! nothing here decides a number.

pub(crate) mod batch;
pub(crate) mod check;
pub(crate) mod columns;
pub(crate) mod deals;
pub(crate) mod ids;
pub(crate) mod parallel;
pub(crate) mod part;
pub(crate) mod scorer;
#[cfg(feature = "parallel")]
pub(crate) mod shared;
pub(crate) mod stream;

use crate::date::Date;
use crate::error::Result;
use crate::input::{Activity, Deal};
use crate::model::compiled::ModelSet;
use crate::score::report::DealReport;
use crate::score::stale::{StaleOptions, StaleReport};
use columns::ActivityColumns;

/// Scores every deal named in `deals` or `activities` as of `as_of`: one report per deal id,
/// sorted by id. Activities may come in any order.
///
/// ```
/// use dealscore::{score_all, Activity, ModelSet};
/// let models = ModelSet::embedded();
/// let acts: Vec<Activity> = dealscore::from_json(r#"[
///   {"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["visited_us"],
///    "contacts": [{"person": "佐藤", "title": "部長"}]}
/// ]"#).unwrap();
/// let reports = score_all(&models, &[], &acts, "2026-11-27".parse().unwrap()).unwrap();
/// // 来社 20 + 部長 10 (one attendee: no band)
/// assert_eq!(reports[0].energy.total, 30);
/// ```
pub fn score_all(models: &ModelSet, deals: &[Deal], activities: &[Activity], as_of: Date) -> Result<Vec<DealReport>> {
    Ok(batch::fold_slice(models, deals, activities, as_of)?.into_iter().map(|f| f.report).collect())
}

/// [`score_all`] for activities given as columns of coded text ([`ActivityColumns`](crate::ingest::columns::ActivityColumns)): the same
/// reports and, on bad input, the same error (naming the activity of the first bad row), with
/// each distinct string looked up once instead of once per row.
pub fn score_columns(
    models: &ModelSet,
    deals: &[Deal],
    columns: &ActivityColumns<'_>,
    as_of: Date,
) -> Result<Vec<DealReport>> {
    Ok(batch::fold_columns(models, deals, columns, as_of)?.into_iter().map(|f| f.report).collect())
}

/// Deals whose last contact (or energy) is at least `days` before `as_of`, or that have none;
/// never-contacted first, then longest silence, then deal id.
pub fn stale(
    models: &ModelSet,
    deals: &[Deal],
    activities: &[Activity],
    as_of: Date,
    options: StaleOptions,
) -> Result<StaleReport> {
    Ok(crate::score::stale::stale_rows(as_of, batch::fold_slice(models, deals, activities, as_of)?, options))
}
