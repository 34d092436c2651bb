//! Committed files that are generated from, or must equal, the code.

use std::path::Path;

fn repo(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

#[test]
fn committed_model_schema_is_current() {
    assert!(
        repo("docs/model.schema.json") == dealscore::model_schema_text(),
        "docs/model.schema.json is stale: run `cargo run -- schema > docs/model.schema.json`"
    );
}

#[test]
fn example_model_is_the_embedded_default() {
    assert_eq!(repo("examples/model.toml"), dealscore::DEFAULT_MODEL_TOML);
}

#[test]
fn schema_describes_the_model_fields() {
    let schema = dealscore::model_schema();
    let props = schema["properties"].as_object().unwrap();
    for key in ["schema", "actions", "roles", "attendee_bands", "default_route", "continuity", "half_life_days"] {
        assert!(props.contains_key(key), "schema lacks {key}");
    }
    let required: Vec<&str> = schema["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(required, ["schema", "actions", "roles", "status"]);
}

/// The wasm build (no `toml` feature) embeds the default model as JSON: it must be the TOML's
/// model exactly. `DEALSCORE_BLESS=1 cargo test -p dealscore --test files` rewrites it.
#[test]
fn embedded_json_model_is_the_toml_model() {
    let from_toml: serde_json::Value = toml::from_str(dealscore::DEFAULT_MODEL_TOML).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/default_model.json");
    if std::env::var_os("DEALSCORE_BLESS").is_some() {
        let mut text = serde_json::to_string_pretty(&from_toml).unwrap();
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
    let from_json: serde_json::Value = serde_json::from_str(dealscore::DEFAULT_MODEL_JSON).unwrap();
    assert!(
        from_json == from_toml,
        "core/data/default_model.json is stale: run `DEALSCORE_BLESS=1 cargo test -p dealscore --test files`"
    );
    let json_set = dealscore::ModelSet::from_json(dealscore::DEFAULT_MODEL_JSON).unwrap();
    assert_eq!(json_set.to_value(), dealscore::ModelSet::embedded().to_value());
    assert_eq!(json_set.default_name(), dealscore::ModelSet::embedded().default_name());
}
