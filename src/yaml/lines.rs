//! Positions in a document's text: line starts and ends, columns, the `-` of a block
//! item and the `:` after a key. Byte offsets in, byte offsets out.

/// The offset where the line holding `pos` starts.
pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The offset just past the line holding the last byte before `pos` (its `\n`
/// included): where a new line after that content goes.
pub fn line_end(text: &str, pos: usize) -> usize {
    if pos == 0 || text.as_bytes()[pos - 1] == b'\n' {
        return pos;
    }
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

/// True when only spaces stand between the start of its line and `pos`.
pub fn first_on_line(text: &str, pos: usize) -> bool {
    text[line_start(text, pos)..pos].bytes().all(|b| b == b' ')
}

/// The `-` of a block sequence item that starts at `item_start`, when the dash is the
/// first thing on its line.
pub fn dash_of(text: &str, item_start: usize) -> Option<usize> {
    let before = text[..item_start].trim_end_matches([' ', '\t', '\n', '\r']);
    let dash = before.len().checked_sub(1)?;
    (before.ends_with('-') && first_on_line(text, dash)).then_some(dash)
}

/// The `-` that opens the block sequence item starting at `item_start`, first on its
/// line: on the item's own line (`- a: 1`), or on a line above it with only blank lines,
/// comments and the item's anchor or tag between (`-`, `- # note`, `- !!map` alone on
/// its line, the item below). Between an item and its `-` the parser allows nothing
/// else, so the first line going up that starts with a `-` is its dash.
pub fn opening_dash(text: &str, item_start: usize) -> Option<usize> {
    let mut end = item_start;
    loop {
        let start = line_start(text, end);
        let before = &text[start..end];
        let rest = before.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix('-')
            && (after.is_empty() || after.starts_with([' ', '\t', '\r']))
        {
            return Some(end - rest.len());
        }
        let between = rest.trim_end_matches([' ', '\t', '\r']);
        if !(between.is_empty() || between.starts_with(['#', '&', '!'])) || start == 0 {
            return None;
        }
        end = start - 1; // the line above, without its `\n`
    }
}

/// The column of a byte offset, in characters.
pub fn column(text: &str, pos: usize) -> usize {
    text[line_start(text, pos)..pos].chars().count()
}

/// The offset just past the `:` that follows a block mapping key ending at `key_end`.
pub fn colon_after(text: &str, key_end: usize) -> Option<usize> {
    let rest = &text[key_end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (rest.as_bytes().get(skipped) == Some(&b':')).then_some(key_end + skipped + 1)
}

/// True when the text's lines end in `\r\n` (its first line break says): what we insert
/// into it must end its lines the same way.
pub fn crlf(text: &str) -> bool {
    text.find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
}

/// `text` with its line breaks as `\n`, when every one is `\r\n` and no other `\r` is in
/// it (then [`crlf_again`] gives it back exactly); `None` for any other text.
pub fn lf_if_all_crlf(text: &str) -> Option<String> {
    all_crlf(text.as_bytes()).then(|| text.replace("\r\n", "\n"))
}

/// [`lf_if_all_crlf`] in place: `true` when `bytes` had every line break as `\r\n` and
/// no other `\r`, and now has them as `\n`.
pub fn lf_in_place_if_all_crlf(bytes: &mut Vec<u8>) -> bool {
    if !all_crlf(bytes) {
        return false;
    }
    bytes.retain(|&b| b != b'\r');
    true
}

/// Every `\n` of `text` as `\r\n` (the way back from [`lf_if_all_crlf`]).
pub fn crlf_again(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for &b in text {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// Every line break of `bytes` is `\r\n` and no other `\r` is in it (and there is one):
/// a text without `\r`, the usual one, is told by one fast search.
fn all_crlf(bytes: &[u8]) -> bool {
    bytes.contains(&b'\r')
        && holds_at_every(bytes, b'\r', |i| bytes.get(i + 1) == Some(&b'\n'))
        && holds_at_every(bytes, b'\n', |i| i > 0 && bytes[i - 1] == b'\r')
}

/// True when `ok` holds at every offset of `byte` in `bytes`.
fn holds_at_every(bytes: &[u8], byte: u8, ok: impl Fn(usize) -> bool) -> bool {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == byte)
        .all(|(i, _)| ok(i))
}

/// `inserted` with every line break as `\r\n` when `crlf` (a `\n` alone gets its `\r`).
pub fn with_breaks(inserted: String, crlf: bool) -> String {
    if !crlf || !inserted.contains('\n') {
        return inserted;
    }
    let mut out = String::with_capacity(inserted.len() + inserted.len() / 16);
    let mut last = '\0';
    for c in inserted.chars() {
        if c == '\n' && last != '\r' {
            out.push('\r');
        }
        out.push(c);
        last = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_text_goes_to_lf_and_back_exactly() {
        let text = "a: 1\r\nb: \"x\\r\"\r\n\r\n";
        let lf = lf_if_all_crlf(text).unwrap();
        assert_eq!(lf, "a: 1\nb: \"x\\r\"\n\n");
        assert_eq!(crlf_again(lf.as_bytes()), text.as_bytes());
        for mixed in ["a\r\nb\n", "a\rb\r\n", "a\nb", "\r", "a\r\nb\r"] {
            assert_eq!(lf_if_all_crlf(mixed), None, "{mixed:?}");
            let mut bytes = mixed.as_bytes().to_vec();
            assert!(!lf_in_place_if_all_crlf(&mut bytes), "{mixed:?}");
            assert_eq!(bytes, mixed.as_bytes());
        }
        let mut bytes = text.as_bytes().to_vec();
        assert!(lf_in_place_if_all_crlf(&mut bytes));
        assert_eq!(bytes, lf.as_bytes());
    }

    #[test]
    fn inserted_lines_end_as_the_text_does() {
        assert!(crlf("a: 1\r\nb: 2\n"));
        assert!(!crlf("a: 1\nb: 2\r\n"));
        assert!(!crlf("a: 1"));
        assert_eq!(with_breaks("x\ny\r\n".into(), true), "x\r\ny\r\n");
        assert_eq!(with_breaks("x\ny\n".into(), false), "x\ny\n");
    }

    #[test]
    fn an_items_dash_is_found_on_its_line_or_above_it() {
        let dash = |text: &str| opening_dash(text, text.find("kind").unwrap());
        assert_eq!(dash("a:\n  - kind: A"), Some(5));
        assert_eq!(dash("a:\n-\n  kind: A"), Some(3));
        assert_eq!(dash("a:\n-\r\n  kind: A"), Some(3));
        assert_eq!(dash("a:\n- # one - two\n\n  # three\n  kind: A"), Some(3));
        assert_eq!(dash("a:\n- &x !!map # c\n  kind: A"), Some(3));
        assert_eq!(dash("a:\n-\n  !!map\n  kind: A"), Some(3));
        // No dash first on its line between the item and the content before it.
        assert_eq!(dash("a: - kind: A"), None);
        assert_eq!(dash("b: 1\n  kind: A"), None);
        assert_eq!(dash("-x\n  kind: A"), None);
        assert_eq!(dash("  kind: A"), None);
    }
}
