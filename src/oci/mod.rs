//! OCI images as data: image references ([`Reference`]: `nginx` is
//! `docker.io/library/nginx:latest`), platforms ([`Platform`]: `linux/arm64/v8`) and the
//! `config` object of an image config ([`ImageConfig`]).
//! A bottom layer: it imports nothing of ours, reads no file and opens no connection,
//! so the config, the image facts and the registry reader can all share it.

mod config;
mod loopback;
mod platform;
mod reference;

pub use config::{ConfigShapeError, ImageConfig};
pub use loopback::is_loopback_registry;
pub use platform::{Platform, PlatformError};
pub use reference::{Reference, ReferenceError, ReferenceProblem, check_digest};
