//! YAML in and out, the way Kubernetes reads it: YAML 1.1 scalars (`0644` is octal),
//! duplicate keys rejected, bounded work for hostile input, and an emitter that quotes
//! every string a YAML 1.1 reader would otherwise turn into a bool, number or null.

use serde::de::DeserializeOwned;
use serde_saphyr::{Options, SerializerOptions};
use std::fmt;

/// A YAML syntax or structure error, with its position inside the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What went wrong, without the position.
    pub message: String,
    /// 1-based line and column, when the parser knows them.
    pub position: Option<(u64, u64)>,
}

impl YamlError {
    /// The same error with its line moved down by `lines` (for a document inside a stream).
    pub fn offset_lines(mut self, lines: u64) -> Self {
        if let Some((line, _)) = self.position.as_mut() {
            *line += lines;
        }
        self
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "line {line}, column {column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for YamlError {}

/// Parser options matching Kubernetes (YAML 1.1 via go-yaml): legacy octal numbers,
/// merge keys, YAML 1.1 booleans; a key written twice in a mapping is read as go-yaml
/// reads it (the last one wins), unless `strict` (our own config: refused).
///
/// The budget scales with the input: a document never needs more nodes or events than
/// it has bytes, so only alias expansion (billion laughs) and nesting depth can hit a
/// limit. What aliases may add is bounded by its size too, [`EXPANSION`] times it (with a floor for small documents), not by a constant (400
/// bombs of 670 bytes took 25 s). So serde-saphyr's check of the ratio of aliases to
/// anchors is off: many aliases of one anchor are ordinary YAML that kubectl reads.
fn parse_options(input_len: usize, strict: bool) -> Options {
    let mut options = Options::default();
    options.legacy_octal_numbers = true;
    options.duplicate_keys = if strict {
        serde_saphyr::DuplicateKeyPolicy::Error
    } else {
        serde_saphyr::DuplicateKeyPolicy::LastWins
    };
    options.with_snippet = false;
    let mut budget = serde_saphyr::Budget::default();
    // `per_byte` times the input, between `floor` and the default; never less than
    // `least` times the input (what the document itself may hold).
    let scaled = |default: usize, floor: usize, per_byte: usize, least: usize| {
        input_len
            .saturating_mul(per_byte)
            .clamp(floor, default.max(floor))
            .max(input_len.saturating_mul(least).saturating_add(16))
    };
    budget.max_nodes = scaled(budget.max_nodes, 10_000, EXPANSION, 1);
    budget.max_events = scaled(budget.max_events, 20_000, 2 * EXPANSION, 2);
    budget.max_total_scalar_bytes = scaled(budget.max_total_scalar_bytes, 1 << 20, EXPANSION, 1);
    budget.max_recorded_anchor_bytes =
        scaled(budget.max_recorded_anchor_bytes, 1 << 20, EXPANSION, 0);
    budget.max_recorded_anchor_events =
        scaled(budget.max_recorded_anchor_events, 20_000, 2 * EXPANSION, 0);
    budget.max_reader_input_bytes = None;
    budget.max_depth = 128;
    budget.enforce_alias_anchor_ratio = false;
    options.budget = Some(budget);
    options
}

/// How many nodes (and scalar bytes) per byte of a document its aliases may make it: 16
/// is far beyond what anchors in real manifests do (a shared label set, a repeated env
/// block), and keeps a bomb's cost linear in its size.
const EXPANSION: usize = 16;

/// Parse one YAML document into `T`, as Kubernetes reads a manifest.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse(text, false)
}

/// Parse one YAML document into `T`, refusing a key written twice (our own config).
pub fn from_str_strict<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    parse(text, true)
}

fn parse<T: DeserializeOwned>(text: &str, strict: bool) -> Result<T, YamlError> {
    let options = parse_options(text.len(), strict);
    // A billion-laughs document is told from its events, before serde-saphyr replays
    // its aliases up to the budget ([`crate::yaml::aliases`]).
    if let Some(max_nodes) = options.budget.as_ref().map(|b| b.max_nodes)
        && let Some((count, position)) = crate::yaml::aliases::far_past(text, max_nodes)
    {
        return Err(YamlError {
            message: format!("{EXPANDS_PAST_BUDGET} ({count} nodes, over its budget)"),
            position: Some(position),
        });
    }
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let mut error = convert_error(e);
        if json_after_json(text, &error) {
            error.message = SECOND_DOCUMENT.into();
        }
        if error.message == SECOND_DOCUMENT
            && let Some((line, _)) = error.position
            && let Some(marker) = marker_before(text, line)
        {
            error.message = marker;
        }
        error
    })
}

/// The parser's "did not find expected <document start>" where a flow mapping or
/// sequence that starts its line follows a document that is one (`{…}` then `{…}`: the
/// JSON stream kubectl reads, and YAML does not): a second document. Elsewhere (a
/// directive with no `---` after it, a block line after a flow root) its words stay.
fn json_after_json(text: &str, error: &YamlError) -> bool {
    let Some((line, _)) = error.position else {
        return false;
    };
    let starts_flow = |s: &str| s.trim_start().starts_with(['{', '[']);
    let at = usize::try_from(line)
        .ok()
        .and_then(|l| text.lines().nth(l.checked_sub(1)?));
    error
        .message
        .starts_with("did not find expected <document start>")
        && at.is_some_and(starts_flow)
        && starts_flow(text.trim_start_matches('\u{feff}'))
}

/// What a second document in a text that must hold one is called, unless a marker
/// before it says more ([`marker_before`]).
const SECOND_DOCUMENT: &str =
    "a second document starts here without a `---` line before it; add one";

/// The message for a second document that starts at `line` (1-based) after a `---` or
/// `...` line: the last line with content before it is that marker.
fn marker_before(text: &str, line: u64) -> Option<String> {
    let (at, marker) = text
        .lines()
        .take(usize::try_from(line).ok()?.saturating_sub(1))
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .last()?;
    let line = at + 1;
    if marker.starts_with("---") {
        Some(format!(
            "a second document starts after the `---` on line {line}; one document is expected here"
        ))
    } else if marker.starts_with("...") {
        Some(format!(
            "a second document starts after the `...` on line {line}, which ends the first; Kubernetes would read only the first: put a `---` line before the second"
        ))
    } else {
        None
    }
}

fn convert_error(error: serde_saphyr::Error) -> YamlError {
    let position = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| (l.line(), l.column()));
    let rendered = error
        .without_snippet()
        .render_with_options(serde_saphyr::render_options! {
            snippets: serde_saphyr::SnippetMode::Off,
        });
    let message = strip_position_suffix(strip_position_prefix(&rendered));
    YamlError {
        message: explain(message),
        position,
    }
}

/// serde-saphyr appends ` at line 5, column 9` (relative to the text it parsed); we
/// print the position of the whole stream instead.
fn strip_position_suffix(message: &str) -> &str {
    if let Some((head, tail)) = message.rsplit_once(" at line ")
        && let Some((line, column)) = tail.split_once(", column ")
        && line.parse::<u64>().is_ok()
        && column.parse::<u64>().is_ok()
    {
        return head;
    }
    message
}

/// Turn library advice into advice for a manifest author.
fn explain(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("duplicate key {key:?} in a mapping (keep one)");
    }
    if message.starts_with("multiple YAML documents detected") {
        return SECOND_DOCUMENT.into();
    }
    if message.starts_with("budget breached: Depth ") || message == "recursion limit exceeded" {
        // Deeper than a value is built (a workload's): the budget's depth, or the parser's.
        return NESTED_TOO_DEEPLY.into();
    }
    if let Some(rest) = message.strip_prefix("budget breached: ") {
        // `Nodes { nodes: 250001 } at line 5, column 34 (defined at …) (used at …)`
        let end = [" at line ", " (defined"]
            .iter()
            .filter_map(|cut| rest.find(cut))
            .min()
            .unwrap_or(rest.len());
        let what = plain_breach(&rest[..end]);
        return format!("{EXPANDS_PAST_BUDGET} ({what})");
    }
    message.to_string()
}

/// The message of a document nested deeper than a value is built ([`parse_options`]).
pub const NESTED_TOO_DEEPLY: &str = "the document is nested too deeply";

/// The message of a document whose aliases expand past its budget.
const EXPANDS_PAST_BUDGET: &str =
    "the document is too large or too deeply nested, counting what its aliases expand to";

/// serde-saphyr's `Nodes { nodes: 10721 }` said in words: `10721 nodes`, the limit the
/// count passed (any other breach as it is).
fn plain_breach(what: &str) -> String {
    let Some((_, inner)) = what.split_once(" { ") else {
        return what.to_string();
    };
    let Some((field, count)) = inner.trim_end_matches(" }").split_once(": ") else {
        return what.to_string();
    };
    let unit = field.replace('_', " ");
    format!("{count} {unit}, over its budget")
}

/// serde-saphyr renders `error: line 3 column 2: message`; we print positions ourselves.
fn strip_position_prefix(rendered: &str) -> &str {
    let s = rendered.trim();
    let s = s.strip_prefix("error: ").unwrap_or(s);
    if let Some(rest) = s.strip_prefix("line ")
        && let Some((_, after)) = rest.split_once(": ")
        && rest
            .split(':')
            .next()
            .is_some_and(|p| p.split(" column ").all(|n| n.trim().parse::<u64>().is_ok()))
    {
        return after;
    }
    s
}

/// How a document lays out block sequences, so a changed document keeps its look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ListStyle {
    /// `key:\n- item` (kubectl, kustomize)
    #[default]
    Compact,
    /// `key:\n  - item` (most Helm charts)
    Indented,
}

impl ListStyle {
    /// Guess the style from the block sequences that follow a mapping key: the one most
    /// of them use (a ResourceList's `items:` may be indented while its items' own lists
    /// are compact), the first one seen on a tie.
    pub fn detect(text: &str) -> Self {
        let mut previous: Option<&[u8]> = None;
        let (mut compact, mut indented) = (0usize, 0usize);
        let mut first = None;
        let indent_of = |line: &[u8]| line.len() - line.trim_ascii_start().len();
        for line in text.as_bytes().split(|&b| b == b'\n') {
            let trimmed = line.trim_ascii_start();
            if trimmed.is_empty() || trimmed[0] == b'#' {
                continue;
            }
            if (trimmed.starts_with(b"- ") || trimmed.trim_ascii_end() == b"-")
                && let Some(prev) = previous
                && prev.trim_ascii_end().ends_with(b":")
                && !prev.trim_ascii_start().starts_with(b"- ")
            {
                let style = if indent_of(line) > indent_of(prev) {
                    indented += 1;
                    ListStyle::Indented
                } else {
                    compact += 1;
                    ListStyle::Compact
                };
                first.get_or_insert(style);
            }
            previous = Some(line);
        }
        match compact.cmp(&indented) {
            std::cmp::Ordering::Greater => ListStyle::Compact,
            std::cmp::Ordering::Less => ListStyle::Indented,
            std::cmp::Ordering::Equal => first.unwrap_or_default(),
        }
    }
}

fn serializer_options(style: ListStyle) -> SerializerOptions {
    let mut options = SerializerOptions::default();
    options.compact_list_indent = style == ListStyle::Compact;
    // Keep long one-line strings (JVM options) on one line: easier to review and diff.
    options.folded_wrap_chars = usize::MAX;
    options
}

/// Emit a value as one YAML document (no `---`), ending in a newline.
pub fn to_string<T: serde::Serialize>(value: &T, style: ListStyle) -> String {
    let mut out = serde_saphyr::to_string_with_options(value, serializer_options(style))
        .expect("serializing a JSON value to YAML cannot fail");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn octal_modes_are_read_as_kubernetes_reads_them() {
        let v: Value = from_str("mode: 0644\nother: 0755\n").unwrap();
        assert_eq!(v, json!({"mode": 420, "other": 493}));
    }

    #[test]
    fn yaml11_lookalike_strings_stay_quoted() {
        let input = "a: \"on\"\nb: \"NO\"\nc: \"y\"\nd: \"0x1F\"\ne: \"1_000\"\nf: \"1e3\"\ng: \"0123\"\nh: \"2001-12-14\"\n";
        let v: Value = from_str(input).unwrap();
        let out = to_string(&v, ListStyle::Compact);
        assert_eq!(out, input);
    }

    #[test]
    fn a_key_written_twice_is_read_as_kubernetes_reads_it() {
        let v: Value = from_str("a: 1\nb: {c: 1}\nb: {d: 2}\na: 3\n").unwrap();
        assert_eq!(v, json!({"a": 3, "b": {"d": 2}}));
    }

    #[test]
    fn errors_carry_positions_and_a_bare_message() {
        let err = from_str_strict::<Value>("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.position, Some((2, 1)));
        assert!(
            err.message.starts_with("duplicate key \"a\""),
            "{}",
            err.message
        );
        assert_eq!(err.offset_lines(10).position, Some((12, 1)));
    }

    #[test]
    fn a_second_document_is_named_after_the_marker_before_it() {
        let err = from_str::<Value>("a: 1\n---\n# two\nb: 2\n").unwrap_err();
        assert_eq!(
            err.message,
            "a second document starts after the `---` on line 2; one document is expected here"
        );
        let err = from_str::<Value>("a: 1\n...\nb: 2\n").unwrap_err();
        assert!(
            err.message.contains("after the `...` on line 2"),
            "{}",
            err.message
        );
        // JSON objects one after another (what kubectl reads, and YAML does not).
        let err = from_str::<Value>("{\"a\": 1}\n{\"b\": 2}\n").unwrap_err();
        assert_eq!(
            (err.position, err.message.as_str()),
            (Some((2, 1)), SECOND_DOCUMENT)
        );
    }

    #[test]
    fn list_style_is_detected() {
        assert_eq!(ListStyle::detect("a:\n- x\n"), ListStyle::Compact);
        assert_eq!(
            ListStyle::detect("a:\n  b:\n    - x\n"),
            ListStyle::Indented
        );
        assert_eq!(ListStyle::detect("a: 1\n"), ListStyle::Compact);
    }
}
