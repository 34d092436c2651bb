//! The figures of a backtest, from the population's reports at their snapshots.

use std::sync::Arc;

use compact_str::CompactString;

use crate::error::{Error, Result};
use crate::input::Outcome;
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::outcome::backtest::{
    Backtest, BacktestRow, Insight, LiftGroup, ScoreFit, ScoreValue, Scores, Snapshot, StatusRate,
};
use crate::outcome::metrics::auc;
use crate::score::fold::Finished;
use crate::score::status::Status;

/// Fewer won (or lost) deals than this make the figures unstable: the output says so.
const STABLE_CLASS: u32 = 40;

/// The signal kinds, in MODEL.md's order.
const SIGNALS: [&str; 5] = ["no_energy", "declining", "top_role_absent", "single_threaded", "route_gap"];

/// One population deal: its report at the snapshot, outcome and model.
struct Member<'f> {
    finished: &'f Finished<'f>,
    won: bool,
    snapshot: crate::date::Date,
}

/// `folded`: the population's deals (every deal with a snapshot), sorted by deal id.
pub(crate) fn summarise(models: &ModelSet, folded: &[Finished<'_>], snapshot: Snapshot, bins: u32) -> Backtest {
    let members: Vec<Member> = folded
        .iter()
        .filter_map(|f| {
            let (outcome, _) = f.deal.closed()?;
            Some(Member { finished: f, won: outcome == Outcome::Won, snapshot: snapshot.of(&f.deal)? })
        })
        .collect();
    let n = members.len() as u32;
    let won = members.iter().filter(|m| m.won).count() as u32;
    let lost = n - won;
    let win_rate = rate(won, n);
    let labels: Vec<bool> = members.iter().map(|m| m.won).collect();
    let used = models_used(models, &members);
    let has_quality = used.iter().any(|m| !m.model.quality.indicators.is_empty());

    let ids: Vec<&str> = members.iter().map(|m| m.finished.deal.id.as_str()).collect();
    let fit = |value: &dyn Fn(&Finished) -> ScoreValue| -> ScoreFit {
        let values: Vec<ScoreValue> = members.iter().map(|m| value(m.finished)).collect();
        score_fit(&ids, &values, &labels, bins)
    };
    let scores = Scores {
        energy: fit(&|f| ScoreValue::Int(f.report.energy.total)),
        decayed: fit(&|f| ScoreValue::Float(f.report.energy.decayed)),
        breadth: fit(&|f| ScoreValue::Float(f.report.breadth.score)),
        continuity: fit(&|f| ScoreValue::Float(f.report.continuity.ratio)),
        quality: has_quality.then(|| fit(&|f| ScoreValue::Float(f.report.quality.as_ref().map_or(0.0, |q| q.score)))),
    };

    let statuses: Vec<Status> = members.iter().map(|m| status_of(m.finished)).collect();
    let by_status = Status::ALL
        .iter()
        .map(|&s| {
            let (deals, won) = count(members.iter().zip(&statuses).filter(|(_, t)| **t == s).map(|(m, _)| m));
            StatusRate { status: s.name().into(), deals, won, win_rate: rate(won, deals) }
        })
        .collect();

    let insights = insights(&used, &members, win_rate);

    let rows = members
        .iter()
        .zip(&statuses)
        .map(|(m, s)| {
            let r = &m.finished.report;
            BacktestRow {
                deal: r.deal.clone(),
                snapshot: m.snapshot,
                outcome: if m.won { Outcome::Won } else { Outcome::Lost },
                energy: r.energy.total,
                decayed: r.energy.decayed,
                breadth: r.breadth.score,
                continuity: r.continuity.ratio,
                quality: r.quality.as_ref().map(|q| q.score),
                status: s.name().into(),
            }
        })
        .collect();

    let (mode, horizon_days, as_of) = match snapshot {
        Snapshot::Horizon(days) => ("horizon", Some(days), None),
        Snapshot::Cohort(t) => ("cohort", None, Some(t)),
    };
    Backtest {
        mode: mode.into(),
        horizon_days,
        as_of,
        deals: n,
        won,
        lost,
        win_rate,
        warnings: warnings(snapshot, n, won, lost),
        scores,
        by_status,
        insights,
        rows,
    }
}

fn rate(won: u32, deals: u32) -> Option<f64> {
    (deals > 0).then(|| f64::from(won) / f64::from(deals))
}

fn count<'a, 'f: 'a>(members: impl Iterator<Item = &'a Member<'f>>) -> (u32, u32) {
    members.fold((0, 0), |(n, w), m| (n + 1, w + u32::from(m.won)))
}

fn status_of(f: &Finished) -> Status {
    Status::of(&f.model.model, f.report.energy.total, f.report.quality.as_ref().map(|q| q.score))
}

/// The models that score the population, the default first, then by name; the default alone
/// when the population is empty (its items are still listed).
fn models_used<'s>(models: &'s ModelSet, members: &[Member]) -> Vec<&'s Arc<CompiledModel>> {
    let used: Vec<&Arc<CompiledModel>> =
        models.compiled().filter(|c| members.iter().any(|m| Arc::ptr_eq(c, &m.finished.model))).collect();
    if used.is_empty() { vec![models.default_compiled()] } else { used }
}

/// AUC and lift groups of one score over the population (`ids`: its deal ids).
fn score_fit(ids: &[&str], values: &[ScoreValue], labels: &[bool], bins: u32) -> ScoreFit {
    let as_f64: Vec<f64> = values.iter().map(|v| v.as_f64()).collect();
    // Highest score first, then deal id (byte order): a total order, ids being distinct.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    crate::util::sort::sort_unstable_by(&mut order, |&a, &b| {
        as_f64[b].total_cmp(&as_f64[a]).then_with(|| ids[a].cmp(ids[b]))
    });
    let n = order.len();
    let bins = bins as usize;
    let total_won = labels.iter().filter(|&&w| w).count() as u32;
    let mut lift = Vec::new();
    let (mut start, mut won_so_far) = (0usize, 0u32);
    for g in 0..bins {
        let size = n / bins + usize::from(g < n % bins);
        if size == 0 {
            continue;
        }
        let group = &order[start..start + size];
        start += size;
        let won = group.iter().filter(|&&i| labels[i]).count() as u32;
        won_so_far += won;
        lift.push(LiftGroup {
            deals: size as u32,
            won,
            win_rate: f64::from(won) / size as f64,
            // Sorted descending: the group's last member has its lowest score.
            min: values[group[size - 1]],
            max: values[group[0]],
            won_share: (total_won > 0).then(|| f64::from(won_so_far) / f64::from(total_won)),
        });
    }
    ScoreFit { auc: auc(&as_f64, labels), lift }
}

/// One entry per action, role, indicator and signal kind of the models used, in model order
/// (a later model adds only the ids an earlier one lacks).
fn insights(used: &[&Arc<CompiledModel>], members: &[Member], overall: Option<f64>) -> Vec<Insight> {
    let mut keys: Vec<(&'static str, CompactString)> = Vec::new();
    let mut add = |kind: &'static str, id: &str| {
        if !keys.iter().any(|(k, i)| *k == kind && i == id) {
            keys.push((kind, id.into()));
        }
    };
    for m in used {
        for a in &m.model.actions {
            add("action", &a.id);
        }
    }
    for m in used {
        for r in &m.model.roles {
            add("role", &r.id);
        }
    }
    for m in used {
        for i in &m.model.quality.indicators {
            add("indicator", &i.id);
        }
    }
    for s in SIGNALS {
        add("signal", s);
    }
    keys.into_iter()
        .map(|(kind, id)| {
            let (deals, won) = count(members.iter().filter(|m| has(m.finished, kind, &id)));
            let win_rate = rate(won, deals);
            let lift = match (win_rate, overall) {
                (Some(r), Some(o)) if o > 0.0 => Some(r / o),
                _ => None,
            };
            Insight { kind: kind.into(), id, deals, won, win_rate, lift }
        })
        .collect()
}

/// Whether a deal's report at its snapshot has the item.
fn has(f: &Finished, kind: &str, id: &str) -> bool {
    let r = &f.report;
    match kind {
        "action" => r.energy.by_action.contains_key(id),
        "role" => r.breadth.roles.iter().any(|x| x == id),
        "indicator" => r.quality.as_ref().is_some_and(|q| q.checked.iter().any(|x| x == id)),
        _ => r.signals.iter().any(|s| s.kind() == id),
    }
}

fn warnings(snapshot: Snapshot, n: u32, won: u32, lost: u32) -> Vec<String> {
    let mut out = Vec::new();
    if n == 0 {
        out.push(match snapshot {
            Snapshot::Cohort(t) => format!("no deal closed after {t}: the population is empty"),
            Snapshot::Horizon(_) => {
                "no closed deal (one with an outcome and closed_on): the population is empty".to_owned()
            }
        });
        return out;
    }
    for (count, what) in [(won, "won"), (lost, "lost")] {
        if count < STABLE_CLASS {
            out.push(format!(
                "{count} {what} deal{} (under {STABLE_CLASS}): the figures are unstable",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    out
}

/// The backtest of the union of disjoint populations (see [`Backtest::merge`]); `bins` checked.
pub(crate) fn merge(parts: &[Backtest], bins: u32) -> Result<Backtest> {
    let bad = |path: String, message: String| Error::InvalidInput { path, message };
    let first = parts.first().ok_or_else(|| bad("parts".into(), "no backtest to merge".into()))?;
    let snapshot = match (first.mode.as_str(), first.horizon_days, first.as_of) {
        ("horizon", Some(days), None) => Snapshot::Horizon(days),
        ("cohort", None, Some(t)) => Snapshot::Cohort(t),
        _ => return Err(bad("parts[0].mode".into(), "horizon with horizon_days, or cohort with as_of".into())),
    };
    for (i, p) in parts.iter().enumerate() {
        if (&p.mode, p.horizon_days, p.as_of) != (&first.mode, first.horizon_days, first.as_of) {
            return Err(bad(
                format!("parts[{i}].mode"),
                "every part must follow the first part's snapshot rule (mode, horizon_days, as_of)".into(),
            ));
        }
        if p.rows.len() != p.deals as usize {
            return Err(bad(format!("parts[{i}].rows"), format!("{} rows for {} deals", p.rows.len(), p.deals)));
        }
    }
    let mut rows: Vec<&BacktestRow> = parts.iter().flat_map(|p| &p.rows).collect();
    crate::util::sort::sort_unstable_by(&mut rows, |a, b| a.deal.cmp(&b.deal));
    if let Some(w) = rows.windows(2).find(|w| w[0].deal == w[1].deal) {
        return Err(bad("parts".into(), format!("deal {:?} is in two parts", w[0].deal)));
    }
    let n = rows.len() as u32;
    let labels: Vec<bool> = rows.iter().map(|r| r.outcome == Outcome::Won).collect();
    let won = labels.iter().filter(|&&w| w).count() as u32;
    let win_rate = rate(won, n);

    let ids: Vec<&str> = rows.iter().map(|r| r.deal.as_str()).collect();
    let fit = |value: &dyn Fn(&BacktestRow) -> ScoreValue| -> ScoreFit {
        let values: Vec<ScoreValue> = rows.iter().map(|r| value(r)).collect();
        score_fit(&ids, &values, &labels, bins)
    };
    let scores = Scores {
        energy: fit(&|r| ScoreValue::Int(r.energy)),
        decayed: fit(&|r| ScoreValue::Float(r.decayed)),
        breadth: fit(&|r| ScoreValue::Float(r.breadth)),
        continuity: fit(&|r| ScoreValue::Float(r.continuity)),
        quality: parts
            .iter()
            .any(|p| p.scores.quality.is_some())
            .then(|| fit(&|r| ScoreValue::Float(r.quality.unwrap_or(0.0)))),
    };

    let by_status = Status::ALL
        .iter()
        .map(|&s| {
            let (deals, won) = rows
                .iter()
                .zip(&labels)
                .filter(|(r, _)| r.status == s.name())
                .fold((0, 0), |(n, w), (_, &won)| (n + 1, w + u32::from(won)));
            StatusRate { status: s.name().into(), deals, won, win_rate: rate(won, deals) }
        })
        .collect();

    // Counts add up; the order is each entry's first appearance. An empty part lists its
    // default model's items, which the whole population may not use: only when all are empty.
    let mut insights: Vec<Insight> = Vec::new();
    let listed = parts.iter().filter(|p| p.deals > 0).collect::<Vec<_>>();
    for p in if listed.is_empty() { vec![first] } else { listed } {
        for i in &p.insights {
            match insights.iter_mut().find(|x| x.kind == i.kind && x.id == i.id) {
                Some(x) => {
                    x.deals += i.deals;
                    x.won += i.won;
                }
                None => insights.push(Insight { deals: i.deals, won: i.won, ..i.clone() }),
            }
        }
    }
    for i in &mut insights {
        i.win_rate = rate(i.won, i.deals);
        i.lift = match (i.win_rate, win_rate) {
            (Some(r), Some(o)) if o > 0.0 => Some(r / o),
            _ => None,
        };
    }

    Ok(Backtest {
        mode: first.mode.clone(),
        horizon_days: first.horizon_days,
        as_of: first.as_of,
        deals: n,
        won,
        lost: n - won,
        win_rate,
        warnings: warnings(snapshot, n, won, n - won),
        scores,
        by_status,
        insights,
        rows: rows.into_iter().cloned().collect(),
    })
}
