//! Arrow data frames in, one row per deal (`score_frame`) or a backtest out. Each row is pushed
//! into the core's `BatchScorer` as an `ActivityRef` whose text stays in the Arrow buffers; the
//! scorer keeps each row as a compact resolved record (about 85 bytes) and folds them deal by
//! deal at the end — the core's fastest path. Large frames are shared between threads by deal
//! (see [`run`]).
//!
//! The column schema is documented in docs/python.md ("Data frames").

use std::num::NonZeroUsize;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::ArrowError;
use dealscore::parallel::Part;
use dealscore::{ActivityRef, BacktestOptions, BatchBacktester, BatchScorer, Date, Deal, ModelSet};

use crate::error::{Error, Result};

mod columns;
mod output;
mod rows;
mod views;

use columns::Layout;
pub use output::output;
use rows::{Access, RowText};
use views::DayCache;

/// Frames smaller than this many rows a thread are scored on fewer threads: each thread reads
/// every row's deal, which only pays off when there is enough to share.
const ROWS_PER_THREAD: usize = 50_000;

/// What the rows are pushed into, on one thread.
pub trait Sink {
    fn reserve(&mut self, n: usize);
    fn push_ref(&mut self, a: &ActivityRef<'_>) -> dealscore::Result<()>;
    fn first_duplicate(&self) -> Option<(usize, &str)>;
}

impl Sink for BatchScorer<'_> {
    fn reserve(&mut self, n: usize) {
        BatchScorer::reserve(self, n);
    }
    fn push_ref(&mut self, a: &ActivityRef<'_>) -> dealscore::Result<()> {
        BatchScorer::push_ref(self, a)
    }
    fn first_duplicate(&self) -> Option<(usize, &str)> {
        BatchScorer::first_duplicate(self)
    }
}

impl Sink for BatchBacktester {
    fn reserve(&mut self, n: usize) {
        BatchBacktester::reserve(self, n);
    }
    fn push_ref(&mut self, a: &ActivityRef<'_>) -> dealscore::Result<()> {
        BatchBacktester::push_ref(self, a)
    }
    fn first_duplicate(&self) -> Option<(usize, &str)> {
        BatchBacktester::first_duplicate(self)
    }
}

/// What a frame's rows are for: the core entry points of one thread and of several.
pub trait Task: Sync {
    type Sink: Sink;
    type Out;
    fn start(&self, models: &ModelSet, deals: Vec<Deal>) -> dealscore::Result<Self::Sink>;
    fn finish(&self, sink: Self::Sink) -> Result<Self::Out>;
    /// On threads; `feed` pushes the rows of a part's deals.
    fn parallel<F>(&self, models: &ModelSet, deals: &[Deal], threads: NonZeroUsize, feed: F) -> Result<Self::Out>
    where
        F: Fn(Part, &mut BatchScorer<'_>) -> dealscore::Result<()> + Sync;
}

/// `score_frame`: one row per deal as of a date (see [`output`]).
pub struct Score(pub Date);

impl Task for Score {
    type Sink = BatchScorer<'static>;
    type Out = RecordBatch;
    fn start(&self, models: &ModelSet, deals: Vec<Deal>) -> dealscore::Result<Self::Sink> {
        BatchScorer::new(models, deals, self.0)
    }
    fn finish(&self, sink: Self::Sink) -> Result<RecordBatch> {
        output(&sink.finish()?)
    }
    fn parallel<F>(&self, models: &ModelSet, deals: &[Deal], threads: NonZeroUsize, feed: F) -> Result<RecordBatch>
    where
        F: Fn(Part, &mut BatchScorer<'_>) -> dealscore::Result<()> + Sync,
    {
        output(&dealscore::parallel::score_parallel(models, deals, self.0, threads, feed)?)
    }
}

/// `backtest` (OUTCOMES.md §2–3): each closed deal folded at its snapshot.
pub struct Backtest(pub BacktestOptions);

impl Task for Backtest {
    type Sink = BatchBacktester;
    type Out = dealscore::Backtest;
    fn start(&self, models: &ModelSet, deals: Vec<Deal>) -> dealscore::Result<Self::Sink> {
        BatchBacktester::new(models, deals, &self.0)
    }
    fn finish(&self, sink: Self::Sink) -> Result<Self::Out> {
        Ok(sink.finish()?)
    }
    fn parallel<F>(&self, models: &ModelSet, deals: &[Deal], threads: NonZeroUsize, feed: F) -> Result<Self::Out>
    where
        F: Fn(Part, &mut BatchScorer<'_>) -> dealscore::Result<()> + Sync,
    {
        Ok(dealscore::parallel::backtest_parallel(models, deals, &self.0, threads, feed)?)
    }
}

/// Pushes every row of `reader` for `task` on up to `threads` threads. `rows` is the number of
/// rows expected, if known.
///
/// With more than one thread the frame's batches are collected first (Arrow tables and data
/// frames are in memory already; a stream is read to its end) and every thread reads them all,
/// keeping the rows of its own deals. The result is the same as on one thread; on bad input the
/// frame is read again on one thread, so the error names the first bad row.
pub fn run<T: Task>(
    reader: Box<dyn RecordBatchReader + Send>,
    task: &T,
    models: &ModelSet,
    deals: Vec<Deal>,
    rows: Option<usize>,
    threads: NonZeroUsize,
) -> Result<T::Out> {
    let layout = Layout::new(&reader.schema())?;
    if threads.get() == 1 || rows.is_some_and(|n| n < 2 * ROWS_PER_THREAD) {
        return run_batches(reader, &layout, task, models, deals, rows);
    }
    let batches = reader
        .collect::<std::result::Result<Vec<RecordBatch>, _>>()
        .map_err(|e| bad("activities", format!("reading the frame failed: {e}")))?;
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let threads = threads.min(NonZeroUsize::new(total / ROWS_PER_THREAD).unwrap_or(NonZeroUsize::MIN));
    if threads.get() > 1
        && let Ok(out) = run_parallel(&batches, total, &layout, task, models, &deals, threads)
    {
        return Ok(out);
    }
    run_batches(batches.into_iter().map(Ok), &layout, task, models, deals, Some(total))
}

/// Runs the task on `threads` threads over the batches (`total` rows), each thread pushing the
/// rows of its part's deals in frame order. Any error stops the work (the caller then finds the
/// first bad row on one thread).
fn run_parallel<T: Task>(
    batches: &[RecordBatch],
    total: usize,
    layout: &Layout,
    task: &T,
    models: &ModelSet,
    deals: &[Deal],
    threads: NonZeroUsize,
) -> Result<T::Out> {
    let columns = batches.iter().map(|b| layout.normalize(b)).collect::<Result<Vec<_>>>()?;
    let feed = |part: Part, scorer: &mut BatchScorer<'_>| -> dealscore::Result<()> {
        scorer.reserve(total / part.count());
        let mut days = DayCache::default();
        let mut first_row = 0;
        for (batch, columns) in batches.iter().zip(&columns) {
            let access = Access::new(columns).map_err(|_| stopped())?;
            let mut text = RowText::default();
            for i in 0..batch.num_rows() {
                let deal = access.deal.get(i).ok_or_else(stopped)?;
                if part.contains(deal) {
                    let activity = text.fill(&access, i, first_row + i, &mut days).map_err(|_| stopped())?;
                    scorer.push_ref(&activity)?;
                }
            }
            first_row += batch.num_rows();
        }
        Ok(())
    };
    task.parallel(models, deals, threads, feed)
}

/// Any error stops every thread; the caller then reads the frame again on one thread to name the
/// first bad row, so what this error says does not matter.
fn stopped() -> dealscore::Error {
    dealscore::Error::InvalidInput { path: "activities".into(), message: "a bad row".into() }
}

/// Runs the task over the batches on this thread.
fn run_batches<T: Task>(
    batches: impl IntoIterator<Item = std::result::Result<RecordBatch, ArrowError>>,
    layout: &Layout,
    task: &T,
    models: &ModelSet,
    deals: Vec<Deal>,
    rows: Option<usize>,
) -> Result<T::Out> {
    let mut sink = task.start(models, deals)?;
    sink.reserve(rows.unwrap_or(0));
    let mut days = DayCache::default();
    let mut first_row = 0;
    for batch in batches {
        let batch = batch.map_err(|e| bad("activities", format!("reading the frame failed: {e}")))?;
        let columns = layout.normalize(&batch)?;
        let access = Access::new(&columns)?;
        let mut text = RowText::default();
        if rows.is_none() {
            sink.reserve(batch.num_rows());
        }
        for i in 0..batch.num_rows() {
            let at = first_row + i;
            let pushed =
                text.fill(&access, i, at, &mut days).and_then(|activity| sink.push_ref(&activity).map_err(Error::from));
            if let Err(e) = pushed {
                return Err(first_error(&sink, e.at_row(at), at));
            }
        }
        first_row += batch.num_rows();
    }
    if let Some((row, id)) = sink.first_duplicate() {
        return Err(duplicate(id, row));
    }
    task.finish(sink)
}

/// The error of the first bad row, `e` being row `row`'s: the batch finds repeated ids only when
/// asked, and a repeat in an earlier row comes first.
fn first_error(sink: &impl Sink, e: Error, row: usize) -> Error {
    match sink.first_duplicate() {
        Some((dup, id)) if dup < row => duplicate(id, dup),
        _ => e,
    }
}

fn duplicate(id: &str, row: usize) -> Error {
    Error::from(dealscore::Error::DuplicateActivity { activity: id.to_owned() }).at_row(row)
}

fn bad(path: impl Into<String>, message: impl Into<String>) -> Error {
    dealscore::Error::InvalidInput { path: path.into(), message: message.into() }.into()
}

fn bad_at(row: usize, column: &str, message: impl Into<String>) -> Error {
    bad(format!("activities[{row}].{column}"), message)
}
