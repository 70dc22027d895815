//! Running a whole stream. Documents are independent, so once a stream proves long they
//! are processed by a few worker threads ([`crate::run::ordered`]) and written in input
//! order whatever order they finish in. A short render (a chart) never starts a thread.

use super::document::{Processed, process_doc, process_whole};
use super::label::Label;
use crate::config::Settings;
use crate::decide::report::{Row, Tally};
use crate::facts::Facts;
use crate::run::diag::Severity;
use crate::run::ordered::{Pool, Threads};
use crate::run::{items, limits};
use crate::yaml::document;
use crate::yaml::split::RawDoc;
use std::io::{self, Write};

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
            // A List document's items: made while the stream's workers wait for it.
            workers: threads.workers,
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
        let pool = Pool {
            workers: threads.workers,
            weight: &|doc: &RawDoc| doc.bytes.len(),
            process: &|doc: &RawDoc| process_doc(doc, (settings, facts), max),
        };
        pool.run(docs, &mut |doc, processed| writer.write(&doc, processed))?;
    }
    writer.flush_log()?;
    writer.out.flush()?;
    Ok(std::mem::take(&mut writer.summary))
}

#[cfg(test)]
mod tests;
