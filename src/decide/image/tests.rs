//! The image config as the kubelet and containerd start it, one case per shape of image.

use super::*;
use serde_json::json;

fn config(value: Value) -> ImageConfig {
    ImageConfig::from_value(&value).unwrap()
}

fn app() -> Value {
    json!({"name": "app", "image": "registry.example.com/shop/orders:1"})
}

#[test]
fn each_kind_of_image_shows_its_runtime() {
    let cases = [
        // eclipse-temurin with an exec-form `java -jar`.
        (
            json!({"Env": ["JAVA_HOME=/opt/java/openjdk", "JAVA_VERSION=jdk-17.0.13+11"], "Entrypoint": ["java", "-jar", "/app/orders.jar"]}),
            Some(Runtime::Java),
            "it runs java",
        ),
        // Jib: java with an argfile classpath, no JAVA_HOME needed.
        (
            json!({"Entrypoint": ["java", "-Xmx128m", "-cp", "@/app/jib-classpath-file", "dev.Main"]}),
            Some(Runtime::Java),
            "it runs java",
        ),
        // tini in front.
        (
            json!({"Entrypoint": ["/tini", "--", "/usr/bin/java", "-jar", "/a.jar"]}),
            Some(Runtime::Java),
            "it runs /usr/bin/java",
        ),
        // The official Tomcat image: catalina.sh in Cmd, CATALINA_HOME in Env.
        (
            json!({"Env": ["CATALINA_HOME=/usr/local/tomcat"], "Entrypoint": [], "Cmd": ["catalina.sh", "run"]}),
            Some(Runtime::Java),
            "it runs catalina.sh",
        ),
        // Keycloak: kc.sh, and no JAVA_HOME at all.
        (
            json!({"Env": ["LANG=en_US.UTF-8"], "Entrypoint": ["/opt/keycloak/bin/kc.sh"]}),
            Some(Runtime::Java),
            "it runs kc.sh",
        ),
        // A shell-form entrypoint that runs java.
        (
            json!({"Entrypoint": ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /app.jar"]}),
            Some(Runtime::Java),
            "shell command runs java",
        ),
        // node: docker-entrypoint.sh, and NODE_VERSION decides.
        (
            json!({"Env": ["NODE_VERSION=22.23.2", "YARN_VERSION=1.22.22"], "Entrypoint": ["docker-entrypoint.sh"], "Cmd": ["node"]}),
            Some(Runtime::NotJava),
            "Env NODE_VERSION",
        ),
        (
            json!({"Env": ["MYSQL_MAJOR=8.4"], "Entrypoint": ["docker-entrypoint.sh"], "Cmd": ["mysqld"]}),
            Some(Runtime::NotJava),
            "Env MYSQL_MAJOR",
        ),
        (
            json!({"Env": ["PATH=/usr/bin"], "Cmd": ["redis-server"]}),
            Some(Runtime::NotJava),
            "it runs redis-server",
        ),
        // A Go binary on distroless static, and one built by ko.
        (
            json!({"Env": ["PATH=/usr/local/bin:/usr/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"], "Entrypoint": ["/app/server"], "User": "65532"}),
            Some(Runtime::NotJava),
            "starts the binary /app/server",
        ),
        (
            json!({"Env": ["PATH=/usr/bin", "KO_DATA_PATH=/var/run/ko"], "Entrypoint": ["/ko-app/api"]}),
            Some(Runtime::NotJava),
            "Env KO_DATA_PATH",
        ),
        // Zulu's distroless image: the JDK is only on PATH.
        (
            json!({"Env": ["PATH=/usr/local/bin:/usr/lib/jvm/zulu21/bin/"]}),
            Some(Runtime::Java),
            "Env PATH (a JDK's bin)",
        ),
        // A Spring Boot buildpack image: the launcher, the labels.
        (
            json!({"Env": ["CNB_LAYERS_DIR=/layers"], "Entrypoint": ["/cnb/process/web"], "Labels": {"io.buildpacks.build.metadata": "{\"buildpacks\":[{\"id\":\"paketo-buildpacks/executable-jar\",\"version\":\"6.1.0\"}]}"}}),
            Some(Runtime::Java),
            "buildpack paketo-buildpacks/executable-jar",
        ),
        (
            json!({"Labels": {"org.springframework.boot.version": "3.4.1"}}),
            Some(Runtime::Java),
            "label org.springframework.boot.version",
        ),
        // Both kinds of marker, and no command: nothing is decided.
        (
            json!({"Env": ["JAVA_HOME=/opt/java", "NODE_VERSION=22"]}),
            None,
            "",
        ),
        // An entrypoint script in an image with no marker: no evidence either way.
        (
            json!({"Env": ["PATH=/usr/bin"], "Entrypoint": ["/docker-entrypoint.sh"]}),
            None,
            "",
        ),
        (json!({}), None, ""),
    ];
    for (value, expected, evidence) in cases {
        let found = runtime(&config(value.clone()), &app());
        assert_eq!(found.as_ref().map(|f| f.0), expected, "{value}");
        if let Some((_, why)) = found {
            assert!(
                why.starts_with("image config: ") && why.contains(evidence),
                "{value}: {why}"
            );
        }
    }
}

#[test]
fn the_containers_own_command_replaces_the_images() {
    let jdk = config(
        json!({"Env": ["JAVA_HOME=/opt/java/openjdk"], "Entrypoint": ["java", "-jar", "/a.jar"]}),
    );
    let python = json!({"name": "app", "command": ["python", "app.py"]});
    assert_eq!(
        runtime(&jdk, &python),
        None,
        "the manifest's command decides"
    );
    // args alone keep the image's entrypoint.
    let args = json!({"name": "app", "args": ["--port=8080"]});
    assert_eq!(runtime(&jdk, &args).unwrap().0, Runtime::Java);
    assert_eq!(launch(&jdk, &args), Launch::Java);
}

#[test]
fn the_launch_path_names_the_variable_that_reaches_the_jvm() {
    let cases = [
        (
            json!({"Entrypoint": ["java", "-jar", "/a.jar"]}),
            Launch::Java,
        ),
        (
            json!({"Entrypoint": ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /app.jar"]}),
            Launch::Expands("JAVA_OPTS".into()),
        ),
        (
            json!({"Entrypoint": ["sh", "-c", "cd /app && ${JAVA_HOME}/bin/java ${JVM_OPTS} -jar app.jar $APP_ARGS"]}),
            Launch::Expands("JVM_OPTS".into()),
        ),
        (
            json!({"Cmd": ["sh", "-c", "java -jar app.jar"]}),
            Launch::Java,
        ),
        (
            json!({"Cmd": ["catalina.sh", "run"]}),
            Launch::Script(
                "catalina.sh",
                "CATALINA_OPTS",
                "apache/tomcat: bin/catalina.sh",
            ),
        ),
        (
            json!({"Cmd": ["/opt/jboss/container/java/run/run-java.sh"]}),
            Launch::Script("run-java.sh", "JAVA_OPTS_APPEND", LAUNCH_SCRIPTS[2].2),
        ),
        (
            json!({"Entrypoint": ["/docker-entrypoint.sh"], "Cmd": ["java", "-jar", "x.jar"]}),
            Launch::Unknown,
        ),
        (json!({}), Launch::Unknown),
    ];
    for (value, expected) in cases {
        assert_eq!(launch(&config(value.clone()), &app()), expected, "{value}");
    }
}

#[test]
fn agents_in_the_image_count_unless_the_pod_replaces_them() {
    let identify = crate::decide::foreign::identify;
    let otel = config(
        json!({"Env": ["JAVA_TOOL_OPTIONS=-Xmx1g -javaagent:/app/opentelemetry-javaagent.jar"]}),
    );
    assert!(
        foreign_agent(&otel, &app(), identify)
            .unwrap()
            .contains("OpenTelemetry")
    );
    let replaced =
        json!({"name": "app", "env": [{"name": "JAVA_TOOL_OPTIONS", "value": "-Xmx1g"}]});
    assert_eq!(foreign_agent(&otel, &replaced, identify), None);
    let metrics = config(
        json!({"Env": ["JAVA_OPTS=-javaagent:/opt/jmx_prometheus_javaagent.jar=9404:/c.yml"]}),
    );
    assert_eq!(foreign_agent(&metrics, &app(), identify), None);
    let jib = config(
        json!({"Entrypoint": ["java", "-javaagent:/app/dd-java-agent.jar", "-cp", "@/app/jib-classpath-file", "Main"]}),
    );
    assert!(
        foreign_agent(&jib, &app(), identify)
            .unwrap()
            .contains("Datadog")
    );
    let dynatrace = config(
        json!({"Env": ["LD_PRELOAD=/opt/dynatrace/oneagent/agent/lib64/liboneagentproc.so"]}),
    );
    assert!(
        foreign_agent(&dynatrace, &app(), identify)
            .unwrap()
            .contains("Dynatrace")
    );
    let buildpack = config(
        json!({"Labels": {"io.buildpacks.build.metadata": "{\"buildpacks\":[{\"id\":\"paketo-buildpacks/datadog\"}]}"}}),
    );
    assert!(
        foreign_agent(&buildpack, &app(), identify)
            .unwrap()
            .contains("Datadog")
    );
}

#[test]
fn java_versions_in_every_shape_images_write() {
    for (text, major) in [
        ("jdk-17.0.13+11", Some(17)),
        ("jdk8u502-b07", Some(8)),
        ("jdk-21.0.4+7_openj9-0.46.1", Some(21)),
        ("17.0.2", Some(17)),
        ("8u342", Some(8)),
        ("27", Some(27)),
        ("28-ea+11", Some(28)),
        ("21.0.12.1", Some(21)),
        ("1.8.0_392", Some(8)),
        ("latest", None),
        ("", None),
    ] {
        assert_eq!(java_major(text), major, "{text}");
    }
}
