//! Running a whole stream. Documents are independent, so once a stream proves long they
//! are processed by a few worker threads (no async runtime: plain `std` threads and
//! channels), and written in input order whatever order they finish in. A short render
//! (a chart) never starts a thread.

use super::document::{Processed, process_doc, process_whole};
use super::label::Label;
use crate::config::Settings;
use crate::decide::report::{Row, Tally};
use crate::facts::Facts;
use crate::run::diag::Severity;
use crate::run::{items, limits};
use crate::yaml::document;
use crate::yaml::split::RawDoc;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, mpsc};
use std::thread;

/// A worker thread's stack: as large as the main thread's.
const WORKER_STACK: usize = 8 << 20;

/// What a whole stream run produced.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: usize,
    pub changed: usize,
    pub errors: usize,
    /// Every document's report rows, in order (when [`Options::keep_rows`]).
    pub rows: Vec<Row>,
    /// The rows counted for the summary line.
    pub tally: Tally,
}

/// How a stream is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub threads: Threads,
    /// The largest workload or List document parsed ([`limits::DEFAULT_MAX_DOCUMENT`]).
    pub max_document: usize,
    /// Keep every report row (`report`), not only their counts.
    pub keep_rows: bool,
}

impl From<Threads> for Options {
    /// On `threads`, with the default limit, keeping the rows.
    fn from(threads: Threads) -> Options {
        Options {
            threads,
            max_document: limits::DEFAULT_MAX_DOCUMENT,
            keep_rows: true,
        }
    }
}

/// The environment variable that sets the number of threads (1: no worker is started).
pub const THREADS_ENV: &str = "PINPOINT_INJECT_THREADS";

/// The most threads `PINPOINT_INJECT_THREADS` may ask for.
pub const MAX_THREADS: usize = 64;

/// How a stream is spread over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threads {
    /// Worker threads; 1 processes every document on the calling thread.
    pub workers: usize,
    /// Bytes read on the calling thread before the workers start.
    pub after: usize,
}

impl Threads {
    /// No threads: every document on the calling thread.
    pub const ONE: Threads = Threads {
        workers: 1,
        after: 0,
    };

    /// One worker per core (at most 4), after the first 128 KiB; `PINPOINT_INJECT_THREADS`
    /// sets the number. `Err` names a value that is not a number from 1 to [`MAX_THREADS`].
    pub fn from_env() -> Result<Threads, String> {
        let workers = match std::env::var(THREADS_ENV) {
            Ok(value) => match value.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_THREADS).contains(&n) => n,
                _ => {
                    return Err(format!(
                        "{THREADS_ENV}={value:?} is not a number from 1 to {MAX_THREADS}"
                    ));
                }
            },
            Err(_) => thread::available_parallelism().map_or(1, |n| n.get().min(4)),
        };
        Ok(Threads {
            workers,
            after: 128 << 10,
        })
    }
}

/// Documents go to the workers in batches of this many documents or bytes (one handover
/// per document would cost more in wake-ups than it gains). At most this many batches
/// per worker, and this many bytes (or one batch, however large), are handed out and
/// not yet written: the memory the reordering takes stays bounded.
const BATCH_DOCUMENTS: usize = 64;
const BATCH_BYTES: usize = 256 << 10;
const BATCHES_PER_WORKER: usize = 4;
const IN_FLIGHT_BYTES: usize = 4 << 20;

/// Where processed documents go, in input order.
struct Writer<'o, W: Write, E: Write> {
    summary: Summary,
    label: Label,
    out: &'o mut W,
    diagnostics: &'o mut E,
    /// Result lines not yet written to `diagnostics`: written a few KiB at a time (a
    /// write per line was a system call per workload, on the thread that also splits
    /// the input and writes the output for the workers).
    log: String,
    settings: &'o Settings,
    facts: &'o Facts,
    items: items::Options,
}

/// The result lines held before they are written.
const LOG_BYTES: usize = 8 << 10;

impl<W: Write, E: Write> Drop for Writer<'_, W, E> {
    /// The lines held are written however the run ends (an error, a worker's panic).
    fn drop(&mut self) {
        let _ = self.flush_log();
    }
}

impl<W: Write, E: Write> Writer<'_, W, E> {
    fn flush_log(&mut self) -> io::Result<()> {
        if !self.log.is_empty() {
            self.diagnostics.write_all(self.log.as_bytes())?;
            self.log.clear();
        }
        Ok(())
    }

    fn write(&mut self, doc: &RawDoc, mut processed: Processed) -> io::Result<()> {
        self.label.next(&doc.bytes);
        // A List: its items processed now, each written as it is made.
        let mut written = false;
        if processed.list {
            let text = std::str::from_utf8(&doc.bytes).expect("checked by process_doc");
            let first = doc.first_line as usize;
            match items::list_document(
                text,
                (self.settings, self.facts),
                &self.items,
                self.out,
                first,
            ) {
                Some(done) => {
                    let (outcome, changed) = done?;
                    processed.results = outcome.results;
                    processed.rows = outcome.rows;
                    self.summary.tally.merge(outcome.tally);
                    self.summary.changed += usize::from(changed);
                    written = true;
                }
                None => {
                    processed =
                        process_whole(doc, (self.settings, self.facts), self.items.max_document)
                }
            }
        }
        let summary = &mut self.summary;
        summary.documents += 1;
        // Named as the log names the document; a document with an error and no row (it
        // does not parse, or is no resource) gets one.
        let (document, template) = (self.label.document(), self.label.source());
        let broken = match processed.rows.is_empty() {
            true => processed
                .results
                .iter()
                .find(|r| r.severity == Severity::Error),
            false => None,
        }
        .map(|error| {
            let text = String::from_utf8_lossy(&doc.bytes);
            let kind = document::kind_from_text(&text).unwrap_or_default();
            Row::broken(kind, &error.message)
        });
        for mut row in processed.rows.into_iter().chain(broken) {
            if !written {
                summary.tally.add(&row); // a List's are counted already
            }
            if self.items.keep_rows {
                row.document = Some(document.clone());
                row.template = template.map(str::to_string);
                summary.rows.push(row);
            }
        }
        match &processed.replacement {
            _ if written => {}
            Some(bytes) => {
                summary.changed += 1;
                self.out.write_all(bytes)?;
            }
            None => self.out.write_all(&doc.bytes)?,
        }
        for result in &processed.results {
            if result.severity == Severity::Error {
                summary.errors += 1;
            }
            self.log.push_str("pinpoint-inject: ");
            self.log
                .push_str(&result.line_in(Some(&self.label.to_string())));
            self.log.push('\n');
        }
        if self.log.len() >= LOG_BYTES {
            self.flush_log()?;
        }
        Ok(())
    }
}

/// Run a whole stream: every document is written, in order, whatever happens to the
/// others (a document with an error is written unchanged); results go to `diagnostics`
/// as one line each. `options`: [`Options`], or just the [`Threads`].
pub fn run_with<I, W, E>(
    docs: I,
    settings: &Settings,
    facts: &Facts,
    out: &mut W,
    diagnostics: &mut E,
    options: impl Into<Options>,
) -> io::Result<Summary>
where
    I: IntoIterator<Item = io::Result<RawDoc>>,
    W: Write,
    E: Write,
{
    let options = options.into();
    let threads = options.threads;
    let max = options.max_document;
    let mut writer = Writer {
        summary: Summary::default(),
        label: Label::default(),
        out,
        diagnostics,
        log: String::new(),
        settings,
        facts,
        items: items::Options {
            max_document: max,
            keep_rows: options.keep_rows,
        },
    };
    let mut docs = docs.into_iter();
    let mut read = 0;
    while threads.workers < 2 || read < threads.after {
        let Some(doc) = docs.next() else { break };
        let doc = doc?;
        read += doc.bytes.len();
        let processed = process_doc(&doc, (settings, facts), max);
        writer.write(&doc, processed)?;
    }
    if threads.workers >= 2 {
        let process = |doc: &RawDoc| process_doc(doc, (settings, facts), max);
        in_workers(docs, &process, &mut writer, threads.workers)?;
    }
    writer.flush_log()?;
    writer.out.flush()?;
    Ok(std::mem::take(&mut writer.summary))
}

/// A batch processed by a worker (or the panic it raised, to raise again here).
type Done = (usize, Vec<RawDoc>, thread::Result<Vec<Processed>>);

/// The rest of the stream, processed by `workers` threads while this one reads the input
/// and writes the output.
fn in_workers<I, W, E>(
    docs: I,
    process: &(dyn Fn(&RawDoc) -> Processed + Sync),
    writer: &mut Writer<'_, W, E>,
    workers: usize,
) -> io::Result<()>
where
    I: Iterator<Item = io::Result<RawDoc>>,
    W: Write,
    E: Write,
{
    let mut docs = docs.peekable();
    if docs.peek().is_none() {
        return Ok(()); // nothing left: no thread started
    }
    let (work, jobs) = mpsc::channel::<(usize, Vec<RawDoc>)>();
    let jobs = Mutex::new(jobs);
    let (done_tx, done) = mpsc::channel::<Done>();
    thread::scope(|scope| {
        // Dropped when this closure returns, however it returns: the workers then stop.
        let work = work;
        for _ in 0..workers {
            let (jobs, done_tx) = (&jobs, done_tx.clone());
            // The main thread's stack (8 MiB), not a spawned thread's 2 MiB: the full
            // parser recurses once per nesting level, up to its 255, and a document that
            // deep must be refused the same on a worker (only pages used are committed).
            let worker = thread::Builder::new().stack_size(WORKER_STACK);
            let spawned = worker.spawn_scoped(scope, move || {
                loop {
                    let job = jobs
                        .lock()
                        .map_err(drop)
                        .and_then(|j| j.recv().map_err(drop));
                    let Ok((seq, batch)) = job else { break };
                    let processed = panic::catch_unwind(AssertUnwindSafe(|| {
                        batch.iter().map(process).collect::<Vec<_>>()
                    }));
                    if done_tx.send((seq, batch, processed)).is_err() {
                        break;
                    }
                }
            });
            // As `scope.spawn` does: a thread the system cannot start is a panic.
            spawned.expect("failed to spawn a worker thread");
        }
        drop(done_tx);

        // Hand out batches while few are in flight; write each as soon as all before it
        // are written.
        let (mut sent, mut written, mut in_flight) = (0usize, 0usize, 0usize);
        let mut finished: BTreeMap<usize, (Vec<RawDoc>, Vec<Processed>)> = BTreeMap::new();
        // A read error ends the input; it is returned once every document read before it
        // is written, as on one thread.
        let mut read_error = None;
        let mut input_done = false;
        loop {
            let room = sent - written < workers * BATCHES_PER_WORKER
                && (in_flight < IN_FLIGHT_BYTES || sent == written);
            if !input_done && room {
                let (batch, error) = next_batch(&mut docs);
                input_done =
                    error.is_some() || (batch.len() < BATCH_DOCUMENTS && docs.peek().is_none());
                read_error = error;
                if !batch.is_empty() {
                    in_flight += batch.iter().map(|d| d.bytes.len()).sum::<usize>();
                    work.send((sent, batch))
                        .expect("the workers outlive the input");
                    sent += 1;
                }
                continue;
            }
            if written == sent {
                break;
            }
            let (seq, batch, processed) = done.recv().expect("a worker holds every batch sent");
            let processed = processed.unwrap_or_else(|payload| panic::resume_unwind(payload));
            finished.insert(seq, (batch, processed));
            while let Some((batch, processed)) = finished.remove(&written) {
                in_flight -= batch.iter().map(|d| d.bytes.len()).sum::<usize>();
                for (doc, processed) in batch.iter().zip(processed) {
                    writer.write(doc, processed)?;
                }
                written += 1;
            }
        }
        read_error.map_or(Ok(()), Err)
    })
}

/// The next documents, up to [`BATCH_DOCUMENTS`] of them or [`BATCH_BYTES`], and the read
/// error that ended them early, if one did.
fn next_batch<I>(docs: &mut std::iter::Peekable<I>) -> (Vec<RawDoc>, Option<io::Error>)
where
    I: Iterator<Item = io::Result<RawDoc>>,
{
    let (mut batch, mut bytes) = (Vec::new(), 0);
    while batch.len() < BATCH_DOCUMENTS && bytes < BATCH_BYTES {
        match docs.next() {
            None => break,
            Some(Err(e)) => return (batch, Some(e)),
            Some(Ok(doc)) => {
                bytes += doc.bytes.len();
                batch.push(doc);
            }
        }
    }
    (batch, None)
}

#[cfg(test)]
mod tests;
