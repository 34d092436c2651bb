//! Backtest against `score_all` on the same 10k deals / 1M activities (a won/lost history), in
//! the same run: the backtest folds each closed deal at its own snapshot, then ranks.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dealscore::{BacktestOptions, ModelSet, backtest, score_all};
use dealscore_benches::{as_of, synth_history};

const DEALS: usize = 10_000;
const ACTIVITIES: usize = 1_000_000;

fn outcome(c: &mut Criterion) {
    let models = ModelSet::embedded();
    let (deals, acts) = synth_history(DEALS, ACTIVITIES);
    let mut g = c.benchmark_group("outcome_1m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ACTIVITIES as u64));
    g.bench_function("score_all", |b| {
        b.iter(|| black_box(score_all(&models, &deals, &acts, as_of()).unwrap().len()));
    });
    let options = BacktestOptions::default();
    g.bench_function("backtest", |b| {
        b.iter(|| black_box(backtest(&models, &deals, &acts, &options).unwrap().deals));
    });
    g.finish();
}

criterion_group!(benches, outcome);
criterion_main!(benches);
