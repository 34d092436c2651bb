//! One row of a batch into the reused `Activity`.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use dealscore::{Activity, CompactString, Contact};

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

    /// Row `i` of the batch (row `row` of the frame) into `act`, reusing its allocations.
    pub(super) fn fill(
        &self,
        i: usize,
        row: usize,
        act: &mut Activity,
        days: &mut DayCache,
        items: &mut Vec<Option<&'a str>>,
        contact_items: &mut [Vec<Option<&'a str>>; 4],
    ) -> Result<()> {
        act.id.clear();
        match self.id {
            Some(t) => act.id.push_str(t.get(i).ok_or_else(|| bad_at(row, "id", "missing id"))?),
            // Zero-padded so that same-date ties (caps) break in row order.
            None => {
                use std::fmt::Write;
                let _ = write!(act.id, "{row:010}");
            }
        }
        act.deal.clear();
        act.deal.push_str(self.deal.get(i).ok_or_else(|| bad_at(row, "deal", "missing deal"))?);
        act.date = self.date.get(i, days)?;

        let mut n = 0;
        if let Some(list) = self.actions {
            list.items(i, items);
            let joined = matches!(list, TextList::Joined(_));
            for (k, item) in items.iter().enumerate() {
                match item {
                    Some(s) => set_string(&mut act.actions, n, s),
                    None if joined => continue,
                    None => return Err(bad_at(row, &format!("actions[{k}]"), "missing action")),
                }
                n += 1;
            }
        }
        act.actions.truncate(n);

        let mut n = 0;
        if let Some(c) = self.contacts {
            for j in c.lists.range(i) {
                if c.items.is_null(j) {
                    continue;
                }
                let contact = next_contact(&mut act.contacts, n);
                for (slot, field) in c.fields.iter().zip(contact_fields(contact)) {
                    set_opt(field, slot.and_then(|t| t.get(j)));
                }
                n += 1;
            }
        } else if self.contact_lists.iter().any(Option::is_some) {
            // Parallel lists: item k of each column describes contact k. A column with no items
            // in this row (null, empty, blank) leaves its field unset for every contact.
            for (column, out) in self.contact_lists.iter().zip(contact_items.iter_mut()) {
                out.clear();
                if let Some(list) = column {
                    list.items(i, out);
                }
            }
            n = contact_items.iter().map(Vec::len).max().unwrap_or(0);
            for (f, got) in contact_items.iter().enumerate() {
                if !got.is_empty() && got.len() != n {
                    return Err(bad_at(
                        row,
                        &format!("contact_{}", CONTACT_FIELDS[f]),
                        format!("has {} items where another contact column has {n}", got.len()),
                    ));
                }
            }
            for k in 0..n {
                let contact = next_contact(&mut act.contacts, k);
                for (field, got) in contact_fields(contact).into_iter().zip(contact_items.iter()) {
                    set_opt(field, got.get(k).copied().flatten());
                }
            }
        }
        act.contacts.truncate(n);

        act.attendees = match self.attendees {
            Some(a) => a.get(i)?,
            None => None,
        };
        set_opt(&mut act.reporter, self.reporter.and_then(|t| t.get(i)));
        Ok(())
    }
}

pub(super) fn contact_fields(c: &mut Contact) -> [&mut Option<CompactString>; 4] {
    [&mut c.person, &mut c.role, &mut c.title, &mut c.department]
}

/// Contact `k` of `contacts`, added when missing (its old fields are overwritten by the caller).
pub(super) fn next_contact(contacts: &mut Vec<Contact>, k: usize) -> &mut Contact {
    if contacts.len() <= k {
        contacts.push(Contact::default());
    }
    &mut contacts[k]
}

pub(super) fn set_string(v: &mut Vec<CompactString>, k: usize, s: &str) {
    if let Some(old) = v.get_mut(k) {
        old.clear();
        old.push_str(s);
    } else {
        v.push(s.into());
    }
}

pub(super) fn set_opt(slot: &mut Option<CompactString>, value: Option<&str>) {
    match (slot.as_mut(), value) {
        (Some(old), Some(s)) => {
            old.clear();
            old.push_str(s);
        }
        (None, Some(s)) => *slot = Some(s.into()),
        (_, None) => *slot = None,
    }
}
