//! OCI images as data: image references ([`Reference`]: `nginx` is
//! `docker.io/library/nginx:latest`) and platforms ([`Platform`]: `linux/arm64/v8`).
//! A bottom layer: it imports nothing of ours, reads no file and opens no connection,
//! so the config, the image facts and the registry reader can all share it.

mod loopback;
mod platform;
mod reference;

pub use loopback::is_loopback_registry;
pub use platform::{Platform, PlatformError};
pub use reference::{Reference, ReferenceError, ReferenceProblem};
