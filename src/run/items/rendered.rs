//! A ResourceList's results made into their text as they come: each one written at once
//! as the list will hold it (block lines at the list's column, or JSON), and kept in a
//! few large buffers instead of as values. A list of 160,000 small items has as many
//! results; held as values until the items were written, they took more memory than the
//! list itself.

use crate::run::diag::Diagnostic;
use crate::yaml::{self, ListStyle, lines};

/// How a result is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A block list item at `column`, its lines ended with `\r\n` when `crlf`.
    Block { column: usize, crlf: bool },
    /// JSON, the items separated by `, ` (a flow list stays JSON).
    Json,
}

/// The results written so far, in order.
#[derive(Debug)]
pub struct Rendered {
    pub format: Format,
    chunks: Vec<String>,
    /// The bytes the chunks hold.
    bytes: usize,
    /// How many results.
    pub count: usize,
}

/// Text is kept in buffers that grow with it up to this size, then stay at it (one
/// doubling buffer would hold up to twice its text, and three times while it grows); an
/// item's own results, usually one, take no more than their text.
const CHUNK: usize = 256 << 10;

impl Rendered {
    pub fn new(format: Format) -> Rendered {
        Rendered {
            format,
            chunks: Vec::new(),
            bytes: 0,
            count: 0,
        }
    }

    /// The same format, nothing written yet.
    pub fn empty_like(&self) -> Rendered {
        Rendered::new(self.format)
    }

    pub fn push(&mut self, result: &Diagnostic) {
        let text = match self.format {
            Format::Block { column, crlf } => block_item(result, column, crlf),
            Format::Json => serde_json::to_string(result).expect("results serialize"),
        };
        self.separate();
        self.put(&text);
        self.count += 1;
    }

    /// Append what another one (of the same format) holds.
    pub fn append(&mut self, other: Rendered) {
        if other.count == 0 {
            return;
        }
        self.separate();
        for chunk in &other.chunks {
            self.put(chunk);
        }
        self.count += other.count;
    }

    /// The text, in pieces.
    pub fn pieces(&self) -> impl Iterator<Item = &str> {
        self.chunks.iter().map(String::as_str)
    }

    fn separate(&mut self) {
        if self.format == Format::Json && self.count > 0 {
            self.put(", ");
        }
    }

    fn put(&mut self, text: &str) {
        match self.chunks.last_mut() {
            Some(last) if last.len() + text.len() <= last.capacity() => last.push_str(text),
            _ => {
                let mut chunk = String::with_capacity(text.len().max(self.bytes.min(CHUNK)));
                chunk.push_str(text);
                self.chunks.push(chunk);
            }
        }
        self.bytes += text.len();
    }
}

/// One item of a block list at `column`: what serializing the whole list would give for it.
pub fn block_item<T: serde::Serialize>(item: &T, column: usize, crlf: bool) -> String {
    let text = yaml::to_string(&[item], ListStyle::Compact);
    let pad = " ".repeat(column);
    let mut padded = String::with_capacity(text.len() + 4 * column);
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            padded.push_str(&pad);
        }
        padded.push_str(line);
    }
    lines::with_breaks(padded, crlf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(r: &Rendered) -> String {
        r.pieces().collect()
    }

    #[test]
    fn json_results_are_separated_across_appends() {
        let mut all = Rendered::new(Format::Json);
        all.push(&Diagnostic::info("a"));
        let mut one = all.empty_like();
        one.push(&Diagnostic::warning("b"));
        one.push(&Diagnostic::error("c"));
        all.append(one);
        all.append(Rendered::new(Format::Json));
        let back: serde_json::Value = serde_json::from_str(&format!("[{}]", text(&all))).unwrap();
        let messages: Vec<_> = back
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["message"].as_str().unwrap())
            .collect();
        assert_eq!(messages, ["a", "b", "c"]);
        assert_eq!(all.count, 3);
    }

    #[test]
    fn block_results_span_chunks_unbroken() {
        let format = Format::Block {
            column: 2,
            crlf: true,
        };
        let mut all = Rendered::new(format);
        let long = "x".repeat(CHUNK / 3);
        for i in 0..10 {
            all.push(&Diagnostic::info(format!("{i} {long}")));
        }
        assert!(all.chunks.len() > 1, "{}", all.chunks.len());
        let whole = text(&all);
        let expected: String = (0..10)
            .map(|i| block_item(&Diagnostic::info(format!("{i} {long}")), 2, true))
            .collect();
        assert_eq!(whole, expected);
        assert!(whole.starts_with("  - message: "), "{}", &whole[..20]);
        assert!(!whole.replace("\r\n", "").contains('\n'));
    }
}
