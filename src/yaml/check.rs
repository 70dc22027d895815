//! One parser pass over a document that builds nothing: is it one well-formed document,
//! how many keys has its top-level mapping, and which keys are written twice (granit-parser
//! events, keeping only the keys of the open mappings).

use crate::yaml::keyset::KeySet;
use crate::yaml::spans::NoSpans;
use crate::yaml::value::YamlError;
use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle};

/// The deepest nesting kubectl reads: go-yaml's scanner stops past 10,000 flow levels or
/// 10,000 indentation levels (`max_flow_level`, `max_indents` in `scannerc.go`, as forked
/// by sigs.k8s.io/yaml), then encoding/json's decoder past 10,000 levels in all
/// (`maxNestingDepth`, `scanner.go`). A document that is no workload is read this deep
/// by a parser pass that builds nothing (no stack is used per level).
pub const MAX_NESTING: usize = 10_000;

/// A parser for `text` that reads `levels` levels of nesting, of either style.
pub fn deep_parser(text: &str, levels: usize) -> Parser<'_, granit_parser::StrInput<'_>> {
    let mut options = granit_parser::Options::default();
    options.flow_nesting_limit = levels;
    options.block_nesting_limit = levels;
    Parser::new_from_str_with_options(text, options)
}

/// A key written twice in one mapping: Kubernetes reads the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub key: String,
    /// 1-based lines of the first and of the last occurrence (the one that counts).
    pub first_line: usize,
    pub line: usize,
}

/// What one parser pass over a document found: the number of distinct keys of its
/// top-level mapping (`None` when the top is not a mapping), and every key written twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Top {
    pub entries: Option<usize>,
    /// The first [`LISTED`] keys written twice.
    pub duplicates: Vec<Duplicate>,
    /// How many more there are (each is a warning; a document with a million would
    /// make a million lines of them).
    pub unlisted: usize,
    /// The top-level `apiVersion` and `kind`, when they are scalars (the last, when
    /// written twice).
    pub api_version: Option<String>,
    pub kind: Option<String>,
}

/// How many keys written twice a document's warnings name one by one.
pub const LISTED: usize = 20;

/// Check that `text` is one well-formed YAML document with no duplicate key in any
/// mapping (and, unless `aliases`, no alias: expanding one is the full parser's job, with
/// its budget), and count the entries of its top-level mapping (`None` when the top is
/// not a mapping).
pub fn top_level_entries(text: &str, aliases: bool) -> Result<Option<usize>, NoSpans> {
    let top = top_level(text, aliases)?;
    match top.duplicates.first() {
        Some(d) => Err(NoSpans(format!("the key {:?} twice", d.key))),
        None => Ok(top.entries),
    }
}

/// [`top_level_entries`], keys written twice allowed (and listed): a parser pass that
/// keeps only the keys of the open mappings, [`MAX_NESTING`] levels deep at most.
pub fn top_level(text: &str, aliases: bool) -> Result<Top, NoSpans> {
    top_level_of(text, aliases, true)
}

/// [`top_level`], keeping the keys of the top-level mapping only unless `nested`: keys
/// written twice below it are then not found, and a mapping of a million keys costs
/// nothing to pass over.
pub fn top_level_of(text: &str, aliases: bool, nested: bool) -> Result<Top, NoSpans> {
    // One frame per open collection: for a mapping, its keys so far and whether the
    // next node is a key; the key sets are reused as mappings close and open.
    let mut frames: Vec<(bool, KeySet<'_>, bool)> = Vec::new();
    let mut spare: Vec<KeySet<'_>> = Vec::new();
    let (mut documents, mut entries) = (0usize, None);
    let mut duplicates = Vec::new();
    let mut unlisted = 0;
    let (mut api_version, mut kind) = (None, None);
    // The top-level key whose value comes next.
    let mut top_key: Option<String> = None;
    for event in deep_parser(text, MAX_NESTING + 2) {
        let (event, span) = event.map_err(|e| NoSpans(e.to_string()))?;
        // Whether this node is a mapping key (and move its mapping on to the next node).
        let mut is_key = || match frames.last_mut() {
            Some((true, _, next_is_key)) => {
                let key = *next_is_key;
                *next_is_key = !key;
                key
            }
            _ => false,
        };
        match event {
            Event::DocumentStart(..) => documents += 1,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                is_key();
                top_key = None;
                let map = matches!(event, Event::MappingStart(..));
                let mut keys = spare.pop().unwrap_or_default();
                keys.clear();
                frames.push((map, keys, true));
                if frames.len() > MAX_NESTING {
                    let at = span.start;
                    return Err(NoSpans(nested_too_deeply(at.line(), at.col())));
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let (map, keys, _) = frames.pop().ok_or_else(|| NoSpans("unbalanced".into()))?;
                if frames.is_empty() {
                    entries = map.then_some(keys.len());
                }
                spare.push(keys);
            }
            Event::Alias(_) if !aliases => return Err(NoSpans("an alias".into())),
            Event::Alias(_) => {
                is_key();
                top_key = None;
            }
            // A guard with an effect: `is_key` moves the mapping on for every scalar.
            Event::Scalar(value, ..) if is_key() => {
                if frames.len() == 1 {
                    top_key = Some(value.to_string());
                } else if !nested {
                    continue;
                }
                let keys = &mut frames.last_mut().expect("a mapping is open").1;
                let line = span.start.line();
                if let Some(first_line) = keys.insert(value.clone(), line) {
                    if duplicates.len() == LISTED {
                        unlisted += 1;
                        continue;
                    }
                    duplicates.push(Duplicate {
                        key: value.into_owned(),
                        first_line,
                        line,
                    });
                }
            }
            // A top-level value (a key's value moved its mapping on in the guard above).
            Event::Scalar(value, style, ..) if frames.len() == 1 => {
                let value =
                    (style != ScalarStyle::Plain || !is_null(&value)).then(|| value.into_owned());
                match top_key.take().as_deref() {
                    Some("apiVersion") => api_version = value,
                    Some("kind") => kind = value,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if documents != 1 {
        return Err(NoSpans(format!("{documents} documents")));
    }
    Ok(Top {
        entries,
        duplicates,
        unlisted,
        api_version,
        kind,
    })
}

/// Where `text` is nested deeper than [`MAX_NESTING`] (a parser pass that builds nothing),
/// if it is.
pub fn too_deep(text: &str) -> Option<YamlError> {
    let mut depth = 0usize;
    // The scanner reads ahead of the events (up to 1,024 characters, to tell a simple key):
    // its own limit is set past what it may see, so that the events say where it is.
    for event in deep_parser(text, MAX_NESTING + 2048) {
        let (event, span) = event.ok()?;
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth -= 1,
            _ => {}
        }
        if depth > MAX_NESTING {
            return Some(YamlError {
                message: NESTED_PAST_KUBECTL.into(),
                position: Some((span.start.line() as u64, span.start.col() as u64 + 1)),
            });
        }
    }
    None
}

const NESTED_PAST_KUBECTL: &str =
    "the document is nested more than 10,000 levels deep, deeper than kubectl reads";

/// A plain scalar YAML 1.1 reads as null.
fn is_null(plain: &str) -> bool {
    matches!(plain, "" | "~" | "null" | "Null" | "NULL")
}

/// The message for a document nested deeper than [`MAX_NESTING`], placed where it
/// passes that depth (1-based line, 0-based column).
pub fn nested_too_deeply(line: usize, col: usize) -> String {
    format!("line {line}, column {}: {NESTED_PAST_KUBECTL}", col + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_documents_and_their_top_level() {
        assert_eq!(
            top_level_entries("a: 1\nb: [x]\nc: {d: e}\n", false),
            Ok(Some(3))
        );
        assert!(top_level_entries("a: 1\nb: 2\na: 3\n", true).is_err());
        assert!(top_level_entries("a: &x 1\nb: *x\n", false).is_err());
        assert_eq!(top_level_entries("a: &x 1\nb: *x\n", true), Ok(Some(2)));
        assert_eq!(top_level_entries("- a\n", false), Ok(None));
        assert!(top_level_entries("a: \"open\n", false).is_err());
        assert!(top_level_entries("a: 1\n---\nb: 2\n", false).is_err());
    }

    #[test]
    fn keys_written_twice_are_listed_with_both_lines() {
        let top = top_level("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\na: 5\n", false).unwrap();
        assert_eq!(top.entries, Some(2));
        let lines: Vec<(&str, usize, usize)> = top
            .duplicates
            .iter()
            .map(|d| (d.key.as_str(), d.first_line, d.line))
            .collect();
        assert_eq!(lines, [("c", 3, 5), ("a", 1, 6)]);
    }
}
