//! Tables for people: what a sales manager reads at a glance.

use std::collections::HashMap;
use std::fmt::Write;

use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

/// Rules above, below and under the header only: dense rows are easier to scan.
pub(crate) const STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));
use dealscore::{Backtest, Deal, DealReport, ExplainKind, Explanation, Insight, ScoreFit, Signal, StaleReport};

fn new_table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE).set_content_arrangement(ContentArrangement::Disabled).set_header(header);
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn customers(deals: &[Deal]) -> HashMap<&str, &str> {
    deals.iter().filter_map(|d| Some((d.id.as_str(), d.customer.as_deref()?))).collect()
}

/// One row per deal.
pub fn reports(reports: &[DealReport], deals: &[Deal]) -> String {
    let names = customers(deals);
    let mut t = new_table(
        &["deal", "customer", "total", "decayed", "breadth", "continuity", "quality", "status", "signals"],
        &[2, 3, 4, 5],
    );
    for r in reports {
        let route = match r.breadth.route.coverage {
            Some(_) => format!(" ({}/{})", r.breadth.route.covered.len(), r.breadth.route.steps.len()),
            None => String::new(),
        };
        let c = &r.continuity;
        let quality = r.quality.as_ref().map_or("-".to_owned(), |q| {
            format!("{} {:.2}{}", q.grade.as_deref().unwrap_or("-"), q.score, if q.needs_review { " !" } else { "" })
        });
        t.add_row(vec![
            r.deal.to_string(),
            names.get(r.deal.as_str()).copied().unwrap_or("").to_owned(),
            r.energy.total.to_string(),
            format!("{:.1}", r.energy.decayed),
            format!("{:.2}{route}", r.breadth.score),
            format!("{}/{} ▸{}", c.active_periods, c.series.len(), c.streak),
            quality,
            r.status.to_string(),
            r.signals.iter().map(signal_text).collect::<Vec<_>>().join(", "),
        ]);
    }
    format!("{t}\n{} deals; continuity = active/periods ▸streak; quality ! = needs review\n", reports.len())
}

fn signal_text(s: &Signal) -> String {
    match s {
        Signal::NoEnergy { days_since_last: Some(d), .. } => format!("no_energy {d}d"),
        Signal::NoEnergy { days_since_last: None, .. } => "no_energy (never)".into(),
        Signal::Declining { older, newer, .. } => format!("declining {older}→{newer}"),
        Signal::TopRoleAbsent { role, last_seen } => format!("top_role_absent {role} since {last_seen}"),
        Signal::SingleThreaded { person } => format!("single_threaded {person}"),
        Signal::RouteGap { coverage, .. } => format!("route_gap {coverage:.2}"),
    }
}

pub fn stale(report: &StaleReport, deals: &[Deal]) -> String {
    let names = customers(deals);
    let mut t = new_table(&["deal", "customer", "last", "days", "limit", "total", "quality", "status"], &[3, 4, 5]);
    for r in &report.deals {
        t.add_row(vec![
            r.deal.to_string(),
            names.get(r.deal.as_str()).copied().unwrap_or("").to_owned(),
            r.last_date.map_or("never".to_owned(), |d| d.to_string()),
            r.days_since.map_or("-".to_owned(), |d| d.to_string()),
            r.stale_days.to_string(),
            r.total.to_string(),
            r.grade.as_deref().unwrap_or("-").to_owned(),
            r.status.to_string(),
        ]);
    }
    format!("{t}\n{} stale deals as of {}, {} snoozed\n", report.deals.len(), report.as_of, report.snoozed)
}

pub fn explain(items: &[Explanation]) -> String {
    let mut t = new_table(&["deal", "activity", "date", "energy", "items"], &[3]);
    for e in items {
        let parts: Vec<String> = e
            .items
            .iter()
            .map(|i| {
                let kind = match i.kind {
                    ExplainKind::Action => "action",
                    ExplainKind::Role => "role",
                    ExplainKind::Attendees => "attendees",
                };
                format!("{kind}:{} {}", i.id, i.points)
            })
            .collect();
        t.add_row(vec![
            e.deal.to_string(),
            e.activity.to_string(),
            e.date.to_string(),
            e.energy.to_string(),
            parts.join(" + "),
        ]);
    }
    format!("{t}\n")
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or("-".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn ratio(x: Option<f64>) -> String {
    x.map_or("-".to_owned(), |x| format!("{x:.2}"))
}

/// What a manager reads first: counts, AUC per score, the lift of energy, win rate by status,
/// and the strongest and weakest insights.
pub fn backtest(b: &Backtest) -> String {
    let mode = match (b.horizon_days, b.as_of) {
        (Some(days), _) => format!("each deal scored {days} days before it closed"),
        (None, Some(t)) => format!("deals closed after {t}, scored as of {t}"),
        (None, None) => String::new(),
    };
    let mut out = format!(
        "{} closed deals: {} won, {} lost (win rate {}); {mode}\n",
        b.deals,
        b.won,
        b.lost,
        percent(b.win_rate)
    );
    for w in &b.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let s = &b.scores;
    let mut scores: Vec<(&str, &ScoreFit)> =
        vec![("energy", &s.energy), ("decayed", &s.decayed), ("breadth", &s.breadth), ("continuity", &s.continuity)];
    if let Some(q) = &s.quality {
        scores.push(("quality", q));
    }
    let mut t = new_table(&["score", "AUC", "top group win rate", "bottom group win rate"], &[1, 2, 3]);
    for (name, fit) in scores {
        let rate = |g: Option<&dealscore::LiftGroup>| percent(g.map(|g| g.win_rate));
        t.add_row(vec![name.to_owned(), ratio(fit.auc), rate(fit.lift.first()), rate(fit.lift.last())]);
    }
    let _ = writeln!(out, "\n{t}\nAUC: the chance a won deal outscores a lost one (0.5 = no better than chance)");

    let mut t =
        new_table(&["energy group", "deals", "won", "win rate", "energy", "share of wins so far"], &[1, 2, 3, 4, 5]);
    for (i, g) in b.scores.energy.lift.iter().enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            g.deals.to_string(),
            g.won.to_string(),
            percent(Some(g.win_rate)),
            format!("{}–{}", g.min.as_f64(), g.max.as_f64()),
            percent(g.won_share),
        ]);
    }
    let _ = writeln!(out, "\n{t}");

    let mut t = new_table(&["status at snapshot", "deals", "won", "win rate"], &[1, 2, 3]);
    for st in &b.by_status {
        t.add_row(vec![st.status.to_string(), st.deals.to_string(), st.won.to_string(), percent(st.win_rate)]);
    }
    let _ = writeln!(out, "\n{t}");

    // Only items some deal had; ranked by lift, then by how many deals back it.
    let mut seen: Vec<&Insight> = b.insights.iter().filter(|i| i.lift.is_some()).collect();
    seen.sort_by(|x, y| y.lift.partial_cmp(&x.lift).unwrap_or(std::cmp::Ordering::Equal).then(y.deals.cmp(&x.deals)));
    let shown = 5.min(seen.len());
    let strongest = &seen[..shown];
    let weakest: Vec<&Insight> = seen[seen.len() - 5.min(seen.len() - shown)..].iter().rev().copied().collect();
    for (title, items) in [("goes with winning", strongest.to_vec()), ("goes with losing", weakest)] {
        if items.is_empty() {
            continue;
        }
        let mut t = new_table(&[title, "kind", "deals", "won", "win rate", "lift"], &[2, 3, 4, 5]);
        for i in items {
            t.add_row(vec![
                i.id.to_string(),
                i.kind.to_string(),
                i.deals.to_string(),
                i.won.to_string(),
                percent(i.win_rate),
                ratio(i.lift),
            ]);
        }
        let _ = writeln!(out, "\n{t}");
    }
    out += "lift: an item's win rate over the overall win rate (1.00 = no different); --format json has every figure\n";
    out
}

/// Base and fitted points side by side, then how each predicts on train and test.
pub fn fit(f: &dealscore::Fit) -> String {
    let mut out = String::new();
    let mut t = new_table(&["kind", "item", "base", "fitted"], &[2, 3]);
    for p in &f.points {
        let mark = if p.base == p.fitted { String::new() } else { format!("{:+}", p.fitted - p.base) };
        t.add_row(vec![p.kind.to_string(), p.id.to_string(), p.base.to_string(), format!("{} {mark}", p.fitted)]);
    }
    let _ = writeln!(out, "{t}");
    let mut t = new_table(
        &["deals", "n", "won", "lost", "AUC base", "AUC fitted", "log loss base", "log loss fitted"],
        &[1, 2, 3, 4, 5, 6, 7],
    );
    for (name, e) in [("train", Some(&f.train)), ("test", f.test.as_ref())] {
        let Some(e) = e else { continue };
        t.add_row(vec![
            name.to_owned(),
            e.deals.to_string(),
            e.won.to_string(),
            e.lost.to_string(),
            ratio(e.auc_base),
            ratio(e.auc_fitted),
            format!("{:.3}", e.logloss_base),
            format!("{:.3}", e.logloss_fitted),
        ]);
    }
    let _ = writeln!(out, "\n{t}");
    let _ = writeln!(
        out,
        "P(won) = 1 / (1 + exp(-(energy - {:.1}) / {:.1})); the fitted model's energy threshold is {}",
        f.c, f.m, f.model.status.energy_threshold
    );
    for w in &f.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// The fitted model as TOML a manager can review and edit: a header saying what it is, and the
/// base points beside each fitted one.
pub fn fitted_toml(f: &dealscore::Fit) -> String {
    let body = toml::to_string(&f.model).expect("a model serialises as TOML");
    let mut out = String::from(
        "# A points table fitted by `dealscore fit` from won and lost deals (docs/fit.md).\n\
         # Review it before use: caps and per-role overrides were removed so the energy is exactly\n\
         # the learned sum; put back the ones you need, then run `dealscore backtest` again.\n",
    );
    let auc = |e: Option<&dealscore::Evidence>| {
        e.map_or("-".to_owned(), |e| format!("{} → {}", ratio(e.auc_base), ratio(e.auc_fitted)))
    };
    let _ = writeln!(out, "# AUC base → fitted: train {}, test {}", auc(Some(&f.train)), auc(f.test.as_ref()));
    let _ = writeln!(out, "# P(won) = 1 / (1 + exp(-(energy - {}) / {}))", f.c, f.m);
    // Each `points = N` line of the actions, roles and bands, in order, gets its base value.
    let mut bases = f.points.iter();
    let mut section = "";
    for line in body.lines() {
        if line.starts_with("[[") {
            section = line;
        }
        let listed = matches!(section, "[[actions]]" | "[[roles]]" | "[[attendee_bands]]");
        if listed
            && line.starts_with("points = ")
            && let Some(p) = bases.next()
        {
            let _ = writeln!(out, "{line}  # base {}", p.base);
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
