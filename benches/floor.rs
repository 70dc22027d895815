//! The parse-and-emit floor for `scripts/bench.sh`: read YAML documents from stdin, parse
//! each into a `serde_json::Value` and emit it again with the same library and options
//! as pinpoint-inject, doing nothing else. No tool built on serde-saphyr that parses and
//! re-emits every document can be faster than this.
//!
//! A bench target (`harness = false`), so it is never part of the installed binary:
//! `cargo bench --bench floor --no-run` builds it, `scripts/bench.sh` runs it.

use pinpoint_inject::yaml::split::Splitter;
use pinpoint_inject::yaml::{self, ListStyle};
use serde_json::Value;
use std::io::{self, BufReader, BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdin = BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    for doc in Splitter::new(stdin) {
        let doc = doc.expect("reading stdin");
        let text = std::str::from_utf8(&doc.bytes).expect("UTF-8 input");
        let value: Value = match yaml::from_str(text) {
            Ok(value) => value,
            Err(error) => {
                eprintln!("floor: document {}: {error}", doc.index);
                return ExitCode::FAILURE;
            }
        };
        out.write_all(b"---\n").expect("writing stdout");
        out.write_all(yaml::to_string(&value, ListStyle::detect(text)).as_bytes())
            .expect("writing stdout");
    }
    out.flush().expect("writing stdout");
    ExitCode::SUCCESS
}
