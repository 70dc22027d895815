//! One parser pass over a document that builds nothing: is it one well-formed document,
//! how many keys has its top-level mapping, and which keys are written twice (granit-parser
//! events, keeping only the keys of the open mappings).

use crate::yaml::keyset::KeySet;
use crate::yaml::spans::NoSpans;
use serde_saphyr::granit_parser::{Event, Parser};

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
/// keeps only the keys of the open mappings.
pub fn top_level(text: &str, aliases: bool) -> Result<Top, NoSpans> {
    // One frame per open collection: for a mapping, its keys so far and whether the
    // next node is a key; the key sets are reused as mappings close and open.
    let mut frames: Vec<(bool, KeySet<'_>, bool)> = Vec::new();
    let mut spare: Vec<KeySet<'_>> = Vec::new();
    let (mut documents, mut entries) = (0usize, None);
    let mut duplicates = Vec::new();
    let mut unlisted = 0;
    for event in Parser::new_from_str(text) {
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
                let map = matches!(event, Event::MappingStart(..));
                let mut keys = spare.pop().unwrap_or_default();
                keys.clear();
                frames.push((map, keys, true));
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
            }
            // A guard with an effect: `is_key` moves the mapping on for every scalar.
            Event::Scalar(value, ..) if is_key() => {
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
    })
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
