//! Validated, indexed models. A [`ModelSet`] is the only way models reach the scoring functions,
//! so every computation can rely on the rules checked here.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::normalize::normalize_title;
use crate::model::parse;
use crate::model::{AttendeeBand, Model, ModelSetFile, RouteStep, Stage};
use crate::util::shortmap::ShortMap;

/// The embedded default model (English ids, Japanese labels), as TOML.
pub const DEFAULT_MODEL_TOML: &str = include_str!("../../data/default_model.toml");

/// The same model as JSON, embedded when the crate is built without its `toml` feature (the
/// wasm build). `tests/files.rs` checks that it equals [`DEFAULT_MODEL_TOML`].
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../data/default_model.json");

/// Most quality indicators a model may define.
pub const MAX_INDICATORS: usize = 64;
/// Largest number of points any one item may carry: keeps every sum far from overflow.
pub const MAX_POINTS: i64 = 1_000_000_000;
/// Most continuity periods, and most days per period (the series is allocated per deal).
pub const MAX_PERIODS: u32 = 1_000;
pub const MAX_PERIOD_DAYS: u32 = 3_660;

/// A validated model with its look-up tables.
#[derive(Debug)]
pub struct CompiledModel {
    pub(crate) model: Model,
    pub(crate) actions: ShortMap<u16>,
    pub(crate) roles: FxHashMap<String, u16>,
    pub(crate) titles: FxHashMap<String, u16>,
    /// The keys of `titles` that are fixed points of normalisation.
    fixed_titles: ShortMap<u16>,
    /// `action_points[action * (roles + 1) + slot]`, slot 0 = no role, slot r + 1 = role r.
    pub(crate) action_points: Vec<u64>,
    pub(crate) stages: FxHashMap<String, usize>,
    pub(crate) indicators: FxHashMap<String, usize>,
    /// Each role's place in rank order, from 1 (0 stands for no role): the top role of an
    /// activity is then a maximum of small integers, not a match on two options and two rank
    /// look-ups, fewer data-dependent branches in the push (benches/README.md has the figures).
    rank_place: Vec<u16>,
    /// The band of each number of attendees below `BAND_TABLE` (`band` searches beyond it).
    band_table: Vec<Option<(u32, u64)>>,
}

/// How many attendee counts `band_table` holds.
const BAND_TABLE: usize = 64;

impl CompiledModel {
    pub(crate) fn role_slots(&self) -> usize {
        self.model.roles.len() + 1
    }

    /// Points of action `action` for an activity whose top role is `top`.
    #[inline]
    pub(crate) fn action_points(&self, action: u16, top: Option<u16>) -> u64 {
        let slot = top.map_or(0, |r| r as usize + 1);
        self.action_points[action as usize * self.role_slots() + slot]
    }

    pub(crate) fn role_rank(&self, role: u16) -> i64 {
        self.model.roles[role as usize].rank
    }

    /// An activity's top role so far, given one more contact's role: the higher-ranked.
    pub(crate) fn top_of(&self, top: Option<u16>, role: Option<u16>) -> Option<u16> {
        let place = |r: Option<u16>| r.map_or(0, |r| self.rank_place[r as usize]);
        if place(role) > place(top) { role } else { top }
    }

    /// The points of an activity's top role; none, none.
    pub(crate) fn role_points(&self, top: Option<u16>) -> u64 {
        top.map_or(0, |r| self.model.roles[r as usize].points as u64)
    }

    pub(crate) fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.get(id).map(|&i| &self.model.process.stages[i])
    }

    /// Maps a free-text title to a role index (NFKC + lower-case + trim; ids and labels match).
    /// A title written exactly as a key that normalising leaves unchanged maps without
    /// normalising (the common case: CRMs store the same few titles).
    pub(crate) fn role_for_title(&self, title: &str) -> Option<u16> {
        if let Some(&r) = self.fixed_titles.get(title) {
            return Some(r);
        }
        if title.is_ascii() {
            // ASCII normalises by trimming and lower-casing (`normalize_title`), and the result
            // is a fixed point of normalising, so `fixed_titles` holds it if it is a key at all:
            // a short title ("Manager", "CEO") then needs no allocation.
            let t = title.trim();
            let mut buf = [0u8; 24];
            if let Some(lower) = buf.get_mut(..t.len()) {
                lower.copy_from_slice(t.as_bytes());
                lower.make_ascii_lowercase();
                return self.fixed_titles.get(std::str::from_utf8(lower).expect("ASCII")).copied();
            }
        }
        self.titles.get(normalize_title(title).as_ref()).copied()
    }

    /// Band points for a number of attendees, with the band's `min`.
    pub(crate) fn band(&self, attendees: u32) -> Option<(u32, u64)> {
        // A table for the common counts: searching the bands, the loop's exit mispredicts.
        if let Some(&b) = self.band_table.get(attendees as usize) {
            return b;
        }
        search_band(&self.model.attendee_bands, attendees)
    }
}

/// The band of `attendees` among `bands` (in rising `min` order), with its `min`.
fn search_band(bands: &[AttendeeBand], attendees: u32) -> Option<(u32, u64)> {
    bands.iter().rev().find(|b| b.min <= attendees).map(|b| (b.min, b.points as u64))
}

/// Named, validated models; deals pick one by name, others use the default.
#[derive(Debug, Clone)]
pub struct ModelSet {
    default: String,
    models: BTreeMap<String, Arc<CompiledModel>>,
}

impl ModelSet {
    /// A set holding one model, named `default`.
    pub fn single(model: Model) -> Result<ModelSet> {
        let compiled = compile(model, "")?;
        Ok(ModelSet { default: "default".into(), models: BTreeMap::from([("default".into(), Arc::new(compiled))]) })
    }

    /// A set of named models; `default` must be one of them.
    pub fn new(default: impl Into<String>, models: BTreeMap<String, Model>) -> Result<ModelSet> {
        let default = default.into();
        if !models.contains_key(&default) {
            return Err(Error::model("default", format!("default model {default:?} is not in models")));
        }
        let mut out = BTreeMap::new();
        for (name, model) in models {
            if name.is_empty() {
                return Err(Error::model("models", "empty model name"));
            }
            let compiled = compile(model, &format!("models.{name}."))?;
            out.insert(name, Arc::new(compiled));
        }
        Ok(ModelSet { default, models: out })
    }

    /// The embedded default model.
    pub fn embedded() -> ModelSet {
        #[cfg(feature = "toml")]
        let set = ModelSet::from_toml(DEFAULT_MODEL_TOML);
        #[cfg(not(feature = "toml"))]
        let set = ModelSet::from_json(DEFAULT_MODEL_JSON);
        set.expect("the embedded default model is valid")
    }

    /// Parses a model or a model set (`{default, models}`) from JSON.
    pub fn from_json(text: &str) -> Result<ModelSet> {
        let value: serde_json::Value = parse::from_json(text)?;
        ModelSet::from_value(value)
    }

    /// Builds a model or model set from a parsed JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<ModelSet> {
        if value.get("models").is_some() {
            let file: ModelSetFile = parse::from_value(value)?;
            ModelSet::new(file.default, file.models)
        } else {
            ModelSet::single(parse::from_value(value)?)
        }
    }

    /// Parses a model or a model set (`default = …` + `[models.NAME]`) from TOML.
    #[cfg(feature = "toml")]
    pub fn from_toml(text: &str) -> Result<ModelSet> {
        let table: toml::Table = parse::from_toml(text)?;
        if table.contains_key("models") {
            let file: ModelSetFile = parse::from_toml(text)?;
            ModelSet::new(file.default, file.models)
        } else {
            ModelSet::single(parse::from_toml(text)?)
        }
    }

    pub fn default_name(&self) -> &str {
        &self.default
    }

    /// Model names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.models.keys().map(String::as_str)
    }

    /// The default model.
    pub fn default_model(&self) -> &Model {
        &self.models[&self.default].model
    }

    /// A model by name.
    pub fn get(&self, name: &str) -> Option<&Model> {
        self.models.get(name).map(|m| &m.model)
    }

    /// The compiled model a deal uses (`unknown_model` when it names one the set lacks).
    pub(crate) fn for_deal(&self, deal_id: &str, model: Option<&str>) -> Result<&Arc<CompiledModel>> {
        let name = model.unwrap_or(&self.default);
        self.models.get(name).ok_or_else(|| Error::UnknownModel { deal: deal_id.to_owned(), model: name.to_owned() })
    }

    pub(crate) fn default_compiled(&self) -> &Arc<CompiledModel> {
        &self.models[&self.default]
    }

    /// A compiled model by name.
    pub(crate) fn compiled_named(&self, name: &str) -> Option<&Arc<CompiledModel>> {
        self.models.get(name)
    }

    /// Every compiled model, the default first, then by name.
    pub(crate) fn compiled(&self) -> impl Iterator<Item = &Arc<CompiledModel>> {
        let others = self.models.iter().filter(|(name, _)| **name != self.default).map(|(_, m)| m);
        std::iter::once(self.default_compiled()).chain(others)
    }

    /// The model set as a file value (a plain model when the set has one model named `default`).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self.file()).expect("models serialise")
    }

    /// The JSON text of [`to_value`](ModelSet::to_value), keys in the same order. Written as
    /// text and read back as a `Value` to order the keys as the `Value` does, rather than built
    /// as a `Value`: the wasm build then needs no `Value` serializer for the model types.
    pub fn to_json(&self) -> String {
        let text = serde_json::to_string(&self.file()).expect("models serialise");
        let value: serde_json::Value = parse::from_json(&text).expect("a model file parses");
        serde_json::to_string(&value).expect("a JSON value serialises")
    }

    fn file(&self) -> FileRef<'_> {
        if self.models.len() == 1 && self.default == "default" {
            FileRef::Model(self.default_model())
        } else {
            FileRef::Set { default: &self.default, models: Models(&self.models) }
        }
    }
}

/// A model set as a file, borrowed: a [`Model`] or the fields of a [`ModelSetFile`].
#[derive(Serialize)]
#[serde(untagged)]
enum FileRef<'a> {
    Model(&'a Model),
    Set { default: &'a str, models: Models<'a> },
}

/// The models by name, serialised straight from the set (collecting them into a map first
/// would sort them again: a sort instance and a map build of wasm size for nothing).
struct Models<'a>(&'a BTreeMap<String, Arc<CompiledModel>>);

impl Serialize for Models<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, m)| (name, &m.model)))
    }
}

fn compile(model: Model, prefix: &str) -> Result<CompiledModel> {
    let p = |rest: &str| format!("{prefix}{rest}");
    if model.schema != 1 {
        return Err(Error::model(p("schema"), format!("unsupported schema {}, expected 1", model.schema)));
    }
    // Roles.
    let mut roles = FxHashMap::default();
    let mut ranks = HashSet::new();
    for (i, r) in model.roles.iter().enumerate() {
        check_id(&r.id, &p(&format!("roles[{i}].id")))?;
        if roles.insert(r.id.clone(), i as u16).is_some() {
            return Err(Error::model(p(&format!("roles[{i}].id")), format!("duplicate role id {:?}", r.id)));
        }
        if !ranks.insert(r.rank) {
            return Err(Error::model(
                p(&format!("roles[{i}].rank")),
                format!("rank {} is used by another role", r.rank),
            ));
        }
        non_negative(r.points, &p(&format!("roles[{i}].points")))?;
    }
    if model.roles.len() > usize::from(u16::MAX) - 1 || model.actions.len() > usize::from(u16::MAX) {
        return Err(Error::model(p("roles"), "too many roles or actions"));
    }
    let mut titles: FxHashMap<String, u16> = FxHashMap::default();
    for (i, r) in model.roles.iter().enumerate() {
        let names = [(&r.id, "id".to_owned()), (&r.label, "label".to_owned())]
            .into_iter()
            .chain(r.aliases.iter().enumerate().map(|(j, a)| (a, format!("aliases[{j}]"))));
        for (name, field) in names {
            let key = normalize_title(name).into_owned();
            if key.is_empty() {
                return Err(Error::model(p(&format!("roles[{i}].{field}")), "empty title"));
            }
            match titles.get(&key) {
                Some(&other) if other as usize != i => {
                    return Err(Error::model(
                        p(&format!("roles[{i}].{field}")),
                        format!("title {name:?} also maps to role {:?}", model.roles[other as usize].id),
                    ));
                }
                _ => {
                    titles.insert(key, i as u16);
                }
            }
        }
    }
    // Actions.
    let slots = model.roles.len() + 1;
    let mut actions = ShortMap::default();
    let mut action_points = vec![0u64; model.actions.len() * slots];
    for (i, a) in model.actions.iter().enumerate() {
        check_id(&a.id, &p(&format!("actions[{i}].id")))?;
        if actions.insert(&a.id, i as u16).is_some() {
            return Err(Error::model(p(&format!("actions[{i}].id")), format!("duplicate action id {:?}", a.id)));
        }
        non_negative(a.points, &p(&format!("actions[{i}].points")))?;
        if let Some(cap) = a.cap {
            non_negative(cap, &p(&format!("actions[{i}].cap")))?;
        }
        action_points[i * slots..(i + 1) * slots].fill(a.points as u64);
        for (role, &points) in &a.by_role {
            let path = p(&format!("actions[{i}].by_role.{role}"));
            let &r = roles.get(role).ok_or_else(|| Error::model(path.clone(), format!("unknown role {role:?}")))?;
            non_negative(points, &path)?;
            action_points[i * slots + r as usize + 1] = points as u64;
        }
    }
    // Bands, route, periods.
    for (i, b) in model.attendee_bands.iter().enumerate() {
        non_negative(b.points, &p(&format!("attendee_bands[{i}].points")))?;
        if i > 0 && b.min <= model.attendee_bands[i - 1].min {
            return Err(Error::model(
                p(&format!("attendee_bands[{i}].min")),
                "bands must be strictly increasing in min",
            ));
        }
    }
    check_route(&model.default_route, &roles, &p("default_route"))?;
    positive(model.continuity.period_days.into(), &p("continuity.period_days"))?;
    positive(model.continuity.periods.into(), &p("continuity.periods"))?;
    if model.continuity.periods > MAX_PERIODS {
        return Err(Error::model(p("continuity.periods"), format!("at most {MAX_PERIODS}")));
    }
    if model.continuity.period_days > MAX_PERIOD_DAYS {
        return Err(Error::model(p("continuity.period_days"), format!("at most {MAX_PERIOD_DAYS}")));
    }
    positive(model.stale_days.into(), &p("stale_days"))?;
    if !(model.half_life_days.is_finite() && model.half_life_days > 0.0) {
        return Err(Error::model(p("half_life_days"), "must be a positive number"));
    }
    if !model.status.quality_threshold.is_finite() {
        return Err(Error::model(p("status.quality_threshold"), "must be a finite number"));
    }
    // Quality.
    let q = &model.quality;
    if q.indicators.len() > MAX_INDICATORS {
        return Err(Error::model(p("quality.indicators"), format!("at most {MAX_INDICATORS} indicators")));
    }
    let mut indicators = FxHashMap::default();
    for (i, ind) in q.indicators.iter().enumerate() {
        check_id(&ind.id, &p(&format!("quality.indicators[{i}].id")))?;
        if indicators.insert(ind.id.clone(), i).is_some() {
            return Err(Error::model(
                p(&format!("quality.indicators[{i}].id")),
                format!("duplicate indicator id {:?}", ind.id),
            ));
        }
    }
    let mut grades = HashSet::new();
    for (i, g) in q.grades.iter().enumerate() {
        check_id(&g.grade, &p(&format!("quality.grades[{i}].grade")))?;
        if !grades.insert(&g.grade) {
            return Err(Error::model(
                p(&format!("quality.grades[{i}].grade")),
                format!("duplicate grade {:?}", g.grade),
            ));
        }
        if !g.min.is_finite() {
            return Err(Error::model(p(&format!("quality.grades[{i}].min")), "must be a finite number"));
        }
        if i > 0 && g.min >= q.grades[i - 1].min {
            return Err(Error::model(
                p(&format!("quality.grades[{i}].min")),
                "grades must be strictly decreasing in min",
            ));
        }
    }
    // Process.
    let mut stages = FxHashMap::default();
    for (i, s) in model.process.stages.iter().enumerate() {
        check_id(&s.id, &p(&format!("process.stages[{i}].id")))?;
        if stages.insert(s.id.clone(), i).is_some() {
            return Err(Error::model(p(&format!("process.stages[{i}].id")), format!("duplicate stage id {:?}", s.id)));
        }
        if s.stale_days == Some(0) {
            return Err(Error::model(p(&format!("process.stages[{i}].stale_days")), "must be at least 1"));
        }
        let mut seen = HashSet::new();
        for (j, c) in s.exit.iter().enumerate() {
            check_id(&c.id, &p(&format!("process.stages[{i}].exit[{j}].id")))?;
            if !seen.insert(&c.id) {
                return Err(Error::model(
                    p(&format!("process.stages[{i}].exit[{j}].id")),
                    format!("duplicate criterion {:?}", c.id),
                ));
            }
        }
    }
    // Q&A.
    let qa = &model.qa;
    for (name, v, ok) in [
        ("qa.k1", qa.k1, qa.k1 >= 0.0),
        ("qa.b", qa.b, (0.0..=1.0).contains(&qa.b)),
        ("qa.answer_weight", qa.answer_weight, qa.answer_weight >= 0.0),
        ("qa.stage_boost", qa.stage_boost, qa.stage_boost > 0.0),
        ("qa.min_score", qa.min_score, qa.min_score >= 0.0),
    ] {
        if !(v.is_finite() && ok) {
            return Err(Error::model(p(name), format!("{v} is out of range")));
        }
    }
    let fixed_titles =
        titles.iter().filter(|(k, _)| normalize_title(k) == k.as_str()).map(|(k, &r)| (k.clone(), r)).collect();
    let mut by_rank: Vec<usize> = (0..model.roles.len()).collect();
    crate::util::sort::sort_unstable_by_key(&mut by_rank, |&r| model.roles[r].rank);
    let mut rank_place = vec![0u16; model.roles.len()];
    for (place, &r) in by_rank.iter().enumerate() {
        rank_place[r] = place as u16 + 1;
    }
    let band_table = (0..BAND_TABLE as u32).map(|n| search_band(&model.attendee_bands, n)).collect();
    Ok(CompiledModel {
        model,
        actions,
        roles,
        titles,
        fixed_titles,
        action_points,
        stages,
        indicators,
        rank_place,
        band_table,
    })
}

/// Checks a route: every step names something, and roles exist.
fn check_route(route: &[RouteStep], roles: &FxHashMap<String, u16>, path: &str) -> Result<()> {
    for (i, step) in route.iter().enumerate() {
        if step.names_nothing() {
            return Err(Error::model(format!("{path}[{i}]"), "a route step needs a role, department or person"));
        }
        if let Some(role) = &step.role
            && !roles.contains_key(role.as_str())
        {
            return Err(Error::model(format!("{path}[{i}].role"), format!("unknown role {role:?}")));
        }
    }
    Ok(())
}

fn check_id(id: &str, path: &str) -> Result<()> {
    if id.trim().is_empty() { Err(Error::model(path, "empty id")) } else { Ok(()) }
}

fn non_negative(v: i64, path: &str) -> Result<()> {
    if v < 0 {
        Err(Error::model(path, format!("{v} is negative")))
    } else if v > MAX_POINTS {
        Err(Error::model(path, format!("{v} is more than {MAX_POINTS}")))
    } else {
        Ok(())
    }
}

fn positive(v: i64, path: &str) -> Result<()> {
    if v <= 0 { Err(Error::model(path, "must be at least 1")) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The allocation-free ASCII path maps every title exactly as normalising it would.
    #[test]
    fn ascii_titles_map_as_their_normal_form() {
        let set = ModelSet::embedded();
        let m = set.default_compiled();
        let titles = [
            "Manager",
            " manager ",
            "MANAGER",
            "Team Lead",
            "VP Sales",
            "vp  sales",
            "\tCEO\n",
            "\u{b}Cfo\u{c}",
            "Head of Department",
            "HEAD OF DEPARTMENT  ",
            "General Manager of Everything Else",
            "",
            "   ",
            "Unknown",
            "課長",
            "ＣＥＯ",
            "　部長　",
        ];
        for t in titles {
            assert_eq!(m.role_for_title(t), m.titles.get(normalize_title(t).as_ref()).copied(), "{t:?}");
        }
        let role = |t: &str| m.role_for_title(t).map(|r| m.model.roles[r as usize].id.clone());
        assert_eq!(role("MANAGER"), role("manager"));
        assert!(role(" CEO\t").is_some());
        assert_eq!(role("Head of Department"), role("head of department"));
        assert!(role("head of department").is_some());
        assert_eq!(role("Unknown"), None);
    }

    /// The band table and rank places give what searching the bands and comparing ranks give,
    /// below, at and past the table's end, and for roles listed out of rank order.
    #[test]
    fn band_table_and_rank_places_agree_with_the_model() {
        let mut model = ModelSet::embedded().default_model().clone();
        model.attendee_bands.push(crate::model::AttendeeBand { min: 63, points: 20 });
        model.attendee_bands.push(crate::model::AttendeeBand { min: 100, points: 30 });
        model.roles.reverse();
        let set = ModelSet::single(model).unwrap();
        let m = set.default_compiled();
        for n in (0..300).chain([u32::MAX]) {
            let searched = m
                .model
                .attendee_bands
                .iter()
                .filter(|b| b.min <= n)
                .max_by_key(|b| b.min)
                .map(|b| (b.min, b.points as u64));
            assert_eq!(m.band(n), searched, "{n} attendees");
        }
        let roles = (0..m.model.roles.len() as u16).map(Some).chain([None]);
        for top in roles.clone() {
            for role in roles.clone() {
                let rank = |r: Option<u16>| r.map(|r| m.role_rank(r));
                let want = if rank(role) > rank(top) { role } else { top };
                assert_eq!(m.top_of(top, role), want, "{top:?} {role:?}");
            }
        }
    }

    #[test]
    fn embedded_model_is_valid_and_rich() {
        let set = ModelSet::embedded();
        let m = set.default_model();
        assert!(m.actions.len() >= 8);
        assert_eq!(m.roles.len(), 4);
        assert_eq!(m.quality.indicators.len(), 5);
        assert_eq!(m.process.stages.len(), 8);
    }

    #[test]
    fn negative_points_name_the_path() {
        let mut m = ModelSet::embedded().default_model().clone();
        m.actions[3].points = -1;
        let err = ModelSet::single(m).unwrap_err();
        assert_eq!(err.code(), "invalid_model");
        assert_eq!(err.path(), Some("actions[3].points"));
    }

    #[test]
    fn to_value_is_the_file_and_to_json_its_text() {
        let single = ModelSet::embedded();
        let mut other = single.default_model().clone();
        other.stale_days += 1;
        let file = ModelSetFile {
            default: "b".into(),
            models: BTreeMap::from([("b".to_owned(), single.default_model().clone()), ("a".to_owned(), other)]),
        };
        let set = ModelSet::new(file.default.clone(), file.models.clone()).unwrap();
        assert_eq!(set.to_value(), serde_json::to_value(&file).unwrap());
        assert_eq!(single.to_value(), serde_json::to_value(single.default_model()).unwrap());
        for set in [single, set] {
            assert_eq!(set.to_json(), set.to_value().to_string());
        }
    }

    #[test]
    fn titles_map_after_nfkc() {
        let set = ModelSet::embedded();
        let m = set.default_compiled();
        let exec = m.roles["executive"];
        assert_eq!(m.role_for_title("ＣＥＯ"), Some(exec));
        assert_eq!(m.role_for_title(" VP Sales "), Some(m.roles["director"]));
        assert_eq!(m.role_for_title("部長"), Some(m.roles["director"]));
        assert_eq!(m.role_for_title("顧問"), None);
    }
}
