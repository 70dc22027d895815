//! The three characters that are line breaks to Kubernetes' YAML reader and not to ours.
//! YAML 1.1 counts NEXT LINE (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR
//! (U+2029) as line breaks (YAML 1.1, section 4.1.4, `b-char`), and so does go-yaml v2
//! behind sigs.k8s.io/yaml (`is_break` in its `yamlprivateh.go`); YAML 1.2, which our
//! readers follow, made them ordinary characters. So the two read a text holding one
//! differently wherever it is: in a comment it ends the comment for kubectl, and what
//! follows is read as YAML (a second `env:` that kubectl reads and we skip); in a plain
//! or block scalar it ends the line; inside quotes go-yaml folds a NEXT LINE into a space
//! and trims the spaces around the others. Written as an escape in double quotes
//! (`\N`, `\L`, `\P`), each reads as the same character to both.

use crate::yaml::value::YamlError;

/// Each character and its name.
const BREAKS: [(char, &str); 3] = [
    ('\u{85}', "U+0085 (NEXT LINE)"),
    ('\u{2028}', "U+2028 (LINE SEPARATOR)"),
    ('\u{2029}', "U+2029 (PARAGRAPH SEPARATOR)"),
];

/// The first of them in `text`, or a carriage return without a line feed after it, as an
/// error at its line and column; `None` when there is none.
pub fn first(text: &str) -> Option<YamlError> {
    lone_cr(text).or_else(|| unicode_break(text))
}

/// A carriage return that no line feed follows (classic Mac OS line endings): a line
/// break to every YAML reader (YAML 1.2, section 5.4, `b-break`; go-yaml's `is_break`),
/// and none to this tool, which reads lines as LF or CRLF and edits them so. One that
/// ends the text is a CRLF file's last line break with its LF missing, and is no line
/// inside it.
pub fn lone_cr(text: &str) -> Option<YamlError> {
    let b = text.as_bytes();
    let at = (0..b.len().saturating_sub(1)).find(|&i| b[i] == b'\r' && b[i + 1] != b'\n')?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    let column = text[line_start..at].chars().count() + 1;
    Some(YamlError {
        message: "a carriage return without a line feed after it (classic Mac OS line endings): YAML and Kubernetes read it as a line break, this tool reads lines that end in LF or CRLF only; save the file with LF or CRLF line endings".into(),
        position: Some((line as u64, column as u64)),
    })
}

fn unicode_break(text: &str) -> Option<YamlError> {
    // Their UTF-8 starts with 0xC2 or 0xE2: most texts have neither byte.
    if !text.bytes().any(|b| b == 0xC2 || b == 0xE2) {
        return None;
    }
    let (at, name) = text.char_indices().find_map(|(at, c)| {
        BREAKS
            .iter()
            .find(|(b, _)| *b == c)
            .map(|(_, name)| (at, *name))
    })?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    let column = text[line_start..at].chars().count() + 1;
    Some(YamlError {
        message: format!(
            "{name}: Kubernetes (go-yaml, YAML 1.1) reads it as a line break (inside quotes, folded into a space or with the spaces around it trimmed), YAML 1.2 readers (this one too) as a character, so the document reads differently to each; write it as an escape in double quotes (`\\N`, `\\L` or `\\P`), which both read as the character"
        ),
        position: Some((line as u64, column as u64)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(u64, u64)> {
        first(text).map(|e| e.position.expect("placed"))
    }

    #[test]
    fn a_break_is_found_where_it_is() {
        // In a comment, before a key kubectl would read; in a plain scalar; in a block
        // one; inside quotes.
        assert_eq!(at("a: 1 # note\u{2028}b: 2\n"), Some((1, 12)));
        assert_eq!(at("k: \"é\"\nv: x\u{85}y\n"), Some((2, 5)));
        assert_eq!(at("t: |\n  one\u{2029}two\n"), Some((2, 6)));
        assert_eq!(at("a: \"x \u{2028} y\"\n"), Some((1, 7)));
        let e = first("a: 1 # note\u{2028}b: 2\n").unwrap();
        assert!(e.message.starts_with("U+2028 (LINE SEPARATOR): Kubernetes"));
    }

    #[test]
    fn a_carriage_return_alone_is_a_break_and_crlf_is_not() {
        assert_eq!(at("a: 1\r\nb: 2\r\n"), None);
        assert_eq!(at("# c\rkind: Deployment\r"), Some((1, 4)));
        assert_eq!(at("a: 1\r\nb: 2\rc: 3\r\n"), Some((2, 5)));
        assert_eq!(at("a: 1\r\nb: 2\r"), None);
        assert_eq!(at("a: 1\rb: 2\r"), Some((1, 5)));
    }

    #[test]
    fn escapes_and_other_characters_pass() {
        assert_eq!(at("a: \"x\\Ly\\N\\P\"\n"), None);
        // Other characters that start with the same bytes (an em dash, a non-breaking
        // space).
        assert_eq!(at("a: x — y\u{a0}z\n"), None);
    }
}
