//! Q&A matching (質疑応答, MODEL.md §8): a rep's question, asked at a stage, against a list of
//! question/answer entries, ranked with BM25.
//!
//! * [`tokenize`] — the public tokenizer (NFKC, lower-case, CJK bigrams, word tokens).
//! * [`QaIndex`] — an immutable inverted index over [`QaEntry`] values; [`QaIndex::search`]
//!   returns the best [`QaHit`]s. See [`QaIndex`] for the exact scoring formula and the order in
//!   which the floating-point sums are evaluated.
//! * [`entries_from_json`], [`entries_from_jsonl`], [`entries_from_csv`] — entries from text.
//!
//! Limits (each enforced with [`Error::LimitExceeded`](crate::error::Error::LimitExceeded)):
//! at most [`MAX_ENTRIES`] entries in one index; at most [`MAX_FIELD_BYTES`] bytes of UTF-8 in each
//! field of one entry (`id`, `question`, `answer`, and the `stages` and `tags` lists counted as the
//! sum of their items); at most [`MAX_QUERY_BYTES`] bytes in a question passed to
//! [`QaIndex::search`]; at most [`MAX_K`] results asked for.

mod ask;
mod bm25;
mod load;
mod tokenize;

use serde::{Deserialize, Serialize};

pub use ask::{QaAnswer, ask};
pub use bm25::QaIndex;
pub use load::{entries_from_csv, entries_from_json, entries_from_jsonl};
pub use tokenize::{is_cjk_char, tokenize};

/// Most entries one [`QaIndex`] accepts.
pub const MAX_ENTRIES: usize = 1_000_000;
/// Most bytes (UTF-8) of one entry field: `id`, `question`, `answer`, and all `stages` or all
/// `tags` together.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Most bytes (UTF-8) of a question passed to [`QaIndex::search`].
pub const MAX_QUERY_BYTES: usize = 4 * 1024;
/// Most results one [`QaIndex::search`] may ask for.
pub const MAX_K: usize = 1000;

/// One Q&A entry: a question that was asked before and its answer.
///
/// Unknown fields are rejected when deserialising, so a typo (`stage` for `stages`) never silently
/// drops data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(remote = "Self")]
#[serde(deny_unknown_fields)]
pub struct QaEntry {
    /// Unique, non-empty id.
    pub id: String,
    /// The question; must contain something other than white space.
    pub question: String,
    pub answer: String,
    /// Process stages this entry is specific to; an entry with none is general and never boosted.
    #[serde(default)]
    pub stages: Vec<String>,
    /// Extra keywords, matched like words of the question.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct QaHit {
    pub id: String,
    pub score: f64,
    pub question: String,
    pub answer: String,
    pub stages: Vec<String>,
    /// The distinct query tokens found in the entry (question, tags or answer), in query order.
    pub matched: Vec<String>,
}

crate::model::parse::objects_only! {
    QaEntry => "a Q&A entry (a JSON object)",
}
