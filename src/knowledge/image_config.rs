//! What an image's config (its `Env`, `Entrypoint`, `Cmd` and `Labels`) says about the
//! process it starts: the variables only one runtime's images set, the `PATH` entries of
//! a JDK, the labels of JVM builds, the launcher scripts whose options variable is known,
//! and the buildpacks and preloads of other agents. [`crate::decide::image`] reads them.
//! Each row names the public file it was read from.

use super::images::Runtime::{self, Java, NotJava};

/// A variable whose presence in `Env` tells the runtime.
#[derive(Debug)]
pub struct EnvMarker {
    pub name: &'static str,
    pub runtime: Runtime,
    pub what: &'static str,
    pub source: &'static str,
}

const fn env(
    name: &'static str,
    runtime: Runtime,
    what: &'static str,
    source: &'static str,
) -> EnvMarker {
    EnvMarker {
        name,
        runtime,
        what,
        source,
    }
}

/// `JAVA_HOME` is the most common JVM marker but not universal (Keycloak, Elasticsearch,
/// distroless and buildpack images have none), so its absence says nothing.
#[rustfmt::skip]
pub const ENV_MARKERS: &[EnvMarker] = &[
    env("JAVA_HOME", Java, "a JDK's home", "adoptium/containers: 21/jre/ubuntu/noble/Dockerfile"),
    env("JAVA_VERSION", Java, "a JDK's version", "adoptium/containers: 21/jre/ubuntu/noble/Dockerfile; docker-library/openjdk: 17/jdk/slim-bullseye/Dockerfile"),
    env("CATALINA_HOME", Java, "Apache Tomcat", "docker-library/tomcat: 10.1/jre21/temurin-noble/Dockerfile"),
    env("JETTY_HOME", Java, "Eclipse Jetty", "jetty/jetty.docker: eclipse-temurin/12.0/jdk21/Dockerfile"),
    env("JBOSS_HOME", Java, "WildFly", "jboss-dockerfiles/wildfly: Dockerfile"),
    env("JBOSS_IMAGE_NAME", Java, "a Red Hat OpenJDK image", "rh-openjdk/redhat-openjdk-containers: ubi9-openjdk-21-runtime.yaml"),
    env("NODE_VERSION", NotJava, "Node.js", "nodejs/docker-node: 22/bookworm/Dockerfile"),
    env("YARN_VERSION", NotJava, "Node.js", "nodejs/docker-node: 22/bookworm/Dockerfile"),
    env("PYTHON_VERSION", NotJava, "Python", "docker-library/python: 3.13/bookworm/Dockerfile"),
    env("GOLANG_VERSION", NotJava, "Go", "docker-library/golang: 1.26/trixie/Dockerfile"),
    env("KO_DATA_PATH", NotJava, "a Go binary built by ko", "ko-build/ko: pkg/build/gobuild.go"),
    env("RUBY_VERSION", NotJava, "Ruby", "docker-library/ruby: 3.4/bookworm/Dockerfile"),
    env("PHP_VERSION", NotJava, "PHP", "docker-library/php: 8.4/bookworm/apache/Dockerfile"),
    env("DOTNET_VERSION", NotJava, ".NET", "dotnet/dotnet-docker: src/runtime/9.0/bookworm-slim/amd64/Dockerfile"),
    env("ASPNET_VERSION", NotJava, "ASP.NET Core", "dotnet/dotnet-docker: src/aspnet/9.0/bookworm-slim/amd64/Dockerfile"),
    env("DOTNET_RUNNING_IN_CONTAINER", NotJava, ".NET", "dotnet/dotnet-docker: src/runtime-deps/9.0/bookworm-slim/amd64/Dockerfile"),
    env("RUST_VERSION", NotJava, "Rust", "rust-lang/docker-rust: stable/trixie/Dockerfile"),
    env("NGINX_VERSION", NotJava, "nginx", "nginxinc/docker-nginx: mainline/debian/Dockerfile"),
    env("HTTPD_VERSION", NotJava, "Apache httpd", "docker-library/httpd: 2.4/Dockerfile"),
    env("HAPROXY_VERSION", NotJava, "HAProxy", "docker-library/haproxy: 3.5/Dockerfile"),
    env("CADDY_VERSION", NotJava, "Caddy", "caddyserver/caddy-docker: 2.11/alpine/Dockerfile"),
    env("MYSQL_VERSION", NotJava, "MySQL", "docker-library/mysql: 8.4/Dockerfile.oracle"),
    env("MYSQL_MAJOR", NotJava, "MySQL", "docker-library/mysql: 8.4/Dockerfile.oracle"),
    env("MARIADB_VERSION", NotJava, "MariaDB", "MariaDB/mariadb-docker: 11.4/Dockerfile"),
    env("PG_VERSION", NotJava, "PostgreSQL", "docker-library/postgres: 17/bookworm/Dockerfile"),
    env("PG_MAJOR", NotJava, "PostgreSQL", "docker-library/postgres: 17/bookworm/Dockerfile"),
    env("MONGO_VERSION", NotJava, "MongoDB", "docker-library/mongo: 8.0/Dockerfile"),
    env("REDIS_VERSION", NotJava, "Redis", "docker-library/redis: 7.2/debian/Dockerfile"),
    env("VALKEY_VERSION", NotJava, "Valkey", "valkey-io/valkey-container: 8.0/debian/Dockerfile"),
    env("MEMCACHED_VERSION", NotJava, "memcached", "docker-library/memcached: 1/debian/Dockerfile"),
    env("RABBITMQ_VERSION", NotJava, "RabbitMQ", "docker-library/rabbitmq: 4.1/ubuntu/Dockerfile"),
];

/// Parts of a `PATH` entry that mean a JDK's `bin` is on it (images that set no
/// `JAVA_HOME`, like Zulu's distroless one, put the JDK there).
#[rustfmt::skip]
pub const JDK_PATHS: &[(&str, &str)] = &[
    ("/usr/lib/jvm/", "zulu-openjdk/zulu-openjdk: distroless/21-latest/Dockerfile"),
    ("/opt/java/openjdk/bin", "adoptium/containers: 21/jre/ubuntu/noble/Dockerfile"),
    ("/opt/bitnami/java/bin", "bitnami/containers: bitnami/java/21/debian-12/Dockerfile"),
    ("/usr/jdk/bin", "microsoft/openjdk-docker: docker/distroless/Dockerfile.msopenjdk-21-jdk"),
];

/// Labels whose presence means a JVM build: `(label, value or "" for any, what, source)`.
#[rustfmt::skip]
pub const JVM_LABELS: &[(&str, &str, &str, &str)] = &[
    ("org.springframework.boot.version", "", "a Spring Boot application", "paketo-buildpacks/spring-boot: boot/build.go"),
    ("org.jboss.product", "openjdk", "a Red Hat OpenJDK image", "rh-openjdk/redhat-openjdk-containers: ubi9-openjdk-21-runtime.yaml"),
];

/// The label a Cloud Native Buildpacks image lists its buildpacks in, as JSON
/// (buildpacks/lifecycle: platform/files/metadata.go).
pub const BUILDPACKS_LABEL: &str = "io.buildpacks.build.metadata";

/// Buildpack ids in [`BUILDPACKS_LABEL`] that tell the runtime.
#[rustfmt::skip]
pub const BUILDPACKS: &[(&str, Runtime, &str)] = &[
    ("paketo-buildpacks/executable-jar", Java, "paketo-buildpacks/executable-jar: executable/build.go"),
    ("paketo-buildpacks/spring-boot", Java, "paketo-buildpacks/spring-boot: boot/build.go"),
    ("paketo-buildpacks/bellsoft-liberica", Java, "paketo-buildpacks/libjvm: jre.go"),
    ("paketo-buildpacks/java", Java, "paketo-buildpacks/libjvm: jre.go"),
    ("heroku/java", Java, "heroku/buildpacks-jvm: README.md"),
    ("paketo-buildpacks/node-engine", NotJava, "paketo-buildpacks/node-engine: README.md"),
    ("paketo-buildpacks/nodejs", NotJava, "paketo-buildpacks/nodejs: README.md"),
    ("paketo-buildpacks/go-build", NotJava, "paketo-buildpacks/go-build: README.md"),
    ("paketo-buildpacks/python", NotJava, "paketo-buildpacks/python: README.md"),
    ("paketo-buildpacks/cpython", NotJava, "paketo-buildpacks/cpython: README.md"),
    ("paketo-buildpacks/dotnet-core", NotJava, "paketo-buildpacks/dotnet-core: README.md"),
];

/// APM buildpacks: their agent is wired at run time from a layer, so only their id in
/// [`BUILDPACKS_LABEL`] shows it (paketo-buildpacks/datadog: datadog/java_agent.go).
#[rustfmt::skip]
pub const AGENT_BUILDPACKS: &[(&str, &str)] = &[
    ("paketo-buildpacks/datadog", "Datadog's Java tracer (buildpack)"),
    ("paketo-buildpacks/new-relic", "the New Relic Java agent (buildpack)"),
    ("paketo-buildpacks/dynatrace", "Dynatrace OneAgent (buildpack)"),
    ("paketo-buildpacks/opentelemetry", "the OpenTelemetry Java agent (buildpack)"),
    ("paketo-buildpacks/elastic-apm", "the Elastic APM Java agent (buildpack)"),
    ("paketo-buildpacks/appdynamics", "AppDynamics (buildpack)"),
    ("paketo-buildpacks/azure-application-insights", "Azure Application Insights (buildpack)"),
    ("paketo-buildpacks/apache-skywalking", "SkyWalking (buildpack)"),
];

/// `LD_PRELOAD` libraries of agents that attach without `-javaagent`.
#[rustfmt::skip]
pub const PRELOAD_AGENTS: &[(&str, &str, &str)] = &[
    ("/dynatrace/oneagent/", "Dynatrace OneAgent (LD_PRELOAD)", "Dynatrace docs: Set up OneAgent on containers for application-only monitoring"),
];

/// Programs that run no user code of their own: the first word of a command that is one
/// of these hands the rest of the command to another program (`tini -- java …`).
pub const WRAPPERS: &[&str] = &["tini", "dumb-init", "gosu", "su-exec", "exec", "env"];

/// Shells: `sh -c SCRIPT` runs the script, where `$VAR` is expanded.
pub const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// Variables a generic image sets that say nothing about its runtime: an image whose
/// `Env` holds only these and which starts one binary directly is a static binary
/// (GoogleContainerTools/distroless: static/static.bzl, common/variables.bzl).
pub const GENERIC_ENV: &[&str] = &[
    "PATH",
    "SSL_CERT_FILE",
    "HOME",
    "TZ",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "HOSTNAME",
    "TERM",
    "USER",
];

/// Launcher scripts, named in an image's command, whose options variable is known:
/// `(script name, the variable it passes to the server JVM, source)`.
#[rustfmt::skip]
pub const LAUNCH_SCRIPTS: &[(&str, &str, &str)] = &[
    ("catalina.sh", "CATALINA_OPTS", "apache/tomcat: bin/catalina.sh"),
    ("kc.sh", "JAVA_OPTS_APPEND", "keycloak/keycloak: quarkus/dist/src/main/content/bin/kc.sh"),
    ("run-java.sh", "JAVA_OPTS_APPEND", "rh-openjdk/redhat-openjdk-containers: modules/run/artifacts/opt/jboss/container/java/run/run-java.sh (JAVA_OPTS would replace the generated options)"),
    ("kafka-server-start.sh", "KAFKA_OPTS", "apache/kafka: bin/kafka-run-class.sh"),
    ("zkServer.sh", "SERVER_JVMFLAGS", "apache/zookeeper: bin/zkServer.sh"),
    ("jenkins.sh", "JAVA_OPTS", "jenkinsci/docker: jenkins.sh"),
];
