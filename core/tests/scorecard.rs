//! Properties of the integer scorecard (OUTCOMES §5) on random tables: whatever the data, the
//! points stay in the box, at most k are non-zero, the multiplier is positive and the figures
//! are in range; the same input gives the same bytes.

use dealscore::{Label, ScorecardOptions, ScorecardTable, fit_scorecard};
use proptest::prelude::*;

/// A table of `n` rows and `p` columns of small integers (many ties, some constant columns),
/// labels with both classes.
fn tables() -> impl Strategy<Value = (usize, Vec<f64>, Vec<bool>, ScorecardOptions)> {
    (2usize..40, 1usize..6, 1usize..5, -4i64..=0, 0i64..=4).prop_flat_map(|(n, p, k, lb, ub)| {
        (
            Just(p),
            proptest::collection::vec(-3i32..4, n * p).prop_map(|v| v.into_iter().map(f64::from).collect()),
            proptest::collection::vec(any::<bool>(), n).prop_map(|mut y| {
                y[0] = true;
                y[1] = false;
                y
            }),
            Just(ScorecardOptions { k, lb, ub }),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn constraints_always_hold((p, values, y, options) in tables()) {
        let columns: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
        let labels: Vec<Label> = y.iter().map(|&b| Label::Bool(b)).collect();
        let table = ScorecardTable { columns: &columns, values: &values, labels: &labels };
        let card = fit_scorecard(table, Some(table), &options).unwrap();
        prop_assert!(card.points.0.len() <= options.k);
        for (name, v) in &card.points.0 {
            prop_assert!(columns.contains(name));
            prop_assert!(*v != 0 && options.lb <= *v && *v <= options.ub, "{name}: {v}");
        }
        // Points in column order.
        let at: Vec<usize> = card.points.0.iter().map(|(n, _)| columns.iter().position(|c| c == n).unwrap()).collect();
        prop_assert!(at.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(card.multiplier > 0.0 && card.multiplier.is_finite());
        let auc = card.train.auc.unwrap();
        prop_assert!((0.0..=1.0).contains(&auc));
        prop_assert!(card.train.logloss.is_finite() && card.train.logloss >= 0.0);
        prop_assert_eq!(card.test.unwrap(), card.train);
        // No worse on the training rows than predicting the base rate for everyone.
        let rate = y.iter().filter(|&&b| b).count() as f64 / y.len() as f64;
        let base = -(rate * rate.ln() + (1.0 - rate) * (1.0 - rate).ln());
        prop_assert!(card.train.logloss <= base * (1.0 + 1e-9), "{} > {base}", card.train.logloss);
        let again = fit_scorecard(table, None, &options).unwrap();
        prop_assert_eq!(again.points, card.points);
        prop_assert_eq!(again.multiplier.to_bits(), card.multiplier.to_bits());
    }
}
