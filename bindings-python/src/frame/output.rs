//! The result: one row per deal, one column per scalar metric.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{Field, Schema};
use dealscore::{Date, DealReport};

use super::bad;
use crate::error::{Error, Result};

/// One row per deal, one column per scalar metric (documented in docs/python.md).
pub fn output(reports: &[DealReport]) -> Result<RecordBatch> {
    let n = reports.len();
    let text = || StringBuilder::with_capacity(n, n * 8);
    let int = || Int64Builder::with_capacity(n);
    let float = || Float64Builder::with_capacity(n);
    let (mut deal, mut top_role, mut grade, mut status) = (text(), text(), text(), text());
    let (mut total, mut people, mut roles, mut departments) = (int(), int(), int(), int());
    let (mut active_periods, mut streak, mut days_since_last, mut future_ignored) = (int(), int(), int(), int());
    let (mut decayed, mut route_coverage, mut breadth, mut continuity, mut slope, mut quality) =
        (float(), float(), float(), float(), float(), float());
    let mut needs_review = BooleanBuilder::with_capacity(n);
    let mut signals = ListBuilder::new(StringBuilder::new());
    let mut last_contact = Date32Builder::with_capacity(n);
    let int64 = |v: u64, what: &str| {
        i64::try_from(v).map_err(|_| {
            Error::from(dealscore::Error::LimitExceeded { what: what.to_owned(), limit: i64::MAX as usize })
        })
    };
    for r in reports {
        deal.append_value(&r.deal);
        total.append_value(int64(r.energy.total, "an energy total")?);
        decayed.append_value(r.energy.decayed);
        people.append_value(r.breadth.people.len() as i64);
        roles.append_value(r.breadth.roles.len() as i64);
        departments.append_value(r.breadth.departments.len() as i64);
        top_role.append_option(r.breadth.top_role.as_deref());
        route_coverage.append_option(r.breadth.route.coverage);
        breadth.append_value(r.breadth.score);
        active_periods.append_value(i64::from(r.continuity.active_periods));
        continuity.append_value(r.continuity.ratio);
        streak.append_value(i64::from(r.continuity.streak));
        days_since_last.append_option(r.continuity.days_since_last.map(i64::from));
        slope.append_value(r.continuity.slope);
        quality.append_option(r.quality.as_ref().map(|q| q.score));
        grade.append_option(r.quality.as_ref().and_then(|q| q.grade.as_deref()));
        needs_review.append_option(r.quality.as_ref().map(|q| q.needs_review));
        status.append_value(&r.status);
        for s in &r.signals {
            signals.values().append_value(signal_kind(s));
        }
        signals.append(true);
        last_contact.append_option(r.last_contact.map(Date::days_since_epoch));
        future_ignored.append_value(int64(r.future_ignored, "future_ignored")?);
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("deal", Arc::new(deal.finish())),
        ("total", Arc::new(total.finish())),
        ("decayed", Arc::new(decayed.finish())),
        ("people", Arc::new(people.finish())),
        ("roles", Arc::new(roles.finish())),
        ("departments", Arc::new(departments.finish())),
        ("top_role", Arc::new(top_role.finish())),
        ("route_coverage", Arc::new(route_coverage.finish())),
        ("breadth", Arc::new(breadth.finish())),
        ("active_periods", Arc::new(active_periods.finish())),
        ("continuity", Arc::new(continuity.finish())),
        ("streak", Arc::new(streak.finish())),
        ("days_since_last", Arc::new(days_since_last.finish())),
        ("slope", Arc::new(slope.finish())),
        ("quality", Arc::new(quality.finish())),
        ("grade", Arc::new(grade.finish())),
        ("needs_review", Arc::new(needs_review.finish())),
        ("status", Arc::new(status.finish())),
        ("signals", Arc::new(signals.finish())),
        ("last_contact", Arc::new(last_contact.finish())),
        ("future_ignored", Arc::new(future_ignored.finish())),
    ];
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, a)| Field::new(*name, a.data_type().clone(), !matches!(*name, "deal" | "status")))
        .collect();
    let arrays = columns.into_iter().map(|(_, a)| a).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| bad("$", e.to_string()))
}

/// A signal's `kind`, exactly as the core serialises it.
fn signal_kind(s: &dealscore::Signal) -> String {
    match serde_json::to_value(s) {
        Ok(serde_json::Value::Object(mut o)) => match o.remove("kind") {
            Some(serde_json::Value::String(kind)) => kind,
            _ => String::new(),
        },
        _ => String::new(),
    }
}
