//! Documents that write a key twice in one mapping, read as Kubernetes reads them (the
//! last one wins, as in go-yaml behind sigs.k8s.io/yaml) and named, so that a warning can
//! say which lines. A document without one pays nothing more than its usual parse.

use crate::yaml::check::{self, Duplicate};
use crate::yaml::document::Head;
use crate::yaml::value::NESTED_TOO_DEEPLY;
use crate::yaml::{YamlError, from_str, from_str_strict};
use serde::de::DeserializeOwned;

/// The keys a document writes twice: the first [`check::LISTED`], and how many more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Twice {
    pub listed: Vec<Duplicate>,
    pub unlisted: usize,
}

impl Twice {
    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// One warning per listed key, and one for the rest, its lines moved down by
    /// `lines` (for a document inside a stream or a list).
    pub fn warnings(&self, lines: usize) -> Vec<String> {
        let mut warnings: Vec<String> = self.listed.iter().map(|d| d.warning(lines)).collect();
        if self.unlisted > 0 {
            warnings.push(format!(
                "{} more keys are written twice in this document (only the first {} are named); Kubernetes reads the last of each, and so does this run",
                self.unlisted,
                self.listed.len()
            ));
        }
        warnings
    }
}

/// Parse one document; a key written twice is read from its last line, and listed.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<(T, Twice), YamlError> {
    match from_str_strict(text) {
        Ok(value) => Ok((value, Twice::default())),
        Err(e) if e.message.starts_with("duplicate key") => {
            let value = from_str(text)?;
            let twice = check::top_level(text, true)
                .map(|top| Twice {
                    listed: top.duplicates,
                    unlisted: top.unlisted,
                })
                .unwrap_or_default();
            Ok((value, twice))
        }
        Err(e) => Err(e),
    }
}

/// The head of one document and the keys it writes twice. A document nested deeper than
/// a value is built is read by a parser pass that builds nothing instead, as deep as
/// kubectl reads ([`check::MAX_NESTING`]): a resource that is no workload passes at any
/// depth kubectl accepts.
pub fn read_head(text: &str) -> Result<(Head, Twice), YamlError> {
    let error = match read::<Head>(text) {
        Err(e) if e.message == NESTED_TOO_DEEPLY => e,
        done => return done,
    };
    // Aliases refused: what they expand to is the full parse's to bound.
    match check::top_level(text, false) {
        Ok(top) if top.entries.is_some() => {
            let head = Head::Resource {
                api_version: top.api_version,
                kind: top.kind,
            };
            let twice = Twice {
                listed: top.duplicates,
                unlisted: top.unlisted,
            };
            Ok((head, twice))
        }
        Ok(_) => Err(error),
        Err(_) => Err(check::too_deep(text).unwrap_or(error)),
    }
}

impl Duplicate {
    /// The warning for it, its lines moved down by `lines` (for a document inside a
    /// stream or a list).
    pub fn warning(&self, lines: usize) -> String {
        format!(
            "line {}: the key {:?} is also written on line {}; Kubernetes reads the last one, and so does this run (kubectl's strict field validation refuses a key written twice: keep one)",
            self.line + lines,
            self.key,
            self.first_line + lines
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn the_last_one_is_read_and_both_lines_are_named() {
        let (value, twice): (Value, _) = read("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(value, json!({"a": 3, "b": 2}));
        assert_eq!(twice.listed.len(), 1);
        assert_eq!(
            twice.warnings(10)[0],
            "line 13: the key \"a\" is also written on line 11; Kubernetes reads the last one, and so does this run (kubectl's strict field validation refuses a key written twice: keep one)"
        );
        let many: String = (0..1000).map(|i| format!("k: {i}\n")).collect();
        let (value, twice): (Value, _) = read(&many).unwrap();
        assert_eq!(value, json!({"k": 999}));
        let warnings = twice.warnings(0);
        assert_eq!(warnings.len(), check::LISTED + 1);
        assert!(warnings[check::LISTED].starts_with("979 more keys are written twice"));
        let (_, none): (Value, _) = read("a: 1\n").unwrap();
        assert!(none.is_empty());
        assert!(read::<Value>("a: [\n").is_err());
    }
}
