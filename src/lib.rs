//! pinpoint-inject: wires the Pinpoint APM Java agent into Kubernetes workloads at build
//! time, as a kustomize/kpt KRM function and as a Helm post-renderer.
//!
//! The crate is layered, and each layer is a folder that imports only the layers below
//! it (`tests/architecture.rs` checks this on every path in the code):
//!
//! | layer | what it is | may import |
//! |---|---|---|
//! | [`value`] | generic values: a key looked up in a small mapping without hashing it | nothing of ours |
//! | [`yaml`] | text in and out: values, spans, the fast path, diffs and patches | value |
//! | [`oci`] | image references, platforms, image configs | nothing of ours |
//! | [`knowledge`] | the data tables, each row with its source | nothing of ours |
//! | [`config`] | the function config, parsed and then validated into `Settings` | oci, knowledge, value |
//! | [`facts`] | image facts: what each image's config says, indexed by reference | oci, knowledge, value |
//! | [`decide`] | which containers, which names, which options variable | facts, config, oci, knowledge, value |
//! | [`wire`] | the edits of a pod template: the wiring and its exact undo | decide and below |
//! | [`run`] | the core transform and the two input shapes (stream, KRM) | every layer above |
//! | [`registry`] | the network edge: image configs from OCI registries | facts, oci |
//!
//! `main.rs` and `cli.rs` are the shell: read stdin, pick the mode, write stdout; they
//! alone import [`registry`], the only code that opens a connection.

pub mod config;
pub mod decide;
pub mod facts;
pub mod knowledge;
pub mod oci;
pub mod registry;
pub mod run;
pub mod value;
pub mod wire;
pub mod yaml;
