//! The incremental [`Scorer`] (activities added, replaced or removed; any deal reported as of any
//! date) and the deal-context [`explain`]. Reports are folded by the same accumulator as
//! [`crate::score_all`], so both give identical reports for the same activities.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::CompactString;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{Activity, Deal};
use crate::model::compiled::ModelSet;
use crate::score::check::{check_deal, check_deals, check_ids};
use crate::score::energy::Resolved;
use crate::score::explain::explain_deal;
use crate::score::fold::Folder;
use crate::score::report::{DealReport, Explanation};

/// The clipped energy breakdown of every activity dated ≤ `as_of`, sorted by (deal, date, id).
pub fn explain(models: &ModelSet, deals: &[Deal], activities: &[Activity], as_of: Date) -> Result<Vec<Explanation>> {
    check_deals(models, deals)?;
    let known: FxHashMap<&str, &Deal> = deals.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut groups: BTreeMap<&str, Vec<&Activity>> = BTreeMap::new();
    for (i, a) in activities.iter().enumerate() {
        check_ids(a, &format!("activities[{i}]"))?;
        if !seen.insert(&a.id) {
            return Err(Error::DuplicateActivity { activity: a.id.to_string() });
        }
        groups.entry(&a.deal).or_default().push(a);
    }
    let mut out = Vec::new();
    for (deal, mut acts) in groups {
        let m = models.for_deal(deal, known.get(deal).and_then(|d| d.model.as_deref()))?;
        out.extend(explain_deal(m, &mut acts, as_of)?);
    }
    Ok(out)
}

/// Incremental scoring: add, replace or remove activities one at a time, in any order, and
/// report any deal as of any date. Reports equal [`score_all`](crate::score_all) over the same
/// activities.
#[derive(Debug, Clone)]
pub struct Scorer {
    models: ModelSet,
    deals: BTreeMap<String, Deal>,
    /// Deal id → its activities by id. Keys are the activities' own `CompactString`s, which
    /// copy without allocating when short (as ids are).
    activities: BTreeMap<CompactString, BTreeMap<CompactString, Activity>>,
    /// Activity id → deal id.
    owner: FxHashMap<CompactString, CompactString>,
    /// Reused to check each activity added.
    resolved: Resolved,
}

impl Scorer {
    /// A scorer over `deals` (which may be empty: activities can name unrecorded deals).
    pub fn new(models: ModelSet, deals: Vec<Deal>) -> Result<Scorer> {
        check_deals(&models, &deals)?;
        let deals = deals.into_iter().map(|d| (d.id.clone(), d)).collect();
        Ok(Scorer {
            models,
            deals,
            activities: BTreeMap::new(),
            owner: FxHashMap::default(),
            resolved: Resolved::default(),
        })
    }

    pub fn models(&self) -> &ModelSet {
        &self.models
    }

    /// Adds or replaces a deal record.
    pub fn upsert_deal(&mut self, deal: Deal) -> Result<()> {
        let m = self.models.for_deal(&deal.id, deal.model.as_deref())?;
        check_deal(m, &deal)?;
        self.deals.insert(deal.id.clone(), deal);
        Ok(())
    }

    /// Adds a new activity; a repeated id is `duplicate_activity`.
    pub fn add(&mut self, activity: Activity) -> Result<()> {
        if self.owner.contains_key(&activity.id) {
            return Err(Error::DuplicateActivity { activity: activity.id.into() });
        }
        self.check(&activity)?;
        self.insert(activity);
        Ok(())
    }

    /// Replaces an edited activity report (same id); `unknown_activity` when there is none.
    pub fn replace(&mut self, activity: Activity) -> Result<()> {
        if !self.owner.contains_key(&activity.id) {
            return Err(Error::UnknownActivity { activity: activity.id.into() });
        }
        self.check(&activity)?;
        self.remove(&activity.id)?;
        self.insert(activity);
        Ok(())
    }

    /// Removes a deleted activity report and returns it.
    pub fn remove(&mut self, id: &str) -> Result<Activity> {
        let deal = self.owner.remove(id).ok_or_else(|| Error::UnknownActivity { activity: id.to_owned() })?;
        let acts = self.activities.get_mut(deal.as_str()).expect("owner and activities agree");
        let a = acts.remove(id).expect("owner and activities agree");
        if acts.is_empty() {
            self.activities.remove(deal.as_str());
        }
        Ok(a)
    }

    /// Number of activities held.
    pub fn len(&self) -> usize {
        self.owner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.owner.is_empty()
    }

    /// Ids of every deal known from deal records or activities, sorted.
    pub fn deal_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> =
            self.deals.keys().map(String::as_str).chain(self.activities.keys().map(CompactString::as_str)).collect();
        crate::util::sort::sort_unstable(&mut ids);
        ids.dedup();
        ids
    }

    /// One deal's report as of `as_of`.
    pub fn report(&self, deal_id: &str, as_of: Date) -> Result<DealReport> {
        self.fold(&mut Folder::new(as_of), deal_id)
    }

    /// Every deal's report as of `as_of`, sorted by deal id.
    pub fn report_all(&self, as_of: Date) -> Result<Vec<DealReport>> {
        let mut folder = Folder::new(as_of);
        self.deal_ids().into_iter().map(|id| self.fold(&mut folder, id)).collect()
    }

    /// The clipped breakdown of one deal's activities dated ≤ `as_of`, in (date, id) order.
    pub fn explain(&self, deal_id: &str, as_of: Date) -> Result<Vec<Explanation>> {
        let (deal, mut list) = self.deal_and_activities(deal_id)?;
        let m = self.models.for_deal(&deal.id, deal.model.as_deref())?;
        explain_deal(m, &mut list, as_of)
    }

    fn fold<'s>(&'s self, folder: &mut Folder<'s>, deal_id: &str) -> Result<DealReport> {
        let (deal, list) = self.deal_and_activities(deal_id)?;
        let m = self.models.for_deal(&deal.id, deal.model.as_deref())?;
        Ok(folder.fold(m, &deal, &list)?.0)
    }

    fn deal_and_activities(&self, deal_id: &str) -> Result<(std::borrow::Cow<'_, Deal>, Vec<&Activity>)> {
        let acts = self.activities.get(deal_id);
        let deal = match self.deals.get(deal_id) {
            Some(d) => std::borrow::Cow::Borrowed(d),
            None if acts.is_some() => std::borrow::Cow::Owned(Deal::bare(deal_id)),
            None => return Err(Error::UnknownDeal { deal: deal_id.to_owned() }),
        };
        Ok((deal, acts.map(|a| a.values().collect()).unwrap_or_default()))
    }

    fn check(&mut self, a: &Activity) -> Result<()> {
        check_ids(a, "activity")?;
        let model = self.deals.get(a.deal.as_str()).and_then(|d| d.model.as_deref());
        let m = self.models.for_deal(&a.deal, model)?;
        self.resolved.fill(m, a)
    }

    fn insert(&mut self, a: Activity) {
        self.owner.insert(a.id.clone(), a.deal.clone());
        self.activities.entry(a.deal.clone()).or_default().insert(a.id.clone(), a);
    }
}
