//! What processing a list's items produced besides the text it wrote: its results,
//! whether one is an error, and the report's rows (or their counts); and how to do it.

use super::rendered::Rendered;
use crate::decide::report::{Row, Tally};
use crate::decide::unknown;
use crate::run::diag::{Diagnostic, Severity};
use crate::run::limits;

/// The outcome of a list's items (the list itself is written as it is made).
#[derive(Debug, Default)]
pub struct Outcome {
    /// This run's results (a ResourceList's earlier ones are written back, not repeated
    /// here); with [`Outcome::rendered`], only those a run also shows on stderr.
    pub results: Vec<Diagnostic>,
    /// Every result made into its text as it comes (a ResourceList's, which a list of
    /// many items would otherwise hold as values until its items are written).
    pub rendered: Option<Rendered>,
    pub failed: bool,
    /// The report's rows, one per workload container (when [`Options::keep_rows`]).
    pub rows: Vec<Row>,
    /// The rows counted for the summary line.
    pub tally: Tally,
}

impl Outcome {
    /// Results made into text of `rendered`'s format as they come.
    pub fn rendering(rendered: Rendered) -> Outcome {
        Outcome {
            rendered: Some(rendered),
            ..Outcome::default()
        }
    }

    /// An empty outcome that makes its results as this one does (for one item).
    pub fn empty_like(&self) -> Outcome {
        Outcome {
            rendered: self.rendered.as_ref().map(Rendered::empty_like),
            ..Outcome::default()
        }
    }

    /// Add a result.
    pub fn result(&mut self, result: Diagnostic) {
        match &mut self.rendered {
            None => self.results.push(result),
            Some(rendered) => {
                rendered.push(&result);
                if shown(&result) {
                    self.results.push(result);
                }
            }
        }
    }

    /// Add what another outcome (one item's) holds, after what this one holds.
    pub fn merge(&mut self, other: Outcome) {
        match (&mut self.rendered, other.rendered) {
            (Some(mine), Some(theirs)) => {
                mine.append(theirs);
                self.results.extend(other.results);
            }
            (_, None) => other.results.into_iter().for_each(|r| self.result(r)),
            (None, Some(_)) => unreachable!("an item's outcome is made like its list's"),
        }
        self.failed |= other.failed;
        self.rows.extend(other.rows);
        self.tally.merge(other.tally);
    }

    /// Count a row, and keep it when asked to.
    pub fn add_row(&mut self, row: Row, keep: bool) {
        self.tally.add(&row);
        if keep {
            self.rows.push(row);
        }
    }
}

/// A result a KRM run also writes to stderr: anything but an info, and the note on a kind
/// outside the table.
pub fn shown(result: &Diagnostic) -> bool {
    result.severity != Severity::Info || unknown::is_unknown_kind_note(&result.message)
}

/// How a list's items are processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The largest item parsed, and the largest list read whole.
    pub max_document: usize,
    /// Keep every report row (`report`), not only their counts.
    pub keep_rows: bool,
    /// Worker threads for a long list's items (1: every item on the calling thread).
    pub workers: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_document: limits::DEFAULT_MAX_DOCUMENT,
            keep_rows: true,
            workers: 1,
        }
    }
}
