//! Parallel ingestion of an activities file: the input is cut into blocks that end at a record
//! boundary (a newline; in CSV a newline outside quotes), the blocks are parsed on every core, and
//! the parsed records are handed on in input order, so errors keep their order and the first bad
//! line is still the one named. A fixed number of blocks is in flight at a time, so memory does
//! not grow with the input; standard input works the same way.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use dealscore::Activity;

use crate::fail::Failure;
use crate::read::{InputFormat, not_utf8, open};

/// Bytes a block holds at least (it then runs to the next record boundary): large enough that
/// handing it over costs nothing next to parsing it, small enough to keep every core busy.
const BLOCK: usize = 256 * 1024;

/// One parsed record: its line and the activity, or the failure naming file:line.
pub type Parsed = (usize, Result<Activity, Failure>);

/// A block of the input: whole records, the number of its first line, and the input bytes read
/// up to its end (for the progress bar).
struct Block {
    index: usize,
    first_line: usize,
    bytes: Vec<u8>,
    end: u64,
}

/// What a block became.
struct Done {
    index: usize,
    records: Vec<Parsed>,
    end: u64,
}

/// Reads the activities in `path` and calls `each` with every record in input order, with the
/// bytes read so far after each block. Parsing runs on `threads` threads. `each` returning an
/// error stops the reading and is returned.
pub fn for_each(
    path: &Path,
    format: InputFormat,
    threads: usize,
    mut each: impl FnMut(Vec<Parsed>, u64) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let (mut reader, header, mut carry, first_line) = start(path, format)?;
    let threads = threads.max(1);
    // Blocks in flight at most: every parser busy and as many again waiting.
    let in_flight = 2 * threads + 2;
    let (jobs, job_queue) = sync_channel::<Block>(in_flight);
    let (done_tx, done) = sync_channel::<Done>(in_flight);
    // A ticket per block in flight: the reader takes one per block, the consumer returns one per
    // block it has handed on, so blocks parsed ahead of a slow one cannot pile up.
    let (tickets_tx, tickets) = tickets(in_flight);
    // Parsed blocks' buffers go back to the reader (at most one per block in flight).
    let (spare_tx, spares) = sync_channel::<Vec<u8>>(in_flight);
    let job_queue = Arc::new(Mutex::new(job_queue));
    let csv = header.is_some();
    std::thread::scope(|s| {
        let path_buf: PathBuf = path.to_owned();
        let reading = s.spawn(move || read_blocks(&mut reader, &mut carry, first_line, csv, &tickets, &spares, &jobs));
        for _ in 0..threads {
            let (queue, done_tx, spare_tx, header, path) =
                (Arc::clone(&job_queue), done_tx.clone(), spare_tx.clone(), header.clone(), path_buf.clone());
            s.spawn(move || parse_blocks(&path, header.as_deref(), &queue, &spare_tx, &|d| done_tx.send(d).is_ok()));
        }
        // Only the parsers hold these now: when they stop, the reader's next send fails.
        drop((done_tx, job_queue, spare_tx));
        let consumed = consume(&done, &tickets_tx, &mut each);
        // Dropping these stops the parsers and then the reader at their next send.
        drop((done, tickets_tx));
        let read = reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        consumed?;
        read.map_err(|e| Failure::io(path, &e))
    })
}

/// Reads the activities in `path` and calls `each` with each block's records on the thread that
/// parsed them: blocks in no particular order, records in input order within a block, with the
/// bytes read up to the block's end. Parsing runs on `threads` threads. The first error `each`
/// returns stops the reading and is returned.
pub fn for_each_unordered(
    path: &Path,
    format: InputFormat,
    threads: usize,
    each: impl Fn(Vec<Parsed>, u64) -> Result<(), Failure> + Sync,
) -> Result<(), Failure> {
    let (mut reader, header, mut carry, first_line) = start(path, format)?;
    let threads = threads.max(1);
    let in_flight = 2 * threads + 2;
    let (jobs, job_queue) = sync_channel::<Block>(in_flight);
    // A ticket per block in flight, returned when `each` is done with the block.
    let (tickets_tx, tickets) = tickets(in_flight);
    let (spare_tx, spares) = sync_channel::<Vec<u8>>(in_flight);
    let job_queue = Arc::new(Mutex::new(job_queue));
    let failure = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let csv = header.is_some();
    let read = std::thread::scope(|s| {
        let reading = s.spawn(move || read_blocks(&mut reader, &mut carry, first_line, csv, &tickets, &spares, &jobs));
        let parsers: Vec<_> = (0..threads)
            .map(|_| {
                let (queue, tickets_tx, spare_tx, header) =
                    (Arc::clone(&job_queue), tickets_tx.clone(), spare_tx.clone(), header.clone());
                let (each, failure, stop) = (&each, &failure, &stop);
                s.spawn(move || {
                    parse_blocks(path, header.as_deref(), &queue, &spare_tx, &|d: Done| {
                        if stop.load(Ordering::Relaxed) {
                            return false;
                        }
                        if let Err(f) = each(d.records, d.end) {
                            stop.store(true, Ordering::Relaxed);
                            failure.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(f);
                            return false;
                        }
                        // The reader may have stopped (end of input): a ticket nobody takes is fine.
                        let _ = tickets_tx.try_send(());
                        true
                    });
                })
            })
            .collect();
        // Only the parsers hold these now: when the last one stops, the reader's next wait or
        // send fails.
        drop((job_queue, spare_tx, tickets_tx));
        for parser in parsers {
            parser.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    if let Some(f) = failure.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(f);
    }
    read.map_err(|e| Failure::io(path, &e))
}

/// Opens the input: the reader, the CSV header (the first record; every block is parsed against
/// it), the bytes read past it and the number of the first line after it.
#[allow(clippy::type_complexity)]
fn start(
    path: &Path,
    format: InputFormat,
) -> Result<(Box<dyn Read + Send>, Option<Arc<csv::StringRecord>>, Vec<u8>, usize), Failure> {
    let mut reader = open(path)?;
    Ok(match format {
        InputFormat::Jsonl => (reader, None, Vec::new(), 1),
        InputFormat::Csv => {
            let (header, lines, rest) = csv_header(path, &mut reader)?;
            (reader, Some(Arc::new(header)), rest, 1 + lines)
        }
    })
}

/// A channel holding `n` tickets.
fn tickets(n: usize) -> (SyncSender<()>, Receiver<()>) {
    let (tx, rx) = sync_channel::<()>(n);
    for _ in 0..n {
        tx.send(()).expect("room for every ticket");
    }
    (tx, rx)
}

/// Hands the parsed blocks on in input order.
fn consume(
    done: &Receiver<Done>,
    tickets: &SyncSender<()>,
    each: &mut impl FnMut(Vec<Parsed>, u64) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut next = 0;
    let mut waiting: Vec<Done> = Vec::new();
    for block in done {
        waiting.push(block);
        while let Some(i) = waiting.iter().position(|b| b.index == next) {
            let block = waiting.swap_remove(i);
            each(block.records, block.end)?;
            next += 1;
            // The reader may have stopped (end of input): a ticket nobody takes is fine.
            let _ = tickets.try_send(());
        }
    }
    Ok(())
}

/// Cuts the input into blocks ending at a record boundary; returns at the end of the input, or
/// when the consumer is gone.
fn read_blocks(
    reader: &mut (dyn Read + Send),
    carry: &mut Vec<u8>,
    mut line: usize,
    csv: bool,
    tickets: &Receiver<()>,
    spares: &Receiver<Vec<u8>>,
    jobs: &SyncSender<Block>,
) -> std::io::Result<()> {
    let mut end = carry.len() as u64;
    for index in 0.. {
        if tickets.recv().is_err() {
            return Ok(());
        }
        // A parsed block's buffer when one is back: its pages are mapped already.
        let mut bytes = spares.try_recv().unwrap_or_default();
        bytes.clear();
        bytes.extend_from_slice(carry);
        carry.clear();
        let mut eof = false;
        // Fill to BLOCK, then to a boundary: the last newline (outside quotes in CSV).
        let cut = loop {
            if bytes.len() >= BLOCK || eof {
                if let Some(cut) = boundary(&bytes, csv) {
                    break cut;
                }
                if eof {
                    break bytes.len();
                }
            }
            // `read_to_end` fills the spare capacity without zeroing it first.
            let n = (&mut *reader).take(BLOCK as u64).read_to_end(&mut bytes)?;
            end += n as u64;
            eof = n == 0;
        };
        carry.extend_from_slice(&bytes[cut..]);
        bytes.truncate(cut);
        if bytes.is_empty() {
            return Ok(());
        }
        let lines = memchr::memchr_iter(b'\n', &bytes).count() + usize::from(bytes.last() != Some(&b'\n'));
        let block = Block { index, first_line: line, bytes, end: end - carry.len() as u64 };
        line += lines;
        if jobs.send(block).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

/// `read` that retries when interrupted.
fn read_some(reader: &mut (dyn Read + Send), buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Where a block of `bytes` may end: after its last newline, in CSV the last one outside quotes
/// (blocks start outside quotes, and a quote inside a quoted field is doubled, so the parity of
/// the quotes seen tells).
fn boundary(bytes: &[u8], csv: bool) -> Option<usize> {
    if !csv {
        return memchr::memrchr(b'\n', bytes).map(|i| i + 1);
    }
    let mut quoted = false;
    let mut last = None;
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            last = Some(i + 1);
        }
    }
    last
}

/// Parses blocks until there are no more, or nobody wants the results.
fn parse_blocks(
    path: &Path,
    header: Option<&csv::StringRecord>,
    queue: &Mutex<Receiver<Block>>,
    spares: &SyncSender<Vec<u8>>,
    hand_on: &dyn Fn(Done) -> bool,
) {
    loop {
        let Ok(Ok(block)) = queue.lock().map(|q| q.recv()) else { return };
        let records = match header {
            None => jsonl_records(path, &block),
            Some(header) => csv_records(path, header, &block),
        };
        // Full (the reader has all it can use) or gone: either way the buffer is just dropped.
        let _ = spares.try_send(block.bytes);
        if !hand_on(Done { index: block.index, records, end: block.end }) {
            return;
        }
    }
}

fn jsonl_records(path: &Path, block: &Block) -> Vec<Parsed> {
    let mut records = Vec::with_capacity(block.bytes.len() / 256);
    let line = |records: &mut Vec<Parsed>, number: usize, text: &str| {
        if !text.trim().is_empty() {
            let parsed = dealscore::activity_from_json(text.trim_end());
            records.push((number, parsed.map_err(|e| Failure::at(path, Some(number), &e))));
        }
    };
    // The whole block at once when it is all UTF-8 (the usual case; a newline never falls inside
    // a character, so each line is UTF-8 too), else line by line.
    if let Ok(text) = simdutf8::basic::from_utf8(&block.bytes) {
        for (i, text) in text.split('\n').enumerate() {
            line(&mut records, block.first_line + i, text);
        }
        return records;
    }
    for (i, bytes) in block.bytes.split(|&b| b == b'\n').enumerate() {
        let number = block.first_line + i;
        // Bytes, not text: a line that is not UTF-8 is that line's error, not the end of the input.
        match std::str::from_utf8(bytes) {
            Ok(text) => line(&mut records, number, text),
            Err(e) => {
                let failure = Failure::input(path, Some(number), "invalid_input", not_utf8(e.valid_up_to() + 1));
                records.push((number, Err(failure)));
            }
        }
    }
    records
}

fn csv_records(path: &Path, header: &csv::StringRecord, block: &Block) -> Vec<Parsed> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&block.bytes[..]);
    let mut records = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let line = |r: &csv::ByteRecord| block.first_line + r.position().map_or(1, |p| p.line() as usize) - 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => return records,
            Ok(true) => {
                let number = line(&record);
                records.push((number, csv_record(path, header, &record, number)));
            }
            Err(e) => {
                let number = e.position().map_or(block.first_line, |p| block.first_line + p.line() as usize - 1);
                records.push((number, Err(Failure::input(path, Some(number), "invalid_input", e))));
            }
        }
    }
}

/// One CSV record → an activity, or the failure naming file:line and the column.
fn csv_record(path: &Path, header: &csv::StringRecord, r: &csv::ByteRecord, line: usize) -> Result<Activity, Failure> {
    if r.len() != header.len() {
        let message = format!("found a record with {} fields, but the header has {}", r.len(), header.len());
        return Err(Failure::input(path, Some(line), "invalid_input", message));
    }
    let fields: Vec<&str> = r
        .iter()
        .enumerate()
        .map(|(i, f)| {
            std::str::from_utf8(f).map_err(|e| {
                let message =
                    format!("column {:?}: {}", &header[i], not_utf8(e.valid_up_to() + 1).replace("line", "field"));
                Failure::input(path, Some(line), "invalid_input", message)
            })
        })
        .collect::<Result<_, _>>()?;
    dealscore_cli::csv_activity::activity(header, &fields).map_err(|(column, message)| {
        let code = if message.starts_with("invalid date") { "invalid_date" } else { "invalid_input" };
        Failure::input(path, Some(line), code, format!("column {column:?}: {message}"))
    })
}

/// Reads the CSV header (the first record) and checks the required columns; returns it, the
/// lines it took and the bytes read past it.
fn csv_header(path: &Path, reader: &mut (dyn Read + Send)) -> Result<(csv::StringRecord, usize, Vec<u8>), Failure> {
    let mut bytes = Vec::new();
    let mut eof = false;
    let cut = loop {
        if let Some(cut) = first_boundary(&bytes) {
            break cut;
        }
        if eof {
            break bytes.len();
        }
        let len = bytes.len();
        bytes.resize(len + 64 * 1024, 0);
        let n = read_some(reader, &mut bytes[len..]).map_err(|e| Failure::io(path, &e))?;
        bytes.truncate(len + n);
        eof = n == 0;
    };
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[..cut]);
    let mut header = csv::StringRecord::new();
    let bad = |message: String| Failure::input(path, Some(1), "invalid_input", message);
    r.read_record(&mut header).map_err(|e| bad(e.to_string()))?;
    for required in ["id", "deal", "date"] {
        if !header.iter().any(|h| h == required) {
            return Err(bad(format!("missing column {required:?}")));
        }
    }
    let lines = memchr::memchr_iter(b'\n', &bytes[..cut]).count();
    Ok((header, lines, bytes[cut..].to_vec()))
}

/// The end of the first CSV record (after its newline outside quotes).
fn first_boundary(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            return Some(i + 1);
        }
    }
    None
}
