//! Arrow data frames in, one row per deal out. Columns are read straight from the Arrow buffers
//! into one reused `Activity` that is pushed into the core's `BatchScorer`, which keeps each row
//! as a compact resolved record (about 80 bytes) and folds them deal by deal at the end — the
//! core's fastest path. Large frames are shared between threads by deal (see [`score`]).
//!
//! The column schema is documented in docs/python.md ("Data frames").

use std::num::NonZeroUsize;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::ArrowError;
use dealscore::{Activity, BatchScorer, CompactString, Date, Deal, ModelSet, Part};

use crate::error::{Error, Result};

mod columns;
mod output;
mod rows;
mod views;

use columns::Layout;
pub use output::output;
use rows::Access;
use views::DayCache;

/// Frames smaller than this many rows a thread are scored on fewer threads: each thread reads
/// every row's deal, which only pays off when there is enough to share.
const ROWS_PER_THREAD: usize = 50_000;

/// Scores every row of `reader` as of `as_of` on up to `threads` threads and returns one row per
/// deal (see [`output`]). `rows` is the number of rows expected, if known.
///
/// With more than one thread the frame's batches are collected first (Arrow tables and data
/// frames are in memory already; a stream is read to its end) and every thread reads them all,
/// keeping the rows of its own deals (`dealscore::score_parallel`). The result is the same as on
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
        && let Ok(scored) = score_parallel(&batches, &layout, models, &deals, as_of, threads)
    {
        return output(&scored);
    }
    score_batches(batches.into_iter().map(Ok), &layout, models, deals, as_of, Some(total))
}

/// Scores the batches on `threads` threads, each pushing the rows of its part's deals in frame
/// order. Any error stops the work (the caller then finds the first bad row on one thread).
fn score_parallel(
    batches: &[RecordBatch],
    layout: &Layout,
    models: &ModelSet,
    deals: &[Deal],
    as_of: Date,
    threads: NonZeroUsize,
) -> Result<Vec<dealscore::DealReport>> {
    let columns = batches.iter().map(|b| layout.normalize(b)).collect::<Result<Vec<_>>>()?;
    let feed = |part: Part, scorer: &mut BatchScorer<'_>| -> dealscore::Result<()> {
        let total: usize = batches.iter().map(RecordBatch::num_rows).sum();
        scorer.reserve(total / part.count());
        let mut row = Row::new(as_of);
        let mut first_row = 0;
        for (batch, columns) in batches.iter().zip(&columns) {
            let access = Access::new(columns).map_err(|_| stopped())?;
            let mut items = Items::default();
            for i in 0..batch.num_rows() {
                let deal = access.deal.get(i).ok_or_else(stopped)?;
                if part.contains(deal) {
                    row.fill(&access, &mut items, i, first_row + i).map_err(|_| stopped())?;
                    scorer.push(&row.act)?;
                }
            }
            first_row += batch.num_rows();
        }
        Ok(())
    };
    Ok(dealscore::score_parallel(models, deals, as_of, threads, feed)?)
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
    let mut row = Row::new(as_of);
    let mut first_row = 0;
    for batch in batches {
        let batch = batch.map_err(|e| bad("activities", format!("reading the frame failed: {e}")))?;
        let columns = layout.normalize(&batch)?;
        let access = Access::new(&columns)?;
        let mut items = Items::default();
        if rows.is_none() {
            scorer.reserve(batch.num_rows());
        }
        for i in 0..batch.num_rows() {
            let at = first_row + i;
            let pushed = row.fill(&access, &mut items, i, at).and_then(|()| scorer.push(&row.act).map_err(Error::from));
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

/// One reused activity, filled from one row at a time.
struct Row {
    act: Activity,
    days: DayCache,
}

/// Buffers for one batch's list items (they borrow its columns).
#[derive(Default)]
struct Items<'a> {
    items: Vec<Option<&'a str>>,
    contacts: [Vec<Option<&'a str>>; 4],
}

impl Row {
    fn new(as_of: Date) -> Self {
        let act = Activity {
            id: CompactString::default(),
            deal: CompactString::default(),
            date: as_of,
            actions: Vec::new(),
            contacts: Vec::new(),
            attendees: None,
            reporter: None,
            note: None,
        };
        Row { act, days: DayCache::default() }
    }

    /// Row `i` of the batch `access` reads, row `row` of the frame.
    fn fill<'a>(&mut self, access: &Access<'a>, items: &mut Items<'a>, i: usize, row: usize) -> Result<()> {
        access.fill(i, row, &mut self.act, &mut self.days, &mut items.items, &mut items.contacts)
    }
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
