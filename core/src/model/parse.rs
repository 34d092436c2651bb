//! Text → typed input, with errors that carry the JSON path (or TOML location) of the culprit
//! and the `invalid_date` code when a date is what failed.

use serde::de::DeserializeOwned;

use crate::date::DATE_ERROR_PREFIX;
use crate::error::{Error, Result};

/// Parses JSON into `T`; errors name the JSON path (`activities[3].date`). With the `speed` feature
/// (default) valid input takes the plain serde_json path and only a failure is parsed
/// again with path tracking to name the culprit; without it (the wasm build, where each path is
/// code size) every parse tracks paths. Results and errors are the same either way.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    #[cfg(feature = "speed")]
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| classify(&e.path().to_string(), e.inner()))?;
    // Trailing characters after the document are an error, not ignored.
    de.end().map_err(|e| classify("$", &e))?;
    Ok(value)
}

/// One activity from JSON text (a line of JSON Lines, as the CLI reads files): [`from_json`]'s
/// result and, on bad input, its error. With the `speed` feature valid text is read by sonic-rs
/// (SIMD string scanning; the text of an activity is mostly strings) and anything it refuses by
/// [`from_json`], which names the culprit. The two differ in two known places, both kept from
/// this path: sonic-rs reads `-0` as `+0.0` (an activity holds no floating-point field), and it
/// skips a `\u` escape in an ignored field without checking its four hex digits (checked here).
/// The fuzz target `activity` checks that both readers agree on every input.
pub fn activity_from_json(text: &str) -> Result<crate::Activity> {
    #[cfg(feature = "speed")]
    if unicode_escapes_complete(text.as_bytes())
        && let Ok(activity) = sonic_rs::from_str(text)
    {
        return Ok(activity);
    }
    from_json(text)
}

/// Whether every `\u` escape in `text` is followed by four hex digits. Escapes are read left to
/// right, each taking the character after its backslash (so `\\u` is an escaped backslash
/// and a `u`); valid JSON has backslashes only in strings, and a line without any costs one
/// SIMD scan.
#[cfg(feature = "speed")]
fn unicode_escapes_complete(text: &[u8]) -> bool {
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'\\', &text[at..]) {
        let escaped = at + i + 1;
        match text.get(escaped) {
            Some(b'u') => {
                let digits = text.get(escaped + 1..escaped + 5);
                if !digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)) {
                    return false;
                }
                at = escaped + 5;
            }
            Some(_) => at = escaped + 1,
            None => return false,
        }
    }
    true
}

/// Converts an already-parsed JSON value into `T` (used by the bindings and the vectors).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| classify(&e.path().to_string(), e.inner()))
}

/// Parses TOML into `T`; errors name the TOML path.
#[cfg(feature = "toml")]
pub fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T> {
    let de = toml::Deserializer::parse(text)
        .map_err(|e| Error::InvalidInput { path: "toml".into(), message: e.message().to_owned() })?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let message = e.inner().message().to_owned();
        let path = e.path().to_string();
        if message.starts_with(DATE_ERROR_PREFIX) {
            Error::InvalidDate { path, value: quoted(&message) }
        } else {
            Error::InvalidInput { path, message }
        }
    })
}

/// Implements `Deserialize` for input types that must be JSON (or TOML) objects, and forwards
/// `Serialize` to the derived code.
///
/// serde's derived `Deserialize` for a struct also accepts a sequence of its fields in order, so
/// `["A1", "D1", "2026-10-01", [], []]` would read as an activity. Each type listed here derives
/// with `#[serde(remote = "Self")]`, which makes the derived impls inherent functions, and is
/// read from a map only: anything else is `invalid_input` naming the path, in every front end.
/// (The derived sequence code is then never instantiated, which also saves wasm size.)
macro_rules! objects_only {
    ($($ty:ident => $what:literal),* $(,)?) => {$(
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct Object;
                impl<'de> ::serde::de::Visitor<'de> for Object {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> ::std::result::Result<$ty, A::Error> {
                        $ty::deserialize(::serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                d.deserialize_map(Object)
            }
        }
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $ty::serialize(self, s)
            }
        }
    )*};
}
pub(crate) use objects_only;

fn classify(path: &str, inner: &serde_json::Error) -> Error {
    let message = inner.to_string();
    let path = if path.is_empty() || path == "." || path == "?" { "$".to_owned() } else { path.to_owned() };
    if message.starts_with(DATE_ERROR_PREFIX) {
        Error::InvalidDate { path, value: quoted(&message) }
    } else {
        Error::InvalidInput { path, message }
    }
}

/// The offending value out of a date error message (`invalid date "2026-02-30": …`).
fn quoted(message: &str) -> String {
    let start = message.find('"').map_or(0, |i| i + 1);
    let end = message[start..].find('"').map_or(message.len(), |i| start + i);
    message[start..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Activity;

    #[test]
    fn bad_date_is_invalid_date_with_path() {
        let err = from_json::<Vec<Activity>>(r#"[{"id":"a","deal":"d","date":"2026-02-30"}]"#).unwrap_err();
        assert_eq!(err.code(), "invalid_date");
        assert_eq!(err.path(), Some("[0].date"));
        assert!(err.to_string().contains("2026-02-30"), "{err}");
    }

    #[test]
    fn trailing_characters_are_rejected() {
        let err = from_json::<Activity>(r#"{"id":"a","deal":"d","date":"2026-02-03"} x"#).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }

    /// serde's derived structs also read a sequence of their fields; input types refuse it.
    #[test]
    fn records_given_as_arrays_are_invalid_input_with_path() {
        let err = from_json::<Activity>(r#"["A1","D1","2026-10-01",[],[]]"#).unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_input", Some("$")));
        assert!(err.to_string().contains("expected an activity (a JSON object)"), "{err}");
        let text = r#"[{"id":"a","deal":"d","date":"2026-02-03","contacts":[{"person":"x"},["y","部長"]]}]"#;
        let err = from_json::<Vec<Activity>>(text).unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_input", Some("[0].contacts[1]")));
        let err = from_value::<Vec<crate::Deal>>(serde_json::json!([{"id": "D1"}, ["D2"]])).unwrap_err();
        assert_eq!((err.code(), err.path()), ("invalid_input", Some("[1]")));
        for not_an_object in ["1", "\"A1\"", "null", "true"] {
            assert_eq!(from_json::<Activity>(not_an_object).unwrap_err().code(), "invalid_input", "{not_an_object}");
        }
    }

    #[test]
    fn wrong_type_is_invalid_input_with_path() {
        let err =
            from_json::<Vec<Activity>>(r#"[{"id":"a","deal":"d","date":"2026-02-03","attendees":-1}]"#).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(err.path(), Some("[0].attendees"));
    }

    /// The activity reader (sonic-rs first with `speed`) accepts, refuses and reads exactly what
    /// `from_json` does, on the inputs where JSON parsers are known to part ways.
    #[test]
    fn activity_reader_agrees_with_from_json() {
        let line = |rest: &str| format!(r#"{{"id":"a","deal":"d","date":"2026-10-01"{rest}}}"#);
        let mut texts: Vec<String> = [
            "",
            r#","note":"\ud83d\ude00 \u00e9\/\"\\\b\f\n\r\t""#,
            r#","note":"\ud800""#,
            r#","note":"\udc00x""#,
            r#","note":"\ud800\u0041""#,
            r#","x":"\ud800""#,
            "\u{1},\"x\":1",
            ",\"note\":\"\u{1f}\"",
            ",\"note\":\"\u{7f}\u{feff}\"",
            r#","attendees":-0"#,
            r#","attendees":0"#,
            r#","attendees":1.0"#,
            r#","attendees":1e2"#,
            r#","attendees":4294967295"#,
            r#","attendees":4294967296"#,
            r#","attendees":null"#,
            r#","x":-0.0,"y":1e400,"z":-1e-400"#,
            r#","x":[1,2,,]"#,
            r#","x":{"a":1,}"#,
            r#","x":01"#,
            r#","x":1."#,
            r#","x":.5"#,
            r#","x":tru"#,
            r#","x":"\q""#,
            r#","x":"\u12""#,
            r#","x":"d\ue bd""#,
            r#","x":["\u","a"]"#,
            r#","x":"\u12\"","note":"y""#,
            r#","x":"\\u12","note":"\\\u0041""#,
            r#","x":{"\uzzzz":1}"#,
            r#","x":"\uD83D\uDE00\u00E9""#,
            r#","x":NaN"#,
            r#","i\u0064":"b""#,
            r#","id":"b""#,
            r#","actions":["a","a"],"contacts":[{"person":"佐藤","title":"部長","x":[{}]}]"#,
            r#","contacts":[{"person":1}]"#,
            r#","contacts":{}"#,
            r#","actions":null"#,
            r#","reporter":"","note":"""#,
        ]
        .iter()
        .map(|rest| line(rest))
        .collect();
        let nested = format!(r#","x":{}{}"#, "[".repeat(300), "]".repeat(300));
        texts.push(line(&nested));
        texts.extend(
            [
                r#"{"id":"a","deal":"d","date":"2026-10-01"} x"#,
                "{\"id\":\"a\",\"deal\":\"d\",\"date\":\"2026-10-01\"}\u{a0}",
                " \t{\"id\":\"a\",\"deal\":\"d\",\"date\":\"2026-10-01\"}\r\n ",
                "\u{feff}{\"id\":\"a\",\"deal\":\"d\",\"date\":\"2026-10-01\"}",
                r#"{"id":"a","deal":"d","date":"2026-02-30"}"#,
                r#"{"id":"a","deal":"d"}"#,
                r#"["a","d","2026-10-01"]"#,
                "",
                "null",
            ]
            .map(str::to_owned),
        );
        for text in &texts {
            let plain = from_json::<Activity>(text).map_err(|e| e.to_string());
            assert_eq!(activity_from_json(text).map_err(|e| e.to_string()), plain, "{text}");
        }
        // Not a comparison of the fallback with itself: the fast reader reads valid lines.
        #[cfg(feature = "speed")]
        assert!(sonic_rs::from_str::<Activity>(&texts[1]).is_ok());
        let read = activity_from_json(&texts[1]).unwrap();
        assert_eq!(read.note.as_deref(), Some("😀 é/\"\\\u{8}\u{c}\n\r\t"));
    }
}
