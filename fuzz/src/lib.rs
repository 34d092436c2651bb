//! The fuzz targets' bodies: each takes the fuzzer's bytes, runs one entry point of the core and
//! panics when a property fails — beyond "no panic", each checks what must hold for any input.
//! `src/bin/*` hand them to AFL; `scripts/fuzz` replays the committed corpora through the same
//! binaries (a panic aborts the process) before it fuzzes.

use std::sync::OnceLock;

use dealscore::api::{BacktestRequest, FitRequest, ScorecardRequest};
use dealscore::{Activity, ModelSet, QaIndex};
use unicode_normalization::UnicodeNormalization;

fn embedded() -> &'static ModelSet {
    static MODELS: OnceLock<ModelSet> = OnceLock::new();
    MODELS.get_or_init(ModelSet::embedded)
}

/// A model file as JSON and as TOML: whatever parses and validates round-trips through its JSON.
pub fn model(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in [ModelSet::from_json(text), ModelSet::from_toml(text)] {
        if let Ok(set) = parsed {
            let json = set.to_json();
            let again =
                ModelSet::from_json(&json).unwrap_or_else(|e| panic!("its own JSON does not parse: {e}\n{json}"));
            assert_eq!(again.to_json(), json, "the JSON of a parsed model does not round-trip");
        }
    }
}

/// One activity line, as JSON Lines and as a CSV record under a header (the first line): the
/// CLI's reader (sonic-rs first) accepts, refuses and reads exactly what `from_json` (serde_json)
/// does, and what parses serialises back to itself.
pub fn activity(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let plain = dealscore::from_json::<Activity>(text);
    let fast = dealscore::activity_from_json(text);
    assert_eq!(
        fast.as_ref().map_err(ToString::to_string),
        plain.as_ref().map_err(ToString::to_string),
        "the activity readers differ"
    );
    if let Ok(a) = plain {
        let json = serde_json::to_string(&a).expect("an activity serialises");
        let again: Activity = dealscore::from_json(&json).unwrap_or_else(|e| panic!("its own JSON: {e}\n{json}"));
        assert_eq!(again, a, "an activity does not round-trip through its JSON");
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(data);
    let Ok(header) = reader.headers().cloned() else { return };
    for record in reader.records().take(8) {
        let Ok(record) = record else { return };
        let fields: Vec<&str> = record.iter().collect();
        let _ = dealscore_cli::csv_activity::activity(&header, &fields);
    }
}

/// A `/v1/score` request body: scoring it twice gives the same bytes (or the same error).
pub fn score(data: &[u8]) {
    let models = embedded();
    let first = dealscore::api::score_json(data, models).map_err(|e| e.to_string());
    let second = dealscore::api::score_json(data, models).map_err(|e| e.to_string());
    assert_eq!(first, second, "scoring the same body twice differs");
}

/// A text to tokenize, and the same text as Q&A entries (JSON Lines) searched with its first
/// line: every token is NFKC-stable, and building and searching twice gives the same hits.
pub fn qa(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let tokens = dealscore::tokenize(text);
    for t in &tokens {
        let nfkc: String = t.nfkc().collect();
        assert_eq!(&nfkc, t, "token {t:?} is not NFKC-stable");
    }
    assert_eq!(dealscore::tokenize(text), tokens, "tokenizing twice differs");
    let Ok(entries) = dealscore::qa::entries_from_jsonl(text) else { return };
    let config = &embedded().default_model().qa;
    let question = text.lines().next().unwrap_or("");
    let search = || {
        let index = QaIndex::new(entries.clone(), config).map_err(|e| e.to_string())?;
        index.search(question, None, 5).map_err(|e| e.to_string())
    };
    assert_eq!(search(), search(), "building and searching twice differs");
}

/// A backtest, fit or scorecard request (JSON): each runs twice to the same bytes. The fits stop
/// after a fixed number of their steps, so one input cannot take the fuzzer's whole time.
pub fn outcome(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let models = embedded();
    let bounded = || {
        let steps = std::cell::Cell::new(0u32);
        move || {
            steps.set(steps.get() + 1);
            steps.get() > 2_000
        }
    };
    let twice = |run: &dyn Fn() -> Result<String, String>| assert_eq!(run(), run(), "the same request twice differs");
    twice(&|| dealscore::api::json_call(text, |r: &BacktestRequest| r.run(models)).map_err(|e| e.to_string()));
    twice(&|| {
        let stop = bounded();
        dealscore::api::json_call(text, |r: &FitRequest| r.run_until(models, &stop)).map_err(|e| e.to_string())
    });
    twice(&|| {
        let stop = bounded();
        dealscore::api::json_call(text, |r: &ScorecardRequest| r.run_until(&stop)).map_err(|e| e.to_string())
    });
}
