//! Every way a read can fail, each turned into a message that names the image and the
//! cause: nothing listening, 404, 403, 429 (honouring `Retry-After`, then giving up),
//! 5xx, a malformed or oversized answer, a digest that does not match, a stalled
//! registry. The failures come from [`FaultProxy`] in front of a real registry.

use super::faults::{Fault, FaultProxy, Rule};
use super::images::{self, Crane};
use super::servers::{Registry, closed_port, crane_registry};
use crate::{err, fetch, ok, options};
use pinpoint_inject::registry::{Cause, Options};
use std::time::{Duration, Instant};

fn registry() -> (Registry, Crane) {
    let registry = crane_registry();
    let crane = Crane::new();
    images::push(&crane, &registry.host, "test");
    (registry, crane)
}

fn canned(status: u16, headers: Vec<(&'static str, String)>, body: &[u8]) -> Fault {
    Fault::Respond {
        status,
        headers,
        body: body.to_vec(),
        length: true,
    }
}

const MANIFEST: &str = "GET /v2/test/plain/manifests/v1";

#[test]
fn unreachable_not_found_and_forbidden() {
    let (registry, _) = registry();
    let closed = format!("127.0.0.1:{}/test/plain:v1", closed_port());
    let proxy = FaultProxy::start(
        &registry.host,
        vec![Rule::new(
            "/v2/test/java/manifests/amd64",
            usize::MAX,
            canned(403, vec![], br#"{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}"#),
        )],
    );
    let results = fetch(
        &[
            &closed,
            &format!("{}/test/nope:v1", proxy.host),
            &format!("{}/test/java:amd64", proxy.host),
        ],
        &options(),
    );
    let unreachable = err(&results[0]).to_string();
    assert!(
        unreachable.starts_with(&format!("cannot read the image config of {closed}: ")),
        "{unreachable}"
    );
    assert!(
        unreachable.contains("is unreachable: Connection refused"),
        "{unreachable}"
    );
    assert_eq!(
        err(&results[1]).to_string(),
        format!(
            "cannot read the image config of {}/test/nope:v1: manifest not found (404, NAME_UNKNOWN: Unknown name)",
            proxy.host
        )
    );
    let forbidden = err(&results[2]).to_string();
    assert!(
        forbidden.contains("answered 403 Forbidden: pulling test/java is denied"),
        "{forbidden}"
    );
}

#[test]
fn too_many_requests_waits_as_asked_then_gives_up() {
    let (registry, _) = registry();
    let once = FaultProxy::start(
        &registry.host,
        vec![Rule::new(
            MANIFEST,
            1,
            canned(429, vec![("Retry-After", "1".into())], b""),
        )],
    );
    let start = Instant::now();
    let results = fetch(&[&format!("{}/test/plain:v1", once.host)], &options());
    assert_eq!(ok(&results[0]).config["User"], "1000");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_secs(1),
        "Retry-After: 1 was not honoured: {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "{waited:?}");
    assert_eq!(once.count(MANIFEST), 2);

    let always = FaultProxy::start(
        &registry.host,
        vec![Rule::new(
            MANIFEST,
            usize::MAX,
            canned(429, vec![("Retry-After", "0".into())], b""),
        )],
    );
    let two_retries = Options {
        retries: 2,
        ..options()
    };
    let results = fetch(&[&format!("{}/test/plain:v1", always.host)], &two_retries);
    let e = err(&results[0]);
    assert_eq!(
        e.cause,
        Cause::TooManyRequests {
            attempts: 3,
            retry_after: Some(Duration::ZERO)
        }
    );
    assert!(
        e.to_string()
            .contains("still 429 Too Many Requests after 3 attempts"),
        "{e}"
    );
    assert_eq!(always.count(MANIFEST), 3);

    // A wait longer than allowed is not waited for.
    let long = FaultProxy::start(
        &registry.host,
        vec![Rule::new(
            MANIFEST,
            usize::MAX,
            canned(429, vec![("Retry-After", "3600".into())], b""),
        )],
    );
    let start = Instant::now();
    let e = fetch(&[&format!("{}/test/plain:v1", long.host)], &options());
    assert!(
        err(&e[0])
            .to_string()
            .contains("the registry asked to wait 3600s"),
        "{:?}",
        e[0]
    );
    assert!(start.elapsed() < Duration::from_secs(5));

    // A 5xx is retried with backoff, then succeeds.
    let flaky = FaultProxy::start(
        &registry.host,
        vec![Rule::new(MANIFEST, 2, canned(503, vec![], b"busy"))],
    );
    let results = fetch(&[&format!("{}/test/plain:v1", flaky.host)], &options());
    assert_eq!(ok(&results[0]).config["User"], "1000");
    assert_eq!(flaky.count(MANIFEST), 3);
    let broken = FaultProxy::start(
        &registry.host,
        vec![Rule::new(MANIFEST, usize::MAX, canned(500, vec![], b""))],
    );
    let e = fetch(
        &[&format!("{}/test/plain:v1", broken.host)],
        &Options {
            retries: 1,
            ..options()
        },
    );
    assert!(
        err(&e[0])
            .to_string()
            .contains(&format!("{} answered 500 to manifest", broken.host)),
        "{:?}",
        e[0]
    );
}

#[test]
fn malformed_and_oversized_answers() {
    let (registry, _) = registry();
    let json = || {
        vec![(
            "Content-Type",
            "application/vnd.oci.image.manifest.v1+json".to_string(),
        )]
    };
    let big = vec![b' '; 5 * 1024 * 1024];
    let proxy = FaultProxy::start(
        &registry.host,
        vec![
            Rule::new(
                "/v2/test/plain/manifests/v1",
                usize::MAX,
                canned(200, json(), b"{\"schemaVersion\": 2, \"config\": "),
            ),
            Rule::new(
                "/v2/test/java/manifests/amd64",
                usize::MAX,
                canned(200, json(), &big),
            ),
            Rule::new(
                "/v2/test/java/manifests/arm64",
                usize::MAX,
                Fault::Respond {
                    status: 200,
                    headers: json(),
                    body: big.clone(),
                    length: false,
                },
            ),
        ],
    );
    let at = |name: &str| format!("{}/test/{name}", proxy.host);
    let results = fetch(
        &[&at("plain:v1"), &at("java:amd64"), &at("java:arm64")],
        &options(),
    );
    let malformed = err(&results[0]).to_string();
    assert!(
        malformed.contains("the manifest is malformed: EOF while parsing"),
        "{malformed}"
    );
    for (i, how) in [(1, "declared"), (2, "streamed")] {
        let e = err(&results[i]);
        assert_eq!(
            e.cause,
            Cause::Oversized {
                what: "manifest".into(),
                limit: 4 * 1024 * 1024
            },
            "{how}"
        );
        assert!(
            e.to_string()
                .contains("the manifest is larger than the limit of 4194304 bytes"),
            "{e}"
        );
    }
    // A small limit: a real config is over it.
    let tiny = Options {
        max_response_bytes: 300,
        ..options()
    };
    let e = fetch(&[&format!("{}/test/plain:v1", registry.host)], &tiny);
    assert!(
        matches!(err(&e[0]).cause, Cause::Oversized { .. }),
        "{:?}",
        e[0]
    );
}

#[test]
fn digests_that_do_not_match_are_refused() {
    let (registry, crane) = registry();
    let plain = format!("{}/test/plain:v1", registry.host);
    let digest = crane.digest(&plain);
    let config_digest = crane.run(&["manifest", &plain]);
    let config_digest: serde_json::Value = serde_json::from_str(&config_digest).unwrap();
    let config_digest = config_digest["config"]["digest"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = format!("sha256:{}", "0".repeat(64));
    let proxy = FaultProxy::start(
        &registry.host,
        vec![
            Rule::new(
                &format!("/v2/test/plain/blobs/{config_digest}"),
                usize::MAX,
                Fault::Body(br#"{"config":{"User":"0"}}"#.to_vec()),
            ),
            Rule::new(
                "/v2/test/java/manifests/amd64",
                usize::MAX,
                Fault::Header("Docker-Content-Digest", wrong.clone()),
            ),
        ],
    );
    let pinned_wrong = format!("{}/test/plain@{wrong}", registry.host);
    let results = fetch(
        &[
            &format!("{}/test/plain:v1", proxy.host),
            &format!("{}/test/java:amd64", proxy.host),
            &pinned_wrong,
        ],
        &options(),
    );
    match &err(&results[0]).cause {
        Cause::DigestMismatch { what, expected, .. } => {
            assert_eq!((what.as_str(), expected), ("image config", &config_digest))
        }
        other => panic!("{other:?}"),
    }
    let header = err(&results[1]).to_string();
    assert!(
        header.contains("the manifest (Docker-Content-Digest) has digest sha256:"),
        "{header}"
    );
    assert!(header.contains(&format!("not {wrong}")), "{header}");
    // Pinned to a digest the registry does not have: crane's registry says 404.
    assert!(
        matches!(err(&results[2]).cause, Cause::NotFound { .. }),
        "{:?}",
        results[2]
    );
    // Pinned, and the registry sends other bytes under that digest.
    let tampered = FaultProxy::start(
        &registry.host,
        vec![Rule::new(
            &format!("/manifests/{digest}"),
            usize::MAX,
            Fault::Body(b"{}".to_vec()),
        )],
    );
    let e = fetch(
        &[&format!("{}/test/plain@{digest}", tampered.host)],
        &options(),
    );
    match &err(&e[0]).cause {
        Cause::DigestMismatch { what, expected, .. } => {
            assert_eq!((what.as_str(), expected), ("manifest", &digest))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_stalled_registry_times_out() {
    let (registry, _) = registry();
    let proxy = FaultProxy::start(
        &registry.host,
        vec![Rule::new(
            MANIFEST,
            usize::MAX,
            Fault::Stall(Duration::from_secs(5)),
        )],
    );
    let quick = Options {
        timeout: Duration::from_millis(500),
        ..options()
    };
    let start = Instant::now();
    let e = fetch(&[&format!("{}/test/plain:v1", proxy.host)], &quick);
    let e = err(&e[0]);
    assert!(matches!(e.cause, Cause::Timeout { .. }), "{e}");
    assert!(e.to_string().contains("did not answer within 0.5s"), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "a timeout is not retried"
    );
}
