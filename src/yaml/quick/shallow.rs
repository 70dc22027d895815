//! What [`super::load`] keeps *shallow* in the span tree, and how a shallow node is read
//! again ([`crate::yaml::spans::Node::shallow`]): the large parts of a workload that no
//! edit goes into cost one node, not one per key and value.

use super::{Out, Scanner};
use crate::yaml::spans::{Kind, Node, Shallow};
use serde_saphyr::granit_parser::ScalarStyle;

/// Past this many items or entries, [`super::load`] keeps a collection's children shallow
/// ([`crate::yaml::spans::Node::shallow`]): their place only, read again by [`reread`]
/// if an edit goes inside.
/// - The mappings that are items of a sequence, past its first this many (block ones
///   of a block sequence, flow ones of a flow sequence). A workload with 30,000 env
///   entries peaked at 45.8 MiB, and at 34.2 MiB with them shallow (BENCHMARKS.md,
///   "Shallow items of long lists").
/// - A flow mapping with more than this many entries, and a sequence whose first this
///   many items are plain or quoted scalars: the whole collection, one node (a line of
///   120,000 flow `args`: BENCHMARKS.md, "Long collections kept as one node").
pub(super) const SHALLOW_AFTER: usize = 32;

/// A collection of `text` that [`super::load`] kept shallow, read again whole, the way the
/// collection around it read it the first time: its nodes one level down (a shallow
/// node inside it is no longer one), fingerprinted (a flow collection's children one by
/// one, without a copy of its value: see `Scanner::loose`).
pub(super) fn reread<'t>(text: &'t str, node: &Node<'t>) -> Option<Node<'static>> {
    let Kind::Shallow { of, .. } = node.shape else {
        return None;
    };
    let mut s = Scanner::new(text, true);
    s.line = node.line;
    s.line_start = crate::yaml::lines::line_start(text, node.start);
    let indent = s.b[s.line_start..]
        .iter()
        .take_while(|&&b| b == b' ')
        .count();
    s.indent = Some(indent);
    // An indentless sequence starts at its first item: its `-` opens the line.
    let indentless = matches!(
        of,
        Shallow::List {
            indentless: true,
            ..
        }
    );
    s.pos = if indentless {
        s.line_start + indent
    } else {
        node.start
    };
    s.loose = of == Shallow::Flow;
    let read = match of {
        Shallow::Flow => s.flow(),
        Shallow::List { .. } if indentless => s.seq(indent, true),
        Shallow::List { .. } => s.seq(node.col, false),
        Shallow::Mapping => {
            let key = s.key_at(s.pos).ok()??;
            s.map(node.col, key).map(|m| m.out)
        }
    };
    let Out {
        value,
        node: mut read,
    } = read.ok()?;
    if s.loose {
        read.hash = node.hash; // its children have theirs
    } else {
        crate::yaml::fingerprint::fingerprint(&mut read, &value);
    }
    (read.start == node.start && read.end == node.end && read.line == node.line)
        .then(|| read.owned())
}

/// A plain or quoted scalar (not a block scalar, whose value may take the blank lines
/// after it).
pub(super) fn one_line_scalar(node: &Node<'_>) -> bool {
    matches!(
        node.shape,
        Kind::Scalar {
            style: ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted,
            ..
        }
    )
}

impl<'t> Scanner<'t> {
    /// A mapping item of a long sequence (a block mapping, or a flow one in a flow
    /// sequence), kept shallow (debug builds check that it reads again as it did).
    pub(super) fn kept_shallow(&self, node: Node<'t>, of: Shallow) -> Node<'t> {
        crate::yaml::spans::reread_with(reread);
        #[cfg(debug_assertions)]
        let whole = node.clone();
        let node = node.shallow(self.text, of);
        #[cfg(debug_assertions)]
        assert!(
            reread(self.text, &node).is_some_and(|again| again == whole),
            "a shallow mapping reads again otherwise at line {}:\n{}",
            node.line,
            self.text
        );
        node
    }

    /// A long collection whose children were not kept, shallow as a whole (debug builds
    /// check that it reads again in the same place; what it reads as is checked against
    /// the full parser with the rest of the document).
    pub(super) fn kept_whole(&self, node: Node<'t>, of: Shallow) -> Node<'t> {
        crate::yaml::spans::reread_with(reread);
        let node = node.shallow(self.text, of);
        #[cfg(debug_assertions)]
        assert!(
            reread(self.text, &node).is_some_and(|again| {
                (again.start, again.end, again.col, again.line)
                    == (node.start, node.end, node.col, node.line)
            }),
            "a shallow collection reads again otherwise at line {}:\n{}",
            node.line,
            self.text
        );
        node
    }

    /// Whether the block sequence being read, with `kept` items so far and `next` read,
    /// stops keeping them from here on and is kept shallow as a whole: its first items
    /// are plain or quoted scalars.
    pub(super) fn goes_shallow(&self, kept: &[Node<'t>], next: &Node<'t>) -> bool {
        self.shallow
            && self.keeps()
            && kept.len() == SHALLOW_AFTER
            && one_line_scalar(next)
            && kept.iter().all(one_line_scalar)
    }
}
