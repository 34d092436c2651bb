//! One `score_all` over synthetic data, for profilers (`perf record`, callgrind):
//! `cargo run --release -p dealscore-benches --example profile_score -- 10000 1000000`.
//! `MODE=stream` pushes the same activities through a `StreamScorer` instead; `THREADS=n` runs
//! `score_all_parallel` on n threads; `REPEAT=n` repeats.

use dealscore::columns::ActivityCodes;
use dealscore::{ModelSet, StreamScorer, score_all, score_all_parallel, score_columns};

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a count"));
    let deals = args.next().unwrap_or(10_000);
    let activities = args.next().unwrap_or(1_000_000);
    let (d, a) = dealscore_benches::synth(deals, activities);
    let models = ModelSet::embedded();
    let as_of = dealscore_benches::as_of();
    let mode = std::env::var("MODE").unwrap_or_default();
    let stream = mode == "stream";
    let codes = (mode == "columns").then(|| ActivityCodes::encode(&a));
    let threads: Option<std::num::NonZeroUsize> =
        std::env::var("THREADS").ok().map(|t| t.parse().expect("a thread count"));
    let repeat: u32 = std::env::var("REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let start = std::time::Instant::now();
    let mut reports = Vec::new();
    for _ in 0..repeat {
        reports = if stream {
            let mut s = StreamScorer::new(&models, d.clone(), as_of).expect("valid deals");
            for x in &a {
                s.push(x).expect("valid data");
            }
            s.finish().expect("valid data")
        } else if let Some(codes) = &codes {
            score_columns(&models, &d, &codes.columns(), as_of).expect("valid data")
        } else if let Some(threads) = threads {
            score_all_parallel(&models, &d, &a, as_of, threads).expect("valid data")
        } else {
            score_all(&models, &d, &a, as_of).expect("valid data")
        };
    }
    let secs = start.elapsed().as_secs_f64() / f64::from(repeat);
    println!(
        "{} reports, {activities} activities in {secs:.3} s = {:.2} M activities/s ({})",
        reports.len(),
        activities as f64 / secs / 1e6,
        match (stream, threads) {
            _ if codes.is_some() => "score_columns".to_owned(),
            (true, _) => "StreamScorer".to_owned(),
            (false, Some(t)) => format!("score_all_parallel, {t} threads"),
            (false, None) => "score_all".to_owned(),
        }
    );
}
