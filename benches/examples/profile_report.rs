//! The work of one `POST /v1/reports` body without the HTTP stack, phase by phase, for profilers
//! and quick timings: `cargo run --release -p dealscore-benches --example profile_report`
//! (`REPEAT=n`, default 2000; `PHASE=parse` runs only the phases whose name starts so; the body is
//! benches/server/report-200.json).

use std::hint::black_box;
use std::io::Read;
use std::time::Instant;

use dealscore::ModelSet;

/// The server's allocator (cli/src/serve.rs), so the parse costs what it costs there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use dealscore::api::{ReportRequest, ScoreRequest};

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/server/report-200.json");
    let body = std::fs::read(path).expect("benches/server/report-200.json");
    let repeat: u32 = std::env::var("REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(2000);
    let models = ModelSet::embedded();
    // Wall time, and this thread's CPU time (which other work on the machine does not inflate).
    let only = std::env::var("PHASE").ok();
    let time = |name: &str, f: &mut dyn FnMut()| {
        if only.as_deref().is_some_and(|p| !name.starts_with(p)) {
            return;
        }
        f();
        let (start, cpu) = (Instant::now(), cpu_seconds());
        for _ in 0..repeat {
            f();
        }
        let per = |s: f64| s * 1e6 / f64::from(repeat);
        println!(
            "{name:<28} {:>8.1} µs wall {:>8.1} µs CPU",
            per(start.elapsed().as_secs_f64()),
            per(cpu_seconds() - cpu)
        );
    };
    let text = std::str::from_utf8(&body).expect("UTF-8");
    let request: ReportRequest = dealscore::from_json(text).expect("a report request");
    time("parse ReportRequest", &mut || {
        black_box(dealscore::from_json::<ReportRequest>(text).expect("parses"));
    });
    time("run (parsed)", &mut || {
        black_box(request.run(&models).expect("runs"));
    });
    time("serialise the notice", &mut || {
        black_box(serde_json::to_vec(&request.run(&models).expect("runs")).expect("serialises"));
    });
    let score = ScoreRequest {
        model: None,
        deals: request.deals.clone(),
        activities: request.activities.clone(),
        as_of: request.as_of,
        days: None,
        basis: None,
    };
    time("score_all of the history", &mut || {
        black_box(score.score(&models).expect("scores"));
    });
    let score_body = serde_json::to_vec(&score).expect("serialises");
    time("score_json of the history", &mut || {
        black_box(dealscore::api::score_json(&score_body, &models).expect("scores"));
    });
}

/// This thread's user + system time, from /proc (clock ticks of 10 ms: repeat enough).
fn cpu_seconds() -> f64 {
    let mut stat = String::new();
    std::fs::File::open("/proc/thread-self/stat").and_then(|mut f| f.read_to_string(&mut stat)).expect("/proc");
    let fields: Vec<&str> = stat.rsplit(')').next().expect("stat").split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().expect("utime") + fields[12].parse::<f64>().expect("stime");
    ticks / 100.0
}
