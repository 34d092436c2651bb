//! Python objects ⇄ core types, as JSON text: Python's C `json` module writes and reads it and
//! the core parses and prints it (several times faster than walking the objects from Rust), and
//! the core's own parser gives the error codes (`invalid_date` …) and paths
//! (`activities[3].date`) every other front end reports. Output is the core's serde shape as plain
//! dicts and lists, key order and `1.0` vs `1` included.

use std::sync::OnceLock;

use dealscore::{Date, ModelSet};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Result;

/// Converts a JSON-shaped Python object (dicts, lists, str, int, float, bool, None) into `T`;
/// error paths start with `name`.
pub fn from_py<T: DeserializeOwned>(obj: &Bound<'_, PyAny>, name: &str) -> Result<T> {
    let text = json_text(obj, name)?;
    Ok(dealscore::from_json(&text).map_err(|e| prefixed(e, name))?)
}

/// `json.dumps(obj)`; what JSON cannot hold (a `datetime.date`, NaN) is `invalid_input` at `name`.
pub fn json_text(obj: &Bound<'_, PyAny>, name: &str) -> Result<String> {
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = obj.py();
    let dumps = DUMPS.get_or_try_init(py, || py.import("json")?.getattr("dumps").map(Bound::unbind))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("allow_nan", false)?;
    // A cycle still fails (as a `RecursionError`), without the bookkeeping of every container.
    kwargs.set_item("check_circular", false)?;
    let text = dumps
        .bind(py)
        .call((obj,), Some(&kwargs))
        .map_err(|e| dealscore::Error::InvalidInput { path: name.to_owned(), message: e.to_string() })?;
    Ok(text.extract::<String>()?)
}

/// A date argument written `YYYY-MM-DD` (the Python layer turns `datetime.date` into text).
pub fn date(text: &str, name: &str) -> Result<Date> {
    Ok(dealscore::from_value(Value::String(text.to_owned())).map_err(|e| prefixed(e, name))?)
}

/// The core's serde output as JSON text, as every front end writes it.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value)
        .map_err(|e| dealscore::Error::InvalidInput { path: "$".into(), message: e.to_string() })?)
}

/// The core's serde output as Python objects (dicts keep the core's field order).
pub fn to_py<'py, T: Serialize + ?Sized>(py: Python<'py>, value: &T) -> Result<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let text = json(value)?;
    let loads = LOADS.get_or_try_init(py, || py.import("json")?.getattr("loads").map(Bound::unbind))?;
    Ok(loads.bind(py).call1((text,))?)
}

/// The caller's model, or the embedded default (parsed once per process).
pub fn models(model: Option<&crate::Model>) -> ModelSet {
    static EMBEDDED: OnceLock<ModelSet> = OnceLock::new();
    match model {
        Some(m) => m.inner.clone(),
        None => EMBEDDED.get_or_init(ModelSet::embedded).clone(),
    }
}

/// Puts the argument name in front of a parse error's path (`[3].date` → `activities[3].date`).
pub fn prefixed(e: dealscore::Error, name: &str) -> dealscore::Error {
    let join = |path: String| match path.as_str() {
        "$" | "" => name.to_owned(),
        p if p.starts_with('[') => format!("{name}{p}"),
        p => format!("{name}.{p}"),
    };
    match e {
        dealscore::Error::InvalidInput { path, message } => {
            dealscore::Error::InvalidInput { path: join(path), message }
        }
        dealscore::Error::InvalidDate { path, value } => dealscore::Error::InvalidDate { path: join(path), value },
        other => other,
    }
}
