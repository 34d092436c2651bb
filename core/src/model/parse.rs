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

    #[test]
    fn wrong_type_is_invalid_input_with_path() {
        let err =
            from_json::<Vec<Activity>>(r#"[{"id":"a","deal":"d","date":"2026-02-03","attendees":-1}]"#).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(err.path(), Some("[0].attendees"));
    }
}
