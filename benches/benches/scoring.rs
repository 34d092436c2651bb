//! Throughput of batch and incremental scoring on 10k deals / 1M activities of synthetic data.
//!
//! The baseline in the same run is the least work any scorer must do: one hash look-up per
//! activity for its deal and one per action for its points. Ratios against it show overhead.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dealscore::columns::ActivityCodes;
use dealscore::parallel::SharedStream;
use dealscore::{ModelSet, Scorer, StreamScorer, score_all, score_all_parallel, score_columns};
use dealscore_benches::{as_of, synth};
use rustc_hash::FxHashMap;

const DEALS: usize = 10_000;
const ACTIVITIES: usize = 1_000_000;

fn scoring(c: &mut Criterion) {
    let models = ModelSet::embedded();
    let (deals, acts) = synth(DEALS, ACTIVITIES);
    // The same activities as columns of coded text (coded once, outside the loop, as an Arrow
    // dictionary column or a CRM's integer keys already are), made before any run frees memory.
    let codes = ActivityCodes::encode(&acts);
    let mut g = c.benchmark_group("score_1m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ACTIVITIES as u64));

    let points: FxHashMap<&str, u64> =
        models.default_model().actions.iter().map(|a| (a.id.as_str(), a.points as u64)).collect();
    g.bench_function("baseline_lookups", |b| {
        b.iter(|| {
            let mut per_deal: FxHashMap<&str, u64> = FxHashMap::default();
            for a in &acts {
                let e: u64 = a.actions.iter().map(|x| points[x.as_str()]).sum();
                *per_deal.entry(a.deal.as_str()).or_insert(0) += e;
            }
            black_box(per_deal.len())
        });
    });
    g.bench_function("score_all", |b| {
        b.iter(|| black_box(score_all(&models, &deals, &acts, as_of()).unwrap().len()));
    });
    g.bench_function("score_columns", |b| {
        b.iter(|| black_box(score_columns(&models, &deals, &codes.columns(), as_of()).unwrap().len()));
    });
    // Every core of the machine (the target above is for one).
    let threads = std::thread::available_parallelism().expect("a core count");
    g.bench_function(format!("score_all_parallel_{threads}_threads"), |b| {
        b.iter(|| black_box(score_all_parallel(&models, &deals, &acts, as_of(), threads).unwrap().len()));
    });
    // Pushes and the reports: the stream folds its rows in groups, the last one at `finish`.
    g.bench_function("stream_scorer_push_finish", |b| {
        b.iter(|| {
            let mut s = StreamScorer::new(&models, deals.clone(), as_of()).unwrap();
            for a in &acts {
                s.push(a).unwrap();
            }
            black_box(s.finish().unwrap().len())
        });
    });
    // One thread per core pushing blocks of 1,024 from its share of the input into four parts
    // per thread, as the CLI does.
    g.bench_function(format!("shared_stream_{threads}_threads"), |b| {
        b.iter(|| {
            let parts = threads.saturating_mul(std::num::NonZeroUsize::new(4).unwrap());
            let shared = SharedStream::new(&models, &deals, as_of(), parts).unwrap();
            std::thread::scope(|s| {
                for share in acts.chunks(acts.len().div_ceil(threads.get())) {
                    let shared = &shared;
                    s.spawn(move || share.chunks(1024).for_each(|block| shared.push(block).unwrap()));
                }
            });
            black_box(shared.finish().unwrap().len())
        });
    });
    g.finish();

    // The incremental scorer: adding clones each activity into its store, reporting refolds.
    let mut g = c.benchmark_group("scorer_1m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(acts.len() as u64));
    g.bench_function("add", |b| {
        b.iter(|| {
            let mut s = Scorer::new(models.clone(), deals.clone()).unwrap();
            for a in &acts {
                s.add(a.clone()).unwrap();
            }
            black_box(s.len())
        });
    });
    let mut scorer = Scorer::new(models.clone(), deals.clone()).unwrap();
    for a in &acts {
        scorer.add(a.clone()).unwrap();
    }
    g.bench_function("report_all", |b| b.iter(|| black_box(scorer.report_all(as_of()).unwrap().len())));
    g.finish();
}

criterion_group!(benches, scoring);
criterion_main!(benches);
