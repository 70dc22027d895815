//! The `results` of the ResourceList we write: the ones the list came with (from the
//! functions before us) kept, this run's appended.

use crate::run::items::{Rendered, block_item};
use crate::yaml::outline::Outline;
use crate::yaml::{ListStyle, lines};
use serde_json::Value;
use std::io::{self, Write};

/// The results the list came with.
pub enum Earlier<'t> {
    /// A block list: its lines, copied as they are; ours follow at its items' column.
    Block { lines: &'t str, column: usize },
    /// Any other list (flow, empty, `null`): its items, written again before ours.
    Items(Vec<Value>),
}

impl<'t> Earlier<'t> {
    /// Read the entry `lines` (its key line to its last line); `block` when its value is
    /// a block collection, and `value` reads that value. A block list is kept as its
    /// lines, unread (160,000 earlier results, 19.6 MB, were read into values: 193 MiB);
    /// anything else is read. `Err` says what it is when it is no list (then it cannot
    /// be kept); `None` when it cannot be read.
    pub fn read(
        lines: &'t str,
        block: bool,
        value: impl FnOnce() -> Option<Value>,
    ) -> Option<Result<Earlier<'t>, String>> {
        // A block list: the first line with content after the key's is its first `- `
        // (a block mapping's would be a key).
        let first = lines
            .lines()
            .skip(1)
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
        if block
            && let Some(line) = first
            && let body = line.trim_start_matches(' ')
            && (body.starts_with("- ") || body == "-")
        {
            return Some(Ok(Earlier::Block {
                lines,
                column: line.len() - body.len(),
            }));
        }
        // A block scalar (`results: |`): its value is read without its header, so its
        // text would be read as YAML; it is a scalar.
        let header = lines.lines().next().and_then(|l| l.split_once(':'));
        if header.is_some_and(|(_, rest)| rest.trim_start().starts_with(['|', '>'])) {
            return Some(Err(not_a_list("a scalar")));
        }
        Some(match value()? {
            Value::Array(items) => Ok(Earlier::Items(items)),
            Value::Null => Ok(Earlier::Items(Vec::new())),
            other => Err(not_a_list(kind_of(&other))),
        })
    }
}

fn not_a_list(what: &str) -> String {
    format!("the ResourceList's results is not a list ({what}); this run's results replace it")
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "a mapping",
        _ => "a scalar",
    }
}

/// Write the `results:` entry: the earlier ones, then `ours` (made at the column the
/// earlier ones' block list or the style gives), each line ended as the list's are
/// (`crlf`). With nothing earlier, the block is what the whole list serialized as one
/// would give.
pub fn write(
    out: &mut impl Write,
    earlier: Option<Earlier<'_>>,
    ours: &Rendered,
    style: ListStyle,
    crlf: bool,
) -> io::Result<()> {
    let indented = if style == ListStyle::Indented { 2 } else { 0 };
    let key = lines::with_breaks("results:\n".to_string(), crlf);
    match earlier {
        Some(Earlier::Block { lines: block, .. }) => {
            out.write_all(block.as_bytes())?;
            if !block.ends_with('\n') {
                out.write_all(lines::with_breaks("\n".into(), crlf).as_bytes())?;
            }
        }
        Some(Earlier::Items(items)) if !items.is_empty() => {
            out.write_all(key.as_bytes())?;
            for item in &items {
                out.write_all(block_item(item, indented, crlf).as_bytes())?;
            }
        }
        Some(Earlier::Items(_)) | None if ours.count == 0 => return Ok(()),
        Some(Earlier::Items(_)) | None => out.write_all(key.as_bytes())?,
    }
    ours.pieces()
        .try_for_each(|piece| out.write_all(piece.as_bytes()))
}

/// The column this run's results are written at, under `earlier` in a list of `style`.
pub fn column(earlier: Option<&Earlier<'_>>, style: ListStyle) -> usize {
    match earlier {
        Some(Earlier::Block { column, .. }) => *column,
        _ if style == ListStyle::Indented => 2,
        _ => 0,
    }
}

/// Where this run's results go in a flow (JSON) list: the range they replace, and the
/// text before and after them there (into its own `results` list, or as a new entry
/// after its last one). JSON, so that a JSON list stays JSON.
pub struct FlowInsertion {
    pub start: usize,
    pub end: usize,
    pub before: &'static str,
    pub after: &'static str,
}

pub fn flow_insertion(text: &str, outline: &Outline, ours: &Rendered) -> FlowInsertion {
    let end = outline.entries.last().map_or(0, |e| e.value.end);
    let at = |start, end, before, after| FlowInsertion {
        start,
        end,
        before,
        after,
    };
    if ours.count == 0 {
        return at(end, end, "", "");
    }
    match outline.entries.iter().find(|e| e.key == "results") {
        Some(e) => {
            let old = &text[e.value.start..e.value.end];
            let inner = old.strip_prefix('[').and_then(|o| o.strip_suffix(']'));
            match inner {
                // Appended inside the list, before its `]`.
                Some(inner) if !inner.trim().is_empty() => {
                    at(e.value.end - 1, e.value.end - 1, ", ", "")
                }
                // `[]`, `null` or nothing: the list is ours.
                _ => at(e.value.start, e.value.end, "[", "]"),
            }
        }
        None => at(end, end, ", \"results\": [", "]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::diag::Diagnostic;
    use crate::run::items::Format;
    use crate::yaml;

    fn written(earlier: Option<Earlier<'_>>, style: ListStyle) -> String {
        let ours = [
            Diagnostic::error("no: \"quoted\"\nsecond line"),
            Diagnostic::info("injected"),
        ];
        let column = column(earlier.as_ref(), style);
        let mut rendered = Rendered::new(Format::Block {
            column,
            crlf: false,
        });
        ours.iter().for_each(|r| rendered.push(r));
        let mut out = Vec::new();
        write(&mut out, earlier, &rendered, style, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_item_at_a_time_writes_what_the_whole_list_would() {
        #[derive(serde::Serialize)]
        struct Block<'r> {
            results: &'r [Diagnostic],
        }
        let ours = [
            Diagnostic::error("no: \"quoted\"\nsecond line"),
            Diagnostic::info("injected"),
        ];
        for style in [ListStyle::Compact, ListStyle::Indented] {
            let whole = yaml::to_string(&Block { results: &ours }, style);
            assert_eq!(written(None, style), whole, "{style:?}");
        }
    }

    #[test]
    fn earlier_results_are_kept_and_ours_follow() {
        let lines = "results:\n  # from set-labels\n  - message: labelled\n    severity: info\n";
        // A block list is kept as its lines, never read.
        let earlier = Earlier::read(lines, true, || panic!("read"))
            .unwrap()
            .unwrap();
        let out = written(Some(earlier), ListStyle::Compact);
        assert!(out.starts_with(lines), "{out}");
        assert!(out[lines.len()..].starts_with("  - message: "), "{out}");
        let back: Value = yaml::from_str(&out).unwrap();
        assert_eq!(back["results"].as_array().unwrap().len(), 3);

        let flow = "results: [{message: old, severity: warning}]\n";
        let value = yaml::from_str::<Value>(flow).unwrap()["results"].clone();
        let out = written(
            Some(Earlier::read(flow, false, || Some(value)).unwrap().unwrap()),
            ListStyle::Compact,
        );
        let back: Value = yaml::from_str(&out).unwrap();
        assert_eq!(back["results"][0]["message"], "old");
        assert_eq!(back["results"].as_array().unwrap().len(), 3);

        assert!(
            Earlier::read("results: 5\n", false, || Some(Value::from(5)))
                .unwrap()
                .is_err()
        );
        // A block mapping is read, and is no list.
        let mapping = "results:\n  message: m\n";
        let value = yaml::from_str::<Value>(mapping).unwrap()["results"].clone();
        assert!(
            Earlier::read(mapping, true, || Some(value))
                .unwrap()
                .is_err()
        );
        // A block scalar whose text starts with `- ` is no list either, and is not read
        // (its value, read without its header, would be one).
        let text = "results: |\n  - message: old\n";
        let read = Earlier::read(text, false, || panic!("read"));
        assert_eq!(read.unwrap().err().unwrap(), not_a_list("a scalar"));
    }
}
