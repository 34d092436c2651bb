//! Q&A matching (質疑応答): the public tokenizer and a BM25 index over question/answer entries.

use dealscore::api::QaRequest;
use dealscore::qa::{self, QaEntry};
use dealscore::{ModelSet, tokenize as core_tokenize};
use wasm_bindgen::prelude::*;

use crate::convert::{Result, arg, json_call, object, object_call};
use crate::model::Model;

/// Text as Q&A matching sees it: NFKC, lower case, CJK bigrams and word tokens.
#[wasm_bindgen]
pub fn tokenize(text: &str) -> Vec<String> {
    core_tokenize(text)
}

/// An immutable BM25 index over Q&A entries, with the BM25 parameters of the model (the set's
/// default model; the embedded one when omitted).
#[wasm_bindgen]
#[derive(Debug)]
pub struct QaIndex {
    inner: qa::QaIndex,
    models: ModelSet,
}

impl QaIndex {
    fn build(entries: Vec<QaEntry>, model: Option<&JsValue>) -> Result<QaIndex> {
        let models = Model::from_arg(model)?;
        let inner = qa::QaIndex::new(entries, &models.default_model().qa)?;
        Ok(QaIndex { inner, models })
    }
}

#[wasm_bindgen]
impl QaIndex {
    /// An index over `entries` (`{id, question, answer, stages?, tags?}`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "QaEntry[]")] entries: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
    ) -> Result<QaIndex> {
        QaIndex::build(arg(&entries, "entries")?, model.as_ref())
    }

    /// An index over entries given as JSON Lines (one entry object per line), like
    /// `examples/qa.jsonl`.
    #[wasm_bindgen(js_name = fromJsonl)]
    pub fn from_jsonl(
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
    ) -> Result<QaIndex> {
        QaIndex::build(qa::entries_from_jsonl(text)?, model.as_ref())
    }

    /// An index over entries given as a JSON array.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "Model | null")] model: Option<JsValue>,
    ) -> Result<QaIndex> {
        QaIndex::build(qa::entries_from_json(text)?, model.as_ref())
    }

    /// Number of entries.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// The best `k` entries (default 5) for `question`, boosted for entries of `stage`.
    #[wasm_bindgen(unchecked_return_type = "QaHit[]")]
    pub fn search(&self, question: &str, stage: Option<String>, k: Option<usize>) -> Result<JsValue> {
        object(&self.inner.search(question, stage.as_deref(), k.unwrap_or(5))?)
    }

    /// A rep's question in the context of a deal: the best entries, or, when none matches, the
    /// deal members whose skills cover the stage (the people to ask). The deal's model is looked
    /// up in the index's model.
    #[wasm_bindgen(unchecked_return_type = "QaAnswer")]
    pub fn ask(&self, #[wasm_bindgen(unchecked_param_type = "QaRequest")] request: JsValue) -> Result<JsValue> {
        object_call(&request, |r: &QaRequest| r.run(&self.models, &self.inner))
    }

    /// `ask` on JSON text: the core's JSON text of the `QaAnswer`.
    #[wasm_bindgen(js_name = askJson)]
    pub fn ask_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] request: JsValue,
    ) -> Result<String> {
        json_call(&request, |r: &QaRequest| r.run(&self.models, &self.inner))
    }
}
