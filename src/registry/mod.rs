//! The network edge: reads image configs from OCI registries (the distribution API:
//! manifest, image index resolved to a platform, config blob, each digest verified),
//! with the credentials a Docker client would use. The only code that opens a
//! connection; only the shell (`main.rs`, `cli.rs`) imports it. It may import `oci` and
//! `facts`. See `docs/registry.md` for credentials, TLS, the cache, limits and retries.
//!
//! ```no_run
//! use pinpoint_inject::oci::Reference;
//! use pinpoint_inject::registry::{Options, fetch_all};
//!
//! let refs = [Reference::parse("nginx:1.27").unwrap()];
//! for result in fetch_all(&refs, &Options::default()) {
//!     match result {
//!         Ok(fetched) => println!("{} {} {}", fetched.reference, fetched.digest, fetched.config),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! ```

mod cache;
mod challenge;
mod digest;
mod error;
mod fetch;
mod http;
mod keychain;
mod manifest;
mod options;
mod session;
mod status;
mod token;

pub use cache::Cache;
pub use error::{Cause, FetchError};
pub use fetch::{Fetched, fetch_all, fetch_all_cached};
pub use options::Options;
