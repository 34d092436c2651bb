//! Folding one deal's activities into its report.
//!
//! [`DealAcc`] takes activities in any order and keeps memory bounded by the deal, not by its
//! activities: everything but capped actions adds up order-independently, and for each capped
//! action it keeps only the (date, id)-ordered prefix of activities that can still earn points
//! (an activity past the point where the cap is reached can only ever be clipped to zero).

use std::borrow::Cow;
use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::date::Date;
use crate::error::Result;
use crate::input::{Activity, Deal};
use crate::model::RouteStep;
use crate::model::compiled::CompiledModel;
use crate::score::axes::{self, SignalInputs};
use crate::score::check::stale_days;
use crate::score::day_sums::DaySums;
use crate::score::quality;
use crate::score::report::{Breadth, DealReport, Energy, RouteCoverage};
use crate::score::rows::{ContactIds, NONE, Names, RowBuilder, RowHead};
use crate::score::status::Status;

/// Memoised decay factors `0.5^(age / half_life)`: deals share the same few hundred ages, and
/// `libm::pow` is the costliest step of a report. The values are the very same bits.
#[derive(Debug, Default)]
pub(crate) struct Decay {
    factors: FxHashMap<(u64, i32), f64>,
}

impl Decay {
    pub fn factor(&mut self, half_life_days: f64, age_days: i32) -> f64 {
        *self
            .factors
            .entry((half_life_days.to_bits(), age_days))
            .or_insert_with(|| libm::pow(0.5, f64::from(age_days) / half_life_days))
    }
}

/// Per-deal facts the stale list needs besides the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LastDates {
    pub any: Option<i32>,
    pub energy: Option<i32>,
}

/// One deal after folding.
pub(crate) struct Finished<'a> {
    pub deal: Cow<'a, Deal>,
    pub report: DealReport,
    pub last: LastDates,
    pub model: Arc<CompiledModel>,
}

/// An activity that earns points only through capped actions: whether it is energy-bearing
/// (and so counts for breadth) depends on the activities before it.
#[derive(Debug, Clone)]
struct Pending {
    day: i32,
    contacts: Vec<ContactIds>,
    /// Cap lists still holding an entry of this activity; at zero it can only score zero.
    live: u32,
}

/// One activity's points for one capped action, awaiting clipping.
#[derive(Debug, Clone)]
struct CapEntry<'a> {
    day: i32,
    /// The activity id's bytes (they order as the id does), borrowed where the input outlives
    /// the fold: an id is read only when two entries share a day.
    id: Cow<'a, [u8]>,
    points: u64,
    top: Option<u16>,
    reporter: u32,
    pending: Option<usize>,
}

/// The approval route a deal is measured against: its own, else its model's default.
fn route<'r>(m: &'r CompiledModel, deal: &'r Deal) -> &'r [RouteStep] {
    if deal.route.is_empty() { &m.model.default_route } else { &deal.route }
}

/// Accumulates one deal's report as of a fixed date from resolved rows (see [`crate::score::rows`]).
#[derive(Debug, Clone)]
pub(crate) struct DealAcc<'a> {
    as_of: Date,
    /// Each route step (the deal's, else the model's; see `route`) as interned ids, so matching
    /// compares integers.
    route_ids: Vec<StepIds>,
    covered: Vec<bool>,
    uncovered: usize,
    future_ignored: u64,
    /// Energy per day (only days ≤ T).
    days: DaySums,
    by_action: Vec<Option<u64>>,
    by_role: Vec<Option<u64>>,
    by_reporter: FxHashMap<u32, u64>,
    role_last_seen: Vec<Option<i32>>,
    people: FxHashSet<u32>,
    departments: FxHashSet<u32>,
    unmapped: FxHashSet<u32>,
    first_any: Option<i32>,
    last_any: Option<i32>,
    last_energy: Option<i32>,
    /// Per action: the (day, id)-ordered entries that may still earn points (capped actions only).
    caps: Vec<Vec<CapEntry<'a>>>,
    pending: Vec<Option<Pending>>,
    free: Vec<usize>,
    /// Scratch buffer of the capped actions of the activity being counted.
    capped: Vec<(usize, u64)>,
    /// Scratch buffer of `finish`.
    earned: Vec<u64>,
}

/// `v` as `len` copies of `x`, in the memory it already has.
fn refill<T: Clone>(v: &mut Vec<T>, len: usize, x: T) {
    v.clear();
    v.resize(len, x);
}

/// A route step with interned names: what a contact must equal to cover it.
#[derive(Debug, Clone, Copy)]
struct StepIds {
    role: Option<u16>,
    department: Option<u32>,
    person: Option<u32>,
}

impl StepIds {
    fn matches(self, c: &ContactIds) -> bool {
        self.role.is_none_or(|r| c.role == Some(r))
            && self.department.is_none_or(|d| d == c.department)
            && self.person.is_none_or(|p| p == c.person)
    }
}

impl<'a> DealAcc<'a> {
    /// An empty accumulator; `m` must be the model, and `names` the interner, every later call
    /// passes.
    pub fn new(m: &CompiledModel, deal: &Deal, as_of: Date, names: &mut Names) -> Self {
        let mut acc = DealAcc::empty(as_of);
        acc.reset(m, deal, names);
        acc
    }

    /// An accumulator of no deal yet: [`reset`](Self::reset) gives it one.
    pub fn empty(as_of: Date) -> Self {
        DealAcc {
            as_of,
            route_ids: Vec::new(),
            covered: Vec::new(),
            uncovered: 0,
            future_ignored: 0,
            days: DaySums::default(),
            by_action: Vec::new(),
            by_role: Vec::new(),
            by_reporter: FxHashMap::default(),
            role_last_seen: Vec::new(),
            people: FxHashSet::default(),
            departments: FxHashSet::default(),
            unmapped: FxHashSet::default(),
            first_any: None,
            last_any: None,
            last_energy: None,
            caps: Vec::new(),
            pending: Vec::new(),
            free: Vec::new(),
            capped: Vec::new(),
            earned: Vec::new(),
        }
    }

    /// Empties the accumulator for `deal` (of model `m`), keeping the memory it holds: the batch
    /// folds deal after deal through one accumulator rather than allocating one per deal.
    pub fn reset(&mut self, m: &CompiledModel, deal: &Deal, names: &mut Names) {
        let model = &m.model;
        let route = route(m, deal);
        let (actions, roles) = (model.actions.len(), model.roles.len());
        self.route_ids.clear();
        self.route_ids.extend(route.iter().map(|s| StepIds {
            // Route roles are validated; were one unknown, it would match nobody.
            role: s.role.as_deref().map(|r| m.roles.get(r).copied().unwrap_or(u16::MAX)),
            department: s.department.as_deref().map(|d| names.intern(d)),
            person: s.person.as_deref().map(|p| names.intern(p)),
        }));
        refill(&mut self.covered, route.len(), false);
        self.uncovered = route.len();
        self.future_ignored = 0;
        self.days.clear();
        refill(&mut self.by_action, actions, None);
        refill(&mut self.by_role, roles, None);
        self.by_reporter.clear();
        refill(&mut self.role_last_seen, roles, None);
        self.people.clear();
        self.departments.clear();
        self.unmapped.clear();
        (self.first_any, self.last_any, self.last_energy) = (None, None, None);
        self.caps.truncate(actions);
        self.caps.iter_mut().for_each(Vec::clear);
        self.caps.resize_with(actions, Vec::new);
        self.pending.clear();
        self.free.clear();
    }

    /// Folds the next deal as of `as_of` instead (after [`reset`](Self::reset)).
    pub fn set_as_of(&mut self, as_of: Date) {
        self.as_of = as_of;
    }

    /// Says the days of the activities to come, before they come (the batch knows each deal's
    /// activities before folding it): per-day sums then need no hashing.
    pub fn expect_days(&mut self, days: impl Iterator<Item = i32>, activities: usize) {
        let t = self.as_of.days_since_epoch();
        let (first, last) =
            days.filter(|&day| day <= t).fold((i32::MAX, i32::MIN), |(lo, hi), day| (lo.min(day), hi.max(day)));
        if first <= last {
            self.days.clear_for_span(first, last, activities);
        }
    }

    /// Adds one resolved activity (in any order); `id` gives its id, asked for only when a capped
    /// action needs it for ordering. Activities after `as_of` are only counted.
    pub fn push(
        &mut self,
        m: &CompiledModel,
        row: &RowHead,
        actions: &[u16],
        contacts: &[ContactIds],
        id: impl FnOnce() -> Cow<'a, [u8]>,
    ) {
        let day = row.day;
        if day > self.as_of.days_since_epoch() {
            self.future_ignored += 1;
            return;
        }
        let model = &m.model;
        self.first_any = Some(self.first_any.map_or(day, |d| d.min(day)));
        self.last_any = Some(self.last_any.map_or(day, |d| d.max(day)));
        for c in contacts {
            if c.unmapped_title != NONE {
                self.unmapped.insert(c.unmapped_title);
            }
        }
        // Energy known now: role, band and uncapped actions. Capped actions wait in cap lists.
        let mut fixed = u64::from(row.base);
        let mut capped = std::mem::take(&mut self.capped);
        capped.clear();
        for &idx in actions {
            let (i, points) = (idx as usize, m.action_points(idx, row.top));
            match model.actions[i].cap {
                None => {
                    fixed += points;
                    *self.by_action[i].get_or_insert(0) += points;
                }
                // Only entries that can still earn points are kept (see `insert_capped`).
                Some(cap) if points > 0 && cap > 0 => {
                    self.by_action[i].get_or_insert(0);
                    capped.push((i, points));
                }
                Some(_) => {
                    self.by_action[i].get_or_insert(0);
                }
            }
        }
        self.add_energy(day, fixed, row.top, row.reporter);
        if !capped.is_empty() {
            let id = id();
            capped.retain(|&(i, _)| self.can_earn(m, i, day, &id));
            let pending = if fixed > 0 || capped.is_empty() {
                None
            } else {
                let p = Pending { day, contacts: contacts.to_vec(), live: capped.len() as u32 };
                Some(match self.free.pop() {
                    Some(slot) => {
                        self.pending[slot] = Some(p);
                        slot
                    }
                    None => {
                        self.pending.push(Some(p));
                        self.pending.len() - 1
                    }
                })
            };
            for &(i, points) in &capped {
                let entry = CapEntry { day, id: id.clone(), points, top: row.top, reporter: row.reporter, pending };
                self.insert_capped(m, i, entry);
            }
        }
        if fixed > 0 {
            self.bear(day, contacts);
        }
        self.capped = capped;
    }

    fn add_energy(&mut self, day: i32, e: u64, top: Option<u16>, reporter: u32) {
        self.days.add(day, e);
        if let Some(top) = top {
            *self.by_role[top as usize].get_or_insert(0) += e;
        }
        if reporter != NONE {
            *self.by_reporter.entry(reporter).or_insert(0) += e;
        }
    }

    /// Records the contacts of an energy-bearing activity.
    fn bear(&mut self, day: i32, contacts: &[ContactIds]) {
        self.last_energy = Some(self.last_energy.map_or(day, |d| d.max(day)));
        for c in contacts {
            if c.person != NONE {
                self.people.insert(c.person);
            }
            if c.department != NONE {
                self.departments.insert(c.department);
            }
            if let Some(role) = c.role {
                let seen = &mut self.role_last_seen[role as usize];
                *seen = Some(seen.map_or(day, |d| d.max(day)));
            }
            if self.uncovered > 0 {
                for (step, hit) in self.route_ids.iter().zip(self.covered.iter_mut()) {
                    if !*hit && step.matches(c) {
                        *hit = true;
                        self.uncovered -= 1;
                    }
                }
            }
        }
    }

    /// Whether an entry at (day, id) would come before the point where action `i`'s cap is
    /// reached; if not it earns nothing, now or ever, and need not be kept.
    fn can_earn(&self, m: &CompiledModel, i: usize, day: i32, id: &[u8]) -> bool {
        let cap = m.model.actions[i].cap.unwrap_or(0) as u64;
        let mut before = 0u64;
        for e in &self.caps[i] {
            if (e.day, &*e.id) >= (day, id) {
                break;
            }
            before += e.points;
            if before >= cap {
                return false;
            }
        }
        true
    }

    /// Inserts an entry in (day, id) order, then drops entries past the point where the cap is
    /// reached: they earn nothing now and no later insertion can change that.
    fn insert_capped(&mut self, m: &CompiledModel, action: usize, entry: CapEntry<'a>) {
        let cap = m.model.actions[action].cap.unwrap_or(0) as u64;
        let list = &mut self.caps[action];
        let at = list.partition_point(|e| (e.day, &*e.id) < (entry.day, &*entry.id));
        list.insert(at, entry);
        let mut sum = 0u64;
        let keep = list
            .iter()
            .position(|e| {
                let full = sum >= cap;
                sum += e.points;
                full
            })
            .unwrap_or(list.len());
        for dropped in list.drain(keep..) {
            if let Some(slot) = dropped.pending {
                let p = self.pending[slot].as_mut().expect("live pending activity");
                p.live -= 1;
                if p.live == 0 {
                    self.pending[slot] = None;
                    self.free.push(slot);
                }
            }
        }
    }

    /// Settles caps and builds the report; [`reset`](Self::reset) makes the accumulator ready
    /// for another deal.
    pub fn finish(
        &mut self,
        m: &CompiledModel,
        deal: &Deal,
        decay: &mut Decay,
        names: &Names,
    ) -> (DealReport, LastDates) {
        let model = &m.model;
        let as_of = self.as_of;
        let t = as_of.days_since_epoch();
        // Clip capped entries in (day, id) order; sum what each pending activity earned.
        let mut earned = std::mem::take(&mut self.earned);
        refill(&mut earned, self.pending.len(), 0);
        let mut caps = std::mem::take(&mut self.caps);
        for (i, list) in caps.iter_mut().enumerate() {
            let cap = model.actions[i].cap.unwrap_or(0) as u64;
            let mut used = 0u64;
            for e in list.drain(..) {
                let got = clip(e.points, cap, &mut used);
                *self.by_action[i].get_or_insert(0) += got;
                self.add_energy(e.day, got, e.top, e.reporter);
                if let Some(slot) = e.pending {
                    earned[slot] += got;
                }
            }
        }
        self.caps = caps;
        let mut pending = std::mem::take(&mut self.pending);
        for (slot, p) in pending.drain(..).enumerate() {
            if let Some(p) = p
                && earned[slot] > 0
            {
                self.bear(p.day, &p.contacts);
            }
        }
        (self.pending, self.earned) = (pending, earned);
        let days = self.days.sorted();
        let total: u64 = days.iter().map(|d| d.1).sum();
        let decayed =
            days.iter().fold(0.0f64, |acc, &(day, e)| acc + e as f64 * decay.factor(model.half_life_days, t - day));
        let mut roles_reached: Vec<u16> =
            (0..model.roles.len() as u16).filter(|&r| self.role_last_seen[r as usize].is_some()).collect();
        // Ranks are distinct (the model checks): a total order.
        crate::util::sort::sort_unstable_by_key(&mut roles_reached, |&r| m.role_rank(r));
        let top_role = roles_reached.last().copied();
        let route = route(m, deal);
        let covered = &self.covered;
        let coverage = (!route.is_empty()).then(|| covered.iter().filter(|&&c| c).count() as f64 / route.len() as f64);
        let pick = |want: bool| -> Vec<RouteStep> {
            route.iter().zip(covered).filter(|(_, c)| **c == want).map(|(s, _)| s.clone()).collect()
        };
        let sorted = |set: &mut FxHashSet<u32>| -> Vec<CompactString> {
            let mut v: Vec<CompactString> = set.drain().map(|id| names.name(id).into()).collect();
            crate::util::sort::sort_unstable(&mut v);
            v
        };
        let breadth = Breadth {
            people: sorted(&mut self.people),
            roles: roles_reached.iter().map(|&r| model.roles[r as usize].id.as_str().into()).collect(),
            departments: sorted(&mut self.departments),
            top_role: top_role.map(|r| model.roles[r as usize].id.as_str().into()),
            route: RouteCoverage { steps: route.to_vec(), covered: pick(true), missing: pick(false), coverage },
            score: coverage.unwrap_or_else(|| {
                if model.roles.is_empty() { 0.0 } else { roles_reached.len() as f64 / model.roles.len() as f64 }
            }),
        };
        let cont = &model.continuity;
        let continuity = axes::continuity(days, as_of, cont.period_days, cont.periods, self.last_energy);
        let quality = quality::summary(m, deal, as_of);
        let signals = axes::signals(&SignalInputs {
            continuity: &continuity,
            stale_days: stale_days(m, deal),
            top_role: top_role
                .map(|r| (model.roles[r as usize].id.as_str(), self.role_last_seen[r as usize].unwrap_or(t))),
            window_days: cont.period_days * cont.periods,
            people: &breadth.people,
            coverage,
            missing_steps: covered.iter().filter(|&&c| !c).count(),
            first_day: self.first_any,
            as_of,
        });
        let status = Status::of(model, total, quality.as_ref().map(|q| q.score)).label(&model.status.labels);
        let report = DealReport {
            deal: deal.id.as_str().into(),
            as_of,
            energy: Energy {
                total,
                decayed,
                by_action: model
                    .actions
                    .iter()
                    .zip(&self.by_action)
                    .filter_map(|(a, n)| n.map(|n| (a.id.as_str().into(), n)))
                    .collect(),
                by_role: model
                    .roles
                    .iter()
                    .zip(&self.by_role)
                    .filter_map(|(r, n)| n.map(|n| (r.id.as_str().into(), n)))
                    .collect(),
                by_reporter: self.by_reporter.drain().map(|(id, e)| (names.name(id).into(), e)).collect(),
            },
            breadth,
            continuity,
            quality,
            signals,
            status: status.into(),
            last_contact: self.last_any.map(|d| as_of.add_days(d - t).expect("a day of an input date")),
            unmapped_titles: sorted(&mut self.unmapped),
            future_ignored: self.future_ignored,
        };
        (report, LastDates { any: self.last_any, energy: self.last_energy })
    }
}

/// What an activity's `points` for a capped action earn when `used` of the `cap` are already
/// taken, in (date, id) order; `used` grows by that. The one rule of capping: the fold and
/// explain both clip through it.
pub(crate) fn clip(points: u64, cap: u64, used: &mut u64) -> u64 {
    let got = points.min(cap.saturating_sub(*used));
    *used += got;
    got
}

/// Scores deals one after another from their activities (any order), through one accumulator
/// whose buffers, interned names and decay factors carry over from deal to deal.
pub(crate) struct Folder<'a> {
    names: Names,
    rows: RowBuilder,
    acc: DealAcc<'a>,
    decay: Decay,
}

impl<'a> Folder<'a> {
    pub fn new(as_of: Date) -> Self {
        Folder {
            names: Names::default(),
            rows: RowBuilder::default(),
            acc: DealAcc::empty(as_of),
            decay: Decay::default(),
        }
    }

    pub fn fold(&mut self, m: &CompiledModel, deal: &Deal, acts: &[&'a Activity]) -> Result<(DealReport, LastDates)> {
        self.acc.reset(m, deal, &mut self.names);
        for &a in acts {
            let row = self.rows.build(m, a, &mut self.names)?;
            self.acc.push(m, &row, self.rows.actions(), self.rows.contacts(), || Cow::Borrowed(a.id.as_bytes()));
        }
        Ok(self.acc.finish(m, deal, &mut self.decay, &self.names))
    }
}
