//! Flow collections on the fast path: `[a, "b"]`, `{k: v, n: [1], e: }`, `{}` and `[]`,
//! on one line or across lines (each line it goes on to indented past the one it started
//! on, a key and its `:` on one line, no scalar across lines). A key without a `: `, a
//! trailing comma or a single-pair mapping inside a sequence goes to the full parser.

use super::block::Built;
use super::shallow::SHALLOW_AFTER;
use super::{Bail, Out, R, Scanner, scalar};
use crate::yaml::spans::{Entry, Kind, Node, Shallow};
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
        if self.flow_min.is_some() {
            return self.flow_inside();
        }
        // The outermost flow collection: the lines it goes on to are indented past the
        // line it starts on (the document's root: at any indentation).
        let own = self.b[self.line_start..]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        self.flow_min = Some(if self.depth == 0 { 0 } else { own + 1 });
        let read = self.flow_inside();
        self.flow_min = None;
        read
    }

    fn flow_inside(&mut self) -> R<(Out<'t>, usize)> {
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
        // Past `SHALLOW_AFTER` children a mapping, or a list of scalars, is kept as one
        // shallow node; another list keeps the mappings past them shallow, one by one.
        let mut whole = false;
        let mut empty_key = false;
        if self.byte(self.pos) != Some(close) {
            loop {
                if is_map {
                    let key = self.flow_scalar(true)?;
                    let &Kind::Scalar { style, .. } = key.node.kind() else {
                        return Err(Bail);
                    };
                    let key_text = self.flow_key_text(&key, style)?;
                    let key_line = self.line;
                    self.flow_space()?;
                    if self.line != key_line {
                        return Err(Bail); // a key and its `:` on two lines
                    }
                    if self.byte(self.pos) != Some(b':') || self.byte(self.pos + 1) != Some(b' ') {
                        return Err(Bail);
                    }
                    self.pos += 1;
                    let colon_end = self.pos;
                    self.flow_space()?;
                    let value = if matches!(self.byte(self.pos), Some(b) if b == b',' || b == close)
                    {
                        // `key: ,`: an empty value, placed just past the colon (as the
                        // span tree from the full parser places it).
                        let kind = Kind::Scalar {
                            style: ScalarStyle::Plain,
                            empty: true,
                        };
                        let node = self.node(kind, colon_end, colon_end);
                        Out {
                            value: Value::Null,
                            node,
                        }
                    } else {
                        self.flow_item()?
                    };
                    let value = self.loosened(value);
                    keys.count += 1;
                    empty_key |= key_text.is_empty();
                    if !whole && self.shallow && self.keeps() && entries.len() == SHALLOW_AFTER {
                        whole = true;
                        entries = Vec::new();
                    }
                    if self.keeps() && !whole {
                        entries.push(Entry {
                            key: key_text.clone(),
                            key_node: key.node,
                            value: value.node,
                            shadows: false,
                        });
                    }
                    if self.build && !self.dropping() {
                        self.put(&mut built, key_text.into_owned(), value.value)?;
                    } else {
                        keys.insert(key_text)?;
                    }
                } else {
                    let item = self.flow_item()?;
                    let Out { value, mut node } = self.loosened(item);
                    if self.build && !self.dropping() {
                        values.push(value);
                    }
                    if !whole && self.goes_shallow(&items, &node) {
                        whole = true;
                        items = Vec::new();
                    } else if self.shallow
                        && self.keeps()
                        && items.len() >= SHALLOW_AFTER
                        && matches!(node.shape, Kind::Map { .. })
                    {
                        node = self.kept_shallow(node, Shallow::Flow);
                    }
                    if self.keeps() && !whole {
                        items.push(node);
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
        let special = self.build && self.keeps() && empty_key;
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
        let mut node = Node {
            shape: kind,
            start,
            end: self.pos,
            col,
            line,
            special,
            hash: 0,
        };
        if whole {
            node = self.kept_whole(node, Shallow::Flow);
        }
        let value = if self.build { value } else { Value::Null };
        Ok((Out { value, node }, count))
    }

    /// A child of the collection being read again loose (see `Scanner::loose`): its
    /// node fingerprinted, its value dropped. Anything deeper is read as usual.
    fn loosened(&self, mut child: Out<'t>) -> Out<'t> {
        if self.dropping() {
            crate::yaml::fingerprint::fingerprint(&mut child.node, &child.value);
            child.value = Value::Null;
        }
        child
    }

    /// Whether the children of the collection being read are loosened.
    fn dropping(&self) -> bool {
        self.loose && self.depth == 1
    }

    /// Spaces inside a flow collection; a line break or comment there is beyond the subset.
    /// Past the spaces, comments and line breaks before a flow collection's next token.
    /// A line it goes on to must start with `flow_min` spaces at least (blank lines
    /// aside; one less for a line that starts with a close), and not with `---` or `...`;
    /// a comment must follow a space or start its line. Anything else goes to the full
    /// parser.
    pub(super) fn flow_space(&mut self) -> R<()> {
        loop {
            let before = self.pos;
            self.skip_spaces();
            match self.byte(self.pos) {
                None => return Err(Bail),
                Some(b'#') if self.pos > before || self.pos == self.line_start => {
                    self.pos += super::memchr(b'\n', &self.b[self.pos..]).ok_or(Bail)?;
                }
                Some(b'#') => return Err(Bail),
                Some(b'\n') => {
                    let min = self.flow_min.ok_or(Bail)?;
                    self.newline();
                    let spaces = self.b[self.pos..]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                    let rest = &self.b[self.pos + spaces..];
                    let blank = matches!(rest.first(), None | Some(b'\n'));
                    let marker =
                        spaces == 0 && (rest.starts_with(b"---") || rest.starts_with(b"..."));
                    // A close may stand at the starting line's own indentation, as JSON
                    // written by hand has it (`containers: [` … `]`).
                    let close = matches!(rest.first(), Some(b']' | b'}')) && spaces + 1 >= min;
                    if marker || (!blank && !close && spaces < min) {
                        return Err(Bail);
                    }
                }
                Some(_) => return Ok(()),
            }
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
                        None => return Err(Bail),
                        // The line's end ends it (what follows on the next line must be
                        // a `,` or the close: a scalar goes on to no other line).
                        Some(b'\n') => break,
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

    /// A document that is one flow mapping (a root in flow style) is read, on one line or
    /// across lines; JSON is left to `json::load_json`.
    #[test]
    fn a_flow_root_is_read() {
        for text in [
            "{a: 1,\n b: 2}\n",
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
            "{a: 1, a: 2}\n",
            "[a, b]\n",
        ] {
            assert!(load(text).is_none(), "read: {text}");
            assert!(check(text).is_none(), "checked: {text}");
        }
    }

    /// `key: ` with nothing before the next `,` or the close is an empty value (null),
    /// placed just past its colon: `load` checks value and spans against the full parser.
    #[test]
    fn an_empty_value_in_a_flow_mapping_is_read() {
        for text in [
            "a: {k: , l: 1}\n",
            "a: {k:   }\n",
            "a: {'k': , \"l\": , m: [o], p: {q: }}\n",
            "a: [x, {k: , l: }]\nb: {m: }\n",
        ] {
            let loaded = load(text).unwrap_or_else(|| panic!("not read: {text}"));
            assert_eq!(value(text), Some(loaded.value.clone()), "{text}");
            assert!(check(text).is_some(), "{text}");
        }
        let loaded = load("a: {k: , l: 1}\n").unwrap();
        assert_eq!(loaded.value["a"]["k"], serde_json::Value::Null);
        let k = &loaded.root.entries()[0].value.entries()[0].value;
        assert_eq!((k.start, k.end, k.col), (6, 6, 6));
        // Still beyond the subset: a key with no `: `, and a trailing comma.
        for text in ["a: {k, l: 1}\n", "a: {k: ,}\n", "a: {k:}\n"] {
            assert!(load(text).is_none(), "read: {text}");
        }
    }
}
