//! A field path as results name it (`spec.template.spec.containers[0].env[3]`,
//! `metadata.annotations[pinpoint-inject.dev/injected]`) found in a span tree, so that a
//! result about a field can say where the field is written.

use super::Node;

/// One step of a path: a mapping key, or a list index.
#[derive(Debug, PartialEq, Eq)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// The steps of `path`: keys joined by `.`, and `[N]` for an index or `[key]` for a key
/// that may hold dots (an annotation's name).
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            let within = &inner[..end];
            steps.push(match within.parse() {
                Ok(n) => Step::Index(n),
                Err(_) => Step::Key(within),
            });
            rest = &inner[end + 1..];
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end > 0 {
                steps.push(Step::Key(&rest[..end]));
            }
            rest = &rest[end..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    steps
}

/// The node at `path` under `root`, or the deepest one on the way to it that is written
/// (a field the wiring would add is placed at its parent): `None` for the root itself.
pub fn deepest<'n, 't>(root: &'n Node<'t>, path: &str) -> Option<&'n Node<'t>> {
    let mut at = root;
    let mut found = None;
    for step in steps(path) {
        let next = match step {
            Step::Key(key) => at
                .entries()
                .iter()
                .rev()
                .find(|e| e.key == key)
                .map(|e| &e.value),
            Step::Index(i) => at.items().get(i),
        };
        match next {
            Some(node) => {
                at = node;
                found = Some(node);
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_as_results_write_them() {
        assert_eq!(
            steps("spec.containers[0].env[12]"),
            [
                Step::Key("spec"),
                Step::Key("containers"),
                Step::Index(0),
                Step::Key("env"),
                Step::Index(12)
            ]
        );
        assert_eq!(
            steps("metadata.annotations[pinpoint-inject.dev/injected]"),
            [
                Step::Key("metadata"),
                Step::Key("annotations"),
                Step::Key("pinpoint-inject.dev/injected")
            ]
        );
        assert_eq!(steps(""), []);
    }

    #[test]
    fn the_deepest_written_node_is_found() {
        let text = "spec:\n  containers:\n  - name: app\n    env:\n    - name: A\n      value: b\n";
        let root = crate::yaml::spans::parse(text).unwrap();
        let env = deepest(&root, "spec.containers[0].env[0]").unwrap();
        assert_eq!((env.line, env.col), (5, 6));
        // `volumeMounts` is not written: its container is where it would go.
        let container = deepest(&root, "spec.containers[0].volumeMounts").unwrap();
        assert_eq!((container.line, container.col), (3, 4));
        assert!(deepest(&root, "metadata").is_none());
    }
}
