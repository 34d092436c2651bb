//! E(a): points for the customer's distinct actions, the top role met and the attendee band.

use crate::error::{Error, Result};
use crate::input::{Activity, ActivityText, ContactRef};
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::score::report::{ExplainItem, ExplainKind, Explanation};

/// An activity resolved against its model, points before caps, for its breakdown
/// ([`explain_activity`], [`crate::explain`]) and for checking one before keeping it. Buffers are
/// reused across activities.
#[derive(Debug, Clone, Default)]
pub(crate) struct Resolved {
    /// Distinct actions in order of first appearance, with their points for the top role.
    pub actions: Vec<(u16, u64)>,
    pub top: Option<u16>,
    pub role_points: u64,
    /// The attendee band's `min` and points.
    pub band: Option<(u32, u64)>,
    /// Scratch buffer of the actions' indices.
    indices: Vec<u16>,
}

/// What [`resolve`] finds of an activity besides its actions and contacts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resolution {
    pub top: Option<u16>,
    /// The attendee band's `min` and points.
    pub band: Option<(u32, u64)>,
}

/// The rules that resolve an activity against its model, in one place: each contact's role (a
/// role id wins over the title; a title that maps to no role is reported to `contact` as
/// unmapped), the top role, and the distinct actions in order of first appearance, appended to
/// `actions`. Every error an activity can have is found here. `contact` sees each contact with
/// its role as it is resolved, so on error the caller undoes what it kept (and `actions` may hold
/// part of the activity's actions).
// Always inlined with the `speed` feature, as `rows::resolve_row` is (see there).
#[cfg_attr(feature = "speed", allow(clippy::inline_always), inline(always))]
pub(crate) fn resolve<'a, A: ActivityText>(
    m: &CompiledModel,
    a: &'a A,
    actions: &mut Vec<u16>,
    mut contact: impl FnMut(ContactRef<'a>, Option<u16>, bool),
) -> Result<Resolution> {
    let mut top = None;
    let met = a.contacts().len();
    for c in a.contacts() {
        let (role, unmapped) = match (c.role, c.title) {
            (Some(role), _) => match m.roles.get(role) {
                Some(&r) => (Some(r), false),
                None => {
                    return Err(Error::UnknownRole {
                        context: format!("activity {:?}", a.id()),
                        role: role.to_owned(),
                    });
                }
            },
            (None, Some(title)) => {
                let r = m.role_for_title(title);
                (r, r.is_none())
            }
            (None, None) => (None, false),
        };
        top = m.top_of(top, role);
        contact(c, role, unmapped);
    }
    let first = actions.len();
    for id in a.actions() {
        let &idx = m
            .actions
            .get(id)
            .ok_or_else(|| Error::UnknownAction { activity: a.id().to_owned(), action: id.to_owned() })?;
        if !actions[first..].contains(&idx) {
            actions.push(idx);
        }
    }
    Ok(Resolution { top, band: m.band(a.attendees().unwrap_or(met as u32)) })
}

impl Resolved {
    /// Resolves `a` into `self`, replacing what was there.
    pub fn fill(&mut self, m: &CompiledModel, a: &impl ActivityText) -> Result<()> {
        self.indices.clear();
        let r = resolve(m, a, &mut self.indices, |_, _, _| {})?;
        self.actions.clear();
        self.actions.extend(self.indices.iter().map(|&idx| (idx, m.action_points(idx, r.top))));
        self.top = r.top;
        self.role_points = m.role_points(r.top);
        self.band = r.band;
        Ok(())
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
