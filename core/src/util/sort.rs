//! Unstable sorting for orders that are total on the values sorted (no two elements compare
//! equal unless they are indistinguishable), so every correct sort gives the same result.
//!
//! With the `speed` feature this is the standard library's pattern-defeating quicksort; without
//! it (the wasm build) a heapsort, a few hundred bytes of wasm where each use of the standard sort
//! costs kilobytes (docs/wasm.md, "Size"). Results are identical either way, since
//! callers only pass total orders.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, which must be total on `v` (see the module docs).
#[cfg(feature = "speed")]
pub(crate) fn sort_unstable_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    v.sort_unstable_by(cmp);
}

/// Sorts `v` by `cmp`, which must be total on `v` (see the module docs).
#[cfg(not(feature = "speed"))]
pub(crate) fn sort_unstable_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    heapsort(v, &mut |a, b| cmp(a, b) == Ordering::Less);
}

/// Sorts `v` by the key `f`, which must be distinct for distinguishable elements.
pub(crate) fn sort_unstable_by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    sort_unstable_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in ascending order.
pub(crate) fn sort_unstable<T: Ord>(v: &mut [T]) {
    sort_unstable_by(v, T::cmp);
}

/// In-place heapsort: O(n log n) comparisons, no allocation, little code.
#[cfg(any(test, not(feature = "speed")))]
fn heapsort<T>(v: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    for node in (0..n / 2).rev() {
        sift_down(v, node, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

/// Moves `v[node]` down the max-heap `v[..end]` to where it belongs.
#[cfg(any(test, not(feature = "speed")))]
fn sift_down<T>(v: &mut [T], mut node: usize, end: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * node + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[node], &v[child]) {
            return;
        }
        v.swap(node, child);
        node = child;
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::heapsort;

    proptest! {
        #[test]
        fn heapsort_equals_the_standard_sort(mut v in prop::collection::vec((0u8..20, any::<u16>()), 0..200)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            heapsort(&mut v, &mut |a, b| a < b);
            prop_assert_eq!(v, expected);
        }
    }
}
