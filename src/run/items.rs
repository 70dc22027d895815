//! The items of a list, one at a time: a ResourceList's in KRM mode ([`crate::run::krm`]),
//! a `v1 List`'s in a stream. Each item is parsed, transformed and written as soon as it
//! is made, the rest of the list copied from the input: memory holds the input and one
//! item, not the whole list parsed nor a second copy of it.

mod each;
mod item;
mod outcome;
mod rendered;
mod writer;

pub use each::{every_item, items_fit, list_document, outline_of};
pub use outcome::{Options, Outcome, shown};
pub use rendered::{Format, Rendered, block_item};
pub use writer::Writer;
