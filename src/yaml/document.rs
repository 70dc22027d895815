//! One YAML document of a stream: what it is (empty, a resource, or not a resource) and
//! its parse, with errors placed at the line and column of the whole stream.

use crate::yaml::split;
use crate::yaml::value::{self as yaml, YamlError};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// The top of a document, read without building it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// Only comments, whitespace or `null`: Helm emits these; they pass through.
    Empty,
    Resource {
        api_version: Option<String>,
        kind: Option<String>,
    },
    /// A scalar or a list at the top: not a Kubernetes resource.
    NotAMapping(&'static str),
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(HeadVisitor)
    }
}

struct HeadVisitor;

/// A mapping key, kept only when it is a string.
struct Key(Option<String>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Key, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Key(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Key(None))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

impl<'de> Visitor<'de> for HeadVisitor {
    type Value = Head;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes resource")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Head, E> {
        Ok(Head::Empty)
    }
    fn visit_none<E: de::Error>(self) -> Result<Head, E> {
        Ok(Head::Empty)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Head, E> {
        Ok(Head::NotAMapping("a scalar"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Head, E> {
        Ok(Head::NotAMapping("a scalar"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Head, E> {
        Ok(Head::NotAMapping("a scalar"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Head, E> {
        Ok(Head::NotAMapping("a scalar"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Head, E> {
        Ok(Head::NotAMapping("a scalar"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Head, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Head::NotAMapping("a list"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
        let mut api_version = None;
        let mut kind = None;
        while let Some(Key(key)) = map.next_key::<Key>()? {
            match key.as_deref() {
                Some("apiVersion") => {
                    api_version = map.next_value::<Value>()?.as_str().map(String::from)
                }
                Some("kind") => kind = map.next_value::<Value>()?.as_str().map(String::from),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Head::Resource { api_version, kind })
    }
}

impl Head {
    /// The head of a value that was parsed in full.
    pub fn of(value: &Value) -> Head {
        match value {
            Value::Null => Head::Empty,
            Value::Object(map) => Head::Resource {
                api_version: map
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .map(String::from),
                kind: map.get("kind").and_then(Value::as_str).map(String::from),
            },
            Value::Array(_) => Head::NotAMapping("a list"),
            _ => Head::NotAMapping("a scalar"),
        }
    }

    /// Why this document cannot be a Kubernetes resource, if it cannot.
    pub fn problem(&self) -> Option<String> {
        match self {
            Head::Empty => None,
            Head::NotAMapping(what) => Some(format!(
                "the document is {what}, not a Kubernetes resource (a mapping with apiVersion and kind)"
            )),
            Head::Resource { kind: None, .. } => Some("the resource has no kind".into()),
            Head::Resource {
                api_version: None, ..
            } => Some("the resource has no apiVersion".into()),
            Head::Resource { .. } => None,
        }
    }
}

/// The value of a top-level `kind:` line, read from the text without parsing (to choose
/// between a full parse and a cheap one; the parse has the last word), when it is a
/// plain word as kinds are: `None` for any other spelling (`kind : List`, a tag, the
/// value on the next line), which only a parser reads right.
pub fn kind_from_text(text: &str) -> Option<&str> {
    value_from_text(text, "kind:")
        .filter(|kind| !kind.is_empty() && kind.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The value of the first top-level line that starts with `key` (`"apiVersion:"`), read
/// from the text without parsing.
pub fn value_from_text<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?;
        let comment = [" #", "\t#"].iter().filter_map(|c| rest.find(c)).min();
        let rest = rest[..comment.unwrap_or(rest.len())].trim();
        Some(rest.trim_matches(|c| c == '"' || c == '\''))
    })
}

/// Where a document's content starts, 1-based line and column: past its `---` line,
/// directives, blank lines and comments, or on the `---` line when content follows it
/// there (`--- |`). A refusal of the whole document (a scalar, no kind) points there.
pub fn content_start(text: &str) -> (u64, u64) {
    let column = |line: &str, at: usize| line[..at].chars().count() as u64 + 1;
    for (n, line) in text.lines().enumerate() {
        let at = if split::is_separator(line.as_bytes()) {
            let content = line[3..].trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            line.len() - content.len()
        } else if !split::is_content_line(line) || line.starts_with('%') {
            continue;
        } else {
            line.len() - line.trim_start().len()
        };
        return (n as u64 + 1, column(line, at));
    }
    (1, 1)
}

/// Check that a document's bytes are UTF-8, placing the first bad byte.
pub fn utf8(bytes: &[u8]) -> Result<&str, YamlError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
        YamlError {
            message: "the input is not UTF-8".into(),
            position: Some((line, column)),
        }
    })
}

/// Read just the head of a document.
pub fn head(text: &str) -> Result<Head, YamlError> {
    yaml::from_str::<Head>(text)
}

#[cfg(test)]
mod tests {
    use super::content_start;

    #[test]
    fn a_document_starts_at_its_first_content() {
        assert_eq!(content_start("- a\n"), (1, 1));
        assert_eq!(content_start("---\n# Source: x\n\n  k: v\n"), (4, 3));
        assert_eq!(content_start("--- |\n  x\n"), (1, 5));
        assert_eq!(content_start("%YAML 1.1\n--- # c\n...\n'é'\n"), (4, 1));
        assert_eq!(content_start("# nothing\n"), (1, 1));
    }
}
