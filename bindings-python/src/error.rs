//! The exception hierarchy and the one conversion from a core error to a Python exception.
//!
//! `DealscoreError(ValueError)` carries the core's stable `code`, the JSON/model `path` of the
//! culprit when there is one, and for data-frame input the 0-based `row`. Subclasses exist only
//! where callers must tell cases apart: a bad model, bad input data, a quality edit by someone
//! who is not the deal's maintainer.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    dealscore,
    DealscoreError,
    PyValueError,
    "Base of every dealscore error: `.code` is the core's stable error code, `.path` the JSON or model path of the culprit (or None), `.row` the 0-based data-frame row (or None)."
);
create_exception!(dealscore, ModelError, DealscoreError, "The model (or model set) is invalid: code `invalid_model`.");
create_exception!(
    dealscore,
    InputError,
    DealscoreError,
    "Input data is malformed or inconsistent: bad shape, date, unknown or duplicate id …"
);
create_exception!(
    dealscore,
    NotMaintainerError,
    DealscoreError,
    "A quality event was made by someone other than the deal's maintainer: code `not_maintainer`."
);

/// Everything a binding function can fail with; `?` converts both core errors and Python errors.
#[derive(Debug)]
pub enum Error {
    /// A core error, with the data-frame row it happened in when the input was a frame.
    Core {
        error: dealscore::Error,
        row: Option<usize>,
    },
    Py(PyErr),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Attaches the frame row the error happened in.
    pub fn at_row(self, row: usize) -> Error {
        match self {
            Error::Core { error, .. } => Error::Core { error, row: Some(row) },
            py @ Error::Py(_) => py,
        }
    }
}

impl From<dealscore::Error> for Error {
    fn from(error: dealscore::Error) -> Self {
        Error::Core { error, row: None }
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error::Py(e)
    }
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        let (error, row) = match e {
            Error::Py(e) => return e,
            Error::Core { error, row } => (error, row),
        };
        let message = match row {
            Some(row) => format!("row {row}: {error}"),
            None => error.to_string(),
        };
        let err = match error.code() {
            "invalid_model" => ModelError::new_err(message),
            "not_maintainer" => NotMaintainerError::new_err(message),
            _ => InputError::new_err(message),
        };
        Python::attach(|py| {
            let value = err.value(py);
            // Setting attributes on a fresh exception instance cannot fail short of memory
            // exhaustion; if it did, the exception is still raised, only without them.
            let _ = value.setattr("code", error.code());
            let _ = value.setattr("path", error.path());
            let _ = value.setattr("row", row);
        });
        err
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Py(e.into())
    }
}
