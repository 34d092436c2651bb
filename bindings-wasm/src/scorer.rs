//! `Scorer`: incremental scoring for a live page (add, replace or remove one activity report,
//! update a deal, then re-report any deal as of any date).

use dealscore::{Activity, Deal};
use wasm_bindgen::prelude::*;

use crate::convert::{Result, arg, date, object, opt_arg, text};
use crate::model::Model;

/// Incremental scoring. Reports always equal `score` over the same deals and activities.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Scorer {
    inner: dealscore::Scorer,
}

#[wasm_bindgen]
impl Scorer {
    /// A scorer over `deals` (activities may also name deals that have no record), with `model`
    /// or the embedded default.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "Deal[] | null")] deals: Option<JsValue>,
    ) -> Result<Scorer> {
        let deals: Vec<Deal> = deals.map_or(Ok(Vec::new()), |d| opt_arg(&d, "deals"))?;
        Ok(Scorer { inner: dealscore::Scorer::new(Model::from_arg(model.as_ref())?, deals)? })
    }

    /// Adds or replaces a deal record (a quality event is added this way: the deal with one more
    /// event; an event by anyone but the maintainer is rejected with `not_maintainer`).
    #[wasm_bindgen(js_name = upsertDeal)]
    pub fn upsert_deal(&mut self, #[wasm_bindgen(unchecked_param_type = "Deal")] deal: JsValue) -> Result<()> {
        Ok(self.inner.upsert_deal(arg(&deal, "deal")?)?)
    }

    /// Adds a new activity report; a repeated id is `duplicate_activity`.
    pub fn add(&mut self, #[wasm_bindgen(unchecked_param_type = "Activity")] activity: JsValue) -> Result<()> {
        Ok(self.inner.add(arg(&activity, "activity")?)?)
    }

    /// Adds many activity reports, all or none: on an error the scorer is left unchanged.
    #[wasm_bindgen(js_name = addAll)]
    pub fn add_all(&mut self, #[wasm_bindgen(unchecked_param_type = "Activity[]")] activities: JsValue) -> Result<()> {
        let activities: Vec<Activity> = arg(&activities, "activities")?;
        let mut next = self.inner.clone();
        for a in activities {
            next.add(a)?;
        }
        self.inner = next;
        Ok(())
    }

    /// Replaces an edited activity report (same id); `unknown_activity` when there is none.
    pub fn replace(&mut self, #[wasm_bindgen(unchecked_param_type = "Activity")] activity: JsValue) -> Result<()> {
        Ok(self.inner.replace(arg(&activity, "activity")?)?)
    }

    /// Removes a deleted activity report and returns it.
    #[wasm_bindgen(unchecked_return_type = "Activity")]
    pub fn remove(&mut self, id: &str) -> Result<JsValue> {
        object(&self.inner.remove(id)?)
    }

    /// One deal's report as of `asOf`.
    #[wasm_bindgen(unchecked_return_type = "DealReport")]
    pub fn report(
        &self,
        #[wasm_bindgen(js_name = dealId)] deal_id: &str,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "DateString")] as_of: JsValue,
    ) -> Result<JsValue> {
        object(&self.inner.report(deal_id, date(&as_of, "as_of")?)?)
    }

    /// One deal's report as the core's JSON text.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(
        &self,
        #[wasm_bindgen(js_name = dealId)] deal_id: &str,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "DateString")] as_of: JsValue,
    ) -> Result<String> {
        text(&self.inner.report(deal_id, date(&as_of, "as_of")?)?)
    }

    /// Every deal's report as of `asOf`, sorted by deal id.
    #[wasm_bindgen(js_name = reportAll, unchecked_return_type = "DealReport[]")]
    pub fn report_all(
        &self,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "DateString")] as_of: JsValue,
    ) -> Result<JsValue> {
        object(&self.inner.report_all(date(&as_of, "as_of")?)?)
    }

    /// Every deal's report as the core's JSON text.
    #[wasm_bindgen(js_name = reportAllJson)]
    pub fn report_all_json(
        &self,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "DateString")] as_of: JsValue,
    ) -> Result<String> {
        text(&self.inner.report_all(date(&as_of, "as_of")?)?)
    }

    /// The clipped breakdown of one deal's activities dated ≤ `asOf`, in (date, id) order.
    #[wasm_bindgen(unchecked_return_type = "Explanation[]")]
    pub fn explain(
        &self,
        #[wasm_bindgen(js_name = dealId)] deal_id: &str,
        #[wasm_bindgen(js_name = asOf, unchecked_param_type = "DateString")] as_of: JsValue,
    ) -> Result<JsValue> {
        object(&self.inner.explain(deal_id, date(&as_of, "as_of")?)?)
    }

    /// Ids of every deal known from deal records or activities, sorted.
    #[wasm_bindgen(js_name = dealIds)]
    pub fn deal_ids(&self) -> Vec<String> {
        self.inner.deal_ids().into_iter().map(str::to_owned).collect()
    }

    /// Number of activities held.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }
}
