//! What a document's aliases expand it to, counted from the parser's events alone: an
//! alias adds the nodes of the node its anchor is on, known once that node has ended,
//! so the count costs one pass and no values, however far the aliases would expand.
//! serde-saphyr counts the same while it builds the value, replaying each alias; a
//! billion-laughs document cost about 5 ms there (400 of them, 2 s) before its budget
//! stopped it. A document this count puts far past the budget is refused without that.

use serde_saphyr::granit_parser::{Event, Parser};
use std::collections::HashMap;

/// How far past serde-saphyr's node budget this count must be to refuse on its own: its
/// count of a node may differ from ours (mapping keys, merge keys), never by this much.
const MARGIN: usize = 4;

/// The count of nodes (scalars, collections, and what each alias stands for) once it
/// passes `MARGIN` times `max_nodes`, and the 1-based line and column of the alias that
/// passed it; `None` for a document within it, or one the parser refuses (the full
/// reading gives that error).
pub fn far_past(text: &str, max_nodes: usize) -> Option<(usize, (u64, u64))> {
    if !text.contains('*') {
        return None;
    }
    let limit = max_nodes.saturating_mul(MARGIN);
    let mut total: usize = 0;
    // Each anchored node's count, by anchor id, once it has ended.
    let mut size: HashMap<usize, usize> = HashMap::new();
    // The open collections: their anchor id (0 for none) and the count before them.
    let mut open: Vec<(usize, usize)> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        match event {
            Event::Scalar(_, _, anchor, _) => {
                total = total.saturating_add(1);
                if anchor != 0 {
                    size.insert(anchor, 1);
                }
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                open.push((anchor, total));
                total = total.saturating_add(1);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, before)) = open.pop()
                    && anchor != 0
                {
                    size.insert(anchor, total - before);
                }
            }
            Event::Alias(anchor) => {
                total = total.saturating_add(size.get(&anchor).copied().unwrap_or(1));
                if total > limit {
                    let (line, col) = (span.start.line(), span.start.col());
                    return Some((total, (line as u64, col as u64 + 1)));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAUGHS: &str = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";

    #[test]
    fn each_alias_adds_what_its_anchor_stands_for() {
        // a: 11 nodes, b: 1 + 10 * 11 = 111, c: 1 + 10 * 111 = 1,111, d: 11,111; with
        // the root mapping and four keys, 12,349.
        assert_eq!(far_past(LAUGHS, 100_000), None);
        // Past 4 times 2,000 at the seventh alias of d: the root, three keys and a, b
        // and c (1,237), d's key and its list (2), and 7 * 1,111.
        assert_eq!(far_past(LAUGHS, 2_000), Some((9_016, (4, 32))));
        // An alias of a scalar is one node: past 4 at the first alias here.
        assert_eq!(far_past("k: &s v\nl: [*s, *s]\n", 1), Some((6, (2, 5))));
        // No alias, or a document the parser refuses: nothing to say here.
        assert_eq!(far_past("a: [x, y]\n", 0), None);
        assert_eq!(far_past("a: *nowhere\n", 0), None);
    }
}
