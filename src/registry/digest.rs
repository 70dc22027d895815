//! Content digests (`opencontainers/image-spec`, `descriptor.md`, "Digests"):
//! `sha256:<64 hex>` or `sha512:<128 hex>` of the exact bytes, computed with ring.

use super::error::Cause;
use ring::digest::{Algorithm, SHA256, SHA512, digest};

/// The sha256 digest of `bytes`, as `sha256:<hex>`.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    with(&SHA256, "sha256", bytes)
}

fn with(algorithm: &'static Algorithm, name: &str, bytes: &[u8]) -> String {
    let sum = digest(algorithm, bytes);
    let mut out = String::with_capacity(name.len() + 1 + sum.as_ref().len() * 2);
    out.push_str(name);
    out.push(':');
    for byte in sum.as_ref() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// The digest of `bytes` in the algorithm `expected` names, or `None` for an
/// algorithm other than sha256 and sha512.
pub(crate) fn like(expected: &str, bytes: &[u8]) -> Option<String> {
    match expected.split_once(':')?.0 {
        "sha256" => Some(with(&SHA256, "sha256", bytes)),
        "sha512" => Some(with(&SHA512, "sha512", bytes)),
        _ => None,
    }
}

/// `Ok` when `bytes` have the digest `expected`; the `what` names them in the error.
pub(crate) fn verify(expected: &str, bytes: &[u8], what: &str) -> Result<(), Cause> {
    let actual = like(expected, bytes).ok_or_else(|| Cause::Malformed {
        what: what.to_string(),
        detail: format!("its digest {expected:?} is not a sha256 or sha512 digest"),
    })?;
    if actual == expected {
        Ok(())
    } else {
        Err(Cause::DigestMismatch {
            what: what.to_string(),
            expected: expected.to_string(),
            actual,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        // `printf '' | sha256sum` and `printf abc | sha512sum`.
        assert_eq!(
            sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let abc = "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
        assert_eq!(like(abc, b"abc").as_deref(), Some(abc));
        assert_eq!(like("md5:00", b"abc"), None);
    }

    #[test]
    fn verify_names_both_digests() {
        let good = sha256(b"{}");
        assert_eq!(verify(&good, b"{}", "config"), Ok(()));
        match verify(&good, b"{ }", "config") {
            Err(Cause::DigestMismatch {
                what,
                expected,
                actual,
            }) => {
                assert_eq!((what.as_str(), expected), ("config", good));
                assert_eq!(actual, sha256(b"{ }"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            verify("md5:00", b"", "x"),
            Err(Cause::Malformed { .. })
        ));
    }
}
