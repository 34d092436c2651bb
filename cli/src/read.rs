//! Reading models, deals and activities from files, with errors that name file and line.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use dealscore::{Deal, ModelSet};

use crate::fail::Failure;

/// Loads `--model FILE` (TOML or JSON by extension), or the embedded default.
pub fn model(path: Option<&Path>) -> Result<ModelSet, Failure> {
    let Some(path) = path else { return Ok(ModelSet::embedded()) };
    let text = read_text(path)?;
    let parsed = if is_ext(path, "json") { ModelSet::from_json(&text) } else { ModelSet::from_toml(&text) };
    parsed.map_err(|e| Failure::at(path, None, &e))
}

/// Loads `--deals FILE`: a JSON array of deals, or JSON Lines.
pub fn deals(path: Option<&Path>) -> Result<Vec<Deal>, Failure> {
    let Some(path) = path else { return Ok(Vec::new()) };
    let text = read_text(path)?;
    if is_ext(path, "jsonl") || is_ext(path, "ndjson") {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| dealscore::from_json(l).map_err(|e| Failure::at(path, Some(i + 1), &e)))
            .collect()
    } else {
        dealscore::from_json(&text).map_err(|e| Failure::at(path, None, &e))
    }
}

/// A whole file as text; bytes that are not UTF-8 are `invalid_input` at their line.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    open(path)?.read_to_end(&mut bytes).map_err(|e| Failure::io(path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
        let column = at - memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1) + 1;
        Failure::input(path, Some(line), "invalid_input", not_utf8(column))
    })
}

/// The message for a line that is not UTF-8: where its first bad byte is (1-based).
pub(crate) fn not_utf8(byte: usize) -> String {
    format!("the line is not valid UTF-8 (byte {byte} of the line)")
}

pub(crate) fn open(path: &Path) -> Result<Box<dyn Read + Send>, Failure> {
    if path == Path::new("-") {
        // `Stdin`, not its lock, which must stay on its thread: activities are read on another.
        Ok(Box::new(io::stdin()))
    } else {
        Ok(Box::new(File::open(path).map_err(|e| Failure::io(path, &e))?))
    }
}

fn is_ext(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// How an activities file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Jsonl,
    Csv,
}

impl InputFormat {
    /// Chosen by `--input-format`, else by extension (`.csv` → CSV, anything else JSON Lines).
    pub fn pick(path: &Path, explicit: Option<InputFormat>) -> InputFormat {
        explicit.unwrap_or(if is_ext(path, "csv") { InputFormat::Csv } else { InputFormat::Jsonl })
    }
}
