//! Matching an image reference to its family: the repository path without registry,
//! tag or digest, the table's patterns, and the images named by their tag or registry.

use super::families::Role::{Application as App, DataServer as Data};
use super::families::Runtime::{Java, NotJava};
use super::families::{FAMILIES, Family, Role, row};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The repository path of an image reference without registry, tag or digest:
/// `docker.io/bitnami/postgresql:17@sha256:…` → `bitnami/postgresql`; `library/` dropped.
pub fn repository(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or_default();
    let mut path = image;
    if let Some((first, rest)) = image.split_once('/')
        && (first.contains('.') || first.contains(':') || first == "localhost")
    {
        path = rest;
    }
    let last_slash = path.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = path[last_slash..].find(':') {
        path = &path[..last_slash + colon];
    }
    path.strip_prefix("library/").unwrap_or(path)
}

/// Whether a pattern of [`Family::pattern`] matches a repository path.
pub fn matches(pattern: &str, repository: &str) -> bool {
    Repository::new(repository).matches(pattern)
}

/// A repository path split once, for matching against every row of the table.
struct Repository<'a> {
    path: &'a str,
    /// The segments before the last one, and the last one.
    dirs: Option<&'a str>,
    last: &'a str,
}

impl<'a> Repository<'a> {
    fn new(path: &'a str) -> Self {
        let (dirs, last) = match path.rfind('/') {
            Some(i) => (Some(&path[..i]), &path[i + 1..]),
            None => (None, path),
        };
        Repository { path, dirs, last }
    }

    // Called for every row of the table on every container: no allocation here.
    fn matches(&self, pattern: &str) -> bool {
        let (dirs, last) = (self.dirs, self.last);
        if let Some(org) = pattern.strip_suffix("/*") {
            return dirs.is_some_and(|d| d.split('/').any(|segment| segment == org));
        }
        if pattern.contains('/') {
            return self.path == pattern
                || self
                    .path
                    .strip_suffix(pattern)
                    .is_some_and(|head| head.ends_with('/'));
        }
        if let Some(suffix) = pattern.strip_prefix('*') {
            return last.ends_with(suffix) && last.len() > suffix.len();
        }
        if let Some(prefix) = pattern.strip_suffix('*') {
            return last.starts_with(prefix);
        }
        last == pattern
    }
}

/// Repositories that hold many services, one per tag suffix: `ghcr.io/open-telemetry/demo:2.0.2-adservice`.
#[rustfmt::skip]
const TAGGED: &[(&str, &str, Family)] = &[
    ("open-telemetry/demo", "-ad", row("open-telemetry/demo:*-ad", Java, App, "OpenTelemetry demo ad service", "open-telemetry/opentelemetry-demo: src/ad/Dockerfile")),
    ("open-telemetry/demo", "-adservice", row("open-telemetry/demo:*-adservice", Java, App, "OpenTelemetry demo ad service", "open-telemetry/opentelemetry-demo: src/ad/Dockerfile")),
    ("open-telemetry/demo", "-fraud-detection", row("open-telemetry/demo:*-fraud-detection", Java, App, "OpenTelemetry demo fraud detection (Kotlin)", "open-telemetry/opentelemetry-demo: src/fraud-detection/Dockerfile")),
    ("open-telemetry/demo", "-frauddetectionservice", row("open-telemetry/demo:*-frauddetectionservice", Java, App, "OpenTelemetry demo fraud detection (Kotlin)", "open-telemetry/opentelemetry-demo: src/fraud-detection/Dockerfile")),
    ("open-telemetry/demo", "-kafka", row("open-telemetry/demo:*-kafka", Java, Data, "OpenTelemetry demo Kafka", "open-telemetry/opentelemetry-demo: src/kafka/Dockerfile")),
    ("open-telemetry/demo", "", row("open-telemetry/demo:*", NotJava, App, "an OpenTelemetry demo service (Go, .NET, Node.js, Python, Ruby, PHP, Rust, C++)", "open-telemetry/opentelemetry-demo: src/*/Dockerfile")),
];

/// The tag of an image reference (`""` when none).
pub fn tag(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or_default();
    let last = image.rsplit('/').next().unwrap_or_default();
    last.split_once(':').map_or("", |(_, tag)| tag)
}

/// Registries that hold one project's images only, all of them Go programs: the
/// Kubernetes project's (kubernetes/k8s.io: registry.k8s.io/README.md).
const GO_REGISTRIES: &[&str] = &["registry.k8s.io/", "k8s.gcr.io/"];

/// What an image from [`GO_REGISTRIES`] is, when no row names it.
static KUBERNETES_PROJECT: Family = row(
    "registry.k8s.io/*",
    NotJava,
    Role::Application,
    "a Kubernetes project image (Go)",
    "kubernetes/k8s.io: registry.k8s.io/README.md",
);

/// [`FAMILIES`] for lookup: the rows that name one repository (no `/`, no `*`) by that
/// name, and the others in table order.
struct Index {
    exact: HashMap<&'static str, usize>,
    other: Vec<usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = Index {
            exact: HashMap::new(),
            other: Vec::new(),
        };
        for (i, f) in FAMILIES.iter().enumerate() {
            if f.pattern.contains(['/', '*']) {
                index.other.push(i);
            } else {
                index.exact.entry(f.pattern).or_insert(i);
            }
        }
        index
    })
}

/// The first row of [`FAMILIES`] that matches (what a scan of the table finds).
fn first_family(repository: &Repository<'_>) -> Option<&'static Family> {
    let index = index();
    let exact = index.exact.get(repository.last).copied();
    let other = index
        .other
        .iter()
        .copied()
        .take_while(|&i| exact.is_none_or(|e| i < e))
        .find(|&i| repository.matches(FAMILIES[i].pattern));
    other.or(exact).map(|i| &FAMILIES[i])
}

/// The family of an image, if the table knows it.
pub fn family(image: &str) -> Option<&'static Family> {
    let repository = Repository::new(repository(image));
    let tag = tag(image);
    TAGGED
        .iter()
        .find(|(repo, suffix, _)| repository.matches(repo) && tag.ends_with(suffix))
        .map(|(_, _, family)| family)
        .or_else(|| first_family(&repository))
        .or_else(|| {
            GO_REGISTRIES
                .iter()
                .any(|r| image.starts_with(r))
                .then_some(&KUBERNETES_PROJECT)
        })
}

#[cfg(test)]
mod tests {
    use super::super::families::Runtime;
    use super::*;

    #[test]
    fn repositories_ignore_registry_tag_and_digest() {
        for (image, expected) in [
            ("docker.io/bitnami/postgresql:17.6.0", "bitnami/postgresql"),
            ("bitnamilegacy/postgresql", "bitnamilegacy/postgresql"),
            ("postgres:17", "postgres"),
            ("docker.io/library/redis:alpine", "redis"),
            ("localhost:5000/team/app:1", "team/app"),
            ("busybox:1.38@sha256:fd8d", "busybox"),
            (
                "quay.io/prometheus/node-exporter:v1.9.1",
                "prometheus/node-exporter",
            ),
        ] {
            assert_eq!(repository(image), expected, "{image}");
        }
    }

    #[test]
    fn families_match_whatever_the_registry() {
        for (image, what) in [
            ("docker.io/bitnami/postgresql:17", "PostgreSQL"),
            ("bitnamilegacy/postgresql:16", "PostgreSQL"),
            (
                "registry.example.com:5000/mirror/bitnami/kafka:4.0",
                "Apache Kafka",
            ),
            (
                "docker.io/bitnami/jmx-exporter:1",
                "Prometheus JMX exporter",
            ),
            (
                "quay.io/prometheus/node-exporter:v1",
                "a Prometheus exporter (Go)",
            ),
            ("quay.io/kiwigrid/k8s-sidecar:1.30", "k8s-sidecar (Python)"),
            ("tomcat:10-jre17", "Apache Tomcat"),
            ("docker.io/grafana/loki:3", "a Grafana Labs component (Go)"),
            (
                "otel/opentelemetry-collector-contrib:0.1",
                "OpenTelemetry Collector (Go)",
            ),
            (
                "releases-docker.jfrog.io/jfrog/nginx-artifactory-pro:7.161.15",
                "nginx (JFrog Artifactory's proxy)",
            ),
            ("nacos/nacos-server:v3.0.1", "Nacos"),
        ] {
            assert_eq!(family(image).map(|f| f.what), Some(what), "{image}");
        }
        assert!(family("registry.example.com/shop/orders:1.4").is_none());
        for (image, runtime) in [
            ("ghcr.io/open-telemetry/demo:2.0.2-ad", Runtime::Java),
            (
                "ghcr.io/open-telemetry/demo:2.0.2-fraud-detection",
                Runtime::Java,
            ),
            (
                "ghcr.io/open-telemetry/demo:2.0.2-checkout",
                Runtime::NotJava,
            ),
        ] {
            assert_eq!(family(image).map(|f| f.runtime), Some(runtime), "{image}");
        }
        assert_eq!(
            family("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2").map(|f| f.what),
            Some("kube-state-metrics (Go)")
        );
        assert_eq!(
            family("registry.k8s.io/ingress-nginx/opentelemetry:v1").map(|f| f.what),
            Some("a Kubernetes project image (Go)")
        );
        assert!(family("mycompany/kafkaesque-ui:1").is_none());
    }

    #[test]
    fn patterns_match_whole_path_segments() {
        for (pattern, repository, expected) in [
            ("bitnami/tomcat", "bitnami/tomcat", true),
            ("bitnami/tomcat", "mirror/bitnami/tomcat", true),
            ("bitnami/tomcat", "notbitnami/tomcat", false),
            ("bitnami/*", "bitnami/tomcat", true),
            ("bitnami/*", "mirror/bitnami/tomcat", true),
            ("bitnami/*", "bitnami", false),
            ("bitnami/*", "tomcat/bitnami", false),
            ("*-api", "team/orders-api", true),
            ("*-api", "team/-api", false),
            ("tomcat*", "library/tomcat-native", true),
            ("tomcat", "tomcat", true),
            ("tomcat", "tomcats", false),
            ("tomcat", "", false),
        ] {
            assert_eq!(
                matches(pattern, repository),
                expected,
                "{pattern} {repository}"
            );
        }
    }

    #[test]
    fn the_index_finds_what_a_scan_of_the_table_finds() {
        let scan = |r: &Repository<'_>| FAMILIES.iter().find(|f| r.matches(f.pattern));
        let mut repositories = Vec::new();
        for f in FAMILIES {
            let name = f.pattern.replace('*', "x");
            let last = name.rsplit('/').next().unwrap_or_default().to_string();
            for r in [
                name.clone(),
                format!("mirror/{name}"),
                last.clone(),
                format!("bitnami/{last}"),
                format!("{last}-extra"),
                format!("team/{last}-exporter"),
            ] {
                repositories.push(r);
            }
        }
        let mut found = 0;
        for r in &repositories {
            let repository = Repository::new(r);
            let want = scan(&repository);
            found += usize::from(want.is_some());
            assert_eq!(
                first_family(&repository).map(|f| f.pattern),
                want.map(|f| f.pattern),
                "{r}"
            );
        }
        assert!(found > FAMILIES.len(), "{found}");
    }
}
