//! Backtest (OUTCOMES.md §2–3): each closed deal scored as of its snapshot date, then how well
//! each score told the won deals from the lost ones.

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::ingest::batch::BatchScorer;
#[cfg(feature = "parallel")]
use crate::ingest::part::Part;
use crate::ingest::stream::StreamScorer;
use crate::input::{Activity, ActivityRef, Deal, Outcome};
use crate::model::compiled::ModelSet;
use crate::outcome::summary;
use crate::score::fold::Finished;

/// The horizon when neither `horizon_days` nor `as_of` is given.
pub const DEFAULT_HORIZON_DAYS: u32 = 14;
/// Lift groups when `bins` is not given.
pub const DEFAULT_BINS: u32 = 10;
/// The longest horizon accepted: ten years.
pub const MAX_HORIZON_DAYS: u32 = 3_660;

/// How the snapshot of each closed deal is chosen, and how finely lift is cut.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BacktestOptions {
    /// Horizon mode: each deal is scored `horizon_days` before it closed (default 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// Cohort mode: every deal closed after this date is scored as of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Lift groups, 1–100 (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bins: Option<u32>,
}

/// The snapshot rule, once the options are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Snapshot {
    Horizon(u32),
    Cohort(Date),
}

impl Snapshot {
    /// The date a deal is scored at, or `None` when it is not in the population.
    pub fn of(self, deal: &Deal) -> Option<Date> {
        let (_, closed_on) = deal.closed()?;
        match self {
            // In range: checked for every deal when the backtest starts (`check_snapshots`).
            Snapshot::Horizon(days) => closed_on.add_days(-(days as i32)),
            Snapshot::Cohort(t) => (closed_on > t).then_some(t),
        }
    }
}

impl BacktestOptions {
    pub(crate) fn checked(&self) -> Result<(Snapshot, u32)> {
        let bins = self.bins.unwrap_or(DEFAULT_BINS);
        if !(1..=100).contains(&bins) {
            return Err(Error::InvalidInput {
                path: "options.bins".into(),
                message: format!("{bins} lift groups: give 1 to 100"),
            });
        }
        let snapshot = match (self.horizon_days, self.as_of) {
            (Some(_), Some(_)) => {
                return Err(Error::InvalidInput {
                    path: "options.as_of".into(),
                    message: "give horizon_days (horizon mode) or as_of (cohort mode), not both".into(),
                });
            }
            (_, Some(t)) => Snapshot::Cohort(t),
            (Some(days), None) if days > MAX_HORIZON_DAYS => {
                return Err(Error::InvalidInput {
                    path: "options.horizon_days".into(),
                    message: format!("{days} days: at most {MAX_HORIZON_DAYS}"),
                });
            }
            (days, None) => Snapshot::Horizon(days.unwrap_or(DEFAULT_HORIZON_DAYS)),
        };
        Ok((snapshot, bins))
    }
}

/// Every closed deal's snapshot must be a real date.
fn check_snapshots(deals: &[Deal], snapshot: Snapshot) -> Result<()> {
    for deal in deals {
        if deal.closed().is_some() && snapshot.of(deal).is_none() && matches!(snapshot, Snapshot::Horizon(_)) {
            return Err(Error::InvalidInput {
                path: format!("deals[{:?}].closed_on", deal.id),
                message: "the snapshot (closed_on minus horizon_days) is before year -9999".into(),
            });
        }
    }
    Ok(())
}

/// The backtest of a population (OUTCOMES.md §3); serialises to the contract's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Backtest {
    /// `horizon` or `cohort`.
    pub mode: CompactString,
    pub horizon_days: Option<u32>,
    pub as_of: Option<Date>,
    pub deals: u32,
    pub won: u32,
    pub lost: u32,
    pub win_rate: Option<f64>,
    /// In words: when the figures are unstable (under 40 won or lost) or the population is empty.
    pub warnings: Vec<String>,
    pub scores: Scores,
    pub by_status: Vec<StatusRate>,
    pub insights: Vec<Insight>,
    pub rows: Vec<BacktestRow>,
}

/// How well each score ranks won above lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scores {
    pub energy: ScoreFit,
    pub decayed: ScoreFit,
    pub breadth: ScoreFit,
    pub continuity: ScoreFit,
    /// Absent when no deal's model has quality indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<ScoreFit>,
}

/// One score's AUC and lift groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreFit {
    /// `null` when there are no won or no lost deals.
    pub auc: Option<f64>,
    pub lift: Vec<LiftGroup>,
}

/// A number as its score has it: energy counts points (an integer), the others are ratios.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ScoreValue {
    Int(u64),
    Float(f64),
}

impl ScoreValue {
    /// The value as a float, whichever kind it is.
    pub fn as_f64(self) -> f64 {
        match self {
            ScoreValue::Int(n) => n as f64,
            ScoreValue::Float(x) => x,
        }
    }
}

/// One lift group: deals ranked by score, highest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftGroup {
    pub deals: u32,
    pub won: u32,
    pub win_rate: f64,
    pub min: ScoreValue,
    pub max: ScoreValue,
    /// The share of all won deals in this group and the groups before it (`null` with none won).
    pub won_share: Option<f64>,
}

/// The win rate of the deals in one status at their snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRate {
    /// The canonical name (close, qualify, engage, review), not the model's label.
    pub status: CompactString,
    pub deals: u32,
    pub won: u32,
    pub win_rate: Option<f64>,
}

/// How deals with one action, role, indicator or signal fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Insight {
    /// `action`, `role`, `indicator` or `signal`.
    pub kind: CompactString,
    pub id: CompactString,
    pub deals: u32,
    pub won: u32,
    pub win_rate: Option<f64>,
    /// `win_rate` over the population's win rate.
    pub lift: Option<f64>,
}

/// One population deal at its snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BacktestRow {
    pub deal: CompactString,
    pub snapshot: Date,
    pub outcome: Outcome,
    pub energy: u64,
    pub decayed: f64,
    pub breadth: f64,
    pub continuity: f64,
    /// `null` when the deal's model has no quality indicators (it counts as 0 in the scores).
    pub quality: Option<f64>,
    /// The canonical status name.
    pub status: CompactString,
}

/// Backtests `activities` against the closed deals of `deals` (OUTCOMES.md §2–3), through the
/// batch path of [`score_all`](crate::score_all); bad input fails as `score_all` fails.
///
/// ```
/// use dealscore::{backtest, Activity, BacktestOptions, Deal, ModelSet};
/// let deals: Vec<Deal> = dealscore::from_json(r#"[
///   {"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"},
///   {"id": "D-2", "outcome": "lost", "closed_on": "2026-06-30"}]"#).unwrap();
/// let acts: Vec<Activity> = dealscore::from_json(r#"[
///   {"id": "a1", "deal": "D-1", "date": "2026-06-01", "actions": ["visited_us"], "contacts": []}]"#).unwrap();
/// let bt = backtest(&ModelSet::embedded(), &deals, &acts, &BacktestOptions::default()).unwrap();
/// assert_eq!((bt.deals, bt.won, bt.lost), (2, 1, 1));
/// assert_eq!(bt.scores.energy.auc, Some(1.0)); // the won deal had energy, the lost one none
/// ```
pub fn backtest(
    models: &ModelSet,
    deals: &[Deal],
    activities: &[Activity],
    options: &BacktestOptions,
) -> Result<Backtest> {
    let (snapshot, bins) = options.checked()?;
    check_snapshots(deals, snapshot)?;
    let folded = crate::ingest::batch::fold_slice_at(models, deals, activities, |d| snapshot.of(d))?;
    Ok(summary::summarise(models, &folded, snapshot, bins))
}

/// A backtest of activities pushed one at a time (a file, a stream): memory bounded by the
/// deals, as [`StreamScorer`]'s. Gives [`backtest`]'s result.
#[derive(Debug)]
pub struct Backtester {
    scorer: StreamScorer,
    snapshot: Snapshot,
    bins: u32,
}

impl Backtester {
    pub fn new(models: &ModelSet, deals: Vec<Deal>, options: &BacktestOptions) -> Result<Backtester> {
        let (snapshot, bins) = options.checked()?;
        check_snapshots(&deals, snapshot)?;
        // Deals outside the population (open, or named only by activities) are still checked
        // and folded, at any date: their reports are not used.
        let any = match snapshot {
            Snapshot::Cohort(t) => t,
            Snapshot::Horizon(_) => Date::from_ymd(1970, 1, 1).expect("a real date"),
        };
        let scorer = StreamScorer::new_at(models, deals, any, |d| snapshot.of(d))?;
        Ok(Backtester { scorer, snapshot, bins })
    }

    /// Adds one activity; errors as [`StreamScorer::push`]'s.
    pub fn push(&mut self, activity: &Activity) -> Result<()> {
        self.scorer.push(activity)
    }

    /// Activities accepted so far.
    pub fn len(&self) -> usize {
        self.scorer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scorer.is_empty()
    }

    pub fn finish(self) -> Backtest {
        let models = self.scorer.models().clone();
        let snapshot = self.snapshot;
        let folded: Vec<Finished<'static>> =
            self.scorer.finish_with_dates().into_iter().filter(|f| snapshot.of(&f.deal).is_some()).collect();
        summary::summarise(&models, &folded, snapshot, self.bins)
    }
}

/// A [`Backtester`] that several threads push into at once ([`SharedStream`](crate::parallel::SharedStream)'s
/// way: deals split into parts, the ids checked when the pushing is done, memory bounded by the
/// deals). Gives [`backtest`]'s result; on bad input, an error of one bad activity (see
/// `SharedStream`).
#[cfg(feature = "parallel")]
#[derive(Debug)]
pub struct SharedBacktester {
    stream: crate::ingest::shared::SharedStream,
    models: ModelSet,
    snapshot: Snapshot,
    bins: u32,
}

#[cfg(feature = "parallel")]
impl SharedBacktester {
    pub fn new(
        models: &ModelSet,
        deals: &[Deal],
        options: &BacktestOptions,
        parts: std::num::NonZeroUsize,
    ) -> Result<SharedBacktester> {
        let (snapshot, bins) = options.checked()?;
        check_snapshots(deals, snapshot)?;
        let any = match snapshot {
            Snapshot::Cohort(t) => t,
            Snapshot::Horizon(_) => unused_date(),
        };
        let stream = crate::ingest::shared::SharedStream::new_at(models, deals, any, |d| snapshot.of(d), parts)?;
        Ok(SharedBacktester { stream, models: models.clone(), snapshot, bins })
    }

    /// Adds `activities` (from any thread).
    pub fn push(&self, activities: &[Activity]) -> Result<()> {
        self.stream.push(activities)
    }

    /// Activities accepted so far.
    pub fn len(&self) -> usize {
        self.stream.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stream.is_empty()
    }

    /// `duplicate_activity` if an activity id was taken twice (see [`SharedStream::check_ids`](crate::parallel::SharedStream::check_ids)).
    pub fn check_ids(&self) -> Result<()> {
        self.stream.check_ids()
    }

    /// [`backtest`]'s result; `duplicate_activity` if an activity id was taken twice.
    pub fn finish(self) -> Result<Backtest> {
        let snapshot = self.snapshot;
        let folded: Vec<Finished<'static>> =
            self.stream.finish_with_dates()?.into_iter().filter(|f| snapshot.of(&f.deal).is_some()).collect();
        Ok(summary::summarise(&self.models, &folded, snapshot, self.bins))
    }
}

/// The date a backtest's scorers are created with: never used, since the snapshots date every
/// deal folded.
fn unused_date() -> Date {
    Date::from_ymd(1970, 1, 1).expect("a real date")
}

/// A backtest of activities pushed one at a time through the batch engine of
/// [`BatchScorer`] (a data frame's rows as [`ActivityRef`]s, say): [`backtest`]'s speed and
/// result without first collecting a `Vec` of activities. Memory grows with the activities, as
/// `BatchScorer`'s; [`Backtester`] keeps it bounded by the deals.
///
/// ```
/// use dealscore::{Activity, BacktestOptions, BatchBacktester, Deal, ModelSet};
/// let deals: Vec<Deal> = dealscore::from_json(r#"[
///   {"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"},
///   {"id": "D-2", "outcome": "lost", "closed_on": "2026-06-30"}]"#).unwrap();
/// let visit: Activity = dealscore::from_json(
///   r#"{"id": "a1", "deal": "D-1", "date": "2026-06-01", "actions": ["visited_us"], "contacts": []}"#).unwrap();
/// let mut bt = BatchBacktester::new(&ModelSet::embedded(), deals, &BacktestOptions::default()).unwrap();
/// bt.push(&visit).unwrap();
/// assert_eq!(bt.finish().unwrap().scores.energy.auc, Some(1.0));
/// ```
#[derive(Debug)]
pub struct BatchBacktester {
    models: ModelSet,
    scorer: BatchScorer<'static>,
    snapshot: Snapshot,
    bins: u32,
}

impl BatchBacktester {
    /// Checks the options and the deals as [`backtest`] does, in the same order.
    pub fn new(models: &ModelSet, deals: Vec<Deal>, options: &BacktestOptions) -> Result<BatchBacktester> {
        let (snapshot, bins) = options.checked()?;
        check_snapshots(&deals, snapshot)?;
        let scorer = BatchScorer::new(models, deals, unused_date())?;
        Ok(BatchBacktester { models: models.clone(), scorer, snapshot, bins })
    }

    /// Pre-allocates for `n` more activities.
    pub fn reserve(&mut self, n: usize) {
        self.scorer.reserve(n);
    }

    /// Checks and keeps one activity, as [`BatchScorer::push`].
    pub fn push(&mut self, a: &Activity) -> Result<()> {
        self.scorer.push(a)
    }

    /// [`push`](Self::push) for an activity whose text is borrowed.
    pub fn push_ref(&mut self, a: &ActivityRef<'_>) -> Result<()> {
        self.scorer.push_ref(a)
    }

    /// The first push (its position and id) whose activity id an earlier push already had;
    /// `finish` reports it as `duplicate_activity`.
    pub fn first_duplicate(&self) -> Option<(usize, &str)> {
        self.scorer.first_duplicate()
    }

    /// Activities accepted so far.
    pub fn len(&self) -> usize {
        self.scorer.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scorer.is_empty()
    }

    /// The backtest; `duplicate_activity` if an id was pushed twice.
    pub fn finish(self) -> Result<Backtest> {
        let snapshot = self.snapshot;
        let folded = self.scorer.finish_at(&|d| snapshot.of(d))?;
        Ok(summary::summarise(&self.models, &folded, snapshot, self.bins))
    }
}

/// [`backtest`] on `threads` threads, with activities supplied by `feed` as for
/// [`score_parallel`](crate::ingest::parallel::score_parallel): each thread folds the deals of its
/// [`Part`] at their snapshots, and the figures are computed once over all of them. The result
/// equals a single [`BatchBacktester`]'s over the same activities.
///
/// On invalid input the error is one a thread met, not necessarily the first in input order;
/// callers that must name the first re-run on one thread.
#[cfg(feature = "parallel")]
pub fn backtest_parallel<F>(
    models: &ModelSet,
    deals: &[Deal],
    options: &BacktestOptions,
    threads: std::num::NonZeroUsize,
    feed: F,
) -> Result<Backtest>
where
    F: Fn(Part, &mut BatchScorer<'_>) -> Result<()> + Sync,
{
    let (snapshot, bins) = options.checked()?;
    check_snapshots(deals, snapshot)?;
    let folded =
        crate::ingest::parallel::fold_parallel(models, deals, unused_date(), threads, feed, |d| snapshot.of(d))?;
    Ok(summary::summarise(models, &folded, snapshot, bins))
}

impl Backtest {
    /// The backtest of the union of disjoint populations, from the backtest of each (rows
    /// included): what a partitioned run (Spark, say) collects. Counts, win rates by status and
    /// insights add up; AUC and lift are computed again from the rows with `bins` groups
    /// (default 10). All parts must follow one snapshot rule (mode, horizon or cohort date) and
    /// no deal may be in two of them.
    ///
    /// The result equals the backtest of all the deals at once when every part that has deals
    /// lists the same insights, which is always so with a single model. **Choice**
    /// (docs/model.md): with a model set whose parts used different models, insights are listed
    /// in the order they first appear, part by part (the same entries and figures, perhaps in
    /// another order).
    ///
    /// ```
    /// use dealscore::{backtest, Backtest, BacktestOptions, Deal, ModelSet};
    /// let deals: Vec<Deal> = dealscore::from_json(r#"[
    ///   {"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"},
    ///   {"id": "D-2", "outcome": "lost", "closed_on": "2026-06-30"}]"#).unwrap();
    /// let (models, options) = (ModelSet::embedded(), BacktestOptions::default());
    /// let whole = backtest(&models, &deals, &[], &options).unwrap();
    /// let parts = [backtest(&models, &deals[..1], &[], &options).unwrap(),
    ///              backtest(&models, &deals[1..], &[], &options).unwrap()];
    /// assert_eq!(Backtest::merge(&parts, None).unwrap(), whole);
    /// ```
    pub fn merge(parts: &[Backtest], bins: Option<u32>) -> Result<Backtest> {
        let options = BacktestOptions { bins, ..BacktestOptions::default() };
        let (_, bins) = options.checked()?;
        summary::merge(parts, bins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deals(text: &str) -> Vec<Deal> {
        crate::from_json(text).unwrap()
    }

    fn run(deals: &[Deal], options: &BacktestOptions) -> Backtest {
        backtest(&ModelSet::embedded(), deals, &[], options).unwrap()
    }

    #[test]
    fn merge_refuses_what_cannot_be_one_population() {
        let one = deals(r#"[{"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"}]"#);
        let horizon = run(&one, &BacktestOptions::default());
        let cohort = run(&one, &BacktestOptions { as_of: Some("2026-06-01".parse().unwrap()), ..Default::default() });
        let code_path = |r: Result<Backtest>| {
            let e = r.unwrap_err();
            (e.code(), e.path().map(str::to_owned))
        };
        assert_eq!(code_path(Backtest::merge(&[], None)), ("invalid_input", Some("parts".into())));
        let mixed = Backtest::merge(&[horizon.clone(), cohort], None);
        assert_eq!(code_path(mixed), ("invalid_input", Some("parts[1].mode".into())));
        let twice = Backtest::merge(&[horizon.clone(), horizon.clone()], None);
        assert_eq!(code_path(twice), ("invalid_input", Some("parts".into())));
        let mut short = horizon.clone();
        short.rows.clear();
        assert_eq!(code_path(Backtest::merge(&[short], None)), ("invalid_input", Some("parts[0].rows".into())));
        assert_eq!(code_path(Backtest::merge(&[horizon], Some(0))), ("invalid_input", Some("options.bins".into())));
    }

    #[test]
    fn merging_empty_parts_keeps_the_empty_population() {
        let open = deals(r#"[{"id": "D-1"}]"#);
        let empty = run(&open, &BacktestOptions::default());
        assert_eq!(empty.deals, 0);
        assert_eq!(Backtest::merge(&[empty.clone(), empty.clone()], None).unwrap(), empty);
    }

    #[test]
    fn merge_recuts_lift_with_its_own_bins() {
        let four = deals(
            r#"[{"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"},
                {"id": "D-2", "outcome": "lost", "closed_on": "2026-06-30"},
                {"id": "D-3", "outcome": "won", "closed_on": "2026-06-30"},
                {"id": "D-4", "outcome": "lost", "closed_on": "2026-06-30"}]"#,
        );
        let two_bins = BacktestOptions { bins: Some(2), ..Default::default() };
        let parts = [run(&four[..2], &BacktestOptions::default()), run(&four[2..], &BacktestOptions::default())];
        assert_eq!(Backtest::merge(&parts, Some(2)).unwrap(), run(&four, &two_bins));
        assert_eq!(Backtest::merge(&parts, Some(2)).unwrap().scores.energy.lift.len(), 2);
    }
}
