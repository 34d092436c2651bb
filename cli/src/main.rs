//! `dealscore`: score sales deals from activity reports (JSON Lines or CSV).

mod fail;
mod guide;
mod ingest;
mod notify;
mod read;
mod run;
mod scorecard;
mod serve;
mod synth_cmd;
mod table;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::read::InputFormat;

#[derive(Parser, Debug)]
#[command(name = "dealscore", version, about = "Score sales deals from the customer's own effort (ユーザエネルギー)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// One report per deal: energy, breadth, continuity, quality, status, signals.
    Report(ReportArgs),
    /// Deals with no contact (or no energy) for N days (未接触リスト).
    Stale(StaleArgs),
    /// Each activity's points, item by item.
    Explain(ExplainArgs),
    /// Does energy predict winning? Each closed deal scored before it closed: AUC, lift, win
    /// rate by status, which actions and contacts go with winning (OUTCOMES.md).
    Backtest(BacktestArgs),
    /// Learn an integer points table from won and lost deals (OUTCOMES.md §4): base and fitted
    /// points side by side, with AUC and log loss on train and test.
    Fit(FitArgs),
    /// Check a model file (JSON or TOML); prints what is wrong and where.
    Validate {
        /// The model or model-set file.
        model: PathBuf,
    },
    /// Print the JSON Schema of model files.
    Schema,
    /// Write the embedded default model as TOML, to edit.
    Init {
        /// Where to write it.
        #[arg(default_value = "dealscore.toml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Deterministic synthetic deals and activities for demos and benchmarks (JSON Lines).
    Synth(dealscore_cli::synth::SynthArgs),
    /// Next steps of a deal in its process stage: remaining exit criteria, actions, who covers
    /// the roles and skills the stage needs.
    Next(guide::NextArgs),
    /// A daily report (日報) has been written: the deal members to notify (now or in the digest)
    /// and what the report changed (energy, status, roles, route, signals).
    Notify(notify::NotifyArgs),
    /// Find the best answers to a rep's question (質疑応答), or the colleagues who can answer.
    Qa(guide::QaArgs),
    /// Serve the Web API (docs/web-api.md).
    Serve(serve::ServeArgs),
    /// Learn an integer scorecard (points per feature, at most k of them) from any numeric CSV
    /// table with a 0/1 label column.
    Scorecard(scorecard::ScorecardArgs),
}

/// Options shared by the commands that read activities.
#[derive(Args, Debug)]
struct Inputs {
    /// Activity reports: JSON Lines (one activity per line) or CSV; `-` reads stdin.
    activities: PathBuf,
    /// Model or model set (TOML or JSON); the embedded default model when omitted.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Deals (a JSON array, or JSON Lines).
    #[arg(long)]
    deals: Option<PathBuf>,
    /// Report date (YYYY-MM-DD); today when omitted.
    #[arg(long)]
    as_of: Option<String>,
    /// Encoding of ACTIVITIES; by default `.csv` is CSV and anything else JSON Lines.
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// Report each invalid line on stderr and go on, instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    /// Threads that read and score the activities; every core when omitted (1 reads in order on
    /// one thread besides the reader).
    #[arg(long, value_name = "N")]
    threads: Option<std::num::NonZeroUsize>,
}

#[derive(Args, Debug)]
struct ReportArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args, Debug)]
struct StaleArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Threshold in days for every deal (default: the stage's, else the model's `stale_days`).
    #[arg(long)]
    days: Option<u32>,
    /// What counts as contact.
    #[arg(long, value_enum, default_value_t = Basis::Contact)]
    basis: Basis,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args, Debug)]
struct ExplainArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Only this deal.
    #[arg(long)]
    deal: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args, Debug)]
#[command(mut_arg("as_of", |a| {
    a.help("Cohort mode: every deal closed after this date, scored as of it (YYYY-MM-DD)")
}))]
#[command(mut_arg("deals", |a| a.required(true).help("Deals with `outcome` (won or lost) and `closed_on`")))]
struct BacktestArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Horizon mode (the default, 14 days): each closed deal scored this many days before it
    /// closed, so the paperwork of its last days does not leak into its score.
    #[arg(long, conflicts_with = "as_of")]
    horizon_days: Option<u32>,
    /// Lift groups, 1–100 (default 10).
    #[arg(long)]
    bins: Option<u32>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args, Debug)]
#[command(mut_arg("as_of", |a| {
    a.help("Cohort mode: deals closed after this date, their features counted as of it (YYYY-MM-DD)")
}))]
#[command(mut_arg("deals", |a| a.required(true).help("Deals with `outcome` (won or lost) and `closed_on`")))]
struct FitArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Horizon mode (the default, 14 days): features counted this many days before each close.
    #[arg(long, conflicts_with = "as_of")]
    horizon_days: Option<u32>,
    /// Deals closed before this date train, the rest test (default: the last 20% by close date test).
    #[arg(long)]
    train_before: Option<String>,
    /// Largest points of any action, role or band (default 30).
    #[arg(long)]
    max_points: Option<u32>,
    /// At most this many actions with points.
    #[arg(long)]
    max_nonzero: Option<u32>,
    /// Write the fitted model here as commented TOML, to review and edit.
    #[arg(long)]
    out: Option<PathBuf>,
    /// `table` or `json` (the whole fit).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A table for people.
    Table,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Basis {
    Contact,
    Energy,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(a) => run::report(&a),
        Command::Stale(a) => run::stale(&a),
        Command::Explain(a) => run::explain(&a),
        Command::Backtest(a) => run::backtest(&a),
        Command::Fit(a) => run::fit(&a),
        Command::Validate { model } => run::validate(&model),
        Command::Schema => {
            print!("{}", dealscore::model_schema_text());
            Ok(())
        }
        Command::Init { path, force } => run::init(&path, force),
        Command::Synth(a) => synth_cmd::run(&a),
        Command::Next(a) => guide::next(&a),
        Command::Notify(a) => notify::notify(&a),
        Command::Qa(a) => guide::qa(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Scorecard(a) => scorecard::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{f}");
            ExitCode::from(f.exit as u8)
        }
    }
}
