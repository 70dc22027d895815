//! Flow collections on the fast path: `[a, "b"]`, `{k: v, n: [1]}`, `{}` and `[]`, on
//! one line. A flow collection across lines, an entry without a value, a trailing comma
//! or a single-pair mapping inside a sequence goes to the full parser.

use super::block::Built;
use super::{Bail, Out, R, Scanner, scalar};
use crate::yaml::spans::{Entry, Kind, Node};
use serde_json::Value;
use serde_saphyr::granit_parser::ScalarStyle;
use std::borrow::Cow;

/// A flow indicator: it ends a plain scalar inside a flow collection.
fn indicator(b: Option<u8>) -> bool {
    matches!(b, Some(b',' | b'[' | b']' | b'{' | b'}'))
}

impl<'t> Scanner<'t> {
    /// The flow collection at `pos` (its `[` or `{`); `pos` ends just past its close.
    pub(super) fn flow(&mut self) -> R<Out<'t>> {
        self.flow_counted().map(|(out, _)| out)
    }

    /// [`Self::flow`], and how many entries it has (a mapping; 0 for a sequence).
    pub(super) fn flow_counted(&mut self) -> R<(Out<'t>, usize)> {
        self.enter()?;
        let (start, line, col) = (self.pos, self.line, self.col(self.pos));
        let is_map = self.byte(start) == Some(b'{');
        let close = if is_map { b'}' } else { b']' };
        self.pos += 1;
        self.flow_space()?;
        let mut items = Vec::new();
        let mut values = Vec::new();
        let mut entries = Vec::new();
        let mut built = Built::Waiting(self.pairs.len());
        let mut keys = self.keys();
        if self.byte(self.pos) != Some(close) {
            loop {
                if is_map {
                    let key = self.flow_scalar(true)?;
                    let &Kind::Scalar { style, .. } = key.node.kind() else {
                        return Err(Bail);
                    };
                    let key_text = self.flow_key_text(&key, style)?;
                    self.flow_space()?;
                    if self.byte(self.pos) != Some(b':') || self.byte(self.pos + 1) != Some(b' ') {
                        return Err(Bail);
                    }
                    self.pos += 1;
                    self.flow_space()?;
                    let value = self.flow_item()?;
                    keys.count += 1;
                    if self.keeps() {
                        entries.push(Entry {
                            key: key_text.clone(),
                            key_node: key.node,
                            value: value.node,
                            shadows: false,
                        });
                    }
                    if self.build {
                        self.put(&mut built, key_text.into_owned(), value.value)?;
                    } else {
                        keys.insert(key_text)?;
                    }
                } else {
                    let item = self.flow_item()?;
                    if self.build {
                        values.push(item.value);
                    }
                    if self.keeps() {
                        items.push(item.node);
                    }
                }
                self.flow_space()?;
                match self.byte(self.pos) {
                    Some(b',') => {
                        self.pos += 1;
                        self.flow_space()?;
                        if self.byte(self.pos) == Some(close) {
                            return Err(Bail);
                        }
                    }
                    Some(b) if b == close => break,
                    _ => return Err(Bail),
                }
            }
        }
        self.pos += 1;
        self.depth -= 1;
        let count = keys.count;
        self.spare.push(keys.done());
        let special = self.build && entries.iter().any(|e: &Entry<'_>| e.key.is_empty());
        entries.shrink_to_fit();
        items.shrink_to_fit();
        values.shrink_to_fit();
        let (kind, value) = if is_map {
            let map = self.mapping(built)?;
            (
                Kind::Map {
                    flow: true,
                    entries,
                },
                map,
            )
        } else {
            (Kind::Seq { flow: true, items }, Value::Array(values))
        };
        let out = Out {
            value: if self.build { value } else { Value::Null },
            node: Node {
                shape: kind,
                start,
                end: self.pos,
                col,
                line,
                special,
                hash: 0,
            },
        };
        Ok((out, count))
    }

    /// Spaces inside a flow collection; a line break or comment there is beyond the subset.
    pub(super) fn flow_space(&mut self) -> R<()> {
        self.skip_spaces();
        match self.byte(self.pos) {
            None | Some(b'\n' | b'#') => Err(Bail),
            Some(_) => Ok(()),
        }
    }

    pub(super) fn flow_item(&mut self) -> R<Out<'t>> {
        match self.byte(self.pos) {
            Some(b'[' | b'{') => self.flow(),
            _ => self.flow_scalar(false),
        }
    }

    /// A key's text as the span tree has it: plain as written, quoted decoded (no
    /// escapes in a double-quoted key: `spans::key_text` reads those as JSON).
    pub(super) fn flow_key_text(&self, key: &Out<'t>, style: ScalarStyle) -> R<Cow<'t, str>> {
        let raw = &self.text[key.node.start..key.node.end];
        match (style, &key.value) {
            (ScalarStyle::Plain, _) => {
                if raw == "<<" || !matches!(scalar::classify(raw), scalar::Plain::Str) {
                    return Err(Bail);
                }
                Ok(Cow::Borrowed(raw))
            }
            (ScalarStyle::DoubleQuoted, _) if raw.contains('\\') => Err(Bail),
            (_, Value::String(s)) => Ok(Cow::Owned(s.clone())),
            _ => Err(Bail),
        }
    }

    /// A quoted or plain scalar inside a flow collection (a key when `key`: a plain key
    /// ends at `: `). Keys always carry their decoded text, even when only checking.
    pub(super) fn flow_scalar(&mut self, key: bool) -> R<Out<'t>> {
        let start = self.pos;
        let (style, value, end) = match self.byte(start) {
            Some(b'"') => {
                let (s, end) = scalar::double_quoted(self.text, start)?;
                (ScalarStyle::DoubleQuoted, Value::String(s), end)
            }
            Some(b'\'') => {
                let (s, end) = scalar::single_quoted(self.text, start)?;
                (ScalarStyle::SingleQuoted, Value::String(s), end)
            }
            Some(b'-' | b'?' | b':')
                if self.blank_at(start + 1) || indicator(self.byte(start + 1)) =>
            {
                return Err(Bail);
            }
            _ if !self.plain_start(start) => return Err(Bail),
            _ => {
                let mut i = start;
                loop {
                    let next = self.byte(i + 1);
                    match self.byte(i) {
                        None | Some(b'\n') => return Err(Bail),
                        b if indicator(b) => break,
                        Some(b':') if self.blank_at(i + 1) || indicator(next) => {
                            if key {
                                break;
                            }
                            return Err(Bail);
                        }
                        Some(b' ') if next == Some(b'#') => return Err(Bail),
                        _ => i += 1,
                    }
                }
                let end = start + self.text[start..i].trim_end_matches(' ').len();
                if end == start {
                    return Err(Bail);
                }
                let raw = &self.text[start..end];
                let value = if key {
                    Value::Null
                } else if self.build {
                    scalar::resolve(raw)?
                } else {
                    Value::Null
                };
                (ScalarStyle::Plain, value, end)
            }
        };
        self.pos = end;
        Ok(self.scalar(style, start, end, value))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, load, value};

    /// A document that is one flow mapping on one line (a root in flow style) is read;
    /// JSON is left to `json::load_json`, and anything across lines to the full parser.
    #[test]
    fn a_flow_root_on_one_line_is_read() {
        for text in [
            "---\n{apiVersion: v1, kind: Pod, metadata: {name: p1}, spec: {containers: [{name: a, image: tomcat}]}}\n",
            "# c\n{a: 1, 'b': \"c\", d: [e, {f: g}]} # after\n\n# end\n",
        ] {
            assert!(load(text).is_some(), "not read: {text}");
            assert_eq!(value(text), load(text).map(|l| l.value), "{text}");
        }
        assert_eq!(check("{a: 1, b: {c: 2}, d: [x]} # c\n"), Some(3));
        for text in [
            "{\"a\": 1}\n",
            "{}\n",
            "{a: 1}\nb: 2\n",
            "{a: 1,\n b: 2}\n",
            "{a: 1, a: 2}\n",
            "[a, b]\n",
        ] {
            assert!(load(text).is_none(), "read: {text}");
            assert!(check(text).is_none(), "checked: {text}");
        }
    }
}
