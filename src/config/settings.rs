//! What the core uses: the validated [`Settings`] (everything in it has been checked),
//! and the error a config that cannot be used gives.

use super::form::Form;
use super::images::ImageRule;
use super::template::Template;
use crate::knowledge::images::{Role, Runtime};
use crate::knowledge::kinds::WorkloadKind;
use k8s_openapi::api::core::v1::{ResourceRequirements, SecurityContext};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

// ---- What the core uses -----------------------------------------------------------

/// How the agent's files reach the application container (`agent.delivery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// An init container copies them into an `emptyDir` (the default).
    InitContainer,
    /// The agent image itself is mounted, read-only (an `image` volume, Kubernetes 1.31+).
    ImageVolume,
}

impl Delivery {
    /// The name the config, the marker and the report use.
    pub fn name(self) -> &'static str {
        match self {
            Delivery::InitContainer => "initContainer",
            Delivery::ImageVolume => "imageVolume",
        }
    }

    pub fn from_name(name: &str) -> Option<Delivery> {
        [Delivery::InitContainer, Delivery::ImageVolume]
            .into_iter()
            .find(|d| d.name() == name)
    }
}

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

/// What `spec.agent` decides: the agent image, how it reaches the pod, the paths and
/// names the wiring uses, and the JVM options.
#[derive(Debug, Clone)]
pub struct AgentSettings {
    pub image: String,
    pub delivery: Delivery,
    /// The fields only the copy step uses that the config sets (`resources`, …).
    pub copy_step_fields: Vec<&'static str>,
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
}

/// The validated config. Everything here has been checked; the core trusts it.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The form the config was written in, for messages that name a field.
    pub form: Form,
    pub collector_host: String,
    /// `(channel, port)` for every port that differs from Pinpoint's default.
    pub collector_ports: Vec<(&'static str, u16)>,
    /// What `spec.agent` decides.
    pub agent: AgentSettings,
    /// The cluster's version (`spec.kubernetesVersion` or `--kube-version`), as
    /// `(major, minor)`, when given.
    pub kubernetes_version: Option<(u32, u32)>,
    /// The writable `emptyDir` for the agent's logs (`imageVolume`): `<volumeName>-logs`.
    pub log_volume_name: String,
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
    /// The site's rules for images (`spec.images`), in order: the first match applies.
    pub image_rules: Vec<ImageRule>,
}

impl Settings {
    /// The config field at `path` under `spec`, named in the form the config was
    /// written in (see [`Form::field`]).
    pub fn field(&self, path: &str) -> String {
        self.form.field(path)
    }
}

/// What the command line sets over the config (the shell's flags, as Helm's
/// `--kube-version`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--kube-version`, as written: wins over `spec.kubernetesVersion`.
    pub kubernetes_version: Option<String>,
}

/// A config and the warnings validating it produced.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub settings: Settings,
    pub warnings: Vec<String>,
}
