//! The continuity axis and the warning signals, computed from a deal's per-day energy.

use crate::date::Date;
use crate::score::report::{Continuity, Signal};

/// Continuity from `(day, energy)` pairs in ascending day order (only days ≤ T).
pub(crate) fn continuity(
    days: &[(i32, u64)],
    as_of: Date,
    period_days: u32,
    periods: u32,
    last_energy: Option<i32>,
) -> Continuity {
    let t = as_of.days_since_epoch();
    let p = period_days as i32;
    let mut series = vec![0u64; periods as usize];
    for &(day, e) in days.iter().rev() {
        // Period k holds days (T − (k+1)p, T − kp].
        let k = (t - day) / p;
        if k >= periods as i32 {
            break;
        }
        series[periods as usize - 1 - k as usize] += e;
    }
    let active_periods = series.iter().filter(|&&e| e > 0).count() as u32;
    let streak = series.iter().rev().take_while(|&&e| e > 0).count() as u32;
    Continuity {
        period_days,
        active_periods,
        ratio: f64::from(active_periods) / f64::from(periods),
        streak,
        days_since_last: last_energy.map(|d| (t - d) as u32),
        slope: slope(&series),
        series,
    }
}

/// Least-squares slope of `ys` against 0..n−1, computed in exact integers then divided once, so
/// every platform gets the same bits.
pub(crate) fn slope(ys: &[u64]) -> f64 {
    let n = ys.len() as i128;
    if n < 2 {
        return 0.0;
    }
    let (mut sx, mut sy, mut sxy, mut sxx) = (0i128, 0i128, 0i128, 0i128);
    for (x, &y) in ys.iter().enumerate() {
        let (x, y) = (x as i128, i128::from(y));
        sx += x;
        sy += y;
        sxy += x * y;
        sxx += x * x;
    }
    (n * sxy - sx * sy) as f64 / (n * sxx - sx * sx) as f64
}

/// Sums of the older and newer halves of the series (the middle period of an odd count is in
/// neither).
pub(crate) fn halves(series: &[u64]) -> (u64, u64) {
    let h = series.len() / 2;
    (series[..h].iter().sum(), series[series.len() - h..].iter().sum())
}

/// What the signals are computed from.
#[derive(Debug)]
pub(crate) struct SignalInputs<'a> {
    pub continuity: &'a Continuity,
    pub stale_days: u32,
    /// The top role's id and the last day one of its contacts was in an energy-bearing activity.
    pub top_role: Option<(&'a str, i32)>,
    pub window_days: u32,
    pub people: &'a [compact_str::CompactString],
    pub coverage: Option<f64>,
    pub missing_steps: usize,
    pub first_day: Option<i32>,
    pub as_of: Date,
}

pub(crate) fn signals(s: &SignalInputs<'_>) -> Vec<Signal> {
    let t = s.as_of.days_since_epoch();
    let c = s.continuity;
    let mut out = Vec::new();
    if c.days_since_last.is_none_or(|d| d >= s.stale_days) {
        out.push(Signal::NoEnergy { days_since_last: c.days_since_last, stale_days: s.stale_days });
    }
    let (older, newer) = halves(&c.series);
    if c.slope < 0.0 && newer < older {
        out.push(Signal::Declining { slope: c.slope, older, newer });
    }
    if let Some((role, last)) = s.top_role
        && t - last >= s.window_days as i32
    {
        let last_seen = s.as_of.add_days(last - t).expect("a day of an input date");
        out.push(Signal::TopRoleAbsent { role: role.into(), last_seen });
    }
    if let [person] = s.people {
        out.push(Signal::SingleThreaded { person: person.clone() });
    }
    if let (Some(coverage), Some(first)) = (s.coverage, s.first_day)
        && coverage < 0.5
        && t - first >= s.window_days as i32
    {
        out.push(Signal::RouteGap { coverage, missing: s.missing_steps as u32 });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_line() {
        assert_eq!(slope(&[1, 2, 3, 4]), 1.0);
        assert_eq!(slope(&[4, 2, 0]), -2.0);
        assert_eq!(slope(&[7]), 0.0);
    }

    #[test]
    fn period_boundaries() {
        let t: Date = "2026-01-15".parse().unwrap();
        let d = |s: &str| s.parse::<Date>().unwrap().days_since_epoch();
        // T and T−6 are in period 0; T−7 in period 1; T−14 in period 2 (beyond 2 periods).
        let days = [(d("2026-01-01"), 5), (d("2026-01-08"), 3), (d("2026-01-09"), 2), (d("2026-01-15"), 1)];
        let c = continuity(&days, t, 7, 2, Some(d("2026-01-15")));
        assert_eq!(c.series, vec![3, 3]);
        assert_eq!(c.streak, 2);
        assert_eq!(c.days_since_last, Some(0));
    }
}
