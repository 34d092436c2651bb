//! One row of a batch as a borrowed `ActivityRef`: its text stays in the Arrow buffers.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use dealscore::{ActivityRef, ContactRef};

use super::bad_at;
use super::columns::{CONTACT_FIELDS, Columns};
use super::views::{ContactList, Counts, Dates, DayCache, Text, TextList};
use crate::error::Result;

/// Typed views of one batch's columns.
pub(super) struct Access<'a> {
    pub(super) id: Option<Text<'a>>,
    pub(super) deal: Text<'a>,
    pub(super) date: Dates<'a>,
    pub(super) actions: Option<TextList<'a>>,
    pub(super) contacts: Option<ContactList<'a>>,
    pub(super) contact_lists: [Option<TextList<'a>>; 4],
    pub(super) attendees: Option<Counts<'a>>,
    pub(super) reporter: Option<Text<'a>>,
}

impl<'a> Access<'a> {
    pub(super) fn new(c: &'a Columns) -> Result<Access<'a>> {
        let text = |a: &'a ArrayRef| Text::new(a.as_ref()).expect("normalised to text");
        Ok(Access {
            id: c.id.as_ref().map(text),
            deal: text(&c.deal),
            date: Dates::new(&c.date)?,
            actions: c.actions.as_ref().map(TextList::new),
            contacts: c.contacts.as_ref().map(ContactList::new).transpose()?,
            contact_lists: [0, 1, 2, 3].map(|i| c.contact_lists[i].as_ref().map(TextList::new)),
            attendees: c.attendees.as_ref().map(|a| match a.data_type() {
                DataType::Float64 => Counts::Float(a.as_primitive::<Float64Type>().values(), a.as_ref()),
                _ => Counts::Int(a.as_primitive::<Int64Type>().values(), a.as_ref()),
            }),
            reporter: c.reporter.as_ref().map(text),
        })
    }
}

/// One row's list items, borrowed from a batch's columns, and its id when the frame has none:
/// what the [`ActivityRef`] of the row points into. Reused from row to row.
#[derive(Default)]
pub(super) struct RowText<'a> {
    id: String,
    actions: Vec<&'a str>,
    contacts: Vec<ContactRef<'a>>,
    items: Vec<Option<&'a str>>,
    contact_items: [Vec<Option<&'a str>>; 4],
}

impl<'a> RowText<'a> {
    /// Row `i` of the batch `access` reads (row `row` of the frame), its text borrowed.
    pub(super) fn fill<'s>(
        &'s mut self,
        access: &Access<'a>,
        i: usize,
        row: usize,
        days: &mut DayCache,
    ) -> Result<ActivityRef<'s>> {
        let id = match access.id {
            Some(t) => Some(t.get(i).ok_or_else(|| bad_at(row, "id", "missing id"))?),
            // Zero-padded so that same-date ties (caps) break in row order.
            None => {
                use std::fmt::Write;
                self.id.clear();
                let _ = write!(self.id, "{row:010}");
                None
            }
        };
        let deal = access.deal.get(i).ok_or_else(|| bad_at(row, "deal", "missing deal"))?;
        let date = access.date.get(i, days)?;

        self.actions.clear();
        if let Some(list) = access.actions {
            list.items(i, &mut self.items);
            let joined = matches!(list, TextList::Joined(_));
            for (k, item) in self.items.iter().enumerate() {
                match *item {
                    Some(s) => self.actions.push(s),
                    None if joined => {}
                    None => return Err(bad_at(row, &format!("actions[{k}]"), "missing action")),
                }
            }
        }

        self.contacts.clear();
        if let Some(c) = access.contacts {
            for j in c.lists.range(i) {
                if c.items.is_null(j) {
                    continue;
                }
                let field = |f: usize| c.fields[f].and_then(|t| t.get(j));
                self.contacts.push(ContactRef {
                    person: field(0),
                    role: field(1),
                    title: field(2),
                    department: field(3),
                });
            }
        } else if access.contact_lists.iter().any(Option::is_some) {
            // Parallel lists: item k of each column describes contact k. A column with no items
            // in this row (null, empty, blank) leaves its field unset for every contact.
            for (column, out) in access.contact_lists.iter().zip(self.contact_items.iter_mut()) {
                out.clear();
                if let Some(list) = column {
                    list.items(i, out);
                }
            }
            let n = self.contact_items.iter().map(Vec::len).max().unwrap_or(0);
            for (f, got) in self.contact_items.iter().enumerate() {
                if !got.is_empty() && got.len() != n {
                    return Err(bad_at(
                        row,
                        &format!("contact_{}", CONTACT_FIELDS[f]),
                        format!("has {} items where another contact column has {n}", got.len()),
                    ));
                }
            }
            let items = &self.contact_items;
            let field = |f: usize, k: usize| items[f].get(k).copied().flatten();
            self.contacts.extend((0..n).map(|k| ContactRef {
                person: field(0, k),
                role: field(1, k),
                title: field(2, k),
                department: field(3, k),
            }));
        }

        let attendees = match access.attendees {
            Some(a) => a.get(i)?,
            None => None,
        };
        Ok(ActivityRef {
            id: id.unwrap_or(&self.id),
            deal,
            date,
            actions: &self.actions,
            contacts: &self.contacts,
            attendees,
            reporter: access.reporter.and_then(|t| t.get(i)),
        })
    }
}
