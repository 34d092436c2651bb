//! Reading models, deals and activities from files, with errors that name file and line.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use dealscore::{Activity, CompactString, Contact, Deal, ModelSet};

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
fn not_utf8(byte: usize) -> String {
    format!("the line is not valid UTF-8 (byte {byte} of the line)")
}

fn open(path: &Path) -> Result<Box<dyn Read + Send>, Failure> {
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

/// Streams activities from a file, one record at a time, with the line each came from.
pub struct Activities {
    path: PathBuf,
    inner: Inner,
    /// Bytes consumed so far (for the progress bar).
    pub bytes: u64,
}

enum Inner {
    Jsonl { reader: Box<dyn BufRead + Send>, line: usize, buf: Vec<u8> },
    Csv { records: csv::StringRecordsIntoIter<Box<dyn Read + Send>>, header: csv::StringRecord },
}

impl Activities {
    pub fn open(path: &Path, format: InputFormat) -> Result<Activities, Failure> {
        let reader = open(path)?;
        let inner = match format {
            InputFormat::Jsonl => {
                Inner::Jsonl { reader: Box::new(BufReader::with_capacity(1 << 16, reader)), line: 0, buf: Vec::new() }
            }
            InputFormat::Csv => {
                let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
                let header = r.headers().map_err(|e| Failure::csv(path, &e))?.clone();
                for required in ["id", "deal", "date"] {
                    if !header.iter().any(|h| h == required) {
                        return Err(Failure::input(
                            path,
                            Some(1),
                            "invalid_input",
                            format!("missing column {required:?}"),
                        ));
                    }
                }
                Inner::Csv { records: r.into_records(), header }
            }
        };
        Ok(Activities { path: path.to_owned(), inner, bytes: 0 })
    }
}

impl Iterator for Activities {
    /// `(line, activity or the failure naming file:line)`.
    type Item = (usize, Result<Activity, Failure>);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Jsonl { reader, line, buf } => loop {
                buf.clear();
                *line += 1;
                match reader.read_until(b'\n', buf) {
                    Ok(0) => return None,
                    Ok(n) => self.bytes += n as u64,
                    Err(e) => return Some((*line, Err(Failure::io(&self.path, &e)))),
                }
                // Bytes, not a `String`: a line that is not UTF-8 is that line's error, not the
                // end of the stream.
                let text = match std::str::from_utf8(buf) {
                    Ok(text) => text,
                    Err(e) => {
                        let failure =
                            Failure::input(&self.path, Some(*line), "invalid_input", not_utf8(e.valid_up_to() + 1));
                        return Some((*line, Err(failure)));
                    }
                };
                if text.trim().is_empty() {
                    continue;
                }
                let parsed = dealscore::from_json::<Activity>(text.trim_end());
                return Some((*line, parsed.map_err(|e| Failure::at(&self.path, Some(*line), &e))));
            },
            Inner::Csv { records, header } => {
                let record = records.next()?;
                let line = record.as_ref().map_or(0, |r| r.position().map_or(0, |p| p.line() as usize));
                let result = match record {
                    Ok(r) => {
                        self.bytes = r.position().map_or(self.bytes, csv::Position::byte);
                        csv_activity(header, &r).map_err(|(column, message)| {
                            Failure::input(
                                &self.path,
                                Some(line),
                                code_for(&message),
                                format!("column {column:?}: {message}"),
                            )
                        })
                    }
                    Err(e) => Err(Failure::csv(&self.path, &e)),
                };
                Some((line, result))
            }
        }
    }
}

fn code_for(message: &str) -> &'static str {
    if message.starts_with("invalid date") { "invalid_date" } else { "invalid_input" }
}

/// One CSV record → an activity. List fields are `;`-separated; contacts come from the parallel
/// columns `contact_person`, `contact_title`, `contact_role`, `contact_department` (the i-th item
/// of each belongs to the i-th contact; an empty item means "not given").
fn csv_activity(header: &csv::StringRecord, r: &csv::StringRecord) -> Result<Activity, (String, String)> {
    let get = |name: &str| header.iter().position(|h| h == name).and_then(|i| r.get(i)).unwrap_or("").trim();
    let list = |name: &str| -> Vec<CompactString> {
        let v = get(name);
        if v.is_empty() { Vec::new() } else { v.split(';').map(|s| s.trim().into()).collect() }
    };
    let opt = |s: &str| (!s.is_empty()).then(|| CompactString::from(s));
    let columns = ["contact_person", "contact_title", "contact_role", "contact_department"].map(list);
    let n = columns.iter().map(Vec::len).max().unwrap_or(0);
    let item = |c: usize, i: usize| columns[c].get(i).and_then(|s| opt(s));
    let contacts = (0..n)
        .map(|i| Contact { person: item(0, i), title: item(1, i), role: item(2, i), department: item(3, i) })
        .collect();
    let attendees = match get("attendees") {
        "" => None,
        v => Some(v.parse::<u32>().map_err(|_| ("attendees".to_owned(), format!("{v:?} is not a count")))?),
    };
    Ok(Activity {
        id: get("id").into(),
        deal: get("deal").into(),
        date: get("date").parse().map_err(|e: dealscore::DateParseError| ("date".to_owned(), e.to_string()))?,
        actions: list("actions"),
        contacts,
        attendees,
        reporter: opt(get("reporter")),
        note: (!get("note").is_empty()).then(|| get("note").to_owned()),
    })
}
