//! JSON Schemas generated from the types, so CRM admin UIs can validate model files.

use serde_json::Value;

/// The JSON Schema of a model file (a single model; a model set wraps models in `{default, models}`).
pub fn model_schema() -> Value {
    sorted(serde_json::to_value(schemars::schema_for!(crate::model::Model)).expect("schemas serialise"))
}

/// The schema as the pretty-printed text committed at `docs/model.schema.json`.
pub fn model_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&model_schema()).expect("schemas serialise");
    text.push('\n');
    text
}

/// Keys in sorted order whatever serde_json's map features are, so the text never depends on
/// how the crate was built.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
