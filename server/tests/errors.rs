//! Every error class over real TCP, and hostile input that must not hurt the server.

mod common;

use std::time::Duration;

use common::{Server, get, many, post, raw};
use dealscore::ModelSet;
use dealscore_server::{Config, Limits, ServeOptions};
use serde_json::json;

fn config() -> Config {
    Config::new(ModelSet::embedded())
}

fn small_limits() -> Limits {
    Limits {
        max_body_bytes: 64 * 1024,
        max_activities: 10,
        max_deals: 2,
        max_items: 5,
        max_string_bytes: 64,
        ..Limits::default()
    }
}

async fn healthy(server: &Server) {
    assert_eq!(get(server, "/healthz").await.status, 200);
}

#[tokio::test]
async fn malformed_bodies_are_400_invalid_input() {
    let server = Server::start(config()).await;
    let cases: [(&[u8], Option<&str>); 13] = [
        (b"{", Some("$")),
        (b"", Some("$")),
        (b"[]", Some("$")),
        (br#"[null, [], [], "2026-11-27"]"#, Some("$")),
        (br#" {"as_of": "2026-11-27"} {}"#, Some("$")),
        (b"null", Some("$")),
        (br#"{"as_of": "2026-11-27"} trailing"#, Some("$")),
        (b"{\"as_of\": \"2026-11-27\", \"deals\": [{\"id\": \"\xff\"}]}", Some("$")),
        (br#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "d", "date": "2026-11-01", "attendees": "3"}]}"#, Some("activities[0].attendees")),
        (br#"{"as_of": "2026-11-27", "surprise": 1}"#, Some("surprise")),
        // Records given as arrays of their fields are refused, not read field by field.
        (br#"{"as_of": "2026-11-27", "activities": [["A1", "D1", "2026-10-01", [], []]]}"#, Some("activities[0]")),
        (br#"{"as_of": "2026-11-27", "deals": [{"id": "D0"}, ["D1"]]}"#, Some("deals[1]")),
        (br#"["2026-11-27"]"#, Some("$")),
    ];
    for (body, path) in cases {
        let reply = post(&server, "/v1/score", body.to_vec()).await;
        let error = reply.error(400, "invalid_input");
        assert_eq!(error["path"].as_str(), path, "{}", String::from_utf8_lossy(body));
    }
    let missing = post(&server, "/v1/score", "{}").await.error(400, "invalid_input");
    assert!(missing["message"].as_str().unwrap().contains("as_of"), "{missing}");
    healthy(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn impossible_dates_are_400_invalid_date() {
    let server = Server::start(config()).await;
    let reply = post(&server, "/v1/score", r#"{"as_of": "2026-02-30"}"#).await;
    assert_eq!(reply.error(400, "invalid_date")["path"], "as_of");
    let body = r#"{"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "d", "date": "2026-1-2"}]}"#;
    assert_eq!(post(&server, "/v1/score", body).await.error(400, "invalid_date")["path"], "activities[0].date");
    server.stop().await;
}

#[tokio::test]
async fn deep_nesting_and_huge_numbers_are_rejected_not_fatal() {
    let server = Server::start(config()).await;
    let deep = "[".repeat(200_000);
    post(&server, "/v1/score", deep).await.error(400, "invalid_input");
    let deep_model = format!(r#"{{"as_of": "2026-11-27", "model": {}{}}}"#, "[".repeat(5_000), "]".repeat(5_000));
    post(&server, "/v1/score", deep_model).await.error(400, "invalid_input");
    let deep_object =
        format!(r#"{{"as_of": "2026-11-27", "model": {}1{}}}"#, r#"{"a":"#.repeat(5_000), "}".repeat(5_000));
    post(&server, "/v1/score", deep_object).await.error(400, "invalid_input");
    // Nesting inside an ignored field of an activity is skipped without recursion.
    let ignored = format!(
        r#"{{"as_of": "2026-11-27", "activities": [{{"id": "a", "deal": "d", "date": "2026-11-01", "x": {}{}}}]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(post(&server, "/v1/score", ignored).await.status, 200);

    for number in ["1e400", "-1", "4294967296", "99999999999999999999999999", "1.5"] {
        let body = format!(r#"{{"as_of": "2026-11-27", "days": {number}}}"#);
        assert_eq!(post(&server, "/v1/stale", body).await.error(400, "invalid_input")["path"], "days", "{number}");
    }
    let model = r#"{"as_of": "2026-11-27", "model": {"schema": 1, "actions": [{"id": "x", "label": "X", "points": 1e300}],
        "roles": [], "status": {"energy_threshold": 1, "quality_threshold": 0.5}}}"#;
    post(&server, "/v1/score", model).await.error(400, "invalid_input");
    healthy(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let server = Server::start(config()).await;
    let client = common::client();
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("application/jsonx")]
    {
        let mut request = client.post(server.url("/v1/score")).body(common::SCORE);
        if let Some(t) = content_type {
            request = request.header("content-type", t);
        }
        common::send(request).await.error(415, "unsupported_media_type");
    }
    for ok in ["application/json; charset=utf-8", "Application/JSON", "application/vnd.crm+json"] {
        let reply =
            common::send(client.post(server.url("/v1/score")).header("content-type", ok).body(common::SCORE)).await;
        assert_eq!(reply.status, 200, "{ok}");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_body_limit_is_413_and_item_limits_422_with_a_path() {
    let server = Server::start(config().with_limits(small_limits())).await;
    // Bytes: declared and streamed (chunked, no length).
    let big = format!(r#"{{"as_of": "2026-11-27", "x": "{}"}}"#, "a".repeat(70 * 1024));
    assert_eq!(post(&server, "/v1/score", big.clone()).await.error(413, "body_too_large")["path"], "$");
    let chunk = format!("{:x}\r\n{}\r\n", big.len(), big);
    let request = format!(
        "POST /v1/score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n{chunk}0\r\n\r\n"
    );
    let answer = raw(server.addr, request.as_bytes(), Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains(r#""code":"body_too_large""#), "{answer}");

    // Items and strings.
    let cases = [
        (many(11, 2), "activities"),
        (json!({"as_of": "2026-11-27", "deals": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}).to_string(), "deals"),
        (json!({"as_of": "2026-11-27", "deals": [{"id": "x".repeat(65)}]}).to_string(), "deals[0].id"),
        (
            json!({"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "d", "date": "2026-11-01", "actions": ["a", "b", "c", "d", "e", "f"]}]}).to_string(),
            "activities[0].actions",
        ),
        (
            json!({"as_of": "2026-11-27", "activities": [{"id": "a", "deal": "d", "date": "2026-11-01", "note": "長".repeat(30)}]}).to_string(),
            "activities[0].note",
        ),
        (json!({"as_of": "2026-11-27", "model": {"actions": [1, 2, 3, 4, 5, 6]}}).to_string(), "model.actions"),
    ];
    for (body, path) in cases {
        assert_eq!(post(&server, "/v1/score", body).await.error(422, "limit_exceeded")["path"], path);
    }
    let done = json!({"deal": {"id": "D"}, "done": ["1", "2", "3", "4", "5", "6"]}).to_string();
    assert_eq!(post(&server, "/v1/next-steps", done).await.error(422, "limit_exceeded")["path"], "done");
    let events: Vec<_> =
        (0..6).map(|_| json!({"indicator": "empathy", "checked": true, "by": "u", "date": "2026-01-01"})).collect();
    let quality = json!({"as_of": "2026-11-27", "deal": {"id": "D", "quality_events": events}}).to_string();
    assert_eq!(post(&server, "/v1/quality", quality).await.error(422, "limit_exceeded")["path"], "deal.quality_events");
    let report = |report: serde_json::Value| {
        json!({"as_of": "2026-11-27", "deals": [{"id": "d"}], "report": report}).to_string()
    };
    let long_note = report(json!({"id": "a", "deal": "d", "date": "2026-11-01", "note": "長".repeat(30)}));
    assert_eq!(post(&server, "/v1/reports", long_note).await.error(422, "limit_exceeded")["path"], "report.note");
    let long_deal = report(json!({"id": "a", "deal": "d", "date": "2026-11-01"}))
        .replace(r#""as_of""#, &format!(r#""deal": "{}", "as_of""#, "x".repeat(65)));
    assert_eq!(post(&server, "/v1/reports", long_deal).await.error(422, "limit_exceeded")["path"], "deal");
    healthy(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn model_rejections_are_422_with_the_core_codes() {
    let server = Server::start(config()).await;
    let activity = |id: &str, action: &str| json!({"id": id, "deal": "D", "date": "2026-11-01", "actions": [action]});
    let cases = [
        ("/v1/score", json!({"as_of": "2026-11-27", "activities": [activity("a", "nope")]}), "unknown_action"),
        (
            "/v1/explain",
            json!({"as_of": "2026-11-27", "activities": [activity("a", "called_us"), activity("a", "called_us")]}),
            "duplicate_activity",
        ),
        ("/v1/stale", json!({"as_of": "2026-11-27", "deals": [{"id": "D"}, {"id": "D"}]}), "duplicate_deal"),
        ("/v1/score", json!({"as_of": "2026-11-27", "deals": [{"id": "D", "model": "enterprise"}]}), "unknown_model"),
        ("/v1/score", json!({"as_of": "2026-11-27", "deals": [{"id": ""}]}), "empty_id"),
        (
            "/v1/score",
            json!({"as_of": "2026-11-27", "model": {"schema": 2, "actions": [], "roles": [], "status": {"energy_threshold": 1, "quality_threshold": 0.5}}}),
            "invalid_model",
        ),
        (
            "/v1/quality",
            json!({"as_of": "2026-11-27", "deal": {"id": "D", "maintainer": "sato", "quality_events": [{"indicator": "empathy", "checked": true, "by": "kim", "date": "2026-11-01"}]}}),
            "not_maintainer",
        ),
        (
            "/v1/quality",
            json!({"as_of": "2026-11-27", "deal": {"id": "D", "quality_events": [{"indicator": "nope", "checked": true, "by": "kim", "date": "2026-11-01"}]}}),
            "unknown_indicator",
        ),
        ("/v1/next-steps", json!({"deal": {"id": "D", "stage": "hearing"}, "done": ["nope"]}), "unknown_criterion"),
        ("/v1/next-steps", json!({"deal": {"id": "D", "stage": "nope"}}), "unknown_stage"),
        (
            "/v1/reports",
            json!({"as_of": "2026-11-27", "deals": [{"id": "D"}], "activities": [{"id": "a", "deal": "D", "date": "2026-11-20"}],
                   "report": {"id": "a", "deal": "D", "date": "2026-11-26"}}),
            "duplicate_activity",
        ),
        (
            "/v1/reports",
            json!({"as_of": "2026-11-27", "deals": [{"id": "D"}, {"id": "E"}], "deal": "E",
                   "report": {"id": "a", "deal": "D", "date": "2026-11-26"}}),
            "deal_mismatch",
        ),
        ("/v1/qa/search", json!({"question": " "}), "empty_question"),
        ("/v1/qa/search", json!({"question": "値引き", "stage": "nope"}), "unknown_stage"),
        ("/v1/qa/search", json!({"question": "値引き", "k": 1001}), "limit_exceeded"),
        ("/v1/qa/search", json!({"question": "値".repeat(2000)}), "limit_exceeded"),
    ];
    for (path, body, code) in cases {
        let error = post(&server, path, body.to_string()).await.error(422, code);
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    server.stop().await;
}

/// Backtest input errors name the culprit in the body: its options (top-level keys), a deal's
/// outcome and close date; refused ids are 422 as everywhere, and the limits apply.
#[tokio::test]
async fn backtest_errors_have_the_code_and_the_path() {
    let server = Server::start(config().with_limits(small_limits())).await;
    let won = json!({"id": "D-1", "outcome": "won", "closed_on": "2026-06-30"});
    let cases = [
        (json!({"deals": [won], "bins": 0}), 400, "invalid_input", Some("bins")),
        (json!({"deals": [won], "bins": 101}), 400, "invalid_input", Some("bins")),
        (json!({"deals": [won], "horizon_days": 7, "as_of": "2026-06-01"}), 400, "invalid_input", Some("as_of")),
        (json!({"deals": [won], "horizon_days": -1}), 400, "invalid_input", Some("horizon_days")),
        (json!({"deals": [won], "horizon": 7}), 400, "invalid_input", Some("horizon")),
        (
            json!({"deals": [{"id": "D-1", "outcome": "pending", "closed_on": "2026-06-30"}]}),
            400,
            "invalid_input",
            Some("deals[0].outcome"),
        ),
        (json!({"deals": [{"id": "D-1", "outcome": "won"}]}), 400, "invalid_input", Some(r#"deals["D-1"].closed_on"#)),
        (
            json!({"deals": [{"id": "D-1", "outcome": "lost", "closed_on": "2026-06-31"}]}),
            400,
            "invalid_date",
            Some("deals[0].closed_on"),
        ),
        (json!({"deals": [won], "as_of": "2026-13-01"}), 400, "invalid_date", Some("as_of")),
        (
            json!({"deals": [won], "activities": [{"id": "a", "deal": "D-1", "date": "2026-06-01", "actions": ["sent_flowers"]}]}),
            422,
            "unknown_action",
            None,
        ),
        (json!({"deals": [won, won]}), 422, "duplicate_deal", None),
        (json!({"deals": [won, {"id": "b"}, {"id": "c"}]}), 422, "limit_exceeded", Some("deals")),
        (
            json!({"activities": [{"id": "a", "deal": "D-1", "date": "2026-06-01", "note": "長".repeat(30)}]}),
            422,
            "limit_exceeded",
            Some("activities[0].note"),
        ),
    ];
    for (body, status, code, path) in cases {
        let error = post(&server, "/v1/backtest", body.to_string()).await.error(status, code);
        assert_eq!(error["path"].as_str(), path, "{body}: {error}");
    }
    healthy(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let server = Server::start(config()).await;
    get(&server, "/v2/score").await.error(404, "not_found");
    get(&server, "/").await.error(404, "not_found");
    let client = common::client();
    let reply = common::send(client.get(server.url("/v1/score"))).await;
    reply.error(405, "method_not_allowed");
    assert_eq!(reply.headers["allow"], "POST");
    let reply = common::send(client.delete(server.url("/v1/model"))).await;
    reply.error(405, "method_not_allowed");
    assert_eq!(reply.headers["allow"], "GET,HEAD");
    server.stop().await;
}

#[tokio::test]
async fn a_slow_body_is_408_and_slow_headers_are_cut_off() {
    let limits = Limits { request_timeout: Duration::from_millis(400), ..Limits::default() };
    let options = ServeOptions { header_read_timeout: Duration::from_millis(400), ..ServeOptions::default() };
    let server = Server::start_with(config().with_limits(limits), options).await;

    let head = b"POST /v1/score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"as_of\"";
    let answer = raw(server.addr, head, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"request_timeout""#), "{answer}");

    // Headers that never end: the connection is closed, nothing is answered but a 408 at most.
    let started = std::time::Instant::now();
    let answer = raw(server.addr, b"POST /v1/score HTTP/1.1\r\nhost: x\r\n", Duration::from_secs(5)).await;
    assert!(started.elapsed() < Duration::from_secs(3), "the connection stayed open");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");
    healthy(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn no_worker_in_time_is_503_timeout() {
    // With no job slots (a draining server), every computation waits out its deadline.
    let limits = Limits { request_timeout: Duration::from_millis(300), max_concurrent_jobs: 0, ..Limits::default() };
    let server = Server::start(config().with_limits(limits)).await;
    let reply = post(&server, "/v1/score", common::SCORE).await;
    reply.error(503, "timeout");
    assert_eq!(reply.headers["retry-after"], "1");
    healthy(&server).await;
    server.stop().await;
}

#[tokio::test]
async fn garbage_on_the_wire_does_not_hurt_the_server() {
    let server = Server::start(config()).await;
    let wire: [&[u8]; 6] = [
        b"\x00\xff\xfe garbage\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nhost: x\r\ncontent-length: -5\r\n\r\n",
        b"POST /v1/score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
        b"POST /v1/score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nfffffffffffffffffff\r\n",
        b"GET /healthz HTTP/9.9\r\n\r\n",
        b"POST /v1/score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n{}",
    ];
    for bytes in wire {
        let answer = raw(server.addr, bytes, Duration::from_millis(500)).await;
        assert!(!answer.starts_with("HTTP/1.1 5"), "{answer}");
    }
    let huge_header = format!("GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n", "a".repeat(1024 * 1024));
    let answer = raw(server.addr, huge_header.as_bytes(), Duration::from_secs(2)).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 4"), "{answer}");
    healthy(&server).await;
    server.stop().await;
}
