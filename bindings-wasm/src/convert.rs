//! Values crossing the boundary. Requests go through `JSON.stringify` and the core's own JSON
//! parser, so an object call gets exactly the validation and error paths of the JSON-text call
//! (`activities[3].date`); results are the core's `serde_json` text, handed to `JSON.parse`. An
//! object result therefore always equals `JSON.parse` of the matching `*Json` function's text.

use std::sync::OnceLock;

use dealscore::{Date, Error, ModelSet, api};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A core error on its way to JS, where it is thrown as an `Error` with the core's `code`.
#[derive(Debug)]
pub struct Failure(Error);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(e)
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> JsValue {
        let body = api::ErrorBody::from(&f.0);
        // TypeError for a value of the wrong shape, RangeError for a value out of range (the Node
        // package's mapping).
        let err: js_sys::Error = match body.code.as_str() {
            "invalid_input" => js_sys::TypeError::new(&body.message).into(),
            "invalid_date" | "limit_exceeded" => js_sys::RangeError::new(&body.message).into(),
            _ => js_sys::Error::new(&body.message),
        };
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &"code".into(), &body.code.into());
        if let Some(path) = body.path {
            let _ = js_sys::Reflect::set(&err, &"path".into(), &path.into());
        }
        err.into()
    }
}

/// The `Error` (code `unsupported`) thrown by an API function this package leaves out.
pub fn unsupported(message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let _ = js_sys::Reflect::set(&err, &"code".into(), &"unsupported".into());
    err.into()
}

pub type Result<T> = std::result::Result<T, Failure>;

pub fn invalid(path: &str, message: &str) -> Failure {
    Failure(Error::InvalidInput { path: path.to_owned(), message: message.to_owned() })
}

/// The model argument, or the embedded default (parsed once).
pub fn models(model: Option<&ModelSet>) -> &ModelSet {
    static EMBEDDED: OnceLock<ModelSet> = OnceLock::new();
    model.unwrap_or_else(|| EMBEDDED.get_or_init(ModelSet::embedded))
}

/// The JSON text of a plain JS value (`what` names it in errors).
pub fn stringify(value: &JsValue, what: &str) -> Result<String> {
    if value.is_undefined() {
        return Err(invalid(what, "missing argument"));
    }
    js_sys::JSON::stringify(value)
        .map_err(|_| invalid(what, "cannot be converted to JSON (a BigInt or a cycle?)"))?
        .as_string()
        .ok_or_else(|| invalid(what, "cannot be converted to JSON"))
}

/// Request text given as a string or as UTF-8 bytes (`Uint8Array`).
pub fn request_text(value: &JsValue) -> Result<String> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => String::from_utf8(bytes.to_vec()).map_err(|_| invalid("$", "request is not valid UTF-8")),
        None => Err(invalid("$", "expected the request as a string or a Uint8Array of JSON text")),
    }
}

/// Puts the argument name in front of a parse error's path (`activity.contacts[0].role`).
fn in_arg(e: Error, what: &str) -> Error {
    let join = |path: String| match path.as_str() {
        "$" | "" => what.to_owned(),
        p if p.starts_with('[') => format!("{what}{p}"),
        p => format!("{what}.{p}"),
    };
    match e {
        Error::InvalidInput { path, message } => Error::InvalidInput { path: join(path), message },
        Error::InvalidDate { path, value } => Error::InvalidDate { path: join(path), value },
        other => other,
    }
}

/// A plain-object argument, parsed by the core.
pub fn arg<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T> {
    Ok(dealscore::from_json(&stringify(value, what)?).map_err(|e| in_arg(e, what))?)
}

/// An optional plain-object argument: `undefined` and `null` give the type's default.
pub fn opt_arg<T: DeserializeOwned + Default>(value: &JsValue, what: &str) -> Result<T> {
    if value.is_undefined() || value.is_null() { Ok(T::default()) } else { arg(value, what) }
}

/// A date argument written `YYYY-MM-DD`.
pub fn date(value: &JsValue, what: &str) -> Result<Date> {
    match value.as_string() {
        Some(s) => s.parse().map_err(|_| Failure(Error::InvalidDate { path: what.to_owned(), value: s })),
        None => Err(invalid(what, "expected a date string written YYYY-MM-DD")),
    }
}

/// The core's JSON text of a result.
pub fn text<T: Serialize>(out: &T) -> Result<String> {
    serde_json::to_string(out).map_err(|e| invalid("$", &e.to_string()))
}

/// A result as a plain JS value: `JSON.parse` of the core's JSON text.
pub fn object<T: Serialize>(out: &T) -> Result<JsValue> {
    parse(&text(out)?)
}

/// `JSON.parse` of the core's JSON text.
pub fn parse(text: &str) -> Result<JsValue> {
    js_sys::JSON::parse(text).map_err(|_| invalid("$", "output is not valid JSON"))
}

/// A JSON-text call: request text in, the core's JSON text out.
pub fn json_call<Req, Out>(request: &JsValue, f: impl FnOnce(&Req) -> dealscore::Result<Out>) -> Result<String>
where
    Req: DeserializeOwned,
    Out: Serialize,
{
    Ok(api::json_call(&request_text(request)?, f)?)
}

/// An object call: a plain request object in, a plain result object out.
pub fn object_call<Req, Out>(request: &JsValue, f: impl FnOnce(&Req) -> dealscore::Result<Out>) -> Result<JsValue>
where
    Req: DeserializeOwned,
    Out: Serialize,
{
    parse(&api::json_call(&stringify(request, "request")?, f)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_names_lead_error_paths() {
        let err =
            dealscore::from_json::<dealscore::Activity>(r#"{"id":"a","deal":"d","date":"2026-02-30"}"#).unwrap_err();
        assert_eq!(in_arg(err, "activity").path(), Some("activity.date"));
        let err = dealscore::from_json::<Vec<dealscore::Deal>>("[1]").unwrap_err();
        assert_eq!(in_arg(err, "deals").path(), Some("deals[0]"));
        let err = dealscore::from_json::<dealscore::Deal>("[]").unwrap_err();
        assert_eq!(in_arg(err, "deal").path(), Some("deal"));
        let other = Error::UnknownDeal { deal: "x".into() };
        assert_eq!(in_arg(other.clone(), "deal"), other);
    }
}
