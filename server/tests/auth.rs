//! The bearer token: on, off, and what a 401 says (nothing).

mod common;

use common::{SCORE, Server, send};
use dealscore::ModelSet;
use dealscore_server::Config;

const TOKEN: &str = "correct horse battery staple";

const V1: [(&str, &str); 11] = [
    ("POST", "/v1/score"),
    ("POST", "/v1/explain"),
    ("POST", "/v1/stale"),
    ("POST", "/v1/quality"),
    ("POST", "/v1/next-steps"),
    ("POST", "/v1/reports"),
    ("POST", "/v1/qa/search"),
    ("POST", "/v1/backtest"),
    ("POST", "/v1/fit"),
    ("POST", "/v1/scorecard"),
    ("GET", "/v1/model"),
];

fn request(server: &Server, method: &str, path: &str, authorization: Option<&str>) -> reqwest::RequestBuilder {
    let mut r = common::client()
        .request(method.parse().unwrap(), server.url(path))
        .header("content-type", "application/json")
        .body(SCORE);
    if let Some(a) = authorization {
        r = r.header("authorization", a);
    }
    r
}

#[tokio::test]
async fn with_a_token_every_v1_route_needs_it() {
    let server = Server::start(Config::new(ModelSet::embedded()).with_token(Some(TOKEN.into()))).await;
    let wrong = [
        None,
        Some("Bearer nope"),
        Some(&*format!("Basic {TOKEN}")),
        Some(&*format!("Bearer {TOKEN}x")),
        Some("Bearer"),
    ];
    let mut bodies = Vec::new();
    for (method, path) in V1 {
        for authorization in wrong {
            let reply = send(request(&server, method, path, authorization)).await;
            let body = reply.error(401, "unauthorized");
            assert_eq!(reply.headers["www-authenticate"], "Bearer");
            bodies.push(body);
        }
        // The right token passes (the body decides the rest).
        let reply = send(request(&server, method, path, Some(&format!("Bearer {TOKEN}")))).await;
        assert_ne!(reply.status, 401, "{method} {path}");
        let reply = send(request(&server, method, path, Some(&format!("bearer {TOKEN}")))).await;
        assert_ne!(reply.status, 401, "{method} {path}");
    }
    // Every 401 is the same: it tells nothing about what was wrong.
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    assert_eq!(bodies[0], serde_json::json!({"code": "unauthorized", "message": "unauthorized"}));
    let ok = send(request(&server, "POST", "/v1/score", Some(&format!("Bearer {TOKEN}")))).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    server.stop().await;
}

#[tokio::test]
async fn health_and_the_document_stay_open() {
    let server = Server::start(Config::new(ModelSet::embedded()).with_token(Some(TOKEN.into()))).await;
    assert_eq!(common::get(&server, "/healthz").await.status, 200);
    let doc = common::get(&server, "/openapi.json").await;
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc["paths"]["/v1/score"]["post"]["security"].is_array());
    assert!(doc["paths"]["/v1/score"]["post"]["responses"]["401"].is_object());
    assert!(doc["paths"]["/healthz"]["get"]["security"].is_null());
    server.stop().await;
}

#[tokio::test]
async fn without_a_token_nothing_is_asked() {
    for token in [None, Some(String::new())] {
        let server = Server::start(Config::new(ModelSet::embedded()).with_token(token)).await;
        for (method, path) in V1 {
            for authorization in [None, Some("Bearer anything")] {
                let reply = send(request(&server, method, path, authorization)).await;
                assert_ne!(reply.status, 401, "{method} {path}");
            }
        }
        let doc = common::get(&server, "/openapi.json").await.json();
        assert!(doc["components"]["securitySchemes"].is_null());
        assert!(doc["paths"]["/v1/score"]["post"]["responses"]["401"].is_null());
        server.stop().await;
    }
}
