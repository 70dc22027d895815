//! Splitting a multi-document stream into documents without parsing, one line at a
//! time, keeping every byte (`---` lines included) with the document it starts.

use std::io::{self, BufRead};

/// One document of the stream, exactly as it came in (its `---` line included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    pub bytes: Vec<u8>,
    /// 1-based position in the stream.
    pub index: usize,
    /// 1-based line of the stream on which the document's first byte is.
    pub first_line: u64,
}

/// A `---` line: the start of a new document (YAML forbids it inside content).
pub fn is_separator(line: &[u8]) -> bool {
    line.starts_with(b"---") && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// A line with content: not blank, not a comment, not a bare `---` or `...` marker
/// (Helm's comment-only documents for disabled templates have none).
pub fn is_content_line(line: &str) -> bool {
    let t = line.trim();
    let marker = ["---", "..."].iter().any(|m| {
        t.strip_prefix(m)
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    });
    !(t.is_empty() || t.starts_with('#') || marker)
}

/// True when a document has a line with content ([`is_content_line`]); an empty one
/// (blank lines, comments, markers) is what kio's ByteReader skips.
pub fn has_content(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .any(|line| is_content_line(&String::from_utf8_lossy(line)))
}

/// Take documents from `docs` up to the first with content: the empty ones before it as
/// one text (Helm writes one per disabled template; they are few bytes each, and one
/// buffer holds a million of them in their own size), and that document.
pub fn first_content(
    docs: &mut impl Iterator<Item = io::Result<RawDoc>>,
) -> io::Result<(Vec<u8>, Option<RawDoc>)> {
    let mut empty: Vec<u8> = Vec::new();
    for doc in docs {
        let doc = doc?;
        if has_content(&doc.bytes) {
            return Ok((empty, Some(doc)));
        }
        if empty.is_empty() {
            empty = doc.bytes; // the first: the buffer reserved for the input, if any
        } else {
            empty.extend_from_slice(&doc.bytes);
        }
    }
    Ok((empty, None))
}

/// The part of `text` that is its documents with content, `start..end`: the empty
/// documents before and after them (blank lines, comments and markers only, around a
/// ResourceList: kio's ByteReader skips them) are left out.
pub fn without_empty_around(text: &[u8]) -> (usize, usize) {
    let content = |line: &[u8]| is_content_line(&String::from_utf8_lossy(line));
    // The first content line, and the separator that starts its document.
    let (mut start, mut at, mut first) = (0, 0, None);
    for line in text.split_inclusive(|&b| b == b'\n') {
        if is_separator(line) {
            start = at;
        }
        if content(line) {
            first = Some(at);
            break;
        }
        at += line.len();
    }
    let Some(first) = first else {
        return (0, text.len());
    };
    // From the end back to the last content line: the first separator after it ends
    // the last document with content.
    let (mut end, mut at) = (text.len(), text.len());
    while at > first {
        let from = text[..at - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = &text[from..at];
        if content(line) {
            break;
        }
        if is_separator(line) {
            end = from;
        }
        at = from;
    }
    (start, end)
}

/// Splits a stream into [`RawDoc`]s, reading one line at a time: memory stays bounded
/// by the largest document, not the stream.
pub struct Splitter<R> {
    reader: R,
    /// The separator line that starts the next document, already read.
    pending: Option<Vec<u8>>,
    line: u64,
    index: usize,
    done: bool,
    /// Bytes to reserve, once, for the first document (see [`Splitter::first_capacity`]).
    first_capacity: usize,
}

impl<R: BufRead> Splitter<R> {
    pub fn new(reader: R) -> Self {
        Splitter {
            reader,
            pending: None,
            line: 1,
            index: 0,
            done: false,
            first_capacity: 0,
        }
    }

    /// Reserve `bytes` for the first document before reading it: the size of the input
    /// when it is a file, so that a ResourceList (one document, the whole input) is read
    /// into a buffer sized once instead of one that grows by doubling and copying. What
    /// is reserved and never read is never touched, so it costs no memory.
    pub fn first_capacity(mut self, bytes: usize) -> Self {
        self.first_capacity = bytes;
        self
    }

    fn read_doc(&mut self) -> io::Result<Option<RawDoc>> {
        if self.done {
            return Ok(None);
        }
        let first_line = self.line;
        let mut bytes = self.pending.take().unwrap_or_default();
        if self.index == 0 {
            bytes.reserve_exact(std::mem::take(&mut self.first_capacity));
        }
        let started_with_separator = !bytes.is_empty();
        if started_with_separator {
            self.line += 1;
        }
        // Directives (`%YAML 1.1`, `%TAG`) belong to the document their `---` starts; one
        // after a `...` that ends a document starts the next.
        let mut lines = Lines {
            directives: bytes.first() == Some(&b'%'),
            content: started_with_separator && bytes.first() != Some(&b'%'),
            ended: false,
        };
        loop {
            // Read straight into the document: no buffer per line (this loop sees every byte).
            let start = bytes.len();
            let n = self.reader.read_until(b'\n', &mut bytes)?;
            if n == 0 {
                self.done = true;
                break;
            }
            let line = &bytes[start..];
            if is_separator(line) && lines.directives && !lines.content {
                // The `---` that ends this document's directives.
                lines.content = true;
                self.line += 1;
                continue;
            }
            if line.first() == Some(&b'%') && lines.ended {
                // A directive after a `...`: the next document starts here.
                self.pending = Some(line.to_vec());
                bytes.truncate(start);
                break;
            }
            lines.see(line);
            if is_separator(line) {
                if started_with_separator || start > 0 || self.index > 0 {
                    // The next document starts with this line; it is given room for
                    // one as long as this one (up to 1 MiB): a render's documents are
                    // often alike, and growing line by line reallocates a dozen times.
                    let mut next = Vec::with_capacity(start.min(1 << 20).max(line.len()));
                    next.extend_from_slice(line);
                    self.pending = Some(next);
                    bytes.truncate(start);
                    break;
                }
                // The stream starts with `---`: no empty prefix document.
                self.line += 1;
                continue;
            }
            if line.ends_with(b"\n") {
                self.line += 1;
            }
        }
        if bytes.is_empty() {
            return Ok(None);
        }
        self.index += 1;
        Ok(Some(RawDoc {
            bytes,
            index: self.index,
            first_line,
        }))
    }
}

/// What the lines of the document being read have held so far.
struct Lines {
    /// A directive line, before any content.
    directives: bool,
    /// A line with content (or the `---` that starts it).
    content: bool,
    /// The last line with content is a `...` that ends the document.
    ended: bool,
}

impl Lines {
    fn see(&mut self, line: &[u8]) {
        let end_marker = line.starts_with(b"...")
            && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
        // Once content was seen, only a `...` and the content after one matter (this
        // runs for every line of the stream: the usual line costs one comparison).
        if self.content && !self.ended && !end_marker {
            return;
        }
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
            return;
        }
        if line.starts_with(b"%") && !self.content {
            self.directives = true;
            return;
        }
        self.content = true;
        self.ended = end_marker;
    }
}

impl<R: BufRead> Iterator for Splitter<R> {
    type Item = io::Result<RawDoc>;
    fn next(&mut self) -> Option<Self::Item> {
        self.read_doc().transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_content_are_told_from_markers_and_comments() {
        for empty in [
            "",
            "   ",
            "# Source: a.yaml",
            "---",
            "--- # x",
            "...",
            "... #",
        ] {
            assert!(!is_content_line(empty), "{empty:?}");
        }
        for content in ["kind: Pod", "--- {a: 1}", "--- |", "%YAML 1.1", "-", "...x"] {
            assert!(is_content_line(content), "{content:?}");
        }
    }

    fn split(input: &str) -> Vec<(String, usize, u64)> {
        Splitter::new(input.as_bytes())
            .map(|d| d.unwrap())
            .map(|d| (String::from_utf8(d.bytes).unwrap(), d.index, d.first_line))
            .collect()
    }

    #[test]
    fn empty_documents_around_the_content_are_told_apart() {
        let list = "---\napiVersion: v1\nkind: ResourceList\nitems: []\n...\n";
        for (before, after) in [
            ("", ""),
            ("---\n", "---\n"),
            ("# head\n\n", "---\n# nothing here\n"),
            ("---\n--- # c\n...\n", "---\n...\n---"),
        ] {
            let text = format!("{before}{list}{after}");
            let (start, end) = without_empty_around(text.as_bytes());
            assert_eq!(&text[start..end], list, "{text:?}");
        }
        // A second document with content is kept (and refused by the reader).
        let text = format!("{list}---\na: 1\n---\n");
        let (start, end) = without_empty_around(text.as_bytes());
        assert_eq!(&text[start..end], format!("{list}---\na: 1\n"));
        let mut docs = Splitter::new("---\n# c\n---\n---\na: 1\n---\n".as_bytes());
        let (empty, first) = first_content(&mut docs).unwrap();
        assert_eq!(empty, b"---\n# c\n---\n");
        assert_eq!(
            first.map(|d| (d.bytes, d.index, d.first_line)),
            Some((b"---\na: 1\n".to_vec(), 3, 4))
        );
    }

    #[test]
    fn a_separator_line_longer_than_the_reserve_is_kept_whole() {
        // `--- <content>` on one line of 2 MiB after a small document: the next document's
        // buffer is reserved from the last one's size (at most 1 MiB) and this line.
        let long = format!("--- {}\n", "x".repeat(2 << 20));
        let input = format!("a: 1\n{long}b: 2\n");
        let docs = split(&input);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].0, format!("{long}b: 2\n"));
    }

    #[test]
    fn splitting_keeps_every_byte() {
        for input in [
            "",
            "a: 1\n",
            "---\na: 1\n",
            "# head\n---\n# Source: x\na: 1\n---\n---\nb: 2",
            "a: 1\n--- # c\nb: 2\n---\n",
            "x: |\n  ---not a separator\n----\n",
        ] {
            let docs = split(input);
            let joined: String = docs.iter().map(|d| d.0.as_str()).collect();
            assert_eq!(joined, input);
        }
    }

    #[test]
    fn directives_belong_to_the_document_their_separator_starts() {
        let input = "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: 1\n...\n%YAML 1.1\n---\nb: 2\n---\nc: 3\n";
        let docs = split(input);
        let texts: Vec<&str> = docs.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(
            texts,
            [
                "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: 1\n...\n",
                "%YAML 1.1\n---\nb: 2\n",
                "---\nc: 3\n"
            ]
        );
        assert_eq!((docs[1].1, docs[1].2), (2, 6));
        assert_eq!((docs[2].1, docs[2].2), (3, 9));
        // A `%` in content is content (here, inside a block scalar).
        let input = "a: |\n  x\n%not a directive\n---\nb: 1\n";
        assert_eq!(split(input).len(), 2);
    }

    #[test]
    fn documents_know_their_index_and_first_line() {
        let docs = split("---\n# Source: a\na: 1\n---\nb: 2\n");
        assert_eq!(
            docs,
            vec![
                ("---\n# Source: a\na: 1\n".into(), 1, 1),
                ("---\nb: 2\n".into(), 2, 4)
            ]
        );
        let docs = split("a: 1\n---\nb: 2\n");
        assert_eq!(docs[1].2, 2);
    }
}
