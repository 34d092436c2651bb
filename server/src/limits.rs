//! Item-count and string-length limits on parsed requests (the byte limit is applied while the
//! body is read). Errors name the path of the culprit, like the core's parse errors.

use dealscore::api::{
    BacktestRequest, FitRequest, NextStepsRequest, QaRequest, QualityRequest, ReportRequest, ScoreRequest,
    ScorecardRequest, TableJson,
};
use dealscore::{Activity, Deal};
use serde_json::Value;

use crate::config::Limits;
use crate::error::ApiError;

type Checked = Result<(), ApiError>;

/// A path built only when an error needs it, so checking a valid request allocates nothing.
type Path<'a> = &'a dyn Fn() -> String;

/// Longest continuity period accepted in an inline model, in days (a century).
pub(crate) const MAX_PERIOD_DAYS: u64 = 36_500;

/// A request whose sizes can be checked against [`Limits`].
pub(crate) trait Bounded {
    fn check(&self, limits: &Limits) -> Checked;
    /// True when the request carries its own model.
    fn has_model(&self) -> bool;
    /// True when the work is not bounded by the body's size (a fit's search): such a request
    /// is always computed on the blocking pool, however small its body.
    fn unbounded(&self) -> bool {
        false
    }
}

impl Bounded for ScoreRequest {
    fn check(&self, limits: &Limits) -> Checked {
        Check(limits).batch(self.model.as_ref(), &self.deals, &self.activities)
    }

    fn has_model(&self) -> bool {
        self.model.is_some()
    }
}

/// The same bounds as a score request: the deals and activities are the same lists.
impl Bounded for BacktestRequest {
    fn check(&self, limits: &Limits) -> Checked {
        Check(limits).batch(self.model.as_ref(), &self.deals, &self.activities)
    }

    fn has_model(&self) -> bool {
        self.model.is_some()
    }
}

/// The same bounds as a score request; the options are a few numbers and dates.
impl Bounded for FitRequest {
    fn check(&self, limits: &Limits) -> Checked {
        let c = Check(limits);
        c.batch(self.model.as_ref(), &self.deals, &self.activities)?;
        c.opt(self.options.model.as_deref(), &|| "options.model".into())
    }

    fn has_model(&self) -> bool {
        self.model.is_some()
    }

    fn unbounded(&self) -> bool {
        true
    }
}

/// A score request's bounds for the deals and the history, and an activity's for the report.
impl Bounded for ReportRequest {
    fn check(&self, limits: &Limits) -> Checked {
        let c = Check(limits);
        c.batch(self.model.as_ref(), &self.deals, &self.activities)?;
        c.opt(self.deal.as_deref(), &|| "deal".into())?;
        c.activity(&|| "report".into(), &self.report)
    }

    fn has_model(&self) -> bool {
        self.model.is_some()
    }
}

/// A table's rows count like activities (each is one record), its columns like a list's items.
impl Bounded for ScorecardRequest {
    fn check(&self, limits: &Limits) -> Checked {
        let c = Check(limits);
        c.table(&self.table, self.labels.len(), "")?;
        match &self.test {
            Some(t) => c.table(&t.table, t.labels.len(), "test."),
            None => Ok(()),
        }
    }

    fn has_model(&self) -> bool {
        false
    }

    fn unbounded(&self) -> bool {
        true
    }
}

impl Bounded for QualityRequest {
    fn check(&self, limits: &Limits) -> Checked {
        let c = Check(limits);
        c.model(self.model.as_ref())?;
        c.deal(&|| "deal".into(), &self.deal)
    }

    fn has_model(&self) -> bool {
        self.model.is_some()
    }
}

impl Bounded for NextStepsRequest {
    fn check(&self, limits: &Limits) -> Checked {
        let c = Check(limits);
        c.model(self.model.as_ref())?;
        c.deal(&|| "deal".into(), &self.deal)?;
        c.strings(&self.done, &|| "done".into())
    }

    fn has_model(&self) -> bool {
        self.model.is_some()
    }
}

impl Bounded for QaRequest {
    fn check(&self, limits: &Limits) -> Checked {
        let c = Check(limits);
        c.str(&self.question, &|| "question".into())?;
        c.opt(self.stage.as_deref(), &|| "stage".into())?;
        self.deal.as_ref().map_or(Ok(()), |d| c.deal(&|| "deal".into(), d))
    }

    fn has_model(&self) -> bool {
        false
    }
}

impl Limits {
    /// Checks the continuity window of a model or model set (as JSON): its size sets the memory
    /// every deal report takes, so an unbounded one is a memory bomb. Inline models get this and
    /// every other limit; a server's own model (`dealscore serve --model`) gets this one.
    pub fn check_model(&self, model: &Value) -> Result<(), ApiError> {
        Check(self).continuity(model)
    }
}

pub(crate) struct Check<'a>(pub &'a Limits);

impl Check<'_> {
    /// An inline model, the deals and the activities of a batch request.
    fn batch(&self, model: Option<&Value>, deals: &[Deal], activities: &[Activity]) -> Checked {
        self.model(model)?;
        Check::len(deals.len(), self.0.max_deals, &|| "deals".into())?;
        for (i, d) in deals.iter().enumerate() {
            self.deal(&|| format!("deals[{i}]"), d)?;
        }
        Check::len(activities.len(), self.0.max_activities, &|| "activities".into())?;
        for (i, a) in activities.iter().enumerate() {
            self.activity(&|| format!("activities[{i}]"), a)?;
        }
        Ok(())
    }

    pub(crate) fn len(len: usize, max: usize, path: Path) -> Checked {
        if len > max {
            let path = path();
            return Err(ApiError::limit(&path, format!("{path} has {len} items, more than the limit of {max}")));
        }
        Ok(())
    }

    pub(crate) fn str(&self, s: &str, path: Path) -> Checked {
        let max = self.0.max_string_bytes;
        if s.len() > max {
            let path = path();
            return Err(ApiError::limit(
                &path,
                format!("{path} is {} bytes long, more than the limit of {max}", s.len()),
            ));
        }
        Ok(())
    }

    fn opt(&self, s: Option<&str>, path: Path) -> Checked {
        s.map_or(Ok(()), |s| self.str(s, path))
    }

    fn table(&self, table: &TableJson, labels: usize, prefix: &str) -> Checked {
        self.strings(&table.columns, &|| format!("{prefix}table.columns"))?;
        Check::len(table.rows.len(), self.0.max_activities, &|| format!("{prefix}table.rows"))?;
        for (i, row) in table.rows.iter().enumerate() {
            Check::len(row.len(), self.0.max_items, &|| format!("{prefix}table.rows[{i}]"))?;
        }
        Check::len(labels, self.0.max_activities, &|| format!("{prefix}labels"))
    }

    pub(crate) fn strings<S: AsRef<str>>(&self, items: &[S], path: Path) -> Checked {
        Check::len(items.len(), self.0.max_items, path)?;
        for (i, s) in items.iter().enumerate() {
            self.str(s.as_ref(), &|| format!("{}[{i}]", path()))?;
        }
        Ok(())
    }

    fn activity(&self, p: Path, a: &Activity) -> Checked {
        self.str(&a.id, &|| format!("{}.id", p()))?;
        self.str(&a.deal, &|| format!("{}.deal", p()))?;
        self.strings(&a.actions, &|| format!("{}.actions", p()))?;
        Check::len(a.contacts.len(), self.0.max_items, &|| format!("{}.contacts", p()))?;
        for (i, c) in a.contacts.iter().enumerate() {
            let q = || format!("{}.contacts[{i}]", p());
            self.opt(c.person.as_deref(), &|| format!("{}.person", q()))?;
            self.opt(c.role.as_deref(), &|| format!("{}.role", q()))?;
            self.opt(c.title.as_deref(), &|| format!("{}.title", q()))?;
            self.opt(c.department.as_deref(), &|| format!("{}.department", q()))?;
        }
        self.opt(a.reporter.as_deref(), &|| format!("{}.reporter", p()))?;
        self.opt(a.note.as_deref(), &|| format!("{}.note", p()))
    }

    pub(crate) fn deal(&self, p: Path, d: &Deal) -> Checked {
        self.str(&d.id, &|| format!("{}.id", p()))?;
        self.opt(d.customer.as_deref(), &|| format!("{}.customer", p()))?;
        self.opt(d.model.as_deref(), &|| format!("{}.model", p()))?;
        self.opt(d.stage.as_deref(), &|| format!("{}.stage", p()))?;
        Check::len(d.route.len(), self.0.max_items, &|| format!("{}.route", p()))?;
        for (i, s) in d.route.iter().enumerate() {
            let q = || format!("{}.route[{i}]", p());
            self.opt(s.role.as_deref(), &|| format!("{}.role", q()))?;
            self.opt(s.department.as_deref(), &|| format!("{}.department", q()))?;
            self.opt(s.person.as_deref(), &|| format!("{}.person", q()))?;
        }
        Check::len(d.members.len(), self.0.max_items, &|| format!("{}.members", p()))?;
        for (i, m) in d.members.iter().enumerate() {
            let q = || format!("{}.members[{i}]", p());
            self.str(&m.user, &|| format!("{}.user", q()))?;
            self.opt(m.role.as_deref(), &|| format!("{}.role", q()))?;
            self.strings(&m.skills, &|| format!("{}.skills", q()))?;
        }
        self.opt(d.maintainer.as_deref(), &|| format!("{}.maintainer", p()))?;
        Check::len(d.quality_events.len(), self.0.max_items, &|| format!("{}.quality_events", p()))?;
        for (i, e) in d.quality_events.iter().enumerate() {
            let q = || format!("{}.quality_events[{i}]", p());
            self.str(&e.indicator, &|| format!("{}.indicator", q()))?;
            self.str(&e.by, &|| format!("{}.by", q()))?;
            self.opt(e.reason.as_deref(), &|| format!("{}.reason", q()))?;
        }
        Ok(())
    }

    pub(crate) fn model(&self, model: Option<&Value>) -> Checked {
        let Some(model) = model else { return Ok(()) };
        self.value(model, &|| "model".into())?;
        self.continuity(model)
    }

    /// The continuity window sizes every report's series: an unbounded one is a memory bomb.
    fn continuity(&self, model: &Value) -> Checked {
        let check = |m: &Value, p: &dyn Fn() -> String| -> Checked {
            let field = |name: &str| m.get("continuity").and_then(|c| c.get(name)).and_then(Value::as_u64);
            if let Some(n) = field("periods") {
                let max = self.0.max_items as u64;
                if n > max {
                    return Err(ApiError::limit(
                        format!("{}.continuity.periods", p()),
                        format!("more than {max} continuity periods"),
                    ));
                }
            }
            if let Some(n) = field("period_days")
                && n > MAX_PERIOD_DAYS
            {
                return Err(ApiError::limit(
                    format!("{}.continuity.period_days", p()),
                    format!("continuity periods longer than {MAX_PERIOD_DAYS} days"),
                ));
            }
            Ok(())
        };
        match model.get("models").and_then(Value::as_object) {
            Some(set) => set.iter().try_for_each(|(name, m)| check(m, &|| format!("model.models.{name}"))),
            None => check(model, &|| "model".into()),
        }
    }

    /// Any JSON value: every string, key, array and object within the limits. The parser's depth
    /// limit (128) bounds the recursion.
    fn value(&self, v: &Value, p: Path) -> Checked {
        match v {
            Value::String(s) => self.str(s, p),
            Value::Array(items) => {
                Check::len(items.len(), self.0.max_items, p)?;
                items.iter().enumerate().try_for_each(|(i, item)| self.value(item, &|| format!("{}[{i}]", p())))
            }
            Value::Object(map) => {
                Check::len(map.len(), self.0.max_items, p)?;
                for (k, item) in map {
                    let q = || format!("{}.{k}", p());
                    self.str(k, &q)?;
                    self.value(item, &q)?;
                }
                Ok(())
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Limits {
        Limits { max_activities: 2, max_deals: 1, max_items: 3, max_string_bytes: 8, ..Limits::default() }
    }

    fn request(json: &str) -> ScoreRequest {
        dealscore::from_json(json).unwrap()
    }

    #[test]
    fn counts_and_lengths_name_the_path() {
        let r = request(
            r#"{"as_of":"2026-01-01","activities":[{"id":"a","deal":"d","date":"2026-01-01","contacts":[{"person":"123456789"}]}]}"#,
        );
        let e = r.check(&small()).unwrap_err();
        assert_eq!(e.body.path.as_deref(), Some("activities[0].contacts[0].person"));
        assert_eq!(e.body.code, "limit_exceeded");

        let r = request(r#"{"as_of":"2026-01-01","deals":[{"id":"a"},{"id":"b"}]}"#);
        assert_eq!(r.check(&small()).unwrap_err().body.path.as_deref(), Some("deals"));

        let r = request(r#"{"as_of":"2026-01-01","model":{"a":[1,2,3,4]}}"#);
        assert_eq!(r.check(&small()).unwrap_err().body.path.as_deref(), Some("model.a"));

        let r = request(
            r#"{"as_of":"2026-01-01","activities":[{"id":"a","deal":"d","date":"2026-01-01","actions":["x","y"]}]}"#,
        );
        assert!(r.check(&small()).is_ok());

        let wide = Limits { max_string_bytes: 64, ..small() };
        let r = request(r#"{"as_of":"2026-01-01","model":{"continuity":{"periods":4}}}"#);
        assert_eq!(r.check(&wide).unwrap_err().body.path.as_deref(), Some("model.continuity.periods"));
        let r = request(r#"{"as_of":"2026-01-01","model":{"models":{"a":{"continuity":{"period_days":40000}}}}}"#);
        assert_eq!(r.check(&wide).unwrap_err().body.path.as_deref(), Some("model.models.a.continuity.period_days"));
    }
}
