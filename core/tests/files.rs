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
