//! Block collections on the fast path: mappings, sequences (indented or not), and the
//! values after a key's `:` or a sequence's `- `.

use super::outline::item_of;
use super::shallow::{SHALLOW_AFTER, one_line_scalar};
use super::{Bail, Key, Keys, MapOut, Out, R, Scanner, scalar};
use crate::yaml::spans::{Entry, Kind, Node, Shallow};
use serde_json::{Map, Value};
use serde_saphyr::granit_parser::ScalarStyle;

/// How many entries of a mapping being built wait in `pairs` (see [`Built`]).
const FEW: usize = 16;

/// The entries of a mapping being built: waiting in the scanner's `pairs` from this
/// place on while they are few (the mapping is then made exactly as large as they
/// are), or a map of their own once there are more (a copy of many entries would
/// cost as much again).
pub(super) enum Built {
    Waiting(usize),
    Map(Map<String, Value>),
}

impl<'t> Scanner<'t> {
    /// A block node starting at `pos`, at column `col`.
    /// A flow collection or scalar there (Bitnami's `annotations:` then `{}` on the next
    /// line) ends on its line; a plain scalar that goes on is left to the full parser
    /// (the mapping around it sees the next line indented too far).
    pub(super) fn block_node(&mut self, col: usize) -> R<Out<'t>> {
        self.enter()?;
        let out = if self.at_dash() {
            self.seq(col, false)?
        } else if let Some(key) = self.key_at(self.pos)? {
            self.map(col, key)?.out
        } else if matches!(self.byte(self.pos), Some(b'|' | b'>')) {
            return Err(Bail);
        } else {
            self.inline_value()?
        };
        self.depth -= 1;
        Ok(out)
    }

    /// A block mapping at column `col`, whose first key is `key`.
    pub(super) fn map(&mut self, col: usize, mut key: Key<'t>) -> R<MapOut<'t>> {
        let (start, line) = (key.start, self.line);
        let mut built = Built::Waiting(self.pairs.len());
        // Room for two entries first: most mappings are that short (a list item's `name`
        // and `value`); what is left spare is given back at the end.
        let mut entries = Vec::with_capacity(if self.keeps() { 2 } else { 0 });
        let mut keys = self.keys();
        let mut end;
        loop {
            let key_node = self.node(
                Kind::Scalar {
                    style: key.style,
                    empty: false,
                },
                key.start,
                key.end,
            );
            self.pos = key.colon_end;
            let item = self.value_after_colon(col, key.colon_end)?;
            self.add(&mut keys, &mut built, &key, item.value)?;
            end = item.node.end.max(key_node.end);
            if self.keeps() {
                entries.push(Entry {
                    key: key.text,
                    key_node,
                    value: item.node,
                    shadows: false,
                });
            }
            match self.indent {
                Some(m) if m == col => key = self.key_at(self.pos)?.ok_or(Bail)?,
                None => break,
                Some(m) if m < col => break,
                Some(_) => return Err(Bail),
            }
        }
        let special = self.build && entries.iter().any(|e| e.key.is_empty());
        entries.shrink_to_fit();
        let count = keys.count;
        self.spare.push(keys.done());
        let value = self.mapping(built)?;
        Ok(MapOut {
            out: Out {
                value,
                node: Node {
                    shape: Kind::Map {
                        flow: false,
                        entries,
                    },
                    start,
                    end,
                    col,
                    line,
                    special,
                    hash: 0,
                },
            },
            entries: count,
        })
    }

    /// Record a key of a mapping: duplicates, merge keys and keys whose type only the
    /// full parser can tell are beyond the subset.
    pub(super) fn add(
        &mut self,
        keys: &mut Keys<'t>,
        built: &mut Built,
        key: &Key<'t>,
        value: Value,
    ) -> R<()> {
        if key.style == ScalarStyle::Plain
            && (key.text == "<<" || !matches!(scalar::classify(&key.text), scalar::Plain::Str))
        {
            return Err(Bail);
        }
        keys.count += 1;
        if self.build {
            return self.put(built, key.text.to_string(), value);
        }
        keys.insert(key.text.clone())
    }

    /// Add an entry to the mapping being built: while it has few, they wait in `pairs`;
    /// past that it becomes a map of its own and grows as maps do.
    pub(super) fn put(&mut self, built: &mut Built, key: String, value: Value) -> R<()> {
        match built {
            Built::Waiting(from) => {
                self.pairs.push((key, value));
                if self.pairs.len() - *from > FEW {
                    let map = self.mapping_from(*from)?;
                    *built = Built::Map(map);
                }
                Ok(())
            }
            Built::Map(map) => match map.insert(key, value) {
                Some(_) => Err(Bail),
                None => Ok(()),
            },
        }
    }

    /// The mapping built (`Null` when not building).
    pub(super) fn mapping(&mut self, built: Built) -> R<Value> {
        if !self.build {
            return Ok(Value::Null);
        }
        match built {
            Built::Waiting(from) => Ok(Value::Object(self.mapping_from(from)?)),
            Built::Map(map) => Ok(Value::Object(map)),
        }
    }

    /// The entries waiting in `pairs` from `from` on, as a mapping with room for them
    /// and no more: a mapping grown one entry at a time keeps room for a third beside
    /// the two most have (a list item's `name` and `value`), and a large workload has
    /// tens of thousands of those. A key written twice is beyond the subset.
    fn mapping_from(&mut self, from: usize) -> R<Map<String, Value>> {
        let mut map = Map::with_capacity(self.pairs.len() - from);
        for (key, value) in self.pairs.drain(from..) {
            if map.insert(key, value).is_some() {
                return Err(Bail);
            }
        }
        Ok(map)
    }

    /// Whether the node being read keeps its entries or items (its spans).
    pub(super) fn keeps(&self) -> bool {
        (self.build && self.spans) || self.depth < self.keep
    }

    /// The value after a block mapping key's `:` (at `pos`), for a mapping at column `n`.
    pub(super) fn value_after_colon(&mut self, n: usize, colon_end: usize) -> R<Out<'t>> {
        self.skip_spaces();
        match self.byte(self.pos) {
            None | Some(b'\n' | b'#') => {
                let empty = self.node(
                    Kind::Scalar {
                        style: ScalarStyle::Plain,
                        empty: true,
                    },
                    colon_end,
                    colon_end,
                );
                self.end_of_line()?;
                self.next_content(false)?;
                match self.indent {
                    Some(m) if m > n => self.block_node(m),
                    Some(m) if m == n && self.at_dash() => {
                        self.enter()?;
                        let seq = self.seq(m, true)?;
                        self.depth -= 1;
                        Ok(seq)
                    }
                    _ => Ok(Out {
                        value: Value::Null,
                        node: empty,
                    }),
                }
            }
            Some(b'|' | b'>') => self.block_scalar(n),
            Some(_) => self.inline_value(),
        }
    }

    /// A block sequence at column `n`, `pos` at its first `-`; `indentless` for one at
    /// its mapping key's own column.
    pub(super) fn seq(&mut self, n: usize, indentless: bool) -> R<Out<'t>> {
        let dash = (self.pos, n, self.line);
        let mut values = Vec::new();
        let mut items: Vec<Node<'t>> = Vec::new();
        // The full parser places a block sequence at its first `-`, an indentless one
        // where its first item starts.
        let mut first: Option<(usize, usize, usize)> = None;
        let mut last_end;
        // The items of a list the outline keeps (see `outline`): kept apart, as items.
        let mut outlined = (!self.build && self.depth + 2 == self.keep).then(Vec::new);
        let mut unlike = false;
        // A long list of scalars (`args`) is kept as one shallow node; `scalars` while
        // every item read since is one too.
        let mut whole = false;
        let mut scalars = true;
        loop {
            if self.byte(self.pos + 1) != Some(b' ') {
                return Err(Bail);
            }
            self.pos += 1;
            self.skip_spaces();
            if matches!(self.byte(self.pos), None | Some(b'\n' | b'#')) {
                return Err(Bail);
            }
            let c = self.col(self.pos);
            let item = if self.at_dash() {
                self.block_node(c)?
            } else if let Some(key) = self.key_at(self.pos)? {
                self.enter()?;
                let mut map = self.map(c, key)?.out;
                self.depth -= 1;
                if self.shallow && items.len() >= SHALLOW_AFTER {
                    map.node = self.kept_shallow(map.node, Shallow::Mapping);
                }
                map
            } else if matches!(self.byte(self.pos), Some(b'|' | b'>')) {
                self.block_scalar(n)?
            } else {
                let mut item = self.inline_value()?;
                // A flow mapping item (`- {name: A, value: b}`), shallow past the first
                // ones like a block one.
                if self.shallow
                    && items.len() >= SHALLOW_AFTER
                    && matches!(item.node.shape, Kind::Map { flow: true, .. })
                {
                    item.node = self.kept_shallow(item.node, Shallow::Flow);
                }
                item
            };
            last_end = item.node.end;
            first.get_or_insert((item.node.start, item.node.col, item.node.line));
            if let Some(group) = outlined.as_mut() {
                // An item of an outlined list: where it is and its head, no node.
                let item = item_of(self.text, &item.node);
                if item.is_none() {
                    unlike = true;
                }
                group.extend(item);
            } else {
                if self.build {
                    values.push(item.value);
                }
                if !whole && self.goes_shallow(&items, &item.node) {
                    whole = true;
                    items = Vec::new();
                }
                scalars &= !whole || one_line_scalar(&item.node);
                if self.keeps() && !whole {
                    items.push(item.node);
                }
            }
            match self.indent {
                Some(m) if m == n && self.at_dash() => {}
                None => break,
                Some(m) if m <= n => break,
                Some(_) => return Err(Bail),
            }
        }
        let (start, col, line) = if indentless { first.ok_or(Bail)? } else { dash };
        // A list grown by doubling has up to half its room spare: given back.
        values.shrink_to_fit();
        items.shrink_to_fit();
        if let Some(group) = outlined {
            self.outlined.push((start, (!unlike).then_some(group)));
        }
        let mut node = Node {
            shape: Kind::Seq { flow: false, items },
            start,
            end: last_end,
            col,
            line,
            special: false,
            hash: 0,
        };
        if whole {
            node = self.kept_whole(
                node,
                Shallow::List {
                    indentless,
                    scalars,
                },
            );
        }
        Ok(Out {
            value: if self.build {
                Value::Array(values)
            } else {
                Value::Null
            },
            node,
        })
    }

    /// A scalar or flow collection that ends on this line, then the rest of the line.
    pub(super) fn inline_value(&mut self) -> R<Out<'t>> {
        let start = self.pos;
        let out = match self.byte(start) {
            Some(b'"') => {
                let (s, end) = scalar::double_quoted(self.text, start)?;
                self.pos = end;
                self.scalar(ScalarStyle::DoubleQuoted, start, end, Value::String(s))
            }
            Some(b'\'') => {
                let (s, end) = scalar::single_quoted(self.text, start)?;
                self.pos = end;
                self.scalar(ScalarStyle::SingleQuoted, start, end, Value::String(s))
            }
            Some(b'[' | b'{') => self.flow()?,
            _ if !self.plain_start(start) => return Err(Bail),
            _ => {
                let mut i = start;
                loop {
                    match self.byte(i) {
                        None | Some(b'\n') => break,
                        Some(b':') if self.blank_at(i + 1) => return Err(Bail),
                        Some(b' ') if self.byte(i + 1) == Some(b'#') => break,
                        _ => i += 1,
                    }
                }
                let end = start + self.text[start..i].trim_end_matches(' ').len();
                self.pos = end;
                let value = if self.build {
                    scalar::resolve(&self.text[start..end])?
                } else {
                    Value::Null
                };
                self.scalar(ScalarStyle::Plain, start, end, value)
            }
        };
        self.end_of_line()?;
        self.next_content(false)?;
        Ok(out)
    }

    pub(super) fn scalar(
        &self,
        style: ScalarStyle,
        start: usize,
        end: usize,
        value: Value,
    ) -> Out<'t> {
        Out {
            value,
            node: self.node(
                Kind::Scalar {
                    style,
                    empty: false,
                },
                start,
                end,
            ),
        }
    }
}
