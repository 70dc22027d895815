//! The multi-document stream (Helm post-renderer, plain `kubectl`-style YAML): split it
//! into documents without parsing, transform one document at a time (a long stream on a
//! few threads, [`run_with`], written back in order), and write every document that did
//! not change back byte for byte.

use crate::config::Settings;
use crate::facts::Facts;
use std::io::{self, Write};

mod around;
mod document;
mod label;
mod run;
mod unbuilt;

pub use crate::run::ordered::{THREADS_ENV, Threads};
pub use crate::yaml::split::{RawDoc, Splitter, first_content};
pub use document::{Processed, process_doc};
pub use label::Label;
pub use run::{Options, Summary, run_with};

/// Run a whole stream on the calling thread, without image facts ([`run_with`] takes
/// them, and spreads the work over threads):
/// every document is written, in order, whatever happens to the others (a document with
/// an error is written unchanged); results go to `diagnostics` as one line each.
pub fn run<I, W, E>(
    docs: I,
    settings: &Settings,
    out: &mut W,
    diagnostics: &mut E,
) -> io::Result<Summary>
where
    I: IntoIterator<Item = io::Result<RawDoc>>,
    W: Write,
    E: Write,
{
    run_with(
        docs,
        settings,
        &Facts::none(),
        out,
        diagnostics,
        Threads::ONE,
    )
}
