//! Arguments other than request objects, checked here so that a wrong one is a `TypeError` with
//! the code `invalid_input` and the parameter's name as `path`, like every other input error.

use dealscore::Date;
use napi::Env;
use napi::bindgen_prelude::{ClassInstance, FromNapiValue, Unknown, ValueType};

use crate::error::{OrThrow, js_error};
use crate::model::Model;

/// An optional `Model` argument (`undefined` and `null` mean the embedded default).
pub(crate) fn model<'a>(env: &Env, value: Option<Unknown<'a>>) -> napi::Result<Option<ClassInstance<'a, Model>>> {
    value
        .map(|v| {
            ClassInstance::<Model>::from_unknown(v).map_err(|_| {
                js_error(env, "invalid_input", "expected a Model (from Model.default(), fromJson …)", Some("model"))
            })
        })
        .transpose()
}

/// A string argument.
pub(crate) fn string(env: &Env, value: Unknown, name: &str) -> napi::Result<String> {
    if value.get_type()? == ValueType::String {
        String::from_unknown(value)
    } else {
        Err(js_error(env, "invalid_input", &format!("{name} must be a string"), Some(name)))
    }
}

/// A date argument (`YYYY-MM-DD`).
pub(crate) fn date(env: &Env, value: Unknown, name: &str) -> napi::Result<Date> {
    let text = string(env, value, name)?;
    text.parse().map_err(|_| dealscore::Error::InvalidDate { path: name.to_owned(), value: text }).or_throw(env)
}
