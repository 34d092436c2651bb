//! Civil dates (`YYYY-MM-DD`, no time, no zone) in the proleptic Gregorian calendar. Parsing is
//! strict (`2026-02-30` and `2026-2-3` are rejected); arithmetic is on whole days. The day
//! conversions are Howard Hinnant's `days_from_civil` / `civil_from_days`; the tests check them
//! against `jiff` over every day of years 0000–9999. Why not `jiff` itself (the core used it
//! first): the core needs only day numbers of civil dates, and `jiff` was a large share of the
//! wasm module (`docs/wasm.md`, "Size"); it stays the tests' oracle.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A civil date. Ordered by day; serialised as `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01 (kept so day differences cost one subtraction). The civil parts
    /// below are derived from it, so ordering and equality follow the day.
    day: i32,
    year: i16,
    month: u8,
    dom: u8,
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

/// Years [`Date::from_ymd`] accepts (those of `jiff::civil::Date`, which the core used before).
const MIN_YEAR: i16 = -9999;
const MAX_YEAR: i16 = 9999;

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid civil date.
fn days_from_civil(year: i64, month: u8, dom: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(dom));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March first
    let dom = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, dom)
}

impl Date {
    /// Builds a date from its parts; `None` when it is not a real date (years −9999 to 9999).
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Date> {
        let (month, dom) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year.into(), month)).contains(&dom);
        valid.then(|| Date { day: days_from_civil(year.into(), month, dom) as i32, year, month, dom })
    }

    fn from_days(day: i64) -> Date {
        let (year, month, dom) = civil_from_days(day);
        Date { day: day as i32, year: year as i16, month, dom }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i32 {
        self.day
    }

    /// The date `n` days later (earlier when negative); `None` outside years 0000–9999.
    pub fn add_days(self, n: i32) -> Option<Date> {
        const FIRST: i64 = -719_528; // 0000-01-01
        const LAST: i64 = 2_932_896; // 9999-12-31
        let day = i64::from(self.day) + i64::from(n);
        (FIRST..=LAST).contains(&day).then(|| Date::from_days(day))
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_after(self, earlier: Date) -> i32 {
        self.day - earlier.day
    }

    pub fn year(self) -> i16 {
        self.year
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
        let number =
            |range: std::ops::Range<usize>| bytes[range].iter().fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
        let date =
            if shape_ok { Date::from_ymd(number(0..4) as i16, number(5..7) as i8, number(8..10) as i8) } else { None };
        date.ok_or_else(|| DateParseError(s.to_owned()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.dom)
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
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
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

    fn jiff_days(d: jiff::civil::Date) -> i64 {
        let epoch = jiff::civil::Date::constant(1970, 1, 1);
        d.duration_since(epoch).as_secs() / 86_400
    }

    /// Every day of years 0000–9999 against `jiff`: parts, day number, text, parsing and steps.
    #[test]
    fn every_day_matches_jiff() {
        let mut j = jiff::civil::Date::constant(0, 1, 1);
        let mut d = Date::from_ymd(0, 1, 1).unwrap();
        assert_eq!(d.add_days(-1), None);
        let mut n = 0u32;
        loop {
            assert_eq!((d.year, d.month as i8, d.dom as i8), (j.year(), j.month(), j.day()), "{j}");
            assert_eq!(i64::from(d.days_since_epoch()), jiff_days(j), "{j}");
            assert_eq!(Date::from_ymd(j.year(), j.month(), j.day()), Some(d));
            if n.is_multiple_of(97) || j.day() == 1 {
                let text = format!("{:04}-{:02}-{:02}", j.year(), j.month(), j.day());
                assert_eq!(d.to_string(), text);
                assert_eq!(text.parse::<Date>(), Ok(d));
            }
            n += 1;
            let Ok(next) = j.tomorrow().map_err(|_| ()).and_then(|t| if t.year() > 9999 { Err(()) } else { Ok(t) })
            else {
                break;
            };
            j = next;
            d = d.add_days(1).unwrap();
        }
        assert_eq!(d.to_string(), "9999-12-31");
        assert_eq!(d.add_days(1), None);
        assert_eq!(n, 3_652_425);
    }

    /// Strict parsing agrees with `jiff` on every month and day field 00–99 of many years.
    #[test]
    fn parsing_matches_jiff() {
        for year in
            [0, 1, 4, 99, 100, 400, 1582, 1600, 1700, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 2400, 9996, 9999]
        {
            for month in 0..100 {
                for day in 0..100 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let ours = text.parse::<Date>().ok().map(|d| (d.year, d.month as i8, d.dom as i8));
                    let theirs = text.parse::<jiff::civil::Date>().ok().map(|j| (j.year(), j.month(), j.day()));
                    assert_eq!(ours, theirs, "{text}");
                }
            }
        }
    }

    #[test]
    fn from_ymd_matches_jiff() {
        let years = [i16::MIN, -10_000, -9999, -401, -400, -5, -1, 0, 1, 1900, 2000, 2024, 9999, 10_000, i16::MAX];
        for year in years {
            for month in (-2..=14).chain([i8::MIN, i8::MAX]) {
                for day in (-2..=33).chain([i8::MIN, i8::MAX]) {
                    let ours = Date::from_ymd(year, month, day);
                    let theirs = jiff::civil::Date::new(year, month, day).ok();
                    assert_eq!(
                        ours.map(|d| (d.year, d.month as i8, d.dom as i8)),
                        theirs.map(|j| (j.year(), j.month(), j.day()))
                    );
                    if let (Some(d), Some(j)) = (ours, theirs) {
                        assert_eq!(i64::from(d.days_since_epoch()), jiff_days(j));
                        assert_eq!(d.to_string(), format!("{:04}-{:02}-{:02}", j.year(), j.month(), j.day()));
                    }
                }
            }
        }
    }

    /// Large steps, including ones that leave years 0000–9999, as `jiff` plus the range check.
    #[test]
    fn add_days_matches_jiff() {
        let starts = [(-9999, 1, 1), (-1, 12, 31), (0, 1, 1), (1970, 1, 1), (2026, 11, 27), (9999, 12, 31)];
        let steps = [
            0,
            1,
            -1,
            365,
            -366,
            146_097,
            -146_097,
            2_932_896,
            -719_528,
            3_652_424,
            -3_652_424,
            7_304_484,
            7_304_485,
            i32::MAX,
            i32::MIN,
        ];
        for (y, m, dd) in starts {
            let (d, j) = (Date::from_ymd(y, m, dd).unwrap(), jiff::civil::Date::new(y, m, dd).unwrap());
            for n in steps {
                // (jiff's `Span::days` panics beyond ±7 304 484 days, as the old code did.)
                let span = jiff::Span::new().try_days(i64::from(n)).ok();
                let theirs = span.and_then(|s| j.checked_add(s).ok()).filter(|t| (0..=9999).contains(&t.year()));
                let ours = d.add_days(n);
                assert_eq!(
                    ours.map(|d| (d.year, d.month as i8, d.dom as i8)),
                    theirs.map(|t| (t.year(), t.month(), t.day())),
                    "{j} + {n}"
                );
            }
        }
    }
}
