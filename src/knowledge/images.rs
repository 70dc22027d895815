//! The table of image repository families: which images run a JVM and which do not,
//! and what part they play in a pod. Matched registry-independently
//! (`docker.io/bitnami/postgresql:17`, `bitnamilegacy/postgresql` and `postgresql` are
//! one family). Each row names the public file its runtime was read from.

mod families;
mod matching;

pub use families::{FAMILIES, Family, Role, Runtime};
pub use matching::{family, matches, repository, tag};
