//! The shell around the library, beside `main.rs` and `cli.rs`: the allocator
//! ([`allocator`]), reading the files a run names ([`read`]), the `images` subcommand
//! ([`images`]) and `--fetch-images` ([`fetch`]), the only callers of the registry reader.

pub mod allocator;
pub mod fetch;
pub mod images;
pub mod read;
