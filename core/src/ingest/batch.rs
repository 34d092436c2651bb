//! [`BatchScorer`]: scoring many activities held in memory, as fast as the core goes.
//!
//! Each push resolves the activity to integers (see [`crate::score::rows`]) and appends a compact row;
//! `finish` then groups the rows by deal (a counting sort) and folds each deal's dense block into
//! its [`DealAcc`], so the per-deal state stays hot while its block is read, and every input
//! string is read once, in order. Duplicate ids are found by a bitmap filter over id hashes
//! (confirmed on the ids themselves). `score_all` and `stale` run on it.

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::ingest::columns::{ActivityColumns, CodeCache};
use crate::ingest::deals::DealTable;
#[cfg(feature = "parallel")]
use crate::ingest::ids::{Ids, repeated_id};
use crate::ingest::ids::{first_duplicate, id_hash};
use crate::ingest::part::Part;
use crate::ingest::stream::StreamScorer;
use crate::input::{Activity, ActivityRef, ActivityText, Deal};
use crate::model::compiled::ModelSet;
use crate::score::check::check_ids;
use crate::score::fold::{DealAcc, Decay, Finished};
use crate::score::report::DealReport;
use crate::score::rows::{ContactIds, Names, RowHead, resolve_row};

/// Every deal's report (sorted by deal id) with what the stale list needs besides. On bad input
/// the error is exactly the one pushing the activities into a [`StreamScorer`] in order gives: the
/// batch finds *that* there is one, streaming names the first.
pub(crate) fn fold_slice<'d>(
    models: &ModelSet,
    deals: &'d [Deal],
    activities: &[Activity],
    as_of: Date,
) -> Result<Vec<Finished<'d>>> {
    fold_slice_and(models, deals, activities, None, as_of)
}

/// [`fold_slice`] over `activities` and then `extra`: one more activity without copying the slice
/// (what a new report adds to its deal's history, `notify::on_report`).
pub(crate) fn fold_slice_and<'d>(
    models: &ModelSet,
    deals: &'d [Deal],
    activities: &[Activity],
    extra: Option<&Activity>,
    as_of: Date,
) -> Result<Vec<Finished<'d>>> {
    fold_with(
        models,
        deals,
        as_of,
        |batch| push_slice(batch, activities, extra),
        |stream| activities.iter().chain(extra).try_for_each(|a| stream.push(a)),
    )
}

/// One copy of the batch's push loop for [`fold_slice_and`] and [`fold_slice_at`].
fn push_slice(batch: &mut BatchScorer<'_>, activities: &[Activity], extra: Option<&Activity>) -> Result<()> {
    batch.reserve(activities.len() + usize::from(extra.is_some()));
    activities.iter().chain(extra).try_for_each(|a| batch.push(a))
}

/// [`fold_slice`] for activities given as columns. A function of its own, not a branch of
/// `fold_slice`: that would make the columnar code reachable from `score_all`, and the wasm build,
/// which never scores columns, would carry it (docs/wasm.md, "Size").
pub(crate) fn fold_columns<'d>(
    models: &ModelSet,
    deals: &'d [Deal],
    columns: &ActivityColumns<'_>,
    as_of: Date,
) -> Result<Vec<Finished<'d>>> {
    fold_with(
        models,
        deals,
        as_of,
        |batch| batch.push_columns(columns),
        |stream| (0..columns.check()?).try_for_each(|i| stream.push_text(&columns.row(i))),
    )
}

/// Every deal `at` gives a date for, folded as of that date (a backtest's snapshots), sorted by
/// deal id; on bad input the error [`fold_slice`] gives.
pub(crate) fn fold_slice_at<'d>(
    models: &ModelSet,
    deals: &'d [Deal],
    activities: &[Activity],
    at: impl Fn(&Deal) -> Option<Date>,
) -> Result<Vec<Finished<'d>>> {
    // The scorer's own date is never used: `at` dates every deal folded.
    let unused = Date::from_ymd(1970, 1, 1).expect("a real date");
    let mut batch = BatchScorer::borrowing(models, deals, unused)?;
    let batched = match push_slice(&mut batch, activities, None) {
        Ok(()) => batch.finish_at(&at),
        Err(e) => Err(e),
    };
    // On bad input, `fold_slice` names the first bad activity in input order, as `score_all`
    // does (only the error path pays for running it; one copy of that path in the binary).
    batched.or_else(|e| fold_slice(models, deals, activities, unused).and(Err(e)))
}

fn fold_with<'d>(
    models: &ModelSet,
    deals: &'d [Deal],
    as_of: Date,
    push_all: impl FnOnce(&mut BatchScorer<'d>) -> Result<()>,
    stream_all: impl FnOnce(&mut StreamScorer) -> Result<()>,
) -> Result<Vec<Finished<'d>>> {
    let mut batch = BatchScorer::borrowing(models, deals, as_of)?;
    if push_all(&mut batch).is_ok()
        && let Ok(done) = batch.finish_with_dates()
    {
        return Ok(done);
    }
    let mut s = StreamScorer::new(models, deals.to_vec(), as_of)?;
    stream_all(&mut s)?;
    Ok(s.finish_with_dates())
}

/// Scores activities pushed one at a time, in any order, as of a fixed date — the fastest way
/// to score a set of activities that fits in memory.
///
/// Each push is checked at once (unknown actions or roles, empty ids: the error names the
/// activity) and kept as a compact resolved row, about 85 bytes with one action and two
/// contacts (its id included); everything is folded by [`finish`](Self::finish), which also
/// reports a repeated activity id. Reports equal [`crate::score_all`]'s and [`StreamScorer`]'s.
/// Use [`StreamScorer`] instead when memory must stay bounded by the number of deals whatever
/// the number of activities.
///
/// ```
/// use dealscore::{BatchScorer, ModelSet, Activity};
/// let acts: Vec<Activity> = dealscore::from_json(r#"[
///   {"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["visited_us"],
///    "contacts": [{"person": "佐藤", "title": "部長"}]}
/// ]"#).unwrap();
/// let mut batch = BatchScorer::new(&ModelSet::embedded(), vec![], "2026-11-27".parse().unwrap()).unwrap();
/// for a in &acts {
///     batch.push(a).unwrap();
/// }
/// assert_eq!(batch.finish().unwrap()[0].energy.total, 30);
/// ```
#[derive(Debug)]
pub struct BatchScorer<'d> {
    models: ModelSet,
    as_of: Date,
    deals: DealTable<'d>,
    names: Names,
    store: Store,
    /// The deals this scorer may score, when it is one of several (see [`BatchScorer::for_part`]).
    part: Option<Part>,
    /// How many pushes were last found free of repeated ids (`first_duplicate`), so that
    /// `finish` need not look again. Atomic only to keep the scorer `Sync`.
    unique: AtomicUsize,
}

/// The resolved activities in push order; each one's actions and contacts follow on from the
/// previous one's in `actions` and `contacts`.
#[derive(Debug, Default)]
struct Store {
    rows: Vec<Row>,
    actions: Vec<u16>,
    contacts: Vec<ContactIds>,
    /// Every activity id, back to back; rows point into it.
    ids: String,
    /// Each push's id hash, in push order.
    hashes: Vec<u64>,
    /// Each deal's number of rows, actions and contacts.
    sizes: Vec<Offsets>,
}

impl Store {
    /// Room for `rows` more activities with `actions`, `contacts` and `id_bytes` in all.
    fn reserve(&mut self, rows: usize, actions: usize, contacts: usize, id_bytes: usize) {
        self.rows.reserve(rows);
        self.hashes.reserve(rows);
        self.actions.reserve(actions);
        self.contacts.reserve(contacts);
        self.ids.reserve(id_bytes);
    }

    /// Positions and counts are kept as u32 (u16 per activity): checked before anything changes.
    fn check_room(&self, id: &str, actions: usize, contacts: usize) -> Result<()> {
        let fits = |n: usize| u32::try_from(n).is_ok();
        if fits(self.hashes.len())
            && fits(self.ids.len() + id.len())
            && fits(self.actions.len() + actions)
            && fits(self.contacts.len() + contacts)
            && u16::try_from(actions.max(contacts)).is_ok()
        {
            return Ok(());
        }
        Err(Error::InvalidInput { path: "activities".into(), message: "too many activities for one batch".into() })
    }

    /// Keeps one resolved activity of deal `d`.
    fn append(&mut self, d: usize, head: RowHead, id: &str, acts: &[u16], cons: &[ContactIds]) {
        let kept = self.lens();
        // Element by element: these hold one to three items, and a `memcpy` call costs more.
        for &x in acts {
            self.actions.push(x);
        }
        for &x in cons {
            self.contacts.push(x);
        }
        self.append_row(d, head, id, kept);
    }

    /// How many actions and contacts are kept: what [`append_row`](Self::append_row) and
    /// [`undo`](Self::undo) take.
    fn lens(&self) -> (usize, usize) {
        (self.actions.len(), self.contacts.len())
    }

    /// Keeps one activity of deal `d` whose actions and contacts are those added since `kept`.
    fn append_row(&mut self, d: usize, head: RowHead, id: &str, kept: (usize, usize)) {
        let (actions, contacts) = (self.actions.len() - kept.0, self.contacts.len() - kept.1);
        self.rows.push(Row {
            head,
            id_at: self.ids.len() as u32,
            id_len: id.len() as u32,
            deal: d as u32,
            actions: actions as u16,
            contacts: contacts as u16,
        });
        self.sizes[d] = self.sizes[d].add(Offsets { rows: 1, actions, contacts });
        self.hashes.push(id_hash(id));
        self.ids.push_str(id);
    }

    /// Drops the actions and contacts added since `kept`.
    fn undo(&mut self, kept: (usize, usize)) {
        self.actions.truncate(kept.0);
        self.contacts.truncate(kept.1);
    }

    /// The id of push `at`.
    fn id(&self, at: usize) -> &str {
        let row = &self.rows[at];
        &self.ids[row.id_at as usize..(row.id_at + row.id_len) as usize]
    }
}

/// One resolved activity; its actions and contacts are in their own arrays, each row's after
/// the previous row's (so a row needs only their counts).
#[derive(Debug, Clone, Copy, Default)]
struct Row {
    head: RowHead,
    /// Where the activity's id is in `ids`: it orders capped actions.
    id_at: u32,
    id_len: u32,
    deal: u32,
    actions: u16,
    contacts: u16,
}

// The row is what a million activities are stored as (twice, while grouping): keep it at 32
// bytes. Memory written is what this engine's time goes to.
const _: () = assert!(std::mem::size_of::<Row>() == 32);

/// Reads rows' actions and contacts in step with the rows.
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    actions: usize,
    contacts: usize,
}

impl Cursor {
    /// `row`'s actions and contacts, moving past them.
    fn next<'x>(&mut self, row: &Row, actions: &'x [u16], contacts: &'x [ContactIds]) -> (&'x [u16], &'x [ContactIds]) {
        let (a, c) = (self.actions, self.contacts);
        self.actions += row.actions as usize;
        self.contacts += row.contacts as usize;
        (&actions[a..self.actions], &contacts[c..self.contacts])
    }
}

/// Counts, or start positions, of a deal's rows, actions and contacts.
#[derive(Debug, Clone, Copy, Default)]
struct Offsets {
    rows: usize,
    actions: usize,
    contacts: usize,
}

impl BatchScorer<'static> {
    /// A scorer for `deals` (checked here) as of `as_of`.
    pub fn new(models: &ModelSet, deals: Vec<Deal>, as_of: Date) -> Result<BatchScorer<'static>> {
        BatchScorer::with_deals(models, deals.into_iter().map(Cow::Owned).collect(), as_of)
    }
}

impl<'d> BatchScorer<'d> {
    pub(crate) fn borrowing(models: &ModelSet, deals: &'d [Deal], as_of: Date) -> Result<BatchScorer<'d>> {
        BatchScorer::with_deals(models, deals.iter().map(Cow::Borrowed).collect(), as_of)
    }

    /// A scorer of the deals in `part` only: those of `deals` (which are borrowed) and any
    /// other deal in the part that activities name. Pushing an activity of a deal in another
    /// part is an error.
    pub fn for_part(models: &ModelSet, deals: &'d [Deal], as_of: Date, part: Part) -> Result<BatchScorer<'d>> {
        let mine = deals.iter().filter(|d| part.contains(&d.id)).map(Cow::Borrowed).collect();
        let mut scorer = BatchScorer::with_deals(models, mine, as_of)?;
        scorer.part = Some(part);
        Ok(scorer)
    }

    fn with_deals(models: &ModelSet, deals: Vec<Cow<'d, Deal>>, as_of: Date) -> Result<BatchScorer<'d>> {
        let deals = DealTable::new(models, deals)?;
        Ok(BatchScorer {
            models: models.clone(),
            as_of,
            store: Store { sizes: vec![Offsets::default(); deals.len()], ..Store::default() },
            deals,
            names: Names::default(),
            part: None,
            unique: AtomicUsize::new(0),
        })
    }

    /// Pre-allocates for `n` more activities.
    pub fn reserve(&mut self, n: usize) {
        // Typical activities: an action or two, two contacts, ids of about a dozen bytes.
        self.store.reserve(n, n, n * 2, n * 12);
    }

    /// Number of activities accepted so far.
    pub fn len(&self) -> usize {
        self.store.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.store.hashes.is_empty()
    }

    /// Number of deals so far: those given and those only activities named.
    pub fn deal_count(&self) -> usize {
        self.deals.len()
    }

    /// Checks and keeps one activity; on error the scorer is unchanged.
    pub fn push(&mut self, a: &Activity) -> Result<()> {
        self.push_text(a).map(drop)
    }

    /// [`push`](Self::push) for an activity whose text is borrowed (from a data frame's columns,
    /// say): the same checks and the same scores, without first copying its text.
    pub fn push_ref(&mut self, a: &ActivityRef<'_>) -> Result<()> {
        self.push_text(a).map(drop)
    }

    /// Pushes every row of `columns` (checked first: [`ActivityColumns::check`]) as pushing each
    /// row as an activity would, stopping at the first bad row (the rows before it stay pushed).
    /// Each string is looked up once, at the first row that uses it, not once per row.
    pub fn push_columns(&mut self, columns: &ActivityColumns<'_>) -> Result<()> {
        let rows = columns.check()?;
        // Exactly: growing a buffer of millions of rows later would copy it.
        let c = columns;
        self.store.reserve(rows, c.actions.len(), c.person.len(), c.ids.text.len());
        let mut cache = CodeCache::new(columns.strings.len());
        for i in 0..rows {
            let id = columns.ids.get(i);
            if let Some(d) = cache.deal(columns.deal[i])
                && !id.is_empty()
                && let Some(head) = cache.build(&self.deals.models[d], columns, i)
            {
                let (acts, cons) = (columns.action_offsets, columns.contact_offsets);
                let count = |offsets: &[u32]| (offsets[i + 1] - offsets[i]) as usize;
                self.store.check_room(id, count(acts), count(cons))?;
                self.store.append(d, head, id, &cache.actions, &cache.contacts);
                continue;
            }
            let d = self.push_text(&columns.row(i))?;
            cache.learn(&self.deals.models[d], columns, i, d, &mut self.names);
        }
        Ok(())
    }

    /// Checks and keeps one activity, returning its deal's position.
    fn push_text(&mut self, a: &impl ActivityText) -> Result<usize> {
        check_ids(a, "activity")?;
        let (id, deal) = (a.id(), a.deal());
        self.store.check_room(id, a.actions().len(), a.contacts().len())?;
        // Resolve first, straight into the store: a failed push must not leave a new deal behind.
        let (known, model) = self.deals.find(&self.models, deal)?;
        let store = &mut self.store;
        let kept = store.lens();
        let head = resolve_row(model, a, &mut self.names, &mut store.actions, &mut store.contacts)?;
        let d = match known {
            Some(d) => d,
            None => match self.add_bare(deal, id) {
                Ok(d) => d,
                Err(e) => {
                    self.store.undo(kept);
                    return Err(e);
                }
            },
        };
        self.store.append_row(d, head, id, kept);
        Ok(d)
    }

    /// Adds deal `deal`, which activity `id` names and no deal given had.
    fn add_bare(&mut self, deal: &str, id: &str) -> Result<usize> {
        Part::admit(self.part, id, deal)?;
        let d = self.deals.add_bare(&self.models, deal)?;
        self.store.sizes.push(Offsets::default());
        Ok(d)
    }

    /// The first push (its position and id) whose activity id an earlier push already had.
    /// `finish` reports it as `duplicate_activity`; a caller that numbers its rows can ask first.
    pub fn first_duplicate(&self) -> Option<(usize, &str)> {
        let id = |at: usize| self.id(at);
        let found = first_duplicate(self.len(), self.store.hashes.iter().copied(), id);
        if found.is_none() {
            self.unique.store(self.len(), Ordering::Relaxed);
        }
        found.map(|at| (at, id(at)))
    }

    /// The id of push `at`.
    fn id(&self, at: usize) -> &str {
        self.store.id(at)
    }

    /// One report per deal, sorted by deal id; `duplicate_activity` if an id was pushed twice.
    pub fn finish(self) -> Result<Vec<DealReport>> {
        Ok(self.finish_with_dates()?.into_iter().map(|f| f.report).collect())
    }

    /// Deal `deal`'s report from the activities pushed so far, and again with `extra` pushed
    /// after them: the reports [`finish`](Self::finish) would give without and with it
    /// (`notify::on_report`). The deal is folded once: the accumulator is copied before the
    /// extra row is added. `duplicate_activity` if an id was pushed twice, `unknown_deal` for a
    /// deal neither given nor named by a push; `extra` stays pushed.
    pub(crate) fn report_without_and_with(&mut self, deal: &str, extra: &Activity) -> Result<(DealReport, DealReport)> {
        let d = self.deals.position(deal).ok_or_else(|| Error::UnknownDeal { deal: deal.to_owned() })?;
        self.push(extra)?;
        if let Some((_, id)) = self.first_duplicate() {
            return Err(Error::DuplicateActivity { activity: id.to_owned() });
        }
        let BatchScorer { as_of, deals, names, store, .. } = self;
        let (model, deal) = (&deals.models[d], &deals.deals[d]);
        let mut acc = DealAcc::empty(*as_of);
        acc.reset(model, deal, names);
        let mine = || store.rows.iter().filter(|r| r.deal as usize == d);
        acc.expect_days(mine().map(|r| r.head.day), store.sizes[d].rows);
        let (last, mut extra_row) = (store.rows.len() - 1, None);
        let mut cursor = Cursor::default();
        for (at, row) in store.rows.iter().enumerate() {
            let (acts, cons) = cursor.next(row, &store.actions, &store.contacts);
            let id = &store.ids.as_bytes()[row.id_at as usize..(row.id_at + row.id_len) as usize];
            match (row.deal as usize == d, at == last) {
                (true, false) => acc.push(model, &row.head, acts, cons, || Cow::Borrowed(id)),
                (true, true) => extra_row = Some((row, acts, cons, id)),
                (false, _) => {}
            }
        }
        let mut decay = Decay::default();
        let without = acc.clone().finish(model, deal, &mut decay, names).0;
        if let Some((row, acts, cons, id)) = extra_row {
            acc.push(model, &row.head, acts, cons, || Cow::Borrowed(id));
        }
        Ok((without, acc.finish(model, deal, &mut decay, names).0))
    }

    pub(crate) fn finish_with_dates(self) -> Result<Vec<Finished<'d>>> {
        let as_of = self.as_of;
        self.finish_at(&|_| Some(as_of))
    }

    /// Every deal `at` gives a date for, folded as of that date (a backtest scores each deal at
    /// its own snapshot), sorted by deal id.
    /// `at` is a trait object so that score and backtest share one copy of the fold.
    pub(crate) fn finish_at(self, at: &dyn Fn(&Deal) -> Option<Date>) -> Result<Vec<Finished<'d>>> {
        let checked = self.unique.load(Ordering::Relaxed) == self.len();
        if !checked && let Some((_, id)) = self.first_duplicate() {
            return Err(Error::DuplicateActivity { activity: id.to_owned() });
        }
        let BatchScorer {
            as_of,
            deals: DealTable { deals, models: deal_models, .. },
            mut names,
            store: Store { rows, actions, contacts, ids, sizes, .. },
            ..
        } = self;
        // As bytes: slicing a `str` reads the first byte (a char boundary check), a cache miss.
        let id = |r: &Row| &ids.as_bytes()[r.id_at as usize..(r.id_at + r.id_len) as usize];
        let Grouped { starts, rows, actions, contacts } = group(&sizes, &rows, &actions, &contacts);

        // Fold each deal's block, in deal id order.
        let mut order: Vec<usize> = (0..deals.len()).collect();
        crate::util::sort::sort_unstable_by(&mut order, |&x, &y| deals[x].id.cmp(&deals[y].id));
        let mut decay = Decay::default();
        let mut acc = DealAcc::empty(as_of);
        let mut deals: Vec<Option<Cow<'d, Deal>>> = deals.into_iter().map(Some).collect();
        Ok(order
            .into_iter()
            .filter_map(|d| {
                let deal = deals[d].take().expect("each deal once");
                let as_of = at(&deal)?;
                let model = Arc::clone(&deal_models[d]);
                acc.reset(&model, &deal, &mut names);
                acc.set_as_of(as_of);
                let start = starts[d];
                let block = &rows[start.rows..start.rows + sizes[d].rows];
                acc.expect_days(block.iter().map(|r| r.head.day), block.len());
                let mut cursor = Cursor { actions: start.actions, contacts: start.contacts };
                for row in block {
                    let (acts, cons) = cursor.next(row, &actions, &contacts);
                    acc.push(&model, &row.head, acts, cons, || Cow::Borrowed(id(row)));
                }
                let (report, last) = acc.finish(&model, &deal, &mut decay, &names);
                Some(Finished { deal, report, last, model })
            })
            .collect())
    }
}

/// Rows grouped by deal, with their actions and contacts, and where each deal's block starts.
struct Grouped {
    starts: Vec<Offsets>,
    rows: Vec<Row>,
    actions: Vec<u16>,
    contacts: Vec<ContactIds>,
}

/// The rows grouped by deal (a counting sort), each deal's actions and contacts beside its rows,
/// so each deal's fold reads one dense block.
fn group(sizes: &[Offsets], rows: &[Row], actions: &[u16], contacts: &[ContactIds]) -> Grouped {
    let starts = exclusive_sums(sizes);
    let mut next = starts.clone();
    let mut grouped = vec![Row::default(); rows.len()];
    let mut grouped_actions = vec![0; actions.len()];
    let mut grouped_contacts = vec![ContactIds::default(); contacts.len()];
    let mut cursor = Cursor::default();
    for row in rows {
        let at = &mut next[row.deal as usize];
        grouped[at.rows] = *row;
        let (acts, cons) = cursor.next(row, actions, contacts);
        for (to, from) in grouped_actions[at.actions..].iter_mut().zip(acts) {
            *to = *from;
        }
        for (to, from) in grouped_contacts[at.contacts..].iter_mut().zip(cons) {
            *to = *from;
        }
        *at = at.add(Offsets { rows: 1, actions: row.actions as usize, contacts: row.contacts as usize });
    }
    Grouped { starts, rows: grouped, actions: grouped_actions, contacts: grouped_contacts }
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

/// An activity id that was pushed twice into one of `scorers` or into two of them.
#[cfg(feature = "parallel")]
pub(crate) fn any_duplicate(scorers: &[BatchScorer]) -> Option<String> {
    let found = repeated_id(&scorers.iter().collect::<Vec<_>>());
    if found.is_none() {
        for s in scorers {
            s.unique.store(s.len(), Ordering::Relaxed);
        }
    }
    found
}

#[cfg(feature = "parallel")]
impl Ids for BatchScorer<'_> {
    fn count(&self) -> usize {
        self.len()
    }

    fn hashes(&self) -> &[u64] {
        &self.store.hashes
    }

    fn id(&self, at: usize) -> &str {
        BatchScorer::id(self, at)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Activity, BatchScorer, ModelSet};

    /// `finish` trusts an earlier clean `first_duplicate` only for the pushes it saw.
    #[test]
    fn a_repeat_pushed_after_a_clean_check_is_still_found() {
        let act = |id: &str| -> Activity {
            crate::from_json(&format!(
                r#"{{"id": "{id}", "deal": "D", "date": "2026-11-20", "actions": ["visited_us"]}}"#
            ))
            .unwrap()
        };
        let as_of = "2026-11-27".parse().unwrap();
        let mut batch = BatchScorer::new(&ModelSet::embedded(), vec![], as_of).unwrap();
        batch.push(&act("a1")).unwrap();
        assert_eq!(batch.first_duplicate(), None);
        batch.push(&act("a1")).unwrap();
        assert_eq!(batch.finish().unwrap_err().code(), "duplicate_activity");

        let mut batch = BatchScorer::new(&ModelSet::embedded(), vec![], as_of).unwrap();
        batch.push(&act("a1")).unwrap();
        batch.push(&act("a2")).unwrap();
        assert_eq!(batch.first_duplicate(), None);
        assert_eq!(batch.finish().unwrap()[0].energy.total, 40);
    }

    /// An activity of a deal in another part is rejected after it was resolved into the store:
    /// the store must drop its actions and contacts again, or the rows after it would read them.
    #[cfg(feature = "parallel")]
    #[test]
    fn a_push_of_another_part_leaves_no_trace() {
        use crate::ingest::part::Part;
        let act = |id: &str, deal: &str, action: &str| -> Activity {
            crate::from_json(&format!(
                r#"{{"id": "{id}", "deal": "{deal}", "date": "2026-11-20", "actions": ["{action}"],
                    "contacts": [{{"person": "{id}-p", "title": "部長", "department": "{id}-d"}}]}}"#
            ))
            .unwrap()
        };
        let (models, as_of) = (ModelSet::embedded(), "2026-11-27".parse().unwrap());
        let part = Part::new(0, 2).unwrap();
        let (mine, other): (Vec<String>, Vec<String>) =
            (0..20).map(|i| format!("D-{i}")).partition(|d| part.contains(d));
        let mut batch = BatchScorer::for_part(&models, &[], as_of, part).unwrap();
        batch.push(&act("a1", &mine[0], "visited_us")).unwrap();
        let err = batch.push(&act("x", &other[0], "called_us")).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        batch.push(&act("a2", &mine[0], "visited_us")).unwrap();
        let clean = [act("a1", &mine[0], "visited_us"), act("a2", &mine[0], "visited_us")];
        let expect = crate::score_all(&models, &[], &clean, as_of).unwrap();
        assert_eq!(batch.finish().unwrap(), expect);
    }
}
