//! [`SharedStream`]: a [`StreamScorer`] that several threads push into at once. Deals are split
//! between [`StreamScorer`]s by a hash of their id ([`Part`]), each behind its own lock; each
//! part logs the activity ids it took, and the logs are checked together once the pushing is
//! done, so a repeated id is caught whichever parts its activities fall in. Every deal is folded
//! by exactly one scorer from exactly its activities, so the reports are the ones a single
//! scorer gives.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::ingest::ids::{IdLog, repeated_id};
use crate::ingest::part::Part;
use crate::ingest::stream::StreamScorer;
use crate::input::{Activity, Deal};
use crate::model::compiled::ModelSet;
use crate::score::fold::Finished;
use crate::score::report::DealReport;
use crate::score::stale::{StaleOptions, StaleReport};

/// Scores activities pushed from several threads at once, in any order, as of a fixed date:
/// [`StreamScorer`]'s reports and memory bound, with the folding shared between threads.
///
/// On bad input a push fails with the error of one bad activity of those it was given, and the
/// others of that push may or may not have been taken. A repeated activity id is found when the
/// pushing is done: [`check_ids`](SharedStream::check_ids) (and `finish`) fail with
/// `duplicate_activity` naming it. A caller that must name the first bad activity in input order
/// (as the CLI does) pushes the same input into one [`StreamScorer`] after a failure.
///
/// ```
/// use std::num::NonZeroUsize;
/// use dealscore::{Activity, ModelSet, parallel::SharedStream};
/// let acts: Vec<Activity> = dealscore::from_json(r#"[
///   {"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["visited_us"]},
///   {"id": "a2", "deal": "D-2", "date": "2026-11-21", "actions": ["called_us"]}
/// ]"#).unwrap();
/// let models = ModelSet::embedded();
/// let shared = SharedStream::new(&models, &[], "2026-11-27".parse().unwrap(), NonZeroUsize::new(2).unwrap()).unwrap();
/// std::thread::scope(|s| {
///     for a in &acts {
///         let shared = &shared;
///         s.spawn(move || shared.push(std::slice::from_ref(a)).unwrap());
///     }
/// });
/// let reports = shared.finish().unwrap();
/// assert_eq!(reports.iter().map(|r| r.deal.as_str()).collect::<Vec<_>>(), ["D-1", "D-2"]);
/// ```
#[derive(Debug)]
pub struct SharedStream {
    parts: Vec<Mutex<StreamScorer>>,
    as_of: Date,
    /// How many activities [`SharedStream::check_ids`] last found free of repeated ids.
    unique: AtomicUsize,
}

impl SharedStream {
    /// A scorer whose deals are split into `parts` (as many as the threads that will push is a
    /// good choice).
    pub fn new(models: &ModelSet, deals: &[Deal], as_of: Date, parts: NonZeroUsize) -> Result<SharedStream> {
        SharedStream::new_at(models, deals, as_of, |_| None, parts)
    }

    /// A scorer whose deals `at` dates are folded as of that date (a backtest's snapshots), as
    /// [`StreamScorer::new_at`]'s.
    pub(crate) fn new_at(
        models: &ModelSet,
        deals: &[Deal],
        as_of: Date,
        at: impl Fn(&Deal) -> Option<Date>,
        parts: NonZeroUsize,
    ) -> Result<SharedStream> {
        // Every deal checked once, in input order as one scorer checks them, before they are split.
        crate::score::check::check_deals(models, deals)?;
        let count = parts.get();
        let parts = (0..count)
            .map(|index| {
                let part = Part { index, count };
                Ok(Mutex::new(StreamScorer::for_part(models, deals, as_of, &at, part)?))
            })
            .collect::<Result<_>>()?;
        Ok(SharedStream { parts, as_of, unique: AtomicUsize::new(0) })
    }

    /// Adds `activities`, each to the scorer of its deal's part, taking whichever part is free
    /// first. Stops at the first error (see the type's notes on bad input).
    pub fn push(&self, activities: &[Activity]) -> Result<()> {
        let count = self.parts.len();
        let mut mine: Vec<Vec<&Activity>> = vec![Vec::new(); count];
        for a in activities {
            mine[Part::of(&a.deal, count)].push(a);
        }
        let mut left: Vec<usize> = (0..count).filter(|&p| !mine[p].is_empty()).collect();
        while !left.is_empty() {
            // A free part if there is one, else wait for the first one left.
            let (k, mut scorer) = left
                .iter()
                .enumerate()
                .find_map(|(k, &p)| self.parts[p].try_lock().ok().map(|s| (k, s)))
                .unwrap_or_else(|| (0, lock(&self.parts[left[0]])));
            let p = left.swap_remove(k);
            mine[p].iter().try_for_each(|a| scorer.push(a))?;
        }
        Ok(())
    }

    /// Activities accepted so far.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| lock(p).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `duplicate_activity` if an activity id was taken twice, by one part or by two. Call it
    /// once the pushing is done (pushes racing with it may or may not be seen); `finish` calls it
    /// unless it found nothing since the last push.
    pub fn check_ids(&self) -> Result<()> {
        // Every part held at once, in order (a push holds one at a time), for one consistent view.
        let held: Vec<MutexGuard<'_, StreamScorer>> = self.parts.iter().map(lock).collect();
        let logs: Vec<&IdLog> = held.iter().filter_map(|s| s.id_log()).collect();
        if let Some(id) = repeated_id(&logs) {
            return Err(Error::DuplicateActivity { activity: id });
        }
        self.unique.store(held.iter().map(|s| s.len()).sum(), Ordering::Relaxed);
        Ok(())
    }

    /// One report per deal, sorted by deal id; `duplicate_activity` if an id was taken twice.
    pub fn finish(self) -> Result<Vec<DealReport>> {
        Ok(self.finish_with_dates()?.into_iter().map(|f| f.report).collect())
    }

    /// The stale list over everything pushed (see [`crate::stale`]).
    pub fn finish_stale(self, options: StaleOptions) -> Result<StaleReport> {
        let as_of = self.as_of;
        Ok(crate::score::stale::stale_rows(as_of, self.finish_with_dates()?, options))
    }

    /// Every deal's report, sorted by deal id, with what the stale list and a backtest need;
    /// `duplicate_activity` if an id was taken twice.
    pub(crate) fn finish_with_dates(self) -> Result<Vec<Finished<'static>>> {
        if self.unique.load(Ordering::Relaxed) != self.len() {
            self.check_ids()?;
        }
        let scorers = self.parts.into_iter().map(|p| p.into_inner().unwrap_or_else(PoisonError::into_inner));
        // Each part's deals are finished on a thread of their own.
        let mut all: Vec<Finished<'static>> = std::thread::scope(|s| {
            let handles: Vec<_> = scorers.map(|scorer| s.spawn(move || scorer.finish_with_dates())).collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        });
        // Deal ids are distinct across parts: a total order.
        crate::util::sort::sort_unstable_by(&mut all, |a, b| a.deal.id.cmp(&b.deal.id));
        Ok(all)
    }
}

/// A part's scorer. A panic while it was held (a bug) left its state as a failed push leaves
/// it, or with one activity less folded: its reports are not trusted either way, but the error
/// that follows the panic is the caller's to report.
fn lock(part: &Mutex<StreamScorer>) -> MutexGuard<'_, StreamScorer> {
    part.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acts(json: &str) -> Vec<Activity> {
        crate::from_json(json).unwrap()
    }

    /// The example file's activities pushed from two threads in blocks, against one scorer.
    #[test]
    fn reports_equal_one_scorers() {
        let models = ModelSet::embedded();
        let deals: Vec<Deal> = crate::from_json(include_str!("../../../examples/deals.json")).unwrap();
        let text = include_str!("../../../examples/activities.jsonl");
        let all: Vec<Activity> = text.lines().map(|l| crate::from_json(l).unwrap()).collect();
        let as_of: Date = "2026-11-27".parse().unwrap();
        let mut one = StreamScorer::new(&models, deals.clone(), as_of).unwrap();
        for a in &all {
            one.push(a).unwrap();
        }
        let want = serde_json::to_string(&one.finish().unwrap()).unwrap();
        for parts in 1..=4 {
            let shared = SharedStream::new(&models, &deals, as_of, NonZeroUsize::new(parts).unwrap()).unwrap();
            std::thread::scope(|s| {
                for half in all.chunks(all.len().div_ceil(2)) {
                    let shared = &shared;
                    s.spawn(move || half.chunks(3).for_each(|block| shared.push(block).unwrap()));
                }
            });
            assert_eq!(shared.len(), all.len());
            assert_eq!(serde_json::to_string(&shared.finish().unwrap()).unwrap(), want, "{parts} parts");
        }
    }

    /// An id repeated in deals of different parts is caught when the pushing is done, and a
    /// failed activity's id is given back.
    #[test]
    fn ids_are_checked_across_parts() {
        let (a, b) = {
            let id = |i: usize| format!("D-{i}");
            let a = id(0);
            let b = (1..100).map(id).find(|d| Part::of(d, 2) != Part::of(&a, 2)).unwrap();
            (a, b)
        };
        let models = ModelSet::embedded();
        let as_of = "2026-11-27".parse().unwrap();
        let act = |id: &str, deal: &str, action: &str| {
            acts(&format!(r#"[{{"id": "{id}", "deal": "{deal}", "date": "2026-11-20", "actions": ["{action}"]}}]"#))
        };
        let two = NonZeroUsize::new(2).unwrap();
        let shared = SharedStream::new(&models, &[], as_of, two).unwrap();
        shared.push(&act("x1", &a, "visited_us")).unwrap();
        assert_eq!(shared.push(&act("x2", &b, "flew_to_mars")).unwrap_err().code(), "unknown_action");
        shared.push(&act("x2", &a, "called_us")).unwrap();
        shared.push(&act("x3", &b, "called_us")).unwrap();
        assert_eq!(shared.len(), 3);
        shared.check_ids().unwrap();
        shared.push(&act("x1", &b, "visited_us")).unwrap();
        let err = shared.check_ids().unwrap_err();
        assert_eq!((err.code(), err.to_string().contains("\"x1\"")), ("duplicate_activity", true), "{err}");
        // `finish` checks what came after the last clean check.
        assert_eq!(shared.finish().unwrap_err().code(), "duplicate_activity");
        let shared = SharedStream::new(&models, &[], as_of, two).unwrap();
        shared.push(&act("x1", &a, "visited_us")).unwrap();
        shared.push(&act("x1", &a, "called_us")).unwrap();
        assert_eq!(shared.finish().unwrap_err().code(), "duplicate_activity");
    }
}
