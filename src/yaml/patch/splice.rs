//! One [`Edit`] as a [`Splice`]: the byte range it replaces and the text it writes
//! there, in the style around it (block or flow) at the indentation of its neighbours.

use crate::yaml::diff::{Edit, Unlocated};
use crate::yaml::lines;
use crate::yaml::render::{
    block, block_body, block_entry, block_item, block_scalar, flow, flow_json, flow_scalar,
};
use crate::yaml::spans::{Kind, Node, Shallow};
use crate::yaml::value::ListStyle;
use serde_json::Value;
use serde_saphyr::granit_parser::ScalarStyle;

/// Replace `start..end` of the text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Into an empty flow collection: a second insertion at the same place needs a `, `.
    pub joins: bool,
}

fn unlocated(node: &Node<'_>, what: &str) -> Unlocated {
    Unlocated(format!("line {}: {what}", node.line))
}

/// Where a line after `node` goes: the end of its last line, and past the blank lines
/// after it when they are part of its value (a block scalar that keeps its final line
/// breaks, `|+` or `>+`, ends last in it: those lines are its value's last newlines).
fn line_after(text: &str, node: &Node<'_>) -> usize {
    let mut at = lines::line_end(text, node.end);
    if !ends_in_kept_lines(text, node) {
        return at;
    }
    while at < text.len() {
        let end = lines::line_end(text, at + 1);
        if !text[at..end]
            .bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            break;
        }
        at = end;
    }
    at
}

/// True when the last node in `node`'s text is a block scalar with keep chomping.
fn ends_in_kept_lines(text: &str, mut node: &Node<'_>) -> bool {
    loop {
        if let Kind::Shallow {
            of: Shallow::Flow | Shallow::List { scalars: true, .. },
            ..
        } = node.shape
        {
            return false; // ends in a flow collection or a one-line scalar (not read again)
        }
        node = match node.kind() {
            Kind::Map {
                flow: false,
                entries,
            } => match entries.last() {
                Some(e) => &e.value,
                None => return false,
            },
            Kind::Seq { flow: false, items } => match items.last() {
                Some(i) => i,
                None => return false,
            },
            Kind::Scalar {
                style: ScalarStyle::Literal | ScalarStyle::Folded,
                ..
            } => {
                // `|` or `>`, then a chomping and an indentation indicator in any order.
                let header = text.as_bytes().get(node.start..).unwrap_or_default();
                return matches!(header.first(), Some(b'|' | b'>'))
                    && header.iter().skip(1).take(2).any(|&b| b == b'+');
            }
            _ => return false,
        };
    }
}

/// A zero-width splice that starts a new line at `at` (adding the newline a document
/// without a final one lacks; see [`super::ending`]).
fn new_lines(text: &str, at: usize, lines: String) -> Splice {
    let missing_newline = at == text.len() && !text.is_empty() && !text.ends_with('\n');
    Splice {
        start: at,
        end: at,
        text: if missing_newline {
            format!("\n{lines}")
        } else {
            lines
        },
        joins: false,
    }
}

/// How the text we write looks: block lists compact or indented, and flow collections
/// in YAML's plain style or, in a document that is JSON (its root a flow mapping), as
/// JSON so that it stays JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub list: ListStyle,
    pub json: bool,
}

impl Look {
    /// A value in flow style.
    fn flow(self, value: &Value) -> String {
        if self.json {
            flow_json(value)
        } else {
            flow(value)
        }
    }

    /// A mapping key in flow style.
    fn key(self, key: &str) -> String {
        if self.json {
            serde_json::to_string(key).expect("a string serializes")
        } else {
            flow_scalar(key)
        }
    }
}

pub(super) fn splice(text: &str, edit: &Edit<'_>, look: Look) -> Result<Splice, Unlocated> {
    let style = look.list;
    match edit {
        Edit::InsertEntry {
            map,
            after,
            key,
            value,
        } => {
            let entries = map.entries();
            if map.is_flow() {
                let entry = format!("{}: {}", look.key(key), look.flow(value));
                return Ok(match (after, entries.first()) {
                    (Some(i), _) => {
                        insert(past_empty(text, &entries[*i].value), format!(", {entry}"))
                    }
                    (None, Some(first)) => insert(first.key_node.start, format!("{entry}, ")),
                    (None, None) => joined(map.start + 1, entry),
                });
            }
            let col = entries.first().map_or(map.col, |e| e.key_node.col);
            let lines = block_entry(key, value, col, style);
            let at = match after {
                None if lines::first_on_line(text, entries[0].key_node.start) => {
                    lines::line_start(text, entries[0].key_node.start)
                }
                // The first key shares its line with a `- `: go after that entry.
                None => line_after(text, &entries[0].value),
                Some(i) => line_after(text, &entries[*i].value),
            };
            Ok(new_lines(text, at, lines))
        }
        Edit::InsertItem { seq, before, value } => {
            let items = seq.items();
            if seq.is_flow() {
                let item = look.flow(value);
                return Ok(match (before, items.last()) {
                    (Some(i), _) => insert(items[*i].start, format!("{item}, ")),
                    (None, Some(last)) => insert(last.end, format!(", {item}")),
                    (None, None) => joined(seq.start + 1, item),
                });
            }
            let dash = |i: usize| {
                lines::dash_of(text, items[i].start)
                    .ok_or_else(|| unlocated(&items[i], "a sequence item not on a line of its own"))
            };
            let first = dash(0)?;
            let lines = block_item(value, lines::column(text, first), style);
            let at = match before {
                Some(i) => lines::line_start(text, dash(*i)?),
                None => line_after(text, seq),
            };
            Ok(new_lines(text, at, lines))
        }
        Edit::ReplaceValue { map, entry, value } => {
            let entry = &map.entries()[*entry];
            if map.is_flow() {
                if matches!(entry.value.kind(), Kind::Scalar { empty: true, .. }) {
                    // `key: ,`: the value sits just past the colon; the spaces up to the
                    // `,` or the close become the one before the new value.
                    return Ok(Splice {
                        start: entry.value.start,
                        end: past_empty(text, &entry.value),
                        text: format!(" {}", look.flow(value)),
                        joins: false,
                    });
                }
                return Ok(replace_inline(&entry.value, look.flow(value)));
            }
            if let Some(s) = replace_scalar(&entry.value, value, look).filter(|_| !value.is_null())
            {
                return Ok(s);
            }
            let colon = lines::colon_after(text, entry.key_node.end)
                .ok_or_else(|| unlocated(&entry.key_node, "a key without a colon after it"))?;
            let end = entry.value.end.max(colon);
            let empty = matches!(entry.value.kind(), Kind::Scalar { empty: true, .. });
            Ok(match block_body(value, entry.key_node.col, style) {
                // `key:` alone (maybe with a comment): its line stays, the value follows.
                Some(body) if empty => new_lines(text, lines::line_end(text, colon), body + "\n"),
                Some(body) => Splice {
                    start: colon,
                    end,
                    text: format!("\n{body}"),
                    joins: false,
                },
                // A null value is written as nothing after the colon (`initContainers:`),
                // the way charts write one, so a list given back as null reads as before.
                None if value.is_null() => Splice {
                    start: colon,
                    end,
                    text: String::new(),
                    joins: false,
                },
                None => Splice {
                    start: colon,
                    end,
                    text: format!(" {}", look.flow(value)),
                    joins: false,
                },
            })
        }
        Edit::ReplaceItem { seq, index, value } => {
            let item = &seq.items()[*index];
            if seq.is_flow() {
                return Ok(replace_inline(item, look.flow(value)));
            }
            if let Some(s) = replace_scalar(item, value, look) {
                return Ok(s);
            }
            // Written where the old item starts (after its `- `): the first line goes
            // there, the rest at the item's column.
            let rendered = match value {
                Value::Array(a) if !a.is_empty() => block(value, item.col, style),
                Value::Object(o) if !o.is_empty() => block(value, item.col, style),
                _ => look.flow(value),
            };
            let trimmed = rendered
                .trim_start_matches(' ')
                .trim_end_matches('\n')
                .to_string();
            Ok(Splice {
                start: item.start,
                end: item.end,
                text: trimmed,
                joins: false,
            })
        }
        Edit::RemoveEntry { map, entry } => {
            let entries = map.entries();
            let i = *entry;
            if entries[i].shadows {
                return Err(unlocated(
                    &entries[i].key_node,
                    "the key is written twice: removing the last one would bring the earlier one back",
                ));
            }
            if map.is_flow() {
                return Ok(remove_flow(
                    entries
                        .iter()
                        .map(|e| (e.key_node.start, e.value.end))
                        .collect(),
                    i,
                ));
            }
            let this = &entries[i];
            let end = lines::line_end(text, this.value.end.max(this.key_node.end));
            if lines::first_on_line(text, this.key_node.start) {
                return Ok(cut(lines::line_start(text, this.key_node.start), end));
            }
            // First key on a `- ` line: the next key moves up to take its place.
            match entries.get(i + 1) {
                Some(next) => Ok(cut(this.key_node.start, next.key_node.start)),
                None => Err(unlocated(
                    &this.key_node,
                    "removing the only entry of an item",
                )),
            }
        }
        Edit::AppendToScalar { scalar, text: more } => Ok(insert(scalar.end, more.clone())),
        Edit::RemoveItem { seq, index } => {
            let items = seq.items();
            if seq.is_flow() {
                let ranges: Vec<(usize, usize)> = items.iter().map(|i| (i.start, i.end)).collect();
                return Ok(flow_cut(&ranges, *index, *index));
            }
            let item = &items[*index];
            let dash = lines::dash_of(text, item.start)
                .ok_or_else(|| unlocated(item, "a sequence item not on a line of its own"))?;
            Ok(cut(
                lines::line_start(text, dash),
                lines::line_end(text, item.end),
            ))
        }
    }
}

pub(super) fn insert(at: usize, text: String) -> Splice {
    Splice {
        start: at,
        end: at,
        text,
        joins: false,
    }
}

fn joined(at: usize, text: String) -> Splice {
    Splice {
        start: at,
        end: at,
        text,
        joins: true,
    }
}

pub(super) fn cut(start: usize, end: usize) -> Splice {
    Splice {
        start,
        end,
        text: String::new(),
        joins: false,
    }
}

/// Remove entry `i` of a flow mapping (its key to its value) and one separator next to it.
fn remove_flow(ranges: Vec<(usize, usize)>, i: usize) -> Splice {
    flow_cut(&ranges, i, i)
}

/// The cut that removes items `first..=last` of a flow collection (each item's byte
/// range: a sequence's item, a mapping's key to its value) and one `, `: the one after
/// them, or before them when they end the collection.
pub(super) fn flow_cut(items: &[(usize, usize)], first: usize, last: usize) -> Splice {
    match (items.get(last + 1), first.checked_sub(1)) {
        (Some(next), _) => cut(items[first].0, next.0),
        (None, Some(previous)) => cut(items[previous].1, items[last].1),
        (None, None) => cut(items[first].0, items[last].1),
    }
}

/// A new scalar in place of an old one, in the old one's quoting where it can be.
fn replace_scalar(old: &Node<'_>, value: &Value, look: Look) -> Option<Splice> {
    let Kind::Scalar {
        style,
        empty: false,
    } = old.kind()
    else {
        return None;
    };
    let rendered = match value {
        Value::String(s) => match style {
            ScalarStyle::DoubleQuoted => serde_json::to_string(s).ok()?,
            ScalarStyle::SingleQuoted
                if !s.contains(['\n', '\r']) && !s.chars().any(char::is_control) =>
            {
                format!("'{}'", s.replace('\'', "''"))
            }
            ScalarStyle::Plain => block_scalar(value).unwrap_or_else(|| look.flow(value)),
            _ => return None,
        },
        Value::Array(_) | Value::Object(_) => return None,
        other => flow(other),
    };
    Some(Splice {
        start: old.start,
        end: old.end,
        text: rendered,
        joins: false,
    })
}

/// `text` (a value in flow style) over `old` (inside a flow collection).
/// The end of `value`, past the spaces after it when it is empty (`key: ,` in a flow
/// mapping, whose empty value sits just past the colon).
fn past_empty(text: &str, value: &Node<'_>) -> usize {
    if !matches!(value.kind(), Kind::Scalar { empty: true, .. }) {
        return value.end;
    }
    let rest = &text[value.end..];
    value.end + rest.len() - rest.trim_start_matches(' ').len()
}

fn replace_inline(old: &Node<'_>, text: String) -> Splice {
    Splice {
        start: old.start,
        end: old.end,
        text,
        joins: false,
    }
}
