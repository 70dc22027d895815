//! Validation of a parsed `spec` into [`Settings`], one small function per section;
//! every message names its field in the form the config was written in.

mod agent;
mod checks;
mod delivery;
mod security;

pub use checks::is_dns_label;

use super::defaults;
use super::error::{ConfigError, bad};
use super::form::Form;
use super::settings::{AgentId, AgentName, ContainerChoice, Loaded, Overrides, Selector, Settings};
use super::spec::{Collector, Naming, Select, Spec};
use crate::config::images;
use crate::config::template::{MIN_MAX_LENGTH, Template};
use crate::config::workloads::{self, WorkloadSpec};
use crate::knowledge::images::{Role, Runtime};
use crate::knowledge::kinds::WorkloadKind;

pub(super) fn validate(
    spec: Spec,
    form: Form,
    overrides: &Overrides,
) -> Result<Loaded, ConfigError> {
    let mut warnings = Vec::new();
    let (collector_host, collector_ports) = collector(spec.collector, form)?;
    let kubernetes_version =
        delivery::kubernetes_version(spec.kubernetes_version.as_ref(), overrides, form)?;
    let agent = agent::validate(spec.agent, form, &mut warnings)?;
    let log_volume_name = delivery::check(&agent, kubernetes_version, form, &mut warnings)?;
    let names = naming(spec.naming, form, &mut warnings)?;
    let workloads = workloads(&spec.workloads, form)?;
    let image_rules = images::validate(&spec.images, checks::is_env_name)
        .map_err(|message| bad(in_form(&message, form)))?;
    let select = select(spec.select, &workloads, form)?;
    let containers = parse_containers(&spec.containers)
        .map_err(|e| bad(format!("{}: {e}", form.field("containers"))))?;
    let settings = Settings {
        form,
        collector_host,
        collector_ports,
        agent,
        kubernetes_version,
        log_volume_name,
        application_name: names.application_name,
        job_application_name: names.job_application_name,
        max_length: names.max_length,
        agent_name: names.agent_name,
        agent_id: names.agent_id,
        select,
        containers,
        workloads,
        image_rules,
    };
    Ok(Loaded { settings, warnings })
}

/// `(channel, port)` for every collector port that is not Pinpoint's default.
type Ports = Vec<(&'static str, u16)>;

/// `collector`: the host, and every port that is not Pinpoint's default.
fn collector(collector: Collector, form: Form) -> Result<(String, Ports), ConfigError> {
    checks::host(&form.field("collector.host"), &collector.host)?;
    let mut ports = Vec::new();
    for (channel, port, default) in [
        ("agent", collector.agent_port, defaults::AGENT_PORT),
        ("metadata", collector.metadata_port, defaults::METADATA_PORT),
        ("stat", collector.stat_port, defaults::STAT_PORT),
        ("span", collector.span_port, defaults::SPAN_PORT),
    ] {
        if port == 0 {
            let field = form.field(&format!("collector.{channel}Port"));
            return Err(bad(format!("{field}: 0 is not a port")));
        }
        if port != default {
            ports.push((channel, port));
        }
    }
    // An IPv6 address as written in a URL (`[::1]`) is passed bare: the agent's
    // `collector.ip` is an address, not a URL, and brackets are glob characters in the
    // launch scripts that expand the options unquoted.
    let host = match collector
        .host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
    {
        Some(bare) => bare.to_string(),
        None => collector.host,
    };
    Ok((host, ports))
}

/// What `naming` decides.
struct Names {
    application_name: Template,
    job_application_name: Template,
    max_length: usize,
    agent_name: AgentName,
    agent_id: AgentId,
}

/// `naming`: the templates, the length limit, the agent's name and id.
fn naming(naming: Naming, form: Form, warnings: &mut Vec<String>) -> Result<Names, ConfigError> {
    let template = |path: &str, text: Option<&str>, default: &str| {
        Template::parse(text.unwrap_or(default))
            .map_err(|e| bad(format!("{}: {e}", form.field(path))))
    };
    let application_name = template(
        "naming.applicationName",
        naming.application_name.as_deref(),
        defaults::APPLICATION_NAME,
    )?;
    let job_application_name = template(
        "naming.jobApplicationName",
        naming.job_application_name.as_deref(),
        defaults::JOB_APPLICATION_NAME,
    )?;
    let max_length = naming.max_length.unwrap_or(defaults::MAX_LENGTH);
    if !(MIN_MAX_LENGTH..=254).contains(&max_length) {
        return Err(bad(format!(
            "{}: {max_length} must be between {} and 254",
            form.field("naming.maxLength"),
            MIN_MAX_LENGTH
        )));
    }
    let agent_name = match naming.agent_name.as_deref().unwrap_or(defaults::AGENT_NAME) {
        "podName" => AgentName::PodName,
        "none" => AgentName::None,
        other => {
            return Err(bad(format!(
                "{}: {other:?} is not one of podName, none",
                form.field("naming.agentName")
            )));
        }
    };
    let field = form.field("naming.agentId");
    let agent_id = match naming.agent_id.as_deref().unwrap_or(defaults::AGENT_ID) {
        "auto" => AgentId::Auto,
        "podIP" => {
            warnings.push(format!(
                "{field} podIP: an IPv6 pod address is not a valid Pinpoint agent id (':' is not allowed); use auto on IPv6 or dual-stack clusters"
            ));
            AgentId::PodIp
        }
        "podName" => {
            warnings.push(format!(
                "{field} podName: Pinpoint rejects agent ids longer than {max_length} characters, and most generated pod names are longer; auto is safer"
            ));
            AgentId::PodName
        }
        other => {
            return Err(bad(format!(
                "{field}: {other:?} is not one of auto, podIP, podName"
            )));
        }
    };
    Ok(Names {
        application_name,
        job_application_name,
        max_length,
        agent_name,
        agent_id,
    })
}

/// `workloads`: the kinds a config adds to the table. Their checks name
/// `spec.workloads[i]`; the ConfigMap form names the entry of `data.workloads`.
fn workloads(specs: &[WorkloadSpec], form: Form) -> Result<Vec<WorkloadKind>, ConfigError> {
    workloads::validate(specs).map_err(|message| bad(in_form(&message, form)))
}

/// Rename the `spec.workloads[i].field` and `spec.images[i].field` paths of a message
/// for `form`.
fn in_form(message: &str, form: Form) -> String {
    let mut out = String::new();
    let mut rest = message;
    let next = |rest: &str| {
        ["spec.workloads", "spec.images"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min()
    };
    while let Some(at) = next(rest) {
        out.push_str(&rest[..at]);
        let tail = &rest[at + "spec.".len()..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || "[].".contains(c)))
            .unwrap_or(tail.len());
        let path = tail[..end].trim_end_matches('.');
        out.push_str(&form.field(path));
        rest = &tail[path.len()..];
    }
    out.push_str(rest);
    out
}

/// `select`: which kinds, runtimes and categories are instrumented, and the filters.
fn select(select: Select, workloads: &[WorkloadKind], form: Form) -> Result<Selector, ConfigError> {
    let runtimes = select
        .runtimes
        .unwrap_or_else(|| defaults::RUNTIMES.iter().map(|s| s.to_string()).collect());
    let categories = select
        .categories
        .unwrap_or_else(|| defaults::CATEGORIES.iter().map(|s| s.to_string()).collect());
    Ok(Selector {
        kinds: select_kinds(&select.kinds, workloads, form)?,
        namespaces: select.namespaces,
        match_labels: select.match_labels,
        exclude_names: select.exclude_names,
        opt_in: select.opt_in,
        runtimes: parse_runtimes(&runtimes, form)?,
        categories: parse_categories(&categories, form)?,
    })
}

/// `select.kinds`: empty is every built-in and configured kind; an entry is a bare
/// kind (every kind of that name) or `Kind.group` (the one of that API group).
fn select_kinds(
    entries: &[String],
    workloads: &[WorkloadKind],
    form: Form,
) -> Result<Vec<WorkloadKind>, ConfigError> {
    if entries.is_empty() {
        return Ok(WorkloadKind::all()
            .chain(workloads.iter().copied())
            .collect());
    }
    let mut kinds = Vec::new();
    for entry in entries {
        let named = WorkloadKind::named(entry, workloads);
        if named.is_empty() {
            let mut known: Vec<String> = Vec::new();
            for kind in WorkloadKind::all().chain(workloads.iter().copied()) {
                if !known.iter().any(|k| k == kind.name()) {
                    known.push(kind.name().to_string());
                }
            }
            return Err(bad(format!(
                "{}: {entry:?} is not one of {} (Kind.group, like StatefulSet.apps.kruise.io, picks one API group; other kinds go under {} first)",
                form.field("select.kinds"),
                known.join(", "),
                form.field("workloads"),
            )));
        }
        for kind in named {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
    }
    Ok(kinds)
}

/// `select.runtimes`: not-java only when a user asks for it.
fn parse_runtimes(names: &[String], form: Form) -> Result<Vec<Runtime>, ConfigError> {
    names
        .iter()
        .map(|n| {
            Runtime::from_name(n).ok_or_else(|| {
                bad(format!(
                    "{}: {n:?} is not one of java, unknown, not-java",
                    form.field("select.runtimes")
                ))
            })
        })
        .collect()
}

/// `select.categories`: application, data-server.
fn parse_categories(names: &[String], form: Form) -> Result<Vec<Role>, ConfigError> {
    names
        .iter()
        .map(|n| match n.as_str() {
            "application" => Ok(Role::Application),
            "data-server" => Ok(Role::DataServer),
            _ => Err(bad(format!(
                "{}: {n:?} is not one of application, data-server",
                form.field("select.categories")
            ))),
        })
        .collect()
}

/// Parse a container list (`spec.containers` or the per-workload annotation).
pub fn parse_containers(names: &[String]) -> Result<ContainerChoice, String> {
    match names {
        [] => Ok(ContainerChoice::FirstApp),
        [star] if star == "*" => Ok(ContainerChoice::AllApps),
        names => {
            for name in names {
                if !is_dns_label(name) {
                    return Err(format!(
                        "{name:?} is not a container name (use names, or [\"*\"] alone)"
                    ));
                }
            }
            Ok(ContainerChoice::Named(names.to_vec()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_lists_are_names_or_a_star_alone() {
        assert_eq!(parse_containers(&[]), Ok(ContainerChoice::FirstApp));
        assert_eq!(
            parse_containers(&["*".into()]),
            Ok(ContainerChoice::AllApps)
        );
        assert!(parse_containers(&["*".into(), "app".into()]).is_err());
        assert!(parse_containers(&["App".into()]).is_err());
    }

    #[test]
    fn workload_paths_in_messages_follow_the_form() {
        let message = "spec.workloads[0].kind: \"x\" is not a kind; see spec.workloads.";
        assert_eq!(in_form(message, Form::Injector), message);
    }
}
