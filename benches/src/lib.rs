//! Shared inputs of the benchmarks: `dealscore synth` data, generated in memory.

use dealscore::{Activity, Date, Deal};
use dealscore_cli::synth::Synth;

/// The date every benchmark scores as of (the synthetic data ends there).
pub fn as_of() -> Date {
    "2026-11-27".parse().expect("a valid date")
}

/// `deals` deals and `activities` activities, exactly as `dealscore synth --seed 7` writes them.
pub fn synth(deals: usize, activities: usize) -> (Vec<Deal>, Vec<Activity>) {
    let mut s = Synth::new(deals, activities, 7, as_of()).expect("deals > 0");
    let acts: Vec<Activity> = s.by_ref().collect();
    (s.deals().to_vec(), acts)
}

/// A won/lost history: `dealscore synth --seed 7 --outcomes` (deals with outcomes and close dates,
/// activities leading up to them).
pub fn synth_history(deals: usize, activities: usize) -> (Vec<Deal>, Vec<Activity>) {
    let mut s = Synth::new(deals, activities, 7, as_of()).expect("deals > 0").with_outcomes();
    let acts: Vec<Activity> = s.by_ref().collect();
    (s.deals().to_vec(), acts)
}
