//! Activities (活動報告) and deals: the records a CRM hands to the scorer.

use compact_str::CompactString;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::model::RouteStep;

/// One activity report. Unknown fields are ignored (CRM exports carry extra columns).
///
/// Text fields are [`CompactString`]s: ids, action ids and names of up to 24 bytes (eight
/// Japanese characters) sit inside the struct, so a million activities are not twelve million
/// heap blocks and scoring reads them without chasing pointers. Build them with `.into()` or
/// [`format_compact!`](crate::format_compact); they read like `&str`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
pub struct Activity {
    #[schemars(length(min = 1))]
    pub id: CompactString,
    #[schemars(length(min = 1))]
    pub deal: CompactString,
    pub date: Date,
    /// Customer action ids; a set (duplicates count once).
    #[serde(default)]
    pub actions: Vec<CompactString>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Number of customer attendees; defaults to the number of contacts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<u32>,
    /// The user who wrote the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A customer person met. `role` (a role id) wins over `title` (free text mapped by aliases).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<CompactString>,
}

/// An activity whose text is borrowed from elsewhere — a data frame's columns, a parser's
/// buffer — for [`BatchScorer::push_ref`](crate::BatchScorer::push_ref): scored exactly as the
/// [`Activity`] with the same fields, without copying its text into one first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityRef<'a> {
    pub id: &'a str,
    pub deal: &'a str,
    pub date: Date,
    pub actions: &'a [&'a str],
    pub contacts: &'a [ContactRef<'a>],
    pub attendees: Option<u32>,
    pub reporter: Option<&'a str>,
}

/// A [`Contact`] whose text is borrowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContactRef<'a> {
    pub person: Option<&'a str>,
    pub role: Option<&'a str>,
    pub title: Option<&'a str>,
    pub department: Option<&'a str>,
}

impl<'a> From<&'a Contact> for ContactRef<'a> {
    fn from(c: &'a Contact) -> Self {
        ContactRef {
            person: c.person.as_deref(),
            role: c.role.as_deref(),
            title: c.title.as_deref(),
            department: c.department.as_deref(),
        }
    }
}

/// What scoring reads of an activity, owned or borrowed.
pub(crate) trait ActivityText {
    fn id(&self) -> &str;
    fn deal(&self) -> &str;
    fn date(&self) -> Date;
    fn actions(&self) -> impl ExactSizeIterator<Item = &str>;
    fn contacts(&self) -> impl ExactSizeIterator<Item = ContactRef<'_>>;
    fn attendees(&self) -> Option<u32>;
    fn reporter(&self) -> Option<&str>;
}

impl ActivityText for Activity {
    fn id(&self) -> &str {
        &self.id
    }

    fn deal(&self) -> &str {
        &self.deal
    }

    fn date(&self) -> Date {
        self.date
    }

    fn actions(&self) -> impl ExactSizeIterator<Item = &str> {
        self.actions.iter().map(CompactString::as_str)
    }

    fn contacts(&self) -> impl ExactSizeIterator<Item = ContactRef<'_>> {
        self.contacts.iter().map(ContactRef::from)
    }

    fn attendees(&self) -> Option<u32> {
        self.attendees
    }

    fn reporter(&self) -> Option<&str> {
        self.reporter.as_deref()
    }
}

impl ActivityText for ActivityRef<'_> {
    fn id(&self) -> &str {
        self.id
    }

    fn deal(&self) -> &str {
        self.deal
    }

    fn date(&self) -> Date {
        self.date
    }

    fn actions(&self) -> impl ExactSizeIterator<Item = &str> {
        self.actions.iter().copied()
    }

    fn contacts(&self) -> impl ExactSizeIterator<Item = ContactRef<'_>> {
        self.contacts.iter().copied()
    }

    fn attendees(&self) -> Option<u32> {
        self.attendees
    }

    fn reporter(&self) -> Option<&str> {
        self.reporter
    }
}

/// A deal (商談). Every field but `id` is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
pub struct Deal {
    #[schemars(length(min = 1))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Name of the model in the model set; the set's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Current process stage id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// The deal's own approval route; the model's default route when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteStep>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Member>,
    /// The one user allowed to maintain quality, when named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintainer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quality_events: Vec<QualityEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<Date>,
    /// How the deal ended; absent (or `null`) while it is open (OUTCOMES.md §1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The close date: required with an `outcome`; on an open deal the expected close date,
    /// which nothing here reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<Date>,
}

/// How a closed deal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Won,
    Lost,
}

impl Deal {
    /// The close date of a closed deal (`outcome` set): `None` while the deal is open.
    pub fn closed(&self) -> Option<(Outcome, Date)> {
        Some((self.outcome?, self.closed_on?))
    }
}

impl Deal {
    /// A deal with only an id: how activities for unrecorded deals are scored.
    pub fn bare(id: impl Into<String>) -> Deal {
        Deal { id: id.into(), ..Deal::default() }
    }
}

/// A seller-side member of the deal team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
pub struct Member {
    #[schemars(length(min = 1))]
    pub user: String,
    /// Internal role (matched against a stage's `roles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    #[serde(default)]
    pub notify: Notify,
}

/// How a member wants to hear about new activity reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Notify {
    #[default]
    All,
    Digest,
    None,
}

/// Checking or unchecking one quality indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
pub struct QualityEvent {
    pub indicator: String,
    pub checked: bool,
    pub by: String,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

crate::model::parse::objects_only! {
    Activity => "an activity (a JSON object)",
    Contact => "a contact (a JSON object)",
    Deal => "a deal (a JSON object)",
    Member => "a member (a JSON object)",
    QualityEvent => "a quality event (a JSON object)",
}
