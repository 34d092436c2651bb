//! The integer logistic fit behind the scorecard (OUTCOMES §5) and the points-table fit (§4).
//!
//! After FasterRisk (Liu et al., NeurIPS 2022), written anew: a beam search adds one feature at a
//! time to sparse continuous logistic fits (coordinate Newton steps on pooled rows), a pool of
//! near-optimal alternatives is made by swapping each chosen feature for the best others, and
//! each pool member is scaled along a ray of multipliers and rounded one coordinate at a time on
//! a quadratic model of the loss. Beyond FasterRisk, the best integer tables are then polished
//! on the exact loss: the multiplier (and intercept) refitted exactly for each table, and ±1
//! steps on each point kept while they lower the loss.
//!
//! Deterministic: fixed limits, `libm`, ties broken by column order, no threads.

use std::collections::BTreeSet;

use super::groups::{Data, Groups, loss, loss_and_slopes};
use crate::util::sort::sort_unstable_by;
use crate::{Error, Result};

/// Solutions kept at each level of the beam search.
const BEAM: usize = 10;
/// Features tried on each beam solution.
const CHILDREN: usize = 10;
/// Replacements tried for each feature of the best solution.
const SWAPS: usize = 10;
/// A swapped solution joins the pool when its loss is within this share of the best.
const GAP: f64 = 0.05;
/// Largest pool.
const POOL: usize = 50;
/// Multipliers tried on each pool member.
const RAYS: usize = 20;
/// Multipliers whose rounded tables get their exact loss computed.
const EXACT: usize = 4;
/// Integer tables polished on the exact loss.
const POLISH: usize = 5;
/// Newton steps on a candidate before candidates are ranked (the best `2 × BEAM` are then
/// fitted fully).
const QUICK: usize = 2;
/// Coordinate-descent sweeps at most, and the relative loss change that ends them.
const SWEEPS: usize = 100;
const TOL: f64 = 1e-10;
/// Log-odds below which a continuous coefficient counts as zero when the multipliers are chosen.
const NEGLIGIBLE: f64 = 1e-9;
/// Largest intercept a rounded table may have: integers up to 2⁵² are exact in an `f64`, with
/// room left for the polish's integer steps.
const MAX_INTERCEPT: f64 = 4_503_599_627_370_496.0;

/// How the intercept is learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intercept {
    /// An integer `b` (the scorecard).
    Integer,
    /// Any real (the points table's `−c`).
    Real,
}

/// A limit on the number of non-zero points among some features.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sparsity<'a> {
    /// `counted[j]`: feature `j` counts towards the limit; the others are always free to be used.
    pub counted: &'a [bool],
    pub max: usize,
}

/// The problem: minimise the mean logistic loss of `P(y) = 1 / (1 + exp(−(b + Σ β_j x_j) / m))`
/// over integer `β_j ∈ bounds[j]` (each holding 0), `b` and `m > 0`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Problem<'a> {
    /// Row-major values, `n × p`, all finite.
    pub x: &'a [f64],
    pub n: usize,
    pub p: usize,
    /// Labels (both classes present).
    pub y: &'a [bool],
    pub bounds: &'a [(i64, i64)],
    pub sparsity: Option<Sparsity<'a>>,
    pub intercept: Intercept,
}

/// The fitted integer model.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IntegerFit {
    /// One point value per feature (0 for those left out).
    pub beta: Vec<i64>,
    /// `b` (an integer value when the intercept is [`Intercept::Integer`]).
    pub intercept: f64,
    pub multiplier: f64,
    /// Mean logistic loss on the training rows.
    pub loss: f64,
}

/// Fits the integer model; deterministic for a given problem. `stop` is asked between steps
/// (each beam level, swap, rounding and polish): `Err(Error::Stopped)` as soon as it says yes.
pub(crate) fn fit_integer(problem: &Problem<'_>, stop: &dyn Fn() -> bool) -> Result<IntegerFit> {
    debug_assert_eq!(problem.x.len(), problem.n * problem.p);
    debug_assert!(problem.bounds.iter().all(|&(lo, hi)| lo <= 0 && 0 <= hi));
    let data = Data::new(problem.x, problem.n, problem.p, problem.y);
    let search = Search { data: &data, problem, stop };
    let pool = search.pool()?;
    let mut candidates: Vec<Rounded> = Vec::new();
    for sol in &pool {
        search.check()?;
        if let Some(r) = search.round(sol) {
            candidates.push(r);
        }
    }
    // The same integer table reached from two pool members is polished once.
    sort_unstable_by(&mut candidates, Rounded::order);
    let mut polished: Vec<Rounded> = Vec::new();
    let mut seen = BTreeSet::new();
    for c in candidates {
        if polished.len() == POLISH {
            break;
        }
        if seen.insert(c.key()) {
            polished.push(search.polish(c)?);
        }
    }
    // The table without points is always a candidate: the fit is never worse than the base rate.
    polished.push(search.intercept_only());
    sort_unstable_by(&mut polished, Rounded::order);
    let mut best = polished.into_iter().next().expect("the table without points is a candidate");
    // The multiplier (and a real intercept) solved once more from a fixed start to full
    // precision, so one table always gets the same multiplier, whatever path found it.
    let scores = best.scores();
    match problem.intercept {
        Intercept::Integer => {
            let (t, l) = fit_slope(&best.groups, &scores, best.b, 1.0, true);
            if l <= best.loss {
                (best.m, best.loss) = (1.0 / t, l);
            }
        }
        Intercept::Real => {
            let (u, t, l) = fit_affine(&best.groups, &scores, 0.0, 1.0, true);
            if l <= best.loss {
                (best.b, best.m, best.loss) = (u / t, 1.0 / t, l);
            }
        }
    }
    let mut beta = vec![0i64; problem.p];
    for (&j, &v) in best.groups.support.iter().zip(&best.points) {
        beta[j] = v;
    }
    Ok(IntegerFit { beta, intercept: best.b, multiplier: best.m, loss: best.loss / problem.n as f64 })
}

/// A continuous solution on a support.
#[derive(Debug, Clone)]
struct Sol {
    groups: Groups,
    b: f64,
    /// Aligned with `groups.support`.
    beta: Vec<f64>,
    /// Summed loss.
    loss: f64,
}

impl Sol {
    fn key(&self) -> Vec<usize> {
        let mut k = self.groups.support.clone();
        k.sort_unstable();
        k
    }
}

/// An integer solution: `points` aligned with `groups.support`, intercept `b`, multiplier `m`.
#[derive(Debug, Clone)]
struct Rounded {
    groups: Groups,
    points: Vec<i64>,
    b: f64,
    m: f64,
    loss: f64,
}

impl Rounded {
    /// The non-zero points by column: what makes two tables the same.
    fn key(&self) -> Vec<(usize, i64)> {
        let mut k: Vec<(usize, i64)> =
            self.groups.support.iter().zip(&self.points).filter(|(_, v)| **v != 0).map(|(&j, &v)| (j, v)).collect();
        k.sort_unstable();
        k
    }

    /// Lower loss first, then the table, then `b` and `m`: a total order (two tables found by
    /// different paths can tie on loss and points, as the table without points does with a pool
    /// member rounded to no points, yet differ in `m` by an ulp), so every sort — the quicksort
    /// of native builds and the heapsort of the wasm build — picks the same one.
    fn order(a: &Rounded, b: &Rounded) -> std::cmp::Ordering {
        a.loss
            .total_cmp(&b.loss)
            .then_with(|| a.key().cmp(&b.key()))
            .then_with(|| a.b.total_cmp(&b.b))
            .then_with(|| a.m.total_cmp(&b.m))
    }

    /// Each group's integer score `Σ points × x`.
    fn scores(&self) -> Vec<f64> {
        scores_of(&self.groups, &self.points)
    }
}

struct Search<'a> {
    data: &'a Data,
    problem: &'a Problem<'a>,
    stop: &'a dyn Fn() -> bool,
}

impl Search<'_> {
    fn check(&self) -> Result<()> {
        if (self.stop)() { Err(Error::Stopped) } else { Ok(()) }
    }

    fn bounds(&self, j: usize) -> (f64, f64) {
        let (lo, hi) = self.problem.bounds[j];
        (lo as f64, hi as f64)
    }

    /// Feature `j` can carry points at all (it varies and its box is not {0}).
    fn usable(&self, j: usize) -> bool {
        let (lo, hi) = self.problem.bounds[j];
        self.data.card[j] > 1 && (lo, hi) != (0, 0)
    }

    fn counted(&self, j: usize) -> bool {
        self.problem.sparsity.is_some_and(|s| s.counted[j])
    }

    /// The continuous solutions to round: the beam search's last level and swaps of its best.
    fn pool(&self) -> Result<Vec<Sol>> {
        let free: Vec<usize> = (0..self.problem.p).filter(|&j| self.usable(j) && !self.counted(j)).collect();
        let groups = Groups::of(self.data, &free);
        let positives = self.data.y.iter().filter(|&&y| y).count() as f64;
        let negatives = self.data.n as f64 - positives;
        let b = libm::log(positives.max(0.5) / negatives.max(0.5));
        let mut root = Sol { beta: vec![0.0; free.len()], groups, b, loss: 0.0 };
        root.loss = self.fit(&mut root);
        let max = self.problem.sparsity.map_or(0, |s| s.max);
        let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
        let mut beam = vec![root];
        for _ in 0..max {
            let mut children = Vec::new();
            for parent in &beam {
                self.check()?;
                for (j, dj, d0) in self.screen(parent, None, CHILDREN) {
                    self.check()?;
                    let mut key = parent.key();
                    key.push(j);
                    key.sort_unstable();
                    if seen.insert(key) {
                        children.push(self.extend(parent, j, dj, d0, QUICK));
                    }
                }
            }
            if children.is_empty() {
                break;
            }
            // Children are ranked after a few Newton steps; the kept ones are then fitted fully.
            sort_unstable_by(&mut children, |a, b| a.loss.total_cmp(&b.loss).then_with(|| a.key().cmp(&b.key())));
            children.truncate(2 * BEAM);
            for c in &mut children {
                self.check()?;
                c.loss = self.fit(c);
            }
            sort_unstable_by(&mut children, |a, b| a.loss.total_cmp(&b.loss).then_with(|| a.key().cmp(&b.key())));
            children.truncate(BEAM);
            beam = children;
        }
        if max == 0 {
            return Ok(beam);
        }
        // Swaps: each counted feature of the best solution replaced by the most promising others.
        let best = beam[0].clone();
        let mut keys: BTreeSet<Vec<usize>> = beam.iter().map(Sol::key).collect();
        let mut pool = beam;
        for t in 0..best.groups.width() {
            let old = best.groups.support[t];
            if !self.counted(old) {
                continue;
            }
            self.check()?;
            let rest: Vec<usize> = best.groups.support.iter().copied().filter(|&j| j != old).collect();
            let mut beta = best.beta.clone();
            beta.remove(t);
            let mut reduced = Sol { groups: Groups::of(self.data, &rest), b: best.b, beta, loss: 0.0 };
            reduced.loss = loss(&self.predictors(&reduced), &reduced.groups.pos, &reduced.groups.neg);
            for (j, dj, d0) in self.screen(&reduced, Some(old), SWAPS) {
                let mut key = rest.clone();
                key.push(j);
                key.sort_unstable();
                if keys.contains(&key) {
                    continue;
                }
                self.check()?;
                let mut child = self.extend(&reduced, j, dj, d0, QUICK);
                if child.loss <= best.loss * (1.0 + GAP) {
                    child.loss = self.fit(&mut child);
                    keys.insert(key);
                    pool.push(child);
                }
            }
        }
        sort_unstable_by(&mut pool, |a, b| a.loss.total_cmp(&b.loss).then_with(|| a.key().cmp(&b.key())));
        pool.truncate(POOL);
        Ok(pool)
    }

    /// Linear predictors `b + Σ β x` per group.
    fn predictors(&self, sol: &Sol) -> Vec<f64> {
        predictors(&sol.groups, sol.b, &sol.beta)
    }

    /// `sol` with feature `j` added at `dj` (intercept moved by `d0`), refitted with at most
    /// `steps` Newton steps.
    fn extend(&self, sol: &Sol, j: usize, dj: f64, d0: f64, steps: usize) -> Sol {
        let mut beta = sol.beta.clone();
        beta.push(dj);
        let mut child = Sol { groups: sol.groups.refine(self.data, j), b: sol.b + d0, beta, loss: 0.0 };
        child.loss = self.fit_steps(&mut child, steps);
        child
    }

    /// The `top` counted features (not in the support, not `except`) that promise the largest
    /// loss decrease when added to `sol`, each with its step and the intercept's, from the
    /// quadratic model of the loss in (intercept, feature); ties go to the lower column.
    fn screen(&self, sol: &Sol, except: Option<usize>, top: usize) -> Vec<(usize, f64, f64)> {
        let z = self.predictors(sol);
        let gn = z.len();
        let mut grad = vec![0.0; gn];
        let mut curv = vec![0.0; gn];
        loss_and_slopes(&z, &sol.groups.pos, &sol.groups.neg, &mut grad, &mut curv);
        // Per row: the gradient and curvature of its own loss.
        let w: Vec<f64> = sol.groups.pos.iter().zip(&sol.groups.neg).map(|(p, q)| p + q).collect();
        let mut r = Vec::with_capacity(self.data.n);
        let mut v = Vec::with_capacity(self.data.n);
        for (i, &g) in sol.groups.row_group.iter().enumerate() {
            let g = g as usize;
            let sig = (grad[g] + sol.groups.pos[g]) / w[g];
            r.push(sig - f64::from(u8::from(self.data.y[i])));
            v.push(curv[g] / w[g]);
        }
        let rsum: f64 = r.iter().sum();
        let vsum: f64 = v.iter().sum();
        if vsum <= 0.0 {
            return Vec::new();
        }
        let mut found: Vec<(f64, usize, f64, f64)> = Vec::new();
        for j in 0..self.problem.p {
            if !self.counted(j) || !self.usable(j) || Some(j) == except || sol.groups.support.contains(&j) {
                continue;
            }
            let col = &self.data.cols[j];
            let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
            if let Some(rows) = &self.data.sparse[j] {
                for &i in rows {
                    let i = i as usize;
                    let x = col[i];
                    a += x * r[i];
                    b += x * v[i];
                    c += x * x * v[i];
                }
            } else {
                for ((&x, &ri), &vi) in col.iter().zip(&r).zip(&v) {
                    a += x * ri;
                    b += x * vi;
                    c += x * x * vi;
                }
            }
            // Intercept re-optimised for each step of feature j: the Schur complement.
            let a = a - b * rsum / vsum;
            let c = c - b * b / vsum;
            if c <= 0.0 {
                continue;
            }
            let (lo, hi) = self.bounds(j);
            let dj = (-a / c).clamp(lo, hi);
            let gain = -(a * dj + 0.5 * c * dj * dj);
            let d0 = -(rsum + b * dj) / vsum;
            found.push((gain, j, dj, d0));
        }
        sort_unstable_by(&mut found, |x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        found.into_iter().take(top).map(|(_, j, dj, d0)| (j, dj, d0)).collect()
    }

    /// Projected Newton on the intercept and the support within the boxes: coordinates held at
    /// a bound by their gradient stay there, the others take the Newton step, halved until the
    /// loss does not rise. A coordinate sweep stands in when a step fails. Returns the summed
    /// loss.
    fn fit(&self, sol: &mut Sol) -> f64 {
        self.fit_steps(sol, SWEEPS)
    }

    /// [`Self::fit`] with at most `steps` Newton steps.
    fn fit_steps(&self, sol: &mut Sol, steps: usize) -> f64 {
        let Sol { groups: gr, b: sol_b, beta: sol_beta, .. } = sol;
        let gr = &*gr;
        let (gn, s) = (gr.len(), gr.width());
        let d = s + 1;
        let bounds: Vec<(f64, f64)> = gr.support.iter().map(|&j| self.bounds(j)).collect();
        let mut z = predictors(gr, *sol_b, sol_beta);
        let (mut grad, mut curv) = (vec![0.0; gn], vec![0.0; gn]);
        let (mut grad2, mut curv2) = (vec![0.0; gn], vec![0.0; gn]);
        let mut l = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad, &mut curv);
        let mut gv = vec![0.0; d];
        let mut h = vec![0.0; d * d];
        let mut xg = vec![1.0; d];
        for _ in 0..steps {
            gv.fill(0.0);
            h.fill(0.0);
            for g in 0..gn {
                xg[1..].copy_from_slice(&gr.x[g * s..(g + 1) * s]);
                for a in 0..d {
                    gv[a] += grad[g] * xg[a];
                    let ca = curv[g] * xg[a];
                    for b in 0..=a {
                        h[a * d + b] += ca * xg[b];
                    }
                }
            }
            // Free coordinates: the intercept, and each point not pushed against its bound.
            let free: Vec<usize> = (0..d)
                .filter(|&a| {
                    a == 0 || {
                        let (lo, hi) = bounds[a - 1];
                        let v = sol_beta[a - 1];
                        !((v <= lo && gv[a] > 0.0) || (v >= hi && gv[a] < 0.0))
                    }
                })
                .collect();
            let Some(step) = newton_step(&h, &gv, d, &free) else { break };
            let mut alpha = 1.0;
            let mut accepted = None;
            let mut theta = vec![0.0; d];
            for _ in 0..30 {
                theta[0] = *sol_b + alpha * step[0];
                for a in 1..d {
                    let (lo, hi) = bounds[a - 1];
                    theta[a] = (sol_beta[a - 1] + alpha * step[a]).clamp(lo, hi);
                }
                for g in 0..gn {
                    let x = &gr.x[g * s..(g + 1) * s];
                    z[g] = theta[0] + x.iter().zip(&theta[1..]).map(|(x, t)| x * t).sum::<f64>();
                }
                let l2 = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad2, &mut curv2);
                if l2 <= l {
                    let gain = l - l2;
                    *sol_b = theta[0];
                    sol_beta.copy_from_slice(&theta[1..]);
                    std::mem::swap(&mut grad, &mut grad2);
                    std::mem::swap(&mut curv, &mut curv2);
                    l = l2;
                    accepted = Some(gain);
                    break;
                }
                alpha *= 0.5;
            }
            if let Some(gain) = accepted {
                if gain <= TOL * l {
                    break;
                }
            } else {
                // Newton made no progress: one coordinate sweep, then stop if it made none.
                let before = l;
                l = self.sweep(gr, sol_b, sol_beta, 1);
                if before - l <= TOL * before {
                    break;
                }
                z = predictors(gr, *sol_b, sol_beta);
                l = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad, &mut curv);
            }
        }
        l
    }

    /// Coordinate Newton descent on the intercept and the support (within the boxes), each step
    /// halved until the loss does not rise; at most `sweeps` sweeps. Returns the summed loss.
    fn sweep(&self, gr: &Groups, sol_b: &mut f64, sol_beta: &mut [f64], sweeps: usize) -> f64 {
        let (gn, s) = (gr.len(), gr.width());
        let mut z = predictors(gr, *sol_b, sol_beta);
        let (mut grad, mut curv) = (vec![0.0; gn], vec![0.0; gn]);
        let (mut z2, mut grad2, mut curv2) = (vec![0.0; gn], vec![0.0; gn], vec![0.0; gn]);
        let mut l = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad, &mut curv);
        // A feature's step moves the intercept by −mean × step (centred features): far fewer
        // sweeps when features and intercept are correlated (all-positive values).
        let rows: f64 = gr.pos.iter().zip(&gr.neg).map(|(p, q)| p + q).sum();
        let mean: Vec<f64> =
            (0..s).map(|t| (0..gn).map(|g| (gr.pos[g] + gr.neg[g]) * gr.x[g * s + t]).sum::<f64>() / rows).collect();
        for _ in 0..sweeps {
            let before = l;
            for c in 0..=s {
                let (mut g1, mut h1) = (0.0, 0.0);
                let mu = if c == 0 { 0.0 } else { mean[c - 1] };
                if c == 0 {
                    g1 = grad.iter().sum();
                    h1 = curv.iter().sum();
                } else {
                    for g in 0..gn {
                        let x = gr.x[g * s + c - 1] - mu;
                        g1 += grad[g] * x;
                        h1 += curv[g] * x * x;
                    }
                }
                if h1 <= 0.0 || g1 == 0.0 {
                    continue;
                }
                let cur = if c == 0 { *sol_b } else { sol_beta[c - 1] };
                let mut target = cur - g1 / h1;
                if c > 0 {
                    let (lo, hi) = self.bounds(gr.support[c - 1]);
                    target = target.clamp(lo, hi);
                }
                let mut step = target - cur;
                for _ in 0..30 {
                    if step == 0.0 {
                        break;
                    }
                    for g in 0..gn {
                        z2[g] = z[g] + if c == 0 { step } else { step * (gr.x[g * s + c - 1] - mu) };
                    }
                    let l2 = loss_and_slopes(&z2, &gr.pos, &gr.neg, &mut grad2, &mut curv2);
                    if l2 <= l {
                        std::mem::swap(&mut z, &mut z2);
                        std::mem::swap(&mut grad, &mut grad2);
                        std::mem::swap(&mut curv, &mut curv2);
                        l = l2;
                        if c == 0 {
                            *sol_b += step;
                        } else {
                            sol_beta[c - 1] += step;
                            *sol_b -= step * mu;
                        }
                        break;
                    }
                    step *= 0.5;
                }
            }
            if before - l <= TOL * before {
                break;
            }
        }
        l
    }

    /// The best integer table along the ray of multipliers of `sol` (exact loss).
    fn round(&self, sol: &Sol) -> Option<Rounded> {
        let gr = &sol.groups;
        let (gn, s) = (gr.len(), gr.width());
        let d = s + 1;
        let z = self.predictors(sol);
        let (mut grad, mut curv) = (vec![0.0; gn], vec![0.0; gn]);
        loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad, &mut curv);
        // Gradient and Hessian in (intercept, support), at the continuous solution.
        let mut gv = vec![0.0; d];
        let mut h = vec![0.0; d * d];
        let mut xg = vec![1.0; d];
        for g in 0..gn {
            xg[1..].copy_from_slice(&gr.x[g * s..(g + 1) * s]);
            for a in 0..d {
                gv[a] += grad[g] * xg[a];
                for b in 0..=a {
                    h[a * d + b] += curv[g] * xg[a] * xg[b];
                }
            }
        }
        for a in 0..d {
            for b in 0..a {
                h[b * d + a] = h[a * d + b];
            }
        }
        // A coefficient that moves no row's log-odds by more than `NEGLIGIBLE` is zero for the
        // ray: scaling it up to a whole point would need a multiplier (and intercept) that
        // runs off towards infinity.
        let reach: Vec<f64> = (0..s).map(|t| (0..gn).map(|g| gr.x[g * s + t].abs()).fold(0.0, f64::max)).collect();
        let mut top = f64::INFINITY;
        for (t, &beta) in sol.beta.iter().enumerate() {
            let (lo, hi) = self.bounds(gr.support[t]);
            if (beta * reach[t]).abs() <= NEGLIGIBLE {
                continue;
            }
            if beta > 0.0 {
                top = top.min(hi / beta);
            } else if beta < 0.0 {
                top = top.min(lo / beta);
            }
        }
        let multipliers: Vec<f64> = if !top.is_finite() {
            vec![1.0]
        } else {
            let end = if top > 1.0 { top } else { 0.5 };
            (0..RAYS).map(|i| 1.0 + (end - 1.0) * i as f64 / (RAYS - 1) as f64).collect()
        };
        let mut theta = vec![sol.b];
        theta.extend_from_slice(&sol.beta);
        // Each multiplier's table, ranked by the quadratic model; the exact loss decides
        // among the best few.
        let mut tables: Vec<(f64, usize, Vec<f64>, f64)> = Vec::with_capacity(multipliers.len());
        for (i, &m) in multipliers.iter().enumerate() {
            let u: Vec<f64> = theta.iter().map(|t| t * m).collect();
            let (gamma, rise) = self.sequential_round(gr, &u, &gv, &h, m);
            tables.push((rise / (m * m), i, gamma, m));
        }
        // Tables whose intercept an `i64` cannot hold exactly are not candidates.
        tables.retain(|(_, _, gamma, m)| gamma[0].abs() <= MAX_INTERCEPT && m.is_finite());
        sort_unstable_by(&mut tables, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut best: Option<(f64, Vec<f64>, f64)> = None;
        for (_, _, gamma, m) in tables.into_iter().take(EXACT) {
            let zs: Vec<f64> = (0..gn)
                .map(|g| {
                    (gamma[0] + gr.x[g * s..(g + 1) * s].iter().zip(&gamma[1..]).map(|(x, v)| x * v).sum::<f64>()) / m
                })
                .collect();
            let l = loss(&zs, &gr.pos, &gr.neg);
            if best.as_ref().is_none_or(|b| l < b.0) {
                best = Some((l, gamma, m));
            }
        }
        let (l, gamma, m) = best?;
        let points = gamma[1..].iter().map(|&v| v as i64).collect();
        Some(Rounded { groups: gr.clone(), points, b: gamma[0], m, loss: l })
    }

    /// Rounds the scaled solution `u` (intercept first) one coordinate at a time, each time the
    /// coordinate and direction (down before up, lower column first on ties) that least raise
    /// the quadratic model `m gᵀd + ½ dᵀHd` of `m² × loss` at the step `d` from `u`. A real
    /// intercept is not rounded but follows the others at its best (the Schur complement).
    /// Returns the rounded values and the model's rise `Q(d)`.
    fn sequential_round(&self, gr: &Groups, u: &[f64], gv: &[f64], h: &[f64], m: f64) -> (Vec<f64>, f64) {
        let d = u.len();
        let real = self.problem.intercept == Intercept::Real;
        // The model over the dimensions to round (1.. for a real intercept, else 0..).
        let first = usize::from(real);
        let mut q = vec![0.0; d * d];
        let mut lin = vec![0.0; d];
        for a in first..d {
            lin[a] = m * gv[a];
            for b in first..d {
                q[a * d + b] = h[a * d + b];
            }
            if real && h[0] > 0.0 {
                lin[a] -= h[a * d] * m * gv[0] / h[0];
                for b in first..d {
                    q[a * d + b] -= h[a * d] * h[b * d] / h[0];
                }
            }
        }
        let mut out = u.to_vec();
        let mut step = vec![0.0; d];
        let mut hd = vec![0.0; d];
        let mut open: Vec<usize> = (first..d).filter(|&a| u[a].floor() != u[a]).collect();
        let mut total = 0.0;
        while !open.is_empty() {
            let mut best: Option<(f64, usize, f64)> = None;
            for (idx, &a) in open.iter().enumerate() {
                for target in [u[a].floor(), u[a].ceil()] {
                    let target = if a >= 1 {
                        let (lo, hi) = self.bounds(gr.support[a - 1]);
                        target.clamp(lo, hi)
                    } else {
                        target
                    };
                    let t = target - u[a];
                    let rise = t * (lin[a] + hd[a]) + 0.5 * t * t * q[a * d + a];
                    if best.is_none_or(|(r, _, _)| rise < r) {
                        best = Some((rise, idx, t));
                    }
                }
            }
            let (rise, idx, t) = best.expect("open is not empty");
            total += rise;
            let a = open.remove(idx);
            step[a] = t;
            out[a] = u[a] + t;
            for b in first..d {
                hd[b] += t * q[b * d + a];
            }
        }
        if real {
            // The intercept at its best given the rounded steps (in scaled units).
            if h[0] > 0.0 {
                let shift: f64 = (1..d).map(|a| h[a] * step[a]).sum::<f64>();
                out[0] = u[0] - (m * gv[0] + shift) / h[0];
            }
        }
        (out, total)
    }

    /// The exact best multiplier (and intercept) for `r`'s points, then ±1 steps on each point
    /// while one lowers the exact loss (the best step each time, lower column and −1 first on
    /// ties), within the boxes and the sparsity limit.
    fn polish(&self, mut r: Rounded) -> Result<Rounded> {
        let mut scores = r.scores();
        let (b, m, l) = self.fit_scale(&r.groups, &scores, r.b, 1.0 / r.m);
        (r.b, r.m, r.loss) = (b, m, l);
        let s = r.groups.width();
        let mut order: Vec<usize> = (0..s).collect();
        order.sort_unstable_by_key(|&t| r.groups.support[t]);
        for _ in 0..4 * SWEEPS {
            self.check()?;
            let nonzero = r.points.iter().zip(&r.groups.support).filter(|&(&v, &j)| v != 0 && self.counted(j)).count();
            let mut best: Option<(f64, usize, i64)> = None;
            for &t in &order {
                let j = r.groups.support[t];
                let (lo, hi) = self.problem.bounds[j];
                for delta in [-1i64, 1] {
                    let v = r.points[t] + delta;
                    if v < lo || v > hi {
                        continue;
                    }
                    if r.points[t] == 0 && self.counted(j) && nonzero >= self.problem.sparsity.map_or(0, |sp| sp.max) {
                        continue;
                    }
                    r.points[t] = v;
                    let trial = r.scores();
                    r.points[t] -= delta;
                    // Moves are compared with the intercept held (an integer intercept is
                    // searched once a move is taken).
                    let l2 = match self.problem.intercept {
                        Intercept::Integer => fit_slope(&r.groups, &trial, r.b, 1.0 / r.m, false).1,
                        Intercept::Real => fit_affine(&r.groups, &trial, r.b / r.m, 1.0 / r.m, false).2,
                    };
                    if l2 < r.loss * (1.0 - 1e-12) && best.is_none_or(|(lb, ..)| l2 < lb) {
                        best = Some((l2, t, delta));
                    }
                }
            }
            let Some((_, t, delta)) = best else { break };
            r.points[t] += delta;
            scores = r.scores();
            (r.b, r.m, r.loss) = self.fit_scale(&r.groups, &scores, r.b, 1.0 / r.m);
        }
        Ok(r)
    }

    /// The best `b` (integer or real, as the problem says) and `m` for fixed integer scores:
    /// `(b, m, summed loss)`. `b0` and `t0 = 1/m` are the starting point.
    fn fit_scale(&self, gr: &Groups, scores: &[f64], b0: f64, t0: f64) -> (f64, f64, f64) {
        match self.problem.intercept {
            Intercept::Real => {
                let (u, t, l) = fit_affine(gr, scores, b0 * t0, t0, false);
                (u / t, 1.0 / t, l)
            }
            Intercept::Integer => {
                let mut b = b0.round();
                let (mut t, mut l) = fit_slope(gr, scores, b, t0, false);
                for dir in [1.0, -1.0] {
                    let mut moved = false;
                    for _ in 0..1000 {
                        let (t2, l2) = fit_slope(gr, scores, b + dir, t, false);
                        if l2 < l {
                            (b, t, l) = (b + dir, t2, l2);
                            moved = true;
                        } else {
                            break;
                        }
                    }
                    if moved {
                        break;
                    }
                }
                (b, 1.0 / t, l)
            }
        }
    }

    /// The table with no points: the integer `b` and `m` that match the base rate.
    fn intercept_only(&self) -> Rounded {
        let groups = Groups::all(self.data);
        let scores = vec![0.0];
        let positives = groups.pos[0];
        let b0 = if positives * 2.0 > self.data.n as f64 { 1.0 } else { -1.0 };
        let (b, m, loss) = self.fit_scale(&groups, &scores, b0, 1.0);
        Rounded { groups, points: Vec::new(), b, m, loss }
    }
}

/// Each group's score `Σ points × x`, summed in support order: the same points always give the
/// same scores, whatever steps led to them. (Updating scores step by step left residues such as
/// 3·2e-6 − 3·2e-6 ≠ 0, which a multiplier near 0 turned into a perfect fit of the noise.)
fn scores_of(gr: &Groups, points: &[i64]) -> Vec<f64> {
    let s = gr.width();
    (0..gr.len()).map(|g| gr.x[g * s..(g + 1) * s].iter().zip(points).map(|(x, &v)| x * v as f64).sum()).collect()
}

/// Linear predictors `b + Σ β x` per group.
fn predictors(gr: &Groups, b: f64, beta: &[f64]) -> Vec<f64> {
    let s = gr.width();
    (0..gr.len()).map(|g| b + gr.x[g * s..(g + 1) * s].iter().zip(beta).map(|(x, b)| x * b).sum::<f64>()).collect()
}

/// The Newton step `−H⁻¹ g` on the `free` coordinates (0 elsewhere) of a `d × d` Hessian whose
/// lower triangle is filled; `None` when that block is not positive definite.
fn newton_step(h: &[f64], g: &[f64], d: usize, free: &[usize]) -> Option<Vec<f64>> {
    let f = free.len();
    // Cholesky factor of the free block, with a relative ridge for near-singular blocks.
    let mut c = vec![0.0; f * f];
    for (i, &a) in free.iter().enumerate() {
        for (k, &b) in free.iter().enumerate().take(i + 1) {
            c[i * f + k] = h[a * d + b];
        }
        c[i * f + i] *= 1.0 + 1e-10;
    }
    for i in 0..f {
        for k in 0..=i {
            let mut v = c[i * f + k];
            for m in 0..k {
                v -= c[i * f + m] * c[k * f + m];
            }
            if i == k {
                if v <= 0.0 {
                    return None;
                }
                c[i * f + i] = v.sqrt();
            } else {
                c[i * f + k] = v / c[k * f + k];
            }
        }
    }
    // Solve C Cᵀ x = −g.
    let mut y = vec![0.0; f];
    for i in 0..f {
        let mut v = -g[free[i]];
        for m in 0..i {
            v -= c[i * f + m] * y[m];
        }
        y[i] = v / c[i * f + i];
    }
    let mut x = vec![0.0; f];
    for i in (0..f).rev() {
        let mut v = y[i];
        for m in i + 1..f {
            v -= c[m * f + i] * x[m];
        }
        x[i] = v / c[i * f + i];
    }
    let mut step = vec![0.0; d];
    for (i, &a) in free.iter().enumerate() {
        step[a] = x[i];
    }
    Some(step)
}

/// Newton on `t > 0` for `Σ loss(t (b + s_g))`: `(t, summed loss)`.
fn fit_slope(gr: &Groups, scores: &[f64], b: f64, t0: f64, exact: bool) -> (f64, f64) {
    let gn = gr.len();
    let a: Vec<f64> = scores.iter().map(|s| b + s).collect();
    let mut z: Vec<f64> = a.iter().map(|a| a * t0).collect();
    let (mut grad, mut curv) = (vec![0.0; gn], vec![0.0; gn]);
    let (mut g2, mut c2) = (vec![0.0; gn], vec![0.0; gn]);
    let mut t = t0;
    let mut l = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad, &mut curv);
    for _ in 0..SWEEPS {
        let g1: f64 = grad.iter().zip(&a).map(|(g, a)| g * a).sum();
        let h1: f64 = curv.iter().zip(&a).map(|(c, a)| c * a * a).sum();
        if h1 <= 0.0 || g1 == 0.0 {
            break;
        }
        let mut step = -g1 / h1;
        if t + step <= 0.0 {
            step = -t / 2.0;
        }
        let mut accepted = false;
        for _ in 0..30 {
            for (zg, ag) in z.iter_mut().zip(&a) {
                *zg = (t + step) * ag;
            }
            let l2 = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut g2, &mut c2);
            if l2 <= l {
                let gain = l - l2;
                (t, l) = (t + step, l2);
                std::mem::swap(&mut grad, &mut g2);
                std::mem::swap(&mut curv, &mut c2);
                accepted = if exact { step.abs() > 1e-15 * t } else { gain > TOL * l };
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    (t, l)
}

/// Newton on `(u, t)`, `t > 0`, for `Σ loss(u + t s_g)`: `(u, t, summed loss)`.
fn fit_affine(gr: &Groups, scores: &[f64], u0: f64, t0: f64, exact: bool) -> (f64, f64, f64) {
    let gn = gr.len();
    let (mut u, mut t) = (u0, t0);
    let mut z: Vec<f64> = scores.iter().map(|s| u + t * s).collect();
    let (mut grad, mut curv) = (vec![0.0; gn], vec![0.0; gn]);
    let mut l = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut grad, &mut curv);
    for _ in 0..SWEEPS {
        let (mut gu, mut gt, mut huu, mut hut, mut htt) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for g in 0..gn {
            gu += grad[g];
            gt += grad[g] * scores[g];
            huu += curv[g];
            hut += curv[g] * scores[g];
            htt += curv[g] * scores[g] * scores[g];
        }
        let det = huu * htt - hut * hut;
        let (mut du, mut dt) = if det > 1e-12 * huu * htt && det > 0.0 {
            ((-htt * gu + hut * gt) / det, (hut * gu - huu * gt) / det)
        } else if huu > 0.0 {
            (-gu / huu, 0.0)
        } else {
            break;
        };
        if t + dt <= 0.0 {
            let f = t / 2.0 / -dt;
            du *= f;
            dt *= f;
        }
        let mut accepted = false;
        for _ in 0..30 {
            for (zg, s) in z.iter_mut().zip(scores) {
                *zg = (u + du) + (t + dt) * s;
            }
            let (mut g2, mut c2) = (vec![0.0; gn], vec![0.0; gn]);
            let l2 = loss_and_slopes(&z, &gr.pos, &gr.neg, &mut g2, &mut c2);
            if l2 <= l {
                let gain = l - l2;
                (u, t, l, grad, curv) = (u + du, t + dt, l2, g2, c2);
                accepted = if exact { dt.abs() > 1e-15 * t || du.abs() > 1e-15 * u.abs() } else { gain > TOL * l };
                break;
            }
            du *= 0.5;
            dt *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    (u, t, l)
}
