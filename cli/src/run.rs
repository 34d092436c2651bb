//! The commands that read activities: streaming, bad-line handling, progress, output.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use dealscore::parallel::{SharedBacktester, SharedStream};
use dealscore::{Activity, ActivityCheck, Backtester, Date, StaleBasis, StaleOptions, StreamScorer};
use indicatif::{ProgressBar, ProgressStyle};

use crate::fail::Failure;
use crate::ingest;
use crate::read::{self, InputFormat};
use crate::{BacktestArgs, Basis, ExplainArgs, FitArgs, Format, Inputs, ReportArgs, StaleArgs, table};

pub fn report(args: &ReportArgs) -> Result<(), Failure> {
    let (scorer, deals) = stream(&args.inputs)?;
    let reports = match scorer {
        Streamed::One(scorer) => scorer.finish(),
        Streamed::Shared(shared) => shared.finish(),
    };
    let reports = reports.map_err(|e| Failure::core(&e))?;
    emit(args.format, &reports, &reports, || table::reports(&reports, &deals))
}

pub fn stale(args: &StaleArgs) -> Result<(), Failure> {
    let (scorer, deals) = stream(&args.inputs)?;
    let basis = match args.basis {
        Basis::Contact => StaleBasis::Contact,
        Basis::Energy => StaleBasis::Energy,
    };
    let options = StaleOptions { days: args.days, basis };
    let stale = match scorer {
        Streamed::One(scorer) => scorer.finish_stale(options),
        Streamed::Shared(shared) => shared.finish_stale(options),
    };
    let stale = stale.map_err(|e| Failure::core(&e))?;
    emit(args.format, &stale, &stale.deals, || table::stale(&stale, &deals))
}

pub fn explain(args: &ExplainArgs) -> Result<(), Failure> {
    let inputs = &args.inputs;
    let models = read::model(inputs.model.as_deref())?;
    let deals = read::deals(inputs.deals.as_deref())?;
    let as_of = as_of(inputs.as_of.as_deref())?;
    let mut activities = Vec::new();
    // Check line by line (so errors name the line), then explain with caps in deal context.
    let mut check = ActivityCheck::new(&models, &deals).map_err(|e| deals_failure(inputs, &e))?;
    for_each_activity(inputs, |a| {
        check.check(&a)?;
        if args.deal.as_ref().is_none_or(|d| *d == a.deal) {
            activities.push(a);
        }
        Ok(())
    })?;
    let explained = dealscore::explain(&models, &deals, &activities, as_of).map_err(|e| Failure::core(&e))?;
    emit(args.format, &explained, &explained, || table::explain(&explained))
}

pub fn backtest(args: &BacktestArgs) -> Result<(), Failure> {
    let inputs = &args.inputs;
    let models = read::model(inputs.model.as_deref())?;
    let deals = read::deals(inputs.deals.as_deref())?;
    let cohort = inputs.as_of.as_deref().map(|s| as_of(Some(s))).transpose()?;
    let options = dealscore::BacktestOptions { horizon_days: args.horizon_days, as_of: cohort, bins: args.bins };
    // Bad options name the flag, not the JSON path.
    let refuse = |e: dealscore::Error| match e.path() {
        Some(p) if p.starts_with("options.") => {
            let mut f = Failure::core(&e);
            f.message = format!("--{}: {}", p["options.".len()..].replace('_', "-"), f.message);
            f
        }
        _ => deals_failure(inputs, &e),
    };
    // Read on every core as `stream` reads, else (or after a bad line, to name it) in order.
    let result = 'read: {
        if let Some((threads, parts)) = shared_reading(inputs) {
            let shared = SharedBacktester::new(&models, &deals, &options, parts).map_err(refuse)?;
            // A repeated id, like a bad line, is named by the read in order.
            if read_shared(inputs, threads, |block| shared.push(block)).is_ok() && shared.check_ids().is_ok() {
                break 'read shared.finish().map_err(|e| Failure::core(&e))?;
            }
        }
        let mut backtester = Backtester::new(&models, deals, &options).map_err(refuse)?;
        for_each_activity(inputs, |a| backtester.push(&a))?;
        backtester.finish()
    };
    emit(args.format, &result, &result.rows, || table::backtest(&result))
}

pub fn fit(args: &FitArgs) -> Result<(), Failure> {
    let inputs = &args.inputs;
    let models = read::model(inputs.model.as_deref())?;
    let deals = read::deals(inputs.deals.as_deref())?;
    let date = |flag: &str, s: &Option<String>| {
        s.as_deref().map(|s| s.parse::<Date>().map_err(|e| Failure::usage(format!("--{flag}: {e}")))).transpose()
    };
    let options = dealscore::FitOptions {
        horizon_days: args.horizon_days,
        as_of: date("as-of", &inputs.as_of)?,
        train_before: date("train-before", &args.train_before)?,
        max_points: args.max_points,
        max_nonzero: args.max_nonzero,
        model: None,
    };
    // The fit needs every activity at once; each line is checked as it is read, so errors name it.
    let mut check = ActivityCheck::new(&models, &deals).map_err(|e| deals_failure(inputs, &e))?;
    let mut activities = Vec::new();
    for_each_activity(inputs, |a| {
        check.check(&a)?;
        activities.push(a);
        Ok(())
    })?;
    let fit = dealscore::fit(&models, &deals, &activities, &options).map_err(|e| match e.path() {
        Some(p) if p.starts_with("options.") => {
            let mut f = Failure::core(&e);
            f.message = format!("--{}: {}", p["options.".len()..].replace('_', "-"), f.message);
            f
        }
        _ => Failure::core(&e),
    })?;
    if let Some(path) = &args.out {
        std::fs::write(path, table::fitted_toml(&fit)).map_err(|e| Failure::io(path, &e))?;
    }
    match args.format {
        Format::Table => emit(Format::Table, &fit, &[] as &[u8], || table::fit(&fit)),
        _ => emit(Format::Json, &fit, &[] as &[u8], String::new),
    }
}

/// Prints a result: `whole` as one JSON document, `rows` as JSON Lines, or the table.
fn emit<T: serde::Serialize, R: serde::Serialize>(
    format: Format,
    whole: &T,
    rows: &[R],
    table: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => writeln!(out, "{}", pretty(whole)),
        Format::Jsonl => rows.iter().try_for_each(|r| writeln!(out, "{}", compact(r))),
        Format::Table => write!(out, "{}", table()),
    };
    written.map_err(|e| Failure::io(Path::new("stdout"), &e))
}

pub fn validate(path: &Path) -> Result<(), Failure> {
    let models = read::model(Some(path))?;
    let names: Vec<&str> = models.names().collect();
    println!(
        "{}: ok ({} model{}: {})",
        path.display(),
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    );
    Ok(())
}

pub fn init(path: &Path, force: bool) -> Result<(), Failure> {
    if path.exists() && !force {
        return Err(Failure::usage(format!("{} exists; pass --force to overwrite it", path.display())));
    }
    std::fs::write(path, dealscore::DEFAULT_MODEL_TOML).map_err(|e| Failure::io(path, &e))?;
    eprintln!("wrote the default model to {}; check it with `dealscore validate {}`", path.display(), path.display());
    Ok(())
}

/// Every activity folded, by one scorer or by every core.
enum Streamed {
    One(Box<StreamScorer>),
    Shared(SharedStream),
}

/// Reads the model, deals and activities and folds every activity into a [`StreamScorer`].
///
/// A file is first read by every core at once, each parsing blocks and folding them into a
/// [`SharedStream`]. Any bad line (or a repeated id, found at the end) ends that attempt, and
/// the file is read again in order into one scorer, which names the first bad line as a
/// line-by-line read does (or skips each one with `--skip-invalid`, which therefore always reads
/// in order, as does standard input, which cannot be read twice).
fn stream(inputs: &Inputs) -> Result<(Streamed, Vec<dealscore::Deal>), Failure> {
    let models = read::model(inputs.model.as_deref())?;
    let deals = read::deals(inputs.deals.as_deref())?;
    let as_of = as_of(inputs.as_of.as_deref())?;
    if let Some((threads, parts)) = shared_reading(inputs) {
        let shared = SharedStream::new(&models, &deals, as_of, parts).map_err(|e| deals_failure(inputs, &e))?;
        // A repeated id, like a bad line, is named by the read in order.
        if read_shared(inputs, threads, |block| shared.push(block)).is_ok() && shared.check_ids().is_ok() {
            return Ok((Streamed::Shared(shared), deals));
        }
    }
    let mut scorer = StreamScorer::new(&models, deals.clone(), as_of).map_err(|e| deals_failure(inputs, &e))?;
    for_each_activity(inputs, |a| scorer.push(&a))?;
    Ok((Streamed::One(Box::new(scorer)), deals))
}

/// The reading threads and the parts of the deals when a file is read on every core at once;
/// `None` when it is read in order: one thread, standard input (which cannot be read again after a
/// bad line) or `--skip-invalid` (which skips each bad line in input order).
fn shared_reading(inputs: &Inputs) -> Option<(usize, NonZeroUsize)> {
    let threads = NonZeroUsize::new(threads(inputs)).filter(|n| n.get() > 1)?;
    if inputs.skip_invalid || inputs.activities == Path::new("-") {
        return None;
    }
    // Several parts per thread, so that a thread that finds one part taken seldom finds the
    // others taken too.
    Some((threads.get(), threads.saturating_mul(NonZeroUsize::new(4).expect("4 is not 0"))))
}

/// Pushes every activity with `push`, a block at a time, from the threads that parse them;
/// fails at the first bad line any thread meets (not necessarily the first in the file).
fn read_shared(
    inputs: &Inputs,
    threads: usize,
    push: impl Fn(&[Activity]) -> Result<(), dealscore::Error> + Sync,
) -> Result<(), Failure> {
    let path = inputs.activities.as_path();
    let format = InputFormat::pick(path, inputs.input_format);
    let bar = progress(path);
    let read = AtomicU64::new(0);
    ingest::for_each_unordered(path, format, threads, |records, bytes| {
        let activities = records.into_iter().map(|(_, parsed)| parsed).collect::<Result<Vec<Activity>, _>>()?;
        push(&activities).map_err(|e| Failure::core(&e))?;
        // Blocks end in any order: the bar shows the furthest end.
        let furthest = read.fetch_max(bytes, Ordering::Relaxed).max(bytes);
        if let Some(bar) = &bar {
            bar.set_position(furthest);
        }
        Ok(())
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

/// `--threads`, else one per core.
fn threads(inputs: &Inputs) -> usize {
    inputs.threads.map_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get), NonZeroUsize::get)
}

fn deals_failure(inputs: &Inputs, e: &dealscore::Error) -> Failure {
    match &inputs.deals {
        Some(path) => Failure::at(path, None, e),
        None => Failure::core(e),
    }
}

/// Streams the activities file into `sink`. A bad line stops with file:line, or with
/// `--skip-invalid` is reported on stderr and counted.
///
/// Blocks of lines are parsed on every core ([`ingest::for_each`]) and handed here in input
/// order, so the scorer sees the lines, and the errors come, exactly as when read one by one.
pub(crate) fn for_each_activity(
    inputs: &Inputs,
    mut sink: impl FnMut(Activity) -> Result<(), dealscore::Error>,
) -> Result<(), Failure> {
    let path = inputs.activities.as_path();
    let format = InputFormat::pick(path, inputs.input_format);
    let bar = progress(path);
    let threads = threads(inputs);
    let mut skipped = 0usize;
    let mut count = 0usize;
    ingest::for_each(path, format, threads, |records, bytes| {
        for (line, parsed) in records {
            let result = parsed.and_then(|a| sink(a).map_err(|e| Failure::at(path, Some(line), &e)));
            match result {
                Ok(()) => count += 1,
                Err(f) if inputs.skip_invalid && f.exit == crate::fail::EXIT_INPUT => {
                    skipped += 1;
                    eprintln!("skipped {f}");
                }
                Err(f) => return Err(f),
            }
        }
        if let Some(bar) = &bar {
            bar.set_position(bytes);
        }
        Ok(())
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if inputs.skip_invalid {
        eprintln!("{count} activities read, {skipped} invalid line{} skipped", if skipped == 1 { "" } else { "s" });
    }
    Ok(())
}

/// A byte-based progress bar on stderr, only when stderr is a terminal and the size is known.
fn progress(path: &Path) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() || path == Path::new("-") {
        return None;
    }
    let len = std::fs::metadata(path).ok()?.len();
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
            .expect("a valid template"),
    );
    Some(bar)
}

/// `--as-of`, or today's date in the local time zone.
pub(crate) fn as_of(arg: Option<&str>) -> Result<Date, Failure> {
    match arg {
        Some(s) => s.parse().map_err(|e| Failure::usage(format!("--as-of: {e}"))),
        None => {
            let today = jiff::ZonedDateTime::now().date();
            Date::from_ymd(today.year(), today.month(), today.day())
                .ok_or_else(|| Failure::usage("today's date is out of range"))
        }
    }
}

fn pretty<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).expect("reports serialise")
}

fn compact<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("reports serialise")
}
