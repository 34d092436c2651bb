//! Errors as HTTP responses: `{code, message, path?}` with a status that fits the code.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dealscore::api::ErrorBody;

/// An error response. Core errors keep their code, message and path unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

/// The code of an error response, kept in the response's extensions for the access log.
#[derive(Debug, Clone)]
pub(crate) struct ErrorCode(pub String);

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, body: ErrorBody { code: code.to_owned(), message: message.into(), path: None } }
    }

    #[must_use]
    pub fn at(mut self, path: impl Into<String>) -> ApiError {
        self.body.path = Some(path.into());
        self
    }

    /// A core error, with the status [`status_for_code`] gives its code. A computation stopped
    /// at the request's deadline is the server's 503 `timeout`.
    pub fn core(e: &dealscore::Error) -> ApiError {
        if matches!(e, dealscore::Error::Stopped) {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the computation did not finish within the request timeout and was stopped; send fewer rows or deals, or raise the server's timeout",
            );
        }
        let body = ErrorBody::from(e);
        ApiError { status: status_for_code(&body.code), body }
    }

    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "unauthorized")
    }

    pub(crate) fn internal() -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
    }

    /// A list or string over its limit (the body's size is [`ApiError::body_too_large`]).
    pub(crate) fn limit(path: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "limit_exceeded", message).at(path)
    }

    pub(crate) fn body_too_large(max: usize) -> ApiError {
        let message = format!("the request body exceeds the limit of {max} bytes");
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", message).at("$")
    }

    pub(crate) fn busy() -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the server could not answer in time; retry later")
    }
}

/// The HTTP status of an error code: 400 for a body that is not a well-formed request (not UTF-8,
/// not JSON, wrong shape or type, impossible date), 413 for a body over the size limit, 422 for a
/// well-formed request that is refused (unknown ids, duplicates, an invalid inline model, a list
/// or string over its limit, …), and the protocol codes the server adds itself.
pub fn status_for_code(code: &str) -> StatusCode {
    match code {
        "invalid_input" | "invalid_date" => StatusCode::BAD_REQUEST,
        "unauthorized" => StatusCode::UNAUTHORIZED,
        "not_found" => StatusCode::NOT_FOUND,
        "method_not_allowed" => StatusCode::METHOD_NOT_ALLOWED,
        "request_timeout" => StatusCode::REQUEST_TIMEOUT,
        "body_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "unsupported_media_type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "internal" => StatusCode::INTERNAL_SERVER_ERROR,
        "timeout" => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let bytes = serde_json::to_vec(&self.body)
            .unwrap_or_else(|_| br#"{"code":"internal","message":"internal error"}"#.to_vec());
        let mut response = (self.status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], bytes)
            .into_response();
        let headers = response.headers_mut();
        match self.status {
            StatusCode::UNAUTHORIZED => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response.extensions_mut().insert(ErrorCode(self.body.code));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_codes_map_to_input_statuses() {
        let e = dealscore::Error::UnknownAction { activity: "a".into(), action: "x".into() };
        assert_eq!(ApiError::core(&e).status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = dealscore::Error::InvalidInput { path: "$".into(), message: "eof".into() };
        let api = ApiError::core(&e);
        assert_eq!((api.status, api.body.path.as_deref()), (StatusCode::BAD_REQUEST, Some("$")));
        let e = dealscore::Error::LimitExceeded { what: "entries".into(), limit: 3 };
        assert_eq!(ApiError::core(&e).status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status_for_code("body_too_large"), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
