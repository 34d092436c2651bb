//! How fast one thread turns JSON Lines into activities, by parser, to choose the CLI's:
//! `cargo run --release -p dealscore-benches --example parse_jsonl -- FILE.jsonl`
//! (`dealscore synth --deals 10000 --activities 1000000 --seed 1 --out FILE.jsonl`).
//!
//! - `core`: `dealscore::from_json::<Activity>` on each line (plain serde_json first, path
//!   tracking only on a failure);
//! - `core activity reader`: `dealscore::activity_from_json` (what the CLI does: sonic-rs first,
//!   `from_json` on a failure);
//! - `serde_json owned`: `serde_json::from_slice::<Activity>` (UTF-8 checked while parsing);
//! - `serde_json borrowed`: into a struct of `&str` borrowing the line (no copy of the text);
//! - `sonic-rs owned`: `sonic_rs::from_slice::<Activity>` (SIMD);
//! - `sonic-rs borrowed`: sonic-rs into the struct borrowing the line;
//! - `scan only`: finding the line ends and checking UTF-8, the floor of any parser.
//!
//! Each is timed over the whole file in memory, best of `REPEAT` (default 3).

use std::borrow::Cow;
use std::hint::black_box;
use std::time::Instant;

use dealscore::Activity;
use serde::Deserialize;

/// An activity borrowing its text (escaped strings, rare in practice, are owned).
#[derive(Deserialize)]
#[allow(dead_code)] // read only through `black_box`
struct ActivityBorrowed<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    deal: Cow<'a, str>,
    #[serde(borrow)]
    date: Cow<'a, str>,
    #[serde(default, borrow)]
    actions: Vec<Cow<'a, str>>,
    #[serde(default, borrow)]
    contacts: Vec<ContactBorrowed<'a>>,
    #[serde(default)]
    attendees: Option<u32>,
    #[serde(default, borrow)]
    reporter: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    note: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct ContactBorrowed<'a> {
    #[serde(default, borrow)]
    person: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    role: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    title: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    department: Option<Cow<'a, str>>,
}

fn main() {
    let path = std::env::args().nth(1).expect("a JSON Lines file");
    let text = std::fs::read(&path).expect("a readable file");
    let repeat: usize = std::env::var("REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let mb = text.len() as f64 / 1e6;
    println!("{path}: {} lines, {mb:.0} MB; best of {repeat}", lines.len());
    let time = |name: &str, f: &dyn Fn(&[u8]) -> usize| {
        let best = (0..repeat)
            .map(|_| {
                let start = Instant::now();
                let n: usize = lines.iter().map(|l| f(l)).sum();
                black_box(n);
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        println!("{name:<22} {best:7.3} s  {:6.0} MB/s  {:5.2} M lines/s", mb / best, lines.len() as f64 / best / 1e6);
    };
    time("scan only", &|l| usize::from(std::str::from_utf8(l).is_ok()));
    time("core", &|l| {
        let a: Activity = dealscore::from_json(std::str::from_utf8(l).unwrap()).unwrap();
        a.actions.len()
    });
    time("core activity reader", &|l| {
        dealscore::activity_from_json(std::str::from_utf8(l).unwrap()).unwrap().actions.len()
    });
    time("serde_json owned", &|l| serde_json::from_slice::<Activity>(l).unwrap().actions.len());
    time("serde_json borrowed", &|l| {
        let a: ActivityBorrowed = serde_json::from_slice(l).unwrap();
        a.actions.len()
    });
    time("sonic-rs owned", &|l| sonic_rs::from_slice::<Activity>(l).unwrap().actions.len());
    time("sonic-rs borrowed", &|l| {
        let a: ActivityBorrowed = sonic_rs::from_slice(l).unwrap();
        a.actions.len()
    });
}
