//! Apply [`Edit`]s to a document's own bytes: each becomes a splice (a byte range and
//! the text that replaces it) written in the style around it, block or flow, at the
//! indentation of its neighbours; every other byte is copied as it was.
//!
//! What we write is YAML 1.1-safe ([`crate::render`]).

use crate::diff::{Edit, Unlocated};
use crate::render::{block, block_body, block_scalar, flow, flow_scalar};
use crate::replaced::Replaced;
use crate::spans::{self, Kind, Node};
use crate::yaml::{self, ListStyle};
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

/// Turn `text` (one document, read as `old`) into text that reads as `new`, editing only
/// where the two differ. The result is checked (see [`check`]); when a check fails, the
/// caller gets the reason and falls back to writing the document in full.
pub fn rewrite(text: &str, old: &Value, new: &Value) -> Result<String, Unlocated> {
    rewrite_splices(text, None, Before::Whole(old), new).map(|(out, _)| out)
}

/// What the text read as before the change.
#[derive(Debug, Clone, Copy)]
pub enum Before<'v> {
    /// The whole document.
    Whole(&'v Value),
    /// The parts the core replaced; the rest is as `new` has it.
    Parts(&'v [Replaced]),
}

/// [`rewrite`], also giving the splices that make the edited text out of `text` (in
/// order, none overlapping): a caller that keeps many edited documents can keep these
/// instead of the texts.
///
/// `root` is the span tree of `text` when the caller has it already (from
/// [`crate::quick::load`]); otherwise it is built here.
pub fn rewrite_splices<'t>(
    text: &'t str,
    root: Option<Node<'t>>,
    before: Before<'_>,
    new: &Value,
) -> Result<(String, Vec<Splice>), Unlocated> {
    let root = match root {
        Some(root) => root,
        None => spans::parse(text).map_err(|e| Unlocated(e.0))?,
    };
    let edits = match before {
        Before::Whole(old) => crate::diff::diff(old, new, &root)?,
        Before::Parts(parts) => crate::replaced::diff(new, &root, parts)?,
    };
    let splices = splices(text, &edits, ListStyle::detect(text))?;
    let out = render(text, &splices);
    check(&out, new)?;
    Ok((out, splices))
}

/// Debug builds (every test, the fuzzer) parse the edited text in full and require it to
/// read as `new`. Release builds check that it is still one well-formed YAML document of
/// the same shape (a parser pass without building values: a third of the cost), which is
/// what a wrong indentation or a missing separator would break.
fn check(out: &str, new: &Value) -> Result<(), Unlocated> {
    if cfg!(debug_assertions) {
        return match yaml::from_str::<Value>(out) {
            Ok(back) if back == *new => Ok(()),
            Ok(_) => Err(Unlocated("the edited text reads differently".into())),
            Err(e) => Err(Unlocated(format!("the edited text does not parse: {e}"))),
        };
    }
    let entries = match crate::quick::check(out) {
        Some(n) => Some(n),
        None => spans::top_level_entries(out, true)
            .map_err(|e| Unlocated(format!("the edited text does not parse: {}", e.0)))?,
    };
    match (entries, new) {
        (Some(n), Value::Object(map)) if n == map.len() => Ok(()),
        _ => Err(Unlocated("the edited text has another shape".into())),
    }
}

/// Apply `edits` to `text` (the document they were computed on).
pub fn apply(text: &str, edits: &[Edit<'_>], style: ListStyle) -> Result<String, Unlocated> {
    Ok(render(text, &splices(text, edits, style)?))
}

/// The splices of `edits`, sorted, checked not to overlap, with the `, ` between two
/// insertions into one empty flow collection already in the second one's text.
fn splices(text: &str, edits: &[Edit<'_>], style: ListStyle) -> Result<Vec<Splice>, Unlocated> {
    let mut splices = edits
        .iter()
        .map(|e| splice(text, e, style))
        .collect::<Result<Vec<_>, _>>()?;
    splices.sort_by_key(|s| (s.start, s.end));
    let mut copied = 0;
    let mut previous_join: Option<usize> = None;
    for s in &mut splices {
        if s.start < copied {
            return Err(Unlocated(format!("two edits overlap at byte {}", s.start)));
        }
        let joins = s.joins;
        if joins && previous_join == Some(s.start) {
            s.text.insert_str(0, ", ");
        }
        previous_join = joins.then_some(s.start);
        copied = s.end;
    }
    Ok(splices)
}

/// `text` with `splices` (from [`splices`]) applied.
pub fn render(text: &str, splices: &[Splice]) -> String {
    let mut out =
        String::with_capacity(text.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut copied = 0;
    for s in splices {
        out.push_str(&text[copied..s.start]);
        out.push_str(&s.text);
        copied = s.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn unlocated(node: &Node<'_>, what: &str) -> Unlocated {
    Unlocated(format!("line {}: {what}", node.line))
}

/// A zero-width splice that starts a new line at `at` (adding the newline a document
/// without a final one lacks).
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

fn splice(text: &str, edit: &Edit<'_>, style: ListStyle) -> Result<Splice, Unlocated> {
    match edit {
        Edit::InsertEntry {
            map,
            after,
            key,
            value,
        } => {
            let mut one = serde_json::Map::new();
            one.insert(key.clone(), value.clone());
            let entries = map.entries();
            if map.is_flow() {
                let entry = format!("{}: {}", flow_scalar(key), flow(value));
                return Ok(match (after, entries.first()) {
                    (Some(i), _) => insert(entries[*i].value.end, format!(", {entry}")),
                    (None, Some(first)) => insert(first.key_node.start, format!("{entry}, ")),
                    (None, None) => joined(map.start + 1, entry),
                });
            }
            let col = entries.first().map_or(map.col, |e| e.key_node.col);
            let lines = block(&Value::Object(one), col, style);
            let at = match after {
                None if spans::first_on_line(text, entries[0].key_node.start) => {
                    spans::line_start(text, entries[0].key_node.start)
                }
                // The first key shares its line with a `- `: go after that entry.
                None => spans::line_end(text, entries[0].value.end),
                Some(i) => spans::line_end(text, entries[*i].value.end),
            };
            Ok(new_lines(text, at, lines))
        }
        Edit::InsertItem { seq, before, value } => {
            let items = seq.items();
            if seq.is_flow() {
                let item = flow(value);
                return Ok(match (before, items.last()) {
                    (Some(i), _) => insert(items[*i].start, format!("{item}, ")),
                    (None, Some(last)) => insert(last.end, format!(", {item}")),
                    (None, None) => joined(seq.start + 1, item),
                });
            }
            let dash = |i: usize| {
                spans::dash_of(text, items[i].start)
                    .ok_or_else(|| unlocated(&items[i], "a sequence item not on a line of its own"))
            };
            let first = dash(0)?;
            let lines = block(
                &Value::Array(vec![value.clone()]),
                spans::column(text, first),
                style,
            );
            let at = match before {
                Some(i) => spans::line_start(text, dash(*i)?),
                None => spans::line_end(text, seq.end),
            };
            Ok(new_lines(text, at, lines))
        }
        Edit::ReplaceValue { map, entry, value } => {
            let entry = &map.entries()[*entry];
            if map.is_flow() {
                return Ok(replace_inline(text, &entry.value, value, true));
            }
            if let Some(s) = replace_scalar(text, &entry.value, value) {
                return Ok(s);
            }
            let colon = spans::colon_after(text, entry.key_node.end)
                .ok_or_else(|| unlocated(&entry.key_node, "a key without a colon after it"))?;
            let end = entry.value.end.max(colon);
            let empty = matches!(entry.value.kind, Kind::Scalar { empty: true, .. });
            Ok(match block_body(value, entry.key_node.col, style) {
                // `key:` alone (maybe with a comment): its line stays, the value follows.
                Some(body) if empty => new_lines(text, spans::line_end(text, colon), body + "\n"),
                Some(body) => Splice {
                    start: colon,
                    end,
                    text: format!("\n{body}"),
                    joins: false,
                },
                None => Splice {
                    start: colon,
                    end,
                    text: format!(" {}", flow(value)),
                    joins: false,
                },
            })
        }
        Edit::ReplaceItem { seq, index, value } => {
            let item = &seq.items()[*index];
            if seq.is_flow() {
                return Ok(replace_inline(text, item, value, true));
            }
            if let Some(s) = replace_scalar(text, item, value) {
                return Ok(s);
            }
            // Written where the old item starts (after its `- `): the first line goes
            // there, the rest at the item's column.
            let rendered = match value {
                Value::Array(a) if !a.is_empty() => block(value, item.col, style),
                Value::Object(o) if !o.is_empty() => block(value, item.col, style),
                _ => flow(value),
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
            let end = spans::line_end(text, this.value.end.max(this.key_node.end));
            if spans::first_on_line(text, this.key_node.start) {
                return Ok(cut(spans::line_start(text, this.key_node.start), end));
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
                return Ok(remove_flow(
                    items.iter().map(|n| (n.start, n.end)).collect(),
                    *index,
                ));
            }
            let item = &items[*index];
            let dash = spans::dash_of(text, item.start)
                .ok_or_else(|| unlocated(item, "a sequence item not on a line of its own"))?;
            Ok(cut(
                spans::line_start(text, dash),
                spans::line_end(text, item.end),
            ))
        }
    }
}

fn insert(at: usize, text: String) -> Splice {
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

fn cut(start: usize, end: usize) -> Splice {
    Splice {
        start,
        end,
        text: String::new(),
        joins: false,
    }
}

/// Remove element `i` of a flow collection and one separator next to it.
fn remove_flow(ranges: Vec<(usize, usize)>, i: usize) -> Splice {
    match (ranges.get(i + 1), i.checked_sub(1).map(|p| ranges[p])) {
        (Some(next), _) => cut(ranges[i].0, next.0),
        (None, Some(previous)) => cut(previous.1, ranges[i].1),
        (None, None) => cut(ranges[i].0, ranges[i].1),
    }
}

/// A new scalar in place of an old one, in the old one's quoting where it can be.
fn replace_scalar(text: &str, old: &Node<'_>, value: &Value) -> Option<Splice> {
    let Kind::Scalar {
        style,
        empty: false,
    } = old.kind
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
            ScalarStyle::Plain => block_scalar(value).unwrap_or_else(|| flow(value)),
            _ => return None,
        },
        Value::Array(_) | Value::Object(_) => return None,
        other => flow(other),
    };
    let _ = text;
    Some(Splice {
        start: old.start,
        end: old.end,
        text: rendered,
        joins: false,
    })
}

/// `value` written in flow style over `old` (inside a flow collection).
fn replace_inline(text: &str, old: &Node<'_>, value: &Value, _flow: bool) -> Splice {
    let _ = text;
    Splice {
        start: old.start,
        end: old.end,
        text: flow(value),
        joins: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diff, spans};
    use serde_json::json;

    fn edit(text: &str, new: Value) -> String {
        let old: Value = yaml::from_str(text).unwrap();
        let root = spans::parse(text).unwrap();
        let edits = diff::diff(&old, &new, &root).unwrap();
        let out = apply(text, &edits, ListStyle::detect(text)).unwrap();
        let back: Value = yaml::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(back, new, "{out}");
        out
    }

    #[test]
    fn block_insertions_follow_the_indentation() {
        let text = "env:\n  - name: J # keep\n    value: x\n";
        let new = json!({"env": [{"name": "P", "value": "on"}, {"name": "J", "value": "x $(P)"}]});
        assert_eq!(
            edit(text, new),
            "env:\n  - name: P\n    value: \"on\"\n  - name: J # keep\n    value: x $(P)\n"
        );
    }

    #[test]
    fn flow_collections_stay_flow() {
        let text = "a: {b: [1, \"2\"]} # c\nd: {}\n";
        let new = json!({"a": {"b": [1, "2", "yes"], "e": "f g"}, "d": {"x": "0644"}});
        assert_eq!(
            edit(text, new),
            "a: {b: [1, \"2\", \"yes\"], e: f g} # c\nd: {x: \"0644\"}\n"
        );
    }

    #[test]
    fn new_keys_and_removals_in_block_maps() {
        let text = "m:\n  a: 1\n  # note\n  b:\n    c: 2\nlast: 'q'";
        let new = json!({"m": {"a": 1, "extra": {"x": [1]}}, "last": "it's"});
        assert_eq!(
            edit(text, new),
            "m:\n  a: 1\n  extra:\n    x:\n    - 1\n  # note\nlast: 'it''s'"
        );
        let text = "s:\n- name: a\n  v: 1\n- name: b\n";
        assert_eq!(edit(text, json!({"s": [{"v": 1}]})), "s:\n- v: 1\n");
    }

    #[test]
    fn null_values_become_collections() {
        let text = "meta:\n  annotations:\n  labels: {}\n";
        let new = json!({"meta": {"annotations": {"k": "v"}, "labels": {}}});
        assert_eq!(
            edit(text, new),
            "meta:\n  annotations:\n    k: v\n  labels: {}\n"
        );
    }
}
