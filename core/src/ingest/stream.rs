//! [`StreamScorer`]: scoring for a fixed date with each activity checked as it comes and folded
//! soon after, for inputs too large to hold. Memory grows with the number of deals, not of
//! activities (plus, to catch repeated ids, 16 bytes per activity id, or the id and 16 bytes as
//! one of several parts of a shared stream, and a fixed number of resolved rows waiting to be
//! folded).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashSet;

#[cfg(feature = "parallel")]
use crate::ingest::ids::IdLog;
#[cfg(feature = "parallel")]
use crate::ingest::part::Part;

use crate::date::Date;
use crate::error::{Error, Result};
use crate::ingest::deals::DealTable;
use crate::input::{Activity, ActivityText, Deal};
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::score::check::check_ids;
use crate::score::fold::{DealAcc, Decay, Finished};
use crate::score::report::DealReport;
use crate::score::rows::{ContactIds, Names, RowBuilder, RowHead};
use crate::score::stale::{StaleOptions, StaleReport};

/// Scores activities pushed one at a time, in any order, as of a fixed date.
#[derive(Debug)]
pub struct StreamScorer {
    models: ModelSet,
    as_of: Date,
    deals: DealTable<'static>,
    /// Each deal's accumulator, parallel to `deals`.
    accs: Vec<DealAcc<'static>>,
    names: Names,
    rows: RowBuilder,
    seen: Seen,
    pushed: usize,
    waiting: Waiting,
    /// Rows that wait before they are folded (see [`FOLD_EVERY`]).
    fold_every: usize,
    /// The deals this scorer may score, when it is one of several (see [`crate::parallel::SharedStream`]).
    #[cfg(feature = "parallel")]
    part: Option<Part>,
}

/// The ids taken so far.
#[derive(Debug)]
enum Seen {
    /// Checked at each push: a repeat fails the push that brings it.
    Own(FxHashSet<u128>),
    /// Logged, to be checked with the other parts' logs when the pushing is done
    /// ([`crate::parallel::SharedStream::check_ids`]).
    #[cfg(feature = "parallel")]
    Logged(IdLog),
}

impl Seen {
    /// Takes `id`; false if it was taken already.
    fn take(&mut self, id: &str) -> bool {
        match self {
            Seen::Own(set) => set.insert(id_key(id)),
            #[cfg(feature = "parallel")]
            Seen::Logged(log) => {
                log.push(id);
                true
            }
        }
    }

    /// Gives back `id`, the last one taken.
    fn give_back(&mut self, id: &str) {
        match self {
            Seen::Own(set) => {
                set.remove(&id_key(id));
            }
            #[cfg(feature = "parallel")]
            Seen::Logged(log) => log.pop(),
        }
    }
}

/// Rows folded at once, at most, by a scorer of all deals: a few per deal of a large input, a
/// few MB. A scorer of one part of `count` holds `1/count` of the deals and as many of the rows,
/// so it folds every `FOLD_EVERY / count` rows: the same rows per deal, and all parts together
/// hold no more than one whole scorer.
const FOLD_EVERY: usize = 1 << 17;

/// Activities checked and resolved but not yet folded. Folding them grouped by deal keeps each
/// deal's state hot while its rows are read, where input order would jump between the states of
/// all deals at every row. Within a deal the order is the input's.
#[derive(Debug, Default)]
struct Waiting {
    rows: Vec<WaitingRow>,
    actions: Vec<u16>,
    contacts: Vec<ContactIds>,
    ids: String,
    /// The fold's order, kept to reuse its memory.
    order: Vec<u64>,
}

#[derive(Debug)]
struct WaitingRow {
    deal: u32,
    head: RowHead,
    actions: Range<usize>,
    contacts: Range<usize>,
    id: Range<usize>,
}

impl StreamScorer {
    pub fn new(models: &ModelSet, deals: Vec<Deal>, as_of: Date) -> Result<StreamScorer> {
        StreamScorer::new_at(models, deals, as_of, |_| None)
    }

    /// A scorer whose deals `at` dates are folded as of that date instead of `as_of` (a
    /// backtest's snapshots); deals only activities name are folded as of `as_of`.
    pub(crate) fn new_at(
        models: &ModelSet,
        deals: Vec<Deal>,
        as_of: Date,
        at: impl Fn(&Deal) -> Option<Date>,
    ) -> Result<StreamScorer> {
        let deals = DealTable::new(models, deals.into_iter().map(Cow::Owned).collect())?;
        let mut names = Names::default();
        let accs = deals
            .deals
            .iter()
            .zip(&deals.models)
            .map(|(d, m)| DealAcc::new(m, d, at(d).unwrap_or(as_of), &mut names))
            .collect();
        Ok(StreamScorer {
            models: models.clone(),
            as_of,
            deals,
            accs,
            names,
            rows: RowBuilder::default(),
            seen: Seen::Own(FxHashSet::default()),
            pushed: 0,
            waiting: Waiting::default(),
            fold_every: FOLD_EVERY,
            #[cfg(feature = "parallel")]
            part: None,
        })
    }

    /// A scorer of the deals in `part` only (those of `deals` and any other deal of the part
    /// that activities name), logging the ids it takes for a check with the other parts' (see
    /// [`StreamScorer::id_log`]). Deals `at` dates are folded as of that date, as
    /// [`StreamScorer::new_at`]'s.
    #[cfg(feature = "parallel")]
    pub(crate) fn for_part(
        models: &ModelSet,
        deals: &[Deal],
        as_of: Date,
        at: impl Fn(&Deal) -> Option<Date>,
        part: Part,
    ) -> Result<StreamScorer> {
        let mine = deals.iter().filter(|d| part.contains(&d.id)).cloned().collect();
        let mut scorer = StreamScorer::new_at(models, mine, as_of, at)?;
        scorer.part = Some(part);
        scorer.fold_every = (FOLD_EVERY / part.count).max(1 << 10);
        scorer.seen = Seen::Logged(IdLog::default());
        Ok(scorer)
    }

    /// The ids taken, in push order, when they are checked with other parts' rather than at
    /// each push.
    #[cfg(feature = "parallel")]
    pub(crate) fn id_log(&self) -> Option<&IdLog> {
        match &self.seen {
            Seen::Own(_) => None,
            Seen::Logged(log) => Some(log),
        }
    }

    /// Pre-allocates for `n` more activities.
    pub fn reserve(&mut self, n: usize) {
        match &mut self.seen {
            Seen::Own(set) => set.reserve(n),
            // A part's share of `n` is not known.
            #[cfg(feature = "parallel")]
            Seen::Logged(_) => {}
        }
    }

    /// Adds one activity. Errors name the activity; the scorer is unchanged by a failed push.
    pub fn push(&mut self, a: &Activity) -> Result<()> {
        self.push_text(a)
    }

    pub(crate) fn push_text(&mut self, a: &impl ActivityText) -> Result<()> {
        check_ids(a, "activity")?;
        // The id is taken first (one look-up) and given back if the activity fails: a failed
        // push leaves no trace.
        if !self.seen.take(a.id()) {
            return Err(Error::DuplicateActivity { activity: a.id().to_owned() });
        }
        let resolved = self.resolve(a);
        if resolved.is_err() {
            self.seen.give_back(a.id());
        }
        let (i, row) = resolved?;
        let w = &mut self.waiting;
        let at = |len: usize, added: usize| len..len + added;
        w.rows.push(WaitingRow {
            deal: u32::try_from(i).expect("deal positions fit in u32"),
            head: row,
            actions: at(w.actions.len(), self.rows.actions().len()),
            contacts: at(w.contacts.len(), self.rows.contacts().len()),
            id: at(w.ids.len(), a.id().len()),
        });
        w.actions.extend_from_slice(self.rows.actions());
        w.contacts.extend_from_slice(self.rows.contacts());
        w.ids.push_str(a.id());
        if w.rows.len() >= self.fold_every {
            self.fold_waiting();
        }
        self.pushed += 1;
        Ok(())
    }

    /// The activity's deal (added if new) and its resolved row; on error the scorer is unchanged.
    fn resolve(&mut self, a: &impl ActivityText) -> Result<(usize, RowHead)> {
        let (known, m) = self.deals.find(&self.models, a.deal())?;
        let row = self.rows.build(m, a, &mut self.names)?;
        let i = match known {
            Some(i) => i,
            None => {
                #[cfg(feature = "parallel")]
                Part::admit(self.part, a.id(), a.deal())?;
                let i = self.deals.add_bare(&self.models, a.deal())?;
                let acc = DealAcc::new(&self.deals.models[i], &self.deals.deals[i], self.as_of, &mut self.names);
                self.accs.push(acc);
                i
            }
        };
        Ok((i, row))
    }

    /// Folds the waiting rows into their deals' states, deal by deal.
    fn fold_waiting(&mut self) {
        let w = &mut self.waiting;
        // Row positions ordered by deal, then by position: each deal's rows in input order.
        w.order.clear();
        w.order.extend(w.rows.iter().enumerate().map(|(r, row)| (u64::from(row.deal) << 32) | r as u64));
        crate::util::sort::sort_unstable(&mut w.order);
        for &key in &w.order {
            let row = &w.rows[(key & u64::from(u32::MAX)) as usize];
            let d = row.deal as usize;
            let id = &w.ids[row.id.clone()];
            self.accs[d].push(
                &self.deals.models[d],
                &row.head,
                &w.actions[row.actions.clone()],
                &w.contacts[row.contacts.clone()],
                || Cow::Owned(id.as_bytes().to_vec()),
            );
        }
        w.rows.clear();
        w.actions.clear();
        w.contacts.clear();
        w.ids.clear();
    }

    pub fn models(&self) -> &ModelSet {
        &self.models
    }

    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Activities accepted so far.
    pub fn len(&self) -> usize {
        self.pushed
    }

    pub fn is_empty(&self) -> bool {
        self.pushed == 0
    }

    /// Number of deals seen so far.
    pub fn deal_count(&self) -> usize {
        self.deals.len()
    }

    /// One report per deal, sorted by deal id.
    pub fn finish(self) -> Result<Vec<DealReport>> {
        Ok(self.finish_with_dates().into_iter().map(|f| f.report).collect())
    }

    /// Every deal's report, sorted by deal id, with what the stale list needs besides.
    pub(crate) fn finish_with_dates(mut self) -> Vec<Finished<'static>> {
        self.fold_waiting();
        let mut all: BTreeMap<String, (Cow<'static, Deal>, DealAcc, Arc<CompiledModel>)> = BTreeMap::new();
        let names = self.names;
        for ((deal, acc), m) in self.deals.deals.into_iter().zip(self.accs).zip(self.deals.models) {
            all.insert(deal.id.clone(), (deal, acc, m));
        }
        let mut decay = Decay::default();
        all.into_values()
            .map(|(deal, mut acc, m)| {
                let (report, last) = acc.finish(&m, &deal, &mut decay, &names);
                Finished { deal, report, last, model: m }
            })
            .collect()
    }
}

impl StreamScorer {
    /// The stale list over everything pushed (see [`crate::stale`]).
    pub fn finish_stale(self, options: StaleOptions) -> Result<StaleReport> {
        let as_of = self.as_of();
        Ok(crate::score::stale::stale_rows(as_of, self.finish_with_dates(), options))
    }
}

/// A 128-bit key of an activity id (XXH3-128, unseeded, so the same on every run). A false
/// duplicate would need a 128-bit collision.
pub(crate) fn id_key(id: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(id.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folding every few rows (deal by deal, several times over the input) gives the same
    /// reports as folding once at the end.
    #[test]
    fn folding_often_equals_folding_once() {
        let models = ModelSet::embedded();
        let deals: Vec<Deal> = crate::from_json(include_str!("../../../examples/deals.json")).unwrap();
        let all: Vec<Activity> =
            include_str!("../../../examples/activities.jsonl").lines().map(|l| crate::from_json(l).unwrap()).collect();
        let as_of: Date = "2026-11-27".parse().unwrap();
        let report = |every: usize| {
            let mut s = StreamScorer::new(&models, deals.clone(), as_of).unwrap();
            s.fold_every = every;
            for a in &all {
                s.push(a).unwrap();
            }
            serde_json::to_string(&s.finish().unwrap()).unwrap()
        };
        let once = report(usize::MAX);
        assert!(all.len() > 10 && once.contains("\"energy\""));
        for every in [1, 2, 3, 7] {
            assert_eq!(report(every), once, "folding every {every} rows");
        }
    }
}
