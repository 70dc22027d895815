//! The three characters that are line breaks to Kubernetes' YAML reader and not to ours.
//! YAML 1.1 counts NEXT LINE (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR
//! (U+2029) as line breaks (YAML 1.1, section 4.1.4, `b-char`), and so does go-yaml v2
//! behind sigs.k8s.io/yaml (`is_break` in its `yamlprivateh.go`); YAML 1.2, which our
//! readers follow, made them ordinary characters. Outside a quoted scalar the two
//! readings differ: one in a comment ends the comment for kubectl, and what follows it is
//! read as YAML (a second `env:` that kubectl reads and we skip); in a plain or block
//! scalar it ends the line. Inside quotes both read the same character (go-yaml keeps a
//! LINE or PARAGRAPH SEPARATOR where it folds a line, and YAML 1.2 readers keep it as
//! it is), so a quoted one passes.

use crate::yaml::value::YamlError;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

/// Each character, as UTF-8, and its name.
const BREAKS: [(&str, &str); 3] = [
    ("\u{85}", "U+0085 (NEXT LINE)"),
    ("\u{2028}", "U+2028 (LINE SEPARATOR)"),
    ("\u{2029}", "U+2029 (PARAGRAPH SEPARATOR)"),
];

/// Where each of them is in `text`, in order, with its name.
fn found(text: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    text.char_indices().filter_map(|(at, c)| {
        BREAKS
            .iter()
            .find(|(b, _)| b.starts_with(c))
            .map(|(_, name)| (at, *name))
    })
}

/// The first of them in `text` (one document that parsed) outside a quoted scalar, as
/// an error at its line and column; `None` when there is none.
pub fn first_unquoted(text: &str) -> Option<YamlError> {
    // Their UTF-8 starts with 0xC2 or 0xE2: most texts have neither byte.
    if !text.bytes().any(|b| b == 0xC2 || b == 0xE2) {
        return None;
    }
    let mut at_all = found(text).peekable();
    at_all.peek()?;
    // The quoted scalars' bytes, in the order they are written.
    let mut quoted = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        if let Event::Scalar(_, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted, ..) = event {
            quoted.push((span.start.byte_offset()?, span.end.byte_offset()?));
        }
    }
    let mut quoted = quoted.into_iter().peekable();
    for (at, name) in at_all {
        while quoted.next_if(|&(_, end)| end <= at).is_some() {}
        if quoted.peek().is_some_and(|&(start, _)| start <= at) {
            continue;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = text[..at].matches('\n').count() + 1;
        let column = text[line_start..at].chars().count() + 1;
        return Some(YamlError {
            message: format!(
                "{name} outside quotes: Kubernetes (go-yaml, YAML 1.1) reads it as a line break, YAML 1.2 readers (this one too) as a character, so the document reads differently to each; put it inside quotes (or write it `\\N`, `\\L` or `\\P` in double quotes)"
            ),
            position: Some((line as u64, column as u64)),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(u64, u64)> {
        first_unquoted(text).map(|e| e.position.expect("placed"))
    }

    #[test]
    fn a_break_outside_quotes_is_found_where_it_is() {
        // In a comment, before a key kubectl would read; in a plain scalar; in a block one.
        assert_eq!(at("a: 1 # note\u{2028}b: 2\n"), Some((1, 12)));
        assert_eq!(at("k: \"é\"\nv: x\u{85}y\n"), Some((2, 5)));
        assert_eq!(at("t: |\n  one\u{2029}two\n"), Some((2, 6)));
        let e = first_unquoted("a: 1 # note\u{2028}b: 2\n").unwrap();
        assert!(
            e.message
                .starts_with("U+2028 (LINE SEPARATOR) outside quotes")
        );
    }

    #[test]
    fn a_break_inside_quotes_and_other_characters_pass() {
        assert_eq!(at("a: \"x\u{2028}y\"\nb: 'x\u{85}y'\n"), None);
        assert_eq!(at("\"k\u{2029}\": v\n"), None);
        // Other characters that start with the same bytes (an em dash, a non-breaking
        // space).
        assert_eq!(at("a: x — y\u{a0}z\n"), None);
        // Quoted first, then one outside: found.
        assert_eq!(at("a: \"x\u{2028}y\"\nb: z\u{2028}\n"), Some((2, 5)));
    }
}
