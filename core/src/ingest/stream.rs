//! [`StreamScorer`]: scoring for a fixed date with each activity folded as it comes, for inputs
//! too large to hold. Memory grows with the number of deals, not of activities (plus 16 bytes per
//! activity id to catch duplicates).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::date::Date;
use crate::error::{Error, Result};
use crate::ingest::deals::DealTable;
use crate::input::{Activity, ActivityText, Deal};
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::score::check::check_ids;
use crate::score::fold::{DealAcc, Decay, Finished};
use crate::score::report::DealReport;
use crate::score::rows::{Names, RowBuilder};
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
    seen: FxHashSet<u128>,
    pushed: usize,
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
            seen: FxHashSet::default(),
            pushed: 0,
        })
    }

    /// Pre-allocates for `n` more activities.
    pub fn reserve(&mut self, n: usize) {
        self.seen.reserve(n);
    }

    /// Adds one activity. Errors name the activity; the scorer is unchanged by a failed push.
    pub fn push(&mut self, a: &Activity) -> Result<()> {
        self.push_text(a)
    }

    pub(crate) fn push_text(&mut self, a: &impl ActivityText) -> Result<()> {
        check_ids(a, "activity")?;
        let key = id_key(a.id());
        if self.seen.contains(&key) {
            return Err(Error::DuplicateActivity { activity: a.id().to_owned() });
        }
        // Resolve first: a failed push leaves the scorer as it was (no new deal, no id taken).
        let (known, m) = self.deals.find(&self.models, a.deal())?;
        let row = self.rows.build(m, a, &mut self.names)?;
        self.seen.insert(key);
        let i = match known {
            Some(i) => i,
            None => {
                let i = self.deals.add_bare(&self.models, a.deal())?;
                let acc = DealAcc::new(&self.deals.models[i], &self.deals.deals[i], self.as_of, &mut self.names);
                self.accs.push(acc);
                i
            }
        };
        let m = &self.deals.models[i];
        self.accs[i]
            .push(m, &row, self.rows.actions(), self.rows.contacts(), || Cow::Owned(a.id().as_bytes().to_vec()));
        self.pushed += 1;
        Ok(())
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
    pub(crate) fn finish_with_dates(self) -> Vec<Finished<'static>> {
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
