//! Core errors as real JS errors: `TypeError` for input of the wrong shape, `RangeError` for a
//! value out of range (a date that does not exist, a limit), `Error` otherwise; each with the
//! core's stable `code` and, when the core names one, the `path` of the culprit.

use std::panic::AssertUnwindSafe;

use napi::bindgen_prelude::{JsObjectValue, JsValue, Unknown};
use napi::{Env, JsError, JsRangeError, JsTypeError};

/// Code of a panic caught at the boundary: a bug, never an expected outcome.
pub(crate) const INTERNAL: &str = "internal";

/// The one conversion from core results to N-API results.
pub(crate) trait OrThrow<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for dealscore::Result<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| core_error(env, &e))
    }
}

pub(crate) fn core_error(env: &Env, e: &dealscore::Error) -> napi::Error {
    js_error(env, e.code(), &e.to_string(), e.path())
}

/// A JS error object with `code` (and `path`), wrapped so napi throws or rejects with it as is.
pub(crate) fn js_error(env: &Env, code: &str, message: &str, path: Option<&str>) -> napi::Error {
    let build = || -> napi::Result<napi::Error> {
        let base = napi::Error::new(code, message);
        let value: Unknown = match code {
            "invalid_input" => JsTypeError::from(base).into_unknown(*env),
            "invalid_date" | "limit_exceeded" => JsRangeError::from(base).into_unknown(*env),
            _ => JsError::from(base).into_unknown(*env),
        };
        if let Some(path) = path {
            value.coerce_to_object()?.set_named_property("path", path)?;
        }
        Ok(napi::Error::from(value))
    };
    // Building the object can only fail while the environment is shutting down.
    build().unwrap_or_else(|e| e)
}

/// Runs an export's body, turning a panic into an `internal` error so that none unwinds into Node.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(js_error(env, INTERNAL, &panic_message(&*p), None)))
}

/// Text of a caught panic payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    format!("internal error (please report it): {what}")
}
