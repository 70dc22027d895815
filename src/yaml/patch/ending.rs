//! A document whose last line has no line break (a file saved without one, the last
//! document of a stream): lines added or removed at its end keep it ending that way, so
//! several additions add no blank line and taking them out gives the text back exactly.

use super::splice::Splice;

/// Lines inserted at the end of such a document come after a break of their own
/// (`\nlines\n`): each loses its last break, so that several add no blank line between
/// them and the document still ends without one. `splices` are in their final text.
pub(super) fn insertions_at_end(text: &str, splices: &mut [Splice]) {
    if !unterminated(text) {
        return;
    }
    for s in splices
        .iter_mut()
        .filter(|s| s.start == text.len() && s.end == s.start)
    {
        for eol in ["\r\n", "\n"] {
            if s.text.len() > 2 * eol.len() && s.text.starts_with(eol) && s.text.ends_with(eol) {
                s.text.truncate(s.text.len() - eol.len());
                break;
            }
        }
    }
}

/// When the sorted `splices` end in whole lines cut up to the end of such a document, the
/// line break before the first of those lines goes too (else it would be left as the
/// document's new final break). Not when something else is spliced right there.
pub(super) fn cut_last_break(text: &str, splices: &mut [Splice]) {
    if !unterminated(text) {
        return;
    }
    // The run of adjacent cuts that reaches the end (before the lines inserted there,
    // which bring their own break: see [`insertions_at_end`]).
    let mut first = splices.len();
    while first > 0 && splices[first - 1].start == text.len() {
        first -= 1;
    }
    let last = first;
    let mut end = text.len();
    while first > 0 {
        let s = &splices[first - 1];
        if s.end != end || !s.text.is_empty() || s.start == s.end {
            break;
        }
        end = s.start;
        first -= 1;
    }
    if first == last || end == 0 || text.as_bytes()[end - 1] != b'\n' {
        return;
    }
    let before = end - 1 - usize::from(text[..end - 1].ends_with('\r'));
    if first > 0 && splices[first - 1].end > before {
        // A splice that ends where the cut starts (lines inserted there, or a value
        // rewritten up to its line's end) now ends the kept text: its last break goes.
        let s = &mut splices[first - 1];
        let eol = &text[before..end];
        if s.end == end && s.text.ends_with(eol) {
            s.text.truncate(s.text.len() - eol.len());
        }
        return;
    }
    splices[first].start = before;
}

fn unterminated(text: &str) -> bool {
    !text.is_empty() && !text.ends_with('\n')
}

#[cfg(test)]
mod tests {
    use super::super::splice::{cut, insert};
    use super::*;

    #[test]
    fn the_end_of_a_document_without_a_final_break_stays_so() {
        let text = "a: 1\nb: 2\nc: 3";
        let mut splices = vec![
            insert(5, "x: 0\n".into()),
            insert(14, "\nd: 4\n".into()),
            insert(14, "\ne: 5\n".into()),
        ];
        insertions_at_end(text, &mut splices);
        let texts: Vec<&str> = splices.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["x: 0\n", "\nd: 4", "\ne: 5"]);
        let mut crlf = vec![insert(10, "\r\nd: 4\r\n".into())];
        insertions_at_end("a: 1\r\nb: 2", &mut crlf);
        assert_eq!(crlf[0].text, "\r\nd: 4");
        let mut ended = vec![insert(15, "d: 4\n".into())];
        insertions_at_end("a: 1\nb: 2\nc: 3\n", &mut ended);
        assert_eq!(ended[0].text, "d: 4\n");
        // Cutting `b` and `c`, adjacent, takes the break after `a: 1` too.
        let mut splices = vec![cut(5, 10), cut(10, 14)];
        cut_last_break(text, &mut splices);
        assert_eq!((splices[0].start, splices[1].start), (4, 10));
        // CRLF: both bytes of the break.
        let crlf = "a: 1\r\nb: 2";
        let mut splices = vec![cut(6, 10)];
        cut_last_break(crlf, &mut splices);
        assert_eq!(splices[0].start, 4);
        // A cut that does not reach the end, or a text that ends in a break: unchanged.
        for (text, s) in [(text, cut(5, 10)), ("a: 1\nb: 2\n", cut(5, 10))] {
            let mut splices = vec![s];
            cut_last_break(text, &mut splices);
            assert_eq!(splices[0].start, 5);
        }
    }
}
