//! Arrow data frames in, one row per deal out. Columns are read straight from the Arrow buffers
//! into one reused `Activity` that is pushed into the core's `StreamScorer`, so a frame costs
//! about what the core's own scoring costs, and memory grows with deals, not rows.
//!
//! The column schema is documented in docs/python.md ("Data frames").

use arrow_array::{RecordBatch, RecordBatchReader};
use dealscore::{Activity, Date, Deal, ModelSet, StreamScorer};

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
pub fn score(
    reader: Box<dyn RecordBatchReader + Send>,
    models: &ModelSet,
    deals: Vec<Deal>,
    as_of: Date,
) -> Result<RecordBatch> {
    let layout = Layout::new(&reader.schema())?;
    let mut scorer = StreamScorer::new(models, deals, as_of)?;
    let mut act = Activity {
        id: String::new(),
        deal: String::new(),
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
        scorer.reserve(batch.num_rows());
        for i in 0..batch.num_rows() {
            let row = first_row + i;
            access.fill(i, row, &mut act, &mut days, &mut items, &mut contact_items).map_err(|e| e.at_row(row))?;
            scorer.push(&act).map_err(|e| Error::from(e).at_row(row))?;
        }
        first_row += batch.num_rows();
    }
    output(&scorer.finish()?)
}

fn bad(path: impl Into<String>, message: impl Into<String>) -> Error {
    dealscore::Error::InvalidInput { path: path.into(), message: message.into() }.into()
}

fn bad_at(row: usize, column: &str, message: impl Into<String>) -> Error {
    bad(format!("activities[{row}].{column}"), message)
}
