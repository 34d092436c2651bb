//! A map from strings that keeps strings of up to 24 bytes as integers: the length plus three
//! (overlapping) 8-byte words, which identify such a string exactly. Hashing and comparing them
//! is a few integer operations instead of a byte loop and a `memcmp` call — the scoring loop does
//! several such look-ups per activity (ids, titles, names). Longer strings use an ordinary map.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap;

/// A string of at most 24 bytes, as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortKey {
    words: [u64; 3],
    len: u8,
}

impl ShortKey {
    fn new(s: &str) -> Option<ShortKey> {
        let b = s.as_bytes();
        let n = b.len();
        // Overlapping loads of fixed size (no byte loop, no `memcpy` call): with the length,
        // the bytes loaded determine the string.
        let words = match n {
            0 => [0, 0, 0],
            // Bytes 0, n/2 and n−1 are all the bytes of a 1-, 2- or 3-byte string.
            1..=3 => [u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0, 0],
            4..=7 => [u64::from(half(b, 0)) | u64::from(half(b, n - 4)) << 32, 0, 0],
            // Bytes 0..8, m..m+8 (m = (n−8)/2) and n−8..n cover any string of 8 to 24 bytes: one
            // arm for the lengths of most ids, names and titles, where two arms chosen by length
            // mispredicted on the mix of lengths (benches/README.md).
            8..=24 => [word(b, 0), word(b, (n - 8) / 2), word(b, n - 8)],
            _ => return None,
        };
        Some(ShortKey { words, len: n as u8 })
    }
}

/// One 64-bit hash from folded multiplies (as rustc-hash does for bytes): the words of ids like
/// `S-000001` differ only in their high bytes, which a plain multiply never carries down to the
/// low bits that pick a bucket.
impl Hash for ShortKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let [a, b, c] = self.words;
        let h = fold(a ^ 0x243f_6a88_85a3_08d3, b ^ 0x1319_8a2e_0370_7344)
            ^ fold(c ^ 0xa409_3822_299f_31d0, u64::from(self.len) ^ 0x082e_fa98_ec4e_6c89);
        state.write_u64(h);
    }
}

fn fold(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

fn half(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn word(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// A map keyed by strings, fast for short ones.
#[derive(Debug, Clone)]
pub(crate) struct ShortMap<V> {
    short: FxHashMap<ShortKey, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for ShortMap<V> {
    fn default() -> Self {
        ShortMap { short: FxHashMap::default(), long: FxHashMap::default() }
    }
}

impl<V> ShortMap<V> {
    // Inlined into the scorer's loop, which looks up about nine strings an activity: the call
    // itself (saving and restoring registers) was a tenth of the push's time.
    #[cfg_attr(feature = "speed", inline)]
    pub fn get(&self, s: &str) -> Option<&V> {
        match ShortKey::new(s) {
            Some(k) => self.short.get(&k),
            None => self.long.get(s),
        }
    }

    /// Inserts, returning the value `s` had.
    pub fn insert(&mut self, s: &str, v: V) -> Option<V> {
        match ShortKey::new(s) {
            Some(k) => self.short.insert(k, v),
            None => self.long.insert(s.into(), v),
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

impl<V> FromIterator<(String, V)> for ShortMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = ShortMap::default();
        for (k, v) in iter {
            map.insert(&k, v);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_round_trips_and_near_misses_differ() {
        let mut map = ShortMap::default();
        let base = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..=base.len() {
            assert_eq!(map.insert(&base[..n], n), None);
        }
        assert_eq!(map.len(), base.len() + 1);
        for n in 0..=base.len() {
            let s = &base[..n];
            assert_eq!(map.get(s), Some(&n), "{s:?}");
            // Same length, one byte changed at each position: never found.
            for i in 0..n {
                let mut t = s.as_bytes().to_vec();
                t[i] = b'_';
                assert_eq!(map.get(std::str::from_utf8(&t).unwrap()), None, "{s:?} at {i}");
            }
        }
        // Padding never collides with NUL bytes: "a" and "a\0" are different keys.
        assert_eq!(map.get("a\0"), None);
        assert_eq!(map.insert("a\0", 99), None);
        assert_eq!(map.get("a"), Some(&1));
        // Japanese text: 3 bytes a character.
        assert_eq!(map.insert("情報システム部", 7), None);
        assert_eq!(map.get("情報システム部"), Some(&7));
        assert_eq!(map.get("情報システム課"), None);
    }
}
