//! The core transform and the two input shapes around it. [`transform`] is the pure core:
//! one resource and the settings in, the edited resource, its results and its report
//! rows out; [`stream`] (Helm post-renderer, Argo CD) and [`krm`] (kustomize, kpt) read
//! the input, run the core on each resource and write the edits into the input's own
//! text. [`diag`] is the results as data. Imports every layer below it.

pub mod diag;
pub mod facts;
pub mod images;
pub mod items;
pub mod krm;
pub mod limits;
pub mod ordered;
pub mod stream;
pub mod transform;
