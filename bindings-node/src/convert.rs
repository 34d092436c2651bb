//! JS values ↔ core types. Plain objects cross the boundary as JSON text: the engine's own
//! `JSON.stringify`/`JSON.parse` plus serde are faster than walking properties through N-API
//! (see benches/node/README.md), every front end then shares the core's JSON parsing, and errors
//! carry the core's JSON paths (`activities[3].date`).

use napi::bindgen_prelude::{FromNapiValue, Function, JsObjectValue, JsValue, Uint8Array, Unknown, ValueType};
use napi::{Env, JSON};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{INTERNAL, OrThrow, guard, js_error};

fn json(env: &Env) -> napi::Result<JSON<'_>> {
    env.get_global()?.get_named_property_unchecked("JSON")
}

/// `value` as JSON text, through `JSON.stringify`.
pub(crate) fn stringify(env: &Env, value: Unknown) -> napi::Result<String> {
    let stringify: Function<Unknown, Option<String>> = json(env)?.get_named_property("stringify")?;
    match stringify.call(value) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(js_error(env, "invalid_input", "expected a plain object or array, got undefined", Some("$"))),
        // A BigInt or a cycle: JSON.stringify threw.
        Err(e) => {
            Err(js_error(env, "invalid_input", &format!("input is not JSON-serialisable: {}", e.reason), Some("$")))
        }
    }
}

/// JSON text as a plain JS value, through `JSON.parse`.
pub(crate) fn parse<'e>(env: &'e Env, text: &str) -> napi::Result<Unknown<'e>> {
    let parse: Function<&str, Unknown> = json(env)?.get_named_property("parse")?;
    parse.call(text)
}

/// A plain JS value as a core input type.
pub(crate) fn from_js<T: DeserializeOwned>(env: &Env, value: Unknown) -> napi::Result<T> {
    read(stringify(env, value)?.as_bytes()).or_throw(env)
}

/// A core output as JSON text.
pub(crate) fn to_json_text<T: Serialize>(env: &Env, value: &T) -> napi::Result<String> {
    serde_json::to_string(value).map_err(|e| js_error(env, INTERNAL, &e.to_string(), None))
}

/// A core output as a plain JS value (its `JSON.stringify` equals the core's JSON).
pub(crate) fn to_js<'e, T: Serialize>(env: &'e Env, value: &T) -> napi::Result<Unknown<'e>> {
    parse(env, &to_json_text(env, value)?)
}

/// The plain-object path of an operation: request object → JSON text → `json_call` → result object.
pub(crate) fn call<'e, Req, Out>(
    env: &'e Env,
    request: Unknown,
    f: impl FnOnce(&Req) -> dealscore::Result<Out>,
) -> napi::Result<Unknown<'e>>
where
    Req: DeserializeOwned,
    Out: Serialize,
{
    guard(env, || {
        let out = json_call(stringify(env, request)?.as_bytes(), f).or_throw(env)?;
        parse(env, &out)
    })
}

/// JSON text given as a string or as UTF-8 bytes (a `Buffer` or `Uint8Array`, e.g. straight from
/// `fs.readFileSync`, which skips the string conversion).
pub(crate) enum Text {
    Str(String),
    Bytes(Uint8Array),
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Text::Str(s) => write!(f, "Text::Str({} bytes)", s.len()),
            Text::Bytes(b) => write!(f, "Text::Bytes({} bytes)", b.len()),
        }
    }
}

impl Text {
    pub(crate) fn from_js(env: &Env, value: Unknown) -> napi::Result<Text> {
        match value.get_type()? {
            ValueType::String => Ok(Text::Str(String::from_unknown(value)?)),
            ValueType::Object if value.is_typedarray()? => {
                Uint8Array::from_unknown(value).map(Text::Bytes).map_err(|_| not_text(env))
            }
            _ => Err(not_text(env)),
        }
    }

    /// The text's bytes; needs no JS, so it also runs on the libuv pool.
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b,
        }
    }

    /// The text, checked to be UTF-8.
    pub(crate) fn as_str(&self) -> dealscore::Result<&str> {
        utf8(self.bytes())
    }
}

fn not_text(env: &Env) -> napi::Error {
    js_error(env, "invalid_input", "expected JSON text: a string, Buffer or Uint8Array", Some("$"))
}

/// JSON text as `T`, parsed with plain serde_json first: the core's parser (`dealscore::from_json`)
/// tracks the JSON path of every value (a `String` per key, a fifth of a large batch's time),
/// which only matters for naming the culprit when the input is wrong, so it runs only then, on the
/// same text. Same types, so the same value. `from_slice` checks UTF-8 as it parses rather than
/// in a pass of its own. (To move into the core: see the binding's closing note.)
pub(crate) fn read<T: DeserializeOwned>(text: &[u8]) -> dealscore::Result<T> {
    serde_json::from_slice(text).or_else(|_| dealscore::from_json(utf8(text)?))
}

/// `dealscore::api::json_call` on bytes, with [`read`]: parse, run `f`, serialise.
pub(crate) fn json_call<Req, Out>(
    text: &[u8],
    f: impl FnOnce(&Req) -> dealscore::Result<Out>,
) -> dealscore::Result<String>
where
    Req: DeserializeOwned,
    Out: Serialize,
{
    let out = f(&read(text)?)?;
    serde_json::to_string(&out).map_err(|e| dealscore::Error::InvalidInput { path: "$".into(), message: e.to_string() })
}

fn utf8(bytes: &[u8]) -> dealscore::Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| dealscore::Error::InvalidInput {
        path: "$".into(),
        message: format!("the JSON text is not UTF-8: {e}"),
    })
}

/// The JSON-text path of an operation: JSON text in, JSON text out, no JS objects in between.
pub(crate) fn call_json<Req, Out>(
    env: &Env,
    request: Unknown,
    f: impl FnOnce(&Req) -> dealscore::Result<Out>,
) -> napi::Result<String>
where
    Req: DeserializeOwned,
    Out: Serialize,
{
    guard(env, || {
        let text = Text::from_js(env, request)?;
        json_call(text.bytes(), f).or_throw(env)
    })
}
