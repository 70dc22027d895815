//! What processing a list's items produced besides the text it wrote: its results,
//! whether one is an error, and the report's rows (or their counts); and how to do it.

use crate::decide::report::{Row, Tally};
use crate::run::diag::Diagnostic;
use crate::run::limits;

/// The outcome of a list's items (the list itself is written as it is made).
#[derive(Debug, Default)]
pub struct Outcome {
    /// This run's results (a ResourceList's earlier ones are written back, not repeated here).
    pub results: Vec<Diagnostic>,
    pub failed: bool,
    /// The report's rows, one per workload container (when [`Options::keep_rows`]).
    pub rows: Vec<Row>,
    /// The rows counted for the summary line.
    pub tally: Tally,
}

impl Outcome {
    /// Count a row, and keep it when asked to.
    pub fn add_row(&mut self, row: Row, keep: bool) {
        self.tally.add(&row);
        if keep {
            self.rows.push(row);
        }
    }
}

/// How a list's items are processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The largest item parsed, and the largest list read whole.
    pub max_document: usize,
    /// Keep every report row (`report`), not only their counts.
    pub keep_rows: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_document: limits::DEFAULT_MAX_DOCUMENT,
            keep_rows: true,
        }
    }
}
