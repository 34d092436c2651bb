//! Activities as columns whose text is coded: positions in one table of strings, the layout of
//! Arrow dictionary arrays, pandas categoricals, polars' `Categorical` and a CRM's own integer
//! keys. Scoring them resolves each distinct deal, action, title and name once, where
//! [`crate::score_all`] looks every string of every activity up.

use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{Activity, ActivityText, ContactRef};
use crate::model::compiled::CompiledModel;
use crate::score::rows::{ContactIds, NONE, Names, RowHead};

/// No value (null) in a coded column.
pub const NULL: u32 = u32::MAX;

/// Activities as columns, one row per activity, their text given as positions in `strings`.
///
/// Scored by [`score_columns`](crate::score_columns) (or pushed with
/// [`BatchScorer::push_columns`](crate::BatchScorer::push_columns)) exactly as
/// [`score_all`](crate::score_all) scores the same activities, reports and errors alike; only
/// faster, since a string is looked up once, not once per row. Columns hold no `note`.
///
/// ```
/// use dealscore::columns::{ActivityColumns, NULL, Texts};
/// use dealscore::{ModelSet, score_columns};
/// let strings = ["D-1", "visited_us", "佐藤", "部長"];
/// let cols = ActivityColumns {
///     strings: &strings,
///     ids: Texts { offsets: &[0, 2, 4], text: "a1a2" },
///     deal: &[0, 0],
///     date: &["2026-11-20".parse().unwrap(), "2026-11-21".parse().unwrap()],
///     action_offsets: &[0, 1, 1],
///     actions: &[1],
///     contact_offsets: &[0, 1, 2],
///     person: &[2, 2],
///     role: &[NULL, NULL],
///     title: &[3, 3],
///     department: &[NULL, NULL],
///     attendees: &[],
///     reporter: &[],
/// };
/// let reports = score_columns(&ModelSet::embedded(), &[], &cols, "2026-11-27".parse().unwrap()).unwrap();
/// assert_eq!(reports[0].energy.total, 40); // 来社 20 + 部長 10, then 部長 10 alone
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ActivityColumns<'a> {
    /// The text the coded columns refer to by position.
    pub strings: &'a [&'a str],
    /// Each row's activity id (not coded: ids are distinct).
    pub ids: Texts<'a>,
    /// Each row's deal (never [`NULL`]).
    pub deal: &'a [u32],
    pub date: &'a [Date],
    /// Row `i`'s actions are `actions[action_offsets[i]..action_offsets[i + 1]]` (never
    /// [`NULL`]); one offset more than rows.
    pub action_offsets: &'a [u32],
    pub actions: &'a [u32],
    /// Row `i`'s contacts are entries `contact_offsets[i]..contact_offsets[i + 1]` of the four
    /// contact columns, each of which may be [`NULL`]; one offset more than rows.
    pub contact_offsets: &'a [u32],
    pub person: &'a [u32],
    pub role: &'a [u32],
    pub title: &'a [u32],
    pub department: &'a [u32],
    /// Each row's number of attendees, or empty: every row's is its number of contacts.
    pub attendees: &'a [Option<u32>],
    /// Each row's reporter (may be [`NULL`]), or empty: no row has one.
    pub reporter: &'a [u32],
}

impl<'a> ActivityColumns<'a> {
    /// Checks the columns fit together (lengths, offsets, codes) and returns the number of rows.
    /// The error names the column and position: `columns.deal[17]`.
    pub fn check(&self) -> Result<usize> {
        let bad = |path: String, message: String| Err(Error::InvalidInput { path: format!("columns.{path}"), message });
        let Some(rows) = self.ids.offsets.len().checked_sub(1) else {
            return bad("ids.offsets".into(), "no offsets: one more than rows is needed, [0] for none".into());
        };
        for (name, len) in [("deal", self.deal.len()), ("date", self.date.len())] {
            if len != rows {
                return bad(name.into(), format!("{len} entries for {rows} ids"));
            }
        }
        for (name, len) in [("attendees", self.attendees.len()), ("reporter", self.reporter.len())] {
            if len != 0 && len != rows {
                return bad(name.into(), format!("{len} entries for {rows} ids (give one a row, or none)"));
            }
        }
        let contacts = self.person.len();
        for (name, len) in
            [("role", self.role.len()), ("title", self.title.len()), ("department", self.department.len())]
        {
            if len != contacts {
                return bad(name.into(), format!("{len} entries where person has {contacts}"));
            }
        }
        for (name, offsets, len) in [
            ("ids.offsets", self.ids.offsets, self.ids.text.len()),
            ("action_offsets", self.action_offsets, self.actions.len()),
            ("contact_offsets", self.contact_offsets, contacts),
        ] {
            if offsets.len() != rows + 1 {
                return bad(name.into(), format!("{} offsets for {rows} rows (one more than rows)", offsets.len()));
            }
            // Counted without an early exit, so the loop vectorises; the culprit is found after.
            let falls = |(a, b): (&u32, &u32)| a > b;
            if offsets.iter().zip(&offsets[1..]).filter(|&p| falls(p)).count() > 0 {
                let i = offsets.iter().zip(&offsets[1..]).position(falls).expect("a fall");
                return bad(format!("{name}[{}]", i + 1), "offsets must not decrease".into());
            }
            if offsets[rows] as usize > len {
                return bad(format!("{name}[{rows}]"), format!("offset {} is past the {len} entries", offsets[rows]));
            }
        }
        let text = self.ids.text;
        if let Some(i) = self.ids.offsets.iter().position(|&at| !text.is_char_boundary(at as usize)) {
            let at = self.ids.offsets[i];
            return bad(format!("ids.offsets[{i}]"), format!("{at} is not a character boundary of the text"));
        }
        let n = self.strings.len();
        // A code is valid below `limit`; a nullable one also at NULL, which `+ 1` wraps to 0.
        let limit = u32::try_from(n).unwrap_or(NULL);
        for (name, codes, nullable) in [
            ("deal", self.deal, false),
            ("actions", self.actions, false),
            ("person", self.person, true),
            ("role", self.role, true),
            ("title", self.title, true),
            ("department", self.department, true),
            ("reporter", self.reporter, true),
        ] {
            let invalid = |&c: &u32| if nullable { c.wrapping_add(1) > limit } else { c >= limit };
            if codes.iter().filter(|&c| invalid(c)).count() > 0 {
                let i = codes.iter().position(invalid).expect("an invalid code");
                let what = if codes[i] == NULL {
                    "null is not allowed here".into()
                } else {
                    format!("code {} is past the {n} strings", codes[i])
                };
                return bad(format!("{name}[{i}]"), what);
            }
        }
        Ok(rows)
    }

    /// Row `i` (of checked columns) as an activity whose text is looked up.
    pub(crate) fn row(&self, i: usize) -> Row<'_, 'a> {
        Row { cols: self, i }
    }

    fn text(&self, code: u32) -> Option<&'a str> {
        (code != NULL).then(|| self.strings[code as usize])
    }

    fn span(offsets: &[u32], i: usize) -> std::ops::Range<usize> {
        offsets[i] as usize..offsets[i + 1] as usize
    }
}

/// Strings back to back, as Arrow lays out a string column: string `i` is
/// `text[offsets[i]..offsets[i + 1]]`, so there is one offset more than strings.
#[derive(Debug, Clone, Copy)]
pub struct Texts<'a> {
    pub offsets: &'a [u32],
    pub text: &'a str,
}

impl<'a> Texts<'a> {
    /// String `i`, of offsets checked by [`ActivityColumns::check`].
    pub(crate) fn get(&self, i: usize) -> &'a str {
        &self.text[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

/// One row of [`ActivityColumns`], read as an activity.
pub(crate) struct Row<'c, 'a> {
    cols: &'c ActivityColumns<'a>,
    i: usize,
}

impl ActivityText for Row<'_, '_> {
    fn id(&self) -> &str {
        self.cols.ids.get(self.i)
    }

    fn deal(&self) -> &str {
        self.cols.strings[self.cols.deal[self.i] as usize]
    }

    fn date(&self) -> Date {
        self.cols.date[self.i]
    }

    fn actions(&self) -> impl ExactSizeIterator<Item = &str> {
        let c = self.cols;
        c.actions[ActivityColumns::span(c.action_offsets, self.i)].iter().map(|&a| c.strings[a as usize])
    }

    fn contacts(&self) -> impl ExactSizeIterator<Item = ContactRef<'_>> {
        let c = self.cols;
        ActivityColumns::span(c.contact_offsets, self.i).map(|j| ContactRef {
            person: c.text(c.person[j]),
            role: c.text(c.role[j]),
            title: c.text(c.title[j]),
            department: c.text(c.department[j]),
        })
    }

    fn attendees(&self) -> Option<u32> {
        self.cols.attendees.get(self.i).copied().flatten()
    }

    fn reporter(&self) -> Option<&str> {
        self.cols.reporter.get(self.i).and_then(|&r| self.cols.text(r))
    }
}

/// Not yet resolved (a code's first sight), in the caches below.
const UNSEEN: u32 = u32::MAX;
/// A title that maps to no role.
const UNMAPPED: u32 = u32::MAX - 1;

/// What each code resolved to, learnt from the first row that used it (which took the ordinary,
/// checked path): deal positions and interned names for any model, action and role indices per
/// model. A row whose codes are all learnt resolves without looking a string up.
#[derive(Debug)]
pub(crate) struct CodeCache {
    deal: Vec<u32>,
    name: Vec<u32>,
    models: Vec<(Arc<CompiledModel>, ModelCodes)>,
    /// The distinct actions and the contacts of the row last built.
    pub actions: Vec<u16>,
    pub contacts: Vec<ContactIds>,
}

#[derive(Debug)]
struct ModelCodes {
    action: Vec<u32>,
    role: Vec<u32>,
    title: Vec<u32>,
}

impl CodeCache {
    pub fn new(strings: usize) -> Self {
        CodeCache {
            deal: vec![UNSEEN; strings],
            name: vec![UNSEEN; strings],
            models: Vec::new(),
            actions: Vec::new(),
            contacts: Vec::new(),
        }
    }

    /// The position of deal `code` among the scorer's deals, once learnt.
    pub fn deal(&self, code: u32) -> Option<usize> {
        let d = self.deal[code as usize];
        (d != UNSEEN).then_some(d as usize)
    }

    fn name(&self, code: u32) -> Option<u32> {
        if code == NULL {
            return Some(NONE);
        }
        let n = self.name[code as usize];
        (n != UNSEEN).then_some(n)
    }

    /// Row `i` resolved as [`crate::score::rows::RowBuilder::build`] resolves it, into the head returned
    /// and `actions` and `contacts`; `None` when a code is not learnt yet.
    pub fn build(&mut self, m: &Arc<CompiledModel>, cols: &ActivityColumns<'_>, i: usize) -> Option<RowHead> {
        let codes = &self.models.iter().find(|(k, _)| Arc::ptr_eq(k, m))?.1;
        self.actions.clear();
        self.contacts.clear();
        let mut top: Option<u16> = None;
        let contacts = ActivityColumns::span(cols.contact_offsets, i);
        let met = contacts.len();
        for j in contacts {
            // A role id wins over the title; a title that maps to nothing is kept by name.
            let (role, unmapped_title) = match (cols.role[j], cols.title[j]) {
                (NULL, NULL) => (None, NONE),
                (NULL, t) => match codes.title[t as usize] {
                    UNSEEN => return None,
                    UNMAPPED => (None, self.name(t)?),
                    r => (Some(r as u16), NONE),
                },
                (r, _) => match codes.role[r as usize] {
                    UNSEEN => return None,
                    r => (Some(r as u16), NONE),
                },
            };
            top = m.top_of(top, role);
            let (person, department) = (self.name(cols.person[j])?, self.name(cols.department[j])?);
            self.contacts.push(ContactIds { person, department, unmapped_title, role });
        }
        for &a in &cols.actions[ActivityColumns::span(cols.action_offsets, i)] {
            let idx = codes.action[a as usize];
            if idx == UNSEEN {
                return None;
            }
            if !self.actions.contains(&(idx as u16)) {
                self.actions.push(idx as u16);
            }
        }
        let attendees = cols.attendees.get(i).copied().flatten().unwrap_or(met as u32);
        Some(RowHead {
            day: cols.date[i].days_since_epoch(),
            base: RowHead::base(m.role_points(top), m.band(attendees)),
            reporter: self.name(cols.reporter.get(i).copied().unwrap_or(NULL))?,
            top,
        })
    }

    /// Learns the codes of row `i`, which the ordinary path has just accepted as an activity of
    /// deal `d`, of model `m`.
    pub fn learn(&mut self, m: &Arc<CompiledModel>, cols: &ActivityColumns<'_>, i: usize, d: usize, names: &mut Names) {
        self.deal[cols.deal[i] as usize] = d as u32;
        let at = match self.models.iter().position(|(k, _)| Arc::ptr_eq(k, m)) {
            Some(at) => at,
            None => {
                let n = self.name.len();
                let unseen = || vec![UNSEEN; n];
                self.models.push((Arc::clone(m), ModelCodes { action: unseen(), role: unseen(), title: unseen() }));
                self.models.len() - 1
            }
        };
        let codes = &mut self.models[at].1;
        let text = |code: u32| cols.strings[code as usize];
        let mut name = |code: u32| {
            if code != NULL {
                self.name[code as usize] = names.intern(text(code));
            }
        };
        for j in ActivityColumns::span(cols.contact_offsets, i) {
            name(cols.person[j]);
            name(cols.department[j]);
            match (cols.role[j], cols.title[j]) {
                (NULL, NULL) => {}
                (NULL, t) => {
                    let role = m.role_for_title(text(t));
                    codes.title[t as usize] = role.map_or(UNMAPPED, u32::from);
                    if role.is_none() {
                        name(t);
                    }
                }
                (r, _) => codes.role[r as usize] = u32::from(m.roles[text(r)]),
            }
        }
        for &a in &cols.actions[ActivityColumns::span(cols.action_offsets, i)] {
            codes.action[a as usize] = u32::from(*m.actions.get(text(a)).expect("an accepted action"));
        }
        if let Some(&r) = cols.reporter.get(i) {
            name(r);
        }
    }
}

/// Activities coded into columns, their text borrowed from the activities: to score the same
/// activities as of several dates (each [`score_columns`](crate::score_columns) is faster than
/// [`score_all`](crate::score_all) on them), or to see the columnar layout of given activities.
#[derive(Debug, Clone, Default)]
pub struct ActivityCodes<'a> {
    strings: Vec<&'a str>,
    id_offsets: Vec<u32>,
    id_text: String,
    deal: Vec<u32>,
    date: Vec<Date>,
    action_offsets: Vec<u32>,
    actions: Vec<u32>,
    contact_offsets: Vec<u32>,
    person: Vec<u32>,
    role: Vec<u32>,
    title: Vec<u32>,
    department: Vec<u32>,
    attendees: Vec<Option<u32>>,
    reporter: Vec<u32>,
}

impl<'a> ActivityCodes<'a> {
    /// Codes `activities` in order; each distinct string gets the position of its first use.
    pub fn encode(activities: &'a [Activity]) -> Self {
        let mut c = ActivityCodes {
            id_offsets: vec![0],
            action_offsets: vec![0],
            contact_offsets: vec![0],
            ..Default::default()
        };
        let mut codes: FxHashMap<&'a str, u32> = FxHashMap::default();
        let mut code = |s: &'a str| {
            *codes.entry(s).or_insert_with(|| {
                c.strings.push(s);
                c.strings.len() as u32 - 1
            })
        };
        for a in activities {
            c.id_text.push_str(&a.id);
            c.id_offsets.push(u32::try_from(c.id_text.len()).expect("ids of under 4 GiB"));
            c.deal.push(code(&a.deal));
            c.date.push(a.date);
            c.actions.extend(a.actions.iter().map(|x| code(x)));
            c.action_offsets.push(c.actions.len() as u32);
            for contact in &a.contacts {
                let mut opt = |s: &'a Option<CompactString>| s.as_deref().map_or(NULL, &mut code);
                c.person.push(opt(&contact.person));
                c.role.push(opt(&contact.role));
                c.title.push(opt(&contact.title));
                c.department.push(opt(&contact.department));
            }
            c.contact_offsets.push(c.person.len() as u32);
            c.attendees.push(a.attendees);
            c.reporter.push(a.reporter.as_deref().map_or(NULL, &mut code));
        }
        c
    }

    pub fn columns(&self) -> ActivityColumns<'_> {
        ActivityColumns {
            strings: &self.strings,
            ids: Texts { offsets: &self.id_offsets, text: &self.id_text },
            deal: &self.deal,
            date: &self.date,
            action_offsets: &self.action_offsets,
            actions: &self.actions,
            contact_offsets: &self.contact_offsets,
            person: &self.person,
            role: &self.role,
            title: &self.title,
            department: &self.department,
            attendees: &self.attendees,
            reporter: &self.reporter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Deal, ModelSet, score_all, score_columns};

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// Two models giving the same codes different meanings: each deal's rows resolve against
    /// its own model, also once every code has been seen under both.
    #[test]
    fn codes_resolve_against_each_deals_model() {
        let vector: serde_json::Value =
            serde_json::from_str(include_str!("../../../vectors/modelset_deal_chooses_model.json")).unwrap();
        let models = ModelSet::from_value(vector["model"].clone()).unwrap();
        let deals: Vec<Deal> = crate::from_value(vector["deals"].clone()).unwrap();
        let text = |deal: &str, i: usize, title: &str| {
            format!(
                r#"{{"id": "{deal}-{i}", "deal": "{deal}", "date": "2026-03-0{}", "actions": ["call", "mail", "call"],
                    "contacts": [{{"person": "p{i}", "title": "{title}"}}, {{"person": "p0", "role": "lead"}}], "reporter": "r{}"}}"#,
                1 + i % 9,
                i % 2
            )
        };
        let activities: Vec<Activity> = (0..12)
            .map(|i| {
                let deal = ["d1", "d2", "d4"][i % 3];
                crate::from_json(&text(deal, i, ["CEO", "担当", "intern"][i % 3])).unwrap()
            })
            .collect();
        let as_of = date("2026-03-20");
        let codes = ActivityCodes::encode(&activities);
        let columns = score_columns(&models, &deals, &codes.columns(), as_of).unwrap();
        let all = score_all(&models, &deals, &activities, as_of).unwrap();
        assert_eq!(serde_json::to_string(&columns).unwrap(), serde_json::to_string(&all).unwrap());
        // The enterprise model's call is worth 50, the default's 5.
        assert_eq!(columns.iter().map(|r| r.energy.by_action["call"]).collect::<Vec<_>>(), [200, 20, 200]);
    }

    fn columns<'a>(strings: &'a [&'a str], deal: &'a [u32], dates: &'a [Date]) -> ActivityColumns<'a> {
        ActivityColumns {
            strings,
            ids: Texts { offsets: &[0, 2, 4], text: "a1a2" },
            deal,
            date: dates,
            action_offsets: &[0, 0, 1],
            actions: &[1],
            contact_offsets: &[0, 0, 0],
            person: &[],
            role: &[],
            title: &[],
            department: &[],
            attendees: &[],
            reporter: &[],
        }
    }

    /// Columns that do not fit together are refused before any row is read, naming the column
    /// and the position.
    #[test]
    fn ill_fitting_columns_are_named() {
        let strings = ["D-1", "visited_us"];
        let dates = [date("2026-01-01"); 2];
        let columns = |deal| columns(&strings, deal, &dates);
        assert_eq!(columns(&[0, 0]).check().unwrap(), 2);
        let fails = |c: ActivityColumns<'_>| {
            let e = c.check().unwrap_err();
            assert_eq!(e.code(), "invalid_input");
            e.to_string()
        };
        assert!(fails(columns(&[0])).contains("columns.deal"));
        assert!(fails(columns(&[0, 2])).contains("columns.deal[1]"));
        assert!(fails(columns(&[NULL, 0])).contains("columns.deal[0]"));
        assert!(
            fails(ActivityColumns { action_offsets: &[0, 1, 0], ..columns(&[0, 0]) })
                .contains("columns.action_offsets[2]")
        );
        assert!(
            fails(ActivityColumns { action_offsets: &[0, 1, 2], ..columns(&[0, 0]) })
                .contains("columns.action_offsets[2]")
        );
        assert!(
            fails(ActivityColumns { contact_offsets: &[0, 0], ..columns(&[0, 0]) }).contains("columns.contact_offsets")
        );
        assert!(fails(ActivityColumns { person: &[0], ..columns(&[0, 0]) }).contains("columns.role"));
        assert!(fails(ActivityColumns { reporter: &[0], ..columns(&[0, 0]) }).contains("columns.reporter"));
        assert!(fails(ActivityColumns { reporter: &[0, 5], ..columns(&[0, 0]) }).contains("columns.reporter[1]"));
        let ids = |offsets, text| ActivityColumns { ids: Texts { offsets, text }, ..columns(&[0, 0]) };
        assert!(fails(ids(&[], "")).contains("columns.ids.offsets"));
        assert!(fails(ids(&[0, 3, 2], "a1a2")).contains("columns.ids.offsets[2]"));
        assert!(fails(ids(&[0, 2, 5], "a1a2")).contains("columns.ids.offsets[2]"));
        // Inside the three bytes of 佐.
        assert!(fails(ids(&[0, 1, 3], "佐")).contains("columns.ids.offsets[1]"));
    }
}
