//! `dealscore scorecard`: an integer scorecard (OUTCOMES §5) for any numeric CSV table.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use comfy_table::{CellAlignment, ContentArrangement, Table};
use dealscore::{Label, Scorecard, ScorecardOptions, ScorecardTable};

use crate::fail::Failure;

#[derive(Args, Debug)]
pub struct ScorecardArgs {
    /// Training table: CSV with a header row; every cell a number (the label column may also be
    /// true/false).
    pub train: PathBuf,
    /// The label column: 0/1, -1/1 or true/false.
    #[arg(long)]
    pub label: String,
    /// At most this many features get non-zero points.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Smallest point value (≤ 0).
    #[arg(long, default_value_t = -5, allow_hyphen_values = true)]
    pub lb: i64,
    /// Largest point value (≥ 0).
    #[arg(long, default_value_t = 5, allow_hyphen_values = true)]
    pub ub: i64,
    /// A test table with the same columns (any order): its AUC and log loss are reported.
    #[arg(long)]
    pub test: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = CardFormat::Table)]
    pub format: CardFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CardFormat {
    /// The points a person reads, with the figures.
    Table,
    /// OUTCOMES §5's JSON.
    Json,
}

fn table(t: &Csv) -> ScorecardTable<'_> {
    ScorecardTable { columns: &t.columns, values: &t.values, labels: &t.labels }
}

/// A CSV table split into features and labels.
struct Csv {
    columns: Vec<String>,
    values: Vec<f64>,
    labels: Vec<Label>,
}

pub fn run(args: &ScorecardArgs) -> Result<(), Failure> {
    let train = read(&args.train, &args.label, None)?;
    let test = match &args.test {
        Some(path) => Some(read(path, &args.label, Some(&train.columns))?),
        None => None,
    };
    let options = ScorecardOptions { k: args.k, lb: args.lb, ub: args.ub };
    let card = dealscore::fit_scorecard(table(&train), test.as_ref().map(table), &options).map_err(|e| {
        // Values were checked while reading; what is left is about the labels as a whole or
        // the options, so name the file the labels came from.
        match e.path() {
            Some(p) if p.starts_with("test.") => Failure::at(args.test.as_deref().unwrap_or(&args.train), None, &e),
            Some(p) if p.starts_with("options.") => Failure::core(&e),
            _ => Failure::at(&args.train, None, &e),
        }
    })?;
    let text = match args.format {
        CardFormat::Json => format!("{}\n", serde_json::to_string_pretty(&card).expect("a scorecard serialises")),
        CardFormat::Table => render(&card, &train),
    };
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| Failure::io(Path::new("stdout"), &e))
}

/// Reads a CSV table; with `order`, the feature columns are put in that order (and must all be
/// there).
fn read(path: &Path, label: &str, order: Option<&[String]>) -> Result<Csv, Failure> {
    let file = std::fs::File::open(path).map_err(|e| Failure::io(path, &e))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(std::io::BufReader::new(file));
    let header: Vec<String> =
        reader.headers().map_err(|e| Failure::csv(path, &e))?.iter().map(|h| h.trim().to_owned()).collect();
    let Some(label_at) = header.iter().position(|h| h == label) else {
        return Err(Failure::input(path, Some(1), "invalid_input", format!("no label column {label:?}")));
    };
    let own: Vec<usize> = (0..header.len()).filter(|&c| c != label_at).collect();
    let features: Vec<usize> = match order {
        None => own,
        Some(names) => {
            let mut at = Vec::with_capacity(names.len());
            for name in names {
                match header.iter().position(|h| h == name) {
                    Some(c) if c != label_at => at.push(c),
                    _ => {
                        let message = format!("no column {name:?} (the training table has it)");
                        return Err(Failure::input(path, Some(1), "invalid_input", message));
                    }
                }
            }
            if own.len() != names.len() {
                let extra = own.iter().find(|&&c| !names.contains(&header[c])).map_or("", |&c| header[c].as_str());
                let message = format!("column {extra:?} is not in the training table");
                return Err(Failure::input(path, Some(1), "invalid_input", message));
            }
            at
        }
    };
    let columns: Vec<String> = features.iter().map(|&c| header[c].clone()).collect();
    let mut values = Vec::new();
    let mut labels = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(Failure::csv(path, &e)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |c: usize| record.get(c).unwrap_or("").trim();
        for &c in &features {
            let text = cell(c);
            let v: f64 = text.parse().map_err(|_| {
                Failure::input(
                    path,
                    Some(line),
                    "invalid_input",
                    format!("column {:?}: {text:?} is not a number", header[c]),
                )
            })?;
            if !v.is_finite() {
                let message = format!("column {:?}: {text:?} is not a finite number", header[c]);
                return Err(Failure::input(path, Some(line), "invalid_input", message));
            }
            values.push(v);
        }
        let text = cell(label_at);
        let l = match text.to_ascii_lowercase().as_str() {
            "true" => Label::Bool(true),
            "false" => Label::Bool(false),
            t => match t.parse::<f64>() {
                Ok(v) if v == 0.0 || v == 1.0 || v == -1.0 => Label::Number(v),
                _ => {
                    let message = format!("label column {label:?}: {text:?} is not 0/1, -1/1 or true/false");
                    return Err(Failure::input(path, Some(line), "invalid_input", message));
                }
            },
        };
        labels.push(l);
    }
    Ok(Csv { columns, values, labels })
}

fn render(card: &Scorecard, train: &Csv) -> String {
    let mut points = Table::new();
    points.load_style(crate::table::STYLE).set_content_arrangement(ContentArrangement::Disabled);
    points.set_header(vec!["feature", "points"]);
    if let Some(c) = points.column_mut(1) {
        c.set_cell_alignment(CellAlignment::Right);
    }
    for (name, v) in &card.points.0 {
        points.add_row(vec![name.clone(), format!("{v:+}")]);
    }
    let mut out = format!("{points}\n");
    let _ = writeln!(
        out,
        "score = {} + Σ points × value;  P(y = 1) = 1 / (1 + exp(−score / {}))",
        card.intercept,
        trim(card.multiplier)
    );
    if let Some(risk) = risk_table(card, train) {
        let _ = writeln!(out, "\n{risk}");
    }
    let mut figures = Table::new();
    figures.load_style(crate::table::STYLE).set_content_arrangement(ContentArrangement::Disabled);
    figures.set_header(vec!["", "rows", "AUC", "log loss"]);
    for i in 1..4 {
        if let Some(c) = figures.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    for (name, e) in [("train", Some(&card.train)), ("test", card.test.as_ref())] {
        if let Some(e) = e {
            let auc = e.auc.map_or("-".to_owned(), |a| format!("{a:.4}"));
            figures.add_row(vec![name.to_owned(), e.rows.to_string(), auc, format!("{:.4}", e.logloss)]);
        }
    }
    let _ = writeln!(out, "\n{figures}");
    for w in &card.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out
}

/// When every scored feature is 0/1 in training, each reachable score (base `b` + points) with
/// its probability: the card a person computes by hand.
fn risk_table(card: &Scorecard, train: &Csv) -> Option<Table> {
    let p = train.columns.len();
    let mut totals: Vec<i64> = vec![0];
    for (name, v) in &card.points.0 {
        let j = train.columns.iter().position(|c| c == name)?;
        if !train.values.chunks_exact(p).all(|row| row[j] == 0.0 || row[j] == 1.0) {
            return None;
        }
        let more: Vec<i64> = totals.iter().map(|t| t + v).collect();
        totals.extend(more);
    }
    totals.sort_unstable();
    totals.dedup();
    if totals.len() > 40 {
        return None;
    }
    let mut t = Table::new();
    t.load_style(crate::table::STYLE).set_content_arrangement(ContentArrangement::Disabled);
    let mut score = vec!["score".to_owned()];
    let mut risk = vec!["P(y = 1)".to_owned()];
    for total in totals {
        let s = card.intercept + total;
        score.push(s.to_string());
        risk.push(format!("{:.1}%", 100.0 * card.probability(s as f64)));
    }
    t.add_row(score);
    t.add_row(risk);
    Some(t)
}

fn trim(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
