//! The worked example of `docs/model.md` is real: its input scores to its numbers.

use dealscore::{ModelSet, api::ScoreRequest};
use serde_json::Value;

/// The JSON block following an HTML comment marker in the document.
fn block(doc: &str, marker: &str) -> Value {
    let start = doc.find(marker).unwrap_or_else(|| panic!("{marker} not found"));
    let rest = &doc[start..];
    let open = rest.find("```json\n").expect("a json block") + "```json\n".len();
    let close = rest[open..].find("```").expect("a closed block") + open;
    serde_json::from_str(&rest[open..close]).expect("valid JSON")
}

/// Every leaf of `want` must equal the same path in `got`.
fn assert_subset(want: &Value, got: &Value, path: &str) {
    match want {
        Value::Object(map) => {
            for (k, v) in map {
                assert_subset(v, &got[k], &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(want, got, "at {path}"),
    }
}

#[test]
fn worked_example_numbers_are_what_the_code_computes() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/model.md")).unwrap();
    let input: ScoreRequest = dealscore::from_value(block(&doc, "<!-- worked-example:input -->")).unwrap();
    let reports = input.score(&ModelSet::embedded()).unwrap();
    assert_eq!(reports.len(), 1);
    let got = serde_json::to_value(&reports[0]).unwrap();
    assert_subset(&block(&doc, "<!-- worked-example:expected -->"), &got, "report");
}
