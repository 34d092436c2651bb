//! `Model`: a validated model or model set, compiled once and passed to every operation.

use std::sync::LazyLock;

use dealscore::ModelSet;
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

use crate::args;
use crate::convert::{Text, from_js, to_js};
use crate::error::{OrThrow, guard};

static EMBEDDED: LazyLock<ModelSet> = LazyLock::new(ModelSet::embedded);

/// A validated scoring model or model set (a deal picks a model of the set by name).
#[napi]
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) inner: ModelSet,
}

/// The models an operation uses: the caller's, else the embedded default.
pub(crate) fn models(model: Option<&Model>) -> &ModelSet {
    model.map_or(&*EMBEDDED, |m| &m.inner)
}

#[napi]
impl Model {
    /// The embedded default model (English ids, Japanese labels).
    #[napi(factory, js_name = "default")]
    pub fn embedded(env: Env) -> napi::Result<Model> {
        guard(&env, || Ok(Model { inner: EMBEDDED.clone() }))
    }

    /// Parses a model or a model set (`{default, models}`) from JSON text.
    #[napi(factory, ts_args_type = "text: string | Uint8Array")]
    pub fn from_json(env: Env, text: Unknown) -> napi::Result<Model> {
        guard(&env, || {
            let text = Text::from_js(&env, text)?;
            text.as_str().and_then(ModelSet::from_json).map(|inner| Model { inner }).or_throw(&env)
        })
    }

    /// Parses a model or a model set (`default = …` and `[models.NAME]`) from TOML text.
    #[napi(factory, ts_args_type = "text: string")]
    pub fn from_toml(env: Env, text: Unknown) -> napi::Result<Model> {
        let text = args::string(&env, text, "text")?;
        guard(&env, || ModelSet::from_toml(&text).map(|inner| Model { inner }).or_throw(&env))
    }

    /// Builds a model or a model set from a plain object shaped like the JSON file.
    #[napi(factory, ts_args_type = "model: ModelFile | ModelSetFile")]
    pub fn from_object(env: Env, model: Unknown) -> napi::Result<Model> {
        guard(&env, || {
            let value: serde_json::Value = from_js(&env, model)?;
            ModelSet::from_value(value).map(|inner| Model { inner }).or_throw(&env)
        })
    }

    /// Name of the model deals use when they name none.
    #[napi(getter)]
    pub fn default_name(&self) -> String {
        self.inner.default_name().to_owned()
    }

    /// Model names, sorted.
    #[napi]
    pub fn names(&self) -> Vec<String> {
        self.inner.names().map(str::to_owned).collect()
    }

    /// The model (or set) as a plain object, so `JSON.stringify(model)` writes a model file.
    #[napi(js_name = "toJSON", ts_return_type = "ModelFile | ModelSetFile")]
    pub fn to_json<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        guard(env, || to_js(env, &self.inner.to_value()))
    }
}
