//! Optional bearer token. Only its SHA-256 digest is kept, and digests are compared in constant
//! time, so neither the token's bytes nor its length leak through timing. A 401 says nothing about
//! what was wrong.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// The digest of the expected token.
#[derive(Clone)]
pub(crate) struct Token([u8; 32]);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    pub(crate) fn new(token: &str) -> Token {
        Token(Sha256::digest(token.as_bytes()).into())
    }

    /// True when `authorization` is `Bearer <the token>` (the scheme is case-insensitive).
    pub(crate) fn accepts(&self, authorization: Option<&[u8]>) -> bool {
        let Some(value) = authorization else { return false };
        let Some(space) = value.iter().position(|b| *b == b' ') else { return false };
        let (scheme, rest) = value.split_at(space);
        if !scheme.eq_ignore_ascii_case(b"bearer") {
            return false;
        }
        let given: [u8; 32] = Sha256::digest(rest.trim_ascii()).into();
        given.ct_eq(&self.0).into()
    }
}

/// Middleware: 401 unless the request carries the token.
pub(crate) async fn require(State(token): State<Arc<Token>>, request: Request, next: Next) -> Response {
    let given = request.headers().get(header::AUTHORIZATION).map(axum::http::HeaderValue::as_bytes);
    if token.accepts(given) { next.run(request).await } else { ApiError::unauthorized().into_response() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_bearer_token_passes() {
        let t = Token::new("s3cret");
        assert!(t.accepts(Some(b"Bearer s3cret")));
        assert!(t.accepts(Some(b"bearer s3cret")));
        for bad in [&b"Bearer s3cre"[..], b"Bearer s3cret2", b"Basic s3cret", b"s3cret", b"Bearer ", b""] {
            assert!(!t.accepts(Some(bad)), "{}", String::from_utf8_lossy(bad));
        }
        assert!(!t.accepts(None));
    }
}
