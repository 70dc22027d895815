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
