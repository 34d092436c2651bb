//! Arrow data frames in, one row per deal out. Columns are read straight from the Arrow buffers
//! into one reused `Activity` that is pushed into the core's `BatchScorer`, which keeps each row
//! as a compact resolved record (about 120 bytes) and folds them deal by deal at the end — the
//! core's fastest path; a frame costs about what the core's own scoring costs.
//!
//! The column schema is documented in docs/python.md ("Data frames").

use arrow_array::{RecordBatch, RecordBatchReader};
use dealscore::{Activity, BatchScorer, CompactString, Date, Deal, ModelSet};

use crate::error::{Error, Result};

mod columns;
mod output;
mod rows;
mod views;

use columns::Layout;
pub use output::output;
use rows::Access;
use views::DayCache;

/// Scores every row of `reader` as of `as_of` and returns one row per deal (see [`output`]).
/// `rows` is the number of rows expected, if known.
pub fn score(
    reader: Box<dyn RecordBatchReader + Send>,
    models: &ModelSet,
    deals: Vec<Deal>,
    as_of: Date,
    rows: Option<usize>,
) -> Result<RecordBatch> {
    let layout = Layout::new(&reader.schema())?;
    let mut scorer = BatchScorer::new(models, deals, as_of)?;
    scorer.reserve(rows.unwrap_or(0));
    let mut act = Activity {
        id: CompactString::default(),
        deal: CompactString::default(),
        date: as_of,
        actions: Vec::new(),
        contacts: Vec::new(),
        attendees: None,
        reporter: None,
        note: None,
    };
    let mut days = DayCache::default();
    let mut first_row = 0;
    for batch in reader {
        let batch = batch.map_err(|e| bad("activities", format!("reading the frame failed: {e}")))?;
        let columns = layout.normalize(&batch)?;
        let access = Access::new(&columns)?;
        let (mut items, mut contact_items) = (Vec::new(), [Vec::new(), Vec::new(), Vec::new(), Vec::new()]);
        if rows.is_none() {
            scorer.reserve(batch.num_rows());
        }
        for i in 0..batch.num_rows() {
            let row = first_row + i;
            let pushed = access
                .fill(i, row, &mut act, &mut days, &mut items, &mut contact_items)
                .and_then(|()| scorer.push(&act).map_err(Error::from));
            if let Err(e) = pushed {
                return Err(first_error(&scorer, e.at_row(row), row));
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
