//! Q&A entries from text: a JSON array, JSON Lines, or CSV.
//!
//! All three accept (and skip) a leading UTF-8 byte-order mark, as spreadsheet exports often carry
//! one. They only parse; [`QaIndex::new`](super::QaIndex::new) checks ids and questions.

use serde::de::DeserializeOwned;

use super::QaEntry;
use crate::error::{Error, Result};

/// Parses a JSON array of entries (`[{"id": …, "question": …, "answer": …, "stages"?: […],
/// "tags"?: […]}, …]`). Unknown fields are rejected. Errors are `invalid_input` with the JSON path
/// of the culprit (`[3].question`, or `$` for the document itself).
pub fn entries_from_json(text: &str) -> Result<Vec<QaEntry>> {
    parse_json(strip_bom(text))
        .map_err(|(path, message)| Error::InvalidInput { path: path.unwrap_or_else(|| "$".to_owned()), message })
}

/// Parses JSON Lines: one entry object per line; blank lines are skipped. Errors are
/// `invalid_input` naming the 1-based line, and the field when there is one: `line 7` (not an
/// object, bad JSON) or `line 7: question` (`line 7: tags[1]`).
pub fn entries_from_jsonl(text: &str) -> Result<Vec<QaEntry>> {
    let mut entries = Vec::new();
    for (i, line) in strip_bom(text).split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let entry = parse_json(line).map_err(|(path, message)| {
            let line_no = i + 1;
            let path = match path {
                None => format!("line {line_no}"),
                Some(path) => format!("line {line_no}: {path}"),
            };
            Error::InvalidInput { path, message }
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

/// Parses CSV with a header row naming the columns `id`, `question`, `answer` (required) and
/// `stages`, `tags` (optional), in any order; header names are trimmed and compared
/// case-insensitively, and any other column is rejected. `stages` and `tags` hold `;`-separated
/// lists whose items are trimmed, empty items dropped (`"hearing; proposal"`). Fields are RFC 4180
/// quoted when they contain commas, quotes or line breaks; other values are kept as written.
/// Errors are `invalid_input` naming the 1-based line where the offending record starts (`line 7`).
pub fn entries_from_csv(text: &str) -> Result<Vec<QaEntry>> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(strip_bom(text).as_bytes());
    let header = reader.headers().map_err(|e| csv_error(&e, 1))?.clone();
    let columns = Columns::from_header(&header)?;
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e, 0))?;
        let get = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("");
        entries.push(QaEntry {
            id: get(Some(columns.id)).to_owned(),
            question: get(Some(columns.question)).to_owned(),
            answer: get(Some(columns.answer)).to_owned(),
            stages: split_list(get(columns.stages)),
            tags: split_list(get(columns.tags)),
        });
    }
    Ok(entries)
}

/// Column positions of a CSV file.
struct Columns {
    id: usize,
    question: usize,
    answer: usize,
    stages: Option<usize>,
    tags: Option<usize>,
}

impl Columns {
    const EXPECTED: &str = "expected the columns id, question, answer, stages (optional), tags (optional)";

    fn from_header(header: &csv::StringRecord) -> Result<Self> {
        let bad = |message: String| Error::InvalidInput { path: "line 1".into(), message };
        if header.is_empty() {
            return Err(bad(format!("missing header row; {}", Self::EXPECTED)));
        }
        let mut found: [Option<usize>; 5] = [None; 5];
        for (i, name) in header.iter().enumerate() {
            let name = name.trim().to_ascii_lowercase();
            let slot = match name.as_str() {
                "id" => 0,
                "question" => 1,
                "answer" => 2,
                "stages" => 3,
                "tags" => 4,
                _ => return Err(bad(format!("unknown column {name:?}; {}", Self::EXPECTED))),
            };
            if found[slot].replace(i).is_some() {
                return Err(bad(format!("column {name:?} appears more than once")));
            }
        }
        let required = |slot: usize, name: &str| {
            found[slot].ok_or_else(|| bad(format!("missing column {name:?}; {}", Self::EXPECTED)))
        };
        Ok(Columns {
            id: required(0, "id")?,
            question: required(1, "question")?,
            answer: required(2, "answer")?,
            stages: found[3],
            tags: found[4],
        })
    }
}

/// A CSV error as `invalid_input` at the line where the record starts (`fallback_line` when the
/// reader does not know it).
fn csv_error(e: &csv::Error, fallback_line: u64) -> Error {
    let line = e.position().map_or(fallback_line, csv::Position::line);
    let path = if line == 0 { "csv".to_owned() } else { format!("line {line}") };
    Error::InvalidInput { path, message: e.to_string() }
}

/// `"a; b;;c "` → `["a", "b", "c"]`.
fn split_list(text: &str) -> Vec<String> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
}

/// Parses one complete JSON document; on failure returns the JSON path (`None` for the document
/// itself) and the message.
fn parse_json<T: DeserializeOwned>(text: &str) -> std::result::Result<T, (Option<String>, String)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| (clean_path(&e.path().to_string()), e.inner().to_string()))?;
    de.end().map_err(|e| (None, e.to_string()))?;
    Ok(value)
}

/// `serde_path_to_error` writes the root as `.` and a segment it could not name (a syntax error
/// before a key was read) as `?`: drop those, keeping the known prefix.
fn clean_path(path: &str) -> Option<String> {
    let mut path = path;
    while let Some(rest) = path.strip_suffix('?') {
        path = rest.strip_suffix('.').unwrap_or(rest);
    }
    if path.is_empty() || path == "." { None } else { Some(path.to_owned()) }
}
