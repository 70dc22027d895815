//! What a manifest shows about the runtime of a container: the launcher words of its
//! command and args, the environment variables only a JVM reads, the probe paths of JVM
//! frameworks and the language labels other tools write. [`crate::decide::classify`]
//! weighs them.

use super::images::Runtime;

/// Words of `command`/`args` (or a shell script in them) that name a launcher.
/// The JVM ones are from each project's start scripts; see [`crate::knowledge::launch`].
pub const COMMAND_WORDS: &[(&str, Runtime)] = &[
    ("java", Runtime::Java),
    ("-jar", Runtime::Java),
    ("catalina.sh", Runtime::Java),
    ("standalone.sh", Runtime::Java),
    ("domain.sh", Runtime::Java),
    ("kc.sh", Runtime::Java),
    ("jenkins.sh", Runtime::Java),
    ("kafka-server-start.sh", Runtime::Java),
    ("connect-distributed.sh", Runtime::Java),
    ("zkServer.sh", Runtime::Java),
    ("spark-class", Runtime::Java),
    ("spark-submit", Runtime::Java),
    ("jobmanager.sh", Runtime::Java),
    ("taskmanager.sh", Runtime::Java),
    ("mvn", Runtime::Java),
    ("gradle", Runtime::Java),
    ("python", Runtime::NotJava),
    ("python3", Runtime::NotJava),
    ("gunicorn", Runtime::NotJava),
    ("uvicorn", Runtime::NotJava),
    ("celery", Runtime::NotJava),
    ("node", Runtime::NotJava),
    ("npm", Runtime::NotJava),
    ("yarn", Runtime::NotJava),
    ("nginx", Runtime::NotJava),
    ("httpd", Runtime::NotJava),
    ("apache2-foreground", Runtime::NotJava),
    ("php", Runtime::NotJava),
    ("php-fpm", Runtime::NotJava),
    ("ruby", Runtime::NotJava),
    ("bundle", Runtime::NotJava),
    ("puma", Runtime::NotJava),
    ("dotnet", Runtime::NotJava),
    ("redis-server", Runtime::NotJava),
    ("redis-sentinel", Runtime::NotJava),
    ("postgres", Runtime::NotJava),
    ("mysqld", Runtime::NotJava),
    ("mariadbd", Runtime::NotJava),
    ("mongod", Runtime::NotJava),
    ("rabbitmq-server", Runtime::NotJava),
    ("memcached", Runtime::NotJava),
    ("envoy", Runtime::NotJava),
    ("pilot-agent", Runtime::NotJava),
    ("haproxy", Runtime::NotJava),
    ("curl", Runtime::NotJava),
    ("wget", Runtime::NotJava),
];

/// Environment variables only a JVM or its launch script reads.
pub const JVM_ENV: &[&str] = &[
    "JAVA_OPTS",
    "JAVA_TOOL_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "JAVA_HOME",
    "CATALINA_OPTS",
    "CATALINA_HOME",
    "JVM_OPTS",
    "JVM_EXTRA_OPTS",
    "KAFKA_HEAP_OPTS",
    "KAFKA_OPTS",
    "ES_JAVA_OPTS",
    "OPENSEARCH_JAVA_OPTS",
    "LS_JAVA_OPTS",
    "SOLR_OPTS",
    "SERVER_JVMFLAGS",
    "SPARK_DAEMON_JAVA_OPTS",
    "JAVA_OPTS_APPEND",
];
pub const JVM_ENV_PREFIXES: &[&str] = &["JAVA_", "JVM_"];
pub const JVM_FLAGS: &[&str] = &["-Xmx", "-Xms", "-XX:", "-Xss"];

/// HTTP probe paths of JVM frameworks: Spring Boot actuator, Quarkus SmallRye Health.
pub const JVM_PROBE_PATHS: &[(&str, &str)] = &[
    ("/actuator/", "Spring Boot actuator"),
    ("/q/health", "Quarkus health"),
];

/// Pod labels other tools write with the application's language.
pub const LANGUAGE_LABELS: &[&str] = &["aliyun.com/app-language"];
