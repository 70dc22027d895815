//! What a JSON document's top level says, from one pass that builds nothing: its
//! `apiVersion` and `kind` ([`head`], what [`crate::yaml::document::head`] reads), and the
//! number of its entries with no key written twice anywhere ([`entries`], what
//! [`crate::yaml::check::top_level_entries`] counts).

use super::lex::{self, GiveUp, Lexer, R, Sink, Token};
use super::tree::{Slot, key_text};
use crate::yaml::document::Head;
use crate::yaml::keyset::KeySet;
use std::borrow::Cow;

/// The head of `text`; `None` where the reader gives up.
pub fn head(text: &str) -> Option<Head> {
    let mut h = Heads::default();
    lex::walk(text, &mut h).ok()?;
    Some(Head::Resource {
        api_version: h.api_version.map(Cow::into_owned),
        kind: h.kind.map(Cow::into_owned),
    })
}

/// The number of top-level entries of `text`, when no mapping in it writes a key twice;
/// `None` where the reader gives up.
pub fn entries(text: &str) -> Option<usize> {
    let mut c = Counter::default();
    lex::walk(text, &mut c).ok()?;
    Some(c.entries)
}

/// The top-level `apiVersion` and `kind`: a string, or `None` for any other value; the
/// last one of a key written twice, as a mapping reads it.
#[derive(Default)]
struct Heads<'t> {
    slot: Slot,
    api_version: Option<Cow<'t, str>>,
    kind: Option<Cow<'t, str>>,
}

impl<'t> Heads<'t> {
    fn set(&mut self, value: Option<Cow<'t, str>>) {
        match std::mem::take(&mut self.slot) {
            Slot::ApiVersion => self.api_version = value,
            Slot::Kind => self.kind = value,
            Slot::Other => {}
        }
    }
}

impl<'t> Sink<'t> for Heads<'t> {
    fn open(&mut self, _: &Lexer<'t>, _: bool, _: usize, depth: usize) -> R<()> {
        if depth == 1 {
            self.set(None);
        }
        Ok(())
    }

    fn close(&mut self, _: &Lexer<'t>, _: bool, _: usize, _: usize) -> R<()> {
        Ok(())
    }

    fn key(&mut self, at: &Lexer<'t>, t: Token, depth: usize) -> R<()> {
        if depth == 1 {
            self.slot = Slot::of(&key_text(at, t)?);
        }
        Ok(())
    }

    fn scalar(&mut self, at: &Lexer<'t>, t: Token, depth: usize) -> R<()> {
        if depth == 1 {
            let value = if t.quoted {
                Some(key_text(at, t)?)
            } else {
                None
            };
            self.set(value);
        }
        Ok(())
    }
}

/// The keys of each open mapping (`None` for a list), and the top level's count.
#[derive(Default)]
struct Counter<'t> {
    open: Vec<Option<KeySet<'t>>>,
    spare: Vec<KeySet<'t>>,
    entries: usize,
}

impl<'t> Sink<'t> for Counter<'t> {
    fn open(&mut self, _: &Lexer<'t>, map: bool, _: usize, _: usize) -> R<()> {
        let keys = map.then(|| {
            let mut keys = self.spare.pop().unwrap_or_default();
            keys.clear();
            keys
        });
        self.open.push(keys);
        Ok(())
    }

    fn close(&mut self, _: &Lexer<'t>, _: bool, _: usize, depth: usize) -> R<()> {
        if let Some(keys) = self.open.pop().ok_or(GiveUp)? {
            if depth == 0 {
                self.entries = keys.len();
            }
            self.spare.push(keys);
        }
        Ok(())
    }

    fn key(&mut self, at: &Lexer<'t>, t: Token, _: usize) -> R<()> {
        let key = key_text(at, t)?;
        let Some(Some(keys)) = self.open.last_mut() else {
            return Err(GiveUp);
        };
        match keys.insert(key, at.line) {
            None => Ok(()),
            Some(_) => Err(GiveUp), // a key written twice: the full parser names it
        }
    }

    fn scalar(&mut self, _: &Lexer<'t>, _: Token, _: usize) -> R<()> {
        Ok(())
    }
}
