//! The text around a document's content: the directives, `---` line and comments kept
//! when it is written out in full, a byte order mark after its `---` line, and where in
//! the stream a result's field is written.

use crate::yaml::split::is_separator;

/// Where a byte order mark starts the line after the document's `---` line, if one does.
pub(super) fn after_separator_bom(text: &str) -> Option<usize> {
    let first = text.find('\n')?;
    (is_separator(&text.as_bytes()[..first]) && text[first + 1..].starts_with('\u{feff}'))
        .then_some(first + 1)
}

/// Split a document into the lines we keep when it changes (its directives, its `---`
/// line and the comments before the content, like Helm's `# Source:`) and the content.
/// A directive (`%YAML 1.1`) comes before the `---` line, which it needs.
pub(super) fn leading_lines(text: &str) -> (String, &str) {
    let mut prefix = String::new();
    let mut rest = text;
    let mut separated = false;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        let trimmed = line.trim();
        if !separated && is_separator(line.as_bytes()) {
            separated = true;
            let after = trimmed[3..].trim_start();
            if !(after.is_empty() || after.starts_with('#')) {
                // `--- value`: the content starts on this line; keep a plain separator.
                prefix.push_str("---\n");
                return (prefix, rest[3..].trim_start());
            }
            prefix.push_str(line);
            if !line.ends_with('\n') {
                prefix.push('\n');
            }
        } else if (!separated && line.starts_with('%'))
            || trimmed.is_empty()
            || trimmed.starts_with('#')
        {
            prefix.push_str(line);
        } else {
            break;
        }
        rest = &rest[end..];
    }
    (prefix, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_comments_and_separator_are_kept() {
        let (prefix, body) =
            leading_lines("---\n# Source: chart/templates/d.yaml\n\napiVersion: v1\n# inner\n");
        assert_eq!(prefix, "---\n# Source: chart/templates/d.yaml\n\n");
        assert_eq!(body, "apiVersion: v1\n# inner\n");
    }

    #[test]
    fn only_a_bom_right_after_the_separator_is_skipped() {
        assert_eq!(after_separator_bom("---\n\u{feff}kind: Pod\n"), Some(4));
        assert_eq!(
            after_separator_bom("--- # c\r\n\u{feff}kind: Pod\n"),
            Some(9)
        );
        // After a comment, or inside the document, Kubernetes reads it as part of a key.
        assert_eq!(
            after_separator_bom("---\n# Source: x\n\u{feff}kind: Pod\n"),
            None
        );
        assert_eq!(after_separator_bom("kind: Pod\n\u{feff}spec: {}\n"), None);
    }

    #[test]
    fn directives_are_kept_with_their_separator() {
        let (prefix, body) = leading_lines(
            "%YAML 1.1\n# c\n%TAG !k! tag:x,2026:\n--- # d\n# Source: s\nkind: Pod\n",
        );
        assert_eq!(
            prefix,
            "%YAML 1.1\n# c\n%TAG !k! tag:x,2026:\n--- # d\n# Source: s\n"
        );
        assert_eq!(body, "kind: Pod\n");
        let (prefix, body) = leading_lines("%YAML 1.1\n--- {kind: Pod}\n");
        assert_eq!(prefix, "%YAML 1.1\n---\n");
        assert_eq!(body, "{kind: Pod}\n");
    }
}
