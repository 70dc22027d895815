//! The text layer: YAML in and out, the way Kubernetes reads it. It knows nothing of
//! workloads or of the rest of the crate, and imports only the value layer below it.
//!
//! - [`value`]: a whole document to a generic value and back (serde-saphyr), with
//!   YAML 1.1 scalars and an emitter that quotes what go-yaml would misread;
//! - [`read`]: a document to a value through the fast path when it can;
//! - [`exact`]: values read and copied with no spare room (large workloads);
//! - [`split`]: a multi-document stream into documents, without parsing;
//! - [`document`]: the head of a document (empty, a resource, not a resource);
//! - [`spans`] and [`lines`]: where each node sits in the text (granit-parser events);
//!   [`check`]: one pass that builds nothing (well formed? top-level keys? keys written
//!   twice?), with [`keyset`]: the keys of one mapping;
//! - [`quick`]: the one-pass fast path for the block YAML Helm and kustomize write;
//! - [`outline`]: where each item of a ResourceList sits;
//! - [`fingerprint`]: each node of the span tree given its value's hash;
//! - [`diff`], [`replaced`], [`patch`], [`render`]: what changed between a document's
//!   text and the value the core made of it, placed in the text and applied to its
//!   bytes, everything else copied;
//! - [`scalars`]: the plain scalars go-yaml and we read differently;
//! - [`twice`]: a key written twice, read as Kubernetes reads it and named;
//! - [`breaks`]: NEL, LINE and PARAGRAPH SEPARATOR, line breaks to Kubernetes and
//!   characters to us;
//! - [`merges`]: a key written above a merge key (`<<`) that also gives it, which
//!   Kubernetes reads from the merge and we from the key.

pub mod aliases;
pub mod breaks;
pub mod check;
pub mod diff;
pub mod document;
pub mod exact;
pub mod fingerprint;
pub mod keyset;
pub mod lines;
pub mod merges;
pub mod outline;
pub mod patch;
pub mod quick;
pub mod read;
pub mod render;
pub mod replaced;
pub mod scalars;
pub mod spans;
pub mod split;
pub mod twice;
pub mod value;

pub use read::value_of;
pub use value::{ListStyle, YamlError, from_str, from_str_strict, to_string};
