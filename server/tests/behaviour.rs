//! Concurrency and shutdown: slow requests do not stall others, many clients at once all get
//! answers, and shutdown lets open requests finish.

mod common;

use std::time::{Duration, Instant};

use common::{SCORE, Server, get, many, post};
use dealscore::ModelSet;
use dealscore_server::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_request_does_not_stall_small_ones() {
    let server = Server::start(Config::new(ModelSet::embedded())).await;
    let big = many(60_000, 500);
    let url = server.url("/v1/score");
    let large = tokio::spawn(async move {
        let started = Instant::now();
        let reply = common::send(common::client().post(url).header("content-type", "application/json").body(big)).await;
        (reply.status, started.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    for _ in 0..5 {
        assert_eq!(post(&server, "/v1/score", SCORE).await.status, 200);
        assert_eq!(get(&server, "/healthz").await.status, 200);
    }
    let small = started.elapsed();
    let (status, large_took) = large.await.unwrap();
    assert_eq!(status, 200);
    assert!(small < large_took, "small requests took {small:?}, the large one {large_took:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_clients_at_once_all_get_answers() {
    let server = Server::start(Config::new(ModelSet::embedded())).await;
    let body = many(50, 5);
    let expected = post(&server, "/v1/score", body.clone()).await.text;
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let (url, body) = (server.url("/v1/score"), body.clone());
            tokio::spawn(async move {
                common::send(common::client().post(url).header("content-type", "application/json").body(body)).await
            })
        })
        .collect();
    for t in tasks {
        let reply = t.await.unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.text, expected);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_open_requests_then_refuses_new_ones() {
    let mut server = Server::start(Config::new(ModelSet::embedded())).await;
    let addr = server.addr;
    // A request whose body is half sent when the shutdown starts.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /v1/score HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        SCORE.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&SCORE.as_bytes()[..10]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.signal_stop();
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.write_all(&SCORE.as_bytes()[10..]).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""deal":"D-1""#));
    server.stop().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "still accepting after shutdown");
}

/// A scorecard table big enough that its fit outlasts a short request timeout even in an
/// optimised build: `rows` rows of `cols` small integers from a fixed generator, labels from a
/// planted rule.
fn heavy_scorecard(rows: usize, cols: usize) -> String {
    let mut state: u64 = 7;
    let mut next = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % 7
    };
    let mut table = Vec::with_capacity(rows);
    let mut labels = Vec::with_capacity(rows);
    for _ in 0..rows {
        let row: Vec<u64> = (0..cols).map(|_| next()).collect();
        labels.push(u8::from(row[0] + row[1] + next() > 8));
        table.push(row);
    }
    let columns: Vec<String> = (0..cols).map(|j| format!("x{j}")).collect();
    serde_json::json!({"table": {"columns": columns, "rows": table}, "labels": labels, "options": {"k": 20}})
        .to_string()
}

/// A fit past the request timeout answers 503 `timeout` and stops working: with one computing
/// slot, the next request gets the slot at once instead of waiting for the fit to end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fit_past_the_timeout_answers_503_and_frees_its_slot() {
    let mut config = Config::new(ModelSet::embedded());
    config.limits.request_timeout = Duration::from_secs(1);
    config.limits.max_concurrent_jobs = 1;
    let server = Server::start(config).await;
    let started = Instant::now();
    let reply = post(&server, "/v1/scorecard", heavy_scorecard(10_000, 40)).await;
    reply.error(503, "timeout");
    // Unstopped, this fit runs for minutes in a debug build.
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    let next = post(&server, "/v1/score", SCORE).await;
    assert_eq!(next.status, 200, "{}", next.text);
    server.stop().await;
}
