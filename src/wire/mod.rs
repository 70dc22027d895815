//! The edits of one pod template: the agent volume, the copy step, and in each target
//! container the mount and the JVM options; and the exact undo of an earlier run's
//! edits. Decisions ([`crate::decide::targets::Target`]) and settings go in, an edited
//! template comes out. Imports [`crate::decide`], [`crate::config`] and
//! [`crate::knowledge`] only.
//!
//! - [`inject`]: the wiring, planned per container ([`plan`]) before anything changes;
//! - [`env_add`]: our variables in a container's `env`;
//! - [`unwire`]: the undo, of what [`recognise`] (with [`env_wiring`]) finds the
//!   [`marker`] names, when its checksum ([`sum`]) matches;
//! - [`copy_step`]: the `emptyDir` and the init container that fills it;
//! - [`image_volume`]: the agent image mounted read-only, and a volume for its logs;
//! - [`flags`]: the JVM flags in `PINPOINT_AGENT_OPTS`;
//! - [`dangling`]: the user's references to our variables, which an edit must keep
//!   resolving;
//! - [`value_edit`]: small order-keeping edits of generic values;
//! - [`error`]: why a template cannot be wired.

pub mod copy_step;
mod dangling;
mod env_add;
mod env_wiring;
pub mod error;
pub mod flags;
pub mod image_volume;
pub mod inject;
mod marker;
mod plan;
mod recognise;
mod sum;
pub mod unwire;
pub mod value_edit;
