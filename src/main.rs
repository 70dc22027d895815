//! The shell: read stdin, pick the mode, run the core, write stdout and stderr.

mod cli;
mod shell;

use anyhow::Context;
use clap::Parser;
use pinpoint_inject::config;
use pinpoint_inject::decide::report;
use pinpoint_inject::run::diag::{Diagnostic, Severity};
use pinpoint_inject::run::{images, krm, limits, stream};
use std::io::{self, BufReader, Write};
use std::os::fd::AsFd;
use std::process::ExitCode;

fn main() -> ExitCode {
    shell::allocator::give_memory_back_at_once();
    let cli = cli::Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            // Best effort: a stderr that cannot be written changes nothing about the exit.
            let _ = writeln!(io::stderr(), "pinpoint-inject: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: &cli::Cli) -> anyhow::Result<ExitCode> {
    // Checked in both modes, whether the input is long enough to use threads or not: a
    // wrong value is never ignored.
    let threads = stream::Threads::from_env().map_err(anyhow::Error::msg)?;
    let max_document = limits::max_document_from_env().map_err(anyhow::Error::msg)?;
    // Never dropped: the process ends with the run, and freeing thousands of entries
    // one by one would only cost time.
    let mut facts = std::mem::ManuallyDrop::new(shell::read::facts(&cli.image_facts_paths())?);
    let report_json = match &cli.command {
        Some(cli::Command::Report { json }) => Some(*json),
        _ => None,
    };
    // Our own handle on stdout: the standard one takes a closed stdout for a sink and
    // reports success for every write.
    let stdout = io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .ok()
        .filter(|file| !was_closed(file))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "stdout is closed: nothing could be written (redirect it to a file, or to /dev/null to drop it)"
            )
        })?;
    let mut out = Stdout(io::BufWriter::with_capacity(64 * 1024, stdout));
    let stdin = BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut docs = stream::Splitter::new(stdin).first_capacity(stdin_file_size());
    // The mode is chosen by the first document with content: empty ones before it (blank
    // lines, comments, markers: kio's ByteReader skips them) are read with it.
    let (empty, mut first) = stream::first_content(&mut docs).context("reading stdin")?;
    // Each line in one write (a line's parts, written one by one, cost a system call
    // each: a stream of 200,000 small workloads wrote 600,000 times).
    let mut err = Stderr(io::LineWriter::new(io::stderr().lock()));

    if let Some(cli::Command::Images {
        output,
        update,
        strict,
    }) = &cli.command
    {
        let request = shell::images::Request {
            output: output.as_deref(),
            update: update.as_deref(),
            strict: *strict,
        };
        // The kinds the config adds, when one is given.
        let configured = match cli.config_path() {
            Some(path) => {
                config::load(&shell::read::config(&path)?)
                    .with_context(|| format!("config file {}", path.display()))?
                    .settings
                    .workloads
            }
            None => Vec::new(),
        };
        let list = first
            .as_ref()
            .is_some_and(|first| krm::looks_like_resource_list(&first.bytes));
        let all = read_all(empty, first, docs)?;
        let found = match list {
            true => {
                let input: Vec<u8> = all.iter().flat_map(|d| d.bytes.iter().copied()).collect();
                images::of_list(&input, &configured)
            }
            false => images::of_stream(&all, &configured),
        };
        return shell::images::run(cli, &request, found, &mut out, &mut err);
    }

    // Taken, not cloned: in KRM mode the first document is usually the whole input.
    if let Some(first) = first.take_if(|first| krm::looks_like_resource_list(&first.bytes)) {
        let mut input = match empty.is_empty() {
            true => first.bytes,
            false => [empty, first.bytes].concat(),
        };
        for doc in docs {
            input.extend_from_slice(&doc.context("reading stdin")?.bytes);
        }
        let fallback = match cli.config_path() {
            Some(path) => Some(shell::read::config(&path)?),
            None => None,
        };
        if cli.fetch_images {
            let configured = fallback
                .as_ref()
                .and_then(|c| config::load(c).ok())
                .map(|loaded| loaded.settings.workloads)
                .unwrap_or_default();
            let found = images::of_list(&input, &configured);
            shell::fetch::missing(cli, &mut facts, &found, &mut err)?;
        }
        let options = krm::Options {
            max_document,
            keep_rows: report_json.is_some(),
            workers: threads.workers,
        };
        let run = krm::Run {
            fallback: fallback.as_ref(),
            overrides: &cli.overrides(),
            facts: &facts,
            options: &options,
        };
        if let Some(json) = report_json {
            let output = krm::process_owned(input, &run, &mut io::sink())?;
            // The rows are the workloads': what is wrong with the list itself (no config,
            // a syntax error) goes to stderr, as a run's errors do.
            for result in output
                .results
                .iter()
                .filter(|r| r.severity == Severity::Error)
            {
                writeln!(err, "pinpoint-inject: {}", result.line())?;
            }
            print_report(&mut out, &output.rows, json)?;
            return Ok(exit(output.failed));
        }
        let output = krm::process_owned(input, &run, &mut out)?;
        out.flush()?;
        for result in output.results.iter().filter(|r| {
            r.severity != Severity::Info
                || pinpoint_inject::decide::unknown::is_unknown_kind_note(&r.message)
        }) {
            writeln!(err, "pinpoint-inject: {}", result.line())?;
        }
        let errors = output
            .results
            .iter()
            .filter(|r| r.severity == Severity::Error)
            .count();
        writeln!(err, "pinpoint-inject: {}", output.tally.summary(errors))?;
        return Ok(exit(output.failed));
    }

    let Some(path) = cli.config_path() else {
        anyhow::bail!(
            "no config: pass --config FILE or set {} to a file holding a {} (see --help)",
            cli::CONFIG_ENV,
            config::KIND
        );
    };
    let loaded = config::load_with(&shell::read::config(&path)?, &cli.overrides())
        .with_context(|| format!("config file {}", path.display()))?;
    for warning in loaded.warnings {
        writeln!(
            err,
            "pinpoint-inject: {}",
            Diagnostic::warning(warning).line()
        )?;
    }
    // With --fetch-images the whole stream is read first: the images it names are known
    // before the first document is decided.
    let docs: Box<dyn Iterator<Item = io::Result<stream::RawDoc>>> = if cli.fetch_images {
        let all = read_all(empty, first, docs)?;
        let found = images::of_stream(&all, &loaded.settings.workloads);
        shell::fetch::missing(cli, &mut facts, &found, &mut err)?;
        Box::new(all.into_iter().map(Ok))
    } else {
        Box::new(in_order(empty, first, docs))
    };
    let options = stream::Options {
        threads,
        max_document,
        keep_rows: report_json.is_some(),
    };
    if let Some(json) = report_json {
        // The same processing as a run; the manifests are dropped, errors still shown
        // (a document that does not parse has a row of its own too).
        let mut log = Vec::new();
        let summary = stream::run_with(
            docs,
            &loaded.settings,
            &facts,
            &mut io::sink(),
            &mut log,
            options,
        )
        .context("processing the stream")?;
        for line in String::from_utf8_lossy(&log).lines() {
            if line.starts_with("pinpoint-inject: error: ") {
                writeln!(err, "{line}")?;
            }
        }
        print_report(&mut out, &summary.rows, json)?;
        return Ok(exit(summary.errors > 0));
    }
    let summary = stream::run_with(docs, &loaded.settings, &facts, &mut out, &mut err, options)
        .context("processing the stream")?;
    // What the run decided, in one line (Helm shows stderr only when a run fails); a
    // stream with no workload and no error has nothing to summarize.
    if !summary.tally.is_empty() || summary.errors > 0 {
        writeln!(
            err,
            "pinpoint-inject: {}",
            summary.tally.summary(summary.errors)
        )?;
    }
    if summary.errors > 0 {
        writeln!(
            err,
            "pinpoint-inject: {} error(s); every document was written, those with errors unchanged",
            summary.errors
        )?;
    }
    Ok(exit(summary.errors > 0))
}

/// True when stdout was closed when the process started: the standard library then
/// opens /dev/null in its place, for reading and writing. A shell's `> /dev/null` opens
/// it for writing only, so that one cannot be read from.
fn was_closed(stdout: &std::fs::File) -> bool {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let (Ok(ours), Ok(null)) = (stdout.metadata(), std::fs::metadata("/dev/null")) else {
        return false;
    };
    ours.dev() == null.dev()
        && ours.ino() == null.ino()
        && ours.rdev() == null.rdev()
        && (&*stdout).read(&mut [0u8; 1]).is_ok()
}

/// stdout, its errors named as such (`writing stdout: No space left on device`).
struct Stdout(io::BufWriter<std::fs::File>);

impl Stdout {
    fn named(e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("writing stdout: {e}"))
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(Stdout::named)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf).map_err(Stdout::named)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(Stdout::named)
    }
}

/// stderr, written on a best-effort basis: the log is not the output, so a stderr that is
/// closed, full or a pipe nobody reads neither stops the run nor changes its exit code
/// (only stdout's errors do).
struct Stderr<W>(W);

impl<W: Write> Write for Stderr<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// The size of stdin when it is a regular file (`< file`), else 0 (a pipe: unknown).
fn stdin_file_size() -> usize {
    use std::os::fd::AsFd;
    io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|file| file.metadata())
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map_or(0, |m| {
            usize::try_from(m.len()).unwrap_or(0).min(MAX_RESERVED)
        })
}

/// The most reserved up front for stdin (larger files grow the buffer as they are read):
/// a reservation is address space even when untouched, and a memory limit on address
/// space (`ulimit -v`) must not fail a run that reading by growth would have passed.
const MAX_RESERVED: usize = 64 << 20;

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The rows as a table or as pretty JSON, written as they are made (no copy of all of
/// them as text).
fn print_report(out: &mut impl Write, rows: &[report::Row], json: bool) -> anyhow::Result<()> {
    if json {
        serde_json::to_writer_pretty(&mut *out, rows)?;
        out.write_all(b"\n")?;
    } else {
        for line in report::table(rows) {
            out.write_all(line.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Every document of stdin, in order: the empty ones read ahead of the first with
/// content (split again from their text: the same documents), that one, the rest.
fn in_order(
    empty: Vec<u8>,
    first: Option<stream::RawDoc>,
    rest: impl Iterator<Item = io::Result<stream::RawDoc>>,
) -> impl Iterator<Item = io::Result<stream::RawDoc>> {
    stream::Splitter::new(io::Cursor::new(empty))
        .chain(first.map(Ok))
        .chain(rest)
}

/// Every document of stdin ([`in_order`]), read.
fn read_all(
    empty: Vec<u8>,
    first: Option<stream::RawDoc>,
    rest: impl Iterator<Item = io::Result<stream::RawDoc>>,
) -> anyhow::Result<Vec<stream::RawDoc>> {
    in_order(empty, first, rest)
        .collect::<io::Result<_>>()
        .context("reading stdin")
}
