//! The registry reader against real registries on loopback: go-containerregistry's
//! (`crane registry serve`) and CNCF Distribution's (basic and token auth), with images
//! pushed by crane and one built by Jib; what it reads must be what `crane config` and
//! `crane digest` say. Failures a registry or the network can produce come from a
//! proxy in front of a real registry (`registry/faults.rs`). The tools come from
//! `scripts/install-tools.sh`; a missing one fails the test.
//!
//! - here: anonymous reads, indexes and platforms, digests, plain HTTP and the cache;
//! - `registry/auth.rs`: token and basic auth, the docker config, credential helpers;
//! - `registry/failures.rs`: every failure as a message;
//! - `registry/jib.rs`: an image built by Jib;
//! - `registry/tls.rs`: HTTPS with a private CA, trusted through `SSL_CERT_FILE`.

mod common;
mod registry {
    pub mod auth;
    pub mod failures;
    pub mod faults;
    pub mod images;
    pub mod jib;
    pub mod servers;
    pub mod tls;
    pub mod token_server;
    pub mod wire;
}

use common::TempDir;
use pinpoint_inject::oci::{Platform, Reference};
use pinpoint_inject::registry::{
    Cache, Cause, FetchError, Fetched, Options, fetch_all, fetch_all_cached,
};
use registry::images::{self, Crane, PLAIN_JTO};
use registry::servers::crane_registry;
use serde_json::json;
use std::time::Duration;

/// Parse and fetch.
pub fn fetch(images: &[&str], options: &Options) -> Vec<Result<Fetched, FetchError>> {
    let refs: Vec<Reference> = images
        .iter()
        .map(|i| Reference::parse(i).unwrap())
        .collect();
    fetch_all(&refs, options)
}

/// Options for loopback tests: short timeouts, quick retries.
pub fn options() -> Options {
    Options {
        timeout: Duration::from_secs(10),
        docker_config: Some(TempDir::new("no-docker-config").path().to_path_buf()),
        ..Options::default()
    }
}

/// The one result, which must be a success.
pub fn ok(result: &Result<Fetched, FetchError>) -> &Fetched {
    result.as_ref().unwrap_or_else(|e| panic!("{e}"))
}

/// The one result, which must be a failure; its message.
pub fn err(result: &Result<Fetched, FetchError>) -> &FetchError {
    match result {
        Ok(f) => panic!("{} should have failed; got {}", f.reference, f.config),
        Err(e) => e,
    }
}

#[test]
fn an_image_config_is_what_crane_config_says() {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "test");
    let plain = format!("{}/test/plain:v1", registry.host);
    let results = fetch(&[&plain], &options());
    let fetched = ok(&results[0]);
    assert_eq!(fetched.config, crane.config(&plain, None)["config"]);
    assert_eq!(fetched.digest, crane.digest(&plain));
    assert_eq!(fetched.platform.to_string(), "linux/amd64");
    assert_eq!(fetched.config["User"], "1000");
    assert_eq!(fetched.config["WorkingDir"], "/app");
    assert_eq!(
        fetched.config["Entrypoint"],
        json!(["java", "-jar", "/app/app.jar"])
    );
    let env = fetched.config["Env"].as_array().unwrap();
    assert!(
        env.contains(&json!(format!("JAVA_TOOL_OPTIONS={PLAIN_JTO}"))),
        "{env:?}"
    );

    // Pinned by digest, and by tag and digest: the same config, the pinned digest.
    let pinned = format!("{}/test/plain@{}", registry.host, fetched.digest);
    let both = format!("{}/test/plain:v1@{}", registry.host, fetched.digest);
    for result in fetch(&[&pinned, &both], &options()) {
        let f = ok(&result);
        assert_eq!((&f.digest, &f.config), (&fetched.digest, &fetched.config));
    }
}

#[test]
fn an_index_resolves_to_linux_amd64_or_the_platform_asked_for() {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "test");
    for tag in ["java:multi", "docker:list"] {
        let image = format!("{}/test/{tag}", registry.host);
        let amd64 = fetch(&[&image], &options());
        let amd64 = ok(&amd64[0]);
        assert_eq!(
            amd64.digest,
            crane.digest(&image),
            "{tag}: the index digest is pinned"
        );
        assert_eq!(amd64.platform.to_string(), "linux/amd64", "{tag}");
        assert_eq!(
            amd64.config,
            crane.config(&image, Some("linux/amd64"))["config"],
            "{tag}"
        );
        assert_eq!(amd64.config["Labels"]["arch"], "amd64");
        for asked in ["linux/arm64/v8", "linux/arm64"] {
            let arm = Options {
                platform: Platform::parse(asked).unwrap(),
                ..options()
            };
            let arm64 = fetch(&[&image], &arm);
            let arm64 = ok(&arm64[0]);
            assert_eq!(
                arm64.digest, amd64.digest,
                "{tag} {asked}: still the index digest"
            );
            assert_eq!(
                arm64.platform.to_string(),
                "linux/arm64/v8",
                "{tag} {asked}"
            );
            assert_eq!(
                arm64.config,
                crane.config(&image, Some("linux/arm64"))["config"],
                "{tag}"
            );
            assert_eq!(arm64.config["User"], "65534:65534");
        }
        let s390x = Options {
            platform: Platform::parse("linux/s390x").unwrap(),
            ..options()
        };
        let e = fetch(&[&image], &s390x);
        let e = err(&e[0]);
        assert_eq!(
            e.cause,
            Cause::NoPlatform {
                wanted: "linux/s390x".into(),
                available: vec!["linux/amd64".into(), "linux/arm64/v8".into()],
            },
            "{tag}"
        );
        assert!(
            e.to_string()
                .contains("has no manifest for linux/s390x; it has: linux/amd64, linux/arm64/v8"),
            "{e}"
        );
    }
}

#[test]
fn results_come_in_input_order_and_a_failure_stops_nothing() {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "test");
    let at = |name: &str| format!("{}/test/{name}", registry.host);
    let list = [
        at("java:amd64"),
        at("missing:1"),
        at("java:arm64"),
        at("java:amd64"),
        at("plain:v1"),
    ];
    let names: Vec<&str> = list.iter().map(String::as_str).collect();
    let one_at_a_time = Options {
        concurrency: 1,
        ..options()
    };
    for options in [options(), one_at_a_time] {
        let results = fetch(&names, &options);
        assert_eq!(results.len(), 5);
        assert_eq!(ok(&results[0]).config["Labels"]["arch"], "amd64");
        assert!(matches!(err(&results[1]).cause, Cause::NotFound { .. }));
        assert_eq!(ok(&results[2]).config["Labels"]["arch"], "arm64");
        assert_eq!(
            ok(&results[3]),
            ok(&results[0]),
            "a repeated reference gets the same answer"
        );
        assert_eq!(ok(&results[4]).reference.repository, "test/plain");
    }
}

/// A name that resolves to 127.0.0.1 but is not loopback by name: this machine's
/// host name when it does (Debian maps it in /etc/hosts), else `127.1` (which the C
/// resolver reads as 127.0.0.1 and no reference rule calls loopback).
pub fn loopback_alias() -> String {
    use std::net::ToSocketAddrs;
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default();
    let only_loopback = |name: &str| {
        (name, 80)
            .to_socket_addrs()
            .is_ok_and(|mut a| a.all(|a| a.ip().is_loopback()))
    };
    let hostname = hostname.trim();
    let name = if !hostname.is_empty() && !hostname.contains("localhost") && only_loopback(hostname)
    {
        hostname.to_string()
    } else {
        "127.1".to_string()
    };
    assert!(
        only_loopback(&name),
        "{name} does not resolve to loopback only"
    );
    name
}

#[test]
fn plain_http_only_for_loopback_or_insecure_registries() {
    let registry = crane_registry();
    images::push(&Crane::new(), &registry.host, "test");
    let alias = format!("{}:{}", loopback_alias(), registry.port);
    let image = format!("{alias}/test/plain:v1");
    assert!(!Reference::parse(&image).unwrap().is_loopback());
    let refused = fetch(&[&image], &options());
    let e = err(&refused[0]);
    assert!(matches!(e.cause, Cause::Tls { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("plain HTTP is used only for a loopback registry or one named as insecure"),
        "{e}"
    );
    let insecure = Options {
        insecure_registries: vec![alias.clone()],
        ..options()
    };
    let allowed = fetch(&[&image], &insecure);
    assert_eq!(ok(&allowed[0]).config["User"], "1000");
}

#[test]
fn the_cache_answers_pinned_images_without_the_registry() {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "test");
    let dir = TempDir::new("image-cache");
    let cache = Cache::new(dir.join("configs"));
    let multi = format!("{}/test/java:multi", registry.host);
    let pinned = format!("{}/test/java@{}", registry.host, crane.digest(&multi));
    let refs: Vec<Reference> = [&multi, &pinned]
        .iter()
        .map(|i| Reference::parse(i).unwrap())
        .collect();
    let first = fetch_all_cached(&refs, &options(), &cache);
    assert_eq!(ok(&first[0]).config["Labels"]["arch"], "amd64");
    assert_eq!(
        ok(&first[0]),
        &Fetched {
            reference: refs[0].clone(),
            ..ok(&first[1]).clone()
        }
    );
    let entries: Vec<_> = std::fs::read_dir(cache.dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        entries.len(),
        1,
        "one entry for the index digest and linux/amd64: {entries:?}"
    );
    // A corrupt entry is ignored and written again.
    std::fs::write(&entries[0], "{not json").unwrap();
    let again = fetch_all_cached(&refs[1..], &options(), &cache);
    assert_eq!(ok(&again[0]).config, ok(&first[1]).config);
    assert!(
        std::fs::read_to_string(&entries[0])
            .unwrap()
            .starts_with('{')
    );
    serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(&entries[0]).unwrap())
        .unwrap();
    // Without the registry: the pinned reference still reads, the tag cannot.
    drop(registry);
    let offline = fetch_all_cached(&refs, &options(), &cache);
    assert!(
        matches!(err(&offline[0]).cause, Cause::Unreachable { .. }),
        "{:?}",
        offline[0]
    );
    assert_eq!(ok(&offline[1]).config, ok(&first[1]).config);
    assert_eq!(ok(&offline[1]).platform.to_string(), "linux/amd64");
}
