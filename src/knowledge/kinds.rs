//! The one table from workload kind to the path of its pod template: the built-in rows
//! ([`builtin`]) and the kinds a config names under `spec.workloads` ([`configured`]).
//!
//! Everything that is not in this table passes through untouched
//! ([`crate::decide::unknown`] says so when it looks like it carries a pod anyway).

mod builtin;
mod configured;
mod kind;
mod podless;
mod row;

pub use configured::{CONFIG_SOURCE, custom};
pub use kind::{WorkloadKind, group_of, is_list, may_be_workload_text};
pub use podless::holds_no_pod;
pub use row::Note;

#[cfg(test)]
mod tests;
