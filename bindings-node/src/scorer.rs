//! `Scorer`: incremental scoring for a CRM that receives activity reports one at a time (added,
//! edited, deleted) and asks for any deal's report as of any date.

use dealscore::{Activity, Deal};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

use crate::args;
use crate::convert::{from_js, to_js, to_json_text};
use crate::error::{OrThrow, guard};
use crate::model::models;

/// Incremental scorer; its reports equal `score` over the same activities.
#[napi]
#[derive(Debug)]
pub struct Scorer {
    inner: dealscore::Scorer,
}

#[napi]
impl Scorer {
    /// A scorer over `deals` (activities may also name deals that have no record).
    #[napi(constructor, ts_args_type = "model?: Model | null, deals?: Deal[] | null")]
    pub fn new(env: Env, model: Option<Unknown>, deals: Option<Unknown>) -> napi::Result<Scorer> {
        let model = args::model(&env, model)?;
        guard(&env, || {
            let deals: Vec<Deal> = deals.map(|d| from_js(&env, d)).transpose()?.unwrap_or_default();
            dealscore::Scorer::new(models(model.as_deref()).clone(), deals).map(|inner| Scorer { inner }).or_throw(&env)
        })
    }

    /// Adds a new activity report; a repeated id is `duplicate_activity`.
    #[napi(ts_args_type = "activity: Activity")]
    pub fn add(&mut self, env: Env, activity: Unknown) -> napi::Result<()> {
        guard(&env, || self.inner.add(from_js(&env, activity)?).or_throw(&env))
    }

    /// Replaces an edited report (same id); `unknown_activity` when there is none.
    #[napi(ts_args_type = "activity: Activity")]
    pub fn replace(&mut self, env: Env, activity: Unknown) -> napi::Result<()> {
        guard(&env, || self.inner.replace(from_js(&env, activity)?).or_throw(&env))
    }

    /// Removes a deleted report and returns it; `unknown_activity` when there is none.
    #[napi(ts_args_type = "id: string", ts_return_type = "Activity")]
    pub fn remove<'e>(&mut self, env: &'e Env, id: Unknown) -> napi::Result<Unknown<'e>> {
        let id = args::string(env, id, "id")?;
        guard(env, || {
            let removed: Activity = self.inner.remove(&id).or_throw(env)?;
            to_js(env, &removed)
        })
    }

    /// Adds or replaces a deal record.
    #[napi(ts_args_type = "deal: Deal")]
    pub fn upsert_deal(&mut self, env: Env, deal: Unknown) -> napi::Result<()> {
        guard(&env, || self.inner.upsert_deal(from_js(&env, deal)?).or_throw(&env))
    }

    /// Number of activities held.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// Ids of every deal known from records or activities, sorted.
    #[napi]
    pub fn deal_ids(&self) -> Vec<String> {
        self.inner.deal_ids().into_iter().map(str::to_owned).collect()
    }

    /// One deal's report as of `asOf`; `unknown_deal` when nothing names the deal.
    #[napi(ts_args_type = "dealId: string, asOf: DateString", ts_return_type = "DealReport")]
    pub fn report<'e>(&self, env: &'e Env, deal_id: Unknown, as_of: Unknown) -> napi::Result<Unknown<'e>> {
        let (deal_id, as_of) = (args::string(env, deal_id, "dealId")?, args::date(env, as_of, "asOf")?);
        guard(env, || to_js(env, &self.inner.report(&deal_id, as_of).or_throw(env)?))
    }

    /// Every deal's report as of `asOf`, sorted by deal id.
    #[napi(ts_args_type = "asOf: DateString", ts_return_type = "DealReport[]")]
    pub fn report_all<'e>(&self, env: &'e Env, as_of: Unknown) -> napi::Result<Unknown<'e>> {
        let as_of = args::date(env, as_of, "asOf")?;
        guard(env, || to_js(env, &self.inner.report_all(as_of).or_throw(env)?))
    }

    /// `reportAll` as JSON text.
    #[napi(ts_args_type = "asOf: DateString")]
    pub fn report_all_json(&self, env: &Env, as_of: Unknown) -> napi::Result<String> {
        let as_of = args::date(env, as_of, "asOf")?;
        guard(env, || to_json_text(env, &self.inner.report_all(as_of).or_throw(env)?))
    }

    /// The clipped breakdown of one deal's activities dated ≤ `asOf`, in (date, id) order.
    #[napi(ts_args_type = "dealId: string, asOf: DateString", ts_return_type = "Explanation[]")]
    pub fn explain<'e>(&self, env: &'e Env, deal_id: Unknown, as_of: Unknown) -> napi::Result<Unknown<'e>> {
        let (deal_id, as_of) = (args::string(env, deal_id, "dealId")?, args::date(env, as_of, "asOf")?);
        guard(env, || to_js(env, &self.inner.explain(&deal_id, as_of).or_throw(env)?))
    }
}
