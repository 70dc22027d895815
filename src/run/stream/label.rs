//! How messages name a document of a stream: `document N (chart/templates/x.yaml)`.

use crate::yaml::split::is_content_line;

/// How messages name a document: `document N`, counting only the documents with
/// content (Helm's comment-only documents for disabled templates are not counted), and
/// the template Helm's `# Source:` comment names.
#[derive(Debug, Default)]
pub struct Label {
    number: usize,
    has_content: bool,
    source: Option<String>,
}

impl Label {
    /// Move on to the document `bytes`.
    pub fn next(&mut self, bytes: &[u8]) {
        // Only the lines up to the first with content are read; the first `# Source:`
        // comment among them names the template (when it names one).
        self.has_content = false;
        let mut source = None;
        // A carriage return alone ends a line too (to YAML: a workload written so is refused).
        for line in bytes.split(|&b| b == b'\n' || b == b'\r') {
            let line = String::from_utf8_lossy(line);
            if is_content_line(&line) {
                self.has_content = true;
                self.number += 1;
                break;
            }
            if source.is_none() {
                source = line
                    .trim()
                    .strip_prefix("# Source:")
                    .map(|s| s.trim().to_string());
            }
        }
        self.source = source.filter(|s| !s.is_empty());
    }
}

impl Label {
    /// `document N` (or, for a comment-only one, what the whole label says).
    pub fn document(&self) -> String {
        if self.has_content {
            format!("document {}", self.number)
        } else {
            self.to_string()
        }
    }

    /// The template Helm's `# Source:` comment names.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.has_content {
            write!(f, "document {}", self.number)?;
        } else {
            write!(
                f,
                "the comment-only document after document {}",
                self.number
            )?;
        }
        match &self.source {
            Some(source) => write!(f, " ({source})"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::split::Splitter;

    #[test]
    fn documents_are_named_as_a_user_counts_them() {
        let mut label = Label::default();
        let mut names = Vec::new();
        let input = "---\n# Source: shop/templates/a.yaml\n---\n# Source: shop/templates/b.yaml\na: 1\n---\nb: 2\n";
        for doc in Splitter::new(input.as_bytes()) {
            label.next(&doc.unwrap().bytes);
            names.push(label.to_string());
        }
        assert_eq!(
            names,
            [
                "the comment-only document after document 0 (shop/templates/a.yaml)",
                "document 1 (shop/templates/b.yaml)",
                "document 2"
            ]
        );
    }
}
