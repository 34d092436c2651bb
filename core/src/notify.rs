//! Notification routing (日報の自動通知): who hears about a new activity report.

use crate::error::{Error, Result};
use crate::input::{Activity, Deal, Notify};

/// The deal's members whose `notify` is not `none`, minus the reporter, sorted and distinct.
pub fn recipients(deal: &Deal, activity: &Activity) -> Result<Vec<String>> {
    crate::process::check_deal_ids(deal)?;
    if activity.id.is_empty() {
        return Err(Error::EmptyId { path: "activity.id".into() });
    }
    if activity.deal != deal.id {
        return Err(Error::DealMismatch {
            activity: activity.id.to_string(),
            activity_deal: activity.deal.to_string(),
            deal: deal.id.clone(),
        });
    }
    let mut users: Vec<String> = deal
        .members
        .iter()
        .filter(|m| m.notify != Notify::None && activity.reporter.as_deref() != Some(m.user.as_str()))
        .map(|m| m.user.clone())
        .collect();
    crate::util::sort::sort_unstable(&mut users);
    users.dedup();
    Ok(users)
}
