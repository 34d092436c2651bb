//! A deal's energy per day. When the days an activity can fall on are known beforehand and not
//! too far apart (the batch knows each deal's first and last day before folding it), the sums sit
//! in an array indexed by day: adding is one write and listing them needs no sort. Otherwise they
//! sit in a hash map.

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Default)]
pub(crate) struct DaySums {
    /// The day of `dense[0]`.
    first: i32,
    /// The sums from `first` on, when the span is known; empty otherwise.
    dense: Vec<u64>,
    sparse: FxHashMap<i32, u64>,
    /// What `sorted` returns, kept to reuse its memory.
    list: Vec<(i32, u64)>,
}

impl DaySums {
    /// Empties the sums, which then live in the map.
    pub fn clear(&mut self) {
        self.dense.clear();
        self.sparse.clear();
    }

    /// Empties the sums, which then live in an array over the days `first..=last` if that is at
    /// most a few times longer than the `activities` to come (listing the array then costs no
    /// more than sorting the map would).
    pub fn clear_for_span(&mut self, first: i32, last: i32, activities: usize) {
        self.clear();
        let len = usize::try_from(i64::from(last) - i64::from(first) + 1).unwrap_or(0);
        if len > 0 && len <= 8 * activities + 64 {
            self.first = first;
            self.dense.resize(len, 0);
        }
    }

    pub fn add(&mut self, day: i32, e: u64) {
        if !self.dense.is_empty() {
            let at = usize::try_from(i64::from(day) - i64::from(self.first)).ok();
            if let Some(sum) = at.and_then(|at| self.dense.get_mut(at)) {
                *sum += e;
                return;
            }
            // A day outside the span given: the map takes over.
            self.sparse.extend(drain_earned(&mut self.dense, self.first));
        }
        *self.sparse.entry(day).or_insert(0) += e;
    }

    /// Each day that earned energy with its sum, oldest first, leaving the sums empty. Days that
    /// earned nothing are left out: they add nothing to any axis.
    pub fn sorted(&mut self) -> &[(i32, u64)] {
        self.list.clear();
        self.list.extend(drain_earned(&mut self.dense, self.first));
        if !self.sparse.is_empty() {
            self.list.extend(self.sparse.drain().filter(|d| d.1 > 0));
            crate::util::sort::sort_unstable_by_key(&mut self.list, |d| d.0);
        }
        &self.list
    }
}

/// The days of `dense` (whose first is `first`) that earned energy, with their sums, oldest
/// first; `dense` is left empty.
fn drain_earned(dense: &mut Vec<u64>, first: i32) -> impl Iterator<Item = (i32, u64)> + '_ {
    dense.drain(..).zip(first..).filter(|s| s.0 > 0).map(|(e, day)| (day, e))
}

#[cfg(test)]
mod tests {
    use super::DaySums;

    /// The array, the map and a switch from one to the other list the same sums.
    #[test]
    fn every_representation_lists_the_same_sums() {
        let adds = [(5, 3), (2, 0), (9, 1), (5, 4), (2, 7), (3, 0)];
        let want = [(2, 7), (5, 7), (9, 1)];
        let mut sums = DaySums::default();
        for span in [None, Some((2, 9)), Some((0, 100)), Some((4, 6))] {
            match span {
                Some((first, last)) => sums.clear_for_span(first, last, adds.len()),
                None => sums.clear(),
            }
            for (day, e) in adds {
                sums.add(day, e);
            }
            assert_eq!(sums.sorted(), want, "{span:?}");
            assert!(sums.sorted().is_empty(), "{span:?}: sorted empties the sums");
        }
        // Too wide a span for the activities to come: the map.
        sums.clear_for_span(0, 10_000, 2);
        assert!(sums.dense.is_empty());
    }
}
