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
    /// The row holds for one role of the image only (a cluster's node type).
    pub role: Option<Role>,
    /// `JAVA_TOOL_OPTIONS` cannot serve: the launcher takes it out of the environment of
    /// the JVM that `options_env` reaches, or hands it to every JVM it starts. The
    /// variable is kept even where `envFrom` may set it.
    pub only_way_in: bool,
}

/// The role a container of one image plays, told by a variable the pod or the image
/// sets, or, when neither sets it, by the official tag whose image sets it.
#[derive(Debug)]
pub struct Role {
    pub var: &'static str,
    pub value: &'static str,
    /// The end of the official tags built with `var` set to `value`.
    pub tag_suffix: &'static str,
    /// Where the image sets it.
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
        role: None,
        only_way_in: false,
    }
}

/// SonarQube's launcher (`sonar-application`) starts one JVM per process and gives each
/// its own options; it removes `JAVA_TOOL_OPTIONS` from the web server's and the compute
/// engine's (`command.suppressEnvVariable(ENV_VAR_JAVA_TOOL_OPTIONS)`). A variable
/// `SONAR_X_Y` sets the property `sonar.x.y` (SonarSource/sonarqube:
/// sonar-core/src/main/java/org/sonar/core/util/SettingFormatter.java,
/// server/sonar-main/src/main/java/org/sonar/application/config/AppSettingsLoaderImpl.java).
const SONAR_WEB: Profile = Profile {
    only_way_in: true,
    ..profile(
        "sonarqube",
        Some("SONAR_WEB_JAVAADDITIONALOPTS"),
        "SonarSource/sonarqube: server/sonar-main/src/main/java/org/sonar/application/command/CommandFactoryImpl.java (sonar.web.javaAdditionalOpts, from SONAR_WEB_JAVAADDITIONALOPTS, reaches the web server JVM only, whose environment loses JAVA_TOOL_OPTIONS)",
    )
};

/// A Data Center search node runs Elasticsearch alone, no web server. `JAVA_TOOL_OPTIONS`
/// would reach the launcher's own JVM and Elasticsearch's command-line launcher too (or
/// be removed, as older launchers did).
const SONAR_SEARCH: Profile = Profile {
    only_way_in: true,
    role: Some(Role {
        var: "SONAR_CLUSTER_NODE_TYPE",
        value: "search",
        tag_suffix: "datacenter-search",
        source: "SonarSource/docker-sonarqube: commercial-editions/datacenter/search/Dockerfile (ENV SONAR_CLUSTER_NODE_TYPE=\"search\"; the official tags `*-datacenter-search`)",
    }),
    ..profile(
        "sonarqube",
        Some("SONAR_SEARCH_JAVAADDITIONALOPTS"),
        "SonarSource/sonarqube: server/sonar-main/src/main/java/org/sonar/application/config/ClusterSettings.java (a search node starts Elasticsearch only) and command/CommandFactoryImpl.java (sonar.search.javaAdditionalOpts, from SONAR_SEARCH_JAVAADDITIONALOPTS, goes into Elasticsearch's JVM options)",
    )
};

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
    // The image sets INSTALL4J_ADD_VM_PARAMS itself (the prefs root; before sonatype/docker-nexus3
    // 0ed1497, 2025-11, also -Xms2703m -Xmx2703m -XX:MaxDirectMemorySize=2703m): a manifest
    // value replaces it.
    profile("nexus3", None, "sonatype/docker-nexus3: Dockerfile (ENV INSTALL4J_ADD_VM_PARAMS=\"-Djava.util.prefs.userRoot=${NEXUS_DATA}/javaprefs\")"),
    profile("nexus", None, "sonatype/docker-nexus3: Dockerfile (ENV INSTALL4J_ADD_VM_PARAMS=\"-Djava.util.prefs.userRoot=${NEXUS_DATA}/javaprefs\")"),
    // The Java ecosystem of in-house microservice systems. Each script appends to the
    // variable the environment gives (`JAVA_OPT="${JAVA_OPT} …"`).
    profile("nacos-server", Some("JAVA_OPT"), "nacos-group/nacos-docker: build/bin/docker-startup.sh (JAVA_OPT=\"${JAVA_OPT} -server $Xms $Xmx $Xmn …\", exec $JAVA ${JAVA_OPT})"),
    // seata-setup.sh reads the Java version from the first line `java -version` prints,
    // which JAVA_TOOL_OPTIONS turns into "Picked up JAVA_TOOL_OPTIONS: …": the script then
    // adds Java 8's GC flags, and a Java 17 image (`*.jre17`) does not start.
    // The images before 2.1 (seataio/seata-server): 1.5 to 1.7.0 ran no script (Jib's entry
    // point), so JAVA_OPT would not reach them.
    profile("seataio/seata-server", None, "apache/incubator-seata: server/pom.xml (v1.5.0 to v1.7.0: Jib <jvmFlags> and <mainClass>, no launch script)"),
    // 2.1 on (apache/seata-server, and mirrors under any name).
    profile("seata-server", Some("JAVA_OPT"), "apache/incubator-seata: server/src/main/resources/docker/seata-server-entrypoint.sh (. /seata-setup.sh; exec java $JAVA_OPT) and distribution/bin/seata-setup.sh (JAVA_OPT=\"${JAVA_OPT} …\"; the version from `$JAVACMD -version 2>&1 | sed '1!d'`)"),
    profile("rocketmq", Some("JAVA_OPT"), "apache/rocketmq-docker: image-build/scripts/runserver-customize.sh and runbroker-customize.sh (JAVA_OPT=\"${JAVA_OPT} -server ${HEAP_OPTS}\", $JAVA ${JAVA_OPT} $@)"),
    profile("apollo-configservice", Some("JAVA_OPTS"), "apolloconfig/apollo: apollo-configservice/src/main/scripts/startup.sh (export JAVA_OPTS=\"$JAVA_OPTS …\", exec $javaexe … $JAVA_OPTS -jar $PATH_TO_JAR)"),
    profile("apollo-adminservice", Some("JAVA_OPTS"), "apolloconfig/apollo: apollo-adminservice/src/main/scripts/startup.sh (export JAVA_OPTS=\"$JAVA_OPTS …\", exec $javaexe … $JAVA_OPTS -jar $PATH_TO_JAR)"),
    profile("apollo-portal", Some("JAVA_OPTS"), "apolloconfig/apollo: apollo-portal/src/main/scripts/startup.sh (export JAVA_OPTS=\"$JAVA_OPTS …\", exec $javaexe … $JAVA_OPTS -jar $PATH_TO_JAR)"),
    profile("xxl-job-admin", Some("JAVA_OPTS"), "xuxueli/xxl-job: xxl-job-admin/Dockerfile (ENTRYPOINT [\"sh\",\"-c\",\"java -jar $JAVA_OPTS /app.jar $PARAMS\"]: the image sets no JAVA_OPTS)"),
    SONAR_SEARCH,
    SONAR_WEB,
    // Setting JAVA_OPTS here replaces the server's defaults (heap, jboss.modules.system.pkgs).
    profile("wildfly", None, "wildfly/wildfly-core: core-feature-pack/common/src/main/resources/content/bin/standalone.conf (JAVA_OPTS set in the environment overrides the defaults)"),
    profile("jboss/*", None, "wildfly/wildfly-core: core-feature-pack/common/src/main/resources/content/bin/standalone.conf (JAVA_OPTS set in the environment overrides the defaults)"),
];

/// The launch profile of an image, if the table knows one; `env` answers what the pod, or
/// the image, sets a variable to (a row for one role of the image holds when it says
/// so, or, when it says nothing, for the role's official tags).
pub fn profile_for<'e>(
    image: &str,
    env: impl Fn(&str) -> Option<&'e str>,
) -> Option<&'static Profile> {
    let repository = images::repository(image);
    PROFILES.iter().find(|p| {
        images::matches(p.pattern, repository)
            && p.role.as_ref().is_none_or(|role| match env(role.var) {
                Some(value) => value.trim() == role.value,
                None => images::tag(image).ends_with(role.tag_suffix),
            })
    })
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
        let var = |image| profile_for(image, |_| None).and_then(|p| p.options_env);
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
            assert!(profile_for(image, |_| None).is_some(), "{image}");
            assert_eq!(var(image), None, "{image}");
        }
        assert!(profile_for("docker.io/bitnami/wildfly:37", |_| None).is_some());
        // The microservice ecosystem's servers read their own variable.
        assert_eq!(var("nacos/nacos-server:v3.0.1"), Some("JAVA_OPT"));
        assert_eq!(var("apache/seata-server:2.2.0.jre17"), Some("JAVA_OPT"));
        assert_eq!(
            var("harbor.example/middleware/seata-server:2.2.0.jre17"),
            Some("JAVA_OPT")
        );
        assert_eq!(var("seataio/seata-server:1.6.1"), None);
        assert_eq!(var("apache/rocketmq:5.3.2"), Some("JAVA_OPT"));
        assert_eq!(var("apolloconfig/apollo-portal:2.5.2"), Some("JAVA_OPTS"));
        assert_eq!(var("xuxueli/xxl-job-admin:2.4.0"), Some("JAVA_OPTS"));
        assert!(profile_for("eclipse-temurin:21", |_| None).is_none());
    }

    #[test]
    fn a_sonarqube_search_node_gets_the_search_variable() {
        let var = |image, node_type: Option<&'static str>| {
            profile_for(image, |v| {
                node_type.filter(|_| v == "SONAR_CLUSTER_NODE_TYPE")
            })
            .and_then(|p| p.options_env)
        };
        let (search, web) = (
            Some("SONAR_SEARCH_JAVAADDITIONALOPTS"),
            Some("SONAR_WEB_JAVAADDITIONALOPTS"),
        );
        assert_eq!(var("sonarqube:2026.4.0-datacenter-search", None), search);
        assert_eq!(var("sonarqube:2026.4.0-datacenter-app", None), web);
        assert_eq!(var("sonarqube:25.1.0-community", None), web);
        // What the pod (or the image's config) sets decides over the tag.
        assert_eq!(
            var("sonarqube:2026.4.0-datacenter-app", Some("search")),
            search
        );
        assert_eq!(
            var("sonarqube:2026.4.0-datacenter-search", Some("application")),
            web
        );
        assert_eq!(
            var("mirror.example/sonarqube:lts", Some(" search ")),
            search
        );
        // The role belongs to SonarQube's images only.
        assert_eq!(
            var("tomcat:11-datacenter-search", Some("search")),
            Some("CATALINA_OPTS")
        );
    }
}
