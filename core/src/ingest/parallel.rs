//! Scoring on several threads. Deals are split between threads by a hash of their id; each
//! thread reads the whole input, pushes the activities of its own deals into its own
//! [`BatchScorer`], and the reports are merged in deal id order. Every deal is folded by exactly
//! one thread from exactly its activities, so the reports are the ones a single thread gives.

#[cfg(feature = "parallel")]
use std::num::NonZeroUsize;

#[cfg(feature = "parallel")]
use crate::ingest::batch::{BatchScorer, any_duplicate};
#[cfg(feature = "parallel")]
use crate::ingest::part::Part;
#[cfg(feature = "parallel")]
use crate::score::fold::Finished;
#[cfg(feature = "parallel")]
use crate::{Activity, Date, Deal, DealReport, Error, ModelSet, Result};

/// Scores on `threads` threads with activities supplied by `feed`, which is called once on each
/// thread with that thread's [`Part`] and scorer and must push every activity whose deal the part
/// [`contains`](Part::contains) (and may push no other: pushing a deal of another part is an
/// error). The reports equal a single [`BatchScorer`]'s over the same activities.
///
/// On invalid input the error is one a thread met, not necessarily the first in input order;
/// callers that must name the first re-run sequentially (as [`score_all_parallel`] does).
#[cfg(feature = "parallel")]
pub fn score_parallel<F>(
    models: &ModelSet,
    deals: &[Deal],
    as_of: Date,
    threads: NonZeroUsize,
    feed: F,
) -> Result<Vec<DealReport>>
where
    F: Fn(Part, &mut BatchScorer<'_>) -> Result<()> + Sync,
{
    let folded = fold_parallel(models, deals, as_of, threads, feed, |_| Some(as_of))?;
    Ok(folded.into_iter().map(|f| f.report).collect())
}

/// [`score_parallel`]'s work, each deal `at` gives a date for folded as of that date (a
/// backtest's snapshots; `as_of` is then the scorers' own date, which `at` overrides), sorted by
/// deal id.
#[cfg(feature = "parallel")]
pub(crate) fn fold_parallel<'d, F>(
    models: &ModelSet,
    deals: &'d [Deal],
    as_of: Date,
    threads: NonZeroUsize,
    feed: F,
    at: impl Fn(&Deal) -> Option<Date> + Sync,
) -> Result<Vec<Finished<'d>>>
where
    F: Fn(Part, &mut BatchScorer<'_>) -> Result<()> + Sync,
{
    let count = threads.get();
    let parts: Vec<Part> = (0..count).map(|index| Part { index, count }).collect();
    // Every thread reads the input and keeps its part's rows...
    let scorers = on_threads(parts, |part| {
        let mut scorer = BatchScorer::for_part(models, deals, as_of, part)?;
        feed(part, &mut scorer)?;
        Ok(scorer)
    })?;
    // ...an id may repeat across parts, so repeats are looked for in all rows at once...
    if let Some(id) = any_duplicate(&scorers) {
        return Err(Error::DuplicateActivity { activity: id });
    }
    // ...and every thread folds its deals.
    let mut folded: Vec<Finished<'d>> = on_threads(scorers, |s| s.finish_at(&at))?.into_iter().flatten().collect();
    // Deal ids are distinct across parts: a total order.
    crate::util::sort::sort_unstable_by(&mut folded, |a, b| a.deal.id.cmp(&b.deal.id));
    Ok(folded)
}

/// Runs `job` on each input, each on its own thread (the first on this one), and returns the
/// results in input order; a panic on a thread resumes here.
#[cfg(feature = "parallel")]
fn on_threads<I: Send, T: Send>(inputs: Vec<I>, job: impl Fn(I) -> Result<T> + Sync) -> Result<Vec<T>> {
    std::thread::scope(|s| {
        let job = &job;
        let mut inputs = inputs.into_iter();
        let first = inputs.next();
        let others: Vec<_> = inputs.map(|input| s.spawn(move || job(input))).collect();
        first
            .map(job)
            .into_iter()
            .chain(others.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))))
            .collect()
    })
}

/// [`crate::score_all`] on `threads` threads: the same reports, and on invalid input exactly the
/// same error (found by re-running on one thread).
#[cfg(feature = "parallel")]
pub fn score_all_parallel(
    models: &ModelSet,
    deals: &[Deal],
    activities: &[Activity],
    as_of: Date,
    threads: NonZeroUsize,
) -> Result<Vec<DealReport>> {
    let feed = |part: Part, scorer: &mut BatchScorer<'_>| {
        scorer.reserve(activities.len() / part.count());
        activities.iter().filter(|a| part.contains(&a.deal)).try_for_each(|a| scorer.push(a))
    };
    match score_parallel(models, deals, as_of, threads, feed) {
        Ok(reports) => Ok(reports),
        Err(_) => crate::score_all(models, deals, activities, as_of),
    }
}

#[cfg(all(test, feature = "parallel"))]
mod tests {
    use std::num::NonZeroUsize;

    use super::*;

    fn act(id: &str, deal: &str) -> Activity {
        Activity {
            id: id.into(),
            deal: deal.into(),
            date: "2026-11-20".parse().unwrap(),
            actions: vec!["visited_us".into()],
            contacts: vec![],
            attendees: None,
            reporter: None,
            note: None,
        }
    }

    /// Two deals of different parts, so that each thread sees only one of them.
    fn split_deals() -> (String, String) {
        let id = |i: usize| format!("D-{i}");
        let a = id(0);
        let b = (1..100).map(id).find(|d| Part::of(d, 2) != Part::of(&a, 2)).unwrap();
        (a, b)
    }

    #[test]
    fn parts_are_fixed_by_the_deal_id() {
        // XXH3 of the id, the same everywhere: these values agree with Python's `xxhash` package.
        assert_eq!([0, 1, 2, 3, 4].map(|i| Part::of(&format!("S-{i:06}"), 4)), [3, 3, 3, 0, 3]);
        assert!(Part::new(0, 1).unwrap().contains("anything"));
        assert_eq!(Part::new(2, 2), None);
    }

    #[test]
    fn an_id_repeated_across_parts_is_a_duplicate() {
        let (a, b) = split_deals();
        let acts = [act("x1", &a), act("x1", &b)];
        let two = NonZeroUsize::new(2).unwrap();
        let feed = |part: Part, s: &mut BatchScorer<'_>| {
            acts.iter().filter(|x| part.contains(&x.deal)).try_for_each(|x| s.push(x))
        };
        let as_of = "2026-11-27".parse().unwrap();
        let err = score_parallel(&ModelSet::embedded(), &[], as_of, two, feed).unwrap_err();
        assert_eq!(err.code(), "duplicate_activity");
        assert!(err.to_string().contains("x1"), "{err}");
    }

    #[test]
    fn a_deal_of_another_part_is_refused() {
        let (a, b) = split_deals();
        let acts = [act("x1", &a), act("x2", &b)];
        let as_of = "2026-11-27".parse().unwrap();
        // Every activity to every part: each part meets a deal that is not its own.
        let feed = |_: Part, s: &mut BatchScorer<'_>| acts.iter().try_for_each(|x| s.push(x));
        let err = score_parallel(&ModelSet::embedded(), &[], as_of, NonZeroUsize::new(2).unwrap(), feed).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(err.to_string().contains("not in part"), "{err}");
    }
}
