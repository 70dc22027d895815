//! Launch profiles: the options variable each known JVM image's launch script reads, so
//! that only the server JVM gets the agent (not every JVM the container starts, as
//! `JAVA_TOOL_OPTIONS` would); and the commands of probes and hooks that start a JVM.
//! [`crate::decide::launch`] chooses from them.

use crate::knowledge::images;

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
    // Setting FLINK_ENV_JAVA_OPTS (or its _JM/_TM forms) makes config.sh skip env.java.opts.* and
    // env.java.default-opts.* from the Flink config (the --add-opens list Java 17 needs).
    profile("flink", None, "apache/flink: flink-dist/src/main/flink-bin/bin/config.sh (`if [ -z \"${FLINK_ENV_JAVA_OPTS}\" ]` reads the config's options only when the variable is unset)"),
    profile("keycloak", Some("JAVA_OPTS_APPEND"), "keycloak/keycloak: quarkus/dist/src/main/content/bin/kc.sh (JAVA_OPTS_APPEND appended; JAVA_OPTS would replace the defaults)"),
    profile("jenkins", Some("JAVA_OPTS"), "jenkinsci/docker: jenkins.sh and bitnami/containers: bitnami/jenkins/2/debian-12/rootfs/opt/bitnami/scripts/jenkins/run.sh (JAVA_OPTS before -jar jenkins.war)"),
    // ACTIVEMQ_OPTS set in the environment replaces the heap, logging and JAAS defaults.
    profile("activemq", None, "apache/activemq: assembly/src/release/bin/setenv (`if [ -z \"$ACTIVEMQ_OPTS\" ]` sets -Xms64M -Xmx1G and java.security.auth.login.config only when it is unset)"),
    profile("activemq-classic", None, "apache/activemq: assembly/src/release/bin/setenv (`if [ -z \"$ACTIVEMQ_OPTS\" ]` sets -Xms64M -Xmx1G and java.security.auth.login.config only when it is unset)"),
    // The image sets INSTALL4J_ADD_VM_PARAMS itself (heap, direct memory, prefs root): a
    // manifest value replaces it.
    profile("nexus3", None, "sonatype/docker-nexus3: Dockerfile (ENV INSTALL4J_ADD_VM_PARAMS=\"-Xms2703m -Xmx2703m -XX:MaxDirectMemorySize=2703m …\")"),
    profile("nexus", None, "sonatype/docker-nexus3: Dockerfile (ENV INSTALL4J_ADD_VM_PARAMS=\"-Xms2703m -Xmx2703m -XX:MaxDirectMemorySize=2703m …\")"),
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

/// Commands that start a JVM when a probe or hook runs them (first word, or a script name).
pub const JVM_COMMANDS: &[&str] = &[
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Scripts that read their defaults only when the variable is unset.
        for image in [
            "flink:1.20-java17",
            "apache/activemq-classic:6.1",
            "sonatype/nexus3:3.70.1",
        ] {
            assert!(profile_for(image).is_some(), "{image}");
            assert_eq!(var(image), None, "{image}");
        }
        assert!(profile_for("docker.io/bitnami/wildfly:37").is_some());
        assert!(profile_for("eclipse-temurin:21").is_none());
    }
}
