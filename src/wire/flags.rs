//! The JVM flags the wiring puts in the agent's options variable: the `-javaagent` path,
//! the names, the collector and the configured system properties, in a fixed order.

use crate::config::{AgentId, AgentName, Settings};
use crate::knowledge::ours::{POD_IP_VAR, POD_NAME_VAR, reference};

/// Every flag we add, in a fixed order. Only validated config values and the sanitized
/// application name go in, so nothing from a manifest can add a flag of its own.
pub fn agent_options(settings: &Settings, application_name: &str) -> String {
    let mut flags = vec![
        format!(
            "-javaagent:{}/{}",
            settings.agent.mount_path.trim_end_matches('/'),
            settings.agent.bootstrap_jar
        ),
        format!("-Dpinpoint.applicationName={application_name}"),
    ];
    match settings.agent_id {
        AgentId::Auto => {}
        AgentId::PodIp => flags.push(format!("-Dpinpoint.agentId={}", reference(POD_IP_VAR))),
        AgentId::PodName => flags.push(format!("-Dpinpoint.agentId={}", reference(POD_NAME_VAR))),
    }
    if settings.agent_name == AgentName::PodName {
        flags.push(format!("-Dpinpoint.agentName={}", reference(POD_NAME_VAR)));
    }
    flags.push(format!(
        "-Dpinpoint.profiler.profiles.active={}",
        settings.agent.profile
    ));
    flags.push(format!(
        "-Dprofiler.transport.grpc.collector.ip={}",
        settings.collector_host
    ));
    for (channel, port) in &settings.collector_ports {
        flags.push(format!(
            "-Dprofiler.transport.grpc.{channel}.collector.port={port}"
        ));
    }
    for (key, value) in &settings.agent.system_properties {
        flags.push(format!("-D{key}={value}"));
    }
    flags.join(" ")
}
