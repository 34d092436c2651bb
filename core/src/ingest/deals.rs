//! The deals a scorer knows: the records it was given (checked on entry) plus a bare one for each
//! deal that only activities name, each with its model, found by id. Shared by the streaming and
//! the batch scorer.

use std::borrow::Cow;
use std::sync::Arc;

use crate::error::Result;
use crate::input::Deal;
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::score::check::check_deals;
use crate::util::shortmap::ShortMap;

#[derive(Debug)]
pub(crate) struct DealTable<'d> {
    pub deals: Vec<Cow<'d, Deal>>,
    /// Each deal's model, parallel to `deals`.
    pub models: Vec<Arc<CompiledModel>>,
    index: ShortMap<u32>,
}

impl<'d> DealTable<'d> {
    /// Checks every deal against its model and rejects repeated ids.
    pub fn new(set: &ModelSet, deals: Vec<Cow<'d, Deal>>) -> Result<DealTable<'d>> {
        let models = check_deals(set, deals.iter().map(|d| &**d))?.into_iter().cloned().collect();
        let index = deals.iter().enumerate().map(|(i, d)| (d.id.clone(), i as u32)).collect();
        Ok(DealTable { deals, models, index })
    }

    pub fn len(&self) -> usize {
        self.deals.len()
    }

    /// The position of deal `id` if known, and the model its activities are resolved with (the
    /// set's default for a deal not seen yet).
    pub fn find<'s>(&'s self, set: &'s ModelSet, id: &str) -> Result<(Option<usize>, &'s CompiledModel)> {
        match self.index.get(id) {
            Some(&d) => Ok((Some(d as usize), &self.models[d as usize])),
            None => Ok((None, set.for_deal(id, None)?)),
        }
    }

    /// The position of deal `id`, if known.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|&d| d as usize)
    }

    /// Adds a bare deal `id` (named by an activity, with no record) and returns its position.
    pub fn add_bare(&mut self, set: &ModelSet, id: &str) -> Result<usize> {
        let d = self.deals.len();
        self.models.push(Arc::clone(set.for_deal(id, None)?));
        self.deals.push(Cow::Owned(Deal::bare(id)));
        self.index.insert(id, d as u32);
        Ok(d)
    }
}
