//! Quality (商談クオリティ): replaying the maintainer's checkbox events as of a date.

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::Deal;
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::score::report::QualitySummary;

/// The standalone quality result: the summary plus the score after each replayed event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualityReport {
    pub deal: CompactString,
    pub as_of: Date,
    pub score: f64,
    pub grade: Option<CompactString>,
    pub checked: Vec<CompactString>,
    pub unchecked: Vec<CompactString>,
    pub needs_review: bool,
    pub history: Vec<QualityStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualityStep {
    pub date: Date,
    pub indicator: CompactString,
    pub checked: bool,
    pub by: CompactString,
    pub score: f64,
}

/// Replays `deal`'s quality events as of `as_of`. `None` when the model has no indicators.
pub fn quality(models: &ModelSet, deal: &Deal, as_of: Date) -> Result<Option<QualityReport>> {
    let m = models.for_deal(&deal.id, deal.model.as_deref())?;
    // The whole deal, as every other entry point checks it (an empty id is refused even when
    // the model has no indicators and the answer would be `null`).
    crate::score::check::check_deal(m, deal)?;
    Ok(replay(m, deal, as_of, true))
}

/// Validates every event (maintainer rule, known indicators) whatever its date.
pub(crate) fn check_events(m: &CompiledModel, deal: &Deal) -> Result<()> {
    for e in &deal.quality_events {
        if !m.indicators.contains_key(&e.indicator) {
            return Err(Error::UnknownIndicator { deal: deal.id.clone(), indicator: e.indicator.clone() });
        }
        if let Some(maintainer) = &deal.maintainer
            && &e.by != maintainer
        {
            return Err(Error::NotMaintainer {
                deal: deal.id.clone(),
                by: e.by.clone(),
                maintainer: maintainer.clone(),
            });
        }
    }
    Ok(())
}

/// The summary inside a deal report; the deal's events were checked when it entered the scorer.
pub(crate) fn summary(m: &CompiledModel, deal: &Deal, as_of: Date) -> Option<QualitySummary> {
    replay(m, deal, as_of, false).map(|r| QualitySummary {
        score: r.score,
        grade: r.grade,
        checked: r.checked,
        unchecked: r.unchecked,
        needs_review: r.needs_review,
    })
}

fn replay(m: &CompiledModel, deal: &Deal, as_of: Date, with_history: bool) -> Option<QualityReport> {
    let q = &m.model.quality;
    if q.indicators.is_empty() {
        return None;
    }
    // (date, position) order: a stable sort by date keeps positions.
    let mut events: Vec<_> = deal.quality_events.iter().filter(|e| e.date <= as_of).collect();
    events.sort_by_key(|e| e.date);
    let total: u64 = q.indicators.iter().map(|i| u64::from(i.weight)).sum();
    let mut checked = vec![false; q.indicators.len()];
    let mut history = Vec::new();
    let score_of = |checked: &[bool]| -> f64 {
        if total == 0 {
            return 0.0;
        }
        let sum: u64 = q.indicators.iter().zip(checked).filter(|(_, c)| **c).map(|(i, _)| u64::from(i.weight)).sum();
        sum as f64 / total as f64
    };
    for e in &events {
        checked[m.indicators[&e.indicator]] = e.checked;
        if with_history {
            history.push(QualityStep {
                date: e.date,
                indicator: e.indicator.as_str().into(),
                checked: e.checked,
                by: e.by.as_str().into(),
                score: score_of(&checked),
            });
        }
    }
    let score = score_of(&checked);
    let needs_review = events.last().is_none_or(|e| as_of.days_after(e.date) > q.review_days as i32);
    let ids = |want: bool| -> Vec<CompactString> {
        q.indicators.iter().zip(&checked).filter(|(_, c)| **c == want).map(|(i, _)| i.id.as_str().into()).collect()
    };
    Some(QualityReport {
        deal: deal.id.as_str().into(),
        as_of,
        score,
        grade: q.grades.iter().find(|g| g.min <= score).map(|g| g.grade.as_str().into()),
        checked: ids(true),
        unchecked: ids(false),
        needs_review,
        history,
    })
}
