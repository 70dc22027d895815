//! What a KRM run produced besides the ResourceList it wrote: its results, whether one
//! is an error, and the report's rows.

use crate::decide::report::Row;
use crate::run::diag::Diagnostic;

/// The apiVersion we answer with when the input gave us none we could read.
pub const DEFAULT_API_VERSION: &str = "config.kubernetes.io/v1";

/// The outcome of a KRM run (the ResourceList itself is written as it is made).
#[derive(Debug, Default)]
pub struct Outcome {
    /// This run's results (the list's earlier ones are written back, not repeated here).
    pub results: Vec<Diagnostic>,
    pub failed: bool,
    /// The report's rows, one per workload container.
    pub rows: Vec<Row>,
}
