//! The rules a deal and an activity must meet before they are scored.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::error::{Error, Result};
use crate::input::{ActivityText, Deal};
use crate::model::RouteStep;
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::score::quality;

/// Checks a deal against its model: stage, route roles, quality events.
pub(crate) fn check_deal(m: &CompiledModel, deal: &Deal) -> Result<()> {
    crate::process::check_deal_ids(deal)?;
    if let Some(stage) = &deal.stage
        && m.stage(stage).is_none()
    {
        return Err(Error::UnknownStage { context: format!("deal {:?}", deal.id), stage: stage.clone() });
    }
    for step in &deal.route {
        if let Some(role) = &step.role
            && !m.roles.contains_key(role.as_str())
        {
            return Err(Error::UnknownRole { context: format!("deal {:?} route", deal.id), role: role.to_string() });
        }
    }
    if let Some(i) = deal.route.iter().position(RouteStep::names_nothing) {
        return Err(Error::InvalidInput {
            path: format!("deals[{:?}].route[{i}]", deal.id),
            message: "a route step needs a role, department or person".into(),
        });
    }
    if deal.outcome.is_some() && deal.closed_on.is_none() {
        return Err(Error::InvalidInput {
            path: format!("deals[{:?}].closed_on", deal.id),
            message: "a deal with an outcome needs its close date (YYYY-MM-DD)".into(),
        });
    }
    quality::check_events(m, deal)
}

/// Checks every deal against its model and rejects repeated ids; returns each deal's model.
pub(crate) fn check_deals<'s, 'd>(
    models: &'s ModelSet,
    deals: impl IntoIterator<Item = &'d Deal>,
) -> Result<Vec<&'s Arc<CompiledModel>>> {
    let mut ids: FxHashSet<&str> = FxHashSet::default();
    deals
        .into_iter()
        .map(|deal| {
            let m = models.for_deal(&deal.id, deal.model.as_deref())?;
            check_deal(m, deal)?;
            if !ids.insert(&deal.id) {
                return Err(Error::DuplicateDeal { deal: deal.id.clone() });
            }
            Ok(m)
        })
        .collect()
}

/// The stale threshold of a deal: its stage's `stale_days`, else the model's.
pub(crate) fn stale_days(m: &CompiledModel, deal: &Deal) -> u32 {
    deal.stage.as_deref().and_then(|s| m.stage(s)).and_then(|s| s.stale_days).unwrap_or(m.model.stale_days)
}

/// An activity must name itself and its deal.
pub(crate) fn check_ids(a: &impl ActivityText, path: &str) -> Result<()> {
    if a.id().is_empty() {
        return Err(Error::EmptyId { path: format!("{path}.id") });
    }
    if a.deal().is_empty() {
        return Err(Error::EmptyId { path: format!("{path}.deal") });
    }
    Ok(())
}
