//! Process stages (プロセス設定): what is left to do in a deal's stage and who can do it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::Deal;
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::model::{Criterion, Phase, Stage};

/// The answer of [`next_steps`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NextSteps {
    pub deal: String,
    pub stage: String,
    pub label: String,
    pub phase: Phase,
    /// Exit criteria not yet done, in stage order.
    pub remaining: Vec<Criterion>,
    /// Suggested next actions.
    pub actions: Vec<String>,
    /// Each required internal role with the deal members who have it.
    pub roles: Vec<Coverage>,
    /// Each required skill with the deal members who have it.
    pub skills: Vec<Coverage>,
    pub missing_roles: Vec<String>,
    pub missing_skills: Vec<String>,
    /// The following stage, if any.
    pub next_stage: Option<String>,
    /// True when every exit criterion is done.
    pub can_advance: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Coverage {
    pub id: String,
    /// Members who cover it, sorted by user id.
    pub members: Vec<String>,
}

/// A member able to answer questions at a stage, with the stage skills they have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Expert {
    pub user: String,
    pub skills: Vec<String>,
}

/// Next steps of `deal` in its stage (the first stage when it names none), given the exit
/// criteria already `done`.
pub fn next_steps(models: &ModelSet, deal: &Deal, done: &[String]) -> Result<NextSteps> {
    check_deal_ids(deal)?;
    let m = models.for_deal(&deal.id, deal.model.as_deref())?;
    let (index, stage) = deal_stage(m, deal, None)?;
    for d in done {
        if !stage.exit.iter().any(|c| &c.id == d) {
            return Err(Error::UnknownCriterion { stage: stage.id.clone(), criterion: d.clone() });
        }
    }
    let remaining: Vec<Criterion> = stage.exit.iter().filter(|c| !done.contains(&c.id)).cloned().collect();
    let roles: Vec<Coverage> = stage
        .roles
        .iter()
        .map(|r| Coverage { id: r.clone(), members: members_where(deal, |m| m.role.as_ref() == Some(r)) })
        .collect();
    let skills: Vec<Coverage> = stage
        .skills
        .iter()
        .map(|s| Coverage { id: s.clone(), members: members_where(deal, |m| m.skills.contains(s)) })
        .collect();
    let missing = |c: &[Coverage]| c.iter().filter(|c| c.members.is_empty()).map(|c| c.id.clone()).collect();
    Ok(NextSteps {
        deal: deal.id.clone(),
        stage: stage.id.clone(),
        label: stage.label.clone(),
        phase: stage.phase,
        can_advance: remaining.is_empty(),
        remaining,
        actions: stage.actions.clone(),
        missing_roles: missing(&roles),
        missing_skills: missing(&skills),
        roles,
        skills,
        next_stage: m.model.process.stages.get(index + 1).map(|s| s.id.clone()),
    })
}

/// The stage asked about (or the deal's, or the first), with its position.
pub(crate) fn deal_stage<'m>(m: &'m CompiledModel, deal: &Deal, asked: Option<&str>) -> Result<(usize, &'m Stage)> {
    let stages = &m.model.process.stages;
    match asked.or(deal.stage.as_deref()) {
        Some(id) => m
            .stages
            .get(id)
            .map(|&i| (i, &stages[i]))
            .ok_or_else(|| Error::UnknownStage { context: format!("deal {:?}", deal.id), stage: id.to_owned() }),
        None => stages
            .first()
            .map(|s| (0, s))
            .ok_or_else(|| Error::UnknownStage { context: format!("deal {:?}", deal.id), stage: String::new() }),
    }
}

/// Members whose skills cover any of `skills`, each user once (skills of repeated entries
/// combined, in the stage's order), most skills first, then by user id.
pub(crate) fn experts(deal: &Deal, skills: &[String]) -> Vec<Expert> {
    let mut users: Vec<&str> = deal.members.iter().map(|m| m.user.as_str()).collect();
    crate::util::sort::sort_unstable(&mut users);
    users.dedup();
    let mut out: Vec<Expert> = users
        .into_iter()
        .filter_map(|user| {
            let have: Vec<String> = skills
                .iter()
                .filter(|s| deal.members.iter().any(|m| m.user == user && m.skills.contains(s)))
                .cloned()
                .collect();
            (!have.is_empty()).then(|| Expert { user: user.to_owned(), skills: have })
        })
        .collect();
    // Users are distinct: a total order.
    crate::util::sort::sort_unstable_by(&mut out, |a, b| {
        b.skills.len().cmp(&a.skills.len()).then_with(|| a.user.cmp(&b.user))
    });
    out
}

/// All ids are non-empty: the deal's and its members'.
pub(crate) fn check_deal_ids(deal: &Deal) -> Result<()> {
    if deal.id.is_empty() {
        return Err(Error::EmptyId { path: "deal.id".into() });
    }
    if let Some(i) = deal.members.iter().position(|m| m.user.is_empty()) {
        return Err(Error::EmptyId { path: format!("deal.members[{i}].user") });
    }
    Ok(())
}

fn members_where(deal: &Deal, keep: impl Fn(&crate::input::Member) -> bool) -> Vec<String> {
    let mut users: Vec<String> = deal.members.iter().filter(|m| keep(m)).map(|m| m.user.clone()).collect();
    crate::util::sort::sort_unstable(&mut users);
    users.dedup();
    users
}
