//! `dealscore notify`: a daily report (日報) has been written; whom to tell and what it changed.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use dealscore::api::ReportRequest;
use dealscore::{Activity, Deal, ReportNotice, StreamScorer};

use crate::Inputs;
use crate::fail::Failure;
use crate::read::{self, InputFormat};

#[derive(Args, Debug)]
pub struct NotifyArgs {
    /// The deal's history: activity reports as JSON Lines or CSV; `-` reads stdin. Activities of
    /// other deals may be in it: they are checked and change nothing.
    activities: PathBuf,
    /// Deals (a JSON array, or JSON Lines); the reported deal's record names whom to notify.
    #[arg(long)]
    deals: PathBuf,
    /// The deal the report is for.
    #[arg(long)]
    deal_id: String,
    /// The new activity report: one JSON object.
    #[arg(long)]
    report: PathBuf,
    /// Report date (YYYY-MM-DD); today when omitted.
    #[arg(long)]
    as_of: Option<String>,
    /// Model or model set (TOML or JSON); the embedded default model when omitted.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Encoding of ACTIVITIES; by default `.csv` is CSV and anything else JSON Lines.
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    #[arg(long, value_enum, default_value_t = NotifyFormat::Table)]
    format: NotifyFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum NotifyFormat {
    /// The recipients and the change summary for people.
    Table,
    /// The core's answer as one JSON document.
    Json,
}

pub fn notify(args: &NotifyArgs) -> Result<(), Failure> {
    let models = read::model(args.model.as_deref())?;
    let deals = read::deals(Some(&args.deals))?;
    let deal = deals
        .iter()
        .find(|d| d.id == args.deal_id)
        .ok_or_else(|| Failure::at(&args.deals, None, &dealscore::Error::UnknownDeal { deal: args.deal_id.clone() }))?;
    let report: Activity =
        dealscore::from_json(&read::read_text(&args.report)?).map_err(|e| Failure::at(&args.report, None, &e))?;
    let inputs = Inputs {
        activities: args.activities.clone(),
        model: args.model.clone(),
        deals: Some(args.deals.clone()),
        as_of: args.as_of.clone(),
        input_format: args.input_format,
        skip_invalid: false,
        threads: None,
    };
    let as_of = crate::run::as_of(args.as_of.as_deref())?;
    // Check every line as `report` would (errors name file:line), keep the deal's history, then
    // the report against all of it (a repeated id names the report's file).
    let mut check = StreamScorer::new(&models, deals.clone(), as_of).map_err(|e| Failure::at(&args.deals, None, &e))?;
    let mut history = Vec::new();
    crate::run::for_each_activity(&inputs, |a| {
        check.push(&a)?;
        if a.deal == deal.id {
            history.push(a);
        }
        Ok(())
    })?;
    if report.deal == deal.id {
        check.push(&report).map_err(|e| Failure::at(&args.report, None, &e))?;
    }
    let request = ReportRequest {
        model: None,
        deals: vec![deal.clone()],
        deal: Some(args.deal_id.clone()),
        activities: history,
        report,
        as_of,
    };
    let notice = request.run(&models).map_err(|e| Failure::at(&args.report, None, &e))?;
    match args.format {
        NotifyFormat::Json => println!("{}", serde_json::to_string_pretty(&notice).expect("the notice serialises")),
        NotifyFormat::Table => print!("{}", table(deal, &request.report, &notice)),
    }
    Ok(())
}

/// What a notification says, for people: who hears now, who in the digest, and the changes.
fn table(deal: &Deal, report: &Activity, notice: &ReportNotice) -> String {
    let list = |users: &[String]| if users.is_empty() { "-".to_owned() } else { users.join(", ") };
    let mut out = String::new();
    let customer = deal.customer.as_deref().map(|c| format!(" {c}")).unwrap_or_default();
    let by = report.reporter.as_deref().map(|r| format!(" by {r}")).unwrap_or_default();
    let _ = writeln!(out, "{}{customer} — report {} ({}){by}", deal.id, report.id, report.date);
    let _ = writeln!(out, "notify now:    {}", list(&notice.recipients.immediate));
    let _ = writeln!(out, "notify digest: {}", list(&notice.recipients.digest));
    for (name, s) in [("before", &notice.before), ("after", &notice.after)] {
        let _ = writeln!(
            out,
            "{name:<7} energy {:>6}  status {:<8}  grade {}",
            s.total,
            s.status,
            s.grade.as_deref().unwrap_or("-")
        );
    }
    if notice.changes.is_empty() {
        out.push_str("changes: none\n");
    } else {
        out.push_str("changes:\n");
        for c in &notice.changes {
            let _ = writeln!(out, "  {}", c.text());
        }
    }
    out
}
