//! Which deals a scorer takes when the work is shared out (threads, or machines in Spark).

use crate::error::{Error, Result};

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

    /// Refuses activity `id` of `deal` when `part` is set and `deal` is not in it: a scorer of one
    /// part (of several) was handed another part's activity.
    pub(crate) fn admit(part: Option<Part>, id: &str, deal: &str) -> Result<()> {
        match part {
            Some(part) if !part.contains(deal) => Err(Error::InvalidInput {
                path: "activities".into(),
                message: format!(
                    "activity {id:?} is of deal {deal:?}, which is not in part {} of {}",
                    part.index(),
                    part.count()
                ),
            }),
            _ => Ok(()),
        }
    }

    /// The part of `count` that deal `id` belongs to.
    #[inline]
    pub fn of(id: &str, count: usize) -> usize {
        // The high half of hash × count: uniform over the parts without a division.
        ((u128::from(xxhash_rust::xxh3::xxh3_64(id.as_bytes())) * count as u128) >> 64) as usize
    }
}
