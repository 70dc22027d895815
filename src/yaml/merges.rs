//! Merge keys (`<<`) that Kubernetes' YAML reader and ours read differently. go-yaml v2
//! (behind sigs.k8s.io/yaml, so kubectl and Helm) applies a mapping's pairs in the order
//! they are written: a `<<` sets every key of what it merges, over the keys written
//! before it, and the keys after it win over the merged ones (`decoder.mapping` and
//! `decoder.merge` in go-yaml v2's `decode.go`). YAML 1.1's merge type, and our reader
//! (serde-saphyr), let every key written in the mapping win, wherever it is. So a key
//! written *above* a `<<` that also gives it is read differently: kubectl sees the merged
//! value, we see the written one. Found from the parser's events, before a workload is
//! read for a change.

use crate::yaml::value::YamlError;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;
use std::rc::Rc;

/// The keys a mapping ends up with (written and merged), shared by every alias of it.
type Keys = Rc<Vec<String>>;

enum Frame {
    Mapping {
        anchor: usize,
        /// The keys written so far, where each is (1-based line, 0-based column).
        written: HashMap<String, (usize, usize)>,
        /// The keys merged so far.
        merged: Vec<String>,
        /// The next node is a key (else a value).
        next_is_key: bool,
        /// The value being read is a `<<`'s, written at this line.
        merge_at: Option<usize>,
    },
    Sequence {
        /// The keys of its mappings, when it is a `<<`'s list of mappings.
        merged: Option<Vec<String>>,
    },
}

/// The first key of `text` (one document that parsed) written above a `<<` in its
/// mapping that also gives it, as an error at that key; `None` for every other text. The
/// `<<`'s line in the message is moved down by `lines` (for a document inside a stream or
/// a list), as [`YamlError::offset_lines`] moves the error's own.
pub fn first_overridden(text: &str, lines: usize) -> Option<YamlError> {
    if !text.contains("<<") {
        return None;
    }
    let mut anchors: HashMap<usize, Keys> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let at = (span.start.line(), span.start.col());
        let done = match event {
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 {
                    anchors.insert(anchor, Rc::default());
                }
                let merge = value == "<<"
                    && (style == ScalarStyle::Plain
                        || tag.is_some_and(|t| t.core_suffix() == Some("merge")));
                Done::Scalar {
                    merge,
                    text: value.into_owned(),
                    at,
                }
            }
            Event::Alias(anchor) => Done::Keys(anchors.get(&anchor).cloned().unwrap_or_default()),
            Event::MappingStart(_, anchor, _) => {
                stack.push(Frame::Mapping {
                    anchor,
                    written: HashMap::new(),
                    merged: Vec::new(),
                    next_is_key: true,
                    merge_at: None,
                });
                continue;
            }
            Event::SequenceStart(..) => {
                let for_merge = matches!(
                    stack.last(),
                    Some(Frame::Mapping {
                        next_is_key: false,
                        merge_at: Some(_),
                        ..
                    })
                );
                stack.push(Frame::Sequence {
                    merged: for_merge.then(Vec::new),
                });
                continue;
            }
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Mapping {
                    anchor,
                    written,
                    mut merged,
                    ..
                }) => {
                    merged.extend(written.into_keys());
                    let keys = Rc::new(merged);
                    if anchor != 0 {
                        anchors.insert(anchor, keys.clone());
                    }
                    Done::Keys(keys)
                }
                _ => return None,
            },
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Sequence { merged }) => Done::Keys(Rc::new(merged.unwrap_or_default())),
                _ => return None,
            },
            _ => continue,
        };
        if let Some(found) = node_done(stack.last_mut(), done, lines) {
            return Some(found);
        }
    }
    None
}

/// A node just read: a scalar (a `<<` key or not), or a collection or alias with the
/// keys it stands for (none for a sequence that is no `<<`'s list).
enum Done {
    Scalar {
        merge: bool,
        text: String,
        at: (usize, usize),
    },
    Keys(Keys),
}

/// Hand a node just read to the collection around it; the error when it is a `<<`'s
/// value that gives a key written above.
fn node_done(parent: Option<&mut Frame>, done: Done, lines: usize) -> Option<YamlError> {
    match parent? {
        Frame::Sequence { merged } => {
            if let (Some(merged), Done::Keys(keys)) = (merged, done) {
                merged.extend(keys.iter().cloned());
            }
            None
        }
        Frame::Mapping {
            written,
            merged,
            next_is_key,
            merge_at,
            ..
        } => {
            if *next_is_key {
                *next_is_key = false;
                match done {
                    Done::Scalar {
                        merge: true, at, ..
                    } => *merge_at = Some(at.0),
                    Done::Scalar { text, at, .. } => {
                        written.entry(text).or_insert(at);
                    }
                    Done::Keys(_) => {}
                }
                return None;
            }
            *next_is_key = true;
            let (Some(merge_line), Done::Keys(keys)) = (merge_at.take(), done) else {
                return None;
            };
            for key in keys.iter() {
                if let Some(&(line, col)) = written.get(key) {
                    return Some(overridden(key, line, col, merge_line + lines));
                }
            }
            merged.extend(keys.iter().cloned());
            None
        }
    }
}

fn overridden(key: &str, line: usize, col: usize, merge_line: usize) -> YamlError {
    YamlError {
        message: format!(
            "the key {key:?} is written above the merge key (`<<`) on line {merge_line}, which also gives it: Kubernetes (go-yaml, behind kubectl and Helm) reads the merged value, YAML 1.1 readers (this one too) the written one; write the key below the `<<` line, or in one place only"
        ),
        position: Some((line as u64, col as u64 + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(u64, u64)> {
        first_overridden(text, 0).map(|e| e.position.expect("placed"))
    }

    #[test]
    fn a_key_written_above_a_merge_that_gives_it_is_found() {
        // The merged mapping written in place, by an alias, or in a list of them.
        assert_eq!(at("a: 1\n<<: {a: 2}\n"), Some((1, 1)));
        assert_eq!(
            at("x: &m {image: b}\nc:\n  image: a\n  <<: *m\n"),
            Some((3, 3))
        );
        assert_eq!(
            at("x: &m {a: 1}\ny: &n {b: 1}\nc:\n  b: 0\n  <<: [*m, *n]\n"),
            Some((4, 3))
        );
        // A merged mapping's own merges count as its keys.
        assert_eq!(
            at("x: &m {a: 1}\ny: &n {<<: *m, b: 1}\nc: {z: 0, a: 0, <<: *n}\n"),
            Some((3, 11))
        );
        let e = first_overridden("a: 1\n<<: {a: 2}\n", 10).unwrap();
        assert_eq!(e.position, Some((1, 1)));
        let start = "the key \"a\" is written above the merge key (`<<`) on line 12,";
        assert!(e.message.starts_with(start), "{}", e.message);
    }

    #[test]
    fn every_other_merge_reads_the_same_to_both() {
        // Keys below the merge win for both readers; keys the merge does not give, and a
        // quoted `<<` (a plain key), change nothing.
        assert_eq!(at("<<: {a: 2}\na: 1\n"), None);
        assert_eq!(at("b: 1\n<<: {a: 2}\n"), None);
        assert_eq!(at("a: 1\n\"<<\": {a: 2}\n"), None);
        assert_eq!(at("x: &m {a: 1}\nc: {b: 0, <<: *m}\nd: {a: 0}\n"), None);
        // The same key in another mapping, and no merge at all.
        assert_eq!(at("a: 1\nm:\n  <<: {a: 2}\n"), None);
        assert_eq!(at("a: [1, 2]\n"), None);
    }
}
