//! Manifests of each kind, as registries serve them (the shapes crane and Jib push,
//! and buildx's attestation entries), and the ways one can be wrong.

use super::*;
use serde_json::json;

const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const D2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
const D3: &str = "sha256:3333333333333333333333333333333333333333333333333333333333333333";

fn bytes(v: Value) -> Vec<u8> {
    serde_json::to_vec(&v).unwrap()
}

fn index(media_type: &str) -> Value {
    json!({
        "schemaVersion": 2,
        "mediaType": media_type,
        "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": D1, "size": 10, "platform": {"os": "linux", "architecture": "amd64"}},
            {"mediaType": OCI_MANIFEST, "digest": D2, "size": 20, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"mediaType": OCI_MANIFEST, "digest": D3, "size": 30, "platform": {"os": "unknown", "architecture": "unknown"},
             "annotations": {"vnd.docker.reference.type": "attestation-manifest"}}
        ]
    })
}

fn platform(s: &str) -> Platform {
    Platform::parse(s).unwrap()
}

#[test]
fn an_index_resolves_to_the_platform() {
    for media_type in [OCI_INDEX, DOCKER_LIST] {
        let Manifest::Index(entries) = parse(&bytes(index(media_type)), None).unwrap() else {
            panic!("{media_type}: not an index");
        };
        assert_eq!(entries.len(), 3);
        assert_eq!(
            select(&entries, &platform("linux/amd64")).unwrap().0.digest,
            D1
        );
        assert_eq!(
            select(&entries, &platform("linux/arm64")).unwrap().0.digest,
            D2
        );
        assert_eq!(
            select(&entries, &platform("linux/arm64/v8"))
                .unwrap()
                .0
                .digest,
            D2
        );
        match select(&entries, &platform("linux/s390x")) {
            Err(Cause::NoPlatform { wanted, available }) => {
                assert_eq!(wanted, "linux/s390x");
                assert_eq!(
                    available,
                    ["linux/amd64", "linux/arm64/v8", "unknown/unknown"]
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn an_image_manifest_points_at_its_config() {
    for (name, manifest, content_type) in [
        (
            "OCI",
            json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                   "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": D1, "size": 5}, "layers": []}),
            None,
        ),
        (
            "Docker v2",
            json!({"schemaVersion": 2, "mediaType": DOCKER_MANIFEST,
                   "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": D1, "size": 5}, "layers": []}),
            None,
        ),
        (
            "OCI without mediaType: its shape decides",
            json!({"schemaVersion": 2, "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": D1, "size": 5}}),
            Some("application/octet-stream"),
        ),
    ] {
        let parsed =
            parse(&bytes(manifest), content_type).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Manifest::Image { config } = parsed else {
            panic!("{name}: not an image");
        };
        assert_eq!((config.digest.as_str(), config.size), (D1, 5), "{name}");
    }
}

#[test]
fn what_is_not_an_image_says_so() {
    let helm = json!({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": D1, "size": 5}});
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not JSON",
            b"<html>".to_vec(),
            "the manifest is malformed: expected value",
        ),
        (
            "an array",
            b"[]".to_vec(),
            "the manifest is malformed: it is not a JSON object",
        ),
        (
            "schema 1",
            bytes(json!({"schemaVersion": 1, "name": "x"})),
            "media type \"Docker schema 1\"",
        ),
        (
            "a Helm chart",
            bytes(helm),
            "the config has media type \"application/vnd.cncf.helm.config.v1+json\", which is not an image",
        ),
        (
            "an unknown media type",
            bytes(json!({"mediaType": "text/plain"})),
            "media type \"text/plain\"",
        ),
        (
            "an index without manifests",
            bytes(json!({"mediaType": OCI_INDEX})),
            "no `manifests` list",
        ),
        (
            "an entry without digest",
            bytes(
                json!({"mediaType": OCI_INDEX, "manifests": [{"mediaType": OCI_MANIFEST, "size": 1}]}),
            ),
            "an index entry has no digest",
        ),
        (
            "a manifest without config",
            bytes(json!({"mediaType": OCI_MANIFEST})),
            "has no `config`",
        ),
        (
            "a config without size",
            bytes(json!({"mediaType": OCI_MANIFEST, "config": {"mediaType": "x", "digest": D1}})),
            "its config has no size",
        ),
    ];
    for (name, body, message) in cases {
        let e = parse(&body, None).expect_err(name);
        assert!(e.to_string().contains(message), "{name}: {e}");
    }
}

#[test]
fn the_config_object_is_kept_verbatim() {
    let blob = br#"{"architecture":"arm64","os":"linux","variant":"v8","config":{"User":"1000","Env":["A=1"],"Entrypoint":["java","-jar","/app.jar"],"Cmd":null,"Labels":{}}}"#;
    let (platform_found, config) = image_config(blob).unwrap();
    assert_eq!(platform_found, Some(platform("linux/arm64/v8")));
    assert_eq!(
        serde_json::to_string(&config).unwrap(),
        r#"{"User":"1000","Env":["A=1"],"Entrypoint":["java","-jar","/app.jar"],"Cmd":null,"Labels":{}}"#
    );
    // An image with no config object, and one with an empty platform (crane's empty base).
    let (p, c) = image_config(br#"{"os":"","architecture":""}"#).unwrap();
    assert_eq!((p, c), (None, json!({})));
    assert!(image_config(br#"{"config": []}"#).is_err());
    assert!(image_config(b"null").is_err());
}
