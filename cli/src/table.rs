//! Tables for people: what a sales manager reads at a glance.

use std::collections::HashMap;

use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};

/// Rules above, below and under the header only: dense rows are easier to scan.
pub(crate) const STYLE: TableStyle = TableStyle::new()
    .top_border(LineStyle::none().fill('─').junction('─'))
    .header_separator(LineStyle::none().fill('─').junction('─'))
    .bottom_border(LineStyle::none().fill('─').junction('─'));
use dealscore::{Deal, DealReport, ExplainKind, Explanation, Signal, StaleReport};

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
