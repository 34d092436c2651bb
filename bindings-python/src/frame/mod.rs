//! Arrow data frames in, one row per deal out. Each row is pushed into the core's `BatchScorer`
//! as an `ActivityRef` whose text stays in the Arrow buffers; the scorer keeps each row
//! as a compact resolved record (about 85 bytes) and folds them deal by deal at the end — the
//! core's fastest path. Large frames are shared between threads by deal (see [`score`]).
//!
//! The column schema is documented in docs/python.md ("Data frames").

use std::num::NonZeroUsize;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::ArrowError;
use dealscore::parallel::Part;
use dealscore::{BatchScorer, Date, Deal, ModelSet};

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

/// Scores every row of `reader` as of `as_of` on up to `threads` threads and returns one row per
/// deal (see [`output`]). `rows` is the number of rows expected, if known.
///
/// With more than one thread the frame's batches are collected first (Arrow tables and data
/// frames are in memory already; a stream is read to its end) and every thread reads them all,
/// keeping the rows of its own deals (`dealscore::parallel::score_parallel`). The result is the same as on
/// one thread; on bad input the frame is read again on one thread, so the error names the first
/// bad row.
pub fn score(
    reader: Box<dyn RecordBatchReader + Send>,
    models: &ModelSet,
    deals: Vec<Deal>,
    as_of: Date,
    rows: Option<usize>,
    threads: NonZeroUsize,
) -> Result<RecordBatch> {
    let layout = Layout::new(&reader.schema())?;
    if threads.get() == 1 || rows.is_some_and(|n| n < 2 * ROWS_PER_THREAD) {
        return score_batches(reader, &layout, models, deals, as_of, rows);
    }
    let batches = reader
        .collect::<std::result::Result<Vec<RecordBatch>, _>>()
        .map_err(|e| bad("activities", format!("reading the frame failed: {e}")))?;
    let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let threads = threads.min(NonZeroUsize::new(total / ROWS_PER_THREAD).unwrap_or(NonZeroUsize::MIN));
    if threads.get() > 1
        && let Ok(scored) = score_parallel(&batches, total, &layout, models, &deals, as_of, threads)
    {
        return output(&scored);
    }
    score_batches(batches.into_iter().map(Ok), &layout, models, deals, as_of, Some(total))
}

/// Scores the batches (`total` rows) on `threads` threads, each pushing the rows of its part's
/// deals in frame order. Any error stops the work (the caller then finds the first bad row on
/// one thread).
fn score_parallel(
    batches: &[RecordBatch],
    total: usize,
    layout: &Layout,
    models: &ModelSet,
    deals: &[Deal],
    as_of: Date,
    threads: NonZeroUsize,
) -> Result<Vec<dealscore::DealReport>> {
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
    Ok(dealscore::parallel::score_parallel(models, deals, as_of, threads, feed)?)
}

/// Any error stops every thread; the caller then reads the frame again on one thread to name the
/// first bad row, so what this error says does not matter.
fn stopped() -> dealscore::Error {
    dealscore::Error::InvalidInput { path: "activities".into(), message: "a bad row".into() }
}

/// Scores the batches on this thread.
fn score_batches(
    batches: impl IntoIterator<Item = std::result::Result<RecordBatch, ArrowError>>,
    layout: &Layout,
    models: &ModelSet,
    deals: Vec<Deal>,
    as_of: Date,
    rows: Option<usize>,
) -> Result<RecordBatch> {
    let mut scorer = BatchScorer::new(models, deals, as_of)?;
    scorer.reserve(rows.unwrap_or(0));
    let mut days = DayCache::default();
    let mut first_row = 0;
    for batch in batches {
        let batch = batch.map_err(|e| bad("activities", format!("reading the frame failed: {e}")))?;
        let columns = layout.normalize(&batch)?;
        let access = Access::new(&columns)?;
        let mut text = RowText::default();
        if rows.is_none() {
            scorer.reserve(batch.num_rows());
        }
        for i in 0..batch.num_rows() {
            let at = first_row + i;
            let pushed = text
                .fill(&access, i, at, &mut days)
                .and_then(|activity| scorer.push_ref(&activity).map_err(Error::from));
            if let Err(e) = pushed {
                return Err(first_error(&scorer, e.at_row(at), at));
            }
        }
        first_row += batch.num_rows();
    }
    if let Some((row, id)) = scorer.first_duplicate() {
        return Err(duplicate(id, row));
    }
    output(&scorer.finish()?)
}

/// The error of the first bad row, `e` being row `row`'s: the batch finds repeated ids only when
/// asked, and a repeat in an earlier row comes first.
fn first_error(scorer: &BatchScorer, e: Error, row: usize) -> Error {
    match scorer.first_duplicate() {
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
