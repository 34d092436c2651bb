//! The known columns of an activities frame, and their types normalised for reading.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use super::bad;
use crate::error::Result;

pub(super) const CONTACT_FIELDS: [&str; 4] = ["person", "role", "title", "department"];

/// Where each known column is; other columns are ignored.
#[derive(Debug)]
pub(super) struct Layout {
    pub(super) id: Option<usize>,
    pub(super) deal: usize,
    pub(super) date: usize,
    pub(super) actions: Option<usize>,
    pub(super) contacts: Option<usize>,
    /// `contact_person`, `contact_role`, `contact_title`, `contact_department`.
    pub(super) contact_lists: [Option<usize>; 4],
    pub(super) attendees: Option<usize>,
    pub(super) reporter: Option<usize>,
}

impl Layout {
    pub(super) fn new(schema: &Schema) -> Result<Layout> {
        let find = |name: &str| schema.index_of(name).ok();
        let required = |name: &str| {
            find(name).ok_or_else(|| {
                let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                bad(format!("activities.{name}"), format!("the frame has no `{name}` column (it has {names:?})"))
            })
        };
        let layout = Layout {
            id: find("id"),
            deal: required("deal")?,
            date: required("date")?,
            actions: find("actions"),
            contacts: find("contacts"),
            contact_lists: CONTACT_FIELDS.map(|f| find(&format!("contact_{f}"))),
            attendees: find("attendees"),
            reporter: find("reporter"),
        };
        if layout.contacts.is_some() && layout.contact_lists.iter().any(Option::is_some) {
            return Err(bad("activities.contacts", "give either a `contacts` column or `contact_*` columns, not both"));
        }
        Ok(layout)
    }

    /// The batch's columns in a type [`Access`] reads directly (casting the rare other types).
    pub(super) fn normalize(&self, batch: &RecordBatch) -> Result<Columns> {
        let col = |i: usize| batch.column(i);
        let name = |i: usize| batch.schema_ref().field(i).name().clone();
        let opt =
            |i: Option<usize>, f: fn(&ArrayRef, &str) -> Result<ArrayRef>| i.map(|i| f(col(i), &name(i))).transpose();
        Ok(Columns {
            id: opt(self.id, text_column)?,
            deal: text_column(col(self.deal), "deal")?,
            date: date_column(col(self.date))?,
            actions: opt(self.actions, list_column)?,
            contacts: self.contacts.map(|i| Arc::clone(col(i))),
            contact_lists: [
                opt(self.contact_lists[0], list_column)?,
                opt(self.contact_lists[1], list_column)?,
                opt(self.contact_lists[2], list_column)?,
                opt(self.contact_lists[3], list_column)?,
            ],
            attendees: opt(self.attendees, count_column)?,
            reporter: opt(self.reporter, text_column)?,
        })
    }
}

/// One batch's columns, normalised.
pub(super) struct Columns {
    pub(super) id: Option<ArrayRef>,
    pub(super) deal: ArrayRef,
    pub(super) date: ArrayRef,
    pub(super) actions: Option<ArrayRef>,
    pub(super) contacts: Option<ArrayRef>,
    pub(super) contact_lists: [Option<ArrayRef>; 4],
    pub(super) attendees: Option<ArrayRef>,
    pub(super) reporter: Option<ArrayRef>,
}

pub(super) fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

pub(super) fn cast(array: &ArrayRef, to: &DataType, column: &str) -> Result<ArrayRef> {
    arrow_cast::cast(array, to)
        .map_err(|e| bad(format!("activities.{column}"), format!("cannot read {}: {e}", array.data_type())))
}

/// Text: strings as they are; categorical (dictionary) and integer ids as text.
pub(super) fn text_column(array: &ArrayRef, column: &str) -> Result<ArrayRef> {
    match array.data_type() {
        t if is_text(t) => Ok(Arc::clone(array)),
        t if t.is_integer() || matches!(t, DataType::Null | DataType::Dictionary(..)) => {
            cast(array, &DataType::Utf8, column)
        }
        t => Err(bad(format!("activities.{column}"), format!("expected text, got {t}"))),
    }
}

/// Dates: date32/date64, timestamps (wall-clock date; zoned ones in their zone), or `YYYY-MM-DD` text.
pub(super) fn date_column(array: &ArrayRef) -> Result<ArrayRef> {
    match array.data_type() {
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => Ok(Arc::clone(array)),
        t if is_text(t) => Ok(Arc::clone(array)),
        DataType::Dictionary(..) | DataType::Null => cast(array, &DataType::Utf8, "date"),
        t => Err(bad("activities.date", format!("expected a date, timestamp or YYYY-MM-DD text, got {t}"))),
    }
}

/// A list of text per row: a list column, or text joined with `;`.
pub(super) fn list_column(array: &ArrayRef, column: &str) -> Result<ArrayRef> {
    match array.data_type() {
        t if is_text(t) => Ok(Arc::clone(array)),
        DataType::List(f) | DataType::LargeList(f) if is_text(f.data_type()) => Ok(Arc::clone(array)),
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::ListView(_)
        | DataType::LargeListView(_)
        | DataType::FixedSizeList(..) => {
            cast(array, &DataType::LargeList(Arc::new(Field::new_list_field(DataType::Utf8, true))), column)
        }
        DataType::Dictionary(..) | DataType::Null => cast(array, &DataType::Utf8, column),
        t => Err(bad(format!("activities.{column}"), format!("expected a list of text or `;`-joined text, got {t}"))),
    }
}

/// A whole number per row (attendees).
pub(super) fn count_column(array: &ArrayRef, column: &str) -> Result<ArrayRef> {
    match array.data_type() {
        DataType::Int64 | DataType::Float64 => Ok(Arc::clone(array)),
        t if t.is_integer() || matches!(t, DataType::Null) => cast(array, &DataType::Int64, column),
        DataType::Float16 | DataType::Float32 => cast(array, &DataType::Float64, column),
        t => Err(bad(format!("activities.{column}"), format!("expected a whole number, got {t}"))),
    }
}
