//! Runs every `sh` block of docs/web-api.md with bash and curl against real servers, and checks the
//! answer against the `json` block that follows it (exactly, or as a subset when the text before
//! the command marks it *abridged*).

mod common;

use std::path::Path;

use common::Server;
use dealscore::ModelSet;
use dealscore_server::Config;
use serde_json::Value;

struct Example {
    line: usize,
    command: String,
    expected: Option<Value>,
    abridged: bool,
}

fn examples(doc: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut lines = doc.lines().enumerate();
    let mut prose = String::new();
    while let Some((n, line)) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else {
            prose.push_str(line);
            prose.push('\n');
            continue;
        };
        let body: Vec<&str> = lines.by_ref().map(|(_, l)| l).take_while(|l| !l.starts_with("```")).collect();
        let body = body.join("\n");
        match lang.trim() {
            "sh" => {
                out.push(Example {
                    line: n + 1,
                    command: body,
                    expected: None,
                    abridged: prose.contains("*abridged*"),
                });
                prose.clear();
            }
            "json" if out.last().is_some_and(|e| e.expected.is_none()) && prose.trim().is_empty() => {
                let value =
                    serde_json::from_str(&body).unwrap_or_else(|e| panic!("docs line {}: bad JSON: {e}", n + 1));
                out.last_mut().unwrap().expected = Some(value);
            }
            _ => prose.clear(),
        }
    }
    out
}

/// `expected` ⊆ `actual`: objects may omit keys, arrays must have the same length.
fn subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().all(|(k, v)| a.get(k).is_some_and(|w| subset(v, w))),
        (Value::Array(e), Value::Array(a)) => e.len() == a.len() && e.iter().zip(a).all(|(v, w)| subset(v, w)),
        _ => expected == actual,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_curl_example_in_the_web_api_doc_answers_as_shown() {
    assert!(
        std::process::Command::new("curl").arg("--version").output().is_ok(),
        "curl is needed to run the documented examples (scripts/test-server installs it)"
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/web-api.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let examples = examples(&doc);
    assert!(examples.len() >= 12, "found only {} examples", examples.len());

    let kb = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/qa.jsonl")).unwrap();
    let entries = dealscore::qa::entries_from_jsonl(&kb).unwrap();
    let open = Server::start(Config::new(ModelSet::embedded()).with_knowledge_base(entries).unwrap()).await;
    let locked = Server::start(Config::new(ModelSet::embedded()).with_token(Some("s3cret".into()))).await;
    for example in &examples {
        let command =
            example.command.replace("http://127.0.0.1:8080", &open.base).replace("http://127.0.0.1:8081", &locked.base);
        // From the repository's root, as a reader runs them.
        let output = tokio::process::Command::new("bash")
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
            .args(["-c", &format!("set -euo pipefail\n{command}")])
            .env("DEALSCORE_TOKEN", "s3cret")
            .output()
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "docs line {}: {}\n{stdout}",
            example.line,
            String::from_utf8_lossy(&output.stderr)
        );
        let expected =
            example.expected.as_ref().unwrap_or_else(|| panic!("docs line {}: no JSON answer shown", example.line));
        let actual: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("docs line {}: not JSON ({e}): {stdout}", example.line));
        if example.abridged {
            assert!(subset(expected, &actual), "docs line {}: {expected}\nis not part of\n{actual}", example.line);
        } else {
            assert_eq!(&actual, expected, "docs line {}", example.line);
        }
    }
    open.stop().await;
    locked.stop().await;
}

/// The request bodies of the sh blocks: heredocs (`<<'JSON'`) and `-d '…'` arguments.
fn request_bodies(doc: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for e in examples(doc) {
        let body = if let Some((_, rest)) = e.command.split_once("<<'JSON'\n") {
            rest.split("\nJSON").next()
        } else {
            e.command.split_once("-d '").and_then(|(_, rest)| rest.split('\'').next())
        };
        if let Some(value) = body.and_then(|b| serde_json::from_str(b).ok()) {
            out.push(value);
        }
    }
    out
}

/// The OpenAPI document's request examples (server/src/examples/) are this page's requests, so
/// the two cannot drift apart; `fit.json` is the backtest's history.
#[test]
fn the_openapi_examples_are_the_docs_requests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bodies = request_bodies(&std::fs::read_to_string(root.join("../docs/web-api.md")).unwrap());
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(root.join("src/examples").join(name)).unwrap()).unwrap()
    };
    let mut names: Vec<String> = std::fs::read_dir(root.join("src/examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names.len(), 10, "{names:?}");
    for name in names.iter().filter(|n| *n != "fit.json") {
        assert!(bodies.contains(&read(name)), "{name} is not a request of docs/web-api.md");
    }
    let (fit, backtest) = (read("fit.json"), read("backtest.json"));
    assert_eq!((&fit["deals"], &fit["activities"]), (&backtest["deals"], &backtest["activities"]));
}
