//! KRM function mode (kustomize `transformers:`, kpt): one `ResourceList` in, one out,
//! with `results`. The output is always a whole, valid ResourceList, errors or not; it
//! is written as it is made (the usual list item by item, [`items`]), so memory holds the
//! input and one item, not a second copy of the list.

mod items;
mod results;
mod settings;
mod whole;

pub use crate::run::items::{Options, Outcome};
pub use settings::Run;
pub use whole::DEFAULT_API_VERSION;

use crate::yaml::{check, document, split};
use std::io::{self, Write};

/// True when the first document of the input says `kind: ResourceList`: on a line of its
/// own, or (a flow mapping, as JSON is) in its top-level mapping.
pub fn looks_like_resource_list(first_document: &[u8]) -> bool {
    // Lossy: a byte that is not UTF-8 elsewhere must still get a ResourceList back.
    let text = String::from_utf8_lossy(first_document);
    if let Some(kind) = document::kind_from_text(&text) {
        return kind == "ResourceList";
    }
    // Spelled otherwise (`kind : ResourceList`, a tag, a comment after a tab, the value on
    // the next line), as kustomize and kpt would still read it: the head read by a parser
    // pass that builds nothing, when the text names the kind at all.
    if text.contains("ResourceList")
        && check::top_level(&text, true)
            .is_ok_and(|top| top.kind.as_deref() == Some("ResourceList"))
    {
        return true;
    }
    let flow = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with('{'));
    // A JSON list is read by one pass that builds nothing (serde-saphyr's took a sixth
    // of a 15 MB list's run); anything else by serde-saphyr.
    let head = || {
        crate::yaml::quick::json::head(&text)
            .map(Ok)
            .unwrap_or_else(|| document::head(&text))
    };
    flow && matches!(
        head(),
        Ok(document::Head::Resource { kind: Some(kind), .. }) if kind == "ResourceList"
    )
}

/// [`process`] for a list the caller gives up: a CRLF list is turned to LF in place
/// (no second copy of it in memory).
pub fn process_owned(
    mut input: Vec<u8>,
    run: &Run<'_>,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    if crate::yaml::lines::lf_in_place_if_all_crlf(&mut input) {
        return process_text(&input, run, &mut CrlfWriter(out));
    }
    process_text(&input, run, out)
}

/// Process a whole ResourceList, writing the one that answers it to `out`.
pub fn process(input: &[u8], run: &Run<'_>, out: &mut impl Write) -> io::Result<Outcome> {
    // A list whose every line ends in `\r\n` is read with `\n` (which the fast path
    // reads; `\r` sent every item to the full parser, at three times the time) and
    // written back with `\r\n`, exactly.
    if let Some(lf) = std::str::from_utf8(input)
        .ok()
        .and_then(crate::yaml::lines::lf_if_all_crlf)
    {
        return process_text(lf.as_bytes(), run, &mut CrlfWriter(out));
    }
    process_text(input, run, out)
}

fn process_text(input: &[u8], run: &Run<'_>, out: &mut impl Write) -> io::Result<Outcome> {
    // Empty documents around the list (blank lines, comments, markers: a `---` after it)
    // are no part of it, as kio's ByteReader skips them: copied as they are.
    let (start, end) = split::without_empty_around(input);
    out.write_all(&input[..start])?;
    let lines_before = input[..start].iter().filter(|&&b| b == b'\n').count();
    let outcome = process_list(&input[start..end], lines_before, run, out)?;
    out.write_all(&input[end..])?;
    Ok(outcome)
}

/// The list, whose first line is line `lines_before + 1` of the input.
fn process_list(
    input: &[u8],
    lines_before: usize,
    run: &Run<'_>,
    out: &mut impl Write,
) -> io::Result<Outcome> {
    if let Ok(text) = std::str::from_utf8(input)
        && let Some(outline) = crate::run::items::outline_of(text)
        && let Some(done) = items::by_item(text, &outline, lines_before, run, out)
    {
        return done;
    }
    whole::process_whole(input, lines_before, run, out)
}

/// Writes every `\n` as `\r\n`: the way back for a list read with `\n`.
struct CrlfWriter<'o, W>(&'o mut W);

impl<W: Write> Write for CrlfWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_all(&crate::yaml::lines::crlf_again(buf))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}
