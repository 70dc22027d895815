//! The span tree of a JSON document, as [`crate::yaml::spans::parse`] builds it from
//! granit-parser's events: every node a flow collection or a scalar (a string
//! double-quoted, a number, `true`, `false` or `null` plain), each key's text decoded.

use super::lex::{self, GiveUp, Lexer, R, Sink, Token};
use crate::yaml::keyset::KeySet;
use crate::yaml::spans::{Entry, Kind, Node};
use serde_saphyr::granit_parser::ScalarStyle;
use std::borrow::Cow;

/// The span tree of `text`; `None` where the reader gives up, or a mapping writes a key
/// twice (the full path names it).
pub fn spans(text: &str) -> Option<Node<'_>> {
    let mut tree = Tree {
        open: Vec::new(),
        spare: Vec::new(),
        root: None,
    };
    lex::walk(text, &mut tree).ok()?;
    tree.root
}

enum Frame<'t> {
    Map {
        node: Node<'t>,
        entries: Vec<Entry<'t>>,
        keys: KeySet<'t>,
        key: Option<(Cow<'t, str>, Node<'t>)>,
    },
    Seq {
        node: Node<'t>,
        items: Vec<Node<'t>>,
    },
}

struct Tree<'t> {
    open: Vec<Frame<'t>>,
    /// Key sets of closed mappings, for the next ones.
    spare: Vec<KeySet<'t>>,
    root: Option<Node<'t>>,
}

/// A key's text: its bytes, or its escapes decoded as [`crate::yaml::spans`] decodes them.
pub fn key_text<'t>(at: &Lexer<'t>, key: Token) -> R<Cow<'t, str>> {
    match at.raw(key) {
        Some(raw) => Ok(Cow::Borrowed(raw)),
        None => serde_json::from_str::<String>(&at.text[key.start..key.end])
            .map(Cow::Owned)
            .map_err(|_| GiveUp),
    }
}

fn node<'t>(at: &Lexer<'t>, kind: Kind<'t>, start: usize, end: usize) -> Node<'t> {
    Node {
        shape: kind,
        start,
        end,
        col: at.col(start),
        line: at.line,
        special: false,
        hash: 0,
    }
}

fn scalar<'t>(at: &Lexer<'t>, t: Token) -> Node<'t> {
    let style = if t.quoted {
        ScalarStyle::DoubleQuoted
    } else {
        ScalarStyle::Plain
    };
    node(
        at,
        Kind::Scalar {
            style,
            empty: false,
        },
        t.start,
        t.end,
    )
}

impl<'t> Tree<'t> {
    fn place(&mut self, node: Node<'t>) -> R<()> {
        match self.open.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => {
                let (key, key_node) = key.take().ok_or(GiveUp)?;
                entries.push(Entry {
                    key,
                    key_node,
                    value: node,
                    shadows: false,
                });
            }
        }
        Ok(())
    }
}

impl<'t> Sink<'t> for Tree<'t> {
    fn open(&mut self, at: &Lexer<'t>, map: bool, start: usize, _: usize) -> R<()> {
        let placeholder = Kind::Scalar {
            style: ScalarStyle::Plain,
            empty: false,
        };
        let node = node(at, placeholder, start, start);
        self.open.push(if map {
            let mut keys = self.spare.pop().unwrap_or_default();
            keys.clear();
            Frame::Map {
                node,
                entries: Vec::new(),
                keys,
                key: None,
            }
        } else {
            Frame::Seq {
                node,
                items: Vec::new(),
            }
        });
        Ok(())
    }

    fn close(&mut self, _: &Lexer<'t>, _: bool, end: usize, _: usize) -> R<()> {
        let node = match self.open.pop().ok_or(GiveUp)? {
            Frame::Map {
                mut node,
                mut entries,
                keys,
                ..
            } => {
                self.spare.push(keys);
                entries.shrink_to_fit();
                // As the span tree has it: a mapping with an empty key or a merge key is
                // one whose text is never edited in place.
                node.special = entries.iter().any(|e| e.key.is_empty() || e.key == "<<");
                node.shape = Kind::Map {
                    flow: true,
                    entries,
                };
                node.end = end;
                node
            }
            Frame::Seq {
                mut node,
                mut items,
            } => {
                items.shrink_to_fit();
                node.shape = Kind::Seq { flow: true, items };
                node.end = end;
                node
            }
        };
        self.place(node)
    }

    fn key(&mut self, at: &Lexer<'t>, t: Token, _: usize) -> R<()> {
        let text = key_text(at, t)?;
        let Some(Frame::Map { keys, key, .. }) = self.open.last_mut() else {
            return Err(GiveUp);
        };
        if keys.insert(text.clone(), at.line).is_some() {
            return Err(GiveUp); // a key written twice: the full path names it
        }
        *key = Some((text, scalar(at, t)));
        Ok(())
    }

    fn scalar(&mut self, at: &Lexer<'t>, t: Token, _: usize) -> R<()> {
        self.place(scalar(at, t))
    }
}

/// Which of a resource's top-level keys the next value is for: its `apiVersion`, its
/// `kind`, or another.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    #[default]
    Other,
    ApiVersion,
    Kind,
}

impl Slot {
    pub(super) fn of(key: &str) -> Slot {
        match key {
            "apiVersion" => Slot::ApiVersion,
            "kind" => Slot::Kind,
            _ => Slot::Other,
        }
    }
}
