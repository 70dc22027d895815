//! The docker config's forms, each in a scratch directory with its own helpers.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Scratch(PathBuf);

impl Scratch {
    fn new(config: &str) -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pinpoint-inject-keychain-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("config.json"), config).unwrap();
        Scratch(dir)
    }

    fn helper(&self, name: &str, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let path = self.0.join("bin").join(format!("docker-credential-{name}"));
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn options(&self) -> Options {
        Options {
            docker_config: Some(self.0.clone()),
            helper_path: Some(self.0.join("bin").into_os_string()),
            timeout: Duration::from_secs(5),
            ..Options::default()
        }
    }

    fn lookup(&self, registry: &str) -> Result<Found, String> {
        lookup(registry, &self.options())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn basic(username: &str, password: &str) -> Credential {
    Credential::Basic {
        username: username.into(),
        password: password.into(),
    }
}

#[test]
fn auths_forms() {
    // "alice:s3cret" in base64.
    let s = Scratch::new(
        r#"{"auths": {
            "127.0.0.1:5000": {"auth": "YWxpY2U6czNjcmV0"},
            "https://registry.example.com/v2/": {"username": "bob", "password": "pw"},
            "https://index.docker.io/v1/": {"auth": "aHViOmh1YnB3"},
            "ghcr.io": {"identitytoken": "refresh-me"},
            "quay.io": {"registrytoken": "bearer-me"},
            "empty.example": {}
        }}"#,
    );
    let cases = [
        ("base64 auth", "127.0.0.1:5000", basic("alice", "s3cret")),
        (
            "username and password, URL key",
            "registry.example.com",
            basic("bob", "pw"),
        ),
        ("Docker Hub's key", "docker.io", basic("hub", "hubpw")),
        (
            "identity token",
            "ghcr.io",
            Credential::Identity {
                token: "refresh-me".into(),
            },
        ),
        (
            "registry token",
            "quay.io",
            Credential::Registry {
                token: "bearer-me".into(),
            },
        ),
        ("an empty entry", "empty.example", Credential::Anonymous),
        ("no entry", "other.example", Credential::Anonymous),
    ];
    for (name, registry, expected) in cases {
        let found = s.lookup(registry).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(found.credential, expected, "{name}");
    }
    assert!(
        s.lookup("127.0.0.1:5000")
            .unwrap()
            .source
            .starts_with("auths[\"127.0.0.1:5000\"] in ")
    );
}

#[test]
fn secrets_never_show_in_debug_or_source() {
    let s = Scratch::new(r#"{"auths": {"r.example": {"auth": "YWxpY2U6czNjcmV0"}}}"#);
    let found = s.lookup("r.example").unwrap();
    let shown = format!("{found:?} {}", found.source);
    assert!(
        !shown.contains("s3cret") && !shown.contains("YWxpY2U6czNjcmV0"),
        "{shown}"
    );
    assert!(shown.contains("alice"), "the user name may show: {shown}");
}

#[test]
fn helpers_come_before_auths() {
    let s = Scratch::new(
        r#"{"credHelpers": {"r.example": "one", "https://index.docker.io/v1/": "hub"},
            "credsStore": "store",
            "auths": {"r.example": {"auth": "YWxpY2U6czNjcmV0"}, "s.example": {"auth": "YWxpY2U6czNjcmV0"}}}"#,
    );
    s.helper("one", r#"read -r server || true; echo "{\"ServerURL\":\"$server\",\"Username\":\"u1\",\"Secret\":\"p1\"}""#);
    s.helper("hub", r#"read -r server || true; [ "$server" = "https://index.docker.io/v1/" ] || exit 3; echo '{"Username":"<token>","Secret":"tok"}'"#);
    s.helper(
        "store",
        r#"echo "credentials not found in native keychain"; exit 1"#,
    );
    let one = s.lookup("r.example").unwrap();
    assert_eq!(one.credential, basic("u1", "p1"));
    assert_eq!(one.source, "docker-credential-one");
    let hub = s.lookup("docker.io").unwrap();
    assert_eq!(
        hub.credential,
        Credential::Identity {
            token: "tok".into()
        }
    );
    // The store has nothing for s.example: the inline auths entry is used.
    assert_eq!(
        s.lookup("s.example").unwrap().credential,
        basic("alice", "s3cret")
    );
    // Nothing anywhere: anonymous, and the message says where we looked.
    let none = s.lookup("t.example").unwrap();
    assert_eq!(none.credential, Credential::Anonymous);
    assert!(
        none.source.contains("docker-credential-store"),
        "{}",
        none.source
    );
}

#[test]
fn failures_are_messages_without_secrets() {
    let s = Scratch::new(r#"{"credsStore": "broken", "auths": {}}"#);
    s.helper(
        "broken",
        r#"echo "secret-on-stdout"; echo "helper exploded" >&2; exit 2"#,
    );
    let e = s.lookup("r.example").unwrap_err();
    assert_eq!(e, "docker-credential-broken get failed: helper exploded");

    let s = Scratch::new(r#"{"credsStore": "missing"}"#);
    let e = s.lookup("r.example").unwrap_err();
    assert!(
        e.contains("docker-credential-missing (named in the docker config) is not on PATH"),
        "{e}"
    );

    let s = Scratch::new(r#"{"credsStore": "../../bin/sh"}"#);
    assert!(
        s.lookup("r.example")
            .unwrap_err()
            .contains("not a plain name")
    );

    let s = Scratch::new(r#"{"auths": "#);
    assert!(
        s.lookup("r.example")
            .unwrap_err()
            .contains("is not valid JSON")
    );

    let s = Scratch::new(r#"{"auths": {"r.example": {"auth": "not base64!"}}}"#);
    assert!(
        s.lookup("r.example")
            .unwrap_err()
            .contains("`auth` is not base64")
    );

    let s = Scratch::new(r#"{"credsStore": "slow"}"#);
    s.helper("slow", "sleep 5");
    let options = Options {
        timeout: Duration::from_millis(200),
        ..s.options()
    };
    let e = lookup("r.example", &options).unwrap_err();
    assert!(e.contains("no answer within"), "{e}");
}

#[test]
fn no_config_file_is_anonymous() {
    let s = Scratch::new("{}");
    std::fs::remove_file(s.0.join("config.json")).unwrap();
    let found = s.lookup("r.example").unwrap();
    assert_eq!(found.credential, Credential::Anonymous);
    assert!(found.source.contains("does not exist"), "{}", found.source);
}
