//! Activities checked one at a time without being scored, for front ends that must name the line
//! of a bad activity before an operation that needs the whole input (explain, backtest).

use std::borrow::Cow;

use rustc_hash::FxHashSet;

use crate::error::{Error, Result};
use crate::ingest::deals::DealTable;
use crate::ingest::stream::id_key;
use crate::input::{Activity, Deal};
use crate::model::compiled::ModelSet;
use crate::score::check::check_ids;
use crate::score::rows::{Names, RowBuilder};

/// Checks activities as [`StreamScorer::push`](crate::StreamScorer::push) does — the same
/// errors in the same order — without folding them: pass each one as it is read, then hand the
/// accepted ones to a whole-input operation, knowing which line a failure came from.
///
/// ```
/// use dealscore::{ActivityCheck, Activity, ModelSet};
/// let models = ModelSet::embedded();
/// let mut check = ActivityCheck::new(&models, &[]).unwrap();
/// let a: Activity = dealscore::from_json(r#"{"id": "a1", "deal": "D-1", "date": "2026-11-20",
///     "actions": ["visited_us"], "contacts": []}"#).unwrap();
/// check.check(&a).unwrap();
/// assert_eq!(check.check(&a).unwrap_err().code(), "duplicate_activity");
/// ```
#[derive(Debug)]
pub struct ActivityCheck<'d> {
    models: ModelSet,
    deals: DealTable<'d>,
    names: Names,
    rows: RowBuilder,
    seen: FxHashSet<u128>,
}

impl<'d> ActivityCheck<'d> {
    /// A check against `deals` (checked here, as a scorer checks them).
    pub fn new(models: &ModelSet, deals: &'d [Deal]) -> Result<ActivityCheck<'d>> {
        Ok(ActivityCheck {
            models: models.clone(),
            deals: DealTable::new(models, deals.iter().map(Cow::Borrowed).collect())?,
            names: Names::default(),
            rows: RowBuilder::default(),
            seen: FxHashSet::default(),
        })
    }

    /// Checks one activity: ids, a repeated id, its deal's model, its actions and contacts.
    pub fn check(&mut self, a: &Activity) -> Result<()> {
        check_ids(a, "activity")?;
        let key = id_key(&a.id);
        if self.seen.contains(&key) {
            return Err(Error::DuplicateActivity { activity: a.id.to_string() });
        }
        let (known, m) = self.deals.find(&self.models, &a.deal)?;
        self.rows.build(m, a, &mut self.names)?;
        if known.is_none() {
            self.deals.add_bare(&self.models, &a.deal)?;
        }
        self.seen.insert(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StreamScorer;

    #[test]
    fn fails_as_a_stream_push_fails() {
        let models = ModelSet::embedded();
        let deals: Vec<Deal> = crate::from_json(r#"[{"id": "D-1"}, {"id": "D-2"}]"#).unwrap();
        let acts: Vec<Activity> = crate::from_json(
            r#"[{"id": "a1", "deal": "D-1", "date": "2026-11-20", "actions": ["visited_us"], "contacts": []},
                {"id": "a1", "deal": "D-3", "date": "2026-11-20", "actions": [], "contacts": []},
                {"id": "", "deal": "D-1", "date": "2026-11-20", "actions": [], "contacts": []},
                {"id": "a2", "deal": "", "date": "2026-11-20", "actions": [], "contacts": []},
                {"id": "a3", "deal": "D-1", "date": "2026-11-20", "actions": ["flew_to_mars"], "contacts": []},
                {"id": "a4", "deal": "D-4", "date": "2026-11-20", "actions": [],
                 "contacts": [{"person": "x", "role": "astronaut"}]},
                {"id": "a5", "deal": "D-4", "date": "2026-11-20", "actions": ["asked_question"], "contacts": []},
                {"id": "a5", "deal": "D-4", "date": "2026-11-21", "actions": [], "contacts": []}]"#,
        )
        .unwrap();
        let mut check = ActivityCheck::new(&models, &deals).unwrap();
        let mut stream = StreamScorer::new(&models, deals.clone(), "2026-11-27".parse().unwrap()).unwrap();
        let mut codes = Vec::new();
        for a in &acts {
            let (c, s) = (check.check(a), stream.push(a));
            assert_eq!(c, s, "activity {:?}", a.id);
            codes.push(c.err().map(|e| e.code()));
        }
        assert_eq!(
            codes,
            [
                None,
                Some("duplicate_activity"),
                Some("empty_id"),
                Some("empty_id"),
                Some("unknown_action"),
                Some("unknown_role"),
                None,
                Some("duplicate_activity")
            ]
        );
    }
}
