//! The `dealscore` command over the shipped examples and over bad input.

use std::fmt::Write as _;
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

fn report_json(extra: &[&str]) -> Value {
    let out = dealscore()
        .args(["report", "--deals", "examples/deals.json", "--as-of", "2026-11-27", "--format", "json"])
        .args(extra)
        .arg("examples/activities.jsonl")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn report_json_equals_the_library() {
    let cli = report_json(&[]);
    let deals: Vec<dealscore::Deal> =
        dealscore::from_json(&std::fs::read_to_string(repo("examples/deals.json")).unwrap()).unwrap();
    let acts: Vec<dealscore::Activity> = std::fs::read_to_string(repo("examples/activities.jsonl"))
        .unwrap()
        .lines()
        .map(|l| dealscore::from_json(l).unwrap())
        .collect();
    let lib =
        dealscore::score_all(&dealscore::ModelSet::embedded(), &deals, &acts, "2026-11-27".parse().unwrap()).unwrap();
    assert_eq!(cli, serde_json::to_value(&lib).unwrap());
    let reports = cli.as_array().unwrap();
    assert_eq!(reports.len(), 10);
    assert_eq!(reports[0]["deal"], "D-1001");
    assert_eq!(reports[0]["energy"]["total"], 1025);
    assert_eq!(reports[0]["status"], "close");
}

#[test]
fn examples_show_every_status_and_signal() {
    let cli = report_json(&[]);
    let reports = cli.as_array().unwrap();
    for status in ["close", "qualify", "engage", "review"] {
        assert!(reports.iter().any(|r| r["status"] == status), "no deal is {status}");
    }
    for kind in ["no_energy", "declining", "top_role_absent", "single_threaded", "route_gap"] {
        assert!(
            reports.iter().any(|r| r["signals"].as_array().unwrap().iter().any(|s| s["kind"] == kind)),
            "no deal shows {kind}"
        );
    }
}

#[test]
fn explicit_model_file_gives_the_same_report() {
    assert_eq!(report_json(&["--model", "examples/model.toml"]), report_json(&[]));
}

#[test]
fn table_is_what_a_manager_reads() {
    dealscore()
        .args(["report", "--deals", "examples/deals.json", "--as-of", "2026-11-27", "examples/activities.jsonl"])
        .assert()
        .success()
        .stdout(predicate::str::contains("D-1001").and(predicate::str::contains("株式会社ミナト物流")))
        .stdout(predicate::str::contains("1025").and(predicate::str::contains("close")))
        .stdout(predicate::str::contains("single_threaded"));
}

#[test]
fn jsonl_prints_one_report_per_line() {
    let out = dealscore()
        .args(["report", "--as-of", "2026-11-27", "--format", "jsonl", "examples/activities.jsonl"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // Without the deals file, the never-contacted D-1005 is unknown.
    assert_eq!(text.lines().count(), 9);
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["deal"].is_string());
    }
}

#[test]
fn stdin_and_csv_read_the_same_activities() {
    let jsonl = "{\"id\":\"a1\",\"deal\":\"D\",\"date\":\"2026-11-20\",\"actions\":[\"visited_us\",\"asked_question\"],\"contacts\":[{\"person\":\"佐藤\",\"title\":\"部長\",\"department\":\"情シス\"},{\"person\":\"鈴木\",\"role\":\"staff\"}],\"reporter\":\"rep1\"}\n\
                 {\"id\":\"a2\",\"deal\":\"D\",\"date\":\"2026-11-25\",\"actions\":[\"emailed_us\"],\"contacts\":[],\"attendees\":3}\n";
    let csv = "id,deal,date,actions,contact_person,contact_title,contact_role,contact_department,attendees,reporter,note\n\
               a1,D,2026-11-20,visited_us;asked_question,佐藤;鈴木,部長;,;staff,情シス;,,rep1,\n\
               a2,D,2026-11-25,emailed_us,,,,,3,,\"メール, 返信あり\"\n";
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("acts.csv");
    std::fs::write(&csv_path, csv).unwrap();
    let from_stdin = dealscore()
        .args(["report", "--as-of", "2026-11-27", "--format", "json", "-"])
        .write_stdin(jsonl)
        .output()
        .unwrap();
    let from_csv =
        dealscore().args(["report", "--as-of", "2026-11-27", "--format", "json"]).arg(&csv_path).output().unwrap();
    assert!(from_csv.status.success(), "{}", String::from_utf8_lossy(&from_csv.stderr));
    assert_eq!(String::from_utf8(from_stdin.stdout).unwrap(), String::from_utf8(from_csv.stdout.clone()).unwrap());
    let v: Value = serde_json::from_slice(&from_csv.stdout).unwrap();
    // 来社 20 + 質問 6 + 部長 10 + 2 attendees 3 = 39; then e-mail 4 + 3 attendees 3 = 7.
    assert_eq!(v[0]["energy"]["total"], 46);
}

#[test]
fn malformed_line_names_file_line_and_field() {
    let input = "{\"id\":\"a1\",\"deal\":\"D\",\"date\":\"2026-11-20\"}\n{\"id\":\"a2\",\"deal\":\"D\",\"date\":\"2026-02-30\"}\n";
    dealscore()
        .args(["report", "--as-of", "2026-11-27", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-:2").and(predicate::str::contains("invalid_date")))
        .stderr(predicate::str::contains("date").and(predicate::str::contains("2026-02-30")));
}

#[test]
fn unknown_action_names_line_activity_and_id() {
    let input = "{\"id\":\"a1\",\"deal\":\"D\",\"date\":\"2026-11-20\"}\n\n{\"id\":\"a9\",\"deal\":\"D\",\"date\":\"2026-11-21\",\"actions\":[\"bribe\"]}\n";
    dealscore()
        .args(["report", "--as-of", "2026-11-27", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[unknown_action]: -:3:").and(predicate::str::contains("\"a9\"")))
        .stderr(predicate::str::contains("\"bribe\""));
}

#[test]
fn skip_invalid_reports_each_line_and_the_count() {
    let input = "not json\n{\"id\":\"a1\",\"deal\":\"D\",\"date\":\"2026-11-20\",\"actions\":[\"called_us\"]}\n{\"id\":\"a1\",\"deal\":\"D\",\"date\":\"2026-11-21\"}\n";
    let (v, err) = report_skipping_invalid(input);
    assert!(err.contains("skipped error[invalid_input]: -:1:"), "{err}");
    assert!(err.contains("skipped error[duplicate_activity]: -:3:"), "{err}");
    assert!(err.contains("1 activities read, 2 invalid lines skipped"), "{err}");
    assert_eq!(v[0]["energy"]["total"], 8);
}

/// A byte that is not UTF-8 is that line's error (`file:line`, exit 2), not the end of the run,
/// in JSON Lines and CSV, from a file or standard input; `--skip-invalid` skips just that line.
#[test]
fn a_line_that_is_not_utf8_is_that_lines_error() {
    let good =
        |id: &str| format!("{{\"id\":\"{id}\",\"deal\":\"D\",\"date\":\"2026-11-20\",\"actions\":[\"called_us\"]}}\n");
    let mut input = good("a1").into_bytes();
    input.extend_from_slice(b"{\"id\":\"a2\",\"deal\":\"D\",\"date\":\"2026-11-20\",\"note\":\"\xff\xfe\"}\n");
    input.extend_from_slice(good("a3").as_bytes());
    dealscore().args(["report", "--as-of", "2026-11-27", "-"]).write_stdin(input.clone()).assert().code(2).stderr(
        predicate::str::contains("error[invalid_input]: -:2: the line is not valid UTF-8 (byte 51 of the line)"),
    );
    let (v, err) = report_skipping_invalid(input);
    assert!(err.contains("skipped error[invalid_input]: -:2:"), "{err}");
    assert!(err.contains("2 activities read, 1 invalid line skipped"), "{err}");
    assert_eq!(v[0]["energy"]["total"], 16);

    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("acts.csv");
    let mut text = b"id,deal,date,actions,note\na1,D,2026-11-20,called_us,\n".to_vec();
    text.extend_from_slice(b"a2,D,2026-11-20,called_us,\xff\na3,D,2026-11-21,called_us,ok\n");
    std::fs::write(&csv, text).unwrap();
    dealscore()
        .args(["report", "--as-of", "2026-11-27"])
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("error[invalid_input]: {}:3:", csv.display())));
    let out = dealscore()
        .args(["report", "--as-of", "2026-11-27", "--format", "json", "--skip-invalid"])
        .arg(&csv)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&format!("skipped error[invalid_input]: {}:3:", csv.display())), "{err}");
    assert!(err.contains("2 activities read, 1 invalid line skipped"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["energy"]["total"], 16);

    // The deals file too: invalid_input at its line, exit 2 (not an I/O error).
    let deals = dir.path().join("deals.jsonl");
    std::fs::write(&deals, b"{\"id\":\"D\"}\n{\"id\":\"E\",\"customer\":\"\xe6\x9d\"}\n").unwrap();
    dealscore()
        .args(["report", "--as-of", "2026-11-27", "--deals"])
        .arg(&deals)
        .arg("-")
        .write_stdin(good("a1"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("error[invalid_input]: {}:2:", deals.display())));
}

/// CSV is cut into blocks at newlines outside quotes: notes with line breaks spanning many blocks
/// keep every record whole, and errors name the physical line the record starts on, in order,
/// from a file and from standard input.
#[test]
fn csv_records_with_line_breaks_are_read_whole_across_blocks() {
    let mut csv = String::from("id,deal,date,actions,note\n");
    let mut line = 2;
    let mut bad_lines = Vec::new();
    for i in 0..6000 {
        let (action, note) = match i {
            2500 | 5000 => ("bribe", "\"short\"".to_owned()),
            _ => ("called_us", format!("\"first line {i}\nsecond, \"\"quoted\"\"\n{}\"", "x".repeat(i % 97))),
        };
        if action == "bribe" {
            bad_lines.push(line);
        }
        writeln!(csv, "a{i},D{},2026-11-20,{action},{note}", i % 5).unwrap();
        line += 1 + note.matches('\n').count();
    }
    assert!(csv.len() > 600_000, "several blocks of 256 KiB: {}", csv.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acts.csv");
    std::fs::write(&path, &csv).unwrap();
    let want = |p: &str| format!("error[unknown_action]: {p}:{}:", bad_lines[0]);
    dealscore()
        .args(["report", "--as-of", "2026-11-27"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(want(&path.display().to_string())));
    dealscore()
        .args(["report", "--as-of", "2026-11-27", "--input-format", "csv", "-"])
        .write_stdin(csv.clone())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(want("-")));
    let out = dealscore()
        .args(["report", "--as-of", "2026-11-27", "--format", "json", "--skip-invalid"])
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    let skipped: Vec<&str> = err.lines().filter(|l| l.starts_with("skipped")).collect();
    assert_eq!(skipped.len(), 2, "{err}");
    for (s, l) in skipped.iter().zip(&bad_lines) {
        assert!(s.contains(&format!("{}:{l}:", path.display())), "{s}");
    }
    assert!(err.contains("5998 activities read, 2 invalid lines skipped"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let total: i64 = v.as_array().unwrap().iter().map(|r| r["energy"]["total"].as_i64().unwrap()).sum();
    assert_eq!(total, 5998 * 8);
}

/// serde reads a struct from an array of its fields; an activity must be an object.
#[test]
fn an_activity_given_as_an_array_is_refused() {
    let input = "{\"id\":\"a1\",\"deal\":\"D\",\"date\":\"2026-11-20\"}\n[\"A1\",\"D1\",\"2026-10-01\",[],[]]\n";
    dealscore()
        .args(["report", "--as-of", "2026-11-27", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error[invalid_input]: -:2:").and(predicate::str::contains("a JSON object")));
    let (v, err) = report_skipping_invalid(input);
    assert!(err.contains("1 activities read, 1 invalid line skipped"), "{err}");
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["deal"], "D");
}

/// `report --skip-invalid` over standard input: the JSON reports and what stderr said.
fn report_skipping_invalid(input: impl Into<Vec<u8>>) -> (Value, String) {
    let out = dealscore()
        .args(["report", "--as-of", "2026-11-27", "--format", "json", "--skip-invalid", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    (serde_json::from_slice(&out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Lines are parsed on another thread a batch at a time: across many batches the first bad
/// line is still the one named, and every line is still read once, in order.
#[test]
fn bad_lines_far_into_a_long_input_are_named_in_order() {
    // Line 9000 names an unknown action; line 15000 repeats the id of line 3.
    let line = |i: usize| {
        let (id, action) = match i {
            9000 => (i, "bribe"),
            15000 => (3, "called_us"),
            _ => (i, "called_us"),
        };
        format!("{{\"id\":\"a{id}\",\"deal\":\"D{}\",\"date\":\"2026-11-20\",\"actions\":[\"{action}\"]}}\n", i % 7)
    };
    let input: String = (1..=20_000).map(line).collect();
    dealscore()
        .args(["report", "--as-of", "2026-11-27", "-"])
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-:9000:").and(predicate::str::contains("\"bribe\"")));
    let (v, err) = report_skipping_invalid(input);
    let skipped: Vec<&str> = err.lines().filter(|l| l.starts_with("skipped")).collect();
    assert_eq!(skipped.len(), 2, "{err}");
    assert!(skipped[0].contains("-:9000:") && skipped[1].contains("-:15000:"), "{err}");
    assert!(err.contains("19998 activities read, 2 invalid lines skipped"), "{err}");
    let total: u64 = v.as_array().unwrap().iter().map(|r| r["energy"]["total"].as_u64().unwrap()).sum();
    // called_us is 8 points (see `skip_invalid_reports_each_line_and_the_count`).
    assert_eq!(total, 19_998 * 8);
}

/// A file is read by every core at once into a shared scorer; standard input in order into one
/// scorer. Over a synthetic file of many blocks (about 6 MB) both give the same bytes, for the
/// report and the stale list, and a bad line far into the file (one block among many) is named
/// exactly as in order: the read falls back to one scorer.
#[test]
fn a_file_read_by_every_core_reports_what_an_ordered_read_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acts.jsonl");
    dealscore()
        .args(["synth", "--deals", "300", "--activities", "20000", "--seed", "5", "--out"])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    for command in [&["report", "--format", "json"][..], &["stale", "--format", "json", "--days", "30"]] {
        let by_file = dealscore().args(command).args(["--as-of", "2026-11-27"]).arg(&file).output().unwrap();
        let by_stdin =
            dealscore().args(command).args(["--as-of", "2026-11-27", "-"]).write_stdin(text.clone()).output().unwrap();
        assert!(by_file.status.success(), "{}", String::from_utf8_lossy(&by_file.stderr));
        assert!(by_file.stdout.len() > 1_000, "{command:?}: {}", String::from_utf8_lossy(&by_file.stdout));
        assert_eq!(by_file.stdout, by_stdin.stdout, "{command:?}");
        // One thread reads in order (and `--threads 3`, more than this machine's cores, works too).
        for threads in ["1", "3"] {
            let by_threads = dealscore()
                .args(command)
                .args(["--as-of", "2026-11-27", "--threads", threads])
                .arg(&file)
                .output()
                .unwrap();
            assert_eq!(by_threads.stdout, by_file.stdout, "{command:?} --threads {threads}");
        }
    }
    dealscore()
        .args(["report", "--threads", "0"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threads"));
    // Line 17000 repeats the id of line 2 (another deal, most likely another part); line 19000
    // names an unknown action: the first is the one named.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let second: Value = serde_json::from_str(&lines[1]).unwrap();
    let mut repeat: Value = serde_json::from_str(&lines[16_999]).unwrap();
    repeat["id"] = second["id"].clone();
    lines[16_999] = repeat.to_string();
    lines[18_999] = lines[18_999].replacen("\"actions\":[", "\"actions\":[\"bribe\",", 1);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let name = file.display().to_string();
    dealscore()
        .args(["report", "--as-of", "2026-11-27"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{name}:17000:")).and(predicate::str::contains("duplicate_activity")));
    lines[16_999] = text.lines().nth(16_999).unwrap().to_owned();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    dealscore()
        .args(["report", "--as-of", "2026-11-27"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{name}:19000:")).and(predicate::str::contains("\"bribe\"")));
    // The repeated id alone: every line parses and folds, the ids are checked at the end, and
    // the read in order names the line. `stale` and `backtest` read the same way.
    lines[16_999] = repeat.to_string();
    lines[18_999] = text.lines().nth(18_999).unwrap().to_owned();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    for command in ["report", "stale"] {
        dealscore().args([command, "--as-of", "2026-11-27"]).arg(&file).assert().code(2).stderr(
            predicate::str::contains(format!("{name}:17000:")).and(predicate::str::contains("duplicate_activity")),
        );
    }
}

#[test]
fn validate_accepts_the_example_and_names_the_culprit_path() {
    dealscore().args(["validate", "examples/model.toml"]).assert().success().stdout(predicate::str::contains("ok"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, dealscore::DEFAULT_MODEL_TOML.replacen("points = 20", "points = -20", 1)).unwrap();
    dealscore()
        .arg("validate")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid_model").and(predicate::str::contains("actions[1].points")));
}

#[test]
fn init_writes_the_default_model_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.toml");
    dealscore().arg("init").arg(&path).assert().success();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), dealscore::DEFAULT_MODEL_TOML);
    dealscore().arg("init").arg(&path).assert().code(2).stderr(predicate::str::contains("--force"));
}

#[test]
fn schema_prints_the_committed_schema() {
    dealscore()
        .arg("schema")
        .assert()
        .success()
        .stdout(std::fs::read_to_string(repo("docs/model.schema.json")).unwrap());
}

#[test]
fn synth_is_deterministic_and_scores_cleanly() {
    let run = |seed: &str| {
        let out = dealscore().args(["synth", "--deals", "20", "--activities", "500", "--seed", seed]).output().unwrap();
        assert!(out.status.success());
        out.stdout
    };
    let a = run("7");
    assert_eq!(a, run("7"));
    assert_ne!(a, run("8"));
    assert_eq!(String::from_utf8_lossy(&a).lines().count(), 500);
    let dir = tempfile::tempdir().unwrap();
    let deals = dir.path().join("deals.json");
    let acts = dir.path().join("acts.jsonl");
    dealscore()
        .args(["synth", "--deals", "20", "--activities", "500", "--seed", "7", "--out"])
        .arg(&acts)
        .arg("--deals-out")
        .arg(&deals)
        .assert()
        .success();
    let out = dealscore()
        .args(["report", "--as-of", "2026-11-27", "--format", "json", "--deals"])
        .arg(&deals)
        .arg(&acts)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 20);
}

#[test]
fn stale_lists_the_never_contacted_deal_and_counts_snoozed() {
    let out = dealscore()
        .args(["stale", "--deals", "examples/deals.json", "--as-of", "2026-11-27", "--format", "json"])
        .arg("examples/activities.jsonl")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["deals"][0]["deal"], "D-1005");
    assert_eq!(v["deals"][0]["last_date"], Value::Null);
    assert_eq!(v["snoozed"], 1);
    let energy = dealscore()
        .args(["stale", "--deals", "examples/deals.json", "--as-of", "2026-11-27", "--basis", "energy", "--days", "10"])
        .args(["--format", "json", "examples/activities.jsonl"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&energy.stdout).unwrap();
    let rows = v["deals"].as_array().unwrap();
    assert!(rows.len() > 1);
    // Never contacted first, then the longest silence.
    let days: Vec<i64> = rows.iter().skip(1).map(|r| r["days_since"].as_i64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
}

#[test]
fn explain_items_add_up_to_each_deal_total() {
    let out = dealscore()
        .args(["explain", "--deals", "examples/deals.json", "--as-of", "2026-11-27", "--format", "json"])
        .arg("examples/activities.jsonl")
        .output()
        .unwrap();
    let items: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = report_json(&[]);
    for r in reports.as_array().unwrap() {
        let sum: u64 = items
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["deal"] == r["deal"])
            .map(|e| e["energy"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, r["energy"]["total"].as_u64().unwrap(), "{}", r["deal"]);
    }
}

#[test]
fn qa_finds_the_ringi_answer_in_the_shipped_knowledge_base() {
    let out = dealscore()
        .args(["qa", "--stage", "approval", "--format", "json", "-k", "3", "稟議書の添付資料は何を用意すればいい？"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"][0]["id"], "qa-034");
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
    assert_eq!(v["unanswered"], false);
}

#[test]
fn unanswered_question_names_the_colleagues_to_ask() {
    let out = dealscore()
        .args(["qa", "--deals", "examples/deals.json", "--deal-id", "D-1001", "--format", "json", "xyzzy plugh"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["unanswered"], true);
    assert_eq!(v["stage"], "approval");
    let users: Vec<&str> = v["ask"].as_array().unwrap().iter().map(|e| e["user"].as_str().unwrap()).collect();
    assert_eq!(users, ["nakamura.t", "sato.m", "tanaka.y"]);
}

#[test]
fn qa_rejects_empty_questions_and_unknown_stages() {
    dealscore().args(["qa", "  "]).assert().code(2).stderr(predicate::str::contains("empty_question"));
    dealscore()
        .args(["qa", "--stage", "nowhere", "見積"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown_stage").and(predicate::str::contains("nowhere")));
}

#[test]
fn next_lists_what_is_left_and_who_covers_it() {
    let out = dealscore()
        .args(["next", "--deals", "examples/deals.json", "--deal-id", "D-1001", "--done", "ringi_submitted"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stage"], "approval");
    assert_eq!(v["remaining"][0]["id"], "decision_maker_met");
    assert_eq!(v["can_advance"], false);
    assert_eq!(v["next_stage"], "won");
    dealscore()
        .args(["next", "--deals", "examples/deals.json", "--deal-id", "D-1001", "--done", "bogus"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown_criterion"));
    dealscore()
        .args(["next", "--deals", "examples/deals.json", "--deal-id", "D-9999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown_deal"));
}

/// A CSV of the planted vector's rows (label first), and the same data as a core request.
fn scorecard_csv(dir: &Path, name: &str, label: &str, rows: std::ops::Range<usize>) -> (PathBuf, Value) {
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(repo("vectors/scorecard_planted_binary.json")).unwrap()).unwrap();
    let columns: Vec<&str> = case["table"]["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let mut text = format!("{label},{}\n", columns.join(","));
    let all_rows = case["table"]["rows"].as_array().unwrap();
    let all_labels = case["labels"].as_array().unwrap();
    for i in rows.clone() {
        let cells: Vec<String> =
            all_rows[i].as_array().unwrap().iter().map(|v| v.as_f64().unwrap().to_string()).collect();
        writeln!(text, "{},{}", all_labels[i], cells.join(",")).unwrap();
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let request = serde_json::json!({
        "table": {"columns": columns, "rows": all_rows[rows.clone()]},
        "labels": all_labels[rows].to_vec(),
    });
    (path, request)
}

#[test]
fn scorecard_json_equals_the_library_and_reads_a_test_file() {
    let dir = tempfile::tempdir().unwrap();
    let (train, request) = scorecard_csv(dir.path(), "train.csv", "won", 0..150);
    let (test, test_request) = scorecard_csv(dir.path(), "test.csv", "won", 150..200);
    let out = dealscore()
        .args(["scorecard", "--label", "won", "--k", "3", "--format", "json", "--test"])
        .args([&test, &train])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut request = request;
    request["options"] = serde_json::json!({"k": 3});
    request["test"] = test_request;
    let lib: dealscore::api::ScorecardRequest = dealscore::from_value(request).unwrap();
    assert_eq!(cli, serde_json::to_value(lib.run().unwrap()).unwrap());
    assert_eq!(cli["test"]["rows"], 50);
    assert!(cli["points"].as_object().unwrap().len() <= 3);
}

#[test]
fn scorecard_table_shows_points_risks_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let (train, _) = scorecard_csv(dir.path(), "train.csv", "won", 0..200);
    let out = dealscore().args(["scorecard", "--label", "won", "--k", "3"]).arg(&train).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // The planted vector's card: visited +3, exec_met +4, cold -3, intercept -1.
    for want in ["visited", "+3", "exec_met", "+4", "cold", "-3", "score = -1 + Σ points × value", "P(y = 1)", "train"]
    {
        assert!(text.contains(want), "{want:?} missing from\n{text}");
    }
}

#[test]
fn scorecard_bad_input_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let cases = [
        ("nolabel.csv", "a,b\n1,0\n", vec!["nolabel.csv:1", "no label column \"y\""]),
        ("text.csv", "y,a\n1,0\n0,zero\n", vec!["text.csv:3", "column \"a\"", "not a number"]),
        ("nan.csv", "y,a\n1,0\n0,NaN\n", vec!["nan.csv:3", "not a finite number"]),
        ("label.csv", "y,a\n1,0\n2,1\n", vec!["label.csv:3", "label column \"y\""]),
        ("one.csv", "y,a\n1,0\n1,1\n", vec!["one.csv", "both classes", "invalid_input"]),
    ];
    for (name, text, wants) in cases {
        let path = write(name, text);
        let out = dealscore().args(["scorecard", "--label", "y"]).arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        for want in wants {
            assert!(err.contains(want), "{name}: {want:?} missing from {err}");
        }
    }
    let ok = write("ok.csv", "y,a\n1,0\n0,1\n");
    for (args, want) in [
        (["--lb=-1", "--ub=-2", "--k", "1"], "lb = -1 is above ub = -2"),
        (["--lb", "3", "--k", "1"], "lb = 3 is above 0"),
        (["--k", "0", "--format", "json"], "error[invalid_input]: invalid input at options.k: k must be at least 1"),
    ] {
        let out = dealscore().args(["scorecard", "--label", "y"]).args(args).arg(&ok).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(want));
    }
    let test = write("test.csv", "y,b\n1,0\n");
    let out = dealscore().args(["scorecard", "--label", "y", "--test"]).args([&test, &ok]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("test.csv:1: no column \"a\""));
}

/// The report a rep writes for D-1003 in the shipped examples: a director's visit.
const D1003_REPORT: &str = r#"{"id": "WEB-0001", "deal": "D-1003", "date": "2026-11-26", "actions": ["visited_us"],
    "contacts": [{"person": "森 健一", "title": "部長", "department": "経営企画部"}], "reporter": "sato.m"}"#;

/// `dealscore notify … examples/activities.jsonl` with `report` as the report file.
fn notify(report: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    std::fs::write(&path, report).unwrap();
    dealscore()
        .args(["notify", "--deals", "examples/deals.json", "--as-of", "2026-11-27", "--report"])
        .arg(&path)
        .args(extra)
        .arg("examples/activities.jsonl")
        .assert()
}

#[test]
fn notify_json_is_the_librarys_notice() {
    let out = notify(D1003_REPORT, &["--deal-id", "D-1003", "--format", "json"]).success().get_output().clone();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let deals: Vec<dealscore::Deal> =
        dealscore::from_json(&std::fs::read_to_string(repo("examples/deals.json")).unwrap()).unwrap();
    let activities: Vec<dealscore::Activity> = std::fs::read_to_string(repo("examples/activities.jsonl"))
        .unwrap()
        .lines()
        .map(|l| dealscore::from_json(l).unwrap())
        .collect();
    let request = dealscore::api::ReportRequest {
        model: None,
        deals,
        deal: Some("D-1003".into()),
        activities,
        report: dealscore::from_json(D1003_REPORT).unwrap(),
        as_of: "2026-11-27".parse().unwrap(),
    };
    let lib = request.run(&dealscore::ModelSet::embedded()).unwrap();
    assert_eq!(cli, serde_json::to_value(&lib).unwrap());
    // ito.s hears at once, watanabe.k in the digest; 122 + 来社 20 + 部長 10 = 152 crosses 150.
    assert_eq!(cli["recipients"], serde_json::json!({"immediate": ["ito.s"], "digest": ["watanabe.k"]}));
    assert_eq!((cli["before"]["total"].as_u64(), cli["after"]["total"].as_u64()), (Some(122), Some(152)));
    assert_eq!((cli["before"]["status"].as_str(), cli["after"]["status"].as_str()), (Some("engage"), Some("close")));
}

#[test]
fn notify_table_says_who_hears_and_what_changed() {
    notify(D1003_REPORT, &["--deal-id", "D-1003"])
        .success()
        .stdout(predicate::str::contains("D-1003 合同会社さくらデザイン — report WEB-0001 (2026-11-26) by sato.m"))
        .stdout(
            predicate::str::contains("notify now:    ito.s\n")
                .and(predicate::str::contains("notify digest: watanabe.k\n")),
        )
        .stdout(predicate::str::contains("  energy +30\n").and(predicate::str::contains("  status engage → close\n")))
        .stdout(predicate::str::contains("  top role reached: director\n"))
        .stdout(predicate::str::contains("  signals cleared: single_threaded\n"));
    // A report by a member leaves them out; one that earns nothing changes nothing.
    let quiet = D1003_REPORT.replace(r#""visited_us""#, "").replace("部長", "ゲスト").replace("sato.m", "ito.s");
    notify(&quiet, &["--deal-id", "D-1003"])
        .success()
        .stdout(predicate::str::contains("notify now:    -\n").and(predicate::str::contains("changes: none\n")));
}

#[test]
fn notify_refuses_unknown_deals_repeated_ids_and_reports_for_another_deal() {
    notify(D1003_REPORT, &["--deal-id", "D-9999"]).code(2).stderr(
        predicate::str::contains("error[unknown_deal]: examples/deals.json").and(predicate::str::contains("D-9999")),
    );
    notify(D1003_REPORT, &["--deal-id", "D-1001"])
        .code(2)
        .stderr(predicate::str::contains("error[deal_mismatch]").and(predicate::str::contains("WEB-0001")));
    // An id already used by any line of the history, whichever deal it belongs to.
    let first: Value = serde_json::from_str(
        std::fs::read_to_string(repo("examples/activities.jsonl")).unwrap().lines().next().unwrap(),
    )
    .unwrap();
    let repeated = D1003_REPORT.replace("WEB-0001", first["id"].as_str().unwrap());
    notify(&repeated, &["--deal-id", "D-1003"])
        .code(2)
        .stderr(predicate::str::contains("error[duplicate_activity]").and(predicate::str::contains("report.json")));
    notify(&D1003_REPORT.replace("visited_us", "bribe"), &["--deal-id", "D-1003"])
        .code(2)
        .stderr(predicate::str::contains("error[unknown_action]").and(predicate::str::contains("\"bribe\"")));
}
