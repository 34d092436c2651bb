//! Sorting for the core's own modules. With the `speed` feature (default) these are the standard
//! library's sorts. Without it (the wasm build) every call shares one small, stable merge sort
//! over indices: the standard sorts are fast but each element type and comparator instantiates
//! several kilobytes of code.
//!
//! The results are identical either way: the stable sorts are stable in both, and the callers of
//! the `unstable` ones only sort elements whose ties are indistinguishable (plain values, or keys
//! that are unique), so every correct sort gives the same order.

use std::cmp::Ordering;

/// Stable sort by `cmp`: the order of [`slice::sort_by`].
pub(crate) fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(feature = "speed")]
    v.sort_by(cmp);
    #[cfg(not(feature = "speed"))]
    small_sort_by(v, cmp);
}

/// Stable sort by key: the order of [`slice::sort_by_key`].
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    #[cfg(feature = "speed")]
    v.sort_by_key(key);
    #[cfg(not(feature = "speed"))]
    {
        let mut key = key;
        small_sort_by(v, |a, b| key(a).cmp(&key(b)));
    }
}

/// [`slice::sort_unstable`], for elements whose ties are indistinguishable.
pub(crate) fn sort_unstable<T: Ord>(v: &mut [T]) {
    #[cfg(feature = "speed")]
    v.sort_unstable();
    #[cfg(not(feature = "speed"))]
    small_sort_by(v, T::cmp);
}

/// [`slice::sort_unstable_by`], for comparators without ties between distinguishable elements.
pub(crate) fn sort_unstable_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(feature = "speed")]
    v.sort_unstable_by(cmp);
    #[cfg(not(feature = "speed"))]
    small_sort_by(v, cmp);
}

/// [`slice::sort_unstable_by_key`], for keys without ties between distinguishable elements.
pub(crate) fn sort_unstable_by_key<T, K: Ord>(v: &mut [T], key: impl FnMut(&T) -> K) {
    #[cfg(feature = "speed")]
    v.sort_unstable_by_key(key);
    #[cfg(not(feature = "speed"))]
    {
        let mut key = key;
        small_sort_by(v, |a, b| key(a).cmp(&key(b)));
    }
}

/// The small stable sort: the sorted order of the indices (one non-generic merge sort), then the
/// elements moved into it along the permutation's cycles.
#[cfg_attr(feature = "speed", allow(dead_code))]
fn small_sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order = stable_order(v.len(), &mut |a, b| cmp(&v[a], &v[b]) == Ordering::Less);
    // order[i] is the index of the element that belongs at i.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            v.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// Bottom-up merge sort of `0..n` by `less`; an element from the right run goes first only when
/// strictly less, which keeps the sort stable.
#[cfg_attr(feature = "speed", allow(dead_code))]
fn stable_order(n: usize, less: &mut dyn FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut merged = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut merged[start..end] {
                if j < end && (i == mid || less(order[j], order[i])) {
                    *slot = order[j];
                    j += 1;
                } else {
                    *slot = order[i];
                    i += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width *= 2;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::small_sort_by;

    /// A deterministic pseudo-random sequence (xorshift), so failures reproduce.
    fn values(seed: u64, len: usize, range: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % range
            })
            .collect()
    }

    #[test]
    fn small_sort_is_the_standard_stable_sort() {
        for len in (0..70).chain([127, 128, 129, 500, 1000, 4097]) {
            for (seed, range) in [(1, 3), (2, 10), (3, 1000), (4, u64::MAX), (5, 1)] {
                // (key, original position): ties on the key show whether the sort is stable.
                let items: Vec<(u64, usize)> =
                    values(seed + len as u64, len, range).into_iter().enumerate().map(|(i, k)| (k, i)).collect();
                let mut ours = items.clone();
                small_sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
                let mut std = items.clone();
                std.sort_by_key(|x| x.0);
                assert_eq!(ours, std, "len {len} seed {seed} range {range}");
                let mut desc = items.clone();
                small_sort_by(&mut desc, |a, b| b.0.cmp(&a.0));
                let mut std_desc = items;
                std_desc.sort_by_key(|x| std::cmp::Reverse(x.0));
                assert_eq!(desc, std_desc);
            }
        }
    }

    #[test]
    fn small_sort_moves_owned_values() {
        let mut words: Vec<String> = ["pear", "fig", "apple", "fig", "kiwi", "date"].map(String::from).to_vec();
        small_sort_by(&mut words, Ord::cmp);
        assert_eq!(words, ["apple", "date", "fig", "fig", "kiwi", "pear"]);
    }
}
