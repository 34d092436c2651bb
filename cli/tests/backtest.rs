//! `dealscore backtest` and `dealscore synth --outcomes` over the shipped example history.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn dealscore() -> Command {
    let mut cmd = Command::cargo_bin("dealscore").unwrap();
    cmd.current_dir(repo(""));
    cmd
}

const HISTORY: [&str; 2] = ["--deals", "examples/history/deals.json"];
const ACTIVITIES: &str = "examples/history/activities.jsonl";

fn backtest_json(extra: &[&str]) -> Value {
    let out =
        dealscore().arg("backtest").args(HISTORY).args(extra).args(["--format", "json", ACTIVITIES]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_example_history_is_what_synth_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (acts, deals, model) = (dir.path().join("a.jsonl"), dir.path().join("d.json"), dir.path().join("m.toml"));
    dealscore()
        .args(["synth", "--deals", "120", "--activities", "3000", "--seed", "11", "--end", "2026-11-27", "--outcomes"])
        .arg("--out")
        .arg(&acts)
        .arg("--deals-out")
        .arg(&deals)
        .arg("--planted-model-out")
        .arg(&model)
        .assert()
        .success();
    for (made, shipped) in [
        (&acts, "examples/history/activities.jsonl"),
        (&deals, "examples/history/deals.json"),
        (&model, "examples/history/planted_model.toml"),
    ] {
        assert!(
            std::fs::read(made).unwrap() == std::fs::read(repo(shipped)).unwrap(),
            "{shipped} is not synth's output"
        );
    }
}

#[test]
fn backtest_json_equals_the_library() {
    let cli = backtest_json(&[]);
    let deals: Vec<dealscore::Deal> =
        dealscore::from_json(&std::fs::read_to_string(repo("examples/history/deals.json")).unwrap()).unwrap();
    let acts: Vec<dealscore::Activity> =
        std::fs::read_to_string(repo(ACTIVITIES)).unwrap().lines().map(|l| dealscore::from_json(l).unwrap()).collect();
    let lib =
        dealscore::backtest(&dealscore::ModelSet::embedded(), &deals, &acts, &dealscore::BacktestOptions::default())
            .unwrap();
    assert_eq!(cli, serde_json::to_value(&lib).unwrap());
    assert_eq!((cli["deals"].as_u64(), cli["won"].as_u64(), cli["lost"].as_u64()), (Some(111), Some(62), Some(49)));
    assert_eq!(cli["mode"], "horizon");
    assert_eq!(cli["horizon_days"], 14);
    // Enough won and lost deals: no warning.
    assert_eq!(cli["warnings"].as_array().unwrap().len(), 0);
}

/// The planted rule holds in what the backtest reports: under the planted model, each deal's
/// energy at its snapshot is the E its outcome was drawn from, so the wins in the upper and the
/// lower half by energy match Σ P(won) there within three standard deviations.
#[test]
fn backtest_of_the_planted_model_reports_what_was_planted() {
    let planted = backtest_json(&["--model", "examples/history/planted_model.toml"]);
    let default = backtest_json(&[]);
    let mut rows: Vec<(f64, bool)> = planted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["energy"].as_f64().unwrap(), r["outcome"] == "won"))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let c = rows[(rows.len() - 1) / 2].0;
    let m = (c / 2.0).max(1.0);
    let p = |e: f64| 1.0 / (1.0 + (-(e - c) / m).exp());
    for half in [&rows[..rows.len() / 2], &rows[rows.len() / 2..]] {
        let expected: f64 = half.iter().map(|r| p(r.0)).sum();
        let sd = half.iter().map(|r| p(r.0) * (1.0 - p(r.0))).sum::<f64>().sqrt();
        let observed = half.iter().filter(|r| r.1).count() as f64;
        assert!((observed - expected).abs() <= 3.0 * sd, "observed {observed} wins, planted {expected:.1} ± {sd:.1}");
    }
    let auc = |b: &Value| b["scores"]["energy"]["auc"].as_f64().unwrap();
    assert!(auc(&planted) > 0.8, "planted AUC {}", auc(&planted));
    // The default table is not the planted one, so it cannot rank better than the truth by much.
    assert!(auc(&default) < auc(&planted) + 0.05, "default {} vs planted {}", auc(&default), auc(&planted));
    // The heaviest planted actions go with winning; emailed_us (0 points) does not.
    let lift = |id: &str| {
        planted["insights"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap()["lift"].as_f64().unwrap()
    };
    assert!(lift("approval_circular") > 1.2 && lift("budget_request") > 1.2);
    assert!(lift("approval_circular") > lift("emailed_us"));
}

#[test]
fn backtest_table_shows_counts_auc_lift_status_and_insights() {
    dealscore()
        .arg("backtest")
        .args(HISTORY)
        .arg(ACTIVITIES)
        .assert()
        .success()
        .stdout(predicate::str::contains("111 closed deals: 62 won, 49 lost"))
        .stdout(predicate::str::contains("energy group"))
        .stdout(predicate::str::contains("status at snapshot"))
        .stdout(predicate::str::contains("goes with winning"))
        .stdout(predicate::str::contains("goes with losing"));
}

#[test]
fn cohort_mode_and_jsonl_rows() {
    let cohort = backtest_json(&["--as-of", "2026-06-01"]);
    assert_eq!(cohort["mode"], "cohort");
    assert_eq!(cohort["as_of"], "2026-06-01");
    for row in cohort["rows"].as_array().unwrap() {
        assert_eq!(row["snapshot"], "2026-06-01");
    }
    let out = dealscore().arg("backtest").args(HISTORY).args(["--format", "jsonl", ACTIVITIES]).output().unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 111);
    assert_eq!(lines[0], backtest_json(&[])["rows"][0]);
}

#[test]
fn bad_options_and_deals_name_the_culprit() {
    dealscore()
        .arg("backtest")
        .args(HISTORY)
        .args(["--bins", "0", ACTIVITIES])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[invalid_input]: --bins"));
    dealscore()
        .args(["backtest", "--horizon-days", "7", "--as-of", "2026-01-01"])
        .args(HISTORY)
        .arg(ACTIVITIES)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    dealscore().args(["backtest", ACTIVITIES]).assert().code(2).stderr(predicate::str::contains("--deals"));
    let dir = tempfile::tempdir().unwrap();
    let deals = dir.path().join("deals.json");
    std::fs::write(&deals, r#"[{"id": "D-1", "outcome": "won"}]"#).unwrap();
    dealscore()
        .arg("backtest")
        .arg("--deals")
        .arg(&deals)
        .arg(ACTIVITIES)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("closed_on").and(predicate::str::contains("deals.json")));
    std::fs::write(&deals, r#"[{"id": "D-1", "outcome": "pending", "closed_on": "2026-01-01"}]"#).unwrap();
    dealscore()
        .arg("backtest")
        .arg("--deals")
        .arg(&deals)
        .arg(ACTIVITIES)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[invalid_input]").and(predicate::str::contains("outcome")));
}

#[test]
fn stale_leaves_out_closed_deals() {
    let out = dealscore()
        .args(["stale", "--deals", "examples/history/deals.json", "--as-of", "2026-11-27", "--format", "json"])
        .arg(ACTIVITIES)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stale: Value = serde_json::from_slice(&out.stdout).unwrap();
    let deals: Vec<dealscore::Deal> =
        dealscore::from_json(&std::fs::read_to_string(repo("examples/history/deals.json")).unwrap()).unwrap();
    for row in stale["deals"].as_array().unwrap() {
        let deal = deals.iter().find(|d| d.id == row["deal"].as_str().unwrap()).unwrap();
        assert!(deal.outcome.is_none(), "closed deal {} is on the stale list", deal.id);
    }
}

/// A file is backtested on every core at once, standard input in order: over a synthetic history
/// of many blocks (about 6 MB), in horizon and cohort mode, both give the same bytes.
#[test]
fn a_file_backtested_by_every_core_equals_an_ordered_read() {
    let dir = tempfile::tempdir().unwrap();
    let (acts, deals) = (dir.path().join("a.jsonl"), dir.path().join("d.json"));
    dealscore()
        .args(["synth", "--deals", "400", "--activities", "20000", "--seed", "3", "--end", "2026-11-27", "--outcomes"])
        .arg("--out")
        .arg(&acts)
        .arg("--deals-out")
        .arg(&deals)
        .assert()
        .success();
    let text = std::fs::read(&acts).unwrap();
    for mode in [&["--horizon-days", "30"][..], &["--as-of", "2026-06-01"]] {
        let run = |file: Option<&Path>| {
            let mut cmd = dealscore();
            cmd.args(["backtest", "--format", "json", "--deals"]).arg(&deals).args(mode);
            match file {
                Some(f) => cmd.arg(f),
                None => cmd.arg("-").write_stdin(text.clone()),
            };
            let out = cmd.output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        let by_file = run(Some(&acts));
        let v: Value = serde_json::from_slice(&by_file).unwrap();
        assert!(v["deals"].as_u64().unwrap() > 50, "{mode:?}: {v}");
        assert_eq!(by_file, run(None), "{mode:?}");
    }
}
