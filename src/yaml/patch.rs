//! Apply [`Edit`]s to a document's own bytes: each becomes a splice (a byte range and
//! the text that replaces it) written in the style around it, block or flow, at the
//! indentation of its neighbours; every other byte is copied as it was.
//!
//! What we write is YAML 1.1-safe ([`crate::yaml::render`]).

use crate::yaml::diff::{Edit, Unlocated};
use crate::yaml::replaced::Replaced;
use crate::yaml::spans::{self, Kind, Node};
use crate::yaml::value::{self as yaml, ListStyle};
use serde_json::Value;

mod ending;
mod splice;
use splice::splice;
pub use splice::{Look, Splice};

/// Turn `text` (one document, read as `old`) into text that reads as `new`, editing only
/// where the two differ. The result is checked (see [`check`]); when a check fails, the
/// caller gets the reason and falls back to writing the document in full.
pub fn rewrite(text: &str, old: &Value, new: &Value) -> Result<String, Unlocated> {
    rewrite_splices(text, None, Before::Whole(old), new).map(|(out, _)| out)
}

/// What the text read as before the change.
#[derive(Debug, Clone, Copy)]
pub enum Before<'v> {
    /// The whole document.
    Whole(&'v Value),
    /// The parts the core edited, as the text and the fingerprints of its span tree
    /// have them (the tree is read, and fingerprinted, before the core runs); the rest
    /// is as `new` has it.
    Parts(&'v [Replaced]),
}

/// [`rewrite`], also giving the splices that make the edited text out of `text` (in
/// order, none overlapping): a caller that keeps many edited documents can keep these
/// instead of the texts.
///
/// `root` is the span tree of `text` when the caller has it already (from
/// [`crate::yaml::quick::load`]); otherwise it is built here, which only [`Before::Whole`]
/// allows.
pub fn rewrite_splices<'t>(
    text: &'t str,
    root: Option<Node<'t>>,
    before: Before<'_>,
    new: &Value,
) -> Result<(String, Vec<Splice>), Unlocated> {
    let splices = unchecked_splices(text, root, before, new)?;
    let out = render(text, &splices);
    check(&out, new)?;
    Ok((out, splices))
}

/// [`rewrite_splices`] for a caller that wants only the edited text: each splice's text
/// is dropped as soon as it is copied, so the edits and the text are never both held.
pub fn rewrite_text<'t>(
    text: &'t str,
    root: Option<Node<'t>>,
    before: Before<'_>,
    new: &Value,
) -> Result<String, Unlocated> {
    let splices = unchecked_splices(text, root, before, new)?;
    let out = render_owned(text, splices);
    check(&out, new)?;
    Ok(out)
}

fn unchecked_splices<'t>(
    text: &'t str,
    root: Option<Node<'t>>,
    before: Before<'_>,
    new: &Value,
) -> Result<Vec<Splice>, Unlocated> {
    let root = match (root, before) {
        (Some(root), Before::Parts(_)) => root,
        (root, Before::Whole(old)) => {
            let mut root = match root {
                Some(root) => root,
                None => spans::parse(text).map_err(|e| Unlocated(e.0))?,
            };
            crate::yaml::fingerprint::fingerprint(&mut root, old);
            root
        }
        (None, Before::Parts(_)) => {
            return Err(Unlocated("the text was not read before the change".into()));
        }
    };
    let edits = match before {
        Before::Whole(_) => crate::yaml::diff::diff(new, &root)?,
        Before::Parts(parts) => crate::yaml::replaced::diff(new, &root, parts)?,
    };
    let look = Look {
        list: ListStyle::detect(text),
        json: root.is_flow() && !root.entries().is_empty(),
    };
    splices(text, &edits, look)
}

/// Debug builds (every test, the fuzzer) parse the edited text in full and require it to
/// read as `new`. Release builds check that it is still one well-formed YAML document of
/// the same shape (a parser pass without building values: a third of the cost), which is
/// what a wrong indentation or a missing separator would break.
fn check(out: &str, new: &Value) -> Result<(), Unlocated> {
    if cfg!(debug_assertions) {
        match yaml::from_str::<Value>(out) {
            Ok(back) if back == *new => return Ok(()),
            Ok(_) => return Err(Unlocated("the edited text reads differently".into())),
            // go-yaml's `\'`, which only the fast path reads: checked as a release
            // build checks.
            Err(_) if out.contains(crate::yaml::scalars::GO_ONLY_ESCAPE) => {}
            Err(e) => return Err(Unlocated(format!("the edited text does not parse: {e}"))),
        }
    }
    let quick = crate::yaml::quick::check(out).or_else(|| crate::yaml::quick::json::check(out));
    let entries = match quick {
        Some(n) => Some(n),
        None => {
            crate::yaml::check::top_level(out, true)
                .map_err(|e| Unlocated(format!("the edited text does not parse: {}", e.0)))?
                .entries
        }
    };
    match (entries, new) {
        (Some(n), Value::Object(map)) if n == map.len() => Ok(()),
        _ => Err(Unlocated("the edited text has another shape".into())),
    }
}

/// Apply `edits` to `text` (the document they were computed on).
pub fn apply(text: &str, edits: &[Edit<'_>], look: Look) -> Result<String, Unlocated> {
    Ok(render(text, &splices(text, edits, look)?))
}

/// The splices of `edits`, sorted, checked not to overlap, with the `, ` between two
/// insertions into one empty flow collection already in the second one's text.
fn splices(text: &str, edits: &[Edit<'_>], look: Look) -> Result<Vec<Splice>, Unlocated> {
    let crlf = crate::yaml::lines::crlf(text);
    let (mut removed, edits) = flow_removals(edits);
    let mut splices = edits
        .into_iter()
        .map(|e| splice(text, e, look))
        .map(|s| {
            s.map(|mut s| {
                s.text = crate::yaml::lines::with_breaks(s.text, crlf);
                s
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    splices.append(&mut removed);
    splices.sort_by_key(|s| (s.start, s.end));
    ending::insertions_at_end(text, &mut splices);
    ending::cut_last_break(text, &mut splices);
    let mut copied = 0;
    let mut previous_join: Option<usize> = None;
    for s in &mut splices {
        if s.start < copied {
            return Err(Unlocated(format!("two edits overlap at byte {}", s.start)));
        }
        let joins = s.joins;
        if joins && previous_join == Some(s.start) {
            s.text.insert_str(0, ", ");
        }
        previous_join = joins.then_some(s.start);
        copied = s.end;
    }
    Ok(splices)
}

/// The items removed from flow sequences and the entries removed from flow mappings, one
/// cut per run of neighbours (two neighbours cut one by one would both take the `, `
/// between them), and the other edits.
fn flow_removals<'e, 'a>(edits: &'e [Edit<'a>]) -> (Vec<Splice>, Vec<&'e Edit<'a>>) {
    let mut by_node: Vec<(&Node<'_>, Vec<usize>)> = Vec::new();
    let mut rest = Vec::new();
    for edit in edits {
        let (node, index) = match edit {
            Edit::RemoveItem { seq, index } if seq.is_flow() => (*seq, *index),
            // A key written twice is refused where the edit is placed ([`splice`]).
            Edit::RemoveEntry { map, entry } if map.is_flow() && !map.entries()[*entry].shadows => {
                (*map, *entry)
            }
            other => {
                rest.push(other);
                continue;
            }
        };
        match by_node.iter_mut().find(|(n, _)| std::ptr::eq(*n, node)) {
            Some((_, indexes)) => indexes.push(index),
            None => by_node.push((node, vec![index])),
        }
    }
    let mut cuts = Vec::new();
    for (node, mut indexes) in by_node {
        let items: Vec<(usize, usize)> = match node.kind() {
            Kind::Seq { items, .. } => items.iter().map(|i| (i.start, i.end)).collect(),
            _ => node
                .entries()
                .iter()
                .map(|e| (e.key_node.start, e.value.end))
                .collect(),
        };
        indexes.sort_unstable();
        indexes.dedup();
        let mut at = 0;
        while at < indexes.len() {
            let first = indexes[at];
            let mut last = first;
            while indexes.get(at + 1) == Some(&(last + 1)) {
                at += 1;
                last += 1;
            }
            at += 1;
            cuts.push(splice::flow_cut(&items, first, last));
        }
    }
    (cuts, rest)
}

/// `text` with `splices` (from [`splices`]) applied.
pub fn render(text: &str, splices: &[Splice]) -> String {
    join(text, added(splices), splices)
}

/// [`render`], each splice dropped once copied.
fn render_owned(text: &str, splices: Vec<Splice>) -> String {
    join(text, added(&splices), splices)
}

fn added(splices: &[Splice]) -> usize {
    splices.iter().map(|s| s.text.len()).sum()
}

fn join<S: std::borrow::Borrow<Splice>>(
    text: &str,
    added: usize,
    splices: impl IntoIterator<Item = S>,
) -> String {
    let mut out = String::with_capacity(text.len() + added);
    let mut copied = 0;
    for s in splices {
        let s = s.borrow();
        out.push_str(&text[copied..s.start]);
        out.push_str(&s.text);
        copied = s.end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{diff, spans};
    use serde_json::json;

    fn edit(text: &str, new: Value) -> String {
        let old: Value = yaml::from_str(text).unwrap();
        let mut root = spans::parse(text).unwrap();
        crate::yaml::fingerprint::fingerprint(&mut root, &old);
        let edits = diff::diff(&new, &root).unwrap();
        let look = Look {
            list: ListStyle::detect(text),
            json: false,
        };
        let out = apply(text, &edits, look).unwrap();
        let back: Value = yaml::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(back, new, "{out}");
        out
    }

    #[test]
    fn block_insertions_follow_the_indentation() {
        let text = "env:\n  - name: J # keep\n    value: x\n";
        let new = json!({"env": [{"name": "P", "value": "on"}, {"name": "J", "value": "x $(P)"}]});
        assert_eq!(
            edit(text, new),
            "env:\n  - name: P\n    value: \"on\"\n  - name: J # keep\n    value: x $(P)\n"
        );
    }

    #[test]
    fn flow_collections_stay_flow() {
        let text = "a: {b: [1, \"2\"]} # c\nd: {}\n";
        let new = json!({"a": {"b": [1, "2", "yes"], "e": "f g"}, "d": {"x": "0644"}});
        assert_eq!(
            edit(text, new),
            "a: {b: [1, \"2\", \"yes\"], e: f g} # c\nd: {x: \"0644\"}\n"
        );
    }

    #[test]
    fn new_keys_and_removals_in_block_maps() {
        let text = "m:\n  a: 1\n  # note\n  b:\n    c: 2\nlast: 'q'";
        let new = json!({"m": {"a": 1, "extra": {"x": [1]}}, "last": "it's"});
        assert_eq!(
            edit(text, new),
            "m:\n  a: 1\n  extra:\n    x:\n    - 1\n  # note\nlast: 'it''s'"
        );
        let text = "s:\n- name: a\n  v: 1\n- name: b\n";
        assert_eq!(edit(text, json!({"s": [{"v": 1}]})), "s:\n- v: 1\n");
    }

    #[test]
    fn null_values_become_collections() {
        let text = "meta:\n  annotations:\n  labels: {}\n";
        let new = json!({"meta": {"annotations": {"k": "v"}, "labels": {}}});
        assert_eq!(
            edit(text, new),
            "meta:\n  annotations:\n    k: v\n  labels: {}\n"
        );
    }

    /// A block scalar that keeps its final line breaks (`|+`, `>+`) owns the blank lines
    /// after it: what is added after it goes after them, or its value would lose them.
    #[test]
    fn kept_line_breaks_stay_with_their_scalar() {
        for header in [">+", "|+", "|2+", "|+2"] {
            let text = format!(
                "env:\n- name: B\n  value: {header}\n    two\n\n\n- name: C\n  v: |+\n    x\n\nnext: 1\n"
            );
            let old: Value = crate::yaml::from_str(&text).unwrap();
            let mut new = old.clone();
            new["env"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "P"}));
            new["env"][0]["extra"] = json!("e");
            let out = edit(&text, new.clone());
            let back: Value = crate::yaml::from_str(&out).unwrap();
            assert_eq!(back, new, "{header}: {out}");
        }
    }

    /// Neighbours removed from a flow sequence go in one cut: cut one by one, both took
    /// the `, ` between them ("two edits overlap"), and the document was written out in
    /// full, its comments lost.
    #[test]
    fn neighbours_leave_a_flow_sequence_together() {
        let text = "m: [a, b, c, d] # kept\n";
        for (kept, expected) in [
            (vec!["a"], "m: [a] # kept\n"),
            (vec!["d"], "m: [d] # kept\n"),
            (vec!["a", "d"], "m: [a, d] # kept\n"),
            (vec!["b", "c"], "m: [b, c] # kept\n"),
            (vec!["a", "c"], "m: [a, c] # kept\n"),
        ] {
            assert_eq!(edit(text, json!({"m": kept})), expected);
        }
    }

    /// So do neighbours removed from a flow mapping (switching delivery takes `readOnly`
    /// and `subPath` out of one flow mount).
    #[test]
    fn neighbours_leave_a_flow_mapping_together() {
        let text = "m: {a: 1, b: 2, c: 3, d: 4} # kept\n";
        for (kept, expected) in [
            (json!({"a": 1}), "m: {a: 1} # kept\n"),
            (json!({"d": 4}), "m: {d: 4} # kept\n"),
            (json!({"a": 1, "d": 4}), "m: {a: 1, d: 4} # kept\n"),
            (json!({"b": 2, "c": 3}), "m: {b: 2, c: 3} # kept\n"),
            (json!({"a": 1, "c": 3}), "m: {a: 1, c: 3} # kept\n"),
        ] {
            assert_eq!(edit(text, json!({"m": kept})), expected);
        }
    }

    /// A flow sequence that keeps none of its items is written anew (an earlier
    /// version's copy step, `command: [cp, -R, …]`, upgraded): cut and added item by item,
    /// it began with `[, ` and the document was written out in full.
    #[test]
    fn a_flow_sequence_replaced_item_for_item_is_written_anew() {
        let text = "c: # kept\n  command: [cp, -R, /a/., /b/] # kept too\n  x: 1\n";
        let new =
            json!({"c": {"command": ["sh", "-c", "cp -R \"$0\"/. \"$1\"/", "/a", "/b"], "x": 1}});
        let out = edit(text, new);
        assert!(out.starts_with("c: # kept\n  command:"), "{out}");
        assert!(
            out.contains("# kept too") && out.ends_with("  x: 1\n"),
            "{out}"
        );
    }
}
