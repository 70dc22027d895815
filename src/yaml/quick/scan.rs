//! The fast path's scanner: lines, indentation, comments and mapping keys.

use super::{
    Bail, Key, Keys, MAX_DEPTH, Out, R, Scanner, memchr, scalar, unsupported_byte, unsupported_char,
};
use crate::yaml::spans::{Kind, Node};
use serde_saphyr::granit_parser::ScalarStyle;
use std::borrow::Cow;

/// Where a document that ends with a `...` line, nothing but blank lines and comments
/// after it, ends without it: the start of that line (else the text's end).
fn before_end_marker(text: &str) -> usize {
    let mut end = text.len();
    while end > 0 {
        // The line break before the last character (bytes: that character may be several).
        let start = text.as_bytes()[..end - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = text[start..end].trim_end();
        if line.trim_start().is_empty() || line.trim_start().starts_with('#') {
            end = start;
            continue;
        }
        let marker = line.strip_prefix("...").is_some_and(|rest| {
            rest.is_empty() || (rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#'))
        });
        return if marker { start } else { text.len() };
    }
    text.len()
}

impl<'t> Scanner<'t> {
    pub(super) fn new(text: &'t str, build: bool) -> Self {
        Scanner {
            text,
            b: text.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            indent: None,
            build,
            spans: build,
            depth: 0,
            keep: 0,
            outlined: Vec::new(),
            pairs: Vec::new(),
            spare: Vec::new(),
            last_col: std::cell::Cell::new((usize::MAX, 0, 0)),
            shallow: false,
            loose: false,
            flow_min: None,
        }
    }

    /// The document: its root (a block mapping) and the root's number of entries.
    pub(super) fn document(&mut self) -> R<(Out<'t>, usize)> {
        // A `...` that ends the document, and the comments after it, are no part of it:
        // read what comes before (the same offsets: the spans fit the whole text).
        let end = before_end_marker(self.text);
        self.text = &self.text[..end];
        self.b = &self.b[..end];
        if self
            .b
            .iter()
            .fold(false, |bad, &b| bad | unsupported_byte(b))
            || (!self.text.is_ascii() && self.text.chars().any(unsupported_char))
        {
            return Err(Bail);
        }
        self.next_content(true)?;
        let col = self.indent.ok_or(Bail)?;
        if self.byte(self.pos) == Some(b'{') {
            return self.flow_root();
        }
        let first = self.key_at(self.pos)?.ok_or(Bail)?;
        let root = self.map(col, first)?;
        if self.indent.is_some() {
            return Err(Bail);
        }
        Ok((root.out, root.entries))
    }

    /// A root that is one flow mapping on one line (`{apiVersion: v1, kind: Pod, …}`),
    /// then nothing but comments. JSON (`{"apiVersion": …}`) is left to
    /// [`super::json::load_json`], which reads it as JSON, and an outline to the full
    /// parser.
    fn flow_root(&mut self) -> R<(Out<'t>, usize)> {
        let after = self.b[self.pos + 1..].iter().find(|&&b| b != b' ');
        if self.keep > 0 || matches!(after, Some(b'"' | b'}')) {
            return Err(Bail);
        }
        let (root, entries) = self.flow_counted()?;
        self.end_of_line()?;
        self.next_content(false)?;
        if self.indent.is_some() {
            return Err(Bail);
        }
        Ok((root, entries))
    }

    pub(super) fn byte(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    /// A space, a line break or the end: what must follow `-`, `?` or `:` as indicators.
    pub(super) fn blank_at(&self, at: usize) -> bool {
        matches!(self.byte(at), None | Some(b' ' | b'\n'))
    }

    /// The column of `at` on the current line, in characters. Counted on from the last
    /// column asked for on this line: the nodes of a long one-line flow collection are
    /// asked for left to right, and counting each from the line's start was quadratic.
    pub(super) fn col(&self, at: usize) -> usize {
        if at - self.line_start < 128 {
            // Near the line's start (most nodes): counted from there.
            let prefix = &self.text[self.line_start..at];
            return if prefix.is_ascii() {
                prefix.len()
            } else {
                prefix.chars().count()
            };
        }
        let (line_start, from, col) = self.last_col.get();
        let (from, col) = if line_start == self.line_start && from <= at {
            (from, col)
        } else {
            (self.line_start, 0)
        };
        let part = &self.text[from..at];
        let col = col
            + if part.is_ascii() {
                part.len()
            } else {
                part.chars().count()
            };
        self.last_col.set((self.line_start, at, col));
        col
    }

    pub(super) fn node(&self, kind: Kind<'t>, start: usize, end: usize) -> Node<'t> {
        Node {
            shape: kind,
            start,
            end,
            // A check keeps no node: its columns are never read.
            col: if (self.build && self.spans) || self.keep > 0 {
                self.col(start)
            } else {
                0
            },
            line: self.line,
            special: false,
            hash: 0,
        }
    }

    pub(super) fn skip_spaces(&mut self) {
        while self.byte(self.pos) == Some(b' ') {
            self.pos += 1;
        }
    }

    /// Past the `\n` at `pos`.
    pub(super) fn newline(&mut self) {
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    /// The rest of a line after its content: spaces and maybe a comment, then the break.
    pub(super) fn end_of_line(&mut self) -> R<()> {
        let before = self.pos;
        self.skip_spaces();
        match self.byte(self.pos) {
            None => Ok(()),
            Some(b'\n') => {
                self.newline();
                Ok(())
            }
            Some(b'#') if self.pos > before => {
                self.skip_line();
                Ok(())
            }
            _ => Err(Bail),
        }
    }

    pub(super) fn skip_line(&mut self) {
        match memchr(b'\n', &self.b[self.pos..]) {
            Some(i) => {
                self.pos += i;
                self.newline();
            }
            None => self.pos = self.b.len(),
        }
    }

    /// From the start of a line, past blank and comment lines to the next content line
    /// (`indent` set, `pos` at its first character). A document marker there is beyond
    /// the subset, except one `---` before the content when `marker` allows it.
    pub(super) fn next_content(&mut self, mut marker: bool) -> R<()> {
        loop {
            let start = self.pos;
            self.skip_spaces();
            match self.byte(self.pos) {
                None => {
                    self.indent = None;
                    return Ok(());
                }
                Some(b'\n') => self.newline(),
                Some(b'#') => self.skip_line(),
                Some(_) => {
                    let rest = &self.b[self.pos..];
                    let is_marker = self.pos == start
                        && (rest.starts_with(b"---") || rest.starts_with(b"..."))
                        && self.blank_at(self.pos + 3);
                    if is_marker && marker && rest.starts_with(b"---") {
                        marker = false;
                        self.pos += 3;
                        self.end_of_line()?;
                        continue;
                    }
                    if is_marker {
                        return Err(Bail);
                    }
                    self.indent = Some(self.pos - start);
                    return Ok(());
                }
            }
        }
    }

    pub(super) fn at_dash(&self) -> bool {
        self.byte(self.pos) == Some(b'-') && self.blank_at(self.pos + 1)
    }

    /// Whether a plain scalar can start at `at` in block context.
    pub(super) fn plain_start(&self, at: usize) -> bool {
        match self.byte(at) {
            Some(b'-' | b'?' | b':') => !self.blank_at(at + 1),
            Some(
                b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
                | b'"' | b'%' | b'@' | b'`',
            ) => false,
            Some(_) => true,
            None => false,
        }
    }

    /// The mapping key that starts at `at` on this line (`key:` then a space or the
    /// end of the line), if one does.
    pub(super) fn key_at(&self, at: usize) -> R<Option<Key<'t>>> {
        let (text, style, end) = match self.byte(at) {
            Some(b'"') => {
                let (s, end) = scalar::double_quoted(self.text, at)?;
                (Cow::Owned(s), ScalarStyle::DoubleQuoted, end)
            }
            Some(b'\'') => {
                let (s, end) = scalar::single_quoted(self.text, at)?;
                (Cow::Owned(s), ScalarStyle::SingleQuoted, end)
            }
            _ if !self.plain_start(at) => return Ok(None),
            _ => {
                let mut i = at;
                loop {
                    match self.byte(i) {
                        None | Some(b'\n') => return Ok(None),
                        Some(b':') if self.blank_at(i + 1) => break,
                        Some(b' ') if self.byte(i + 1) == Some(b'#') => return Ok(None),
                        _ => i += 1,
                    }
                }
                let end = at + self.text[at..i].trim_end_matches(' ').len();
                (Cow::Borrowed(&self.text[at..end]), ScalarStyle::Plain, end)
            }
        };
        let mut colon = end;
        while self.byte(colon) == Some(b' ') {
            colon += 1;
        }
        if self.byte(colon) != Some(b':') || !self.blank_at(colon + 1) {
            return Ok(None);
        }
        // A long key, or an escape that the span tree would read otherwise
        // (`spans::key_text` decodes a double-quoted key as JSON).
        if end - at > 1024
            || (style == ScalarStyle::DoubleQuoted && self.text[at..end].contains('\\'))
        {
            return Err(Bail);
        }
        Ok(Some(Key {
            start: at,
            end,
            colon_end: colon + 1,
            text,
            style,
        }))
    }

    /// An empty key list for a new mapping.
    pub(super) fn keys(&mut self) -> Keys<'t> {
        Keys {
            count: 0,
            few: self.spare.pop().unwrap_or_default(),
            many: None,
        }
    }

    pub(super) fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::before_end_marker;

    #[test]
    fn a_document_that_ends_with_dots_is_read_without_them() {
        let doc = "---\na:\n  b: [1]\n";
        for end in [
            "...\n",
            "...",
            "... # end\n",
            "...\n# after\n\n",
            "...\n  # a\n",
        ] {
            let text = format!("{doc}{end}");
            assert_eq!(before_end_marker(&text), doc.len(), "{text:?}");
            // The same value and spans as the full parser's (debug builds compare them).
            let loaded = crate::yaml::quick::load(&text).expect("read on the fast path");
            assert_eq!(loaded.value, serde_json::json!({"a": {"b": [1]}}));
            assert!(crate::yaml::quick::check(&text).is_some());
        }
        for text in [
            "a: é",
            "a: 1\nb: é",
            "a: 1\n",
            "a: 1\n...x\n",
            "a: 1\n...\nb: 2\n",
            "a: |\n  ...\n",
        ] {
            assert_eq!(before_end_marker(text), text.len(), "{text:?}");
        }
    }
}
