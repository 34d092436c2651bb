//! Folding one deal's activities into its report. Activities are applied in (date, id) order so
//! caps clip the same activity whatever order the input came in.

use std::collections::{BTreeMap, BTreeSet};

use crate::axes::{self, SignalInputs};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::energy::Resolved;
use crate::input::{Activity, Deal};
use crate::model::RouteStep;
use crate::modelset::{CompiledModel, check_route};
use crate::quality;
use crate::report::{Breadth, DealReport, Energy, Explanation, RouteCoverage};

/// Checks a deal against its model: stage, route roles, quality events.
pub(crate) fn check_deal(m: &CompiledModel, deal: &Deal) -> Result<()> {
    if deal.id.is_empty() {
        return Err(Error::EmptyId { path: "deal.id".into() });
    }
    if let Some(stage) = &deal.stage
        && m.stage(stage).is_none()
    {
        return Err(Error::UnknownStage { context: format!("deal {:?}", deal.id), stage: stage.clone() });
    }
    for step in &deal.route {
        if let Some(role) = &step.role
            && !m.roles.contains_key(role)
        {
            return Err(Error::UnknownRole { context: format!("deal {:?} route", deal.id), role: role.clone() });
        }
    }
    check_route(&deal.route, &m.roles, &format!("deals[{:?}].route", deal.id))
        .map_err(|e| Error::InvalidInput { path: e.path().unwrap_or_default().to_owned(), message: e.to_string() })?;
    quality::check_events(m, deal)
}

/// The stale threshold of a deal: its stage's `stale_days`, else the model's.
pub(crate) fn stale_days(m: &CompiledModel, deal: &Deal) -> u32 {
    deal.stage.as_deref().and_then(|s| m.stage(s)).and_then(|s| s.stale_days).unwrap_or(m.model.stale_days)
}

/// Per-deal facts the stale list needs besides the report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LastDates {
    pub any: Option<i32>,
    pub energy: Option<i32>,
}

/// Scores one deal. `acts` may be in any order; it is sorted in place. When `explain` is given,
/// each counted activity's clipped breakdown is appended to it.
pub(crate) fn fold_deal(
    m: &CompiledModel,
    deal: &Deal,
    acts: &mut [&Activity],
    as_of: Date,
    mut explain: Option<&mut Vec<Explanation>>,
) -> Result<(DealReport, LastDates)> {
    let model = &m.model;
    let t = as_of.days_since_epoch();
    acts.sort_unstable_by(|a, b| (a.date, a.id.as_bytes()).cmp(&(b.date, b.id.as_bytes())));
    let counted = acts.partition_point(|a| a.date <= as_of);
    let future_ignored = (acts.len() - counted) as u64;

    let route: &[RouteStep] = if deal.route.is_empty() { &model.default_route } else { &deal.route };
    let mut covered = vec![false; route.len()];
    let mut cap_used = vec![0u64; model.actions.len()];
    let mut by_action = vec![None::<u64>; model.actions.len()];
    let mut by_role = vec![None::<u64>; model.roles.len()];
    let mut role_last_seen = vec![None::<i32>; model.roles.len()];
    let mut by_reporter: BTreeMap<&str, u64> = BTreeMap::new();
    let mut people: BTreeSet<&str> = BTreeSet::new();
    let mut departments: BTreeSet<&str> = BTreeSet::new();
    let mut unmapped: BTreeSet<&str> = BTreeSet::new();
    let mut days: Vec<(i32, u64)> = Vec::new();
    let mut total = 0u64;
    let mut last_energy = None;
    let mut clipped = Vec::new();
    let mut r = Resolved::default();

    for &a in &acts[..counted] {
        r.fill(m, a)?;
        unmapped.extend(r.unmapped.iter().copied());
        clipped.clear();
        let mut e = r.role_points + r.band.map_or(0, |b| b.1);
        for &(idx, points) in &r.actions {
            let i = idx as usize;
            let got = match model.actions[i].cap {
                Some(cap) => points.min((cap as u64).saturating_sub(cap_used[i])),
                None => points,
            };
            cap_used[i] += got;
            *by_action[i].get_or_insert(0) += got;
            clipped.push(got);
            e += got;
        }
        total += e;
        if let Some(top) = r.top {
            *by_role[top as usize].get_or_insert(0) += e;
        }
        if let Some(rep) = &a.reporter {
            *by_reporter.entry(rep).or_insert(0) += e;
        }
        let day = a.date.days_since_epoch();
        match days.last_mut() {
            Some((d, sum)) if *d == day => *sum += e,
            _ => days.push((day, e)),
        }
        if e > 0 {
            last_energy = Some(day);
            for (c, &role) in a.contacts.iter().zip(&r.contact_roles) {
                if let Some(p) = &c.person {
                    people.insert(p);
                }
                if let Some(d) = &c.department {
                    departments.insert(d);
                }
                if let Some(role) = role {
                    role_last_seen[role as usize] = Some(day);
                }
                for (step, hit) in route.iter().zip(covered.iter_mut()) {
                    if !*hit && step_matches(m, step, c, role) {
                        *hit = true;
                    }
                }
            }
        }
        if let Some(out) = explain.as_deref_mut() {
            out.push(Explanation {
                activity: a.id.clone(),
                deal: a.deal.clone(),
                date: a.date,
                energy: e,
                items: r.items(m, |i, _| clipped[i]),
            });
        }
    }

    // Future activities change nothing, but a bad id in one is still an error, never skipped.
    for &a in &acts[counted..] {
        r.fill(m, a)?;
    }

    let decayed = days.iter().fold(0.0f64, |acc, &(day, e)| {
        acc + e as f64 * libm::pow(0.5, f64::from(t - day) / model.half_life_days)
    });
    let mut roles_reached: Vec<u16> =
        (0..model.roles.len() as u16).filter(|&r| role_last_seen[r as usize].is_some()).collect();
    roles_reached.sort_by_key(|&r| m.role_rank(r));
    let top_role = roles_reached.last().copied();
    let coverage = (!route.is_empty())
        .then(|| covered.iter().filter(|&&c| c).count() as f64 / route.len() as f64);
    let pick = |want: bool| -> Vec<RouteStep> {
        route.iter().zip(&covered).filter(|(_, c)| **c == want).map(|(s, _)| s.clone()).collect()
    };
    let breadth = Breadth {
        people: people.iter().map(|s| (*s).to_owned()).collect(),
        roles: roles_reached.iter().map(|&r| model.roles[r as usize].id.clone()).collect(),
        departments: departments.iter().map(|s| (*s).to_owned()).collect(),
        top_role: top_role.map(|r| model.roles[r as usize].id.clone()),
        route: RouteCoverage { steps: route.to_vec(), covered: pick(true), missing: pick(false), coverage },
        score: coverage.unwrap_or_else(|| {
            if model.roles.is_empty() { 0.0 } else { roles_reached.len() as f64 / model.roles.len() as f64 }
        }),
    };
    let cont = &model.continuity;
    let continuity = axes::continuity(&days, as_of, cont.period_days, cont.periods, last_energy);
    let quality = quality::summary(m, deal, as_of)?;
    let stale_days = stale_days(m, deal);
    let signals = axes::signals(&SignalInputs {
        continuity: &continuity,
        stale_days,
        top_role: top_role.map(|r| (model.roles[r as usize].id.as_str(), role_last_seen[r as usize].unwrap_or(t))),
        window_days: cont.period_days * cont.periods,
        people: &breadth.people,
        coverage,
        missing_steps: covered.iter().filter(|&&c| !c).count(),
        first_day: days.first().map(|d| d.0),
        as_of,
    });
    let energy_high = total >= model.status.energy_threshold;
    let quality_high = quality.as_ref().is_some_and(|q| q.score >= model.status.quality_threshold);
    let labels = &model.status.labels;
    let status = match (energy_high, quality_high) {
        (true, true) => &labels.close,
        (true, false) => &labels.qualify,
        (false, true) => &labels.engage,
        (false, false) => &labels.review,
    };
    let named = |ids: &[crate::model::ActionDef], v: Vec<Option<u64>>| -> BTreeMap<String, u64> {
        ids.iter().zip(v).filter_map(|(a, n)| n.map(|n| (a.id.clone(), n))).collect()
    };
    let report = DealReport {
        deal: deal.id.clone(),
        as_of,
        energy: Energy {
            total,
            decayed,
            by_action: named(&model.actions, by_action),
            by_role: model.roles.iter().zip(by_role).filter_map(|(r, n)| n.map(|n| (r.id.clone(), n))).collect(),
            by_reporter: by_reporter.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        },
        breadth,
        continuity,
        quality,
        signals,
        status: status.clone(),
        last_contact: acts[..counted].last().map(|a| a.date),
        unmapped_titles: unmapped.into_iter().map(str::to_owned).collect(),
        future_ignored,
    };
    let last = LastDates { any: days.last().map(|d| d.0), energy: last_energy };
    Ok((report, last))
}

fn step_matches(m: &CompiledModel, step: &RouteStep, c: &crate::input::Contact, role: Option<u16>) -> bool {
    step.role.as_ref().is_none_or(|r| role.is_some_and(|role| &m.model.roles[role as usize].id == r))
        && step.department.as_ref().is_none_or(|d| c.department.as_ref() == Some(d))
        && step.person.as_ref().is_none_or(|p| c.person.as_ref() == Some(p))
}
