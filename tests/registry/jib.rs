//! An image built by Jib (jib-maven-plugin 3.5.2, from Maven Central through Maven's
//! own client) from the runtime test's app, on a base image crane pushed, read back:
//! Jib's config (its `java` entrypoint with the classpath argfile, its user and working
//! directory, the base's `JAVA_HOME`/`JAVA_VERSION` merged with the app's env) is what
//! `crane config` says. Needs `mvn` and a JDK 17, as tests/runtime.rs does.

use super::images::{Crane, tar_layer};
use super::servers::crane_registry;
use crate::common::{TempDir, on_path, repo, run};
use crate::{fetch, ok, options};
use serde_json::json;
use std::process::Command;

#[test]
fn an_image_built_by_jib_is_read_back() {
    let mvn = on_path("mvn");
    let registry = crane_registry();
    let crane = Crane::new();
    let base = format!("{}/base/java:17", registry.host);
    let layer = TempDir::new("jib-base");
    std::fs::create_dir_all(layer.join("root/opt/java/openjdk/bin")).unwrap();
    std::fs::write(layer.join("root/opt/java/openjdk/bin/java"), "#!/bin/sh\n").unwrap();
    let tar = layer.join("layer.tar");
    tar_layer(&layer.join("root"), &tar);
    let staging = format!("{}/base/java:staging", registry.host);
    crane.run(&["append", "-f", tar.to_str().unwrap(), "-t", &staging]);
    crane.run(&[
        "mutate",
        &staging,
        "-t",
        &base,
        "--set-platform",
        "linux/amd64",
        "-e",
        "JAVA_HOME=/opt/java/openjdk",
        "-e",
        "JAVA_VERSION=jdk-17.0.13+11",
        "-e",
        "PATH=/opt/java/openjdk/bin:/usr/bin:/bin",
        "--cmd",
        "jshell",
    ]);

    let image = format!("{}/app/jib-hello:1.0.0", registry.host);
    let scratch = TempDir::new("jib-build");
    let build = run(
        Command::new(mvn)
            .current_dir(repo().join("tests/registry/jib-app"))
            .env("XDG_CONFIG_HOME", scratch.join("config"))
            .env("XDG_CACHE_HOME", scratch.join("cache"))
            .args(["-B", "-ntp", "-q", "compile", "jib:build"])
            .arg(format!(
                "-Dapp.sources={}",
                repo().join("tests/runtime/app").display()
            ))
            .arg(format!("-Dapp.target={}", scratch.join("target").display()))
            .arg(format!("-Djib.from.image={base}"))
            .arg(format!("-Djib.to.image={image}"))
            .arg(format!(
                "-Djib.baseImageCache={}",
                scratch.join("base-cache").display()
            ))
            .arg(format!(
                "-Djib.applicationCache={}",
                scratch.join("app-cache").display()
            ))
            // Jib tries HTTPS first; this lets it use the loopback registry's plain HTTP.
            .arg("-Djib.allowInsecureRegistries=true")
            .arg("-Djib.disableUpdateChecks=true"),
        b"",
    );
    build.ok();

    let results = fetch(&[&image], &options());
    let fetched = ok(&results[0]);
    assert_eq!(fetched.config, crane.config(&image, None)["config"]);
    assert_eq!(fetched.digest, crane.digest(&image));
    assert_eq!(fetched.platform.to_string(), "linux/amd64");
    let config = &fetched.config;
    assert_eq!(
        config["Entrypoint"],
        json!([
            "java",
            "-Xmx128m",
            "-cp",
            "@/app/jib-classpath-file",
            "Hello"
        ])
    );
    assert_eq!(
        (&config["User"], &config["WorkingDir"]),
        (&json!("1001:1001"), &json!("/app"))
    );
    // Jib reorders the base's env; compare as sets.
    let mut env: Vec<&str> = config["Env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    env.sort();
    assert_eq!(
        env,
        [
            "APP_MODE=test",
            "JAVA_HOME=/opt/java/openjdk",
            "JAVA_VERSION=jdk-17.0.13+11",
            "PATH=/opt/java/openjdk/bin:/usr/bin:/bin"
        ]
    );
    assert_eq!(
        config["Labels"]["org.opencontainers.image.title"],
        "jib-hello"
    );
}
