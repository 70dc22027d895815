//! Documents read without building their value: one that is plainly no workload by its
//! `kind:` and `apiVersion:` lines (checked by a pass that builds nothing), and the head
//! of one over the cap.

use crate::config::Settings;
use crate::decide::unknown;
use crate::knowledge::kinds::{self, WorkloadKind};
use crate::yaml::document::{self, Head};
use crate::yaml::{check, twice};

/// For a document whose top-level lines name a kind that is no workload (nor a List)
/// and an apiVersion, and that is one well-formed YAML mapping: the keys it writes
/// twice (`None` for any other document, which takes the full path: a syntax error
/// included, so that its message is the usual one).
/// One that may carry a pod is parsed to look for it only when it is no larger than
/// `max`, as a workload would be (a larger one passes as it is, read by a pass that
/// builds nothing: its head read by the full parser cost ten times its size).
pub(super) fn plainly_not_a_workload(
    text: &str,
    settings: &Settings,
    max: usize,
) -> Option<twice::Twice> {
    let named = |key: &str| {
        text.lines()
            .any(|l| l.strip_prefix(key).is_some_and(|v| !v.trim().is_empty()))
    };
    let (kind, api_version) = (
        document::kind_from_text(text),
        document::value_from_text(text, "apiVersion:"),
    );
    let plain = kind.is_some_and(|kind| {
        !kind.is_empty()
            && !kinds::may_be_workload_text(kind)
            && !settings.workloads.iter().any(|w| w.name() == kind)
            && (text.len() > max || !unknown::may_carry_pods(api_version, Some(kind), text))
    }) && named("apiVersion:")
        && named("kind:");
    if !plain {
        return None;
    }
    // A document that mentions `containers` passes on its `kind:` line alone only when a
    // parser reads the same head: a line at column 0 may be inside a flow collection, or
    // a key written again below (kubectl reads the last).
    let mentions = text.contains("containers");
    if !mentions && crate::yaml::quick::check(text).is_some() {
        return Some(twice::Twice::default());
    }
    // Keys written twice are read as Kubernetes reads them, and named, from this one pass
    // (the full parser's reading of the head would take two more); in a document over
    // `max`, the top-level ones only (the keys of a mapping of millions, held to find
    // one written twice, cost more than the text: it passes as it is anyway).
    let top = check::top_level_of(text, false, text.len() <= max).ok()?;
    top.entries?;
    if mentions && (top.kind.as_deref() != kind || top.api_version.as_deref() != api_version) {
        return None;
    }
    Some(twice::Twice {
        listed: top.duplicates,
        unlisted: top.unlisted,
    })
}

/// The `apiVersion` and `kind` of a well-formed document, read by one pass that builds
/// nothing (the JSON fast path's, or the full parser's with aliases left unexpanded);
/// `None` when either is not a plain string there.
pub(super) fn head_unbuilt(text: &str) -> Option<Head> {
    let (api_version, kind) = match crate::yaml::quick::json::head(text)
        .filter(|_| crate::yaml::quick::json::check(text).is_some())
    {
        Some(Head::Resource { api_version, kind }) => (api_version, kind),
        _ => {
            let top = check::top_level_of(text, true, false).ok()?;
            top.entries?;
            (top.api_version, top.kind)
        }
    };
    Some(Head::Resource {
        api_version: Some(api_version?),
        kind: Some(kind?),
    })
}

/// True when the head names a workload (built in or one of `configured`) or a `v1 List`.
pub(super) fn is_workload_or_list(head: &Head, configured: &[WorkloadKind]) -> bool {
    match head {
        Head::Resource {
            api_version: Some(api_version),
            kind: Some(kind),
        } => {
            WorkloadKind::lookup(api_version, kind, configured).is_some()
                || kinds::is_list(api_version, kind)
        }
        _ => false,
    }
}
