//! Typed, borrowed views of Arrow columns: text, lists of text, contacts, dates, counts.

use std::ops::Range;

use arrow_array::cast::AsArray;
use arrow_array::temporal_conversions::as_datetime_with_timezone;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Date32Type, Date64Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray, StringViewArray, StructArray};
use arrow_schema::{DataType, TimeUnit};
use dealscore::Date;
use rustc_hash::FxHashMap;

use super::columns::CONTACT_FIELDS;
use super::{bad, bad_at};
use crate::error::Result;

/// A text column.
#[derive(Clone, Copy)]
pub(super) enum Text<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
}

impl<'a> Text<'a> {
    pub(super) fn new(array: &'a dyn Array) -> Option<Text<'a>> {
        match array.data_type() {
            DataType::Utf8 => Some(Text::Utf8(array.as_string::<i32>())),
            DataType::LargeUtf8 => Some(Text::Large(array.as_string::<i64>())),
            DataType::Utf8View => Some(Text::View(array.as_string_view())),
            _ => None,
        }
    }

    #[inline]
    pub(super) fn get(self, i: usize) -> Option<&'a str> {
        match self {
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Offsets<'a> {
    I32(&'a [i32]),
    I64(&'a [i64]),
}

impl Offsets<'_> {
    #[inline]
    pub(super) fn range(self, row: usize) -> Range<usize> {
        match self {
            Offsets::I32(o) => o[row] as usize..o[row + 1] as usize,
            Offsets::I64(o) => o[row] as usize..o[row + 1] as usize,
        }
    }
}

/// A list column's offsets and validity, whatever its offset width.
#[derive(Clone, Copy)]
pub(super) struct Lists<'a> {
    pub(super) offsets: Offsets<'a>,
    pub(super) array: &'a dyn Array,
}

impl<'a> Lists<'a> {
    pub(super) fn new(array: &'a dyn Array) -> Option<(Lists<'a>, &'a ArrayRef)> {
        match array.data_type() {
            DataType::List(_) => {
                let l = array.as_list::<i32>();
                Some((Lists { offsets: Offsets::I32(l.offsets()), array }, l.values()))
            }
            DataType::LargeList(_) => {
                let l = array.as_list::<i64>();
                Some((Lists { offsets: Offsets::I64(l.offsets()), array }, l.values()))
            }
            _ => None,
        }
    }

    /// The row's item range; empty for a null list.
    #[inline]
    pub(super) fn range(self, row: usize) -> Range<usize> {
        if self.array.is_valid(row) { self.offsets.range(row) } else { 0..0 }
    }
}

/// A list-of-text column, or `;`-joined text.
#[derive(Clone, Copy)]
pub(super) enum TextList<'a> {
    Joined(Text<'a>),
    List(Lists<'a>, Text<'a>),
}

impl<'a> TextList<'a> {
    pub(super) fn new(array: &'a ArrayRef) -> TextList<'a> {
        if let Some(t) = Text::new(array.as_ref()) {
            return TextList::Joined(t);
        }
        let (lists, values) = Lists::new(array.as_ref()).expect("normalised to a list");
        TextList::List(lists, Text::new(values.as_ref()).expect("normalised to a list of text"))
    }

    /// The row's items into `out`: a null item (or an empty piece of joined text) is `None`.
    /// Joined text that is null, empty or blank has no items.
    pub(super) fn items(self, row: usize, out: &mut Vec<Option<&'a str>>) {
        out.clear();
        match self {
            TextList::Joined(t) => {
                if let Some(s) = t.get(row).filter(|s| !s.trim().is_empty()) {
                    out.extend(s.split(';').map(str::trim).map(|p| (!p.is_empty()).then_some(p)));
                }
            }
            TextList::List(lists, values) => out.extend(lists.range(row).map(|j| values.get(j))),
        }
    }
}

/// A `contacts` column: list<struct<person?, role?, title?, department?>>.
#[derive(Clone, Copy)]
pub(super) struct ContactList<'a> {
    pub(super) lists: Lists<'a>,
    pub(super) items: &'a StructArray,
    pub(super) fields: [Option<Text<'a>>; 4],
}

impl<'a> ContactList<'a> {
    pub(super) fn new(array: &'a ArrayRef) -> Result<ContactList<'a>> {
        let wrong = || {
            bad(
                "activities.contacts",
                format!("expected a list of structs with text fields {CONTACT_FIELDS:?}, got {}", array.data_type()),
            )
        };
        let (lists, values) = Lists::new(array.as_ref()).ok_or_else(wrong)?;
        let items = values.as_struct_opt().ok_or_else(wrong)?;
        let mut fields = [None; 4];
        for (slot, name) in fields.iter_mut().zip(CONTACT_FIELDS) {
            // A field of nulls only (pandas → Arrow infers its type as null) is no field.
            if let Some(c) = items.column_by_name(name)
                && c.data_type() != &DataType::Null
            {
                *slot = Some(Text::new(c.as_ref()).ok_or_else(wrong)?);
            }
        }
        Ok(ContactList { lists, items, fields })
    }
}

#[derive(Clone, Copy)]
pub(super) enum Dates<'a> {
    Days(&'a [i32], &'a dyn Array),
    Millis(&'a [i64], &'a dyn Array),
    /// Timestamps: values per day, and the zone when zoned.
    Stamps {
        values: &'a [i64],
        array: &'a dyn Array,
        per_second: i64,
        tz: Option<Tz>,
    },
    Text(Text<'a>),
}

impl<'a> Dates<'a> {
    pub(super) fn new(array: &'a ArrayRef) -> Result<Dates<'a>> {
        Ok(match array.data_type() {
            DataType::Date32 => Dates::Days(array.as_primitive::<Date32Type>().values(), array.as_ref()),
            DataType::Date64 => Dates::Millis(array.as_primitive::<Date64Type>().values(), array.as_ref()),
            DataType::Timestamp(unit, tz) => {
                let (values, per_second): (&[i64], i64) = match unit {
                    TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().values(), 1),
                    TimeUnit::Millisecond => (array.as_primitive::<TimestampMillisecondType>().values(), 1_000),
                    TimeUnit::Microsecond => (array.as_primitive::<TimestampMicrosecondType>().values(), 1_000_000),
                    TimeUnit::Nanosecond => (array.as_primitive::<TimestampNanosecondType>().values(), 1_000_000_000),
                };
                let tz = tz
                    .as_deref()
                    .map(str::parse::<Tz>)
                    .transpose()
                    .map_err(|e| bad("activities.date", format!("unknown time zone: {e}")))?;
                Dates::Stamps { values, array: array.as_ref(), per_second, tz }
            }
            _ => Dates::Text(Text::new(array.as_ref()).expect("normalised to a date column")),
        })
    }

    pub(super) fn get(self, row: usize, days: &mut DayCache) -> Result<Date> {
        let missing = || bad_at(row, "date", "missing date");
        let day = match self {
            Dates::Days(v, a) => a.is_valid(row).then(|| i64::from(v[row])),
            Dates::Millis(v, a) => a.is_valid(row).then(|| v[row].div_euclid(86_400_000)),
            Dates::Stamps { values, array, per_second, tz } => {
                if array.is_null(row) {
                    None
                } else {
                    let seconds = values[row].div_euclid(per_second);
                    let local = match tz {
                        None => seconds,
                        Some(tz) => as_datetime_with_timezone::<TimestampSecondType>(seconds, tz)
                            .map(|t| t.naive_local().and_utc().timestamp())
                            .ok_or_else(|| bad_at(row, "date", "timestamp out of range"))?,
                    };
                    Some(local.div_euclid(86_400))
                }
            }
            Dates::Text(t) => {
                let text = t.get(row).ok_or_else(missing)?;
                return days.parse(text).ok_or_else(|| {
                    dealscore::Error::InvalidDate { path: format!("activities[{row}].date"), value: text.to_owned() }
                        .into()
                });
            }
        };
        let day = day.ok_or_else(missing)?;
        i32::try_from(day).ok().and_then(|d| days.get(d)).ok_or_else(|| {
            dealscore::Error::InvalidDate {
                path: format!("activities[{row}].date"),
                value: format!("day {day} since 1970-01-01"),
            }
            .into()
        })
    }
}

/// Days since the epoch → `Date`, remembered (a frame has few distinct dates).
#[derive(Default)]
pub(super) struct DayCache {
    pub(super) days: FxHashMap<i32, Option<Date>>,
    pub(super) text: FxHashMap<String, Date>,
}

impl DayCache {
    pub(super) fn get(&mut self, day: i32) -> Option<Date> {
        *self.days.entry(day).or_insert_with(|| Date::from_ymd(1970, 1, 1).and_then(|e| e.add_days(day)))
    }

    pub(super) fn parse(&mut self, text: &str) -> Option<Date> {
        if let Some(d) = self.text.get(text) {
            return Some(*d);
        }
        let d = text.parse::<Date>().ok()?;
        self.text.insert(text.to_owned(), d);
        Some(d)
    }
}

#[derive(Clone, Copy)]
pub(super) enum Counts<'a> {
    Int(&'a [i64], &'a dyn Array),
    Float(&'a [f64], &'a dyn Array),
}

impl Counts<'_> {
    pub(super) fn get(self, row: usize) -> Result<Option<u32>> {
        let out_of_range = |v: String| bad_at(row, "attendees", format!("expected a whole number ≥ 0, got {v}"));
        match self {
            Counts::Int(v, a) => {
                a.is_valid(row).then(|| u32::try_from(v[row]).map_err(|_| out_of_range(v[row].to_string()))).transpose()
            }
            Counts::Float(v, a) => a
                .is_valid(row)
                .then(|| {
                    let x = v[row];
                    // NaN is how pandas writes a missing number.
                    if x.is_nan() {
                        Ok(None)
                    } else if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) {
                        Ok(Some(x as u32))
                    } else {
                        Err(out_of_range(x.to_string()))
                    }
                })
                .transpose()
                .map(Option::flatten),
        }
    }
}
