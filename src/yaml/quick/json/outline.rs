//! The outline of a JSON ResourceList or List, as [`crate::yaml::outline::read`] gives it:
//! the top-level entries and the items of `items`, each item's `apiVersion` and `kind`
//! where they are written as they read (a string without escapes, between its quotes).
//! No node is built: the items' insides are only checked.

use super::lex::{self, GiveUp, Lexer, R, Sink, Token};
use super::tree::{Slot, key_text};
use crate::yaml::outline::{Item, Outline, Range, TopEntry};
use std::borrow::Cow;
use std::collections::HashSet;

/// The outline of `text`; `None` where the reader gives up, the list writes a top-level
/// key twice or its `items` is a mapping (as the full parser's outline is refused).
pub fn outline(text: &str) -> Option<Outline> {
    let mut o = Outliner::default();
    lex::walk(text, &mut o).ok()?;
    Some(Outline {
        entries: o.entries,
        items: o.items,
        flow: true,
        flow_items: o.flow_items,
    })
}

#[derive(Default)]
struct Outliner<'t> {
    entries: Vec<TopEntry>,
    items: Vec<Item>,
    flow_items: bool,
    top_keys: HashSet<Cow<'t, str>>,
    /// The top-level key being read, and where it starts.
    key: Option<(String, usize)>,
    /// The top-level value being read.
    value: Option<Range>,
    in_items: bool,
    /// The item being read, and its head so far.
    item: Option<Item>,
    slot: Slot,
}

fn range(at: &Lexer<'_>, start: usize, end: usize) -> Range {
    Range {
        start,
        end,
        line: at.line,
    }
}

impl Outliner<'_> {
    fn start(&mut self, at: &Lexer<'_>, start: usize, depth: usize) {
        match depth {
            1 => self.value = Some(range(at, start, start)),
            2 if self.in_items => {
                self.item = Some(Item {
                    range: range(at, start, start),
                    api_version: None,
                    kind: None,
                })
            }
            _ => {}
        }
    }

    fn end(&mut self, end: usize, depth: usize) -> R<()> {
        match depth {
            1 => {
                let (key, key_start) = self.key.take().ok_or(GiveUp)?;
                let mut value = self.value.take().ok_or(GiveUp)?;
                value.end = end;
                self.entries.push(TopEntry {
                    key,
                    key_start,
                    value,
                    inline: true,
                });
                self.in_items = false;
            }
            2 if self.in_items => {
                let mut item = self.item.take().ok_or(GiveUp)?;
                item.range.end = end;
                self.items.push(item);
            }
            _ => {}
        }
        Ok(())
    }
}

impl<'t> Sink<'t> for Outliner<'t> {
    fn open(&mut self, at: &Lexer<'t>, map: bool, start: usize, depth: usize) -> R<()> {
        if depth == 1 && self.key.as_ref().is_some_and(|(k, _)| k == "items") {
            if map {
                return Err(GiveUp); // `items` is no list
            }
            self.flow_items = true;
            self.in_items = true;
        }
        self.slot = Slot::Other;
        self.start(at, start, depth);
        Ok(())
    }

    fn close(&mut self, _: &Lexer<'t>, _: bool, end: usize, depth: usize) -> R<()> {
        self.end(end, depth)
    }

    fn key(&mut self, at: &Lexer<'t>, t: Token, depth: usize) -> R<()> {
        match depth {
            1 => {
                let key = key_text(at, t)?;
                if !self.top_keys.insert(key.clone()) {
                    return Err(GiveUp);
                }
                self.key = Some((key.into_owned(), t.start));
            }
            3 if self.in_items => self.slot = Slot::of(&key_text(at, t)?),
            _ => {}
        }
        Ok(())
    }

    fn scalar(&mut self, at: &Lexer<'t>, t: Token, depth: usize) -> R<()> {
        // A number, `true`, `false` or `null` as it is; a string without escapes
        // between its quotes, when not empty (as `outline::head_span` has it).
        let head = match (t.quoted, t.escaped) {
            (false, _) => Some((t.start, t.end)),
            (true, false) if t.end - t.start > 2 => Some((t.start + 1, t.end - 1)),
            _ => None,
        };
        if depth == 3
            && let Some(span) = head
            && let Some(item) = self.item.as_mut()
        {
            match self.slot {
                Slot::ApiVersion => item.api_version = Some(span),
                Slot::Kind => item.kind = Some(span),
                Slot::Other => {}
            }
        }
        self.slot = Slot::Other;
        self.start(at, t.start, depth);
        self.end(t.end, depth)
    }
}
