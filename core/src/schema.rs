//! JSON Schemas generated from the types, so CRM admin UIs can validate model files.

/// The JSON Schema of a model file (a single model; a model set wraps models in `{default, models}`).
pub fn model_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(crate::model::Model);
    serde_json::to_value(schema).expect("schemas serialise")
}

/// The schema as the pretty-printed text committed at `docs/model.schema.json`.
pub fn model_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&model_schema()).expect("schemas serialise");
    text.push('\n');
    text
}
