//! The BM25 inverted index behind [`QaIndex`].

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

use super::tokenize::{Normalizer, scan};
use super::{MAX_ENTRIES, MAX_FIELD_BYTES, MAX_K, MAX_QUERY_BYTES, QaEntry, QaHit};
use crate::error::{Error, Result};
use crate::model::QaConfig;

/// Field 1: the question's tokens followed by each tag's tokens.
const QUESTION: usize = 0;
/// Field 2: the answer's tokens.
const ANSWER: usize = 1;

/// The inverted index of one field.
#[derive(Debug, Default)]
struct Field {
    /// The postings of term `t` are at `offsets[t]..offsets[t + 1]` in `docs` (entry indices,
    /// ascending) and `tfs` (the term's count in that entry's field); their number is the term's
    /// document frequency in this field.
    offsets: Vec<usize>,
    docs: Vec<u32>,
    tfs: Vec<u32>,
    /// Per entry: `k1 · (1 − b + b · dl / avgdl)`, the length normalisation of BM25.
    /// Zero for every entry when the field's `avgdl` is 0 (it then has no postings either).
    norm: Vec<f64>,
    /// Per term: its idf in this field (fixed, since `N` and `df` are).
    idf: Vec<f64>,
    /// Per term: the largest `idf · tf / (tf + norm)` over its postings, the most it can add to
    /// the field's sum for one entry (0 for a term absent from the field).
    max_term: Vec<f64>,
}

impl Field {
    fn range(&self, term: u32) -> std::ops::Range<usize> {
        let t = term as usize;
        self.offsets[t]..self.offsets[t + 1]
    }

    fn contains(&self, term: u32, doc: u32) -> bool {
        self.docs[self.range(term)].binary_search(&doc).is_ok()
    }
}

/// An immutable BM25 index over Q&A entries (MODEL.md §8).
///
/// # Scoring
///
/// Each entry has two fields: F1, the tokens of its question followed by the tokens of each tag,
/// and F2, the tokens of its answer (see [`tokenize`](super::tokenize)). The query's tokens are
/// deduplicated, keeping the order in which they first appear. With `N` entries, `df(t)` the number
/// of entries whose field contains `t`, `tf` the count of `t` in the entry's field, `dl` the
/// entry's token count in the field and `avgdl` the field's mean token count:
///
/// ```text
/// idf(t)  = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
/// bm25(F) = Σ over distinct query tokens t with tf > 0:  idf(t) · tf / (tf + k1 · (1 − b + b · dl / avgdl))
/// score   = (bm25(F1) + answer_weight · bm25(F2)) · (stage_boost if the entry lists the asked stage)
/// ```
///
/// A field whose `avgdl` is 0 (no entry has a token in it) contributes 0.
///
/// # Floating point
///
/// Every value is computed in `f64` with exactly this evaluation order, so results are identical
/// bit for bit on every platform (`ln` is [`libm::log`], not the platform's):
///
/// * `avgdl = (Σ dl as an integer) as f64 / N as f64`;
/// * `idf = libm::log(1.0 + (N - df + 0.5) / (df + 0.5))`, with `N` and `df` converted to `f64`;
/// * `norm = k1 * (1.0 - b + b * dl / avgdl)`, then each term adds
///   `idf * tf / (tf + norm)` (that is, `(idf · tf) / (tf + norm)`);
/// * `bm25(F)` starts at `0.0` and adds the terms of the distinct query tokens in the order they
///   first appear in the query, skipping tokens absent from the field;
/// * `score = bm25(F1) + answer_weight * bm25(F2)`, then `score * stage_boost` when boosted.
///
/// # Results
///
/// Entries with `score > 0` and `score ≥ min_score`, best first: score descending, then id
/// ascending (byte order), at most `k` of them.
///
/// # Cost
///
/// Indexing is linear in the text (postings lists per field, built with a counting sort; per
/// term its idf and the largest term score it can give; per entry its length normalisation).
///
/// A search looks the query tokens up in a hash map, so its cost does not depend on the size of
/// the vocabulary, only on the postings of the query's own terms. It walks the entries in windows
/// of 4096 consecutive entries and prunes with `MaxScore`: once `k` results are held, terms whose
/// combined largest possible contribution cannot lift an entry to the current k-th score are
/// "non-essential", and only entries found in the other terms' lists are candidates; candidates
/// that cannot reach the k-th score even with every other term are dropped before those terms
/// are read. Bounds carry a relative margin of 1e-9, far above any rounding difference, so
/// pruning never changes the result: each surviving candidate's score is then computed exactly as
/// documented above, field by field in query-token order, and the result is bit for bit the one
/// an exhaustive evaluation gives.
///
/// Apart from the result, a search allocates the normalised query text (unless it is lower-case
/// ASCII), its list of distinct terms, one cursor per (field, query term), and an accumulator of
/// fixed size (three `f64` arrays and two bit sets of one window: about 100 KiB), never anything
/// sized by the number of entries.
///
/// Limits: see the [module documentation](super).
pub struct QaIndex {
    entries: Vec<QaEntry>,
    config: QaConfig,
    /// Token → term id; only ever looked up, never iterated.
    vocab: FxHashMap<Box<str>, u32>,
    fields: [Field; 2],
    /// Entry indices sorted by id.
    by_id: Vec<u32>,
    /// Per entry: the position of its id in `by_id` (ties in score are broken by this).
    id_rank: Vec<u32>,
    /// Stage → the entries listing it, ascending; only ever looked up, never iterated.
    stage_docs: FxHashMap<Box<str>, Vec<u32>>,
}

impl fmt::Debug for QaIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QaIndex")
            .field("entries", &self.entries.len())
            .field("terms", &self.vocab.len())
            .field("question_postings", &self.fields[QUESTION].docs.len())
            .field("answer_postings", &self.fields[ANSWER].docs.len())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl QaIndex {
    /// Builds the index.
    ///
    /// Errors, checked entry by entry in input order: more than [`MAX_ENTRIES`] entries, or a
    /// field longer than [`MAX_FIELD_BYTES`] (`limit_exceeded`); an empty id (`empty_id` at
    /// `entries[i].id`); a question that is empty or only white space (`missing_question` at
    /// `entries[i].question`); an id seen before (`duplicate_entry`). A configuration with a
    /// negative or non-finite `k1`, a `b` outside [0, 1] or a non-finite `answer_weight`,
    /// `stage_boost` or `min_score` is an `invalid_model` error at `qa.<field>`.
    pub fn new(entries: Vec<QaEntry>, config: &QaConfig) -> Result<Self> {
        check_config(config)?;
        if entries.len() > MAX_ENTRIES {
            return Err(Error::LimitExceeded { what: "number of Q&A entries".into(), limit: MAX_ENTRIES });
        }
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        seen.reserve(entries.len());
        for (i, entry) in entries.iter().enumerate() {
            check_entry(i, entry)?;
            if !seen.insert(&entry.id) {
                return Err(Error::DuplicateEntry { id: entry.id.clone() });
            }
        }
        drop(seen);

        let n = entries.len();
        let mut by_id: Vec<u32> = (0..n as u32).collect();
        crate::util::sort::sort_unstable_by(&mut by_id, |&a, &b| entries[a as usize].id.cmp(&entries[b as usize].id));
        let mut id_rank = vec![0u32; n];
        for (rank, &doc) in by_id.iter().enumerate() {
            id_rank[doc as usize] = rank as u32;
        }

        let mut vocab: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut builders = [FieldBuilder::with_docs(n), FieldBuilder::with_docs(n)];
        let mut terms: Vec<u32> = Vec::new();
        let mut normalizer = Normalizer::default();
        for (doc, entry) in entries.iter().enumerate() {
            let doc = doc as u32;
            terms.clear();
            intern_tokens(&entry.question, &mut normalizer, &mut vocab, &mut terms);
            for tag in &entry.tags {
                intern_tokens(tag, &mut normalizer, &mut vocab, &mut terms);
            }
            builders[QUESTION].add(doc, &mut terms);
            terms.clear();
            intern_tokens(&entry.answer, &mut normalizer, &mut vocab, &mut terms);
            builders[ANSWER].add(doc, &mut terms);
        }
        let mut stage_docs: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (doc, entry) in entries.iter().enumerate() {
            for stage in &entry.stages {
                let docs = stage_docs.entry(stage.as_str().into()).or_default();
                if docs.last() != Some(&(doc as u32)) {
                    docs.push(doc as u32);
                }
            }
        }
        let vocab_len = vocab.len();
        let [question, answer] = builders;
        let fields = [question.finish(vocab_len, config), answer.finish(vocab_len, config)];

        Ok(QaIndex { entries, config: config.clone(), vocab, fields, by_id, id_rank, stage_docs })
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&QaEntry> {
        self.by_id
            .binary_search_by(|&doc| self.entries[doc as usize].id.as_str().cmp(id))
            .ok()
            .map(|i| &self.entries[self.by_id[i] as usize])
    }

    /// All entries, in the order they were given.
    pub fn entries(&self) -> &[QaEntry] {
        &self.entries
    }

    /// The scoring parameters.
    pub fn config(&self) -> &QaConfig {
        &self.config
    }

    /// The best `k` entries for `question`, asked at `stage` (entries listing that stage are
    /// boosted). See [`QaIndex`] for the scoring. `k = 0` gives no results.
    ///
    /// Errors: a question longer than [`MAX_QUERY_BYTES`] or `k` above [`MAX_K`]
    /// (`limit_exceeded`); a question without any token, such as `""`, `"  "` or `"？！"`
    /// (`empty_question`).
    pub fn search(&self, question: &str, stage: Option<&str>, k: usize) -> Result<Vec<QaHit>> {
        if question.len() > MAX_QUERY_BYTES {
            return Err(Error::LimitExceeded {
                what: "length of the question in bytes".into(),
                limit: MAX_QUERY_BYTES,
            });
        }
        if k > MAX_K {
            return Err(Error::LimitExceeded { what: "number of results asked for (k)".into(), limit: MAX_K });
        }
        let mut normalizer = Normalizer::default();
        let norm = normalizer.normalize(question);
        let mut any_token = false;
        // (term id, token, position among the query's known tokens), first occurrences only.
        let mut query: Vec<(u32, &str, u32)> = Vec::new();
        scan(norm, |token| {
            any_token = true;
            if let Some(&term) = self.vocab.get(token) {
                query.push((term, token, query.len() as u32));
            }
        });
        if !any_token {
            return Err(Error::EmptyQuestion);
        }
        if k == 0 || query.is_empty() {
            return Ok(Vec::new());
        }
        // Distinct terms, in order of first appearance.
        crate::util::sort::sort_unstable_by_key(&mut query, |&(term, _, pos)| (term, pos));
        query.dedup_by_key(|q| q.0);
        crate::util::sort::sort_unstable_by_key(&mut query, |q| q.2);

        let top = self.top_k(&query, stage, k);
        Ok(top
            .into_iter()
            .map(|cand| {
                let doc = cand.doc;
                let entry = &self.entries[doc as usize];
                let matched = query
                    .iter()
                    .filter(|&&(term, _, _)| {
                        self.fields[QUESTION].contains(term, doc) || self.fields[ANSWER].contains(term, doc)
                    })
                    .map(|&(_, token, _)| token.to_owned())
                    .collect();
                QaHit {
                    id: entry.id.clone(),
                    score: cand.score,
                    question: entry.question.clone(),
                    answer: entry.answer.clone(),
                    stages: entry.stages.clone(),
                    matched,
                }
            })
            .collect())
    }

    /// The best `k` entries for the distinct query terms, best first (see "Cost" on [`QaIndex`]).
    fn top_k(&self, query: &[(u32, &str, u32)], stage: Option<&str>, k: usize) -> Vec<Candidate> {
        Search::new(self, query, stage, k, WINDOW).run()
    }
}

/// The state of one search: cursors over the query terms' postings, the pruning threshold, the
/// window accumulator and the best entries so far.
struct Search<'a> {
    index: &'a QaIndex,
    /// One per (field, query term) present in the field, by ascending bound.
    cursors: Vec<Cursor<'a>>,
    /// `prefix[i]`: the most cursors `0..=i` together add to one entry's unboosted score.
    prefix: Vec<f64>,
    /// Cursor indices in canonical summation order.
    canonical: Vec<usize>,
    /// Whether pruning is sound: scores only grow with each matched term.
    prune: bool,
    /// The most the stage boost multiplies a score by.
    boost_bound: f64,
    /// An entry whose score bound is below `theta` cannot be in the result.
    theta: f64,
    /// Cursors before this one cannot lift an entry to `theta` on their own, so only the
    /// entries in the lists of the others ("essential") are candidates.
    first_essential: usize,
    /// Entries listing the asked stage, ascending, and how many lie before the current window.
    boosted: &'a [u32],
    next_boosted: usize,
    /// Entries per window, a multiple of 64 (tests use small ones to cross many windows).
    window: usize,
    /// Per window entry: partial weighted sum (any order), used for pruning only.
    acc: Vec<f64>,
    /// Per window entry and field: the exact sum, in canonical order.
    sums: [Vec<f64>; 2],
    candidates: Bits,
    boost: Bits,
    top: BinaryHeap<Candidate>,
    k: usize,
}

impl<'a> Search<'a> {
    fn new(index: &'a QaIndex, query: &[(u32, &str, u32)], stage: Option<&str>, k: usize, window: usize) -> Self {
        let cfg = &index.config;
        let n_terms = query.len();
        let mut cursors: Vec<Cursor<'a>> = Vec::with_capacity(2 * n_terms);
        for (f, field) in index.fields.iter().enumerate() {
            let weight = if f == QUESTION { 1.0 } else { cfg.answer_weight };
            for (pos, &(term, _, _)) in query.iter().enumerate() {
                let range = field.range(term);
                if range.is_empty() {
                    continue;
                }
                let t = term as usize;
                cursors.push(Cursor {
                    docs: &field.docs[range.clone()],
                    tfs: &field.tfs[range],
                    pos: 0,
                    start: 0,
                    norm: &field.norm,
                    idf: field.idf[t],
                    field: f,
                    weight,
                    slot: (f * n_terms + pos) as u32,
                    bound: weight * field.max_term[t],
                });
            }
        }
        crate::util::sort::sort_unstable_by(&mut cursors, |a, b| a.bound.total_cmp(&b.bound).then(a.slot.cmp(&b.slot)));
        let mut prefix = Vec::with_capacity(cursors.len());
        let mut total = 0.0;
        for cursor in &cursors {
            total += cursor.bound;
            prefix.push(total);
        }
        let mut canonical: Vec<usize> = (0..cursors.len()).collect();
        crate::util::sort::sort_unstable_by_key(&mut canonical, |&i| cursors[i].slot);
        let prune = cfg.answer_weight >= 0.0 && cfg.stage_boost >= 0.0;
        let boosted: &[u32] = stage.and_then(|s| index.stage_docs.get(s)).map_or(&[], Vec::as_slice);
        let mut search = Search {
            index,
            cursors,
            prefix,
            canonical,
            prune,
            boost_bound: if boosted.is_empty() { 1.0 } else { cfg.stage_boost.max(1.0) },
            theta: if prune { cfg.min_score } else { f64::NEG_INFINITY },
            first_essential: 0,
            boosted,
            next_boosted: 0,
            window,
            acc: vec![0.0; window],
            sums: [vec![0.0; window], vec![0.0; window]],
            candidates: Bits::new(window),
            boost: Bits::new(window),
            top: BinaryHeap::with_capacity(k + 1),
            k,
        };
        search.update_essential();
        search
    }

    /// Scores window after window, each starting at the smallest entry left in an essential list.
    fn run(mut self) -> Vec<Candidate> {
        while let Some(base) = self.cursors[self.first_essential..].iter().filter_map(Cursor::doc).min() {
            self.window(base);
        }
        self.top.into_sorted_vec()
    }

    /// Moves `first_essential` past the cursors that `theta` makes non-essential.
    fn update_essential(&mut self) {
        let scale = self.boost_bound * SLACK;
        while self.first_essential < self.prefix.len() && self.prefix[self.first_essential] * scale < self.theta {
            self.first_essential += 1;
        }
    }

    /// Scores the window of entries `base..base + window`.
    fn window(&mut self, base: u32) {
        let end = base.saturating_add(self.window as u32);
        while let Some(&doc) = self.boosted.get(self.next_boosted).filter(|&&d| d < end) {
            self.next_boosted += 1;
            if doc >= base {
                self.boost.set((doc - base) as usize);
            }
        }
        let essential = self.first_essential;
        // 1. Essential lists: the candidates and their partial sums (in any order).
        for cursor in &mut self.cursors[essential..] {
            cursor.start = cursor.pos;
            while let Some(doc) = cursor.doc().filter(|&d| d < end) {
                let i = (doc - base) as usize;
                self.acc[i] += cursor.weight * cursor.term_score(cursor.pos);
                self.candidates.set(i);
                cursor.pos += 1;
            }
        }
        // 2. Drop the candidates that cannot reach theta even with every other term.
        let (theta, boost_bound, acc, boost) = (self.theta, self.boost_bound, &self.acc, &self.boost);
        let factor = |i: usize| if boost.get(i) { boost_bound } else { 1.0 };
        let rest = if essential == 0 { 0.0 } else { self.prefix[essential - 1] };
        self.candidates.retain(|i| (acc[i] + rest) * factor(i) * SLACK >= theta);
        // 3. The other lists, for the remaining candidates only; then drop again.
        if !self.candidates.is_empty() {
            for cursor in &mut self.cursors[..essential] {
                cursor.seek(base);
                cursor.start = cursor.pos;
                while let Some(doc) = cursor.doc().filter(|&d| d < end) {
                    let i = (doc - base) as usize;
                    if self.candidates.get(i) {
                        self.acc[i] += cursor.weight * cursor.term_score(cursor.pos);
                    }
                    cursor.pos += 1;
                }
            }
            let acc = &self.acc;
            self.candidates.retain(|i| acc[i] * factor(i) * SLACK >= theta);
            // 4. The survivors' exact scores.
            self.score_candidates(base);
        }
        self.acc.fill(0.0);
        self.candidates.clear();
        self.boost.clear();
        self.update_essential();
    }

    /// Computes the exact score of each remaining candidate of the window at `base` (each field
    /// summed in canonical order) and offers it to the result.
    fn score_candidates(&mut self, base: u32) {
        let survivors = self.candidates.count();
        let window_postings: usize = self.cursors.iter().map(|c| c.pos - c.start).sum();
        if survivors * self.cursors.len() * 8 < window_postings {
            // Few survivors: look each one up in every list.
            for i in self.candidates.iter() {
                let doc = base + i as u32;
                for &c in &self.canonical {
                    let cursor = &self.cursors[c];
                    if let Ok(j) = cursor.docs[cursor.start..cursor.pos].binary_search(&doc) {
                        self.sums[cursor.field][i] += cursor.term_score(cursor.start + j);
                    }
                }
            }
        } else {
            // Many: read every list's postings in the window.
            for &c in &self.canonical {
                let cursor = &self.cursors[c];
                let sum = &mut self.sums[cursor.field];
                for p in cursor.start..cursor.pos {
                    let i = (cursor.docs[p] - base) as usize;
                    if self.candidates.get(i) {
                        sum[i] += cursor.term_score(p);
                    }
                }
            }
        }
        let cfg = &self.index.config;
        for i in self.candidates.iter() {
            let mut score = self.sums[QUESTION][i] + cfg.answer_weight * self.sums[ANSWER][i];
            self.sums[QUESTION][i] = 0.0;
            self.sums[ANSWER][i] = 0.0;
            if self.boost.get(i) {
                score *= cfg.stage_boost;
            }
            if !(score > 0.0 && score >= cfg.min_score) {
                continue;
            }
            let doc = base + i as u32;
            let cand = Candidate { score, rank: self.index.id_rank[doc as usize], doc };
            if self.top.len() < self.k {
                self.top.push(cand);
            } else if let Some(mut worst) = self.top.peek_mut()
                && cand < *worst
            {
                *worst = cand;
            }
            if self.prune
                && self.top.len() == self.k
                && let Some(worst) = self.top.peek()
            {
                self.theta = self.theta.max(worst.score);
            }
        }
    }
}

/// A bit set over the entries of one window.
struct Bits(Vec<u64>);

impl Bits {
    fn new(window: usize) -> Self {
        Bits(vec![0; window.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    fn count(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn clear(&mut self) {
        self.0.fill(0);
    }

    /// Keeps the set bits for which `keep` holds.
    fn retain(&mut self, mut keep: impl FnMut(usize) -> bool) {
        for (w, word) in self.0.iter_mut().enumerate() {
            let mut bits = *word;
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if !keep(w * 64 + b) {
                    *word &= !(1 << b);
                }
            }
        }
    }

    /// The set bits, ascending.
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + b
                })
            })
        })
    }
}

/// Entries scored together: the per-query accumulator holds this many field sums of each field.
const WINDOW: usize = 4096;

/// Relative margin added to score bounds, far above the rounding error of summing a few thousand
/// positive terms in another order, so pruning never drops an entry that belongs in the result.
const SLACK: f64 = 1.0 + 1e-9;

/// The BM25 term score `idf · tf / (tf + norm)`, evaluated as `(idf · tf) / (tf + norm)`.
fn term_score(idf: f64, tf: u32, norm: f64) -> f64 {
    let tf = f64::from(tf);
    idf * tf / (tf + norm)
}

/// A position in the postings of one query term in one field.
struct Cursor<'a> {
    docs: &'a [u32],
    tfs: &'a [u32],
    pos: usize,
    /// Where the cursor entered the current window.
    start: usize,
    norm: &'a [f64],
    idf: f64,
    field: usize,
    /// 1 in the question field, `answer_weight` in the answer field.
    weight: f64,
    /// `field · n_terms + query position`: the canonical summation order.
    slot: u32,
    /// The most this term adds to an entry's unboosted score (`max_term`, times `answer_weight`
    /// in the answer field).
    bound: f64,
}

impl Cursor<'_> {
    /// The entry under the cursor, if any is left.
    fn doc(&self) -> Option<u32> {
        self.docs.get(self.pos).copied()
    }

    /// The term score of posting `p`.
    fn term_score(&self, p: usize) -> f64 {
        term_score(self.idf, self.tfs[p], self.norm[self.docs[p] as usize])
    }

    /// Moves forward to the first posting with entry ≥ `target` (galloping, then binary search).
    fn seek(&mut self, target: u32) {
        let docs = self.docs;
        if docs.get(self.pos).is_none_or(|&d| d >= target) {
            return;
        }
        // Invariant: docs[lo] < target; docs[hi] >= target or hi == len.
        let mut lo = self.pos;
        let mut step = 1;
        let mut hi = lo + step;
        while hi < docs.len() && docs[hi] < target {
            lo = hi;
            step *= 2;
            hi = lo + step;
        }
        let hi = hi.min(docs.len());
        self.pos = lo + 1 + docs[lo + 1..hi].partition_point(|&d| d < target);
    }
}

/// A scored entry. Ordered worst-last, so `a < b` means `a` ranks before `b` and the top of a
/// max-heap is the worst candidate kept.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f64,
    rank: u32,
    doc: u32,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other.score.total_cmp(&self.score).then(self.rank.cmp(&other.rank))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

/// Collects one field's postings while entries are added in order.
struct FieldBuilder {
    /// (term, entry, tf), in entry order.
    triples: Vec<(u32, u32, u32)>,
    /// Token count per entry.
    lengths: Vec<u32>,
}

impl FieldBuilder {
    fn with_docs(n: usize) -> Self {
        FieldBuilder { triples: Vec::new(), lengths: Vec::with_capacity(n) }
    }

    /// Adds the next entry, whose field has these term ids (sorted in place).
    fn add(&mut self, doc: u32, terms: &mut [u32]) {
        self.lengths.push(terms.len() as u32);
        crate::util::sort::sort_unstable(terms);
        for run in terms.chunk_by(|a, b| a == b) {
            self.triples.push((run[0], doc, run.len() as u32));
        }
    }

    /// Groups the postings by term (a stable counting sort, so each list stays in entry order) and
    /// precomputes the length normalisation.
    fn finish(self, vocab_len: usize, config: &QaConfig) -> Field {
        let mut offsets = vec![0usize; vocab_len + 1];
        for &(term, _, _) in &self.triples {
            offsets[term as usize + 1] += 1;
        }
        for t in 0..vocab_len {
            offsets[t + 1] += offsets[t];
        }
        let mut fill = offsets.clone();
        let mut docs = vec![0u32; self.triples.len()];
        let mut tfs = vec![0u32; self.triples.len()];
        for &(term, doc, tf) in &self.triples {
            let slot = &mut fill[term as usize];
            docs[*slot] = doc;
            tfs[*slot] = tf;
            *slot += 1;
        }
        drop(self.triples);

        let total: u64 = self.lengths.iter().map(|&l| u64::from(l)).sum();
        let n = self.lengths.len();
        let avgdl = if n == 0 { 0.0 } else { total as f64 / n as f64 };
        let (k1, b) = (config.k1, config.b);
        let norm: Vec<f64> = if avgdl > 0.0 {
            self.lengths.iter().map(|&dl| k1 * (1.0 - b + b * f64::from(dl) / avgdl)).collect()
        } else {
            vec![0.0; n]
        };
        let n_docs = n as f64;
        let mut idf = Vec::with_capacity(vocab_len);
        let mut max_term = Vec::with_capacity(vocab_len);
        for t in 0..vocab_len {
            let range = offsets[t]..offsets[t + 1];
            let df = range.len() as f64;
            let term_idf = libm::log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
            let most = docs[range.clone()]
                .iter()
                .zip(&tfs[range])
                .map(|(&doc, &tf)| term_score(term_idf, tf, norm[doc as usize]))
                .fold(0.0, f64::max);
            idf.push(term_idf);
            max_term.push(most);
        }
        Field { offsets, docs, tfs, norm, idf, max_term }
    }
}

/// Appends the term ids of `text`'s tokens to `terms`, adding new tokens to the vocabulary.
fn intern_tokens(text: &str, normalizer: &mut Normalizer, vocab: &mut FxHashMap<Box<str>, u32>, terms: &mut Vec<u32>) {
    scan(normalizer.normalize(text), |token| {
        let term = if let Some(&term) = vocab.get(token) {
            term
        } else {
            let term = vocab.len() as u32;
            vocab.insert(token.into(), term);
            term
        };
        terms.push(term);
    });
}

fn check_config(config: &QaConfig) -> Result<()> {
    let bad = |field: &str, message: &str| Err(Error::model(format!("qa.{field}"), message));
    if !(config.k1.is_finite() && config.k1 >= 0.0) {
        return bad("k1", "must be a finite number >= 0");
    }
    if !(0.0..=1.0).contains(&config.b) {
        return bad("b", "must be between 0 and 1");
    }
    for (field, value) in
        [("answer_weight", config.answer_weight), ("stage_boost", config.stage_boost), ("min_score", config.min_score)]
    {
        if !value.is_finite() {
            return bad(field, "must be a finite number");
        }
    }
    Ok(())
}

fn check_entry(i: usize, entry: &QaEntry) -> Result<()> {
    let too_long = |field: &str| Error::LimitExceeded {
        what: format!("length of entries[{i}].{field} in bytes"),
        limit: MAX_FIELD_BYTES,
    };
    if entry.id.is_empty() {
        return Err(Error::EmptyId { path: format!("entries[{i}].id") });
    }
    for (field, len) in [
        ("id", entry.id.len()),
        ("question", entry.question.len()),
        ("answer", entry.answer.len()),
        ("stages", entry.stages.iter().map(String::len).sum()),
        ("tags", entry.tags.iter().map(String::len).sum()),
    ] {
        if len > MAX_FIELD_BYTES {
            return Err(too_long(field));
        }
    }
    if entry.question.trim().is_empty() {
        return Err(Error::MissingQuestion { path: format!("entries[{i}].question") });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Scores every entry straight from the postings, in the canonical order, without pruning.
    fn exhaustive(index: &QaIndex, question: &str, stage: Option<&str>, k: usize) -> Vec<(u32, u64)> {
        let mut normalizer = Normalizer::default();
        let mut terms: Vec<u32> = Vec::new();
        scan(normalizer.normalize(question), |token| {
            if let Some(&term) = index.vocab.get(token)
                && !terms.contains(&term)
            {
                terms.push(term);
            }
        });
        let cfg = &index.config;
        let mut all: Vec<(f64, u32, u32)> = Vec::new();
        for doc in 0..index.entries.len() as u32 {
            let mut sums = [0.0f64; 2];
            for (f, field) in index.fields.iter().enumerate() {
                for &term in &terms {
                    let range = field.range(term);
                    if let Ok(j) = field.docs[range.clone()].binary_search(&doc) {
                        let p = range.start + j;
                        sums[f] += term_score(field.idf[term as usize], field.tfs[p], field.norm[doc as usize]);
                    }
                }
            }
            let mut score = sums[QUESTION] + cfg.answer_weight * sums[ANSWER];
            if stage.is_some_and(|s| index.entries[doc as usize].stages.iter().any(|x| x == s)) {
                score *= cfg.stage_boost;
            }
            if score > 0.0 && score >= cfg.min_score {
                all.push((score, index.id_rank[doc as usize], doc));
            }
        }
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all.into_iter().take(k).map(|(score, _, doc)| (doc, score.to_bits())).collect()
    }

    const WORDS: &[&str] = &["alpha", "beta", "gamma", "delta", "見積", "価格", "納期", "zeta", "eta", "theta"];

    fn corpus() -> impl Strategy<Value = Vec<QaEntry>> {
        // Skewed: word i is drawn with probability roughly proportional to 1 / (i + 1).
        let word = (0..WORDS.len(), 0..WORDS.len()).prop_map(|(a, b)| WORDS[a.min(b)]);
        let text = move |max: usize| prop::collection::vec(word.clone(), 1..=max).prop_map(|w| w.join(" "));
        let stages = prop::sample::subsequence(vec!["s1", "s2"], 0..=1);
        prop::collection::vec((text(5), text(8), stages), 64..700).prop_map(|rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (question, answer, stages))| QaEntry {
                    id: format!("{:04}", (i * 7919) % 10_007),
                    question,
                    answer,
                    stages: stages.into_iter().map(str::to_owned).collect(),
                    tags: Vec::new(),
                })
                .collect()
        })
    }

    fn query() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 1..6).prop_map(|w| w.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Pruning across many small windows returns exactly the exhaustive top k.
        #[test]
        fn windowed_pruning_is_exact(
            entries in corpus(),
            q in query(),
            stage in prop::option::of(prop::sample::select(vec!["s1", "s2"])),
            k in 1usize..6,
            window in prop::sample::select(vec![64usize, 128, 4096]),
            answer_weight in prop::sample::select(vec![0.0, 0.3, 1.0]),
            stage_boost in prop::sample::select(vec![0.5, 1.0, 1.5, 4.0]),
            min_score in prop::sample::select(vec![0.0, 0.5, 2.0]),
        ) {
            let config = QaConfig { answer_weight, stage_boost, min_score, ..QaConfig::default() };
            let index = QaIndex::new(entries, &config).unwrap();
            let mut normalizer = Normalizer::default();
            let mut query: Vec<(u32, &str, u32)> = Vec::new();
            scan(normalizer.normalize(&q), |token| {
                if let Some(&term) = index.vocab.get(token)
                    && !query.iter().any(|x| x.0 == term)
                {
                    query.push((term, token, query.len() as u32));
                }
            });
            prop_assume!(!query.is_empty());
            let got: Vec<(u32, u64)> = Search::new(&index, &query, stage, k, window)
                .run()
                .into_iter()
                .map(|c| (c.doc, c.score.to_bits()))
                .collect();
            prop_assert_eq!(got, exhaustive(&index, &q, stage, k));
        }
    }
}
