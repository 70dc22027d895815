//! Merge keys (`<<`) that Kubernetes' YAML reader and ours read differently. go-yaml v2
//! (behind sigs.k8s.io/yaml, so kubectl and Helm) applies a mapping's pairs in the order
//! they are written: a `<<` sets every key of what it merges, over the keys written
//! before it, and the keys after it win over the merged ones (`decoder.mapping` and
//! `decoder.merge` in go-yaml v2's `decode.go`). YAML 1.1's merge type, and our reader
//! (serde-saphyr), let every key written in the mapping win, wherever it is. So a key
//! written *above* a `<<` that also gives it is read differently: kubectl sees the merged
//! value, we see the written one. So is a key two `<<`s of one mapping give: go-yaml
//! reads the second's. Found from the parser's events, before a workload is read for a
//! change; a key written again below the `<<`s is read from there by both.

use crate::yaml::value::YamlError;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The keys a mapping ends up with (written and merged), shared by every alias of it.
type Keys = Rc<Vec<String>>;

/// What an anchor is on: a scalar's text (an alias of it may be a key), or the keys of a
/// mapping (none for a sequence).
#[derive(Clone, Default)]
struct Anchored {
    text: Option<String>,
    keys: Keys,
}

enum Frame {
    Mapping {
        anchor: usize,
        /// The keys written so far, where each is (1-based line, 0-based column).
        written: HashMap<String, (usize, usize)>,
        /// The keys merged so far, by the `<<`s before.
        merged: HashSet<String>,
        /// The next node is a key (else a value).
        next_is_key: bool,
        /// The value being read is a `<<`'s, written here.
        merge_at: Option<(usize, usize)>,
        /// Keys read otherwise by the two readers so far, each with its error: given by a
        /// `<<` after it was written or merged, and not written again below.
        differ: HashMap<String, YamlError>,
    },
    Sequence {
        /// The keys of its mappings, when it is a `<<`'s list of mappings.
        merged: Option<Vec<String>>,
    },
}

/// The first key of `text` (one document that parsed) written above a `<<` in its
/// mapping that also gives it, or given by two `<<`s of one mapping, as an error at that
/// key (at the second `<<`); `None` for every other text. The `<<`'s line in the message
/// is moved down by `lines` (for a document inside a stream or a list), as
/// [`YamlError::offset_lines`] moves the error's own.
pub fn first_overridden(text: &str, lines: usize) -> Option<YamlError> {
    if !text.contains("<<") {
        return None;
    }
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        let at = (span.start.line(), span.start.col());
        let done = match event {
            Event::Scalar(value, style, anchor, tag) => {
                // A merge key to go-yaml: `<<` untagged and plain, or tagged `!!merge`
                // (`isMerge` in go-yaml v2's `decode.go`).
                let merge = value == "<<"
                    && match tag {
                        None => style == ScalarStyle::Plain,
                        Some(t) => {
                            t.suffix_in_namespace("tag:yaml.org,2002:").as_deref() == Some("merge")
                        }
                    };
                if anchor != 0 {
                    let text = Some(value.to_string());
                    anchors.insert(
                        anchor,
                        Anchored {
                            text,
                            ..Anchored::default()
                        },
                    );
                }
                Done::Scalar {
                    merge,
                    text: value.into_owned(),
                    at,
                }
            }
            Event::Alias(anchor) => {
                let anchored = anchors.get(&anchor).cloned().unwrap_or_default();
                match anchored.text {
                    Some(text) => Done::Scalar {
                        merge: false,
                        text,
                        at,
                    },
                    None => Done::Keys(anchored.keys),
                }
            }
            Event::MappingStart(_, anchor, _) => {
                stack.push(Frame::Mapping {
                    anchor,
                    written: HashMap::new(),
                    merged: HashSet::new(),
                    next_is_key: true,
                    merge_at: None,
                    differ: HashMap::new(),
                });
                continue;
            }
            Event::SequenceStart(_, anchor, _) => {
                let for_merge = matches!(
                    stack.last(),
                    Some(Frame::Mapping {
                        next_is_key: false,
                        merge_at: Some(_),
                        ..
                    })
                );
                if anchor != 0 {
                    anchors.insert(anchor, Anchored::default());
                }
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
                    differ,
                    ..
                }) => {
                    // The first by its place (then by key: the same every run).
                    if let Some((_, error)) = differ
                        .into_iter()
                        .min_by(|(a, e), (b, f)| (e.position, a).cmp(&(f.position, b)))
                    {
                        return Some(error);
                    }
                    merged.extend(written.into_keys());
                    let keys: Keys = Rc::new(merged.into_iter().collect());
                    if anchor != 0 {
                        let keys = keys.clone();
                        anchors.insert(anchor, Anchored { text: None, keys });
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
        node_done(stack.last_mut(), done, lines);
    }
    None
}

/// A node just read: a scalar or an alias of one (a `<<` key or not), or a collection or
/// an alias of one with the keys it stands for (none for a sequence that is no `<<`'s
/// list).
enum Done {
    Scalar {
        merge: bool,
        text: String,
        at: (usize, usize),
    },
    Keys(Keys),
}

/// Hand a node just read to the collection around it; a `<<`'s value that gives a key
/// written above, or one an earlier `<<` gave, is noted in `differ` (the mapping's end
/// reports the first still there).
fn node_done(parent: Option<&mut Frame>, done: Done, lines: usize) {
    let Some(parent) = parent else {
        return;
    };
    match parent {
        Frame::Sequence { merged } => {
            if let (Some(merged), Done::Keys(keys)) = (merged, done) {
                merged.extend(keys.iter().cloned());
            }
        }
        Frame::Mapping {
            written,
            merged,
            next_is_key,
            merge_at,
            differ,
            ..
        } => {
            if *next_is_key {
                *next_is_key = false;
                match done {
                    Done::Scalar {
                        merge: true, at, ..
                    } => *merge_at = Some(at),
                    Done::Scalar { text, at, .. } => {
                        // Written again below: both readers read this last one.
                        differ.remove(&text);
                        written.entry(text).or_insert(at);
                    }
                    Done::Keys(_) => {}
                }
                return;
            }
            *next_is_key = true;
            let (Some(merge), Done::Keys(keys)) = (merge_at.take(), done) else {
                return;
            };
            let merge_line = merge.0 + lines;
            for key in keys.iter() {
                if differ.contains_key(key) {
                    continue;
                }
                if let Some(&(line, col)) = written.get(key) {
                    differ.insert(
                        key.clone(),
                        YamlError {
                        message: format!(
                            "the key {key:?} is written above the merge key (`<<`) on line {merge_line}, which also gives it: {READ_OTHERWISE}; write the key below the `<<` line, or in one place only"
                        ),
                        position: Some((line as u64, col as u64 + 1)),
                        },
                    );
                } else if merged.contains(key) {
                    differ.insert(
                        key.clone(),
                        YamlError {
                        message: format!(
                            "the key {key:?} is given by two merge keys (`<<`) of one mapping, this one and one above it: Kubernetes (go-yaml, behind kubectl and Helm) reads this one's, YAML 1.1 readers (this one too) another; merge both in one `<<: [*first, *second]`, or give the key in one place only"
                        ),
                        position: Some((merge.0 as u64, merge.1 as u64 + 1)),
                        },
                    );
                }
            }
            merged.extend(keys.iter().cloned());
        }
    }
}

/// How the two readers differ about a key written above a `<<` that gives it too.
const READ_OTHERWISE: &str = "Kubernetes (go-yaml, behind kubectl and Helm) reads the merged value, YAML 1.1 readers (this one too) the written one";

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
    fn keys_written_through_an_alias_or_given_twice_are_found() {
        // A key written as an alias of a scalar (`*k : …`) is a written key.
        assert_eq!(
            at("x: &k env\nc:\n  *k : [a]\n  <<: {env: [b]}\n"),
            Some((3, 3))
        );
        // Two `<<`s of one mapping that give one key: go-yaml reads the second's.
        let text = "c:
  <<: {image: first}
  <<: {image: second}
";
        assert_eq!(at(text), Some((3, 3)));
        let e = first_overridden(text, 0).unwrap();
        assert!(
            e.message
                .starts_with("the key \"image\" is given by two merge keys")
        );
        // Written again below the merges: both read the last one.
        assert_eq!(at("c:\n  image: a\n  <<: {image: b}\n  image: c\n"), None);
        // Two that give other keys read the same to both.
        assert_eq!(at("c:\n  <<: {a: 1}\n  <<: {b: 2}\n"), None);
    }

    #[test]
    fn every_other_merge_reads_the_same_to_both() {
        // A tagged `<<` other than `!!merge` is a plain key to both readers.
        assert_eq!(at("a: 1\n!!str <<: {a: 2}\n"), None);
        assert_eq!(at("a: 1\n!!merge <<: {a: 2}\n"), Some((1, 1)));
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
