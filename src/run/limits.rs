//! The limits that bound a run's memory, the same in both modes: the largest document
//! (a stream's workload or List, a ResourceList's item, or a ResourceList read whole)
//! that is parsed, which `PINPOINT_INJECT_MAX_DOCUMENT` sets, and the largest config.

/// The environment variable that sets the largest document parsed: bytes, or a number
/// with `KiB`, `MiB` or `GiB` (`PINPOINT_INJECT_MAX_DOCUMENT=8MiB`).
pub const MAX_DOCUMENT_ENV: &str = "PINPOINT_INJECT_MAX_DOCUMENT";

/// The largest document parsed unless `PINPOINT_INJECT_MAX_DOCUMENT` says otherwise:
/// 1.5 MiB, the largest request etcd takes by default (`DefaultMaxRequestBytes = 1.5 *
/// 1024 * 1024`, etcd `server/embed/config.go`), which bounds every object Kubernetes
/// stores (the API server itself takes request bodies up to 3 MiB,
/// `MaxRequestBodyBytes` in `k8s.io/apiserver/pkg/server/config.go`). A pod template
/// is a few kilobytes; parsing one costs 20 to 30 times its text in memory, so the cap
/// is what keeps a huge one bounded. A manifest's YAML is somewhat larger than the
/// object etcd stores, so a workload just over the cap may still fit a cluster: the
/// variable raises it. A `v1 List` is held to it item by item.
pub const DEFAULT_MAX_DOCUMENT: usize = 3 << 19;

/// The largest ResourceList read whole (one with anchors, aliases, tags or several
/// documents, which cannot be read one item at a time), for a per-document cap of
/// `max_document`: four times it, 6 MiB by default, since such a list holds many
/// objects, each of which the cap is for.
pub fn whole_list(max_document: usize) -> usize {
    max_document.saturating_mul(4)
}

/// The largest config read, from a file or from a ResourceList's `functionConfig`: a
/// config is a few kilobytes; anything past this is not one (`--config /dev/zero`).
pub const MAX_CONFIG: usize = 1 << 20;

/// The largest document parsed: [`DEFAULT_MAX_DOCUMENT`], or `PINPOINT_INJECT_MAX_DOCUMENT`.
/// `Err` names a value that is not a size.
pub fn max_document_from_env() -> Result<usize, String> {
    match std::env::var(MAX_DOCUMENT_ENV) {
        Err(_) => Ok(DEFAULT_MAX_DOCUMENT),
        Ok(value) => parse_size(&value).ok_or_else(|| {
            format!(
                "{MAX_DOCUMENT_ENV}={value:?} is not a size (bytes, or a number with KiB, MiB or GiB such as 1.5MiB, at least 1KiB)"
            )
        }),
    }
}

/// `1048576`, `512KiB`, `1.5MiB`, `4MiB`, `1GiB` (at least 1 KiB; a fraction only with
/// a unit, rounded down to a whole byte).
fn parse_size(value: &str) -> Option<usize> {
    let value = value.trim();
    let (digits, shift) = [("KiB", 10), ("MiB", 20), ("GiB", 30)]
        .iter()
        .find_map(|(unit, shift)| value.strip_suffix(unit).map(|d| (d.trim(), *shift)))
        .unwrap_or((value, 0));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits.contains('.')
        && (shift == 0 || fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut bytes = whole.parse::<usize>().ok()?.checked_mul(1 << shift)?;
    if !fraction.is_empty() {
        // The fraction's bytes, rounded down to a whole one.
        let scale = 10usize.checked_pow(u32::try_from(fraction.len()).ok()?)?;
        let part = fraction.parse::<usize>().ok()?.checked_mul(1 << shift)?;
        bytes = bytes.checked_add(part / scale)?;
    }
    (bytes >= 1024).then_some(bytes)
}

/// A size for messages: `4 MiB`, `512 KiB`, `1.5 MiB`.
pub fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        let mib = bytes as f64 / f64::from(1 << 20);
        if mib.fract() == 0.0 || mib >= 10.0 {
            format!("{} MiB", bytes >> 20)
        } else {
            format!("{mib:.1} MiB")
        }
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// The error for a document over the limit (`what`: "the document", "items[3]").
pub fn too_large(what: &str, bytes: usize, max: usize) -> String {
    format!(
        "{what} is {}, over the {} that is parsed ({MAX_DOCUMENT_ENV}); it is left as it is (Kubernetes accepts at most 3 MiB per request and stores at most 1.5 MiB per object)",
        size(bytes),
        size(max)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_in_bytes_or_binary_units() {
        assert_eq!(parse_size("1048576"), Some(1 << 20));
        assert_eq!(parse_size(" 512KiB "), Some(512 << 10));
        assert_eq!(parse_size("8 MiB"), Some(8 << 20));
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("1.5MiB"), Some(3 << 19));
        assert_eq!(parse_size("0.5 GiB"), Some(512 << 20));
        assert_eq!(parse_size("1.1KiB"), Some(1126));
        for bad in [
            "", "4MB", "-1", "100", "MiB", "1.5", "1.MiB", ".5MiB", "+1KiB", "1e3KiB",
        ] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        assert_eq!(size(4 << 20), "4 MiB");
        assert_eq!(size(3 << 19), "1.5 MiB");
        assert_eq!(size((100 << 20) + 100), "100 MiB");
        assert_eq!(size(1000), "1 KiB");
    }
}
