//! Which deals a scorer takes when the work is shared out (threads, or machines in Spark).

/// One of `count` disjoint parts of the deals, chosen by a hash of the deal id (XXH3, the same
/// on every machine and run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    pub(crate) index: usize,
    pub(crate) count: usize,
}

impl Part {
    /// Part `index` of `count`; `None` unless `index < count`.
    pub fn new(index: usize, count: usize) -> Option<Part> {
        (index < count).then_some(Part { index, count })
    }

    pub fn index(self) -> usize {
        self.index
    }

    pub fn count(self) -> usize {
        self.count
    }

    /// Whether deal `id` belongs to this part.
    #[inline]
    pub fn contains(self, id: &str) -> bool {
        self.count == 1 || Part::of(id, self.count) == self.index
    }

    /// The part of `count` that deal `id` belongs to.
    #[inline]
    pub fn of(id: &str, count: usize) -> usize {
        // The high half of hash × count: uniform over the parts without a division.
        ((u128::from(xxhash_rust::xxh3::xxh3_64(id.as_bytes())) * count as u128) >> 64) as usize
    }
}
