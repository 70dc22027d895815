//! The outline of a ResourceList, read in one parser pass that builds nothing: where
//! each top-level entry and each item sits in the text. KRM mode then parses one item
//! at a time (memory bounded by the largest item, not the list) and copies the rest.

use crate::yaml::check::{self, MAX_NESTING};
use crate::yaml::lines;
use crate::yaml::spans::NoSpans;
use serde_saphyr::granit_parser::{Event, ScalarStyle};
use std::collections::{HashMap, HashSet};

/// A node's bytes, `start..end`, and whether it is a flow collection or scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: usize,
    pub end: usize,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopEntry {
    pub key: String,
    pub key_start: usize,
    pub value: Range,
    /// The value is a flow collection or a scalar (not a block collection).
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub entries: Vec<TopEntry>,
    /// The items of `items`, when it is a sequence.
    pub items: Vec<Item>,
    /// The list is a flow mapping (JSON), not a block one.
    pub flow: bool,
    /// `items` is a flow sequence (`[…]`): each item is its own bytes, not its lines.
    pub flow_items: bool,
}

/// A byte range of the text, `start..end`.
pub type Span = (usize, usize);

/// One item of the list: where it is, and where its top-level `apiVersion` and `kind`
/// are when they are plain scalars (byte ranges: no copy of them is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub range: Range,
    pub api_version: Option<Span>,
    pub kind: Option<Span>,
}

impl Item {
    /// The item's `apiVersion` and `kind`, when they are plain scalars.
    pub fn head<'t>(&self, text: &'t str) -> (Option<&'t str>, Option<&'t str>) {
        let at = |span: Option<Span>| span.map(|(start, end)| &text[start..end]);
        (at(self.api_version), at(self.kind))
    }
}

/// Why the outline path does not apply (the caller reads the list whole instead).
pub type Unsupported = NoSpans;

/// Read the outline of a ResourceList that is one mapping with an `items` sequence, block
/// (what kustomize and kpt send) or flow (JSON), whose anchors, aliases and tags are
/// inside its items or inside the values of its other top-level entries, each alias in
/// its anchor's item or entry.
pub fn read(text: &str) -> Result<Outline, Unsupported> {
    let unsupported = |why: &str| Err(NoSpans(why.into()));
    let mut entries: Vec<TopEntry> = Vec::new();
    let mut top_keys: HashSet<String> = HashSet::new();
    let mut items: Vec<Item> = Vec::new();
    let (mut flow, mut flow_items) = (false, false);
    let mut depth = 0usize;
    // At depth 1: whether the next node is a key; the key being read.
    let mut next_is_key = true;
    let mut key: Option<(String, usize)> = None;
    // The top-level value and the item being read: start, line, and the end so far.
    let mut value: Option<(Range, bool)> = None;
    let mut item: Option<Range> = None;
    let mut in_items = false;
    // Whether each open collection is flow: only a flow collection's end is its own text.
    let mut flows: Vec<bool> = Vec::new();
    // For every open mapping, whether its next node is a key; and the key just read.
    let mut keys: Vec<Option<bool>> = Vec::new();
    let mut last_key: Option<String> = None;
    let mut head: (Option<Span>, Option<Span>) = (None, None);
    // The list's own two levels, then as deep as kubectl reads an item: an item that is
    // no workload is copied unread at any depth it accepts.
    let levels = MAX_NESTING + 2;
    let mut own = ItemAnchors {
        anchors: HashMap::new(),
        // A `%TAG` directive names tag handles for the whole list: an item read alone
        // would not know them.
        tags: !text.contains("%TAG"),
    };
    for event in check::deep_parser(text, levels + 1) {
        let (event, span) = event.map_err(|e| NoSpans(e.to_string()))?;
        let (start, end) = (
            span.start
                .byte_offset()
                .ok_or_else(|| NoSpans("no byte offsets".into()))?,
            span.end
                .byte_offset()
                .ok_or_else(|| NoSpans("no byte offsets".into()))?,
        );
        let line = span.start.line();
        let content_end = |style: Option<ScalarStyle>| match style {
            Some(ScalarStyle::Literal | ScalarStyle::Folded) => {
                start + text[start..end].trim_end().len()
            }
            _ => end,
        };
        // An item (its own node included: `- !!map`, `- &a`, read alone the same), or
        // inside the value of another top-level entry (not the value itself): its
        // anchors and aliases stay its own, as each is read alone (an item's index, or a
        // number past any index for an entry).
        let unit = if in_items {
            (depth >= 2).then_some(items.len())
        } else {
            (depth >= 2).then_some(usize::MAX - entries.len())
        };
        let (opens, closes, node_end, special) = match &event {
            // The list's own root may carry an anchor (nothing can alias it) or `!!map`
            // (what it is anyway): its items are still read alone.
            Event::MappingStart(style, _, tag)
                if depth == 0
                    && tag
                        .as_deref()
                        .is_none_or(|t| t.is_yaml_core_schema_tag("map")) =>
            {
                let flow = *style == serde_saphyr::granit_parser::StructureStyle::Flow;
                (Some(flow), false, None, false)
            }
            Event::MappingStart(style, anchor, tag) | Event::SequenceStart(style, anchor, tag) => {
                let flow = *style == serde_saphyr::granit_parser::StructureStyle::Flow;
                (
                    Some(flow),
                    false,
                    None,
                    own.special(*anchor, tag.is_some(), unit),
                )
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let flow = flows.pop().unwrap_or(false);
                (None, true, flow.then_some(end), false)
            }
            Event::Scalar(_, style, anchor, tag) => (
                None,
                false,
                Some(content_end(Some(*style))),
                own.special(*anchor, tag.is_some(), unit),
            ),
            Event::Alias(anchor) if own.alias_of(*anchor, unit) => (None, false, Some(end), false),
            Event::Alias(_) => {
                return unsupported("an alias of an anchor outside its item or entry");
            }
            Event::DocumentStart(..) if depth == 0 && !entries.is_empty() => {
                return unsupported("more than one document");
            }
            _ => (None, false, None, false),
        };
        if special {
            return unsupported("an anchor or tag outside an item or entry");
        }
        // Key bookkeeping for the mapping this node is in.
        let node = opens.is_some() || matches!(event, Event::Scalar(..) | Event::Alias(_));
        if node && let Some(Some(next_is_key)) = keys.last_mut() {
            if *next_is_key {
                // A key written twice inside an item is read as Kubernetes reads it (the
                // item's own parse); at the top of the list, below.
                let Event::Scalar(name, ..) = &event else {
                    return unsupported("a key that is not a scalar");
                };
                last_key = Some(name.to_string());
            } else if depth == 3
                && in_items
                && let Event::Scalar(value, style, ..) = &event
                && let Some(span) = head_span(text, (start, end), *style, value)
            {
                match last_key.as_deref() {
                    Some("apiVersion") => head.0 = Some(span),
                    Some("kind") => head.1 = Some(span),
                    _ => {}
                }
            }
            *next_is_key = !*next_is_key;
        }
        // A node starts at `depth`: its role there.
        if opens.is_some() || matches!(event, Event::Scalar(..)) {
            match depth {
                0 if !matches!(event, Event::MappingStart(..)) => {
                    return unsupported("the list is not a mapping");
                }
                0 => flow = opens == Some(true),
                1 if next_is_key => {
                    let Event::Scalar(name, ..) = &event else {
                        return unsupported("a key that is not a scalar");
                    };
                    if !top_keys.insert(name.to_string()) {
                        return unsupported("a duplicate top-level key");
                    }
                    key = Some((name.to_string(), start));
                }
                1 => {
                    let inline = opens != Some(false);
                    let is_items = key.as_ref().is_some_and(|(k, _)| k == "items");
                    if is_items && matches!(event, Event::MappingStart(..)) {
                        return unsupported("items is not a list");
                    }
                    if is_items && inline && opens.is_some() {
                        flow_items = true;
                    }
                    in_items = is_items && opens.is_some();
                    value = Some((
                        Range {
                            start,
                            end: start,
                            line,
                        },
                        inline,
                    ));
                }
                2 if in_items => {
                    item = Some(Range {
                        start,
                        end: start,
                        line,
                    })
                }
                _ => {}
            }
        }
        if let Some(e) = node_end {
            if let Some((range, _)) = value.as_mut() {
                range.end = range.end.max(e);
            }
            if let Some(range) = item.as_mut() {
                range.end = range.end.max(e);
            }
        }
        if let Some(flow) = opens {
            flows.push(flow);
            keys.push(matches!(event, Event::MappingStart(..)).then_some(true));
            depth += 1;
            if depth > levels {
                return Err(NoSpans(check::nested_too_deeply(line, span.start.col())));
            }
        }
        if closes {
            keys.pop();
            depth -= 1;
        }
        // A node ended at `depth`: close what it completes.
        let ended = closes || matches!(event, Event::Scalar(..) | Event::Alias(_));
        if ended && depth == 2 && in_items {
            let (api_version, kind) = std::mem::take(&mut head);
            items.extend(item.take().map(|range| Item {
                range,
                api_version,
                kind,
            }));
        }
        if ended && depth == 1 {
            if next_is_key {
                next_is_key = false;
            } else {
                let (name, key_start) = key.take().expect("a key came first");
                let (range, inline) = value.take().expect("a value started");
                entries.push(TopEntry {
                    key: name,
                    key_start,
                    value: range,
                    inline,
                });
                next_is_key = true;
                in_items = false;
            }
        }
    }
    Ok(Outline {
        entries,
        items,
        flow,
        flow_items,
    })
}

/// The anchors of the items and of the other top-level entries' values, each its own:
/// one whose anchors and aliases are all inside it reads the same alone, so the list is
/// still read one item at a time (a list with one anchor, even in its functionConfig,
/// was read whole: 90 times its size in memory).
struct ItemAnchors {
    /// Each anchor, by the parser's id, and the item or entry (`unit`) it is in.
    anchors: HashMap<usize, usize>,
    /// Tags are read the same inside an item alone.
    tags: bool,
}

impl ItemAnchors {
    /// Whether a node's anchor or tag keeps the list from being read by item: it is
    /// outside an item or entry (`unit` is `None`), or a tag with `%TAG` directives
    /// about. An anchor inside one is recorded.
    fn special(&mut self, anchor: usize, tagged: bool, unit: Option<usize>) -> bool {
        let Some(unit) = unit else {
            return anchor != 0 || tagged;
        };
        if anchor != 0 {
            self.anchors.insert(anchor, unit);
        }
        tagged && !self.tags
    }

    /// Whether an alias inside `unit` names an anchor of that same item or entry.
    fn alias_of(&self, anchor: usize, unit: Option<usize>) -> bool {
        unit.is_some() && self.anchors.get(&anchor) == unit.as_ref()
    }
}

/// Where an item's `apiVersion` or `kind` (the scalar at `span`, read as `value`) is
/// written as its value: a plain scalar's text, or a quoted one's between its quotes,
/// when that text is the value (no escape, no folded line) and is not empty.
pub fn head_span(text: &str, span: Span, style: ScalarStyle, value: &str) -> Option<Span> {
    let (start, end) = match style {
        ScalarStyle::Plain => span,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if span.1 - span.0 > 2 => {
            (span.0 + 1, span.1 - 1)
        }
        _ => return None,
    };
    (text.get(start..end) == Some(value)).then_some((start, end))
}

/// The text of a block node that starts at `start` as a document of its own: its
/// lines, from the start of its first (a sequence item's: of its `-`'s, which is blanked
/// out). Returns the text and the offset in `text` it starts at.
pub fn block_slice(text: &str, range: Range, item: bool) -> Result<(String, usize), Unsupported> {
    let dash = match item {
        true => Some(
            lines::opening_dash(text, range.start)
                .ok_or_else(|| NoSpans("an item whose `-` does not start its line".into()))?,
        ),
        false => None,
    };
    let from = lines::line_start(text, dash.unwrap_or(range.start));
    let to = lines::line_end(text, range.end);
    let mut slice = text[from..to].to_string();
    if let Some(dash) = dash {
        slice.replace_range(dash - from..dash - from + 1, " ");
    }
    Ok((slice, from))
}

#[cfg(test)]
mod tests;
