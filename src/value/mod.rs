//! The bottom layer: generic values (`serde_json::Value`), as every layer above reads
//! them. It imports nothing of ours.
//!
//! - [`field`]: a key looked up in a mapping, along it when it is small.

pub mod field;

pub use field::Field;
