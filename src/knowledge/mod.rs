//! What we know about the world, as data tables: each row names the public file it was
//! read from. Code in the layers above walks these tables; adding an image, a kind or a
//! launch profile is one row (and one fixture), not a new branch. Imports nothing of ours.
//!
//! - [`kinds`]: which kinds carry a pod template, and where;
//! - [`images`]: image families, their runtime and the part they play in a pod;
//! - [`launch`]: the options variable each JVM image's launch script reads;
//! - [`evidence`]: what in a manifest tells a container's runtime;
//! - [`image_config`]: what in an image's config tells it, and how the image launches;
//! - [`agents`]: how other agents mark a pod;
//! - [`production`]: the keys other APMs put on production workloads;
//! - [`sidecars`]: containers that are never the application;
//! - [`pinpoint`]: Pinpoint's own rules, and where its agent writes;
//! - [`image_volume`]: what Kubernetes and the controllers do with an image volume;
//! - [`pod_security`]: the Pod Security Standards' limits on a container's `securityContext`;
//! - [`shell`]: the characters a POSIX shell reads as text;
//! - [`ours`]: the annotations and variables this tool writes.

pub mod agents;
pub mod evidence;
pub mod image_config;
pub mod image_volume;
pub mod images;
pub mod kinds;
pub mod launch;
pub mod ours;
pub mod pinpoint;
pub mod pod_security;
pub mod production;
pub mod shell;
pub mod sidecars;
