//! The fast path for the block YAML that Helm, kustomize and kpt write: one pass over a
//! document that builds both the value the core decides on and the span tree the edits
//! are placed with ([`load`]), or only checks it is well formed ([`check`]), or outlines a
//! ResourceList ([`outline`]).
//!
//! It reads a subset, and reads it exactly: block mappings and sequences indented with
//! spaces, plain and one-line quoted scalars, literal block scalars, one-line flow
//! collections, comments. Anything else (anchors, aliases, tags, complex keys, tabs,
//! multi-line plain, quoted or flow scalars, duplicate keys, a scalar whose type only
//! YAML 1.1's rules can tell) makes it give up, and the caller takes the full parser
//! (serde-saphyr and granit-parser), which also writes every error message. A plain
//! scalar that might be typed is read by serde-saphyr itself ([`scalar::resolve`]).
//! Debug builds (every test, the fuzz target) check each answer against the full parser.

mod block;
mod flow;
#[cfg(test)]
mod flow_tests;
pub mod json;
#[cfg(debug_assertions)]
mod oracle;
mod outline;
mod scalar;
mod scan;
mod shallow;
#[cfg(test)]
mod shallow_tests;
#[cfg(test)]
mod tests;

use crate::yaml::spans::Node;
use serde_json::Value;
use serde_saphyr::granit_parser::ScalarStyle;
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// Built with `--features no-fast-path`, every document takes the full parser: what the
/// fast path buys is measured that way (BENCHMARKS.md, "What each reader buys").
const OFF: bool = cfg!(feature = "no-fast-path");

/// The fast path does not read this document: take the full parser.
#[derive(Debug)]
pub struct Bail;

type R<T> = Result<T, Bail>;

/// A document read on the fast path: its value, and its span tree with the value's
/// fingerprints ([`crate::yaml::fingerprint`]).
#[derive(Debug)]
pub struct Loaded<'t> {
    pub value: Value,
    pub root: Node<'t>,
}

impl<'t> Loaded<'t> {
    pub fn new(value: Value, mut root: Node<'t>) -> Loaded<'t> {
        crate::yaml::fingerprint::fingerprint(&mut root, &value);
        Loaded { value, root }
    }
}

/// The value and span tree of the one document in `text`, when it is in the subset.
pub fn load(text: &str) -> Option<Loaded<'_>> {
    if OFF {
        return None;
    }
    let mut s = Scanner::new(text, true);
    s.shallow = true;
    let (out, _) = s.document().ok()?;
    let loaded = Loaded::new(out.value, out.node);
    #[cfg(debug_assertions)]
    oracle::agrees_with_full_parser(text, &loaded.value, &loaded.root);
    Some(loaded)
}

/// The value of the one document in `text`, when it is in the subset: [`load`] without
/// the span tree (a config or an image facts file is read, never edited).
pub fn value(text: &str) -> Option<Value> {
    if OFF {
        return None;
    }
    let mut s = Scanner::new(text, true);
    s.spans = false;
    let (out, _) = s.document().ok()?;
    #[cfg(debug_assertions)]
    oracle::agrees_on_value(text, &out.value);
    Some(out.value)
}

/// The number of top-level entries of the one document in `text` (a mapping), when it
/// is in the subset, well formed and free of duplicate keys; what
/// [`crate::yaml::check::top_level_entries`] answers, without building anything.
pub fn check(text: &str) -> Option<usize> {
    if OFF {
        return None;
    }
    let (_, entries) = Scanner::new(text, false).document().ok()?;
    #[cfg(debug_assertions)]
    if !oracle::unchecked(text) {
        assert_eq!(
            crate::yaml::check::top_level_entries(text, false),
            Ok(Some(entries)),
            "the fast path's check disagrees with the full parser on:\n{text}"
        );
    }
    Some(entries)
}

/// The outline of a ResourceList ([`crate::yaml::outline::read`]'s answer) from one pass that
/// keeps the spans of the list's top-level entries and of its items only (each item's
/// `apiVersion` and `kind` taken as it is read), so memory stays bounded by the items.
pub fn outline(text: &str) -> Option<crate::yaml::outline::Outline> {
    if OFF {
        return None;
    }
    let mut s = Scanner::new(text, false);
    s.keep = 3;
    let (root, _) = s.document().ok()?;
    let outline = outline::outline_of(text, &root.node, std::mem::take(&mut s.outlined))?;
    #[cfg(debug_assertions)]
    if !oracle::unchecked(text) {
        assert_eq!(
            crate::yaml::outline::read(text).as_ref(),
            Ok(&outline),
            "the fast path's outline disagrees with the full parser on:\n{text}"
        );
    }
    Some(outline)
}

/// A node read: its value (`Null` when not building) and its spans.
struct Out<'t> {
    value: Value,
    node: Node<'t>,
}

/// A mapping key on its line.
struct Key<'t> {
    start: usize,
    end: usize,
    /// Just past the `:`.
    colon_end: usize,
    text: Cow<'t, str>,
    style: ScalarStyle,
}

struct Scanner<'t> {
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    /// 1-based line of `pos`, and where that line starts.
    line: usize,
    line_start: usize,
    /// The indentation of the content line `pos` stands on (at its first character);
    /// `None` at the end of the text.
    indent: Option<usize>,
    build: bool,
    /// When building: the span tree too (off for [`value`], which wants the value only).
    spans: bool,
    depth: usize,
    /// When only checking: the nesting levels whose entries and items are still kept in
    /// the span tree (for [`outline`]; 0 keeps none).
    keep: usize,
    /// For [`outline`]: the items of each outlined list (by the list's start), taken
    /// as they are read (`None`: an item the full parser places elsewhere).
    outlined: Vec<(usize, Option<Vec<crate::yaml::outline::Item>>)>,
    /// The entries of the mappings being built while they have few, each mapping's
    /// after its parent's (see `block::Built`).
    pairs: Vec<(String, Value)>,
    /// Key lists of closed mappings, for the next ones to reuse.
    spare: Vec<Vec<Cow<'t, str>>>,
    /// The last column computed: its line's start, its offset and the column.
    last_col: std::cell::Cell<(usize, usize, usize)>,
    /// Whether long collections, and the mappings that are items of a long block
    /// sequence, are kept shallow (see [`shallow::SHALLOW_AFTER`]); only [`load`] keeps
    /// them so.
    shallow: bool,
    /// When reading a shallow flow collection again: its children are fingerprinted as
    /// they are read and their values dropped, as the collection's own fingerprint is
    /// known (a copy of a long collection's value would cost as much as its nodes).
    loose: bool,
    /// Inside a flow collection: how many spaces a line it goes on to must start with
    /// (more than the line it started on, any for the document's root; see
    /// `Scanner::flow_space`).
    flow_min: Option<usize>,
}

/// Bytes that never appear in the subset: tabs, carriage returns, other controls.
fn unsupported_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\n') || b == 0x7f
}

/// Characters that YAML 1.1 or 1.2 reads as line breaks or forbids, or a byte order mark.
fn unsupported_char(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

const MAX_DEPTH: usize = 64;

/// The first `needle` in `haystack`.
fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// A block mapping read, and how many entries it has.
struct MapOut<'t> {
    out: Out<'t>,
    entries: usize,
}

/// The keys of a mapping being checked (not built), to find a duplicate. Past 32 keys
/// only a 64-bit hash of each is kept (with a key chosen per mapping, so that no input can
/// aim for collisions): a million keys on one line cost 8 bytes each instead of a copy of
/// the key's place. Two keys with the same hash count as a duplicate, and a duplicate only
/// sends the document to the full parser, so a collision costs time, never an answer.
struct Keys<'t> {
    count: usize,
    few: Vec<Cow<'t, str>>,
    many: Option<(RandomState, HashSet<u64>)>,
}

impl<'t> Keys<'t> {
    fn insert(&mut self, key: Cow<'t, str>) -> R<()> {
        if let Some((state, many)) = &mut self.many {
            return if many.insert(state.hash_one(&key)) {
                Ok(())
            } else {
                Err(Bail)
            };
        }
        if self.few.contains(&key) {
            return Err(Bail);
        }
        self.few.push(key);
        if self.few.len() == 32 {
            let state = RandomState::new();
            let many: HashSet<u64> = self.few.drain(..).map(|k| state.hash_one(&k)).collect();
            if many.len() < 32 {
                return Err(Bail);
            }
            self.many = Some((state, many));
        }
        Ok(())
    }

    /// The list, emptied, for reuse.
    fn done(mut self) -> Vec<Cow<'t, str>> {
        self.few.clear();
        self.few
    }
}
