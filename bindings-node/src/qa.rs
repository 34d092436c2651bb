//! Q&A (質疑応答): `QaIndex` over question/answer entries, searched with BM25, and the public
//! tokenizer.

use dealscore::QaEntry;
use dealscore::api::QaRequest;
use dealscore::qa::{entries_from_csv, entries_from_json, entries_from_jsonl};
use napi::Env;
use napi::bindgen_prelude::{FromNapiValue, Unknown, ValueType};
use napi_derive::napi;

use crate::args;
use crate::convert::{Text, call, call_json, from_js, to_js};
use crate::error::{OrThrow, guard};
use crate::model::{Model, models};

/// An immutable search index over Q&A entries. BM25 parameters come from the model's `qa` table
/// (the default model's, for a model set).
#[napi]
#[derive(Debug)]
pub struct QaIndex {
    inner: dealscore::QaIndex,
}

fn build(entries: Vec<QaEntry>, model: Option<&Model>) -> dealscore::Result<QaIndex> {
    dealscore::QaIndex::new(entries, &models(model).default_model().qa).map(|inner| QaIndex { inner })
}

/// Entries from JSON-ish text with one of the core's loaders.
fn load(
    env: &Env,
    text: Unknown,
    model: Option<Unknown>,
    parse: fn(&str) -> dealscore::Result<Vec<QaEntry>>,
) -> napi::Result<QaIndex> {
    let model = args::model(env, model)?;
    guard(env, || {
        let text = Text::from_js(env, text)?;
        text.as_str().and_then(parse).and_then(|entries| build(entries, model.as_deref())).or_throw(env)
    })
}

#[napi]
impl QaIndex {
    /// Indexes `entries` (`{id, question, answer, stages?, tags?}`); ids must be unique.
    #[napi(constructor, ts_args_type = "entries: QaEntry[], model?: Model | null")]
    pub fn new(env: Env, entries: Unknown, model: Option<Unknown>) -> napi::Result<QaIndex> {
        let model = args::model(&env, model)?;
        guard(&env, || build(from_js(&env, entries)?, model.as_deref()).or_throw(&env))
    }

    /// Entries from a JSON array.
    #[napi(factory, ts_args_type = "text: string | Uint8Array, model?: Model | null")]
    pub fn from_json(env: Env, text: Unknown, model: Option<Unknown>) -> napi::Result<QaIndex> {
        load(&env, text, model, entries_from_json)
    }

    /// Entries from JSON Lines (one entry per line; errors name the line).
    #[napi(factory, ts_args_type = "text: string | Uint8Array, model?: Model | null")]
    pub fn from_jsonl(env: Env, text: Unknown, model: Option<Unknown>) -> napi::Result<QaIndex> {
        load(&env, text, model, entries_from_jsonl)
    }

    /// Entries from CSV with a header row: `id`, `question`, `answer`, and optionally `stages`
    /// and `tags` as `;`-separated lists.
    #[napi(factory, ts_args_type = "text: string | Uint8Array, model?: Model | null")]
    pub fn from_csv(env: Env, text: Unknown, model: Option<Unknown>) -> napi::Result<QaIndex> {
        load(&env, text, model, entries_from_csv)
    }

    /// Number of entries.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    /// The entries, in the order given.
    #[napi(ts_return_type = "QaEntry[]")]
    pub fn entries<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        guard(env, || to_js(env, &self.inner.entries()))
    }

    /// The entry with this id, or `null`.
    #[napi(ts_args_type = "id: string", ts_return_type = "QaEntry | null")]
    pub fn entry<'e>(&self, env: &'e Env, id: Unknown) -> napi::Result<Unknown<'e>> {
        let id = args::string(env, id, "id")?;
        guard(env, || to_js(env, &self.inner.entry(&id)))
    }

    /// The best `k` (default 5) entries for `question`; entries listing `stage` are boosted.
    #[napi(ts_args_type = "question: string, stage?: string | null, k?: number | null", ts_return_type = "QaHit[]")]
    pub fn search<'e>(
        &self,
        env: &'e Env,
        question: Unknown,
        stage: Option<Unknown>,
        k: Option<Unknown>,
    ) -> napi::Result<Unknown<'e>> {
        let question = args::string(env, question, "question")?;
        let stage = stage.map(|s| args::string(env, s, "stage")).transpose()?;
        let k = k.map(|k| count(env, k, "k")).transpose()?.unwrap_or(5);
        guard(env, || to_js(env, &self.inner.search(&question, stage.as_deref(), k).or_throw(env)?))
    }

    /// A rep's question in a deal's context: the best entries, or when none matches
    /// (`unanswered`), the deal members whose skills cover the stage (`ask`). The model resolves
    /// the deal's stage.
    #[napi(ts_args_type = "request: QaRequest, model?: Model | null", ts_return_type = "QaAnswer")]
    pub fn ask<'e>(&self, env: &'e Env, request: Unknown, model: Option<Unknown>) -> napi::Result<Unknown<'e>> {
        let model = args::model(env, model)?;
        call(env, request, |r: &QaRequest| r.run(models(model.as_deref()), &self.inner))
    }

    /// `ask` on JSON text.
    #[napi(ts_args_type = "request: string | Uint8Array, model?: Model | null")]
    pub fn ask_json(&self, env: &Env, request: Unknown, model: Option<Unknown>) -> napi::Result<String> {
        let model = args::model(env, model)?;
        call_json(env, request, |r: &QaRequest| r.run(models(model.as_deref()), &self.inner))
    }
}

/// A non-negative integer argument.
fn count(env: &Env, value: Unknown, name: &str) -> napi::Result<usize> {
    let n = if value.get_type()? == ValueType::Number { f64::from_unknown(value)? } else { -1.0 };
    if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as usize)
    } else {
        Err(crate::error::js_error(env, "invalid_input", &format!("{name} must be a non-negative integer"), Some(name)))
    }
}

/// The Q&A tokens of `text` (NFKC, lower case, CJK bigrams, word tokens), as the index sees them.
#[napi(ts_args_type = "text: string")]
pub fn tokenize(env: &Env, text: Unknown) -> napi::Result<Vec<String>> {
    let text = args::string(env, text, "text")?;
    guard(env, || Ok(dealscore::tokenize(&text)))
}
