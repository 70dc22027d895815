//! pinpoint-inject: wires the Pinpoint APM Java agent into Kubernetes workloads at build
//! time, as a kustomize/kpt KRM function and as a Helm post-renderer.
//!
//! The core is pure ([`transform::transform`]: a resource and [`config::Settings`] in,
//! the edited resource and its results out); [`stream`] and [`krm`] are the two input
//! shapes around it, and `main.rs` is the thin I/O shell.

pub mod classify;
pub mod config;
pub mod copy_step;
pub mod diag;
pub mod diff;
pub mod document;
pub mod flags;
pub mod foreign;
pub mod images;
pub mod inject;
pub mod krm;
pub mod launch;
pub mod naming;
pub mod outline;
pub mod patch;
pub mod production;
pub mod quick;
pub mod render;
pub mod replaced;
pub mod report;
pub mod scalars;
pub mod spans;
pub mod stream;
pub mod targets;
pub mod transform;
pub mod unwire;
pub mod value_edit;
pub mod workload;
pub mod yaml;
