//! Notification routing (日報の自動通知): who hears about a new activity report, and what the
//! report changed in its deal. The deal is scored without and with the report by the batch fold
//! every other report comes from; this module only compares the two reports.

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::ingest::batch::BatchScorer;
use crate::input::{Activity, Deal, Notify};
use crate::model::RouteStep;
use crate::model::compiled::ModelSet;
use crate::score::report::{DealReport, Signal};

/// The deal's members whose `notify` is not `none`, minus the reporter, sorted and distinct.
pub fn recipients(deal: &Deal, activity: &Activity) -> Result<Vec<String>> {
    let Recipients { mut immediate, digest } = route(deal, activity)?;
    immediate.extend(digest);
    crate::util::sort::sort_unstable(&mut immediate);
    Ok(immediate)
}

/// Who hears about a report, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Recipients {
    /// Members with `notify: "all"`: told at once. Sorted by user id.
    pub immediate: Vec<String>,
    /// Members with `notify: "digest"` (and none of their entries `"all"`): told in the next
    /// digest. Sorted by user id.
    pub digest: Vec<String>,
}

/// A deal at a glance, as [`on_report`] compares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DealSnapshot {
    /// Cumulative energy.
    pub total: u64,
    /// The status label.
    pub status: CompactString,
    /// The quality grade; null when the model has no indicators or no grade applies.
    pub grade: Option<CompactString>,
}

/// One thing a report changed, with a ready-made English sentence in `text` (ids and labels as
/// the model writes them). `kind` tells which; the order of [`ReportNotice::changes`] is the
/// order of the variants here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The cumulative energy grew: `energy +35`.
    Energy { from: u64, to: u64, text: String },
    /// The status label changed: `status engage → close`.
    Status { from: CompactString, to: CompactString, text: String },
    /// The highest role reached changed: `top role reached: executive` (or, when a backdated
    /// report takes a capped action's points from a later activity, `top role lost: …`).
    TopRole { from: Option<CompactString>, to: Option<CompactString>, text: String },
    /// An approval-route step is covered now: `route step covered: 経理部`.
    RouteStepCovered { step: RouteStep, text: String },
    /// A route step is no longer covered (only a backdated report that takes a capped action's
    /// points from a later activity can do that).
    RouteStepUncovered { step: RouteStep, text: String },
    /// Signals that fired before and no longer do, in report order: `signals cleared: no_energy`.
    SignalsCleared { signals: Vec<CompactString>, text: String },
    /// Signals that fire now and did not before, in report order: `new signals: single_threaded`.
    NewSignals { signals: Vec<CompactString>, text: String },
}

/// The answer of [`on_report`]: whom to notify and what to tell them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReportNotice {
    pub recipients: Recipients,
    /// The deal as of the date without the report.
    pub before: DealSnapshot,
    /// The deal as of the date with the report.
    pub after: DealSnapshot,
    /// What the report changed, in a fixed order (see [`Change`]); empty when nothing did.
    pub changes: Vec<Change>,
}

/// A daily report (日報) has been written: who must hear about it, and what it changed.
///
/// `activities` are the deal's history (activities of other deals may be among them: they are
/// checked like [`score_all`](crate::score_all) checks them and scored with the set's default
/// model). The deal is scored as of `as_of` without and with `report`; `report` is checked like
/// any activity (a repeated id is `duplicate_activity`), and one for another deal is
/// `deal_mismatch`. Members with `notify: "all"` are [`Recipients::immediate`], `"digest"` go to
/// [`Recipients::digest`], `"none"` and the reporter to neither.
///
/// ```
/// use dealscore::{ModelSet, Activity, Deal};
/// let deal: Deal = dealscore::from_json(r#"{"id": "D-1", "members": [
///     {"user": "sato"}, {"user": "ito", "notify": "digest"}]}"#).unwrap();
/// let report: Activity = dealscore::from_json(r#"{"id": "a1", "deal": "D-1", "date": "2026-11-20",
///     "actions": ["visited_us"], "contacts": [{"person": "佐藤", "title": "部長"}], "reporter": "sato"}"#).unwrap();
/// let notice = dealscore::on_report(&ModelSet::embedded(), &deal, &[], &report, "2026-11-27".parse().unwrap()).unwrap();
/// assert_eq!(notice.recipients.digest, ["ito"]);
/// assert_eq!((notice.before.total, notice.after.total), (0, 30));
/// assert_eq!(notice.changes[0].text(), "energy +30");
/// ```
pub fn on_report(
    models: &ModelSet,
    deal: &Deal,
    activities: &[Activity],
    report: &Activity,
    as_of: Date,
) -> Result<ReportNotice> {
    notice(models, std::slice::from_ref(deal), Some(&deal.id), activities, report, as_of)
}

/// [`on_report`] with the deal picked by id from `deals` (the report's deal when `deal` is
/// `None`): `unknown_deal` when no record has it, since the record names whom to notify.
pub(crate) fn notice(
    models: &ModelSet,
    deals: &[Deal],
    deal: Option<&str>,
    activities: &[Activity],
    report: &Activity,
    as_of: Date,
) -> Result<ReportNotice> {
    crate::score::check::check_ids(report, "report")?;
    let id = deal.unwrap_or(&report.deal);
    let record = deals.iter().find(|d| d.id == id).ok_or_else(|| Error::UnknownDeal { deal: id.to_owned() })?;
    let recipients = route(record, report)?;
    let (before, after) = match before_and_after(models, deals, id, activities, report, as_of) {
        Ok(reports) => reports,
        Err(e) => return Err(exact_error(models, deals, activities, report, as_of).unwrap_or(e)),
    };
    Ok(ReportNotice {
        recipients,
        changes: changes(&before, &after),
        before: snapshot(&before),
        after: snapshot(&after),
    })
}

/// Deal `id`'s report over `activities`, and with `report` pushed after them: each activity is
/// resolved and folded once, by the batch scorer of `score_all`.
fn before_and_after(
    models: &ModelSet,
    deals: &[Deal],
    id: &str,
    activities: &[Activity],
    report: &Activity,
    as_of: Date,
) -> Result<(DealReport, DealReport)> {
    let mut batch = BatchScorer::borrowing(models, deals, as_of)?;
    batch.reserve(activities.len() + 1);
    activities.iter().try_for_each(|a| batch.push(a))?;
    batch.report_without_and_with(id, report)
}

/// The error `score_all` gives first for the history, else for the history and the report (the
/// batch knows *that* an id repeats; this names the first repeat, as every other call does).
fn exact_error(
    models: &ModelSet,
    deals: &[Deal],
    activities: &[Activity],
    report: &Activity,
    as_of: Date,
) -> Option<Error> {
    let fold = |extra| crate::ingest::batch::fold_slice_and(models, deals, activities, extra, as_of).err();
    fold(None).or_else(|| fold(Some(report)))
}

/// The members to tell about `activity`, split by how they want to hear. A user listed more than
/// once is told the most urgent way any entry asks for.
fn route(deal: &Deal, activity: &Activity) -> Result<Recipients> {
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
    let told = |how: Notify| {
        let mut users: Vec<String> = deal
            .members
            .iter()
            .filter(|m| m.notify == how && activity.reporter.as_deref() != Some(m.user.as_str()))
            .map(|m| m.user.clone())
            .collect();
        crate::util::sort::sort_unstable(&mut users);
        users.dedup();
        users
    };
    let immediate = told(Notify::All);
    let mut digest = told(Notify::Digest);
    digest.retain(|u| immediate.binary_search(u).is_err());
    Ok(Recipients { immediate, digest })
}

fn snapshot(r: &DealReport) -> DealSnapshot {
    DealSnapshot {
        total: r.energy.total,
        status: r.status.clone(),
        grade: r.quality.as_ref().and_then(|q| q.grade.clone()),
    }
}

/// What differs between the deal's report without (`a`) and with (`b`) the new report.
fn changes(a: &DealReport, b: &DealReport) -> Vec<Change> {
    let mut out = Vec::new();
    let (from, to) = (a.energy.total, b.energy.total);
    if from != to {
        // Adding an activity never lowers a total (MODEL.md §3).
        out.push(Change::Energy { from, to, text: format!("energy +{}", to.saturating_sub(from)) });
    }
    if a.status != b.status {
        let text = format!("status {} → {}", a.status, b.status);
        out.push(Change::Status { from: a.status.clone(), to: b.status.clone(), text });
    }
    let (from, to) = (&a.breadth.top_role, &b.breadth.top_role);
    if from != to {
        // The new top role outranks the old one exactly when the old one is still reached.
        let rose = from.as_ref().is_none_or(|f| b.breadth.roles.contains(f));
        let text = match (to, rose) {
            (Some(t), true) => format!("top role reached: {t}"),
            (Some(t), false) => format!("top role lost: {} → {t}", from.as_deref().unwrap_or_default()),
            (None, _) => format!("top role lost: {}", from.as_deref().unwrap_or_default()),
        };
        out.push(Change::TopRole { from: from.clone(), to: to.clone(), text });
    }
    let (was, now) = (&a.breadth.route.covered, &b.breadth.route.covered);
    for step in now.iter().filter(|s| !was.contains(s)) {
        out.push(Change::RouteStepCovered { step: step.clone(), text: words("route step covered: ", step) });
    }
    for step in was.iter().filter(|s| !now.contains(s)) {
        let text = words("route step no longer covered: ", step);
        out.push(Change::RouteStepUncovered { step: step.clone(), text });
    }
    let kinds = |r: &DealReport| -> Vec<&'static str> { r.signals.iter().map(signal_kind).collect() };
    let (was, now) = (kinds(a), kinds(b));
    let cleared: Vec<CompactString> = was.iter().filter(|k| !now.contains(k)).map(|&k| k.into()).collect();
    if !cleared.is_empty() {
        let text = listed("signals cleared: ", &cleared, ", ");
        out.push(Change::SignalsCleared { signals: cleared, text });
    }
    let new: Vec<CompactString> = now.iter().filter(|k| !was.contains(k)).map(|&k| k.into()).collect();
    if !new.is_empty() {
        let text = listed("new signals: ", &new, ", ");
        out.push(Change::NewSignals { signals: new, text });
    }
    out
}

/// A route step in words after `head`: the fields it names, role then department then person,
/// joined by " / ".
fn words(head: &str, step: &RouteStep) -> String {
    listed(head, [&step.role, &step.department, &step.person].into_iter().flatten(), " / ")
}

/// `head` and the items joined by `sep` (by hand: `join` is a generic function of its own in
/// the wasm module).
fn listed<S: AsRef<str>>(head: &str, items: impl IntoIterator<Item = S>, sep: &str) -> String {
    let mut text = head.to_owned();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            text.push_str(sep);
        }
        text.push_str(item.as_ref());
    }
    text
}

fn signal_kind(s: &Signal) -> &'static str {
    match s {
        Signal::NoEnergy { .. } => "no_energy",
        Signal::Declining { .. } => "declining",
        Signal::TopRoleAbsent { .. } => "top_role_absent",
        Signal::SingleThreaded { .. } => "single_threaded",
        Signal::RouteGap { .. } => "route_gap",
    }
}

impl Change {
    /// The change in words, e.g. `status engage → close`.
    pub fn text(&self) -> &str {
        match self {
            Change::Energy { text, .. }
            | Change::Status { text, .. }
            | Change::TopRole { text, .. }
            | Change::RouteStepCovered { text, .. }
            | Change::RouteStepUncovered { text, .. }
            | Change::SignalsCleared { text, .. }
            | Change::NewSignals { text, .. } => text,
        }
    }
}
