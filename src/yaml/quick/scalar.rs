//! Scalars on the fast path: what a plain scalar means (only where that is certain
//! without YAML 1.1's typing rules; otherwise the real resolver is asked), and the
//! decoding of one-line quoted scalars and of literal block scalars.

use super::{Bail, Out, R, Scanner, memchr};
use crate::yaml::spans::{Kind, Node};
use serde_json::Value;
use serde_saphyr::granit_parser::ScalarStyle;

/// Words that some YAML resolver reads as a bool, null or float (compared in lower
/// case): YAML 1.1's `y`/`yes`/`on`…, YAML 1.2's core schema, Rust's float words.
const SPECIAL_WORDS: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf", "infinity",
];

/// Whether `s` is one of [`SPECIAL_WORDS`] (called for every plain key and value: the
/// length picks the few words to compare).
fn special_word(s: &str) -> bool {
    if !matches!(s.len(), 1..=5 | 8) {
        return false;
    }
    SPECIAL_WORDS
        .iter()
        .any(|w| w.len() == s.len() && w.eq_ignore_ascii_case(s))
}

/// What a plain scalar means.
pub enum Plain {
    /// A string for every resolver: its text is its value.
    Str,
    /// A number, read without doubt (a decimal integer without a leading zero).
    Value(Value),
    /// Maybe a number, bool, null or timestamp: the real resolver decides.
    Ask,
}

/// Characters that can appear in a YAML 1.1 int (decimal, octal, hex, binary,
/// sexagesimal), float (`.inf`, `.nan`, exponents) or timestamp, and in `~`. A plain
/// scalar with any other character is a string.
fn maybe_typed_byte(b: u8) -> bool {
    matches!(b,
        b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' | b'x' | b'X' | b'o' | b'O'
        | b'n' | b'N' | b'i' | b'I' | b't' | b'T' | b'z' | b'Z'
        | b'_' | b'.' | b'+' | b'-' | b':' | b' ' | b'~')
}

pub fn classify(s: &str) -> Plain {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return Plain::Ask;
    };
    match s {
        "true" => return Plain::Value(Value::Bool(true)),
        "false" => return Plain::Value(Value::Bool(false)),
        "null" | "~" => return Plain::Value(Value::Null),
        _ => {}
    }
    if !matches!(first, b'0'..=b'9' | b'+' | b'-' | b'.' | b'~') {
        if special_word(s) {
            return Plain::Ask;
        }
        return Plain::Str;
    }
    if !b.iter().all(|&c| maybe_typed_byte(c)) {
        return Plain::Str;
    }
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    let decimal = !digits.is_empty()
        && digits.len() <= 18
        && digits.iter().all(u8::is_ascii_digit)
        && (digits[0] != b'0' || digits.len() == 1);
    // `-0` is a float to some resolvers: leave it to the real one.
    if decimal
        && let Ok(n) = s.parse::<i64>()
        && !(n == 0 && b[0] == b'-')
    {
        return Plain::Value(Value::from(n));
    }
    Plain::Ask
}

/// The value of a plain scalar in a mapping value's place, from the real resolver.
pub fn resolve(s: &str) -> Result<Value, Bail> {
    match classify(s) {
        Plain::Str => Ok(Value::String(s.to_owned())),
        Plain::Value(v) => Ok(v),
        Plain::Ask => {
            // The same scalar in the same context, read by the full parser.
            let doc = format!("k: {s}\n");
            let mut map: serde_json::Map<String, Value> =
                crate::yaml::value::from_str(&doc).map_err(|_| Bail)?;
            map.remove("k").ok_or(Bail)
        }
    }
}

/// The text of a double-quoted scalar on one line, `b[start]` being its `"`: the
/// decoded string and the offset just past the closing quote. Escapes beyond the common
/// ones, and a scalar that goes on to another line, are left to the full parser.
pub fn double_quoted(text: &str, start: usize) -> Result<(String, usize), Bail> {
    one_line(text, start, b'"')
}

/// The text of a single-quoted scalar on one line (`''` is a quote), and the offset just
/// past its closing quote.
pub fn single_quoted(text: &str, start: usize) -> Result<(String, usize), Bail> {
    one_line(text, start, b'\'')
}

/// A quoted scalar that ends on its line: `\` escapes in double quotes, `''` in single.
/// Runs without any are found a byte search at a time and copied whole.
fn one_line(text: &str, start: usize, quote: u8) -> Result<(String, usize), Bail> {
    let b = text.as_bytes();
    let double = quote == b'"';
    let mut out = String::new();
    let mut run = start + 1;
    loop {
        let stop = b[run..]
            .iter()
            .position(|&c| c == quote || c == b'\n' || (double && c == b'\\'))
            .ok_or(Bail)?;
        let i = run + stop;
        match b[i] {
            b'\n' => return Err(Bail),
            c if c == quote && !double && b.get(i + 1) == Some(&b'\'') => {
                out.push_str(&text[run..=i]);
                run = i + 2;
            }
            c if c == quote => {
                if out.is_empty() {
                    return Ok((text[run..i].to_string(), i + 1));
                }
                out.push_str(&text[run..i]);
                return Ok((out, i + 1));
            }
            _ => {
                out.push_str(&text[run..i]);
                let (c, len) = escape(&b[i + 1..])?;
                out.push(c);
                run = i + 1 + len;
            }
        }
    }
}

fn escape(rest: &[u8]) -> Result<(char, usize), Bail> {
    let hex = |n: usize| -> Result<(char, usize), Bail> {
        let digits = rest.get(1..=n).ok_or(Bail)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(Bail);
        }
        let code = u32::from_str_radix(std::str::from_utf8(digits).map_err(|_| Bail)?, 16)
            .map_err(|_| Bail)?;
        char::from_u32(code).map(|c| (c, n + 1)).ok_or(Bail)
    };
    Ok(match rest.first().ok_or(Bail)? {
        b'\\' => ('\\', 1),
        b'"' => ('"', 1),
        // Not YAML's, go-yaml's (`case '\''` in `yaml_parser_scan_flow_scalar`, go-yaml
        // v2's `scannerc.go`), so kubectl and Helm read `"it\'s"` as `it's`; our full
        // parser refuses it (see [`crate::yaml::scalars::GO_ONLY_ESCAPE`]).
        b'\'' => ('\'', 1),
        b'/' => ('/', 1),
        b'n' => ('\n', 1),
        b't' => ('\t', 1),
        b'r' => ('\r', 1),
        b'0' => ('\0', 1),
        b'b' => ('\u{8}', 1),
        b'f' => ('\u{c}', 1),
        b'x' => hex(2)?,
        b'u' => hex(4)?,
        _ => return Err(Bail),
    })
}

/// Chomping of a block scalar (`|`, `|-`, `|+`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Chomp {
    Clip,
    Strip,
    Keep,
}

/// The value of a literal block scalar from its lines: `lines` are the scalar's lines
/// from the first after the header to the last content line, each without its `\n`;
/// `indent` is the content indentation; `trailing` counts the blank lines after the last
/// content line.
pub fn literal<'a>(
    lines: impl Iterator<Item = &'a str>,
    indent: usize,
    chomp: Chomp,
    trailing: usize,
) -> String {
    let mut out = String::new();
    for (n, line) in lines.enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(line.get(indent..).unwrap_or(""));
    }
    match chomp {
        Chomp::Strip => {}
        Chomp::Clip => out.push('\n'),
        Chomp::Keep => (0..=trailing).for_each(|_| out.push('\n')),
    }
    out
}

impl<'t> Scanner<'t> {
    /// A literal (`|`) or, when only checking, folded (`>`) block scalar whose header is
    /// at `pos`, the value of a node at column `n`.
    pub(super) fn block_scalar(&mut self, n: usize) -> R<Out<'t>> {
        let header = self.node(
            Kind::Scalar {
                style: ScalarStyle::Literal,
                empty: false,
            },
            self.pos,
            self.pos,
        );
        let folded = self.byte(self.pos) == Some(b'>');
        if folded && self.build {
            return Err(Bail);
        }
        self.pos += 1;
        let chomp = match self.byte(self.pos) {
            Some(b'-') => Chomp::Strip,
            Some(b'+') => Chomp::Keep,
            _ => Chomp::Clip,
        };
        if chomp != Chomp::Clip {
            self.pos += 1;
        }
        self.end_of_line()?;
        let body = self.pos;
        // Content indentation: the first line with content; blank lines before it may
        // not be longer.
        let (mut indent, mut longest_blank) = (None, 0);
        let (mut content_end, mut body_end, mut trailing) = (body, body, 0usize);
        while self.pos < self.b.len() {
            let line = self.pos;
            let spaces = self.b[line..].iter().take_while(|&&b| b == b' ').count();
            let after = line + spaces;
            let Some(eol) = memchr(b'\n', &self.b[after..]).map(|i| after + i) else {
                // A last line without a line break: beyond the subset if it has content.
                if after < self.b.len() {
                    return Err(Bail);
                }
                break;
            };
            if after == eol {
                longest_blank = longest_blank.max(spaces);
                if indent.is_some_and(|k| spaces > k) {
                    return Err(Bail);
                }
                trailing += 1;
            } else {
                match indent {
                    None if spaces <= n || longest_blank > spaces => return Err(Bail),
                    None => indent = Some(spaces),
                    Some(k) if spaces < k => break,
                    Some(_) => {}
                }
                content_end = after + self.text[after..eol].trim_end_matches(' ').len();
                body_end = eol;
                trailing = 0;
            }
            self.pos = eol;
            self.newline();
        }
        let k = indent.ok_or(Bail)?;
        // Back to the first line after the content (past the blank lines in between).
        let value = if self.build {
            let lines = self.text[body..body_end].split('\n');
            Value::String(literal(lines, k, chomp, trailing))
        } else {
            Value::Null
        };
        let style = if folded {
            ScalarStyle::Folded
        } else {
            ScalarStyle::Literal
        };
        let node = Node {
            shape: Kind::Scalar {
                style,
                empty: false,
            },
            end: content_end,
            ..header
        };
        self.next_content(false)?;
        Ok(Out { value, node })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_names_are_strings_without_asking() {
        for s in ["500m", "1Gi", "25%", "IfNotPresent", "/tmp", "$(X)", "a: b"] {
            assert!(matches!(classify(s), Plain::Str), "{s}");
        }
        assert!(matches!(classify("true"), Plain::Value(Value::Bool(true))));
        assert!(matches!(classify("~"), Plain::Value(Value::Null)));
        for s in [
            "yes",
            "On",
            "NULL",
            "True",
            "0644",
            "1.5",
            "0x1F",
            "1:20",
            "-0",
            "2001-12-14",
        ] {
            assert!(matches!(classify(s), Plain::Ask), "{s}");
        }
        assert!(matches!(classify("8080"), Plain::Value(v) if v == 8080));
        assert!(matches!(classify("-3"), Plain::Value(v) if v == -3));
    }

    #[test]
    fn quoted_scalars_decode() {
        assert_eq!(
            double_quoted(r#""a\"b\u00e9" x"#, 0).unwrap(),
            ("a\"bé".into(), 12)
        );
        assert_eq!(single_quoted("'it''s'", 0).unwrap(), ("it's".into(), 7));
        assert!(double_quoted("\"open\n\"", 0).is_err());
    }
}
