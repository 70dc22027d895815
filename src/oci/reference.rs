//! Image references as Kubernetes and containerd read them: the grammar of
//! `distribution/reference` (`reference.go`, `regexp.go`) with Docker's normalisation
//! (`normalize.go`: `nginx` is `docker.io/library/nginx:latest`), and the name, tag and
//! digest rules of the OCI distribution spec (`opencontainers/distribution-spec`,
//! `spec.md`, "Pulling manifests") and image spec (`opencontainers/image-spec`,
//! `descriptor.md`, "Digests").
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ registry "/" ] path          registry: host [ ":" port ]
//! path       := component ( "/" component )*   component: [a-z0-9]+ ( sep [a-z0-9]+ )*
//! sep        := "." | "_" | "__" | "-"+
//! tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex              sha256: 64, sha512: 128 lowercase hex digits
//! ```
//!
//! The first path component is the registry only when it has a `.` or a `:`, is
//! `localhost`, or has an uppercase letter (`splitDockerDomain` in `normalize.go`);
//! otherwise the registry is Docker Hub, `docker.io`, and a one-component path gets the
//! `library/` namespace. `index.docker.io` is `docker.io`.

use super::loopback::is_loopback_registry;
use std::fmt;
use std::str::FromStr;

/// Docker Hub's name in references.
const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's legacy name (the "Docker Index"), normalised to [`DOCKER_HUB`].
const DOCKER_HUB_LEGACY: &str = "index.docker.io";
/// The host that serves Docker Hub's distribution API.
const DOCKER_HUB_API: &str = "registry-1.docker.io";
/// The namespace of Docker Hub's official images.
const OFFICIAL: &str = "library/";
/// The tag a reference with neither tag nor digest means.
const DEFAULT_TAG: &str = "latest";
/// The longest repository path (`RepositoryNameTotalLengthMax` in `reference.go`).
const MAX_PATH: usize = 255;
/// The longest tag (the OCI distribution spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`).
const MAX_TAG: usize = 128;

/// A parsed, normalised image reference. Build one with [`Reference::parse`]; the
/// fields are what it found, normalised (`registry` is never empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// `docker.io`, `ghcr.io`, `registry.example.com:5000`, `[::1]:5000`.
    pub registry: String,
    /// The path inside the registry: `library/nginx`, `shop/orders`.
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<64 hex>` or `sha512:<128 hex>`.
    pub digest: Option<String>,
}

/// Why a string is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid image reference {input:?}: {problem}")]
pub struct ReferenceError {
    pub input: String,
    pub problem: ReferenceProblem,
}

/// What is wrong with a reference, for [`ReferenceError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceProblem {
    #[error("it is empty")]
    Empty,
    #[error("{0:?} is not allowed in an image reference")]
    Character(char),
    #[error("it has more than one '@'")]
    TwoDigests,
    #[error("a bare 64-hex identifier names no repository")]
    Identifier,
    #[error("{0:?} is not a registry host[:port]")]
    Registry(String),
    #[error("the repository {0:?} must be lowercase")]
    Uppercase(String),
    #[error("the repository has an empty path component")]
    EmptyComponent,
    #[error(
        "the path component {0:?} must be lowercase letters and digits, separated by '.', '_', '__' or dashes"
    )]
    Component(String),
    #[error("the repository is {0} characters long; at most {MAX_PATH} are allowed")]
    TooLong(usize),
    #[error(
        "the tag {0:?} must be 1 to {MAX_TAG} letters, digits, '_', '.' or '-', not starting with '.' or '-'"
    )]
    Tag(String),
    #[error("the digest {0:?} must be algorithm:hex")]
    Digest(String),
    #[error("the digest algorithm {0:?} is not sha256 or sha512")]
    Algorithm(String),
    #[error("a {algorithm} digest is {length} lowercase hex digits, not {0:?}", algorithm = .1, length = .2)]
    DigestHex(String, &'static str, usize),
}

impl Reference {
    /// Parse and normalise a reference as a pod's `image:` field holds it.
    pub fn parse(input: &str) -> Result<Reference, ReferenceError> {
        parse(input).map_err(|problem| ReferenceError {
            input: input.to_string(),
            problem,
        })
    }

    /// The full form: `docker.io/library/nginx:latest`. A reference with neither tag
    /// nor digest gets the tag `latest`; one with both keeps both (`name:tag@digest`).
    pub fn canonical(&self) -> String {
        let mut out = format!("{}/{}", self.registry, self.repository);
        match (&self.tag, &self.digest) {
            (Some(tag), _) => out.extend([":", tag]),
            (None, None) => out.extend([":", DEFAULT_TAG]),
            (None, Some(_)) => {}
        }
        if let Some(digest) = &self.digest {
            out.extend(["@", digest]);
        }
        out
    }

    /// The short form Docker prints: `nginx`, `user/app:1`, `ghcr.io/o/app@sha256:…`
    /// (no default tag is added).
    pub fn familiar(&self) -> String {
        let short = match self.repository.strip_prefix(OFFICIAL) {
            Some(rest) if !rest.contains('/') => rest,
            _ => &self.repository,
        };
        // A Docker Hub path whose first component would read as a registry keeps
        // `docker.io/` (`docker.io/a.b/c`, not `a.b/c`), so the short form parses back.
        let mut out = if self.registry == DOCKER_HUB && split_registry(short).0 == DOCKER_HUB {
            short.to_string()
        } else if self.registry == DOCKER_HUB {
            format!("{DOCKER_HUB}/{}", self.repository)
        } else {
            format!("{}/{}", self.registry, self.repository)
        };
        if let Some(tag) = &self.tag {
            out.extend([":", tag]);
        }
        if let Some(digest) = &self.digest {
            out.extend(["@", digest]);
        }
        out
    }

    /// The host (and port) that serves the registry's API: `registry-1.docker.io` for
    /// Docker Hub, the registry itself for every other.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// True when the registry is on this machine by its name: `localhost` (or a name
    /// under `.localhost`), an address in `127.0.0.0/8`, or `::1`; with any port.
    pub fn is_loopback(&self) -> bool {
        is_loopback_registry(&self.registry)
    }
}

impl fmt::Display for Reference {
    /// The canonical form ([`Reference::canonical`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl FromStr for Reference {
    type Err = ReferenceError;

    fn from_str(s: &str) -> Result<Reference, ReferenceError> {
        Reference::parse(s)
    }
}

fn parse(input: &str) -> Result<Reference, ReferenceProblem> {
    if input.is_empty() {
        return Err(ReferenceProblem::Empty);
    }
    if let Some(bad) = input
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "._-/:@[]+".contains(*c)))
    {
        return Err(ReferenceProblem::Character(bad));
    }
    if input.len() == 64
        && input
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Err(ReferenceProblem::Identifier);
    }
    let (named, digest) = match input.split_once('@') {
        Some((_, d)) if d.contains('@') => return Err(ReferenceProblem::TwoDigests),
        Some((named, digest)) => (named, Some(parse_digest(digest)?)),
        None => (input, None),
    };
    // The tag separator is a ':' after the last '/' (a registry may have a port).
    let last_slash = named.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match named[last_slash..].rfind(':') {
        Some(i) => (&named[..last_slash + i], Some(&named[last_slash + i + 1..])),
        None => (named, None),
    };
    if let Some(tag) = tag {
        check_tag(tag)?;
    }
    let (registry, path) = split_registry(name);
    check_registry(registry)?;
    let repository = if registry == DOCKER_HUB && !path.contains('/') {
        format!("{OFFICIAL}{path}")
    } else {
        path.to_string()
    };
    check_path(&repository)?;
    Ok(Reference {
        registry: registry.to_string(),
        repository,
        tag: tag.map(str::to_string),
        digest,
    })
}

/// The registry and the path of a name (`splitDockerDomain` in `normalize.go`).
fn split_registry(name: &str) -> (&str, &str) {
    let Some((first, rest)) = name.split_once('/') else {
        return (DOCKER_HUB, name);
    };
    if first == DOCKER_HUB_LEGACY {
        (DOCKER_HUB, rest)
    } else if first == "localhost"
        || first.contains(['.', ':'])
        || first.chars().any(|c| c.is_ascii_uppercase())
    {
        (first, rest)
    } else {
        (DOCKER_HUB, name)
    }
}

/// `host[:port]`: DNS-like labels (an IPv4 address is four of them), or an IPv6
/// address in brackets; the port is digits.
fn check_registry(registry: &str) -> Result<(), ReferenceProblem> {
    let bad = || ReferenceProblem::Registry(registry.to_string());
    let (host_ok, port) = if let Some(rest) = registry.strip_prefix('[') {
        let (ip, after) = rest.split_once(']').ok_or_else(bad)?;
        let ok = !ip.is_empty() && ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':').ok_or_else(bad)?),
        };
        (ok, port)
    } else {
        let (host, port) = match registry.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (registry, None),
        };
        let label = |l: &str| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        (host.split('.').all(label), port)
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if host_ok && port_ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// Path components: lowercase letters and digits joined by `.`, `_`, `__` or dashes.
fn check_path(path: &str) -> Result<(), ReferenceProblem> {
    if path.len() > MAX_PATH {
        return Err(ReferenceProblem::TooLong(path.len()));
    }
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(ReferenceProblem::Uppercase(path.to_string()));
    }
    for component in path.split('/') {
        if component.is_empty() {
            return Err(ReferenceProblem::EmptyComponent);
        }
        if !is_component(component) {
            return Err(ReferenceProblem::Component(component.to_string()));
        }
    }
    Ok(())
}

fn is_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut i = 0;
    loop {
        // An alphanumeric run.
        let start = i;
        while i < bytes.len() && alnum(bytes[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == bytes.len() {
            return true;
        }
        // A separator: '.', '_', '__', or one or more '-'.
        match bytes[i] {
            b'.' => i += 1,
            b'_' => {
                i += if bytes.get(i + 1) == Some(&b'_') {
                    2
                } else {
                    1
                }
            }
            b'-' => {
                while bytes.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

fn check_tag(tag: &str) -> Result<(), ReferenceProblem> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let ok = tag.len() <= MAX_TAG
        && tag.chars().next().is_some_and(word)
        && tag.chars().all(|c| word(c) || c == '.' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ReferenceProblem::Tag(tag.to_string()))
    }
}

/// Check a digest on its own (`sha256:<64 lowercase hex>`, or sha512's 128), as a
/// reference's `@digest` is checked.
pub fn check_digest(digest: &str) -> Result<(), ReferenceProblem> {
    parse_digest(digest).map(|_| ())
}

/// `algorithm:hex`, with the algorithms the OCI image spec registers and can verify.
fn parse_digest(digest: &str) -> Result<String, ReferenceProblem> {
    let bad = || ReferenceProblem::Digest(digest.to_string());
    let (algorithm, hex) = digest.split_once(':').ok_or_else(bad)?;
    let algorithm_ok = algorithm.split(['+', '.', '_', '-']).all(|part| {
        part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && part.chars().all(|c| c.is_ascii_alphanumeric())
    });
    if !algorithm_ok || hex.is_empty() || !hex.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    let length = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        other => return Err(ReferenceProblem::Algorithm(other.to_string())),
    };
    let lower_hex = hex
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if hex.len() != length || !lower_hex {
        let name = if length == 64 { "sha256" } else { "sha512" };
        return Err(ReferenceProblem::DigestHex(hex.to_string(), name, length));
    }
    Ok(digest.to_string())
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
