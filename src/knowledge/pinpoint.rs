//! Facts about Pinpoint itself that the wiring has to respect, each with the file it was
//! read from.

/// The characters Pinpoint accepts in an application name or agent id
/// (pinpoint-apm/pinpoint: commons/src/main/java/com/navercorp/pinpoint/common/util/IdValidateUtils.java).
pub fn is_pinpoint_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// The Java versions each agent line supports, from the "Java version required to run
/// Pinpoint" table of Pinpoint's README: `(major, minor, lowest Java, highest Java,
/// source)`. Java 25 under agent 3.0.1 is what the runtime test records
/// (`tests/runtime/images.rs`, docs/runtime-proof.md).
#[rustfmt::skip]
pub const AGENT_JAVA: &[(u32, u32, u32, u32, &str)] = &[
    (2, 5, 8, 19, "pinpoint-apm/pinpoint: README.md @ v2.5.4"),
    (3, 0, 8, 21, "pinpoint-apm/pinpoint: README.md @ v3.0.5"),
    (3, 1, 8, 24, "pinpoint-apm/pinpoint: README.md @ v3.1.0"),
];

/// The directory, under the agent's own directory (the one that holds the
/// `-javaagent` jar), where every agent line writes its logs, as `logs/<agentId>/`, and
/// the only thing it writes (a run of the agent 3.0.1 on a read-only copy of its
/// directory fails to create `logs/<agentId>` and nothing else):
/// - 2.5.x: `PinpointStarter` sets the system property `pinpoint.log` to
///   `AgentDirectory.getAgentLogFilePath()`, the agent directory plus `LOGS_DIR`
///   ("logs"), over any `-Dpinpoint.log`, and the shipped
///   `profiles/<profile>/log4j2.xml` writes under `${sys:pinpoint.log}/${sys:pinpoint.agentId}/`
///   (pinpoint-apm/pinpoint v2.5.4, 4568766840110085652924c3a76bdd2ff9a26d80:
///   bootstraps/bootstrap/src/main/java/com/navercorp/pinpoint/bootstrap/PinpointStarter.java,
///   …/agentdir/AgentDirectory.java, agent/src/main/resources/profiles/release/log4j2.xml);
/// - 3.0.x: the same, with `log4j2-agent.xml` at the agent's root (v3.0.1,
///   e64df56182e08424ababc1b9b18083aa5c9fa876: agent-module/bootstraps/bootstrap/…/PinpointStarter.java,
///   …/AgentDirectory.java, agent-module/agent/src/main/resources/log4j2-agent.xml);
/// - 3.1.x: `DefaultAgent` takes the base from `pinpoint.profiler.log.config.location`,
///   else the agent directory, and `LogConfig` sets `pinpoint.log` to `<base>/logs`
///   (v3.1.0, e3940e516c0fc215be990778a6eca01e2274870a:
///   agent-module/profiler/src/main/java/com/navercorp/pinpoint/profiler/DefaultAgent.java,
///   …/profiler/config/LogConfig.java, agent-module/agent/src/main/resources/log4j2-agent.yaml).
///
/// No option moves the logs to an empty directory: `pinpoint.profiler.log.config.location`
/// names the directory the log4j2 configuration is read from (and in 3.1.x the base of
/// `logs/` too), so an empty one stops the agent ("log4j2.xml not found",
/// profiler-logging `Log4j2LoggingSystem`; seen with 3.0.1). Every release tarball ships
/// this directory empty (agent/src/assembly/component/core.xml at v2.5.4,
/// agent-module/agent/src/assembly/component/core.xml at v3.0.1 and v3.1.0: a `logs`
/// fileSet), so a writable volume can be mounted on it inside a read-only agent.
pub const LOGS_DIR: &str = "logs";
