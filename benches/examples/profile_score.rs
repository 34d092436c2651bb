//! One `score_all` over synthetic data, for profilers (`perf record`, callgrind):
//! `cargo run --release -p dealscore-benches --example profile_score -- 10000 1000000`.

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a count"));
    let deals = args.next().unwrap_or(10_000);
    let activities = args.next().unwrap_or(1_000_000);
    let (d, a) = dealscore_benches::synth(deals, activities);
    let models = dealscore::ModelSet::embedded();
    let repeat: u32 = std::env::var("REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    let start = std::time::Instant::now();
    let mut reports = Vec::new();
    for _ in 0..repeat {
        reports = dealscore::score_all(&models, &d, &a, dealscore_benches::as_of()).expect("valid data");
    }
    let secs = start.elapsed().as_secs_f64() / f64::from(repeat);
    println!(
        "{} reports, {activities} activities in {secs:.3} s = {:.2} M activities/s",
        reports.len(),
        activities as f64 / secs / 1e6
    );
}
