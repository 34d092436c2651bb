//! Fit (OUTCOMES.md §4): an integer points table learned from won and lost deals, returned as a
//! model a manager can read and edit, with the evidence on train and test.

use compact_str::{CompactString, format_compact};
use rustc_hash::FxHashMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::input::{Activity, Deal, Outcome};
use crate::model::Model;
use crate::model::compiled::{CompiledModel, ModelSet};
use crate::outcome::backtest::{BacktestOptions, Snapshot};
use crate::outcome::metrics::{auc, log_loss};
use crate::outcome::scorecard::engine::{Intercept, Problem, Sparsity, fit_integer};
use crate::score::energy::Resolved;

/// Points per item when `max_points` is not given.
pub const DEFAULT_MAX_POINTS: u32 = 30;
/// Fewer won (or lost) training deals than this make the fit unstable: the output says so.
const STABLE_CLASS: usize = 40;
/// Calibration groups.
const CALIBRATION_GROUPS: usize = 10;

/// What to learn from, and within which bounds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitOptions {
    /// Horizon mode: each deal's features counted this many days before it closed (default 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// Cohort mode: deals closed after this date, their features counted as of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// Deals closed before this date train, the others test; by default the last ⌈20%⌉ by
    /// (closed_on, id) test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train_before: Option<Date>,
    /// Largest points of any action, role or band (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<u32>,
    /// At most this many actions with points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_nonzero: Option<u32>,
    /// The model of the set to fit (its deals are the population); the default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// The fitted model and its evidence (OUTCOMES.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Fit {
    /// The base model with the learned points, caps and per-role overrides removed, and
    /// `status.energy_threshold = max(0, ceil(c))`.
    pub model: Model,
    /// `P(won) = 1 / (1 + exp(−(E − c) / m))`.
    pub c: f64,
    pub m: f64,
    pub points: Vec<FitPoint>,
    pub train: Evidence,
    pub test: Option<Evidence>,
    pub calibration: Vec<CalibrationGroup>,
    /// In words: when the training set has under 40 won or lost deals.
    pub warnings: Vec<String>,
}

/// One item's points in the base and in the fitted model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FitPoint {
    /// `action`, `role` or `band` (a band's id is its `min`).
    pub kind: CompactString,
    pub id: CompactString,
    pub base: i64,
    pub fitted: i64,
}

/// How the base and the fitted model rank and predict one set of deals.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Evidence {
    pub deals: u32,
    pub won: u32,
    pub lost: u32,
    pub auc_base: Option<f64>,
    pub auc_fitted: Option<f64>,
    pub logloss_base: f64,
    pub logloss_fitted: f64,
}

/// Deals grouped by predicted probability, highest first: predicted against observed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CalibrationGroup {
    pub deals: u32,
    /// Mean predicted probability of winning.
    pub predicted: f64,
    /// Share won.
    pub observed: f64,
}

/// One population deal: what the fit learns from.
struct Sample<'d> {
    deal: &'d Deal,
    closed_on: Date,
    won: bool,
    base_energy: f64,
    /// Activities ≤ S per action, per top role, per band (model order).
    features: Vec<f64>,
}

/// Learns a points table from the closed deals of one model (OUTCOMES.md §4). Every activity is
/// validated as [`score_all`](crate::score_all) validates it.
pub fn fit(models: &ModelSet, deals: &[Deal], activities: &[Activity], options: &FitOptions) -> Result<Fit> {
    fit_until(models, deals, activities, options, &|| false)
}

/// [`fit`] that asks `stop` between the steps of the search and gives up with
/// [`Error::Stopped`](crate::Error::Stopped) when it says yes: a server's time limit. The result,
/// when there is one, is the same as `fit`'s.
#[allow(clippy::many_single_char_names)] // the contract's names: c, m, x, y, p
pub fn fit_until(
    models: &ModelSet,
    deals: &[Deal],
    activities: &[Activity],
    options: &FitOptions,
    stop: &dyn Fn() -> bool,
) -> Result<Fit> {
    let (snapshot, _) =
        BacktestOptions { horizon_days: options.horizon_days, as_of: options.as_of, bins: None }.checked()?;
    let max_points = options.max_points.unwrap_or(DEFAULT_MAX_POINTS);
    if max_points == 0 {
        return Err(bad("options.max_points", "0: give at least 1"));
    }
    if options.max_nonzero == Some(0) {
        return Err(bad("options.max_nonzero", "0: give at least 1, or leave it out"));
    }
    let name = options.model.clone().unwrap_or_else(|| models.default_name().to_owned());
    let m =
        models.compiled_named(&name).ok_or_else(|| bad("options.model", format!("no model {name:?} in the set")))?;
    // Validates everything and gives each closed deal's base report at its snapshot.
    let folded = crate::ingest::batch::fold_slice_at(models, deals, activities, |d| snapshot.of(d))?;
    let mut samples: Vec<Sample> = folded
        .iter()
        .filter(|f| std::sync::Arc::ptr_eq(&f.model, m))
        .filter_map(|f| {
            let deal: &Deal = &f.deal;
            let (outcome, closed_on) = deal.closed()?;
            Some(Sample {
                deal,
                closed_on,
                won: outcome == Outcome::Won,
                base_energy: f.report.energy.total as f64,
                features: vec![0.0; width(m)],
            })
        })
        .collect();
    count_features(m, &mut samples, activities, snapshot)?;

    // The future the table must predict: the last closed deals.
    crate::util::sort::sort_unstable_by(&mut samples, |a, b| {
        (a.closed_on, a.deal.id.as_bytes()).cmp(&(b.closed_on, b.deal.id.as_bytes()))
    });
    let n_train = match options.train_before {
        Some(d) => samples.partition_point(|s| s.closed_on < d),
        None => samples.len() - samples.len().div_ceil(5),
    };
    let (train, test) = samples.split_at(n_train);
    let (won, lost) = classes(train);
    if won == 0 || lost == 0 {
        return Err(bad("deals", format!("the training deals ({won} won, {lost} lost) need both won and lost deals")));
    }

    let p = width(m);
    let x: Vec<f64> = train.iter().flat_map(|s| s.features.iter().copied()).collect();
    let y: Vec<bool> = train.iter().map(|s| s.won).collect();
    let bounds = vec![(0, i64::from(max_points)); p];
    let counted: Vec<bool> = (0..p).map(|j| j < m.model.actions.len()).collect();
    let fitted = fit_integer(
        &Problem {
            x: &x,
            n: train.len(),
            p,
            y: &y,
            bounds: &bounds,
            sparsity: options.max_nonzero.map(|k| Sparsity { counted: &counted, max: k as usize }),
            intercept: Intercept::Real,
        },
        stop,
    )?;
    let (c, scale) = (-fitted.intercept, fitted.multiplier);
    let energy = |s: &Sample| -> f64 { s.features.iter().zip(&fitted.beta).map(|(x, &b)| x * b as f64).sum() };
    let predict = |e: f64| 1.0 / (1.0 + libm::exp(-(e - c) / scale));
    let base_fit = OneFeature::fit(train);

    let evidence = |set: &[Sample]| -> Evidence {
        let (won, lost) = classes(set);
        let labels: Vec<bool> = set.iter().map(|s| s.won).collect();
        let base: Vec<f64> = set.iter().map(|s| s.base_energy).collect();
        let e: Vec<f64> = set.iter().map(energy).collect();
        Evidence {
            deals: set.len() as u32,
            won: won as u32,
            lost: lost as u32,
            auc_base: auc(&base, &labels),
            auc_fitted: auc(&e, &labels),
            logloss_base: log_loss(&base.iter().map(|&b| base_fit.predict(b)).collect::<Vec<_>>(), &labels),
            logloss_fitted: log_loss(&e.iter().map(|&e| predict(e)).collect::<Vec<_>>(), &labels),
        }
    };
    let calibrated = if test.is_empty() { train } else { test };
    let calibration = calibration(calibrated, |s| predict(energy(s)));
    let mut warnings = Vec::new();
    for (count, what) in [(won, "won"), (lost, "lost")] {
        if count < STABLE_CLASS {
            warnings.push(format!(
                "{count} {what} training deal{} (under {STABLE_CLASS}): the table may not hold on new deals",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    let (model, points) = fitted_model(m, &fitted.beta, c);
    // The fitted model is a valid model (the contract promises it).
    ModelSet::single(model.clone())?;
    Ok(Fit {
        model,
        c,
        m: scale,
        points,
        train: evidence(train),
        test: (!test.is_empty()).then(|| evidence(test)),
        calibration,
        warnings,
    })
}

fn bad(path: &str, message: impl Into<String>) -> Error {
    Error::InvalidInput { path: path.to_owned(), message: message.into() }
}

/// Features per deal: one per action, role and band.
fn width(m: &CompiledModel) -> usize {
    m.model.actions.len() + m.model.roles.len() + m.model.attendee_bands.len()
}

fn classes(set: &[Sample]) -> (usize, usize) {
    let won = set.iter().filter(|s| s.won).count();
    (won, set.len() - won)
}

/// Counts, for each sample, its activities dated ≤ its snapshot: per action listed, per top role,
/// per attendee band.
fn count_features(
    m: &CompiledModel,
    samples: &mut [Sample],
    activities: &[Activity],
    snapshot: Snapshot,
) -> Result<()> {
    let at: FxHashMap<&str, (usize, Date)> =
        samples.iter().enumerate().filter_map(|(i, s)| Some((s.deal.id.as_str(), (i, snapshot.of(s.deal)?)))).collect();
    let (actions, roles) = (m.model.actions.len(), m.model.roles.len());
    let mut r = Resolved::default();
    for a in activities {
        let Some(&(i, day)) = at.get(a.deal.as_str()) else { continue };
        if a.date > day {
            continue;
        }
        r.fill(m, a)?;
        let f = &mut samples[i].features;
        for &(idx, _) in &r.actions {
            f[idx as usize] += 1.0;
        }
        if let Some(top) = r.top {
            f[actions + top as usize] += 1.0;
        }
        if let Some((min, _)) = r.band
            && let Some(b) = m.model.attendee_bands.iter().position(|b| b.min == min)
        {
            f[actions + roles + b] += 1.0;
        }
    }
    Ok(())
}

/// The base model with the learned points, without caps and per-role overrides (so its energy is
/// exactly Σ points × features), and its threshold at `c`.
fn fitted_model(m: &CompiledModel, beta: &[i64], c: f64) -> (Model, Vec<FitPoint>) {
    let mut model = m.model.clone();
    let mut points = Vec::with_capacity(beta.len());
    let mut beta = beta.iter().copied();
    for a in &mut model.actions {
        let fitted = beta.next().unwrap_or(0);
        points.push(FitPoint { kind: "action".into(), id: a.id.as_str().into(), base: a.points, fitted });
        (a.points, a.cap) = (fitted, None);
        a.by_role.clear();
    }
    for r in &mut model.roles {
        let fitted = beta.next().unwrap_or(0);
        points.push(FitPoint { kind: "role".into(), id: r.id.as_str().into(), base: r.points, fitted });
        r.points = fitted;
    }
    for b in &mut model.attendee_bands {
        let fitted = beta.next().unwrap_or(0);
        points.push(FitPoint { kind: "band".into(), id: format_compact!("{}", b.min), base: b.points, fitted });
        b.points = fitted;
    }
    model.status.energy_threshold = libm::ceil(c).max(0.0) as u64;
    (model, points)
}

/// Calibration groups cut as lift groups are: predicted probability descending, then deal id.
fn calibration(set: &[Sample], predict: impl Fn(&Sample) -> f64) -> Vec<CalibrationGroup> {
    let p: Vec<f64> = set.iter().map(&predict).collect();
    let mut order: Vec<usize> = (0..set.len()).collect();
    crate::util::sort::sort_unstable_by(&mut order, |&a, &b| {
        p[b].total_cmp(&p[a]).then_with(|| set[a].deal.id.as_bytes().cmp(set[b].deal.id.as_bytes()))
    });
    let n = order.len();
    let mut out = Vec::new();
    let mut start = 0;
    for g in 0..CALIBRATION_GROUPS {
        let size = n / CALIBRATION_GROUPS + usize::from(g < n % CALIBRATION_GROUPS);
        if size == 0 {
            continue;
        }
        let group = &order[start..start + size];
        start += size;
        let predicted = group.iter().map(|&i| p[i]).sum::<f64>() / size as f64;
        let observed = group.iter().filter(|&&i| set[i].won).count() as f64 / size as f64;
        out.push(CalibrationGroup { deals: size as u32, predicted, observed });
    }
    out
}

/// The base model's own best logistic curve of its energy: `P = 1 / (1 + exp(−(a + b·E/s)))`,
/// `s` the training mean energy (so Newton's steps stay well scaled), by a fixed number of
/// damped Newton steps from (log-odds of the win rate, 0).
struct OneFeature {
    a: f64,
    b: f64,
    s: f64,
}

impl OneFeature {
    const STEPS: usize = 50;

    #[allow(clippy::many_single_char_names)] // Newton's step in the usual names
    fn fit(train: &[Sample]) -> OneFeature {
        let n = train.len() as f64;
        let s = (train.iter().map(|t| t.base_energy).sum::<f64>() / n).max(1.0);
        let won = train.iter().filter(|t| t.won).count() as f64;
        let mut f = OneFeature { a: libm::log(won / (n - won)), b: 0.0, s };
        let mut loss = f.loss(train);
        for _ in 0..Self::STEPS {
            // Gradient and Hessian of the mean loss in (a, b).
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for t in train {
                let x = t.base_energy / s;
                let p = f.predict(t.base_energy);
                let r = p - if t.won { 1.0 } else { 0.0 };
                let w = p * (1.0 - p);
                (ga, gb) = (ga + r, gb + r * x);
                (haa, hab, hbb) = (haa + w, hab + w * x, hbb + w * x * x);
            }
            let det = haa * hbb - hab * hab;
            if det.abs() < 1e-12 {
                break;
            }
            let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            // Halve the step until the loss does not rise (separable data would diverge).
            let mut step = 1.0;
            let mut improved = false;
            for _ in 0..30 {
                let next = OneFeature { a: f.a - step * da, b: f.b - step * db, s };
                let l = next.loss(train);
                if l <= loss {
                    (f, loss, improved) = (next, l, true);
                    break;
                }
                step /= 2.0;
            }
            if !improved {
                break;
            }
        }
        f
    }

    fn predict(&self, energy: f64) -> f64 {
        1.0 / (1.0 + libm::exp(-(self.a + self.b * energy / self.s)))
    }

    fn loss(&self, set: &[Sample]) -> f64 {
        let p: Vec<f64> = set.iter().map(|t| self.predict(t.base_energy)).collect();
        log_loss(&p, &set.iter().map(|t| t.won).collect::<Vec<_>>())
    }
}
