//! Documents that write a key twice in one mapping, read as Kubernetes reads them (the
//! last one wins, as in go-yaml behind sigs.k8s.io/yaml) and named, so that a warning can
//! say which lines. A document without one pays nothing more than its usual parse.

use crate::yaml::check::{self, Duplicate};
use crate::yaml::{YamlError, from_str, from_str_strict};
use serde::de::DeserializeOwned;

/// Parse one document; a key written twice is read from its last line, and listed.
pub fn read<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<Duplicate>), YamlError> {
    match from_str_strict(text) {
        Ok(value) => Ok((value, Vec::new())),
        Err(e) if e.message.starts_with("duplicate key") => {
            let value = from_str(text)?;
            let duplicates = check::top_level(text, true)
                .map(|top| top.duplicates)
                .unwrap_or_default();
            Ok((value, duplicates))
        }
        Err(e) => Err(e),
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
        assert_eq!(twice.len(), 1);
        assert_eq!(
            twice[0].warning(10),
            "line 13: the key \"a\" is also written on line 11; Kubernetes reads the last one, and so does this run (kubectl's strict field validation refuses a key written twice: keep one)"
        );
        let (_, none): (Value, _) = read("a: 1\n").unwrap();
        assert!(none.is_empty());
        assert!(read::<Value>("a: [\n").is_err());
    }
}
