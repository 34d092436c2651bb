//! Repeated activity ids, found over 64-bit hashes of the ids: a bitmap filter picks the
//! candidates, which are then confirmed on the ids themselves. The batch scorer and the parts of a
//! shared stream keep their ids this way and check them all at once.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashSet};

/// The hash [`first_duplicate`] reads an id by (its high bits pick the bitmap's bit).
pub(crate) fn id_hash(id: &str) -> u64 {
    FxBuildHasher.hash_one(id.as_bytes())
}

/// Activity ids by position, with their hashes.
#[cfg(feature = "parallel")]
pub(crate) trait Ids {
    fn count(&self) -> usize;
    fn hashes(&self) -> &[u64];
    fn id(&self, at: usize) -> &str;
}

/// An id that occurs twice in `sources` (in one or in two of them).
#[cfg(feature = "parallel")]
pub(crate) fn repeated_id<S: Ids>(sources: &[&S]) -> Option<String> {
    // Positions run on from one source to the next.
    let starts: Vec<usize> = sources
        .iter()
        .scan(0, |at, s| {
            let start = *at;
            *at += s.count();
            Some(start)
        })
        .collect();
    let id = |at: usize| {
        let k = starts.partition_point(|&s| s <= at) - 1;
        sources[k].id(at - starts[k])
    };
    let len = sources.iter().map(|s| s.count()).sum();
    let hashes = sources.iter().flat_map(|s| s.hashes().iter().copied());
    first_duplicate(len, hashes, id).map(|at| id(at).to_owned())
}

/// The ids of the activities one part took, in push order, to be checked against every part's
/// once the pushing is done ([`check_ids`](crate::parallel::SharedStream::check_ids)). Checking
/// each push against a set shared by all threads cost a lock and a cache miss per activity; a
/// log costs an append.
#[cfg(feature = "parallel")]
#[derive(Debug, Default)]
pub(crate) struct IdLog {
    hashes: Vec<u64>,
    text: String,
    ends: Vec<usize>,
}

#[cfg(feature = "parallel")]
impl IdLog {
    pub fn push(&mut self, id: &str) {
        self.hashes.push(id_hash(id));
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// Takes back the last id pushed.
    pub fn pop(&mut self) {
        self.hashes.pop();
        self.ends.pop();
        self.text.truncate(self.ends.last().copied().unwrap_or(0));
    }
}

#[cfg(feature = "parallel")]
impl Ids for IdLog {
    fn count(&self) -> usize {
        self.ends.len()
    }

    fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    fn id(&self, at: usize) -> &str {
        let start = if at == 0 { 0 } else { self.ends[at - 1] };
        &self.text[start..self.ends[at]]
    }
}

/// The position of the first id that an earlier position already had, given every id's hash.
///
/// A bitmap of 8 bits per id, indexed by the hash, finds the candidates first: a repeated id
/// finds its bit set, and so does a different id sharing those hash bits (a few per cent). Only
/// positions whose full hash is a candidate's are then sorted and confirmed on the ids, so the
/// answer is exact and the cost is one pass over a cache-sized bitmap, not a sort of every hash.
pub(crate) fn first_duplicate<'s>(
    len: usize,
    hashes: impl Iterator<Item = u64> + Clone,
    id: impl Fn(usize) -> &'s str,
) -> Option<usize> {
    let bits = (len * 8).next_power_of_two().max(64);
    let shift = 64 - bits.trailing_zeros();
    let mut bitmap = vec![0u64; bits / 64];
    let mut candidates = FxHashSet::default();
    for h in hashes.clone() {
        // The high bits: the best mixed of a multiplicative hash.
        let b = (h >> shift) as usize;
        let (word, bit) = (&mut bitmap[b / 64], 1u64 << (b % 64));
        if *word & bit != 0 {
            candidates.insert(h);
        }
        *word |= bit;
    }
    if candidates.is_empty() {
        return None;
    }
    let mut keys: Vec<(u64, usize)> =
        (0..).zip(hashes).filter(|(_, h)| candidates.contains(h)).map(|(at, h)| (h, at)).collect();
    crate::util::sort::sort_unstable(&mut keys);
    keys.chunk_by(|x, y| x.0 == y.0)
        .filter(|run| run.len() > 1)
        .filter_map(|run| {
            // Positions ascend within a run: the first repeat is the earliest position whose id
            // occurred before it.
            let mut seen: Vec<&str> = Vec::with_capacity(run.len());
            run.iter().find_map(|&(_, at)| {
                let s = id(at);
                if seen.contains(&s) {
                    Some(at)
                } else {
                    seen.push(s);
                    None
                }
            })
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal hashes are only candidates: a collision between different ids is no duplicate, and
    /// of several repeats the earliest repeating position wins, whatever the hash order.
    #[test]
    fn duplicates_are_confirmed_on_the_ids() {
        let ids = ["a", "b", "c", "b", "a", "d"];
        let id = |at: usize| ids[at];
        // Every id under one hash: a worst-case collision.
        assert_eq!(first_duplicate(6, [7; 6].into_iter(), id), Some(3));
        // Distinct ids colliding: no duplicate.
        assert_eq!(first_duplicate(3, [1, 1, 1].into_iter(), id), None);
        // Hashes sharing their bitmap bit but not equal: candidates, no duplicate.
        assert_eq!(first_duplicate(3, [1, 2, 3].into_iter(), id), None);
        // Real hashes, repeats in two runs: position 3 ("b" again) comes before 4 ("a" again).
        let h = [9 << 60, 5 << 60, 3 << 60, 5 << 60, 9 << 60, 4 << 60];
        assert_eq!(first_duplicate(6, h.into_iter(), id), Some(3));
        assert_eq!(first_duplicate(0, std::iter::empty(), id), None);
    }

    /// The log gives back exactly the last id pushed, and a repeat across two logs is found.
    #[cfg(feature = "parallel")]
    #[test]
    fn id_log_pops_the_last_id() {
        let mut log = IdLog::default();
        for id in ["a", "bb", "ccc"] {
            log.push(id);
        }
        log.pop();
        log.push("dd");
        assert_eq!((0..log.count()).map(|i| log.id(i)).collect::<Vec<_>>(), ["a", "bb", "dd"]);
        assert_eq!(repeated_id(&[&log]), None);
        let mut other = IdLog::default();
        other.push("c");
        other.push("bb");
        assert_eq!(repeated_id(&[&log, &other]).as_deref(), Some("bb"));
    }
}
