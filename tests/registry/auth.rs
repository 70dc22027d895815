//! Authentication against CNCF Distribution: the anonymous bearer-token flow (a public
//! repository, as on Docker Hub), credentials from the docker config (`auths` in each
//! form, `credHelpers` and `credsStore` through a helper on the helper path), the OAuth2
//! identity token, basic auth; and refusals that name the realm and where credentials
//! came from, never the secret.

use super::images::{self, Crane};
use super::servers::{Auth, Registry, distribution};
use super::token_server::REFRESH_TOKEN;
use crate::common::{TempDir, write_script};
use crate::{err, fetch, ok, options};
use pinpoint_inject::registry::{Cause, FetchError, Fetched, Options};
use serde_json::{Value, json};

/// A registry with `auth`, the test images under `public/` and `private/`.
fn registry_with_images(auth: Auth) -> Registry {
    let registry = distribution(auth);
    let crane = Crane::login(&registry.host, "alice", "s3cret");
    images::push(&crane, &registry.host, "public");
    images::push(&crane, &registry.host, "private");
    registry
}

/// A docker config directory holding `config`, with a helper directory beside it.
struct DockerConfig {
    dir: TempDir,
}

impl DockerConfig {
    fn new(config: Value) -> DockerConfig {
        let dir = TempDir::new("docker-config");
        std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        DockerConfig { dir }
    }

    /// `docker-credential-NAME`: answers `user`/`secret` for `server`, logs each call.
    fn helper(&self, name: &str, server: &str, user: &str, secret: &str) {
        let log = self.dir.join(format!("{name}.calls"));
        let script = format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nserver=$(cat)\necho \"$server\" >> '{}'\nif [ \"$server\" = '{server}' ]; then\n  printf '{{\"ServerURL\":\"%s\",\"Username\":\"{user}\",\"Secret\":\"{secret}\"}}' \"$server\"\nelse\n  echo 'credentials not found in native keychain'; exit 1\nfi\n",
            log.display()
        );
        write_script(
            &self.dir.join(format!("bin/docker-credential-{name}")),
            &script,
        );
    }

    fn calls(&self, name: &str) -> Vec<String> {
        std::fs::read_to_string(self.dir.join(format!("{name}.calls")))
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect()
    }

    fn options(&self) -> Options {
        Options {
            docker_config: Some(self.dir.path().to_path_buf()),
            helper_path: Some(self.dir.join("bin").into_os_string()),
            ..options()
        }
    }
}

fn auth(user: &str, password: &str) -> String {
    base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{user}:{password}"),
    )
}

/// No message or value shows a secret.
fn no_secret(results: &[Result<Fetched, FetchError>], secrets: &[&str]) {
    let shown = format!(
        "{results:?} {}",
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .map(|e| e.to_string())
            .collect::<String>()
    );
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret:?} shows in {shown}");
    }
}

#[test]
fn token_auth_anonymous_pull_and_every_credential_source() {
    let registry = registry_with_images(Auth::Token);
    let host = &registry.host;
    let public = format!("{host}/public/plain:v1");
    let private = format!("{host}/private/java:multi");

    // Anonymous: the token flow grants pull on public/ only.
    let anonymous = fetch(&[&public, &private], &options());
    assert_eq!(ok(&anonymous[0]).config["User"], "1000");
    let e = err(&anonymous[1]);
    let realm = registry.tokens.as_ref().unwrap().realm();
    match &e.cause {
        Cause::Unauthorized {
            realm: got,
            credentials,
            ..
        } => {
            assert_eq!(got.as_deref(), Some(realm.as_str()));
            assert!(credentials.contains("anonymous access was refused"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains(&format!("401 Unauthorized (realm {realm})")),
        "{e}"
    );

    let key = host.as_str();
    let cases: Vec<(&str, Value)> = vec![
        (
            "auths: base64 auth",
            json!({"auths": {key: {"auth": auth("bob", "pw")}}}),
        ),
        (
            "auths: username and password, URL key",
            json!({"auths": {format!("http://{key}/v2/"): {"username": "alice", "password": "s3cret"}}}),
        ),
        (
            "auths: identity token (OAuth2)",
            json!({"auths": {key: {"identitytoken": REFRESH_TOKEN}}}),
        ),
        (
            "credHelpers",
            json!({"credHelpers": {key: "pinpoint-test"}, "auths": {key: {"auth": auth("bob", "wrong")}}}),
        ),
        ("credsStore", json!({"credsStore": "pinpoint-test"})),
    ];
    for (name, config) in cases {
        let docker = DockerConfig::new(config);
        docker.helper("pinpoint-test", key, "alice", "s3cret");
        let results = fetch(&[&private, &public], &docker.options());
        let f = results[0]
            .as_ref()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.platform.to_string(), "linux/amd64", "{name}");
        assert_eq!(f.config["Labels"]["arch"], "amd64", "{name}");
        ok(&results[1]);
        if name.starts_with("cred") {
            // Once per registry and run, with the bare host:port on stdin.
            assert_eq!(docker.calls("pinpoint-test"), [key], "{name}");
        }
        no_secret(&results, &["s3cret", REFRESH_TOKEN]);
    }

    // Refused credentials: the message says where they came from, not what they are.
    let docker =
        DockerConfig::new(json!({"auths": {key: {"auth": auth("alice", "not-the-password")}}}));
    let refused = fetch(&[&private], &docker.options());
    let e = err(&refused[0]);
    assert!(
        e.to_string().contains(&format!(
            "the credentials from auths[\"{key}\"] in {}",
            docker.dir.join("config.json").display()
        )),
        "{e}"
    );
    assert!(e.to_string().contains("were refused"), "{e}");
    no_secret(
        &refused,
        &["not-the-password", &auth("alice", "not-the-password")],
    );

    // A helper the config names but that is not there is an error, not anonymity.
    let docker = DockerConfig::new(json!({"credsStore": "absent"}));
    let e = fetch(&[&public], &docker.options());
    let e = err(&e[0]);
    assert!(matches!(e.cause, Cause::Credentials { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("docker-credential-absent (named in the docker config) is not on PATH"),
        "{e}"
    );
    assert!(registry.tokens.as_ref().unwrap().requests() > 0);
}

#[test]
fn basic_auth_with_the_docker_config() {
    let registry = registry_with_images(Auth::Basic);
    let host = &registry.host;
    let image = format!("{host}/private/plain:v1");

    let anonymous = fetch(&[&image], &options());
    let e = err(&anonymous[0]);
    assert!(
        e.to_string()
            .contains("401 Unauthorized (realm pinpoint-test)"),
        "{e}"
    );
    assert!(
        e.to_string().contains("anonymous access was refused"),
        "{e}"
    );

    let good =
        DockerConfig::new(json!({"auths": {host.as_str(): {"auth": auth("alice", "s3cret")}}}));
    let results = fetch(
        &[&image, &format!("{host}/public/docker:list")],
        &good.options(),
    );
    assert_eq!(ok(&results[0]).config["User"], "1000");
    assert_eq!(ok(&results[1]).config["Labels"]["arch"], "amd64");
    no_secret(&results, &["s3cret", &auth("alice", "s3cret")]);

    let helper = DockerConfig::new(json!({"credHelpers": {host.as_str(): "pinpoint-test"}}));
    helper.helper("pinpoint-test", host, "bob", "pw");
    assert_eq!(
        ok(&fetch(&[&image], &helper.options())[0]).config["User"],
        "1000"
    );

    let bad = DockerConfig::new(
        json!({"auths": {host.as_str(): {"username": "alice", "password": "nope-nope"}}}),
    );
    let refused = fetch(&[&image], &bad.options());
    let e = err(&refused[0]);
    assert!(matches!(e.cause, Cause::Unauthorized { .. }), "{e}");
    assert!(e.to_string().contains("were refused"), "{e}");
    no_secret(&refused, &["nope-nope"]);
}
