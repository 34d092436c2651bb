//! `Model`: a validated model or model set, parsed once and passed to every operation.

use std::cell::RefCell;

use dealscore::ModelSet;
use wasm_bindgen::prelude::*;

use crate::convert::{self, Result};

/// A validated scoring model or model set (a deal picks a model of the set by name).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Model {
    pub(crate) inner: ModelSet,
    handle: u32,
}

// wasm-bindgen cannot borrow an exported struct through an optional argument (`Option<&Model>`
// is unsupported in 0.2.130), yet the API takes `model?` like the Node package. So every Model
// registers a cheap clone of its set (the compiled models are shared `Arc`s) under a handle that
// JS reads back through a hidden method; dropping the Model (`free()` or garbage collection)
// unregisters it.
// (A plain list: few models are alive at once, and it costs less code than a map.)
thread_local! {
    static REGISTRY: RefCell<(u32, Vec<(u32, ModelSet)>)> = const { RefCell::new((0, Vec::new())) };
}

#[wasm_bindgen]
extern "C" {
    /// Any JS value that may be a `Model`.
    type MaybeModel;
    #[wasm_bindgen(method, catch, js_name = __dealscoreHandle)]
    fn dealscore_handle(this: &MaybeModel) -> std::result::Result<u32, JsValue>;
}

impl Model {
    fn new(inner: ModelSet) -> Model {
        let handle = REGISTRY.with_borrow_mut(|(next, models)| {
            *next = next.wrapping_add(1);
            models.push((*next, inner.clone()));
            *next
        });
        Model { inner, handle }
    }

    /// The model set of an optional `Model` argument: the embedded default for `undefined` or
    /// `null`, `invalid_input` for anything that is not a live `Model`.
    pub(crate) fn from_arg(value: Option<&JsValue>) -> Result<ModelSet> {
        let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
            return Ok(convert::models(None).clone());
        };
        let handle = value.unchecked_ref::<MaybeModel>().dealscore_handle().ok();
        handle
            .and_then(|h| REGISTRY.with_borrow(|(_, models)| models.iter().find(|m| m.0 == h).map(|m| m.1.clone())))
            .ok_or_else(|| convert::invalid("model", "expected a Model (from Model.default(), fromJson or fromObject)"))
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        // Thread-locals may already be gone when the module itself is torn down.
        let _ = REGISTRY.try_with(|r| r.borrow_mut().1.retain(|m| m.0 != self.handle));
    }
}

#[wasm_bindgen]
impl Model {
    /// The embedded default model (English ids, Japanese labels).
    #[wasm_bindgen(js_name = default)]
    pub fn embedded() -> Model {
        Model::new(convert::models(None).clone())
    }

    /// Parses a model or a model set (`{default, models}`) from JSON text (a string or UTF-8
    /// bytes).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(#[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue) -> Result<Model> {
        Ok(Model::new(ModelSet::from_json(&convert::request_text(&text)?)?))
    }

    /// Not available in the wasm package: always throws an `Error` with `code` `"unsupported"`
    /// (a TOML parser would more than double the module). Pass the model as JSON to
    /// `Model.fromJson` instead; the name is kept so code shared with the Node package fails
    /// clearly.
    #[wasm_bindgen(js_name = fromToml)]
    pub fn from_toml(text: &str) -> std::result::Result<Model, JsValue> {
        let _ = text;
        Err(convert::unsupported(
            "Model.fromToml: TOML model files are not supported by the wasm package; pass the model as JSON to Model.fromJson",
        ))
    }

    /// Builds a model or a model set from a plain object shaped like the JSON file.
    #[wasm_bindgen(js_name = fromObject)]
    pub fn from_object(
        #[wasm_bindgen(unchecked_param_type = "ModelFile | ModelSetFile")] model: JsValue,
    ) -> Result<Model> {
        Ok(Model::new(ModelSet::from_json(&convert::stringify(&model, "model")?)?))
    }

    /// The registry handle read by `Model::from_arg`; not part of the API.
    #[wasm_bindgen(js_name = __dealscoreHandle, skip_typescript)]
    pub fn dealscore_handle(&self) -> u32 {
        self.handle
    }

    /// Name of the model deals use when they name none.
    #[wasm_bindgen(getter, js_name = defaultName)]
    pub fn default_name(&self) -> String {
        self.inner.default_name().to_owned()
    }

    /// Model names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.inner.names().map(str::to_owned).collect()
    }

    /// The model (or set) as a plain object with every default filled in, so
    /// `JSON.stringify(model)` writes a model file; where a UI finds labels and thresholds.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ModelFile | ModelSetFile")]
    pub fn to_json(&self) -> Result<JsValue> {
        convert::parse(&self.inner.to_json())
    }
}
