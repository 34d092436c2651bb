//! Ranking and calibration measures shared by backtest and fit, exact and deterministic.

use crate::util::sort::sort_unstable_by;

/// The probability that a positive outscores a negative, ties counting one half (OUTCOMES §3):
/// scores ranked ascending, ties sharing their average 1-based rank, `R` the positives' rank sum,
/// `(R − w(w+1)/2) / (w·l)` with that one division. `None` when either class is empty.
///
/// Ranks are kept doubled (integers) until the division, so no rounding happens before it.
pub(crate) fn auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    debug_assert_eq!(scores.len(), positive.len());
    let w = positive.iter().filter(|&&p| p).count() as u64;
    let l = scores.len() as u64 - w;
    if w == 0 || l == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    sort_unstable_by(&mut order, |&a, &b| scores[a].total_cmp(&scores[b]));
    // Twice the positives' rank sum: a tie group at 1-based ranks i+1..=j has average rank
    // (i+1+j)/2, so each member adds i+1+j.
    let mut twice_r: u128 = 0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && scores[order[j]] == scores[order[i]] {
            j += 1;
        }
        let won_here = order[i..j].iter().filter(|&&k| positive[k]).count() as u128;
        twice_r += won_here * (i as u128 + 1 + j as u128);
        i = j;
    }
    let twice_u = twice_r - u128::from(w) * u128::from(w + 1);
    Some(twice_u as f64 / (2 * w * l) as f64)
}

/// Mean logistic loss of predicted probabilities, each clamped into [1e-15, 1 − 1e-15] so a
/// confident miss costs a large finite amount (as scikit-learn's `log_loss` did).
#[allow(dead_code)] // the scorecard and fit use it (next)
pub(crate) fn log_loss(p: &[f64], positive: &[bool]) -> f64 {
    debug_assert_eq!(p.len(), positive.len());
    if p.is_empty() {
        return 0.0;
    }
    let total: f64 = p
        .iter()
        .zip(positive)
        .map(|(&p, &y)| {
            let p = p.clamp(1e-15, 1.0 - 1e-15);
            -libm::log(if y { p } else { 1.0 - p })
        })
        .sum();
    total / p.len() as f64
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// AUC depends only on the order of the scores: adding a constant (exactly representable
        /// shifts keep every comparison) changes nothing; it stays within [0, 1].
        #[test]
        fn auc_is_invariant_under_a_shift(raw in prop::collection::vec((0..20u32, any::<bool>()), 0..60), shift in -1000..1000i32) {
            let scores: Vec<f64> = raw.iter().map(|r| f64::from(r.0)).collect();
            let won: Vec<bool> = raw.iter().map(|r| r.1).collect();
            let shifted: Vec<f64> = scores.iter().map(|s| s + f64::from(shift)).collect();
            let a = auc(&scores, &won);
            prop_assert_eq!(a, auc(&shifted, &won));
            if let Some(a) = a {
                prop_assert!((0.0..=1.0).contains(&a));
            }
        }
    }

    #[test]
    fn auc_counts_ties_as_half() {
        // won 3, lost 1 and 3 (tie with the won 3), lost 0: pairs won>lost: 3>1, 3>0 = 2; tie 3=3 = 0.5
        let scores = [3.0, 1.0, 3.0, 0.0];
        let won = [true, false, false, false];
        assert_eq!(auc(&scores, &won), Some(2.5 / 3.0));
    }

    #[test]
    fn auc_of_perfect_reversed_and_one_class() {
        assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[false, false, true, true]), Some(1.0));
        assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[true, true, false, false]), Some(0.0));
        assert_eq!(auc(&[5.0, 5.0, 5.0], &[true, false, true]), Some(0.5));
        assert_eq!(auc(&[1.0, 2.0], &[true, true]), None);
        assert_eq!(auc(&[], &[]), None);
    }

    #[test]
    fn auc_matches_pair_counting() {
        // A deterministic pseudo-random population with many ties, checked against O(n²) pairs.
        let mut x: u64 = 12345;
        let mut scores = Vec::new();
        let mut won = Vec::new();
        for _ in 0..300 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            scores.push(((x >> 33) % 17) as f64);
            won.push((x >> 20).is_multiple_of(3));
        }
        let (mut num, mut pairs) = (0.0, 0.0);
        for i in 0..scores.len() {
            for j in 0..scores.len() {
                if won[i] && !won[j] {
                    pairs += 1.0;
                    num += if scores[i] > scores[j] {
                        1.0
                    } else if scores[i] == scores[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        let got = auc(&scores, &won).unwrap();
        assert!((got - num / pairs).abs() < 1e-12, "{got} vs {}", num / pairs);
    }

    #[test]
    fn log_loss_of_known_values() {
        assert_eq!(log_loss(&[0.5, 0.5], &[true, false]), libm::log(2.0));
        assert!((log_loss(&[0.0], &[true]) - 34.538_776_394_910_684).abs() < 1e-9);
    }
}
