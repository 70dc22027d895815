//! Deciding, from one resource, the config and what is known about its images: whether
//! the workload is selected, which containers get the agent, under which application
//! name, through which options variable, and why every other container is left alone.
//! Config and knowledge go in; decisions (targets, report rows, warnings) come out.
//! Imports [`crate::config`] and [`crate::knowledge`] only.
//!
//! - [`select`]: is the workload selected;
//! - [`pod`]: a Windows pod, and container names Kubernetes does not read as names;
//! - [`targets`]: which containers, by explicit choice or by policy;
//! - [`classify`]: each container's runtime and role, with the evidence;
//! - [`naming`]: the application name of each target;
//! - [`launch`]: the options variable of each target;
//! - [`foreign`]: another agent already there;
//! - [`image`]: what a container's image config says (runtime, launch, agents, Java);
//! - [`known`]: the site's rule and the image facts for a container's image;
//! - [`keys`], [`fields`]: reading a resource's keys and fields;
//! - [`unknown`], [`notes`]: what to say about kinds outside the table and some inside it;
//! - [`report`]: the decisions as rows.

pub mod classify;
pub mod fields;
pub mod foreign;
pub mod image;
pub mod keys;
pub mod known;
pub mod launch;
pub mod naming;
pub mod notes;
pub mod pod;
pub mod report;
pub mod select;
pub mod targets;
pub mod unknown;
