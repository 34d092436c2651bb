//! Activities resolved to integers — action and role indices, interned names — which is all the
//! fold reads. Resolving touches each activity's strings once; the fold then compares integers.

use crate::error::Result;
use crate::input::ActivityText;
use crate::model::compiled::{CompiledModel, MAX_POINTS};
use crate::score::energy::resolve;
use crate::util::shortmap::ShortMap;

/// "No name" in an interned slot.
pub(crate) const NONE: u32 = u32::MAX;

/// Interned strings (people, departments, reporters, unmapped titles). Always copies: the few
/// distinct names then sit together in memory, where comparing against them stays in the cache
/// (borrowing them from a large input made every look-up a cache miss).
#[derive(Debug, Default)]
pub(crate) struct Names {
    ids: ShortMap<u32>,
    names: Vec<Box<str>>,
}

impl Names {
    /// The id of `s`, interning it on first sight.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s, id);
        id
    }

    pub fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.intern(s))
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// One contact, interned. `unmapped_title` is set only when the title mapped to no role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ContactIds {
    pub person: u32,
    pub department: u32,
    pub unmapped_title: u32,
    pub role: Option<u16>,
}

/// One activity's fixed-size facts (16 bytes); its actions and contacts travel beside it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RowHead {
    pub day: i32,
    /// Points of the top role and the attendee band (actions come separately: some are capped).
    pub base: u32,
    pub reporter: u32,
    pub top: Option<u16>,
}

// A role's and a band's points, each at most `MAX_POINTS`, add up within a `u32`.
const _: () = assert!(2 * MAX_POINTS <= u32::MAX as i64);

impl RowHead {
    /// The base points of an activity: its top role's plus its attendee band's (`(min, points)`).
    pub fn base(role_points: u64, band: Option<(u32, u64)>) -> u32 {
        // Each at most `MAX_POINTS` (see the assertion above).
        (role_points + band.map_or(0, |b| b.1)) as u32
    }
}

/// Resolves `a` against `m` (every error of an activity is found here), appending its distinct
/// actions to `actions` and its contacts, names interned, to `contacts`; on error both are as
/// they were (names interned stay: a name no row uses changes no report). The batch resolves
/// straight into its store this way, with no copy in between.
// Always inlined, with `energy::resolve`, into the push (with the `speed` feature): as calls of
// their own they cost `score_all` measurably (benches/README.md, sixth session).
#[cfg_attr(feature = "speed", allow(clippy::inline_always), inline(always))]
pub(crate) fn resolve_row(
    m: &CompiledModel,
    a: &impl ActivityText,
    names: &mut Names,
    actions: &mut Vec<u16>,
    contacts: &mut Vec<ContactIds>,
) -> Result<RowHead> {
    let (kept_actions, kept_contacts) = (actions.len(), contacts.len());
    let resolved = resolve(m, a, actions, |c, role, unmapped| {
        contacts.push(ContactIds {
            person: names.intern_opt(c.person),
            department: names.intern_opt(c.department),
            unmapped_title: if unmapped { names.intern(c.title.unwrap_or_default()) } else { NONE },
            role,
        });
    });
    match resolved {
        Ok(r) => Ok(RowHead {
            day: a.date().days_since_epoch(),
            base: RowHead::base(m.role_points(r.top), r.band),
            reporter: names.intern_opt(a.reporter()),
            top: r.top,
        }),
        Err(e) => {
            actions.truncate(kept_actions);
            contacts.truncate(kept_contacts);
            Err(e)
        }
    }
}

/// Resolves activities one at a time into a [`RowHead`] plus `actions()` and `contacts()`,
/// reusing its buffers.
#[derive(Debug, Default)]
pub(crate) struct RowBuilder {
    actions: Vec<u16>,
    contacts: Vec<ContactIds>,
}

impl RowBuilder {
    /// Resolves `a` against `m` and interns its names ([`resolve_row`]).
    pub fn build(&mut self, m: &CompiledModel, a: &impl ActivityText, names: &mut Names) -> Result<RowHead> {
        self.actions.clear();
        self.contacts.clear();
        resolve_row(m, a, names, &mut self.actions, &mut self.contacts)
    }

    /// The distinct actions of the activity last built (their points follow from its top role:
    /// [`CompiledModel::action_points`]).
    pub fn actions(&self) -> &[u16] {
        &self.actions
    }

    pub fn contacts(&self) -> &[ContactIds] {
        &self.contacts
    }
}
