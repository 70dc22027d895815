//! pinpoint-inject: wires the Pinpoint APM Java agent into Kubernetes workloads at build
//! time, as a kustomize/kpt KRM function and as a Helm post-renderer.
//!
//! The core is pure ([`transform::transform`]: a resource and [`config::Settings`] in,
//! the edited resource and its results out); [`stream`] and [`krm`] are the two input
//! shapes around it, and `main.rs` is the thin I/O shell.

pub mod config;
pub mod diag;
pub mod diff;
pub mod document;
pub mod inject;
pub mod krm;
pub mod naming;
pub mod outline;
pub mod patch;
pub mod render;
pub mod scalars;
pub mod spans;
pub mod stream;
pub mod transform;
pub mod workload;
pub mod yaml;
