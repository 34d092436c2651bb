//! Helping reps move a deal along: `dealscore next` (process stages) and `dealscore qa`.

use std::path::PathBuf;

use clap::Args;
use dealscore::Deal;

use crate::fail::Failure;
use crate::read;

#[derive(Args, Debug)]
pub struct NextArgs {
    /// Deals (a JSON array, or JSON Lines).
    #[arg(long)]
    deals: PathBuf,
    /// The deal to advise on.
    #[arg(long)]
    deal_id: String,
    /// Exit criteria already done, comma-separated.
    #[arg(long, value_delimiter = ',')]
    done: Vec<String>,
    /// Model or model set (TOML or JSON); the embedded default when omitted.
    #[arg(long)]
    model: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = crate::Format::Table)]
    format: crate::Format,
}

pub fn next(args: &NextArgs) -> Result<(), Failure> {
    let models = read::model(args.model.as_deref())?;
    let deal = find_deal(&args.deals, &args.deal_id)?;
    let steps = dealscore::next_steps(&models, &deal, &args.done).map_err(|e| Failure::core(&e))?;
    if args.format == crate::Format::Table {
        let list = |items: Vec<String>| if items.is_empty() { "-".to_owned() } else { items.join(", ") };
        let phase = match steps.phase {
            dealscore::model::Phase::Sales => "sales",
            dealscore::model::Phase::Support => "support",
        };
        println!("{} — {} ({}, {phase})", steps.deal, steps.label, steps.stage);
        println!("remaining: {}", list(steps.remaining.iter().map(|c| format!("{} ({})", c.label, c.id)).collect()));
        for a in &steps.actions {
            println!("  → {a}");
        }
        let cover = |c: &[dealscore::Coverage]| {
            list(
                c.iter()
                    .map(|c| {
                        format!(
                            "{}: {}",
                            c.id,
                            if c.members.is_empty() { "MISSING".into() } else { c.members.join("/") }
                        )
                    })
                    .collect(),
            )
        };
        println!("roles:  {}", cover(&steps.roles));
        println!("skills: {}", cover(&steps.skills));
        println!(
            "next stage: {}{}",
            steps.next_stage.as_deref().unwrap_or("-"),
            if steps.can_advance { " (ready to advance)" } else { "" }
        );
    } else {
        println!("{}", serde_json::to_string_pretty(&steps).expect("serialises"));
    }
    Ok(())
}

/// The knowledge base shipped in `examples/qa.jsonl`, used when `--kb` is not given.
const DEFAULT_KB: &str = include_str!("../../examples/qa.jsonl");

#[derive(Args, Debug)]
pub struct QaArgs {
    /// The question.
    question: String,
    /// Knowledge base: JSON array, JSON Lines or CSV (by extension); the shipped examples when omitted.
    #[arg(long)]
    kb: Option<PathBuf>,
    /// The process stage the question is asked at (default: the deal's stage).
    #[arg(long)]
    stage: Option<String>,
    /// Deals file, with --deal-id: name who can answer when nothing matches.
    #[arg(long, requires = "deal_id")]
    deals: Option<PathBuf>,
    #[arg(long, requires = "deals")]
    deal_id: Option<String>,
    /// How many answers at most.
    #[arg(short, default_value_t = 5)]
    k: usize,
    /// Model or model set (TOML or JSON); the embedded default when omitted.
    #[arg(long)]
    model: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = crate::Format::Table)]
    format: crate::Format,
}

pub fn qa(args: &QaArgs) -> Result<(), Failure> {
    let models = read::model(args.model.as_deref())?;
    let entries = match &args.kb {
        None => dealscore::qa::entries_from_jsonl(DEFAULT_KB).map_err(|e| Failure::core(&e))?,
        Some(path) => {
            let text = read::read_text(path)?;
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let parsed = match ext.as_str() {
                "json" => dealscore::qa::entries_from_json(&text),
                "csv" => dealscore::qa::entries_from_csv(&text),
                _ => dealscore::qa::entries_from_jsonl(&text),
            };
            parsed.map_err(|e| Failure::at(path, None, &e))?
        }
    };
    let index = dealscore::QaIndex::new(entries, &models.default_model().qa).map_err(|e| Failure::core(&e))?;
    let deal = match (&args.deals, &args.deal_id) {
        (Some(path), Some(id)) => Some(find_deal(path, id)?),
        _ => None,
    };
    let answer = dealscore::qa::ask(&models, &index, deal.as_ref(), args.stage.as_deref(), &args.question, args.k)
        .map_err(|e| Failure::core(&e))?;
    if args.format != crate::Format::Table {
        println!("{}", serde_json::to_string_pretty(&answer).expect("serialises"));
        return Ok(());
    }
    for (i, hit) in answer.hits.iter().enumerate() {
        println!("{}. [{}] {:.3}  {}", i + 1, hit.id, hit.score, hit.question);
        println!("   → {}", hit.answer);
        println!("   matched: {}", hit.matched.join(" "));
    }
    if answer.unanswered {
        println!("No answer in the knowledge base.");
        if answer.ask.is_empty() {
            println!("Nobody on the deal covers this stage's skills (pass --deals and --deal-id to look).");
        }
        for e in &answer.ask {
            println!("  ask {} ({})", e.user, e.skills.join(", "));
        }
    }
    Ok(())
}

/// The deal with `id` in the deals file (`unknown_deal` when absent).
pub fn find_deal(path: &std::path::Path, id: &str) -> Result<Deal, Failure> {
    read::deals(Some(path))?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Failure::at(path, None, &dealscore::Error::UnknownDeal { deal: id.to_owned() }))
}
