//! E(a): points for the customer's distinct actions, the top role met and the attendee band.

use crate::error::{Error, Result};
use crate::input::{Activity, ActivityText, ContactRef};
use crate::modelset::{CompiledModel, ModelSet};
use crate::report::{ExplainItem, ExplainKind, Explanation};

/// An activity resolved against its model, points before caps. Buffers are reused across
/// activities so the scoring loop does not allocate per activity.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    /// Distinct actions in order of first appearance, with their points for the top role.
    pub actions: Vec<(u16, u64)>,
    /// Each contact's role, parallel to `activity.contacts`.
    pub contact_roles: Vec<Option<u16>>,
    pub top: Option<u16>,
    pub role_points: u64,
    /// The attendee band's `min` and points.
    pub band: Option<(u32, u64)>,
    /// Indexes of contacts whose title mapped to no role.
    pub unmapped: Vec<usize>,
}

impl Resolved {
    /// Resolves `a` into `self`, replacing what was there.
    pub fn fill(&mut self, m: &CompiledModel, a: &impl ActivityText) -> Result<()> {
        self.actions.clear();
        self.contact_roles.clear();
        self.unmapped.clear();
        self.top = None;
        for (i, c) in a.contacts().enumerate() {
            let role = self.contact_role(m, a, i, c)?;
            self.top = m.top_of(self.top, role);
            self.contact_roles.push(role);
        }
        for id in a.actions() {
            let &idx = m
                .actions
                .get(id)
                .ok_or_else(|| Error::UnknownAction { activity: a.id().to_owned(), action: id.to_owned() })?;
            if !self.actions.iter().any(|&(seen, _)| seen == idx) {
                self.actions.push((idx, m.action_points(idx, self.top)));
            }
        }
        self.role_points = m.role_points(self.top);
        let attendees = a.attendees().unwrap_or(a.contacts().len() as u32);
        self.band = m.band(attendees);
        Ok(())
    }

    fn contact_role(
        &mut self,
        m: &CompiledModel,
        a: &impl ActivityText,
        i: usize,
        c: ContactRef<'_>,
    ) -> Result<Option<u16>> {
        if let Some(role) = c.role {
            return m.roles.get(role).copied().map(Some).ok_or_else(|| Error::UnknownRole {
                context: format!("activity {:?}", a.id()),
                role: role.to_owned(),
            });
        }
        let Some(title) = c.title else { return Ok(None) };
        let role = m.role_for_title(title);
        if role.is_none() {
            self.unmapped.push(i);
        }
        Ok(role)
    }

    /// The itemised breakdown, with each action's points as given by `clipped`.
    pub fn items(&self, m: &CompiledModel, clipped: impl Fn(usize, u64) -> u64) -> Vec<ExplainItem> {
        let mut items: Vec<ExplainItem> = self
            .actions
            .iter()
            .enumerate()
            .map(|(i, &(idx, points))| ExplainItem {
                kind: ExplainKind::Action,
                id: m.model.actions[idx as usize].id.as_str().into(),
                points: clipped(i, points),
            })
            .collect();
        if let Some(r) = self.top {
            items.push(ExplainItem {
                kind: ExplainKind::Role,
                id: m.model.roles[r as usize].id.as_str().into(),
                points: self.role_points,
            });
        }
        if let Some((min, points)) = self.band {
            items.push(ExplainItem { kind: ExplainKind::Attendees, id: compact_str::format_compact!("{min}"), points });
        }
        items
    }
}

/// The breakdown of one activity on its own, before any cap (caps need the deal's history; the
/// deal-context [`crate::explain`] shows clipped points). The deal's model is used when `deal`
/// names one; otherwise the set's default.
pub fn explain_activity(models: &ModelSet, deal_model: Option<&str>, activity: &Activity) -> Result<Explanation> {
    let m = models.for_deal(&activity.deal, deal_model)?;
    let mut r = Resolved::default();
    r.fill(m, activity)?;
    let items = r.items(m, |_, p| p);
    Ok(Explanation {
        activity: activity.id.clone(),
        deal: activity.deal.clone(),
        date: activity.date,
        energy: items.iter().map(|i| i.points).sum(),
        items,
    })
}
