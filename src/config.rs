//! The function config (`PinpointInjector`, or a flat `ConfigMap` as kpt sends it):
//! parsed with serde (unknown fields rejected), then validated into [`Settings`],
//! the only form the core sees.

use crate::diag::Diagnostic;
use crate::images::{Role, Runtime};
use crate::naming::{self, Template};
use crate::workload::WorkloadKind;
use crate::workload::configured::{self, WorkloadSpec};
use k8s_openapi::api::core::v1::{ResourceRequirements, SecurityContext};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::net::IpAddr;

pub const API_VERSION: &str = "pinpoint-inject.dev/v1alpha1";
pub const KIND: &str = "PinpointInjector";

/// A config that cannot be used, with the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid function config: {0}")]
pub struct ConfigError(pub String);

fn bad(message: impl Into<String>) -> ConfigError {
    ConfigError(message.into())
}

// ---- What users write -------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Document {
    #[allow(dead_code)]
    api_version: String,
    #[allow(dead_code)]
    kind: String,
    #[serde(default)]
    #[allow(dead_code)]
    metadata: Option<Value>,
    spec: Spec,
}

/// `spec` of a `PinpointInjector`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Spec {
    collector: Collector,
    agent: Agent,
    #[serde(default)]
    naming: Naming,
    #[serde(default)]
    select: Select,
    #[serde(default)]
    containers: Vec<String>,
    #[serde(default)]
    workloads: Vec<WorkloadSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Collector {
    host: String,
    #[serde(default = "default_agent_port")]
    agent_port: u16,
    #[serde(default = "default_agent_port")]
    metadata_port: u16,
    #[serde(default = "default_stat_port")]
    stat_port: u16,
    #[serde(default = "default_span_port")]
    span_port: u16,
}

const DEFAULT_AGENT_PORT: u16 = 9991;
const DEFAULT_STAT_PORT: u16 = 9992;
const DEFAULT_SPAN_PORT: u16 = 9993;
fn default_agent_port() -> u16 {
    DEFAULT_AGENT_PORT
}
fn default_stat_port() -> u16 {
    DEFAULT_STAT_PORT
}
fn default_span_port() -> u16 {
    DEFAULT_SPAN_PORT
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Agent {
    image: String,
    #[serde(default)]
    image_pull_policy: Option<String>,
    #[serde(default = "default_agent_path")]
    source_path: String,
    #[serde(default = "default_agent_path")]
    mount_path: String,
    #[serde(default = "default_bootstrap_jar")]
    bootstrap_jar: String,
    #[serde(default = "default_profile")]
    profile: String,
    #[serde(default)]
    options_env: Option<String>,
    #[serde(default)]
    system_properties: BTreeMap<String, Scalar>,
    #[serde(default)]
    resources: Option<ResourceRequirements>,
    #[serde(default)]
    security_context: Option<SecurityContext>,
    #[serde(default)]
    volume_size_limit: Option<Scalar>,
    #[serde(default = "default_volume_name")]
    volume_name: String,
    #[serde(default = "default_init_container_name")]
    init_container_name: String,
}

fn default_agent_path() -> String {
    "/pinpoint-agent".into()
}
fn default_bootstrap_jar() -> String {
    "pinpoint-bootstrap.jar".into()
}
fn default_profile() -> String {
    "release".into()
}
const DEFAULT_OPTIONS_ENV: &str = crate::launch::JVM_WIDE;
fn default_volume_name() -> String {
    "pinpoint-agent".into()
}
fn default_init_container_name() -> String {
    "pinpoint-agent-init".into()
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Naming {
    #[serde(default)]
    application_name: Option<String>,
    #[serde(default)]
    job_application_name: Option<String>,
    #[serde(default)]
    max_length: Option<usize>,
    #[serde(default)]
    agent_name: Option<String>,
    #[serde(default)]
    agent_id: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Select {
    #[serde(default)]
    kinds: Vec<String>,
    #[serde(default)]
    namespaces: Vec<String>,
    #[serde(default)]
    match_labels: BTreeMap<String, String>,
    #[serde(default)]
    exclude_names: Vec<String>,
    #[serde(default)]
    opt_in: bool,
    #[serde(default)]
    runtimes: Option<Vec<String>>,
    #[serde(default)]
    categories: Option<Vec<String>>,
}

/// A scalar written as a string, number or bool (`rate: 20` and `rate: "20"` alike).
#[derive(Debug, Clone)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Scalar(s)),
            Value::Number(n) => Ok(Scalar(n.to_string())),
            Value::Bool(b) => Ok(Scalar(b.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a string, number or bool, found {}",
                type_name(&other)
            ))),
        }
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

// ---- What the core uses -----------------------------------------------------------

/// How the agent names itself (`-Dpinpoint.agentName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentName {
    PodName,
    None,
}

/// How the agent id (`-Dpinpoint.agentId`) is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentId {
    /// Omitted: Pinpoint 2.2+ generates one.
    Auto,
    PodIp,
    PodName,
}

/// Which containers of a pod get the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerChoice {
    /// The first container that is not a well-known sidecar.
    FirstApp,
    /// Every container that is not a well-known sidecar (`["*"]`).
    AllApps,
    /// These names.
    Named(Vec<String>),
}

/// Which workloads are instrumented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub kinds: Vec<WorkloadKind>,
    pub namespaces: Vec<String>,
    pub match_labels: BTreeMap<String, String>,
    pub exclude_names: Vec<String>,
    pub opt_in: bool,
    /// Runtimes that are instrumented (default: java and unknown, never not-java).
    pub runtimes: Vec<Runtime>,
    /// Categories of container that are instrumented: application, data-server.
    pub categories: Vec<Role>,
}

/// The validated config. Everything here has been checked; the core trusts it.
#[derive(Debug, Clone)]
pub struct Settings {
    pub collector_host: String,
    /// `(channel, port)` for every port that differs from Pinpoint's default.
    pub collector_ports: Vec<(&'static str, u16)>,
    pub image: String,
    pub image_pull_policy: Option<String>,
    pub source_path: String,
    pub mount_path: String,
    pub bootstrap_jar: String,
    pub profile: String,
    pub options_env: String,
    /// `agent.optionsEnv` was set: it wins over the images' launch profiles.
    pub options_env_explicit: bool,
    pub system_properties: BTreeMap<String, String>,
    pub init_resources: ResourceRequirements,
    pub init_security_context: Option<SecurityContext>,
    pub volume_size_limit: Option<Quantity>,
    pub volume_name: String,
    pub init_container_name: String,
    pub application_name: Template,
    /// The name template of Jobs and CronJobs (default `{name}`: a migration Job is not
    /// counted among the servers that share the chart's label).
    pub job_application_name: Template,
    pub max_length: usize,
    pub agent_name: AgentName,
    pub agent_id: AgentId,
    pub select: Selector,
    pub containers: ContainerChoice,
    /// The kinds `spec.workloads` adds to the built-in table.
    pub workloads: Vec<WorkloadKind>,
}

/// A config and the warnings validating it produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: Settings,
    pub warnings: Vec<Diagnostic>,
}

/// Read a function config: a `PinpointInjector` or a `ConfigMap` with flat keys.
pub fn load(document: &Value) -> Result<Loaded, ConfigError> {
    let kind = document
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let spec = match kind {
        KIND => {
            let doc: Document = from_value(document.clone())?;
            doc.spec
        }
        "ConfigMap" => {
            let data = match document.get("data") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(map)) => map.clone(),
                Some(other) => {
                    return Err(bad(format!(
                        "ConfigMap data must be a map, found {}",
                        type_name(other)
                    )));
                }
            };
            from_value(Value::Object(flat_to_nested(&data)?))?
        }
        "" => {
            return Err(bad(format!(
                "the config has no kind: expected kind {KIND} (apiVersion {API_VERSION}) or ConfigMap"
            )));
        }
        other => {
            return Err(bad(format!(
                "kind {other} is not a config of this function: expected {KIND} (apiVersion {API_VERSION}) or ConfigMap"
            )));
        }
    };
    validate(spec)
}

fn from_value<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ConfigError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            bad(e.inner().to_string())
        } else {
            bad(format!("{path}: {}", e.inner()))
        }
    })
}

/// The flat ConfigMap keys (`kpt fn eval -- collectorHost=… agentImage=…`) and where
/// each lands in `spec`. Lists are comma-separated; maps are `k=v,k=v`.
const FLAT_KEYS: &[(&str, &[&str], Flat)] = &[
    ("collectorHost", &["collector", "host"], Flat::Text),
    (
        "collectorAgentPort",
        &["collector", "agentPort"],
        Flat::Number,
    ),
    (
        "collectorMetadataPort",
        &["collector", "metadataPort"],
        Flat::Number,
    ),
    (
        "collectorStatPort",
        &["collector", "statPort"],
        Flat::Number,
    ),
    (
        "collectorSpanPort",
        &["collector", "spanPort"],
        Flat::Number,
    ),
    ("agentImage", &["agent", "image"], Flat::Text),
    ("imagePullPolicy", &["agent", "imagePullPolicy"], Flat::Text),
    ("sourcePath", &["agent", "sourcePath"], Flat::Text),
    ("mountPath", &["agent", "mountPath"], Flat::Text),
    ("bootstrapJar", &["agent", "bootstrapJar"], Flat::Text),
    ("profile", &["agent", "profile"], Flat::Text),
    ("optionsEnv", &["agent", "optionsEnv"], Flat::Text),
    (
        "systemProperties",
        &["agent", "systemProperties"],
        Flat::Pairs,
    ),
    ("volumeSizeLimit", &["agent", "volumeSizeLimit"], Flat::Text),
    ("volumeName", &["agent", "volumeName"], Flat::Text),
    (
        "initContainerName",
        &["agent", "initContainerName"],
        Flat::Text,
    ),
    (
        "applicationName",
        &["naming", "applicationName"],
        Flat::Text,
    ),
    ("maxLength", &["naming", "maxLength"], Flat::Number),
    ("agentName", &["naming", "agentName"], Flat::Text),
    ("agentId", &["naming", "agentId"], Flat::Text),
    ("kinds", &["select", "kinds"], Flat::List),
    ("namespaces", &["select", "namespaces"], Flat::List),
    ("matchLabels", &["select", "matchLabels"], Flat::Pairs),
    ("excludeNames", &["select", "excludeNames"], Flat::List),
    ("optIn", &["select", "optIn"], Flat::Bool),
    ("runtimes", &["select", "runtimes"], Flat::List),
    ("categories", &["select", "categories"], Flat::List),
    (
        "jobApplicationName",
        &["naming", "jobApplicationName"],
        Flat::Text,
    ),
    ("containers", &["containers"], Flat::List),
    ("workloads", &["workloads"], Flat::Workloads),
];

#[derive(Debug, Clone, Copy)]
enum Flat {
    Text,
    Number,
    Bool,
    List,
    Pairs,
    /// `apiVersion kind podTemplate`, one per line or comma.
    Workloads,
}

/// The names of the flat ConfigMap keys, for `--help`.
pub fn flat_key_names() -> impl Iterator<Item = &'static str> {
    FLAT_KEYS.iter().map(|(k, _, _)| *k)
}

fn flat_to_nested(data: &Map<String, Value>) -> Result<Map<String, Value>, ConfigError> {
    let mut spec = Map::new();
    for (key, raw) in data {
        let Some((_, path, shape)) = FLAT_KEYS.iter().find(|(k, _, _)| k == key) else {
            let known: Vec<_> = flat_key_names().collect();
            return Err(bad(format!(
                "data.{key}: unknown key `{key}`, expected one of {}",
                known.join(", ")
            )));
        };
        let text = match raw {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(bad(format!(
                    "data.{key}: expected a string, found {}",
                    type_name(other)
                )));
            }
        };
        let value = match shape {
            Flat::Text => Value::String(text),
            Flat::Number => Value::Number(
                text.trim()
                    .parse::<u64>()
                    .map_err(|_| {
                        bad(format!(
                            "data.{key}: expected a whole number, found {text:?}"
                        ))
                    })?
                    .into(),
            ),
            Flat::Bool => Value::Bool(match text.trim() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(bad(format!(
                        "data.{key}: expected true or false, found {text:?}"
                    )));
                }
            }),
            Flat::List => Value::Array(
                split_list(&text)
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            Flat::Workloads => {
                configured::parse_flat(&text).map_err(|e| bad(format!("data.{key}: {e}")))?
            }
            Flat::Pairs => {
                let mut map = Map::new();
                for item in split_list(&text) {
                    let (k, v) = item.split_once('=').ok_or_else(|| {
                        bad(format!(
                            "data.{key}: expected key=value pairs, found {item:?}"
                        ))
                    })?;
                    map.insert(k.trim().to_string(), Value::String(v.trim().to_string()));
                }
                Value::Object(map)
            }
        };
        insert_path(&mut spec, path, value);
    }
    for required in ["collectorHost", "agentImage"] {
        if !data.contains_key(required) {
            return Err(bad(format!("data.{required} is required")));
        }
    }
    Ok(spec)
}

fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn insert_path(map: &mut Map<String, Value>, path: &[&str], value: Value) {
    let (last, parents) = path.split_last().expect("paths are not empty");
    let mut node = map;
    for key in parents {
        node = node
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("flat keys only nest into maps");
    }
    node.insert(last.to_string(), value);
}

// ---- Validation --------------------------------------------------------------------

/// Containers that are never the application (service-mesh proxies, secret agents…).
pub const WELL_KNOWN_SIDECARS: &[&str] = &[
    "istio-proxy",
    "istio-init",
    "linkerd-proxy",
    "linkerd-init",
    "envoy",
    "envoy-sidecar",
    "cloud-sql-proxy",
    "cloudsql-proxy",
    "vault-agent",
    "vault-agent-init",
    "consul-dataplane",
    "consul-connect-envoy-sidecar",
    "daprd",
    "aws-xray-daemon",
    "datadog-agent",
    "otc-container",
    "fluent-bit",
    "fluentd",
    "oauth2-proxy",
    "kube-rbac-proxy",
];

fn validate(spec: Spec) -> Result<Loaded, ConfigError> {
    let mut warnings = Vec::new();
    let Spec {
        collector,
        agent,
        naming,
        select,
        containers,
        workloads,
    } = spec;

    validate_host(&collector.host)?;
    let mut collector_ports = Vec::new();
    for (channel, port, default) in [
        ("agent", collector.agent_port, DEFAULT_AGENT_PORT),
        ("metadata", collector.metadata_port, DEFAULT_AGENT_PORT),
        ("stat", collector.stat_port, DEFAULT_STAT_PORT),
        ("span", collector.span_port, DEFAULT_SPAN_PORT),
    ] {
        if port == 0 {
            return Err(bad(format!(
                "spec.collector.{channel}Port: 0 is not a port"
            )));
        }
        if port != default {
            collector_ports.push((channel, port));
        }
    }

    validate_image(&agent.image, &mut warnings)?;
    if let Some(policy) = &agent.image_pull_policy
        && !["Always", "IfNotPresent", "Never"].contains(&policy.as_str())
    {
        return Err(bad(format!(
            "spec.agent.imagePullPolicy: {policy:?} is not one of Always, IfNotPresent, Never"
        )));
    }
    for (field, path) in [
        ("sourcePath", &agent.source_path),
        ("mountPath", &agent.mount_path),
    ] {
        validate_path(field, path)?;
    }
    if agent.mount_path.trim_end_matches('/').is_empty() {
        return Err(bad(
            "spec.agent.mountPath: mounting over / would hide the whole image",
        ));
    }
    if agent.bootstrap_jar.is_empty()
        || !agent.bootstrap_jar.chars().all(is_token_char)
        || agent.bootstrap_jar.contains('/')
    {
        return Err(bad(format!(
            "spec.agent.bootstrapJar: {:?} must be a file name of [a-zA-Z0-9._-]",
            agent.bootstrap_jar
        )));
    }
    if agent.profile.is_empty() || !agent.profile.chars().all(is_token_char) {
        return Err(bad(format!(
            "spec.agent.profile: {:?} must be [a-zA-Z0-9._-]",
            agent.profile
        )));
    }
    let options_env_explicit = agent.options_env.is_some();
    let options_env = agent
        .options_env
        .clone()
        .unwrap_or_else(|| DEFAULT_OPTIONS_ENV.into());
    if !is_env_name(&options_env) || options_env.starts_with("PINPOINT_") {
        return Err(bad(format!(
            "spec.agent.optionsEnv: {:?} must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*) that does not start with PINPOINT_",
            options_env
        )));
    }
    if ![
        "JAVA_TOOL_OPTIONS",
        "CATALINA_OPTS",
        "JAVA_OPTS",
        "JDK_JAVA_OPTIONS",
    ]
    .contains(&options_env.as_str())
    {
        warnings.push(Diagnostic::warning(format!(
            "spec.agent.optionsEnv {}: only the JVM reads JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS by itself; make sure the image's start script passes {} to java",
            options_env, options_env
        )));
    }
    let mut system_properties = BTreeMap::new();
    for (key, Scalar(value)) in agent.system_properties {
        if key.is_empty() || !key.chars().all(is_token_char) {
            return Err(bad(format!(
                "spec.agent.systemProperties: key {key:?} must be [a-zA-Z0-9._-]"
            )));
        }
        if value.is_empty()
            || value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\'')
        {
            return Err(bad(format!(
                "spec.agent.systemProperties.{key}: {value:?} must be non-empty, without spaces or quotes (each property is one JVM flag)"
            )));
        }
        system_properties.insert(key, value);
    }
    for (field, name) in [
        ("volumeName", &agent.volume_name),
        ("initContainerName", &agent.init_container_name),
    ] {
        if !is_dns_label(name) {
            return Err(bad(format!(
                "spec.agent.{field}: {name:?} is not a valid Kubernetes name (a DNS-1123 label)"
            )));
        }
    }
    let volume_size_limit = agent
        .volume_size_limit
        .map(|Scalar(q)| {
            if is_quantity(&q) {
                Ok(Quantity(q))
            } else {
                Err(bad(format!(
                    "spec.agent.volumeSizeLimit: {q:?} is not a Kubernetes quantity (e.g. 256Mi)"
                )))
            }
        })
        .transpose()?;

    let application_name = Template::parse(naming.application_name.as_deref().unwrap_or("{name}"))
        .map_err(|e| bad(format!("spec.naming.applicationName: {e}")))?;
    let job_application_name =
        Template::parse(naming.job_application_name.as_deref().unwrap_or("{name}"))
            .map_err(|e| bad(format!("spec.naming.jobApplicationName: {e}")))?;
    let max_length = naming.max_length.unwrap_or(24);
    if !(naming::MIN_MAX_LENGTH..=254).contains(&max_length) {
        return Err(bad(format!(
            "spec.naming.maxLength: {max_length} must be between {} and 254",
            naming::MIN_MAX_LENGTH
        )));
    }
    let agent_name = match naming.agent_name.as_deref().unwrap_or("podName") {
        "podName" => AgentName::PodName,
        "none" => AgentName::None,
        other => {
            return Err(bad(format!(
                "spec.naming.agentName: {other:?} is not one of podName, none"
            )));
        }
    };
    let agent_id = match naming.agent_id.as_deref().unwrap_or("auto") {
        "auto" => AgentId::Auto,
        "podIP" => {
            warnings.push(Diagnostic::warning(
                "spec.naming.agentId podIP: an IPv6 pod address is not a valid Pinpoint agent id (':' is not allowed); use auto on IPv6 or dual-stack clusters",
            ));
            AgentId::PodIp
        }
        "podName" => {
            warnings.push(Diagnostic::warning(format!(
                "spec.naming.agentId podName: Pinpoint rejects agent ids longer than {max_length} characters, and most generated pod names are longer; auto is safer"
            )));
            AgentId::PodName
        }
        other => {
            return Err(bad(format!(
                "spec.naming.agentId: {other:?} is not one of auto, podIP, podName"
            )));
        }
    };

    let workloads = configured::validate(&workloads).map_err(bad)?;
    let kinds = select_kinds(&select.kinds, &workloads)?;
    let containers =
        parse_containers(&containers).map_err(|e| bad(format!("spec.containers: {e}")))?;

    let settings = Settings {
        collector_host: collector.host,
        collector_ports,
        image: agent.image,
        image_pull_policy: agent.image_pull_policy,
        source_path: agent.source_path,
        mount_path: agent.mount_path,
        bootstrap_jar: agent.bootstrap_jar,
        profile: agent.profile,
        options_env,
        options_env_explicit,
        system_properties,
        init_resources: agent.resources.unwrap_or_else(default_init_resources),
        init_security_context: agent.security_context,
        volume_size_limit,
        volume_name: agent.volume_name,
        init_container_name: agent.init_container_name,
        application_name,
        job_application_name,
        max_length,
        agent_name,
        agent_id,
        select: Selector {
            kinds,
            namespaces: select.namespaces,
            match_labels: select.match_labels,
            exclude_names: select.exclude_names,
            opt_in: select.opt_in,
            runtimes: parse_runtimes(select.runtimes)?,
            categories: parse_categories(select.categories)?,
        },
        containers,
        workloads,
    };
    Ok(Loaded { settings, warnings })
}

/// `spec.select.kinds`: empty is every built-in and configured kind; an entry is a bare
/// kind (every kind of that name) or `Kind.group` (the one of that API group).
fn select_kinds(
    entries: &[String],
    workloads: &[WorkloadKind],
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
                "spec.select.kinds: {entry:?} is not one of {} (Kind.group, like StatefulSet.apps.kruise.io, picks one API group; other kinds go under spec.workloads first)",
                known.join(", ")
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

/// `select.runtimes`: default java and unknown (a company's own image rarely shows its
/// runtime in the manifest); not-java only when a user asks for it.
fn parse_runtimes(names: Option<Vec<String>>) -> Result<Vec<Runtime>, ConfigError> {
    let Some(names) = names else {
        return Ok(vec![Runtime::Java, Runtime::Unknown]);
    };
    names
        .iter()
        .map(|n| {
            Runtime::from_name(n).ok_or_else(|| {
                bad(format!(
                    "spec.select.runtimes: {n:?} is not one of java, unknown, not-java"
                ))
            })
        })
        .collect()
}

/// `select.categories`: default application and data-server (the JVM servers charts
/// bring along: Kafka, ZooKeeper, Cassandra, Elasticsearch…).
fn parse_categories(names: Option<Vec<String>>) -> Result<Vec<Role>, ConfigError> {
    let Some(names) = names else {
        return Ok(vec![Role::Application, Role::DataServer]);
    };
    names
        .iter()
        .map(|n| match n.as_str() {
            "application" => Ok(Role::Application),
            "data-server" => Ok(Role::DataServer),
            _ => Err(bad(format!(
                "spec.select.categories: {n:?} is not one of application, data-server"
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

/// Small requests and limits for the copy step, so quota-enforcing namespaces accept it.
fn default_init_resources() -> ResourceRequirements {
    let q = |s: &str| Quantity(s.to_string());
    ResourceRequirements {
        requests: Some(
            [
                ("cpu".to_string(), q("10m")),
                ("memory".to_string(), q("32Mi")),
            ]
            .into(),
        ),
        limits: Some(
            [
                ("cpu".to_string(), q("500m")),
                ("memory".to_string(), q("128Mi")),
            ]
            .into(),
        ),
        ..Default::default()
    }
}

fn validate_host(host: &str) -> Result<(), ConfigError> {
    let unbracketed = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if unbracketed.parse::<IpAddr>().is_ok() || is_dns_name(host) {
        return Ok(());
    }
    Err(bad(format!(
        "spec.collector.host: {host:?} is not a hostname or an IP address"
    )))
}

fn validate_image(image: &str, warnings: &mut Vec<Diagnostic>) -> Result<(), ConfigError> {
    if image.is_empty() || image.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(format!(
            "spec.agent.image: {image:?} is not an image reference"
        )));
    }
    if image.contains('@') {
        return Ok(()); // pinned by digest
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => warnings.push(Diagnostic::warning(format!(
            "spec.agent.image {image} has no tag: it means :latest, which changes under you; pin a version or a digest"
        ))),
        Some((_, "latest")) => warnings.push(Diagnostic::warning(format!(
            "spec.agent.image {image} uses :latest, which changes under you; pin a version or a digest"
        ))),
        Some((_, "")) => return Err(bad(format!("spec.agent.image: {image:?} has an empty tag"))),
        Some(_) => {}
    }
    Ok(())
}

fn validate_path(field: &str, path: &str) -> Result<(), ConfigError> {
    if !path.starts_with('/')
        || path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '$')
        || path.contains("/../")
        || path.ends_with("/..")
    {
        return Err(bad(format!(
            "spec.agent.{field}: {path:?} must be an absolute path without spaces, '$' or '..'"
        )));
    }
    Ok(())
}

fn is_token_char(c: char) -> bool {
    naming::is_pinpoint_char(c)
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A DNS-1123 label: what Kubernetes accepts as a container or volume name.
pub fn is_dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn is_dns_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn is_quantity(q: &str) -> bool {
    let digits_end = q
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(q.len());
    let (number, suffix) = q.split_at(digits_end);
    !number.is_empty()
        && number.parse::<f64>().is_ok()
        && [
            "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P", "E", "m",
        ]
        .contains(&suffix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "apiVersion": API_VERSION, "kind": KIND, "metadata": {"name": "x"},
            "spec": {"collector": {"host": "pinpoint-collector.pinpoint"}, "agent": {"image": "pinpointdocker/pinpoint-agent:2.5.4"}}
        })
    }

    #[test]
    fn defaults_fill_everything_else() {
        let loaded = load(&minimal()).unwrap();
        let s = loaded.settings;
        assert!(loaded.warnings.is_empty());
        assert_eq!(s.mount_path, "/pinpoint-agent");
        assert_eq!(s.options_env, "JAVA_TOOL_OPTIONS");
        assert_eq!(s.agent_id, AgentId::Auto);
        assert_eq!(s.agent_name, AgentName::PodName);
        assert_eq!(s.containers, ContainerChoice::FirstApp);
        assert!(s.collector_ports.is_empty());
        assert_eq!(s.select.kinds.len(), WorkloadKind::all().count());
    }

    #[test]
    fn unknown_fields_are_named() {
        let mut doc = minimal();
        doc["spec"]["collector"]["hots"] = json!("x");
        let err = load(&doc).unwrap_err().to_string();
        assert!(
            err.contains("spec.collector") && err.contains("unknown field `hots`"),
            "{err}"
        );
    }

    #[test]
    fn missing_required_fields_are_named() {
        let mut doc = minimal();
        doc["spec"]["agent"]
            .as_object_mut()
            .unwrap()
            .remove("image");
        let err = load(&doc).unwrap_err().to_string();
        assert!(
            err.contains("spec.agent") && err.contains("missing field `image`"),
            "{err}"
        );
    }

    #[test]
    fn flat_config_map_is_the_same_config() {
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "fn"}, "data": {
            "collectorHost": "10.0.0.7", "agentImage": "reg/agent:1", "collectorSpanPort": "19993",
            "applicationName": "{label:app|name}", "agentId": "podIP", "optIn": "true",
            "systemProperties": "profiler.sampling.rate=20, profiler.log.level=INFO", "containers": "app,worker"
        }});
        let s = load(&cm).unwrap().settings;
        assert_eq!(s.collector_host, "10.0.0.7");
        assert_eq!(s.collector_ports, vec![("span", 19993)]);
        assert_eq!(s.agent_id, AgentId::PodIp);
        assert!(s.select.opt_in);
        assert_eq!(
            s.system_properties
                .get("profiler.sampling.rate")
                .map(String::as_str),
            Some("20")
        );
        assert_eq!(
            s.containers,
            ContainerChoice::Named(vec!["app".into(), "worker".into()])
        );
        let bad_key = json!({"kind": "ConfigMap", "data": {"colectorHost": "x"}});
        assert!(
            load(&bad_key)
                .unwrap_err()
                .to_string()
                .contains("unknown key `colectorHost`")
        );
    }

    #[test]
    fn values_that_could_smuggle_flags_are_rejected() {
        for (path, value) in [
            (&["collector", "host"][..], json!("collector -Dx=y")),
            (&["agent", "mountPath"][..], json!("/a b")),
            (&["agent", "bootstrapJar"][..], json!("x.jar -Dy")),
            (&["agent", "profile"][..], json!("release -Dz")),
            (&["agent", "optionsEnv"][..], json!("JAVA OPTS")),
        ] {
            let mut doc = minimal();
            doc["spec"][path[0]][path[1]] = value;
            assert!(load(&doc).is_err(), "{path:?}");
        }
        let mut doc = minimal();
        doc["spec"]["agent"]["systemProperties"] = json!({"a": "1 -Dinjected=1"});
        assert!(load(&doc).is_err());
    }

    #[test]
    fn latest_and_untagged_images_warn_and_digests_do_not() {
        for (image, warns) in [
            ("reg:5000/agent", true),
            ("agent:latest", true),
            ("agent:2.5.4", false),
            (
                "agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                false,
            ),
        ] {
            let mut doc = minimal();
            doc["spec"]["agent"]["image"] = json!(image);
            assert_eq!(!load(&doc).unwrap().warnings.is_empty(), warns, "{image}");
        }
    }
}
