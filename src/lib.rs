//! pinpoint-inject: wires the Pinpoint APM Java agent into Kubernetes workloads at build
//! time, as a kustomize/kpt KRM function and as a Helm post-renderer.
//!
//! The crate is layered, and each layer is a folder that imports only the layers below
//! it (`tests/architecture.rs` checks this on every `use` line):
//!
//! | layer | what it is | may import |
//! |---|---|---|
//! | [`yaml`] | text in and out: values, spans, the fast path, diffs and patches | nothing of ours |
//! | [`oci`] | image references and platforms | nothing of ours |
//! | [`knowledge`] | the data tables, each row with its source | nothing of ours |
//! | [`config`] | the function config, parsed and then validated into `Settings` | knowledge |
//! | [`decide`] | which containers, which names, which options variable | config, knowledge |
//! | [`wire`] | the edits of a pod template: the wiring and its exact undo | decide, config, knowledge |
//! | [`run`] | the core transform and the two input shapes (stream, KRM) | every layer above |
//!
//! | [`registry`] | the network edge: image configs from OCI registries | oci |
//!
//! `main.rs` and `cli.rs` are the shell: read stdin, pick the mode, write stdout; they
//! alone import [`registry`].

pub mod config;
pub mod decide;
pub mod knowledge;
pub mod oci;
pub mod registry;
pub mod run;
pub mod wire;
pub mod yaml;
