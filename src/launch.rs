//! Launch profiles: the options variable each known JVM image's launch script reads, so
//! that only the server JVM gets the agent (not every JVM the container starts, as
//! `JAVA_TOOL_OPTIONS` would); and the commands of probes and hooks that start a JVM.

use crate::config::Settings;
use crate::images;
use serde_json::Value;

/// The JVM-wide variable every HotSpot/OpenJ9 JVM reads by itself.
pub const JVM_WIDE: &str = "JAVA_TOOL_OPTIONS";

/// One image family and the variable its launch script passes to the server JVM.
#[derive(Debug)]
pub struct Profile {
    /// An [`images::Family`] pattern.
    pub pattern: &'static str,
    /// `None`: the script reads no variable that is safe to set (it replaces defaults),
    /// so `JAVA_TOOL_OPTIONS` stays.
    pub options_env: Option<&'static str>,
    /// The file (repository: path) whose script reads it, and how.
    pub source: &'static str,
}

const fn profile(
    pattern: &'static str,
    options_env: Option<&'static str>,
    source: &'static str,
) -> Profile {
    Profile {
        pattern,
        options_env,
        source,
    }
}

#[rustfmt::skip]
pub const PROFILES: &[Profile] = &[
    profile("tomcat", Some("CATALINA_OPTS"), "apache/tomcat: bin/catalina.sh (CATALINA_OPTS: used by start, stop and run only)"),
    profile("tomee", Some("CATALINA_OPTS"), "apache/tomee: tomee/apache-tomee/src/main/resources/bin/catalina.sh"),
    profile("kafka", Some("KAFKA_OPTS"), "apache/kafka: bin/kafka-run-class.sh (KAFKA_OPTS: generic JVM settings)"),
    profile("cassandra", Some("JVM_EXTRA_OPTS"), "apache/cassandra: conf/cassandra-env.sh (JVM_OPTS=\"$JVM_OPTS $JVM_EXTRA_OPTS\"; nodetool does not source it)"),
    profile("zookeeper", Some("SERVER_JVMFLAGS"), "apache/zookeeper: bin/zkServer.sh (SERVER_JVMFLAGS: the server only, not zkCli)"),
    profile("elasticsearch", Some("ES_JAVA_OPTS"), "elastic/elasticsearch: distribution/src/bin/elasticsearch (ES_JAVA_OPTS)"),
    profile("opensearch", Some("OPENSEARCH_JAVA_OPTS"), "opensearch-project/OpenSearch: distribution/src/bin/opensearch (OPENSEARCH_JAVA_OPTS)"),
    profile("solr", Some("SOLR_OPTS"), "apache/solr: solr/bin/solr (SOLR_OPTS appended to the server's start options)"),
    profile("logstash", Some("LS_JAVA_OPTS"), "elastic/logstash: bin/logstash.lib.sh (LS_JAVA_OPTS)"),
    profile("spark", Some("SPARK_DAEMON_JAVA_OPTS"), "apache/spark: launcher/src/main/java/org/apache/spark/launcher/SparkClassCommandBuilder.java (Master and Worker read SPARK_DAEMON_JAVA_OPTS)"),
    profile("flink", Some("FLINK_ENV_JAVA_OPTS"), "apache/flink: flink-dist/src/main/flink-bin/bin/config.sh (FLINK_ENV_JAVA_OPTS)"),
    profile("keycloak", Some("JAVA_OPTS_APPEND"), "keycloak/keycloak: quarkus/dist/src/main/content/bin/kc.sh (JAVA_OPTS_APPEND appended; JAVA_OPTS would replace the defaults)"),
    profile("jenkins", Some("JAVA_OPTS"), "jenkinsci/docker: jenkins.sh and bitnami/containers: bitnami/jenkins/2/debian-12/rootfs/opt/bitnami/scripts/jenkins/run.sh (JAVA_OPTS before -jar jenkins.war)"),
    profile("activemq", Some("ACTIVEMQ_OPTS"), "apache/activemq: assembly/src/release/bin/activemq (ACTIVEMQ_OPTS)"),
    profile("activemq-classic", Some("ACTIVEMQ_OPTS"), "apache/activemq: assembly/src/release/bin/activemq (ACTIVEMQ_OPTS)"),
    profile("nexus3", Some("INSTALL4J_ADD_VM_PARAMS"), "sonatype/docker-nexus3: Dockerfile (INSTALL4J_ADD_VM_PARAMS)"),
    profile("nexus", Some("INSTALL4J_ADD_VM_PARAMS"), "sonatype/docker-nexus3: Dockerfile (INSTALL4J_ADD_VM_PARAMS)"),
    profile("sonarqube", Some("SONAR_WEB_JAVAADDITIONALOPTS"), "SonarSource/sonarqube: sonar-application/src/main/assembly/conf/sonar.properties (sonar.web.javaAdditionalOpts, read from SONAR_WEB_JAVAADDITIONALOPTS: the web server JVM only, not its Elasticsearch)"),
    // Setting JAVA_OPTS here replaces the server's defaults (heap, jboss.modules.system.pkgs).
    profile("wildfly", None, "wildfly/wildfly-core: core-feature-pack/common/src/main/resources/content/bin/standalone.conf (JAVA_OPTS set in the environment overrides the defaults)"),
    profile("jboss/*", None, "wildfly/wildfly-core: core-feature-pack/common/src/main/resources/content/bin/standalone.conf (JAVA_OPTS set in the environment overrides the defaults)"),
];

/// The launch profile of an image, if the table knows one.
pub fn profile_for(image: &str) -> Option<&'static Profile> {
    let repository = images::repository(image);
    PROFILES
        .iter()
        .find(|p| images::matches(p.pattern, repository))
}

/// The variable the JVM options of one container go in, and why: the config's
/// `agent.optionsEnv` when set, else the image's launch profile, else `JAVA_TOOL_OPTIONS`.
pub fn options_env(container: &Value, settings: &Settings) -> (String, String) {
    if settings.options_env_explicit {
        return (
            settings.options_env.clone(),
            settings.field("agent.optionsEnv"),
        );
    }
    let image = container
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let from_env_from = |var: &str| {
        let in_env = container
            .get("env")
            .and_then(Value::as_array)
            .is_some_and(|env| {
                env.iter()
                    .any(|e| e.get("name").and_then(Value::as_str) == Some(var))
            });
        let env_from = container
            .get("envFrom")
            .and_then(Value::as_array)
            .is_some_and(|l| !l.is_empty());
        env_from && !in_env
    };
    match profile_for(image) {
        // The chart may set the image's own variable through envFrom (Keycloak's chart
        // puts JAVA_OPTS_APPEND in a ConfigMap): setting it in env would replace that.
        Some(profile) if profile.options_env.is_some_and(from_env_from) => (
            settings.options_env.clone(),
            format!(
                "the default, as envFrom may set {} ({})",
                profile.options_env.unwrap_or_default(),
                short(profile.source)
            ),
        ),
        Some(profile) => match profile.options_env {
            Some(var) => (
                var.to_string(),
                format!("launch profile {}", short(profile.source)),
            ),
            None => (
                settings.options_env.clone(),
                format!("the default ({})", short(profile.source)),
            ),
        },
        None => (settings.options_env.clone(), "the default".into()),
    }
}

/// A source citation without its parenthetical note.
fn short(source: &str) -> &str {
    source.split(" (").next().unwrap_or(source)
}

/// Commands that start a JVM when a probe or hook runs them (first word, or a script name).
const JVM_COMMANDS: &[&str] = &[
    "java",
    "nodetool",
    "jcmd",
    "jps",
    "jstack",
    "jstat",
    "keytool",
    "zkCli.sh",
    "zkServer.sh",
    "kafka-topics.sh",
    "kafka-broker-api-versions.sh",
    "kafka-configs.sh",
    "elasticsearch-cli",
    "cassandra-stress",
    "sstablemetadata",
    "jboss-cli.sh",
    "kcadm.sh",
];

/// The exec probes and lifecycle hooks of a container that start a JVM, as
/// `readinessProbe (nodetool)`.
pub fn jvm_probes(container: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let places = [
        ("livenessProbe", vec!["livenessProbe", "exec", "command"]),
        ("readinessProbe", vec!["readinessProbe", "exec", "command"]),
        ("startupProbe", vec!["startupProbe", "exec", "command"]),
        (
            "lifecycle.postStart",
            vec!["lifecycle", "postStart", "exec", "command"],
        ),
        (
            "lifecycle.preStop",
            vec!["lifecycle", "preStop", "exec", "command"],
        ),
    ];
    for (label, path) in places {
        let mut node = container;
        let mut ok = true;
        for key in &path {
            match node.get(*key) {
                Some(next) => node = next,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let words: Vec<&str> = node
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .flat_map(str::split_whitespace)
            .collect();
        if let Some(tool) = words.iter().find_map(|w| {
            let base = w.rsplit('/').next().unwrap_or(w);
            JVM_COMMANDS.iter().find(|c| **c == base)
        }) {
            found.push(format!("{label} ({tool})"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn profiles_follow_the_image_family() {
        let var = |image| profile_for(image).and_then(|p| p.options_env);
        assert_eq!(var("docker.io/bitnami/tomcat:11"), Some("CATALINA_OPTS"));
        assert_eq!(var("cassandra:5"), Some("JVM_EXTRA_OPTS"));
        assert_eq!(
            var("quay.io/keycloak/keycloak:26"),
            Some("JAVA_OPTS_APPEND")
        );
        assert_eq!(var("docker.io/bitnami/wildfly:37"), None);
        assert!(profile_for("docker.io/bitnami/wildfly:37").is_some());
        assert!(profile_for("eclipse-temurin:21").is_none());
    }

    #[test]
    fn probes_that_start_a_jvm_are_named() {
        let container = json!({
            "readinessProbe": {"exec": {"command": ["/bin/bash", "-ec", "nodetool status | grep -E \"^UN\""]}},
            "livenessProbe": {"exec": {"command": ["/opt/bitnami/cassandra/bin/nodetool", "info"]}},
            "startupProbe": {"httpGet": {"path": "/"}},
            "lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "echo bye"]}}}
        });
        assert_eq!(
            jvm_probes(&container),
            vec!["livenessProbe (nodetool)", "readinessProbe (nodetool)"]
        );
    }
}
