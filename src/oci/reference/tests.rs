//! Named cases for the reference parser (the normalisation of `normalize_test.go` and
//! the grammar of `reference_test.go` in `distribution/reference`), then properties.

use super::*;

const SHA: &str = "sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";

struct Good {
    name: &'static str,
    input: &'static str,
    canonical: &'static str,
    familiar: &'static str,
    api_host: &'static str,
    loopback: bool,
}

const GOOD: &[Good] = &[
    Good {
        name: "official image: docker.io, library/, latest",
        input: "nginx",
        canonical: "docker.io/library/nginx:latest",
        familiar: "nginx",
        api_host: "registry-1.docker.io",
        loopback: false,
    },
    Good {
        name: "user image on Docker Hub: no library/",
        input: "user/app:1.2",
        canonical: "docker.io/user/app:1.2",
        familiar: "user/app:1.2",
        api_host: "registry-1.docker.io",
        loopback: false,
    },
    Good {
        name: "docker.io written out, one component: library/ added",
        input: "docker.io/nginx:1.27",
        canonical: "docker.io/library/nginx:1.27",
        familiar: "nginx:1.27",
        api_host: "registry-1.docker.io",
        loopback: false,
    },
    Good {
        name: "index.docker.io is docker.io",
        input: "index.docker.io/library/redis:7",
        canonical: "docker.io/library/redis:7",
        familiar: "redis:7",
        api_host: "registry-1.docker.io",
        loopback: false,
    },
    Good {
        name: "a registry with a dot, nested path",
        input: "registry.example.com/shop/orders/api:1.4.2",
        canonical: "registry.example.com/shop/orders/api:1.4.2",
        familiar: "registry.example.com/shop/orders/api:1.4.2",
        api_host: "registry.example.com",
        loopback: false,
    },
    Good {
        name: "a registry with a port and no dot",
        input: "harbor:8443/team/app",
        canonical: "harbor:8443/team/app:latest",
        familiar: "harbor:8443/team/app",
        api_host: "harbor:8443",
        loopback: false,
    },
    Good {
        name: "localhost without a port is a registry",
        input: "localhost/app",
        canonical: "localhost/app:latest",
        familiar: "localhost/app",
        api_host: "localhost",
        loopback: true,
    },
    Good {
        name: "an uppercase first component is a registry (splitDockerDomain)",
        input: "Registry/app",
        canonical: "Registry/app:latest",
        familiar: "Registry/app",
        api_host: "Registry",
        loopback: false,
    },
    Good {
        name: "a bare localhost:5000 is Docker Hub's localhost with tag 5000",
        input: "localhost:5000",
        canonical: "docker.io/library/localhost:5000",
        familiar: "localhost:5000",
        api_host: "registry-1.docker.io",
        loopback: false,
    },
    Good {
        name: "digest only: no default tag",
        input: "ghcr.io/org/app@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
        canonical: "ghcr.io/org/app@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
        familiar: "ghcr.io/org/app@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
        api_host: "ghcr.io",
        loopback: false,
    },
    Good {
        name: "tag and digest: both kept",
        input: "busybox:1.36@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
        canonical: "docker.io/library/busybox:1.36@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
        familiar: "busybox:1.36@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa",
        api_host: "registry-1.docker.io",
        loopback: false,
    },
    Good {
        name: "loopback IPv4 with a port",
        input: "127.0.0.1:5000/test/plain:v1",
        canonical: "127.0.0.1:5000/test/plain:v1",
        familiar: "127.0.0.1:5000/test/plain:v1",
        api_host: "127.0.0.1:5000",
        loopback: true,
    },
    Good {
        name: "loopback IPv6 in brackets",
        input: "[::1]:5000/app:v1",
        canonical: "[::1]:5000/app:v1",
        familiar: "[::1]:5000/app:v1",
        api_host: "[::1]:5000",
        loopback: true,
    },
    Good {
        name: "separators: dots, one or two underscores, runs of dashes",
        input: "quay.io/a.b/c__d/e---f/g_h:V1_2.3-rc",
        canonical: "quay.io/a.b/c__d/e---f/g_h:V1_2.3-rc",
        familiar: "quay.io/a.b/c__d/e---f/g_h:V1_2.3-rc",
        api_host: "quay.io",
        loopback: false,
    },
    Good {
        name: "a name under .localhost is loopback",
        input: "registry.localhost:5000/app:1",
        canonical: "registry.localhost:5000/app:1",
        familiar: "registry.localhost:5000/app:1",
        api_host: "registry.localhost:5000",
        loopback: true,
    },
    Good {
        name: "127.x.y.z is all loopback",
        input: "127.3.2.1/app:1",
        canonical: "127.3.2.1/app:1",
        familiar: "127.3.2.1/app:1",
        api_host: "127.3.2.1",
        loopback: true,
    },
];

#[test]
fn good_references() {
    for case in GOOD {
        let parsed = Reference::parse(case.input)
            .unwrap_or_else(|e| panic!("{}: {} should parse: {e}", case.name, case.input));
        assert_eq!(
            parsed.canonical(),
            case.canonical,
            "{}: canonical",
            case.name
        );
        assert_eq!(parsed.familiar(), case.familiar, "{}: familiar", case.name);
        assert_eq!(parsed.api_host(), case.api_host, "{}: api_host", case.name);
        assert_eq!(
            parsed.is_loopback(),
            case.loopback,
            "{}: loopback",
            case.name
        );
        assert_eq!(parsed.to_string(), case.canonical, "{}: Display", case.name);
    }
}

#[test]
fn the_fields_are_normalised() {
    let r = Reference::parse(&format!("nginx:1.27@{SHA}")).unwrap();
    assert_eq!(
        r,
        Reference {
            registry: "docker.io".into(),
            repository: "library/nginx".into(),
            tag: Some("1.27".into()),
            digest: Some(SHA.into()),
        }
    );
}

#[test]
fn bad_references_say_why() {
    let sha512 = format!("sha512:{}", "a".repeat(128));
    assert!(
        Reference::parse(&format!("app@{sha512}")).is_ok(),
        "sha512 is registered"
    );
    let cases: Vec<(&str, String, ReferenceProblem)> = vec![
        ("empty", "".to_string(), ReferenceProblem::Empty),
        (
            "shell: semicolon",
            "x:1;rm".to_string(),
            ReferenceProblem::Character(';'),
        ),
        (
            "shell: command substitution",
            "$(EVIL):1".to_string(),
            ReferenceProblem::Character('$'),
        ),
        (
            "a space",
            "nginx :1".to_string(),
            ReferenceProblem::Character(' '),
        ),
        (
            "a newline",
            "nginx\n".to_string(),
            ReferenceProblem::Character('\n'),
        ),
        (
            "a non-ASCII letter",
            "ngïnx".to_string(),
            ReferenceProblem::Character('ï'),
        ),
        (
            "uppercase in the repository",
            "example.com/Shop/app".to_string(),
            ReferenceProblem::Uppercase("Shop/app".into()),
        ),
        (
            "uppercase in a Hub name",
            "user/App".to_string(),
            ReferenceProblem::Uppercase("user/App".into()),
        ),
        (
            "two slashes",
            "example.com/a//b".to_string(),
            ReferenceProblem::EmptyComponent,
        ),
        (
            "a trailing slash",
            "example.com/a/".to_string(),
            ReferenceProblem::EmptyComponent,
        ),
        (
            "a leading slash",
            "/app".to_string(),
            ReferenceProblem::EmptyComponent,
        ),
        (
            "a separator first",
            "example.com/-app".to_string(),
            ReferenceProblem::Component("-app".into()),
        ),
        (
            "three underscores",
            "example.com/a___b".to_string(),
            ReferenceProblem::Component("a___b".into()),
        ),
        (
            "a separator last",
            "example.com/app.".to_string(),
            ReferenceProblem::Component("app.".into()),
        ),
        (
            "an empty tag",
            "nginx:".to_string(),
            ReferenceProblem::Tag(String::new()),
        ),
        (
            "a tag starting with a dot",
            "nginx:.1".to_string(),
            ReferenceProblem::Tag(".1".into()),
        ),
        (
            "a registry label ending in a dash",
            "bad-.example.com/app".to_string(),
            ReferenceProblem::Registry("bad-.example.com".into()),
        ),
        (
            "a port that is not digits",
            "example.com:http/app".to_string(),
            ReferenceProblem::Registry("example.com:http".into()),
        ),
        (
            "an empty port",
            "example.com:/app".to_string(),
            ReferenceProblem::Registry("example.com:".into()),
        ),
        (
            "two @",
            "app@sha256:1@sha256:2".to_string(),
            ReferenceProblem::TwoDigests,
        ),
        (
            "a digest without algorithm",
            "app@abc".to_string(),
            ReferenceProblem::Digest("abc".into()),
        ),
        (
            "an unknown algorithm",
            "app@md5:0123456789abcdef0123456789abcdef".to_string(),
            ReferenceProblem::Algorithm("md5".into()),
        ),
        (
            "a short sha256",
            "app@sha256:abc".to_string(),
            ReferenceProblem::DigestHex("abc".into(), "sha256", 64),
        ),
        (
            "uppercase hex",
            format!("app@sha256:{}", "A".repeat(64)),
            ReferenceProblem::DigestHex("A".repeat(64), "sha256", 64),
        ),
        (
            "a bare identifier",
            "a".repeat(64),
            ReferenceProblem::Identifier,
        ),
        (
            "a path over 255",
            format!("example.com/{}", "a".repeat(256)),
            ReferenceProblem::TooLong(256),
        ),
        (
            "a tag over 128",
            format!("nginx:{}", "t".repeat(129)),
            ReferenceProblem::Tag("t".repeat(129)),
        ),
    ];
    for (name, input, problem) in cases {
        match Reference::parse(&input) {
            Ok(r) => panic!("{name}: {input:?} parsed as {r}"),
            Err(e) => {
                assert_eq!(e.problem, problem, "{name}: {input:?}");
                assert_eq!(e.input, input);
                assert!(e.to_string().starts_with("invalid image reference"), "{e}");
            }
        }
    }
}

#[test]
fn messages_read_well() {
    let e = Reference::parse("x:1;rm").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid image reference \"x:1;rm\": ';' is not allowed in an image reference"
    );
    let e = Reference::parse("app@sha256:abc").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid image reference \"app@sha256:abc\": a sha256 digest is 64 lowercase hex digits, not \"abc\""
    );
}
