//! A real server on 127.0.0.1 with a random port, and a small client.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use dealscore_server::{Config, ServeOptions};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct Server {
    pub addr: SocketAddr,
    pub base: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    pub async fn start(config: Config) -> Server {
        Server::start_with(config, ServeOptions::default()).await
    }

    pub async fn start_with(config: Config, options: ServeOptions) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let app = dealscore_server::router(config);
        let task = tokio::spawn(dealscore_server::serve(listener, app, options, async move {
            let _ = stopped.await;
        }));
        Server { addr, base: format!("http://{addr}"), stop: Some(stop), task: Some(task) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Signals shutdown without waiting.
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Signals shutdown and waits for the server to finish.
    pub async fn stop(mut self) {
        self.signal_stop();
        let task = self.task.take().unwrap();
        tokio::time::timeout(Duration::from_secs(10), task).await.expect("stops in time").unwrap().unwrap();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap()
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts an error reply with this status and code, and returns its body.
    pub fn error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.headers["content-type"], "application/json");
        let body = self.json();
        assert_eq!(body["code"], code, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert!(keys.iter().all(|k| ["code", "message", "path"].contains(&k.as_str())), "{body}");
        body
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Reply { status, headers, text }
}

pub async fn post(server: &Server, path: &str, body: impl Into<reqwest::Body>) -> Reply {
    send(client().post(server.url(path)).header("content-type", "application/json").body(body)).await
}

pub async fn get(server: &Server, path: &str) -> Reply {
    send(client().get(server.url(path))).await
}

/// Writes raw bytes on a fresh connection and reads until the server closes it or `wait` passes.
pub async fn raw(addr: SocketAddr, bytes: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(wait, stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// A small, valid score request.
pub const SCORE: &str = r#"{"as_of": "2026-11-27",
  "deals": [{"id": "D-1", "stage": "hearing", "members": [{"user": "sato", "role": "sales", "skills": ["hearing"]}],
             "maintainer": "sato",
             "quality_events": [{"indicator": "empathy", "checked": true, "by": "sato", "date": "2026-11-20"}]}],
  "activities": [
    {"id": "a1", "deal": "D-1", "date": "2026-11-02", "actions": ["meeting_accepted", "asked_question"],
     "contacts": [{"person": "田中", "title": "CEO"}, {"person": "鈴木", "title": "課長"}], "reporter": "sato"},
    {"id": "a2", "deal": "D-2", "date": "2026-10-01", "actions": ["called_us"], "contacts": [{"person": "Kim", "role": "staff"}]}]}"#;

/// `n` activities over `deals` deals, as a score request.
pub fn many(n: usize, deals: usize) -> String {
    let activities: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("a{i}"), "deal": format!("D-{}", i % deals),
                "date": format!("2026-{:02}-{:02}", 1 + (i / 28) % 11, 1 + i % 28),
                "actions": ["meeting_accepted", "asked_question"],
                "contacts": [{"person": format!("p{}", i % 7), "title": "部長", "department": "営業部"}],
                "reporter": "sato", "note": "定例訪問"
            })
        })
        .collect();
    serde_json::json!({"as_of": "2026-11-27", "activities": activities}).to_string()
}
