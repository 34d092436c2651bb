//! The training rows as the optimiser sees them: each column coded by its distinct values, and
//! the rows of a support (the features in use) pooled into groups of equal values on it, with
//! their positive and negative counts. A support of binary features has at most 2^s groups, so
//! fitting it costs the same for 30,000 rows as for 30; columns of many values leave one row per
//! group and cost what plain rows cost.

use rustc_hash::FxHashMap;

use crate::util::sort::sort_unstable_by;

/// The training table, coded.
#[derive(Debug)]
pub(super) struct Data {
    pub n: usize,
    /// Column-major values: `cols[j][i]`.
    pub cols: Vec<Vec<f64>>,
    /// `codes[j][i]`: the rank of `cols[j][i]` among the column's distinct values.
    pub codes: Vec<Vec<u32>>,
    /// Number of distinct values of each column.
    pub card: Vec<usize>,
    /// For columns mostly zero (one-hot features): the rows where the value is not 0.
    pub sparse: Vec<Option<Vec<u32>>>,
    pub y: Vec<bool>,
}

impl Data {
    /// `x` is row-major, `n × p`.
    pub fn new(x: &[f64], n: usize, p: usize, y: &[bool]) -> Data {
        let mut cols = vec![Vec::with_capacity(n); p];
        for row in x.chunks_exact(p.max(1)).take(n) {
            for (col, &v) in cols.iter_mut().zip(row) {
                col.push(v);
            }
        }
        let mut codes = Vec::with_capacity(p);
        let mut card = Vec::with_capacity(p);
        for col in &cols {
            let (c, k) = code_column(col);
            codes.push(c);
            card.push(k);
        }
        let sparse = cols
            .iter()
            .map(|col| {
                let nz = col.iter().filter(|&&v| v != 0.0).count();
                (nz * 2 < n).then(|| (0..n as u32).filter(|&i| col[i as usize] != 0.0).collect())
            })
            .collect();
        Data { n, cols, codes, card, sparse, y: y.to_vec() }
    }
}

/// Codes a column by its distinct values (ascending). Few distinct values are found by a short
/// linear search; more fall back to sorting.
fn code_column(col: &[f64]) -> (Vec<u32>, usize) {
    const SMALL: usize = 8;
    let mut seen: Vec<f64> = Vec::with_capacity(SMALL);
    let mut small = true;
    for &v in col {
        if !seen.contains(&v) {
            if seen.len() == SMALL {
                small = false;
                break;
            }
            seen.push(v);
        }
    }
    if small {
        sort_unstable_by(&mut seen, f64::total_cmp);
        let codes = col.iter().map(|&v| seen.iter().position(|&s| s == v).unwrap_or(0) as u32).collect();
        return (codes, seen.len());
    }
    let mut order: Vec<usize> = (0..col.len()).collect();
    sort_unstable_by(&mut order, |&a, &b| col[a].total_cmp(&col[b]).then(a.cmp(&b)));
    let mut codes = vec![0u32; col.len()];
    let mut k = 0u32;
    for (r, &i) in order.iter().enumerate() {
        // -0.0 and 0.0 are one value (they sort next to each other).
        if r > 0 && col[i] != col[order[r - 1]] {
            k += 1;
        }
        codes[i] = k;
    }
    (codes, k as usize + 1)
}

/// The rows pooled by their values on `support`.
#[derive(Debug, Clone)]
pub(super) struct Groups {
    /// Feature indices in use, in the order they were added.
    pub support: Vec<usize>,
    /// The group of each row.
    pub row_group: Vec<u32>,
    /// `x[g * s + t]`: the value of feature `support[t]` in group `g`.
    pub x: Vec<f64>,
    pub pos: Vec<f64>,
    pub neg: Vec<f64>,
}

impl Groups {
    /// All rows in one group (the empty support).
    pub fn all(data: &Data) -> Groups {
        let pos = data.y.iter().filter(|&&y| y).count() as f64;
        Groups {
            support: Vec::new(),
            row_group: vec![0; data.n],
            x: Vec::new(),
            pos: vec![pos],
            neg: vec![data.n as f64 - pos],
        }
    }

    /// Groups for `support`, built one feature at a time.
    pub fn of(data: &Data, support: &[usize]) -> Groups {
        support.iter().fold(Groups::all(data), |g, &j| g.refine(data, j))
    }

    pub fn len(&self) -> usize {
        self.pos.len()
    }

    pub fn width(&self) -> usize {
        self.support.len()
    }

    /// These groups split further by feature `j` (appended to the support).
    pub fn refine(&self, data: &Data, j: usize) -> Groups {
        let card = data.card[j];
        let codes = &data.codes[j];
        let n = data.n;
        let s = self.width();
        let mut row_group = Vec::with_capacity(n);
        let mut first_row: Vec<usize> = Vec::new();
        let mut pos: Vec<f64> = Vec::new();
        let mut neg: Vec<f64> = Vec::new();
        let cells = self.len().saturating_mul(card);
        if self.len() == n {
            // One row per group already: the groups stay, the feature is appended.
            let mut x = Vec::with_capacity(n * (s + 1));
            let mut row_of = vec![0usize; n];
            for (i, &g) in self.row_group.iter().enumerate() {
                row_of[g as usize] = i;
            }
            for (g, &r) in row_of.iter().enumerate() {
                x.extend_from_slice(&self.x[g * s..(g + 1) * s]);
                x.push(data.cols[j][r]);
            }
            let mut support = self.support.clone();
            support.push(j);
            return Groups {
                support,
                row_group: self.row_group.clone(),
                x,
                pos: self.pos.clone(),
                neg: self.neg.clone(),
            };
        }
        let mut assign = |key: u64, id: &mut dyn FnMut(u64, u32) -> u32, i: usize| {
            let next = first_row.len() as u32;
            let g = id(key, next);
            if g == next {
                first_row.push(i);
                pos.push(0.0);
                neg.push(0.0);
            }
            if data.y[i] {
                pos[g as usize] += 1.0;
            } else {
                neg[g as usize] += 1.0;
            }
            row_group.push(g);
        };
        if cells <= 2 * n + 1024 {
            let mut table = vec![u32::MAX; cells];
            let mut id = |key: u64, next: u32| {
                let slot = &mut table[key as usize];
                if *slot == u32::MAX {
                    *slot = next;
                }
                *slot
            };
            for i in 0..n {
                let key = u64::from(self.row_group[i]) * card as u64 + u64::from(codes[i]);
                assign(key, &mut id, i);
            }
        } else {
            let mut map: FxHashMap<u64, u32> = FxHashMap::default();
            let mut id = |key: u64, next: u32| *map.entry(key).or_insert(next);
            for i in 0..n {
                let key = u64::from(self.row_group[i]) * card as u64 + u64::from(codes[i]);
                assign(key, &mut id, i);
            }
        }
        let mut x = Vec::with_capacity(first_row.len() * (s + 1));
        for &r in &first_row {
            let g = self.row_group[r] as usize;
            x.extend_from_slice(&self.x[g * s..(g + 1) * s]);
            x.push(data.cols[j][r]);
        }
        let mut support = self.support.clone();
        support.push(j);
        Groups { support, row_group, x, pos, neg }
    }
}

/// `log(1 + e^z)` without overflow.
pub(super) fn softplus(z: f64) -> f64 {
    if z > 0.0 { z + libm::log1p(libm::exp(-z)) } else { libm::log1p(libm::exp(z)) }
}

/// The logistic function.
pub(super) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + libm::exp(-z))
    } else {
        let e = libm::exp(z);
        e / (1.0 + e)
    }
}

/// Summed logistic loss of linear predictors `z` (one per group).
pub(super) fn loss(z: &[f64], pos: &[f64], neg: &[f64]) -> f64 {
    let mut total = 0.0;
    for ((&z, &p), &q) in z.iter().zip(pos).zip(neg) {
        // softplus(-z) = softplus(z) - z
        let sp = softplus(z);
        total += p * (sp - z) + q * sp;
    }
    total
}

/// Summed loss and, per group, the loss gradient `w σ − pos` and curvature `w σ (1 − σ)` in z.
pub(super) fn loss_and_slopes(z: &[f64], pos: &[f64], neg: &[f64], grad: &mut [f64], curv: &mut [f64]) -> f64 {
    let mut total = 0.0;
    for g in 0..z.len() {
        let zg = z[g];
        let e = libm::exp(-zg.abs());
        let l = libm::log1p(e);
        let (sp, sig) = if zg > 0.0 { (zg + l, 1.0 / (1.0 + e)) } else { (l, e / (1.0 + e)) };
        let w = pos[g] + neg[g];
        total += pos[g] * (sp - zg) + neg[g] * sp;
        grad[g] = w * sig - pos[g];
        curv[g] = w * sig * (1.0 - sig);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_pool_equal_rows() {
        // rows: (1,0) y, (1,0) n, (0,2) y, (1,2) n
        let x = [1.0, 0.0, 1.0, 0.0, 0.0, 2.0, 1.0, 2.0];
        let y = [true, false, true, false];
        let data = Data::new(&x, 4, 2, &y);
        assert_eq!(data.card, vec![2, 2]);
        let g = Groups::of(&data, &[0]);
        assert_eq!((g.pos.clone(), g.neg.clone()), (vec![1.0, 1.0], vec![2.0, 0.0]));
        assert_eq!(g.x, vec![1.0, 0.0]);
        let g2 = g.refine(&data, 1);
        assert_eq!(g2.row_group, vec![0, 0, 1, 2]);
        assert_eq!(g2.x, vec![1.0, 0.0, 0.0, 2.0, 1.0, 2.0]);
        assert_eq!((g2.pos, g2.neg), (vec![1.0, 1.0, 0.0], vec![1.0, 0.0, 1.0]));
    }

    #[test]
    fn many_values_are_coded_by_rank() {
        let col: Vec<f64> = (0..20).map(|i| f64::from((i * 7) % 20) - 3.5).collect();
        let (codes, card) = code_column(&col);
        assert_eq!(card, 20);
        for (i, &c) in codes.iter().enumerate() {
            assert_eq!(f64::from(c) - 3.5, col[i]);
        }
    }

    #[test]
    fn loss_matches_definition() {
        let z = [-800.0, -1.0, 0.0, 2.5, 800.0];
        let pos = [1.0, 2.0, 0.0, 1.0, 0.0];
        let neg = [0.0, 1.0, 3.0, 0.0, 1.0];
        // log(1 + e^t) written out; at |t| = 800 it is t or 0 in f64.
        let naive = |t: f64| if t > 700.0 { t } else { libm::log(1.0 + libm::exp(t)) };
        let want: f64 = z.iter().zip(pos.iter().zip(&neg)).map(|(&z, (&p, &q))| p * naive(-z) + q * naive(z)).sum();
        let got = loss(&z, &pos, &neg);
        assert!((got - want).abs() < 1e-9 * want, "{got} vs {want}");
        let mut gr = [0.0; 5];
        let mut cu = [0.0; 5];
        assert_eq!(loss_and_slopes(&z, &pos, &neg, &mut gr, &mut cu), got);
        assert_eq!(gr[2], 1.5);
        assert_eq!(cu[2], 0.75);
    }
}
