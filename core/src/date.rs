//! Civil dates (`YYYY-MM-DD`, no time, no zone). Parsing is strict and validated by `jiff`, so
//! `2026-02-30` is rejected; arithmetic is on whole days.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A civil date. Ordered by day; serialised as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01 (kept so day differences cost one subtraction).
    day: i32,
    civil: jiff::civil::Date,
}

/// Why a date string was rejected (the caller adds where it came from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError(pub String);

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{DATE_ERROR_PREFIX} {:?}: expected a real date written YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for DateParseError {}

/// Prefix of the serde error message for a bad date, so input parsing can report
/// `invalid_date` rather than the generic `invalid_input`.
pub(crate) const DATE_ERROR_PREFIX: &str = "invalid date";

const EPOCH: jiff::civil::Date = jiff::civil::Date::constant(1970, 1, 1);

impl Date {
    /// Builds a date from its parts; `None` when it is not a real date.
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date::from_civil)
    }

    fn from_civil(civil: jiff::civil::Date) -> Date {
        let secs = civil.duration_since(EPOCH).as_secs();
        Date { day: (secs / 86_400) as i32, civil }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i32 {
        self.day
    }

    /// The date `n` days later (earlier when negative); `None` outside years 0000–9999.
    pub fn add_days(self, n: i32) -> Option<Date> {
        let civil = self.civil.checked_add(jiff::Span::new().days(i64::from(n))).ok()?;
        (0..=9999).contains(&civil.year()).then(|| Date::from_civil(civil))
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_after(self, earlier: Date) -> i32 {
        self.day - earlier.day
    }

    pub fn year(self) -> i16 {
        self.civil.year()
    }
}

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = s.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape_ok {
            return Err(DateParseError(s.to_owned()));
        }
        s.parse::<jiff::civil::Date>().map(Date::from_civil).map_err(|_| DateParseError(s.to_owned()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.civil.year(), self.civil.month(), self.civil.day())
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Date, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A civil date written YYYY-MM-DD"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let d: Date = "2026-11-27".parse().unwrap();
        assert_eq!(d.to_string(), "2026-11-27");
        assert_eq!(d.days_after("2026-11-20".parse().unwrap()), 7);
        assert_eq!("1970-01-02".parse::<Date>().unwrap().days_since_epoch(), 1);
        assert_eq!(d.add_days(5).unwrap().to_string(), "2026-12-02");
    }

    #[test]
    fn rejects_unreal_and_loose_dates() {
        for bad in ["2026-02-30", "2026-2-3", "2026-02-03T10:00", "20260203", "", "２０２６-01-01"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<Date>().is_ok());
    }
}
