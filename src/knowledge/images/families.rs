//! The table of image repository families: which images run a JVM and which do not,
//! and what part they play in a pod. Each row names the public file its runtime was read
//! from.

/// What runs in a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Runtime {
    Java,
    NotJava,
    Unknown,
}

impl Runtime {
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Java => "java",
            Runtime::NotJava => "not-java",
            Runtime::Unknown => "unknown",
        }
    }

    pub fn from_name(name: &str) -> Option<Runtime> {
        [Runtime::Java, Runtime::NotJava, Runtime::Unknown]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// The part a container plays in its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The workload's own service.
    Application,
    /// A JVM server a chart brings along (Kafka, ZooKeeper, Cassandra, Elasticsearch…).
    DataServer,
    /// Metrics exporters and tools that run beside the application: never a target.
    Tooling,
    /// Proxies, config reloaders, log shippers, file syncers: never a target.
    Sidecar,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Application => "application",
            Role::DataServer => "data-server",
            Role::Tooling => "tooling",
            Role::Sidecar => "sidecar",
        }
    }
}

/// One family of images.
#[derive(Debug)]
pub struct Family {
    /// `name` (the last path segment), `org/name` (the path ends so), `org/*` (any image
    /// of that organisation), `*-suffix` or `prefix-*` (on the last segment).
    pub pattern: &'static str,
    pub runtime: Runtime,
    pub role: Role,
    pub what: &'static str,
    /// The public file the runtime was read from (repository: path).
    pub source: &'static str,
}

pub(super) const fn row(
    pattern: &'static str,
    runtime: Runtime,
    role: Role,
    what: &'static str,
    source: &'static str,
) -> Family {
    Family {
        pattern,
        runtime,
        role,
        what,
        source,
    }
}

use Role::{Application as App, DataServer as Data, Sidecar, Tooling};
use Runtime::{Java, NotJava};

/// First match wins: specific rows come before the generic ones (`jmx-exporter` before
/// `*-exporter`).
#[rustfmt::skip]
pub const FAMILIES: &[Family] = &[
    // ---- JVM tooling beside the application (never a target) --------------------------
    row("jmx-exporter", Java, Tooling, "Prometheus JMX exporter", "bitnami/containers: bitnami/jmx-exporter/1/debian-12/Dockerfile"),
    row("jmx_exporter", Java, Tooling, "Prometheus JMX exporter", "prometheus/jmx_exporter: docker/Dockerfile"),
    row("cassandra-exporter", Java, Tooling, "Cassandra exporter", "criteo/cassandra_exporter: docker/Dockerfile"),
    row("cassandra_exporter", Java, Tooling, "Cassandra exporter", "criteo/cassandra_exporter: docker/Dockerfile"),
    row("solr-exporter", Java, Tooling, "Solr Prometheus exporter", "apache/solr: solr/prometheus-exporter/bin/solr-exporter"),
    // ---- JVM servers that charts bring along ----------------------------------------
    row("kafka", Java, Data, "Apache Kafka", "apache/kafka: bin/kafka-run-class.sh"),
    row("cp-kafka", Java, Data, "Confluent Kafka", "confluentinc/kafka-images: kafka/Dockerfile.ubi8"),
    row("cp-zookeeper", Java, Data, "Confluent ZooKeeper", "confluentinc/kafka-images: zookeeper/Dockerfile.ubi8"),
    row("zookeeper", Java, Data, "Apache ZooKeeper", "apache/zookeeper: bin/zkServer.sh"),
    row("cassandra", Java, Data, "Apache Cassandra", "apache/cassandra: conf/cassandra-env.sh"),
    row("elasticsearch", Java, Data, "Elasticsearch", "elastic/elasticsearch: distribution/src/bin/elasticsearch"),
    row("opensearch", Java, Data, "OpenSearch", "opensearch-project/OpenSearch: distribution/src/bin/opensearch"),
    row("solr", Java, Data, "Apache Solr", "apache/solr: solr/bin/solr"),
    row("logstash", Java, Data, "Logstash", "elastic/logstash: bin/logstash.lib.sh"),
    row("spark", Java, Data, "Apache Spark", "apache/spark: launcher/src/main/java/org/apache/spark/launcher/SparkClassCommandBuilder.java"),
    row("flink", Java, Data, "Apache Flink", "apache/flink: flink-dist/src/main/flink-bin/bin/config.sh"),
    row("neo4j", Java, Data, "Neo4j", "neo4j/docker-neo4j-publish: 5/community/ubi9/local-package/docker-entrypoint.sh"),
    row("activemq", Java, Data, "Apache ActiveMQ", "apache/activemq: assembly/src/release/bin/activemq"),
    row("activemq-classic", Java, Data, "Apache ActiveMQ", "apache/activemq: assembly/src/release/bin/activemq"),
    row("activemq-artemis", Java, Data, "ActiveMQ Artemis", "apache/activemq-artemis: artemis-docker/Dockerfile-ubuntu-21"),
    row("trino", Java, Data, "Trino", "trinodb/trino: core/docker/bin/run-trino"),
    row("hadoop", Java, Data, "Apache Hadoop", "apache/hadoop: hadoop-common-project/hadoop-common/src/main/bin/hadoop"),
    row("hive", Java, Data, "Apache Hive", "apache/hive: packaging/src/docker/entrypoint.sh"),
    row("nifi", Java, Data, "Apache NiFi", "apache/nifi: nifi-docker/dockerhub/sh/start.sh"),
    row("pulsar", Java, Data, "Apache Pulsar", "apache/pulsar: bin/pulsar"),
    row("hazelcast", Java, Data, "Hazelcast", "hazelcast/hazelcast-docker: hazelcast-oss/Dockerfile"),
    row("ignite", Java, Data, "Apache Ignite", "apache/ignite: deliveries/docker/apache-ignite/x86_64/run.sh"),
    row("druid", Java, Data, "Apache Druid", "apache/druid: distribution/docker/druid.sh"),
    row("pinot", Java, Data, "Apache Pinot", "apache/pinot: docker/images/pinot/Dockerfile"),
    row("nacos-server", Java, Data, "Nacos", "nacos-group/nacos-docker: build/Dockerfile (ENTRYPOINT [\"bash\", \"bin/docker-startup.sh\"]) and build/bin/docker-startup.sh (exec $JAVA ${JAVA_OPT})"),
    row("seata-server", Java, Data, "Apache Seata server", "apache/incubator-seata: server/src/main/resources/docker/seata-server-entrypoint.sh (exec java $JAVA_OPT)"),
    row("rocketmq", Java, Data, "Apache RocketMQ", "apache/rocketmq-docker: image-build/Dockerfile-ubuntu (FROM eclipse-temurin:8-jdk; mqnamesrv and mqbroker)"),
    row("skywalking-oap-server", Java, Data, "Apache SkyWalking OAP", "apache/skywalking: docker/oap/docker-entrypoint.sh (exec java ${JAVA_OPTS})"),
    row("strimzi/kafka", Java, Data, "Strimzi Kafka", "strimzi/strimzi-kafka-operator: docker-images/kafka-based/kafka/Dockerfile"),
    // ---- JVM application servers and applications -----------------------------------
    row("tomcat", Java, App, "Apache Tomcat", "apache/tomcat: bin/catalina.sh"),
    row("tomee", Java, App, "Apache TomEE", "tomitribe/docker-tomee: TomEE-9.1-jre17/plus/Dockerfile"),
    row("jetty", Java, App, "Eclipse Jetty", "eclipse/jetty.docker: eclipse-temurin/12.0/jdk21/docker-entrypoint.sh"),
    row("wildfly", Java, App, "WildFly", "wildfly/wildfly-core: core-feature-pack/common/src/main/resources/content/bin/standalone.conf"),
    row("jboss/*", Java, App, "JBoss / WildFly", "jboss-dockerfiles/wildfly: Dockerfile"),
    row("payara/*", Java, App, "Payara", "payara/docker-payaraserver-full: src/main/docker/bin/startInForeground.sh"),
    row("open-liberty", Java, App, "Open Liberty", "OpenLiberty/ci.docker: releases/latest/kernel-slim/Dockerfile.ubi.openjdk17"),
    row("websphere-liberty", Java, App, "WebSphere Liberty", "WASdev/ci.docker: ga/latest/kernel/Dockerfile.ubi.openjdk17"),
    row("keycloak", Java, App, "Keycloak", "keycloak/keycloak: quarkus/dist/src/main/content/bin/kc.sh"),
    row("jenkins", Java, App, "Jenkins", "jenkinsci/docker: jenkins.sh"),
    row("apollo-configservice", Java, App, "Apollo config service", "apolloconfig/apollo: apollo-configservice/src/main/docker/Dockerfile (FROM eclipse-temurin:17-jre-jammy; scripts/startup.sh)"),
    row("apollo-adminservice", Java, App, "Apollo admin service", "apolloconfig/apollo: apollo-adminservice/src/main/docker/Dockerfile (FROM eclipse-temurin:17-jre-jammy; scripts/startup.sh)"),
    row("apollo-portal", Java, App, "Apollo portal", "apolloconfig/apollo: apollo-portal/src/main/docker/Dockerfile (FROM eclipse-temurin:17-jre-jammy; scripts/startup.sh)"),
    row("xxl-job-admin", Java, App, "XXL-JOB admin", "xuxueli/xxl-job: xxl-job-admin/Dockerfile (ENTRYPOINT [\"sh\",\"-c\",\"java -jar $JAVA_OPTS /app.jar $PARAMS\"])"),
    row("sonarqube", Java, App, "SonarQube", "SonarSource/docker-sonarqube: commercial-editions/developer/Dockerfile"),
    row("nexus3", Java, App, "Sonatype Nexus", "sonatype/docker-nexus3: Dockerfile"),
    row("nexus", Java, App, "Sonatype Nexus", "sonatype/docker-nexus3: Dockerfile"),
    row("jasperreports", Java, App, "JasperReports Server", "bitnami/containers: bitnami/jasperreports/8/debian-12/Dockerfile"),
    row("metabase", Java, App, "Metabase (Clojure)", "metabase/metabase: bin/docker/run_metabase.sh"),
    row("graylog", Java, App, "Graylog", "Graylog2/graylog-docker: docker-entrypoint.sh"),
    row("camunda-bpm-platform", Java, App, "Camunda", "camunda/docker-camunda-bpm-platform: camunda-run.sh"),
    row("cp-schema-registry", Java, App, "Confluent Schema Registry", "confluentinc/schema-registry-images: schema-registry/Dockerfile.ubi8"),
    row("schema-registry", Java, App, "Schema Registry", "bitnami/containers: bitnami/schema-registry/7.9/debian-12/Dockerfile"),
    row("dremio", Java, Data, "Dremio", "bitnami/containers: bitnami/dremio/26/debian-12/Dockerfile"),
    row("janusgraph", Java, Data, "JanusGraph", "bitnami/containers: bitnami/janusgraph/1/debian-12/Dockerfile"),
    row("zipkin", Java, App, "Zipkin", "openzipkin/zipkin: docker/Dockerfile"),
    row("nessie", Java, App, "Project Nessie (Quarkus)", "bitnami/containers: bitnami/nessie/0/debian-12/Dockerfile"),
    row("wiremock", Java, App, "WireMock", "bitnami/containers: bitnami/wiremock/3/debian-12/Dockerfile"),
    row("ejbca", Java, App, "EJBCA (WildFly)", "bitnami/containers: bitnami/ejbca/9/debian-12/Dockerfile"),
    row("keycloak-config-cli", Java, App, "keycloak-config-cli", "adorsys/keycloak-config-cli: Dockerfile"),
    row("spring-cloud-dataflow", Java, App, "Spring Cloud Data Flow", "bitnami/containers: bitnami/spring-cloud-dataflow/2/debian-12/Dockerfile"),
    row("inbound-agent", Java, App, "Jenkins inbound agent (remoting)", "jenkinsci/docker-agent: debian/Dockerfile"),
    row("distroless/java*", Java, App, "distroless Java", "GoogleContainerTools/distroless: java/README.md"),
    row("strimzi/operator", Java, App, "Strimzi operator", "strimzi/strimzi-kafka-operator: docker-images/operator/Dockerfile"),
    row("cp-*", Java, App, "a Confluent Platform service", "confluentinc/common-docker: base-java/Dockerfile.ubi8"),
    row("kafka-ui", Java, App, "Kafka UI (Spring Boot)", "kafbat/kafka-ui: api/Dockerfile"),
    row("akhq", Java, App, "AKHQ (Micronaut)", "tchiotludo/akhq: Dockerfile"),
    row("debezium/*", Java, App, "Debezium", "debezium/container-images: connect-base/3.0/Dockerfile"),
    row("apicurio/*", Java, App, "Apicurio Registry", "Apicurio/apicurio-registry: distro/docker/src/main/docker/Dockerfile.jvm"),
    row("eclipse-temurin", Java, App, "Eclipse Temurin JDK", "adoptium/containers: 21/jre/ubuntu/noble/Dockerfile"),
    row("openjdk", Java, App, "OpenJDK", "docker-library/openjdk: 22/jdk/bookworm/Dockerfile"),
    row("amazoncorretto", Java, App, "Amazon Corretto", "corretto/corretto-docker: 21/jdk/al2023/Dockerfile"),
    row("zulu-openjdk", Java, App, "Azul Zulu", "zulu-openjdk/zulu-openjdk: ubuntu/21-latest/Dockerfile"),
    row("azul/*", Java, App, "Azul Zulu", "zulu-openjdk/zulu-openjdk: ubuntu/21-latest/Dockerfile"),
    row("ibm-semeru-runtimes", Java, App, "IBM Semeru", "ibmruntimes/semeru-containers: 21/jre/ubuntu/noble/Dockerfile.open.releases.full"),
    row("ibmjava", Java, App, "IBM Java", "ibmruntimes/ci.docker: ibmjava/8/jre/ubuntu/Dockerfile"),
    row("sapmachine", Java, App, "SapMachine", "SAP/SapMachine-infrastructure: dockerfiles/21/ubuntu/jre/Dockerfile"),
    row("java", Java, App, "a Java runtime image", "bitnami/containers: bitnami/java/21/debian-12/Dockerfile"),
    row("microservices-demo/adservice", Java, App, "Online Boutique adservice", "GoogleCloudPlatform/microservices-demo: src/adservice/Dockerfile"),
    // ---- Sidecars, proxies, reloaders, syncers (not JVMs) ------------------------------
    row("k8s-sidecar", NotJava, Sidecar, "k8s-sidecar (Python)", "kiwigrid/k8s-sidecar: Dockerfile"),
    row("configmap-reload", NotJava, Sidecar, "configmap-reload (Go)", "jimmidyson/configmap-reload: Dockerfile"),
    row("prometheus-config-reloader", NotJava, Sidecar, "config reloader (Go)", "prometheus-operator/prometheus-operator: cmd/prometheus-config-reloader/Dockerfile"),
    row("git-sync", NotJava, Sidecar, "git-sync (Go)", "kubernetes/git-sync: Dockerfile"),
    row("git", NotJava, Sidecar, "git", "bitnami/containers: bitnami/git/2/debian-12/Dockerfile"),
    row("pause", NotJava, Sidecar, "pause container", "kubernetes/kubernetes: build/pause/Dockerfile"),
    row("envoy", NotJava, Sidecar, "Envoy proxy (C++)", "envoyproxy/envoy: ci/Dockerfile-envoy"),
    row("proxyv2", NotJava, Sidecar, "Istio proxy", "istio/istio: pilot/docker/Dockerfile.proxyv2"),
    row("proxy-init", NotJava, Sidecar, "Linkerd init", "linkerd/linkerd2-proxy-init: Dockerfile"),
    row("linkerd/*", NotJava, Sidecar, "Linkerd", "linkerd/linkerd2: Dockerfile-proxy"),
    row("fluent-bit", NotJava, Sidecar, "Fluent Bit (C)", "fluent/fluent-bit: dockerfiles/Dockerfile"),
    row("fluentd", NotJava, Sidecar, "Fluentd (Ruby)", "fluent/fluentd-docker-image: v1.16/debian/Dockerfile"),
    row("oauth2-proxy", NotJava, Sidecar, "oauth2-proxy (Go)", "oauth2-proxy/oauth2-proxy: Dockerfile"),
    row("kube-rbac-proxy", NotJava, Sidecar, "kube-rbac-proxy (Go)", "brancz/kube-rbac-proxy: Dockerfile"),
    row("cloud-sql-proxy", NotJava, Sidecar, "Cloud SQL proxy (Go)", "GoogleCloudPlatform/cloud-sql-proxy: Dockerfile"),
    row("vault", NotJava, Sidecar, "Vault (Go)", "hashicorp/docker-vault: 0.X/Dockerfile"),
    row("*-exporter", NotJava, Tooling, "a Prometheus exporter (Go)", "prometheus/node_exporter: Dockerfile"),
    row("*_exporter", NotJava, Tooling, "a Prometheus exporter (Go)", "prometheus/mysqld_exporter: Dockerfile"),
    // ---- Well-known services that are not JVMs --------------------------------------
    row("postgres", NotJava, App, "PostgreSQL", "docker-library/postgres: 17/bookworm/Dockerfile"),
    row("postgresql", NotJava, App, "PostgreSQL", "bitnami/containers: bitnami/postgresql/17/debian-12/Dockerfile"),
    row("postgresql-repmgr", NotJava, App, "PostgreSQL", "bitnami/containers: bitnami/postgresql-repmgr/17/debian-12/Dockerfile"),
    row("pgpool", NotJava, App, "Pgpool-II", "bitnami/containers: bitnami/pgpool/4/debian-12/Dockerfile"),
    row("mysql", NotJava, App, "MySQL", "docker-library/mysql: 8.4/Dockerfile.oracle"),
    row("mariadb", NotJava, App, "MariaDB", "MariaDB/mariadb-docker: 11.4/Dockerfile"),
    row("mariadb-galera", NotJava, App, "MariaDB Galera", "bitnami/containers: bitnami/mariadb-galera/11.4/debian-12/Dockerfile"),
    row("redis", NotJava, App, "Redis", "docker-library/redis: 7.4/debian/Dockerfile"),
    row("redis-cluster", NotJava, App, "Redis", "bitnami/containers: bitnami/redis-cluster/8.0/debian-12/Dockerfile"),
    row("redis-sentinel", NotJava, App, "Redis Sentinel", "bitnami/containers: bitnami/redis-sentinel/8.0/debian-12/Dockerfile"),
    row("valkey", NotJava, App, "Valkey", "valkey-io/valkey-container: 8.1/debian/Dockerfile"),
    row("valkey-cluster", NotJava, App, "Valkey", "bitnami/containers: bitnami/valkey-cluster/8.1/debian-12/Dockerfile"),
    row("valkey-sentinel", NotJava, App, "Valkey Sentinel", "bitnami/containers: bitnami/valkey-sentinel/8.1/debian-12/Dockerfile"),
    row("mongo", NotJava, App, "MongoDB", "docker-library/mongo: 8.0/Dockerfile"),
    row("mongodb", NotJava, App, "MongoDB", "bitnami/containers: bitnami/mongodb/8.0/debian-12/Dockerfile"),
    row("mongodb-sharded", NotJava, App, "MongoDB", "bitnami/containers: bitnami/mongodb-sharded/8.0/debian-12/Dockerfile"),
    row("rabbitmq", NotJava, App, "RabbitMQ (Erlang)", "docker-library/rabbitmq: 4.1/ubuntu/Dockerfile"),
    row("couchdb", NotJava, App, "CouchDB (Erlang)", "apache/couchdb-docker: 3.4.2/Dockerfile"),
    row("memcached", NotJava, App, "memcached", "docker-library/memcached: 1/debian/Dockerfile"),
    row("etcd", NotJava, App, "etcd (Go)", "etcd-io/etcd: Dockerfile"),
    row("clickhouse-server", NotJava, App, "ClickHouse (C++)", "ClickHouse/ClickHouse: docker/server/Dockerfile.ubuntu"),
    row("clickhouse", NotJava, App, "ClickHouse (C++)", "bitnami/containers: bitnami/clickhouse/25/debian-12/Dockerfile"),
    row("influxdb", NotJava, App, "InfluxDB (Go)", "influxdata/influxdata-docker: influxdb/2.7/Dockerfile"),
    row("minio", NotJava, App, "MinIO (Go)", "minio/minio: Dockerfile"),
    row("nats", NotJava, App, "NATS (Go)", "nats-io/nats-docker: 2.11.x/scratch/Dockerfile"),
    row("nginx", NotJava, App, "nginx", "nginxinc/docker-nginx: mainline/debian/Dockerfile"),
    row("nginx-unprivileged", NotJava, App, "nginx", "nginxinc/docker-nginx-unprivileged: mainline/debian/Dockerfile"),
    row("jfrog/nginx-artifactory-pro", NotJava, App, "nginx (JFrog Artifactory's proxy)", "jfrog/charts: stable/artifactory/templates/nginx-deployment.yaml (the container is given /etc/nginx/nginx.conf)"),
    row("openresty", NotJava, App, "OpenResty", "openresty/docker-openresty: bookworm/Dockerfile"),
    row("ingress-nginx/controller", NotJava, App, "ingress-nginx controller", "kubernetes/ingress-nginx: rootfs/Dockerfile"),
    row("nginx-ingress-controller", NotJava, App, "ingress-nginx controller", "bitnami/containers: bitnami/nginx-ingress-controller/1/debian-12/Dockerfile"),
    row("httpd", NotJava, App, "Apache httpd", "docker-library/httpd: 2.4/Dockerfile"),
    row("apache", NotJava, App, "Apache httpd", "bitnami/containers: bitnami/apache/2.4/debian-12/Dockerfile"),
    row("haproxy", NotJava, App, "HAProxy", "docker-library/haproxy: 3.2/Dockerfile"),
    row("traefik", NotJava, App, "Traefik (Go)", "traefik/traefik-library-image: v3.4/alpine/Dockerfile"),
    row("caddy", NotJava, App, "Caddy (Go)", "caddyserver/caddy-docker: 2.10/alpine/Dockerfile"),
    row("php", NotJava, App, "PHP", "docker-library/php: 8.4/bookworm/apache/Dockerfile"),
    row("php-fpm", NotJava, App, "PHP-FPM", "bitnami/containers: bitnami/php-fpm/8.4/debian-12/Dockerfile"),
    row("python", NotJava, App, "Python", "docker-library/python: 3.13/bookworm/Dockerfile"),
    row("node", NotJava, App, "Node.js", "nodejs/docker-node: 22/bookworm/Dockerfile"),
    row("golang", NotJava, App, "Go", "docker-library/golang: 1.24/bookworm/Dockerfile"),
    row("ruby", NotJava, App, "Ruby", "docker-library/ruby: 3.4/bookworm/Dockerfile"),
    row("dotnet/*", NotJava, App, ".NET", "dotnet/dotnet-docker: src/runtime/9.0/bookworm-slim/amd64/Dockerfile"),
    row("busybox", NotJava, App, "BusyBox", "docker-library/busybox: latest/glibc/Dockerfile.builder"),
    row("alpine", NotJava, App, "Alpine Linux", "alpinelinux/docker-alpine: x86_64/Dockerfile"),
    row("debian", NotJava, App, "Debian", "debuerreotype/docker-debian-artifacts: bookworm/Dockerfile"),
    row("ubuntu", NotJava, App, "Ubuntu", "tianon/docker-brew-ubuntu-core: noble/Dockerfile"),
    row("curl", NotJava, App, "curl", "curl/curl-container: Containerfile"),
    row("os-shell", NotJava, App, "Bitnami OS shell", "bitnami/containers: bitnami/os-shell/12/debian-12/Dockerfile"),
    row("bitnami-shell", NotJava, App, "Bitnami shell", "bitnami/containers: bitnami/bitnami-shell/11/debian-11/Dockerfile"),
    row("kubectl", NotJava, App, "kubectl (Go)", "bitnami/containers: bitnami/kubectl/1.33/debian-12/Dockerfile"),
    row("prometheus", NotJava, App, "Prometheus (Go)", "prometheus/prometheus: Dockerfile"),
    row("alertmanager", NotJava, App, "Alertmanager (Go)", "prometheus/alertmanager: Dockerfile"),
    row("pushgateway", NotJava, App, "Pushgateway (Go)", "prometheus/pushgateway: Dockerfile"),
    row("prometheus/*", NotJava, App, "a Prometheus component (Go)", "prometheus/prometheus: Dockerfile"),
    row("prometheus-operator", NotJava, App, "Prometheus operator (Go)", "bitnami/containers: bitnami/prometheus-operator/0/debian-12/Dockerfile"),
    row("prometheus-operator/*", NotJava, App, "Prometheus operator (Go)", "prometheus-operator/prometheus-operator: Dockerfile"),
    row("kube-state-metrics", NotJava, App, "kube-state-metrics (Go)", "kubernetes/kube-state-metrics: Dockerfile"),
    row("metrics-server", NotJava, App, "metrics-server (Go)", "kubernetes-sigs/metrics-server: Dockerfile"),
    row("grafana", NotJava, App, "Grafana (Go)", "grafana/grafana: Dockerfile"),
    row("grafana/*", NotJava, App, "a Grafana Labs component (Go)", "grafana/loki: cmd/loki/Dockerfile"),
    row("opentelemetry-collector*", NotJava, App, "OpenTelemetry Collector (Go)", "open-telemetry/opentelemetry-collector-releases: distributions/otelcol/Dockerfile"),
    row("opentelemetry-operator", NotJava, App, "OpenTelemetry operator (Go)", "open-telemetry/opentelemetry-operator: Dockerfile"),
    row("jaegertracing/*", NotJava, App, "Jaeger (Go)", "jaegertracing/jaeger: cmd/jaeger/Dockerfile"),
    row("argoproj/*", NotJava, App, "Argo (Go)", "argoproj/argo-cd: Dockerfile"),
    row("argocd", NotJava, App, "Argo CD (Go)", "argoproj/argo-cd: Dockerfile"),
    row("dex", NotJava, App, "Dex (Go)", "dexidp/dex: Dockerfile"),
    row("jetstack/*", NotJava, App, "cert-manager (Go)", "cert-manager/cert-manager: make/base_images.mk"),
    row("fluxcd/*", NotJava, App, "Flux (Go)", "fluxcd/flux2: Dockerfile"),
    row("coredns", NotJava, App, "CoreDNS (Go)", "coredns/coredns: Dockerfile"),
    row("consul", NotJava, App, "Consul (Go)", "hashicorp/consul: Dockerfile"),
    row("metallb/*", NotJava, App, "MetalLB (Go)", "metallb/metallb: speaker/Dockerfile"),
    row("speaker", NotJava, App, "MetalLB speaker (Go)", "metallb/metallb: speaker/Dockerfile"),
    row("thanos", NotJava, App, "Thanos (Go)", "thanos-io/thanos: Dockerfile"),
    row("telegraf", NotJava, App, "Telegraf (Go)", "influxdata/influxdata-docker: telegraf/1.34/Dockerfile"),
    row("wordpress", NotJava, App, "WordPress (PHP)", "docker-library/wordpress: latest/php8.3/apache/Dockerfile"),
    row("drupal", NotJava, App, "Drupal (PHP)", "docker-library/drupal: 11.1/php8.3/apache-bookworm/Dockerfile"),
    row("joomla", NotJava, App, "Joomla (PHP)", "joomla-docker/docker-joomla: 5.3/php8.3/apache/Dockerfile"),
    row("moodle", NotJava, App, "Moodle (PHP)", "bitnami/containers: bitnami/moodle/5.0/debian-12/Dockerfile"),
    row("magento", NotJava, App, "Magento (PHP)", "bitnami/containers: bitnami/magento/2/debian-12/Dockerfile"),
    row("phpmyadmin", NotJava, App, "phpMyAdmin (PHP)", "phpmyadmin/docker: apache/Dockerfile"),
    row("matomo", NotJava, App, "Matomo (PHP)", "matomo-org/docker: apache/Dockerfile"),
    row("ghost", NotJava, App, "Ghost (Node.js)", "docker-library/ghost: 5/debian/Dockerfile"),
    row("odoo", NotJava, App, "Odoo (Python)", "odoo/docker: 18.0/Dockerfile"),
    row("superset", NotJava, App, "Apache Superset (Python)", "bitnami/containers: bitnami/superset/5/debian-12/Dockerfile"),
    row("airflow", NotJava, App, "Apache Airflow (Python)", "apache/airflow: Dockerfile"),
    row("gitea", NotJava, App, "Gitea (Go)", "go-gitea/gitea: Dockerfile"),
    row("redmine", NotJava, App, "Redmine (Ruby)", "docker-library/redmine: 6.0/bookworm/Dockerfile"),
    row("discourse", NotJava, App, "Discourse (Ruby)", "bitnami/containers: bitnami/discourse/3/debian-12/Dockerfile"),
    row("mattermost-team-edition", NotJava, App, "Mattermost (Go)", "mattermost/docker: Dockerfile"),
    row("pgadmin4", NotJava, App, "pgAdmin (Python)", "pgadmin-org/pgadmin4: Dockerfile"),
    row("k8s-hub", NotJava, App, "JupyterHub (Python)", "jupyterhub/zero-to-jupyterhub-k8s: images/hub/Dockerfile"),
    row("configurable-http-proxy", NotJava, Sidecar, "configurable-http-proxy (Node.js)", "jupyterhub/configurable-http-proxy: Dockerfile"),
    // Bitnami's images of Go, Python, Ruby and Node.js projects (bitnami/containers).
    row("argo-cd", NotJava, App, "Argo CD (Go)", "bitnami/containers: bitnami/argo-cd/3/debian-12/Dockerfile"),
    row("argo-workflow-*", NotJava, App, "Argo Workflows (Go)", "bitnami/containers: bitnami/argo-workflow-controller/3/debian-12/Dockerfile"),
    row("harbor-*", NotJava, App, "Harbor (Go; its portal is nginx)", "bitnami/containers: bitnami/harbor-core/2/debian-12/Dockerfile"),
    row("jupyterhub", NotJava, App, "JupyterHub (Python)", "bitnami/containers: bitnami/jupyterhub/5/debian-12/Dockerfile"),
    row("jupyter-base-notebook", NotJava, App, "Jupyter notebook (Python)", "bitnami/containers: bitnami/jupyter-base-notebook/4/debian-12/Dockerfile"),
    row("metallb-*", NotJava, App, "MetalLB (Go)", "bitnami/containers: bitnami/metallb-speaker/0/debian-12/Dockerfile"),
    row("cert-manager*", NotJava, App, "cert-manager (Go)", "bitnami/containers: bitnami/cert-manager/1/debian-12/Dockerfile"),
    row("external-dns", NotJava, App, "ExternalDNS (Go)", "bitnami/containers: bitnami/external-dns/0/debian-12/Dockerfile"),
    row("sealed-secrets-controller", NotJava, App, "Sealed Secrets (Go)", "bitnami/containers: bitnami/sealed-secrets-controller/0/debian-12/Dockerfile"),
    row("velero", NotJava, App, "Velero (Go)", "bitnami/containers: bitnami/velero/1/debian-12/Dockerfile"),
    row("contour", NotJava, App, "Contour (Go)", "bitnami/containers: bitnami/contour/1/debian-12/Dockerfile"),
    row("kong", NotJava, App, "Kong (Lua/nginx)", "bitnami/containers: bitnami/kong/3/debian-12/Dockerfile"),
    row("apisix*", NotJava, App, "Apache APISIX (Lua/nginx)", "bitnami/containers: bitnami/apisix/3/debian-12/Dockerfile"),
    row("keydb", NotJava, App, "KeyDB", "bitnami/containers: bitnami/keydb/6/debian-12/Dockerfile"),
    row("proxysql", NotJava, App, "ProxySQL", "bitnami/containers: bitnami/proxysql/3/debian-12/Dockerfile"),
    row("scylladb", NotJava, App, "ScyllaDB (C++)", "bitnami/containers: bitnami/scylladb/2025/debian-12/Dockerfile"),
    row("kibana", NotJava, App, "Kibana (Node.js)", "elastic/kibana: src/dev/build/tasks/os_packages/docker_generator/templates/base/Dockerfile"),
    row("parse", NotJava, App, "Parse Server (Node.js)", "bitnami/containers: bitnami/parse/8/debian-12/Dockerfile"),
    row("mastodon", NotJava, App, "Mastodon (Ruby)", "bitnami/containers: bitnami/mastodon/4/debian-12/Dockerfile"),
    row("authentik", NotJava, App, "authentik (Python)", "goauthentik/authentik: Dockerfile"),
    row("mlflow", NotJava, App, "MLflow (Python)", "bitnami/containers: bitnami/mlflow/3/debian-12/Dockerfile"),
    row("pytorch", NotJava, App, "PyTorch (Python)", "bitnami/containers: bitnami/pytorch/2/debian-12/Dockerfile"),
    row("tensorflow-*", NotJava, App, "TensorFlow (C++/Python)", "bitnami/containers: bitnami/tensorflow-serving/2/debian-12/Dockerfile"),
    row("concourse", NotJava, App, "Concourse (Go)", "bitnami/containers: bitnami/concourse/7/debian-12/Dockerfile"),
    row("kyverno*", NotJava, App, "Kyverno (Go)", "kyverno/kyverno: cmd/kyverno/Dockerfile"),
    row("cilium*", NotJava, App, "Cilium (Go)", "cilium/cilium: images/cilium/Dockerfile"),
    row("crossplane", NotJava, App, "Crossplane (Go)", "crossplane/crossplane: cluster/images/crossplane/Dockerfile"),
    row("external-secrets", NotJava, App, "External Secrets (Go)", "external-secrets/external-secrets: Dockerfile"),
    row("seaweedfs", NotJava, App, "SeaweedFS (Go)", "seaweedfs/seaweedfs: docker/Dockerfile.go_build"),
    row("milvus", NotJava, App, "Milvus (Go/C++)", "milvus-io/milvus: build/docker/milvus/ubuntu22.04/Dockerfile"),
    row("temporal*", NotJava, App, "Temporal (Go)", "temporalio/docker-builds: server.Dockerfile"),
    row("victoriametrics-*", NotJava, App, "VictoriaMetrics (Go)", "VictoriaMetrics/VictoriaMetrics: app/vmstorage/deployment/Dockerfile"),
    row("gitlab-runner*", NotJava, App, "GitLab Runner (Go)", "gitlab-org/gitlab-runner: dockerfiles/runner/ubuntu/Dockerfile"),
    row("chainloop-*", NotJava, App, "Chainloop (Go)", "chainloop-dev/chainloop: app/controlplane/Dockerfile"),
    row("pinniped*", NotJava, App, "Pinniped (Go)", "vmware-tanzu/pinniped: Dockerfile"),
    row("rabbitmq-cluster-operator", NotJava, App, "RabbitMQ operator (Go)", "rabbitmq/cluster-operator: Dockerfile"),
    row("kubernetes-event-exporter", NotJava, Tooling, "event exporter (Go)", "resmoio/kubernetes-event-exporter: Dockerfile"),
    row("local-path-provisioner", NotJava, App, "local-path-provisioner (Go)", "rancher/local-path-provisioner: package/Dockerfile"),
    row("multus-cni", NotJava, App, "Multus (Go)", "k8snetworkplumbingwg/multus-cni: images/Dockerfile"),
    row("whereabouts", NotJava, App, "Whereabouts (Go)", "k8snetworkplumbingwg/whereabouts: Dockerfile"),
    row("cadvisor", NotJava, Tooling, "cAdvisor (Go)", "google/cadvisor: deploy/Dockerfile"),
    row("flagd", NotJava, App, "flagd (Go)", "open-feature/flagd: flagd/build.Dockerfile"),
    row("kube-webhook-certgen", NotJava, App, "kube-webhook-certgen (Go)", "kubernetes/ingress-nginx: images/kube-webhook-certgen/rootfs/Dockerfile"),
    row("filebeat", NotJava, Sidecar, "Filebeat (Go)", "elastic/beats: filebeat/Dockerfile"),
    row("metricbeat", NotJava, Tooling, "Metricbeat (Go)", "elastic/beats: metricbeat/Dockerfile"),
    row("heartbeat", NotJava, Tooling, "Heartbeat (Go)", "elastic/beats: heartbeat/Dockerfile"),
    row("elastic-agent", NotJava, Sidecar, "Elastic Agent (Go)", "elastic/elastic-agent: Dockerfile"),
    row("apm-server", NotJava, App, "Elastic APM Server (Go)", "elastic/apm-server: packaging/docker/Dockerfile"),
    row("eck-operator", NotJava, App, "ECK operator (Go)", "elastic/cloud-on-k8s: build/Dockerfile"),
    row("vault-k8s", NotJava, Sidecar, "Vault agent injector (Go)", "hashicorp/vault-k8s: Dockerfile"),
    row("kedacore/*", NotJava, App, "KEDA (Go)", "kedacore/keda: Dockerfile"),
    row("longhornio/*", NotJava, App, "Longhorn (Go)", "longhorn/longhorn-manager: package/Dockerfile"),
    row("calico/*", NotJava, App, "Calico (Go)", "projectcalico/calico: node/Dockerfile.amd64"),
    row("sig-storage/*", NotJava, Sidecar, "a CSI sidecar (Go)", "kubernetes-csi/external-provisioner: Dockerfile"),
    row("distroless/*", NotJava, App, "distroless base (static binaries)", "GoogleContainerTools/distroless: base/README.md"),
    // Online Boutique (tests/corpus/microservices-demo.yaml): each service's Dockerfile.
    row("microservices-demo/cartservice", NotJava, App, "Online Boutique cartservice (C#)", "GoogleCloudPlatform/microservices-demo: src/cartservice/src/Dockerfile"),
    row("microservices-demo/checkoutservice", NotJava, App, "Online Boutique checkoutservice (Go)", "GoogleCloudPlatform/microservices-demo: src/checkoutservice/Dockerfile"),
    row("microservices-demo/currencyservice", NotJava, App, "Online Boutique currencyservice (Node.js)", "GoogleCloudPlatform/microservices-demo: src/currencyservice/Dockerfile"),
    row("microservices-demo/emailservice", NotJava, App, "Online Boutique emailservice (Python)", "GoogleCloudPlatform/microservices-demo: src/emailservice/Dockerfile"),
    row("microservices-demo/frontend", NotJava, App, "Online Boutique frontend (Go)", "GoogleCloudPlatform/microservices-demo: src/frontend/Dockerfile"),
    row("microservices-demo/loadgenerator", NotJava, App, "Online Boutique loadgenerator (Python)", "GoogleCloudPlatform/microservices-demo: src/loadgenerator/Dockerfile"),
    row("microservices-demo/paymentservice", NotJava, App, "Online Boutique paymentservice (Node.js)", "GoogleCloudPlatform/microservices-demo: src/paymentservice/Dockerfile"),
    row("microservices-demo/productcatalogservice", NotJava, App, "Online Boutique productcatalogservice (Go)", "GoogleCloudPlatform/microservices-demo: src/productcatalogservice/Dockerfile"),
    row("microservices-demo/recommendationservice", NotJava, App, "Online Boutique recommendationservice (Python)", "GoogleCloudPlatform/microservices-demo: src/recommendationservice/Dockerfile"),
    row("microservices-demo/shippingservice", NotJava, App, "Online Boutique shippingservice (Go)", "GoogleCloudPlatform/microservices-demo: src/shippingservice/Dockerfile"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_its_source_and_is_reachable() {
        for (i, f) in FAMILIES.iter().enumerate() {
            assert!(f.source.contains(": "), "{}: {}", f.pattern, f.source);
            let shadowed = FAMILIES[..i].iter().any(|g| g.pattern == f.pattern);
            assert!(!shadowed, "{} appears twice", f.pattern);
        }
    }
}
