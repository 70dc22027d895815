//! The span tree's nodes. A node may be kept *shallow*: its place without its entries
//! or items, which are read again from the text the first time anything asks for them
//! (an edit inside it). A mapping that is an item of a long sequence is kept so: a
//! large workload's env list, mounts or containers then cost one node per item instead
//! of a node per key and value, and the edits go into a few items at most. So is a long
//! flow mapping, and a long sequence of scalars (`args`, `command`): one node in all, as
//! nothing usually edits inside them.

use serde_saphyr::granit_parser::ScalarStyle;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::OnceLock;

/// One node of the document and the bytes it covers (`start..end`, content only: an
/// anchor or tag in front of it is outside).
#[derive(Debug, Clone)]
pub struct Node<'t> {
    /// What the node is; read through [`Node::kind`], which reads a shallow node's
    /// entries again.
    pub shape: Kind<'t>,
    pub start: usize,
    pub end: usize,
    /// 0-based column of `start`, in characters.
    pub col: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// An anchor, a tag, an alias or a merge key (`<<`) is in or on this node: text
    /// edited here could mean something else elsewhere, so it is never edited in place.
    pub special: bool,
    /// The fingerprint of the value the node reads as ([`crate::yaml::fingerprint`]),
    /// once given; what the diff compares the core's value with.
    pub hash: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'t> {
    Scalar {
        style: ScalarStyle,
        empty: bool,
    },
    Map {
        flow: bool,
        entries: Vec<Entry<'t>>,
    },
    Seq {
        flow: bool,
        items: Vec<Node<'t>>,
    },
    Alias,
    /// A collection whose entries or items were not kept: `text` is the document they
    /// are read from again, once, when asked for (with keys of their own, so that the
    /// tree stays a plain borrow of the text). Never the answer of [`Node::kind`].
    Shallow {
        text: &'t str,
        of: Shallow,
        read: OnceCell<Box<Node<'static>>>,
    },
}

/// What a shallow node is, as far as reading it again and placing a line after it need
/// to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shallow {
    /// A block mapping.
    Mapping,
    /// A flow collection (a mapping, an item of a flow sequence or not, or a sequence
    /// of scalars).
    Flow,
    /// A block sequence whose first items are plain or quoted scalars; `scalars` when
    /// all of them are (none is a block scalar, so no line after its last is part of its
    /// value); `indentless` when at its mapping key's own column, where it starts at its
    /// first item, not at its `-`.
    List { indentless: bool, scalars: bool },
}

/// One `key: value` pair of a mapping; `key` is the key's text value (empty for a key
/// that is not a scalar, which makes the mapping special).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'t> {
    pub key: Cow<'t, str>,
    pub key_node: Node<'t>,
    pub value: Node<'t>,
    /// The same key is written earlier in the mapping too. Kubernetes reads the last
    /// one, and so does the span tree, which keeps only this entry; removing it would
    /// bring the earlier one back.
    pub shadows: bool,
}

/// What reads a shallow node's collection again from its text: the reader that made it
/// (the fast path, [`crate::yaml::quick`], which sits above this module and hands its
/// reader in with [`reread_with`] before it makes the first shallow node).
pub type Reread = for<'t> fn(&'t str, &Node<'t>) -> Option<Node<'static>>;

static REREAD: OnceLock<Reread> = OnceLock::new();

/// Name the reader of shallow nodes (the first call wins; there is one reader).
pub fn reread_with(reader: Reread) {
    REREAD.get_or_init(|| reader);
}

impl<'t> Node<'t> {
    /// What the node is, a shallow node's entries read again the first time. A mapping
    /// that cannot be read again (never seen: its text was read the same way before) is
    /// answered as an alias, which no edit goes inside: it is then replaced as a whole.
    pub fn kind(&self) -> &Kind<'t> {
        match &self.shape {
            Kind::Shallow { text, read, .. } => {
                &read
                    .get_or_init(|| {
                        let again = REREAD.get().and_then(|reread| reread(text, self));
                        debug_assert!(again.is_some(), "a shallow node is not read again");
                        Box::new(again.unwrap_or_else(|| self.without_children().owned()))
                    })
                    .shape
            }
            kind => kind,
        }
    }

    /// The same place, as an alias (no entries or items, and nothing edited inside).
    fn without_children(&self) -> Node<'t> {
        Node {
            shape: Kind::Alias,
            start: self.start,
            end: self.end,
            col: self.col,
            line: self.line,
            special: self.special,
            hash: self.hash,
        }
    }

    /// The same node with keys of its own (a shallow node inside is no longer one:
    /// what reads a node again keeps every entry).
    pub fn owned(self) -> Node<'static> {
        let shape = match self.shape {
            Kind::Scalar { style, empty } => Kind::Scalar { style, empty },
            Kind::Map { flow, entries } => Kind::Map {
                flow,
                entries: entries
                    .into_iter()
                    .map(|e| Entry {
                        key: Cow::Owned(e.key.into_owned()),
                        key_node: e.key_node.owned(),
                        value: e.value.owned(),
                        shadows: e.shadows,
                    })
                    .collect(),
            },
            Kind::Seq { flow, items } => Kind::Seq {
                flow,
                items: items.into_iter().map(Node::owned).collect(),
            },
            Kind::Alias | Kind::Shallow { .. } => Kind::Alias,
        };
        Node {
            shape,
            start: self.start,
            end: self.end,
            col: self.col,
            line: self.line,
            special: self.special,
            hash: self.hash,
        }
    }

    /// This node kept shallow: its place in `text`, its entries or items to be read
    /// again.
    pub fn shallow(self, text: &'t str, of: Shallow) -> Node<'t> {
        Node {
            shape: Kind::Shallow {
                text,
                of,
                read: OnceCell::new(),
            },
            ..self.without_children()
        }
    }

    /// A flow collection (a shallow one answered without reading it).
    pub fn is_flow(&self) -> bool {
        if let Kind::Shallow { of, .. } = self.shape {
            return of == Shallow::Flow;
        }
        matches!(
            self.kind(),
            Kind::Map { flow: true, .. } | Kind::Seq { flow: true, .. }
        )
    }

    pub fn entries(&self) -> &[Entry<'t>] {
        match self.kind() {
            Kind::Map { entries, .. } => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node<'t>] {
        match self.kind() {
            Kind::Seq { items, .. } => items,
            _ => &[],
        }
    }
}

/// Two nodes are equal when they cover the same bytes the same way, a shallow one
/// compared by what it reads as (fingerprints aside).
impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        (self.start, self.end, self.col, self.line, self.special)
            == (other.start, other.end, other.col, other.line, other.special)
            && self.kind() == other.kind()
    }
}
