//! The stale list (未接触リスト): deals with no contact, or no energy, for N days.

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::score::check::stale_days;
use crate::score::fold::Finished;

/// What counts as contact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaleBasis {
    /// Any activity report.
    #[default]
    Contact,
    /// Only energy-bearing activities (the customer did something).
    Energy,
}

/// Options of [`stale`](crate::stale).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct StaleOptions {
    /// Threshold in days for every deal; by default each deal's stage `stale_days`, else the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default)]
    pub basis: StaleBasis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StaleReport {
    pub as_of: Date,
    pub basis: StaleBasis,
    /// Stale deals left out because they are snoozed.
    pub snoozed: u32,
    pub deals: Vec<StaleRow>,
}

/// One stale deal with what a manager drills into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StaleRow {
    pub deal: CompactString,
    pub last_date: Option<Date>,
    pub days_since: Option<u32>,
    pub stale_days: u32,
    pub total: u64,
    pub breadth: f64,
    pub continuity: f64,
    pub quality: Option<f64>,
    pub grade: Option<CompactString>,
    pub status: CompactString,
}

/// The stale list of folded deals (see [`crate::stale`]).
pub(crate) fn stale_rows(as_of: Date, scored: Vec<Finished<'_>>, options: StaleOptions) -> StaleReport {
    let t = as_of.days_since_epoch();
    let mut snoozed = 0;
    let mut rows = Vec::new();
    for Finished { deal, report, last, model } in scored {
        // Nobody should chase a deal already won or lost (OUTCOMES.md §1).
        if deal.closed().is_some_and(|(_, on)| on <= as_of) {
            continue;
        }
        let threshold = options.days.unwrap_or_else(|| stale_days(&model, &deal));
        let last = match options.basis {
            StaleBasis::Contact => last.any,
            StaleBasis::Energy => last.energy,
        };
        let days_since = last.map(|d| (t - d) as u32);
        if days_since.is_some_and(|d| d < threshold) {
            continue;
        }
        if deal.snoozed_until.is_some_and(|until| until >= as_of) {
            snoozed += 1;
            continue;
        }
        let r = report;
        rows.push(StaleRow {
            deal: r.deal,
            last_date: last.map(|d| as_of.add_days(d - t).expect("a day of an input date")),
            days_since,
            stale_days: threshold,
            total: r.energy.total,
            breadth: r.breadth.score,
            continuity: r.continuity.ratio,
            quality: r.quality.as_ref().map(|q| q.score),
            grade: r.quality.and_then(|q| q.grade),
            status: r.status,
        });
    }
    // One row per deal: the deal id makes the order total.
    crate::util::sort::sort_unstable_by(&mut rows, |a, b| {
        let key = |r: &StaleRow| (r.days_since.is_some(), std::cmp::Reverse(r.days_since));
        key(a).cmp(&key(b)).then_with(|| a.deal.cmp(&b.deal))
    });
    StaleReport { as_of, basis: options.basis, snoozed, deals: rows }
}

crate::model::parse::objects_only! {
    StaleOptions => "stale options (a JSON object)",
}
