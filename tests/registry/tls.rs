//! HTTPS with a company's own CA: CNCF Distribution serving TLS with a certificate from a
//! test CA (made with the openssl CLI), under a name that resolves to loopback but is
//! not loopback by name (so no plain HTTP). Without the CA the handshake fails with a
//! message that says how to trust it; with the CA in `SSL_CERT_FILE` (read by the system
//! trust store, rustls-native-certs) the config is read. The trust store is read from
//! the environment, so that half runs in a child process of this test binary.

use super::images::{self, Crane};
use super::servers::{Auth, distribution_with};
use crate::common::{TempDir, run};
use crate::{err, fetch, loopback_alias, ok, options};
use pinpoint_inject::registry::{Cause, Options};
use std::path::Path;
use std::process::Command;

/// Names the image for the child process.
const CHILD_IMAGE: &str = "PINPOINT_INJECT_TEST_TLS_IMAGE";
const CHILD_TEST: &str = "registry::tls::fetch_with_the_trust_store_of_the_environment";

fn openssl(dir: &Path, args: &[&str]) {
    run(Command::new("openssl").current_dir(dir).args(args), b"").ok();
}

/// A CA, and a server certificate it signed for `name`: (ca.pem, server.pem, server.key).
fn certificates(dir: &Path, name: &str) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=pinpoint-inject test CA",
    ]);
    ca.extend([
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    let subject = format!("/CN={name}");
    csr.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        &subject,
    ]);
    openssl(dir, &csr);
    let ext = format!(
        "subjectAltName=DNS:{name}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    );
    std::fs::write(dir.join("server.ext"), ext).unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ],
    );
}

#[test]
fn a_private_ca_is_trusted_through_the_system_trust_store() {
    let alias = loopback_alias();
    let dir = TempDir::new("tls");
    certificates(dir.path(), &alias);
    let registry = distribution_with(
        Auth::None,
        Some((&dir.join("server.pem"), &dir.join("server.key"))),
    );
    let host = format!("{alias}:{}", registry.port);
    images::push(&Crane::insecure(), &host, "test");
    let image = format!("{host}/test/plain:v1");

    // The CA is in no trust store: refused, even when plain HTTP would be allowed.
    let insecure = Options {
        insecure_registries: vec![host.clone()],
        ..options()
    };
    for options in [options(), insecure] {
        let e = fetch(&[&image], &options);
        let e = err(&e[0]);
        assert!(matches!(e.cause, Cause::Tls { .. }), "{e}");
        assert!(e.to_string().contains("UnknownIssuer"), "{e}");
        assert!(e.to_string().contains("SSL_CERT_FILE"), "{e}");
    }

    // In SSL_CERT_FILE: read, and what crane reads.
    let child = run(
        Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                CHILD_TEST,
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_IMAGE, &image)
            .env("SSL_CERT_FILE", dir.join("ca.pem"))
            .env_remove("SSL_CERT_DIR"),
        b"",
    );
    child.ok();
    let line = child
        .stdout_text()
        .lines()
        .find_map(|l| l.split_once("config: ").map(|(_, c)| c))
        .unwrap_or_else(|| panic!("no config line: {child}"));
    let config: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(config, Crane::insecure().config(&image, None)["config"]);
}

/// The half of the test above that needs `SSL_CERT_FILE` in its environment.
#[test]
#[ignore = "run by a_private_ca_is_trusted_through_the_system_trust_store in a child process"]
fn fetch_with_the_trust_store_of_the_environment() {
    let image = std::env::var(CHILD_IMAGE).expect("the parent test names the image");
    let results = fetch(&[&image], &options());
    println!("config: {}", ok(&results[0]).config);
}
