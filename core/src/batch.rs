//! Scoring a slice held in memory, in three passes that each walk memory in order:
//!
//! 1. group: find each activity's deal, count its rows, actions and contacts per deal, and take
//!    the 128-bit keys of the activity ids (duplicates are found by sorting them);
//! 2. resolve: read the activities front to back, resolve each to integers (see [`crate::rows`])
//!    and write the rows into their deal's block;
//! 3. fold: deal by deal, in id order, push the deal's dense block into its [`DealAcc`].
//!
//! The per-deal state is hot while its block is folded, and the input's scattered strings are read
//! once, in order. Any invalid activity sends the caller back to [`StreamScorer`], which reports
//! the error exactly as pushing the activities one by one does.

use std::borrow::Cow;
use std::sync::Arc;

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use crate::date::Date;
use crate::engine::{DealAcc, Decay, check_deals};
use crate::error::Result;
use crate::input::{Activity, Deal};
use crate::modelset::{CompiledModel, ModelSet};
use crate::rows::{ContactIds, Names, RowBuilder, RowHead};
use crate::shortmap::ShortMap;
use crate::stream::{Finished, StreamScorer};

/// Every deal's report (sorted by deal id) with what the stale list needs besides.
pub(crate) fn fold_slice<'a>(
    models: &ModelSet,
    deals: &'a [Deal],
    activities: &'a [Activity],
    as_of: Date,
) -> Result<Vec<Finished<'a>>> {
    let deal_models: Vec<Arc<CompiledModel>> = check_deals(models, deals)?.into_iter().cloned().collect();
    if let Some(done) = fold_valid(models, deals, deal_models, activities, as_of) {
        return Ok(done);
    }
    let mut s = StreamScorer::new(models, deals.to_vec(), as_of)?;
    s.reserve(activities.len());
    for a in activities {
        s.push(a)?;
    }
    Ok(s.finish_with_dates())
}

/// One resolved activity; its actions and contacts follow in their own arrays, in the same order.
#[derive(Debug, Clone, Copy)]
struct Row<'a> {
    head: RowHead,
    /// The activity's id, kept at hand: it orders capped actions, and fetching it from the
    /// activity would miss the cache on every such row.
    id: &'a str,
    deal: u32,
    contacts: u32,
    actions: u16,
}

/// Counts, or start positions, of a deal's rows, actions and contacts.
#[derive(Debug, Clone, Copy, Default)]
struct Offsets {
    rows: usize,
    actions: usize,
    contacts: usize,
}

/// The passes; `None` when some activity is invalid (the caller then streams to name it).
fn fold_valid<'a>(
    models: &ModelSet,
    deals: &'a [Deal],
    mut deal_models: Vec<Arc<CompiledModel>>,
    activities: &'a [Activity],
    as_of: Date,
) -> Option<Vec<Finished<'a>>> {
    let n = activities.len();
    if u32::try_from(n).is_err() {
        return None;
    }
    // Pass 1: resolve, reading the input once, front to back.
    let mut records: Vec<Cow<'a, Deal>> = deals.iter().map(Cow::Borrowed).collect();
    let mut index: ShortMap<u32> = deals.iter().enumerate().map(|(i, d)| (d.id.clone(), i as u32)).collect();
    let mut sizes: Vec<Offsets> = vec![Offsets::default(); deals.len()];
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(n);
    let mut rows: Vec<Row<'a>> = Vec::with_capacity(n);
    let mut actions: Vec<(u16, u64)> = Vec::with_capacity(n);
    let mut contacts: Vec<ContactIds> = Vec::with_capacity(n * 2);
    let mut names = Names::default();
    let mut builder = RowBuilder::default();
    for (i, a) in activities.iter().enumerate() {
        if a.id.is_empty() || a.deal.is_empty() {
            return None;
        }
        keys.push((FxBuildHasher.hash_one(&a.id), i as u32));
        let d = match index.get(a.deal.as_str()) {
            Some(&d) => d as usize,
            None => {
                let d = records.len();
                deal_models.push(Arc::clone(models.for_deal(&a.deal, None).ok()?));
                records.push(Cow::Owned(Deal::bare(a.deal.clone())));
                sizes.push(Offsets::default());
                index.insert(&a.deal, d as u32);
                d
            }
        };
        let head = builder.build(&deal_models[d], a, &mut names).ok()?;
        let (acts, cons) = (builder.actions(), builder.contacts());
        rows.push(Row {
            head,
            id: &a.id,
            deal: d as u32,
            contacts: u32::try_from(cons.len()).ok()?,
            actions: acts.len() as u16,
        });
        // Element by element: these hold one to three items, and a `memcpy` call costs more.
        for &x in acts {
            actions.push(x);
        }
        for &x in cons {
            contacts.push(x);
        }
        let s = &mut sizes[d];
        s.rows += 1;
        s.actions += acts.len();
        s.contacts += cons.len();
    }
    if has_duplicates(keys, activities) {
        return None;
    }

    // Pass 2: group the rows by deal (a counting sort), so each deal's fold reads one dense block.
    let starts = exclusive_sums(&sizes);
    let mut next = starts.clone();
    let (mut grouped, mut grouped_actions, mut grouped_contacts) = (rows.clone(), actions.clone(), contacts.clone());
    let (mut ai, mut ci) = (0, 0);
    for row in &rows {
        let (na, nc) = (row.actions as usize, row.contacts as usize);
        let at = &mut next[row.deal as usize];
        grouped[at.rows] = *row;
        for (to, from) in grouped_actions[at.actions..at.actions + na].iter_mut().zip(&actions[ai..ai + na]) {
            *to = *from;
        }
        for (to, from) in grouped_contacts[at.contacts..at.contacts + nc].iter_mut().zip(&contacts[ci..ci + nc]) {
            *to = *from;
        }
        at.rows += 1;
        at.actions += na;
        at.contacts += nc;
        ai += na;
        ci += nc;
    }
    drop((rows, actions, contacts));
    let (rows, actions, contacts) = (grouped, grouped_actions, grouped_contacts);

    // Pass 3: fold each deal's block, in deal id order.
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_unstable_by(|&x, &y| records[x].id.cmp(&records[y].id));
    let mut decay = Decay::default();
    let mut records: Vec<Option<Cow<'a, Deal>>> = records.into_iter().map(Some).collect();
    let done = order
        .into_iter()
        .map(|d| {
            let deal = records[d].take().expect("each deal once");
            let model = Arc::clone(&deal_models[d]);
            let mut acc = DealAcc::new(&model, &deal, as_of, &mut names);
            acc.reserve(sizes[d].rows);
            let Offsets { rows: r0, actions: mut ai, contacts: mut ci } = starts[d];
            for row in &rows[r0..r0 + sizes[d].rows] {
                let (na, nc) = (row.actions as usize, row.contacts as usize);
                acc.push(&model, &row.head, &actions[ai..ai + na], &contacts[ci..ci + nc], || Cow::Borrowed(row.id));
                ai += na;
                ci += nc;
            }
            let (report, last) = acc.finish(&model, &deal, &mut decay, &names);
            Finished { deal, report, last, model }
        })
        .collect();
    Some(done)
}

impl Offsets {
    fn add(self, o: Offsets) -> Offsets {
        Offsets { rows: self.rows + o.rows, actions: self.actions + o.actions, contacts: self.contacts + o.contacts }
    }
}

fn exclusive_sums(sizes: &[Offsets]) -> Vec<Offsets> {
    let mut at = Offsets::default();
    sizes
        .iter()
        .map(|&s| {
            let start = at;
            at = at.add(s);
            start
        })
        .collect()
}

/// Whether any activity id repeats, given each id's hash and index. Sorting a dense array beats a
/// hash set of a million ids, whose every insert misses the cache; equal hashes are confirmed on
/// the ids themselves, so a collision costs a comparison, never a false error.
fn has_duplicates(mut keys: Vec<(u64, u32)>, activities: &[Activity]) -> bool {
    keys.sort_unstable_by_key(|k| k.0);
    keys.chunk_by(|x, y| x.0 == y.0).filter(|run| run.len() > 1).any(|run| {
        let mut ids: Vec<&str> = run.iter().map(|k| activities[k.1 as usize].id.as_str()).collect();
        ids.sort_unstable();
        ids.windows(2).any(|w| w[0] == w[1])
    })
}
