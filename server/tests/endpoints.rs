//! Every endpoint over real TCP: the answers are the core's own JSON, byte for byte.

mod common;

use common::{SCORE, Server, get, post};
use dealscore::ModelSet;
use dealscore::api::{
    BacktestRequest, NextStepsRequest, QaRequest, QualityRequest, ReportRequest, ScoreRequest, json_call,
};
use dealscore_server::Config;
use serde_json::json;

fn config() -> Config {
    Config::new(ModelSet::embedded())
}

const QUALITY: &str = r#"{"as_of": "2026-11-27", "deal": {"id": "D-1", "maintainer": "sato", "quality_events": [
    {"indicator": "empathy", "checked": true, "by": "sato", "date": "2026-11-01"},
    {"indicator": "budget_secured", "checked": true, "by": "sato", "date": "2026-11-10"},
    {"indicator": "empathy", "checked": false, "by": "sato", "date": "2026-11-20", "reason": "担当交代"}]}}"#;

const NEXT_STEPS: &str = r#"{"deal": {"id": "D-1", "stage": "hearing",
    "members": [{"user": "sato", "role": "sales", "skills": ["hearing"]}]}, "done": ["current_state_mapped"]}"#;

#[tokio::test]
async fn score_explain_and_stale_are_the_core_output() {
    let server = Server::start(config()).await;
    let models = ModelSet::embedded();
    let cases: [(&str, String); 3] = [
        ("/v1/score", json_call(SCORE, |r: &ScoreRequest| r.score(&models)).unwrap()),
        ("/v1/explain", json_call(SCORE, |r: &ScoreRequest| r.explain(&models)).unwrap()),
        ("/v1/stale", json_call(SCORE, |r: &ScoreRequest| r.stale(&models)).unwrap()),
    ];
    for (path, expected) in cases {
        let reply = post(&server, path, SCORE).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_eq!(reply.headers["content-type"], "application/json");
        assert_eq!(reply.text, expected, "{path}");
    }
    let report = post(&server, "/v1/score", SCORE).await.json();
    assert_eq!(report[0]["deal"], "D-1");
    assert_eq!(report[0]["energy"]["total"], 54);
    server.stop().await;
}

#[tokio::test]
async fn stale_takes_days_and_basis() {
    let server = Server::start(config()).await;
    let body = r#"{"as_of": "2026-11-27", "days": 5, "basis": "energy",
        "activities": [{"id": "a", "deal": "D-9", "date": "2026-11-26", "actions": []}]}"#;
    let reply = post(&server, "/v1/stale", body).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let stale = reply.json();
    assert_eq!(stale["basis"], "energy");
    assert_eq!(stale["deals"][0]["deal"], "D-9");
    assert_eq!(stale["deals"][0]["stale_days"], 5);
    server.stop().await;
}

#[tokio::test]
async fn quality_and_next_steps_are_the_core_output() {
    let server = Server::start(config()).await;
    let models = ModelSet::embedded();
    let expected = json_call(QUALITY, |r: &QualityRequest| r.run(&models)).unwrap();
    let reply = post(&server, "/v1/quality", QUALITY).await;
    assert_eq!((reply.status, reply.text.as_str()), (200, expected.as_str()));
    assert_eq!(reply.json()["checked"], json!(["budget_secured"]));

    let expected = json_call(NEXT_STEPS, |r: &NextStepsRequest| r.run(&models)).unwrap();
    let reply = post(&server, "/v1/next-steps", NEXT_STEPS).await;
    assert_eq!((reply.status, reply.text.as_str()), (200, expected.as_str()));
    assert_eq!(reply.json()["stage"], "hearing");
    server.stop().await;
}

/// Two won and two lost deals; the open one is left out.
const BACKTEST: &str = r#"{"horizon_days": 14, "bins": 2,
  "deals": [{"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"}, {"id": "D-2", "outcome": "won", "closed_on": "2026-07-15"},
            {"id": "D-3", "outcome": "lost", "closed_on": "2026-06-20"}, {"id": "D-4", "outcome": "lost", "closed_on": "2026-07-31"},
            {"id": "D-5", "closed_on": "2026-12-31"}],
  "activities": [
    {"id": "a1", "deal": "D-1", "date": "2026-06-01", "actions": ["visited_us", "requested_quote"], "contacts": [{"person": "森", "title": "部長"}]},
    {"id": "a2", "deal": "D-2", "date": "2026-06-20", "actions": ["requested_demo"], "contacts": [{"person": "森", "title": "部長"}]},
    {"id": "a3", "deal": "D-4", "date": "2026-07-01", "actions": ["called_us"], "contacts": [{"person": "林", "title": "担当"}]},
    {"id": "a4", "deal": "D-5", "date": "2026-07-01", "actions": ["called_us"]}]}"#;

#[tokio::test]
async fn backtest_is_the_core_output() {
    let server = Server::start(config()).await;
    let models = ModelSet::embedded();
    let expected = json_call(BACKTEST, |r: &BacktestRequest| r.run(&models)).unwrap();
    let reply = post(&server, "/v1/backtest", BACKTEST).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.headers["content-type"], "application/json");
    assert_eq!(reply.text, expected);
    let bt = reply.json();
    assert_eq!((bt["mode"].as_str(), bt["deals"].as_u64(), bt["won"].as_u64()), (Some("horizon"), Some(4), Some(2)));
    assert_eq!(bt["scores"]["energy"]["auc"], 1.0);
    let rows: Vec<&str> = bt["rows"].as_array().unwrap().iter().map(|r| r["deal"].as_str().unwrap()).collect();
    assert_eq!(rows, ["D-1", "D-2", "D-3", "D-4"]);
    server.stop().await;
}

/// A case file's `expected` text as written (its last key), without the whitespace outside
/// strings: key order, `1.0` against `1` and every float digit then count.
fn expected_text(file: &str) -> String {
    let mut compact = String::with_capacity(file.len());
    let mut chars = file.chars();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_string => {
                compact.push(c);
                compact.extend(chars.next());
            }
            '"' => {
                in_string = !in_string;
                compact.push(c);
            }
            c if !in_string && c.is_ascii_whitespace() => {}
            c => compact.push(c),
        }
    }
    let at = compact.rfind("\"expected\":").expect("an expected key") + "\"expected\":".len();
    compact[at..].strip_suffix('}').expect("expected is the last key").to_owned()
}

/// Every vector of an operation through its endpoint: the answer is the expected text byte for
/// byte, or the error code with 400 for a malformed request and 422 for a refused one.
async fn every_vector_answers_as_expected(
    prefix: &str,
    endpoint: &str,
    body: fn(&serde_json::Value) -> serde_json::Value,
) {
    let server = Server::start(config()).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{} {prefix} vectors", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let case: serde_json::Value = serde_json::from_str(&text).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy();
        let reply = post(&server, endpoint, body(&case).to_string()).await;
        match (case.get("expected"), case.get("error_code").and_then(serde_json::Value::as_str)) {
            (Some(expected), None) => {
                assert_eq!(reply.status, 200, "{name}: {}", reply.text);
                let want = expected_text(&text);
                assert_eq!(
                    &serde_json::from_str::<serde_json::Value>(&want).unwrap(),
                    expected,
                    "{name}: the raw slice"
                );
                assert_eq!(reply.text, want, "{name}");
            }
            (None, Some(code)) => {
                let status = if ["invalid_input", "invalid_date"].contains(&code) { 400 } else { 422 };
                assert_eq!(
                    (reply.status, reply.json()["code"].as_str()),
                    (status, Some(code)),
                    "{name}: {}",
                    reply.text
                );
            }
            _ => panic!("{name}: neither expected nor error_code"),
        }
    }
    server.stop().await;
}

/// The case without its metadata: the request body of `fit` and `scorecard`.
fn whole_case(case: &serde_json::Value) -> serde_json::Value {
    let mut body = case.as_object().unwrap().clone();
    for meta in ["name", "description", "op", "expected", "error_code"] {
        body.remove(meta);
    }
    serde_json::Value::Object(body)
}

/// Backtest options are top-level keys of the body.
#[tokio::test]
async fn every_backtest_vector_answers_as_expected() {
    every_vector_answers_as_expected("backtest_", "/v1/backtest", |case| {
        let mut body = serde_json::Map::new();
        for key in ["model", "deals", "activities"] {
            if let Some(v) = case.get(key) {
                body.insert(key.into(), v.clone());
            }
        }
        if let Some(options) = case.get("options").and_then(serde_json::Value::as_object) {
            body.extend(options.clone());
        }
        serde_json::Value::Object(body)
    })
    .await;
}

#[tokio::test]
async fn every_fit_vector_answers_as_expected() {
    every_vector_answers_as_expected("fit_", "/v1/fit", whole_case).await;
}

#[tokio::test]
async fn every_scorecard_vector_answers_as_expected() {
    every_vector_answers_as_expected("scorecard_", "/v1/scorecard", whole_case).await;
}

const REPORT: &str = r#"{"as_of": "2026-11-27",
  "deals": [{"id": "D-1", "members": [{"user": "sato"}, {"user": "ito", "notify": "digest"}, {"user": "abe", "notify": "none"}]}],
  "activities": [{"id": "a1", "deal": "D-1", "date": "2026-11-02", "actions": ["called_us"],
                  "contacts": [{"person": "鈴木", "title": "課長"}], "reporter": "sato"}],
  "report": {"id": "a2", "deal": "D-1", "date": "2026-11-26", "actions": ["visited_us"],
             "contacts": [{"person": "田中", "title": "CEO"}], "reporter": "ito"}}"#;

#[tokio::test]
async fn reports_are_the_core_notice() {
    let server = Server::start(config()).await;
    let models = ModelSet::embedded();
    let expected = json_call(REPORT, |r: &ReportRequest| r.run(&models)).unwrap();
    let reply = post(&server, "/v1/reports", REPORT).await;
    assert_eq!((reply.status, reply.text.as_str()), (200, expected.as_str()));
    let notice = reply.json();
    assert_eq!(notice["recipients"], json!({"immediate": ["sato"], "digest": []}));
    // called_us 8 + 課長 5 = 13; then 来社 20 + 経営層 20 = 40.
    assert_eq!((notice["before"]["total"].as_u64(), notice["after"]["total"].as_u64()), (Some(13), Some(53)));
    assert_eq!(notice["changes"][0], json!({"kind": "energy", "from": 13, "to": 53, "text": "energy +40"}));
    assert_eq!(notice["changes"][1]["text"], "top role reached: executive");
    // A report whose deal has no record: whom would we tell?
    let orphan = REPORT.replace(r#""deal": "D-1", "date": "2026-11-26""#, r#""deal": "D-9", "date": "2026-11-26""#);
    assert_eq!(post(&server, "/v1/reports", orphan).await.error(422, "unknown_deal")["code"], "unknown_deal");
    server.stop().await;
}

#[tokio::test]
async fn quality_is_null_for_a_model_without_indicators() {
    let server = Server::start(config()).await;
    let body = json!({"as_of": "2026-11-27", "deal": {"id": "D"}, "model": {
        "schema": 1, "actions": [{"id": "x", "label": "X", "points": 1}], "roles": [],
        "status": {"energy_threshold": 1, "quality_threshold": 0.5}}});
    let reply = post(&server, "/v1/quality", body.to_string()).await;
    assert_eq!((reply.status, reply.text.as_str()), (200, "null"));
    server.stop().await;
}

#[tokio::test]
async fn an_inline_model_replaces_the_servers() {
    let server = Server::start(config()).await;
    let body = json!({"as_of": "2026-11-27",
        "model": {"schema": 1, "actions": [{"id": "called_us", "label": "電話", "points": 100}], "roles": [],
                  "status": {"energy_threshold": 50, "quality_threshold": 0.5}},
        "activities": [{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["called_us"]}]});
    let reply = post(&server, "/v1/score", body.to_string()).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()[0]["energy"]["total"], 100);
    server.stop().await;
}

#[tokio::test]
async fn qa_search_is_the_core_answer() {
    let kb = r#"[
        {"id": "q1", "question": "値引きの承認は誰がしますか", "answer": "部長です", "stages": ["quotation"], "tags": ["値引き"]},
        {"id": "q2", "question": "見積の有効期限は", "answer": "30日です"},
        {"id": "q3", "question": "How do I book a demo?", "answer": "Use the demo calendar.", "tags": ["demo"]}]"#;
    let entries = dealscore::qa::entries_from_json(kb).unwrap();
    let models = ModelSet::embedded();
    let index = dealscore::QaIndex::new(entries.clone(), &models.default_model().qa).unwrap();
    let server = Server::start(config().with_knowledge_base(entries).unwrap()).await;
    let unanswered = r#"{"question": "xyzzy", "deal": {"id": "D", "stage": "hearing", "members": [{"user": "kim", "skills": ["hearing"]}]}}"#;
    for body in [r#"{"question": "値引きの承認", "stage": "quotation", "k": 2}"#, r#"{"question": "demo"}"#, unanswered]
    {
        let expected = json_call(body, |r: &QaRequest| r.run(&models, &index)).unwrap();
        let reply = post(&server, "/v1/qa/search", body).await;
        assert_eq!((reply.status, reply.text.as_str()), (200, expected.as_str()), "{body}");
    }
    let answer = post(&server, "/v1/qa/search", r#"{"question": "値引きの承認", "stage": "quotation"}"#).await.json();
    assert_eq!(answer["hits"][0]["id"], "q1");
    let answer = post(&server, "/v1/qa/search", unanswered).await.json();
    assert_eq!((answer["unanswered"].as_bool(), answer["ask"][0]["user"].as_str()), (Some(true), Some("kim")));
    server.stop().await;
}

#[tokio::test]
async fn without_a_knowledge_base_every_question_is_unanswered() {
    let server = Server::start(config()).await;
    let answer = post(&server, "/v1/qa/search", r#"{"question": "値引きの承認"}"#).await.json();
    assert_eq!(answer["unanswered"], true);
    assert_eq!(answer["hits"], json!([]));
    server.stop().await;
}

#[tokio::test]
async fn model_is_the_configured_model_set() {
    let set = ModelSet::from_json(
        &json!({"default": "smb", "models": {
            "smb": {"schema": 1, "actions": [{"id": "x", "label": "X", "points": 1}], "roles": [],
                    "status": {"energy_threshold": 1, "quality_threshold": 0.5}},
            "enterprise": {"schema": 1, "actions": [{"id": "x", "label": "X", "points": 3}], "roles": [],
                    "status": {"energy_threshold": 9, "quality_threshold": 0.5}}}})
        .to_string(),
    )
    .unwrap();
    let expected = set.to_value();
    let server = Server::start(Config::new(set)).await;
    let reply = get(&server, "/v1/model").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), expected);
    assert_eq!(reply.json()["default"], "smb");
    let body = r#"{"as_of": "2026-11-27", "deals": [{"id": "D", "model": "enterprise"}],
        "activities": [{"id": "a", "deal": "D", "date": "2026-11-26", "actions": ["x"]}]}"#;
    assert_eq!(post(&server, "/v1/score", body).await.json()[0]["energy"]["total"], 3);
    server.stop().await;
}

#[tokio::test]
async fn healthz_and_the_openapi_document() {
    let server = Server::start(config()).await;
    let health = get(&server, "/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");

    let reply = get(&server, "/openapi.json").await;
    assert_eq!(reply.status, 200);
    let doc = reply.json();
    assert_eq!(doc, dealscore_server::openapi(false));
    assert_eq!(doc["openapi"], "3.1.0");
    let mut paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "/healthz",
            "/openapi.json",
            "/v1/backtest",
            "/v1/explain",
            "/v1/fit",
            "/v1/model",
            "/v1/next-steps",
            "/v1/qa/search",
            "/v1/quality",
            "/v1/reports",
            "/v1/score",
            "/v1/scorecard",
            "/v1/stale"
        ]
    );
    // Every documented operation is routed (an empty body is a 4xx from the handler, never a
    // 404 or 405 from the router).
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let request = common::client().request(method.to_uppercase().parse().unwrap(), server.url(path));
            let reply = common::send(request.header("content-type", "application/json")).await;
            assert!(![404, 405].contains(&reply.status), "{method} {path}: {}", reply.status);
        }
    }
    // The schemas come from the types.
    let schemas = &doc["components"]["schemas"];
    for name in [
        "ScoreRequest",
        "QualityRequest",
        "NextStepsRequest",
        "QaRequest",
        "BacktestRequest",
        "Backtest",
        "ReportRequest",
        "ReportNotice",
        "DealReport",
        "StaleReport",
        "ErrorBody",
        "Activity",
        "Deal",
    ] {
        assert!(schemas[name].is_object(), "{name}");
    }
    server.stop().await;
}

/// Every operation with a request body shows an example (docs/web-api.md's), and the server
/// answers each with 200 and the core's JSON: the examples API browsers and schemathesis send
/// stay valid requests.
#[tokio::test]
async fn every_request_example_in_the_openapi_document_is_answered() {
    let server = Server::start(config()).await;
    let doc = dealscore_server::openapi(false);
    let mut posted = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(body) = item.get("post").map(|op| &op["requestBody"]["content"]["application/json"]) else { continue };
        let example = body["example"].to_string();
        assert!(body["example"].is_object(), "{path}: no example");
        let reply = post(&server, path, example).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert!(!reply.json().is_null(), "{path}");
        posted.push(path.as_str());
    }
    assert_eq!(posted.len(), 10, "{posted:?}");
    server.stop().await;
}
