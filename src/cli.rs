//! Command-line arguments, and the help text that documents both modes and the config
//! (`kpt fn doc` prints it).

use clap::Parser;
use std::path::PathBuf;

/// Environment variable naming the config file (Helm before 3.9 cannot pass arguments).
pub const CONFIG_ENV: &str = "PINPOINT_INJECT_CONFIG";

const ABOUT: &str = "Wire the Pinpoint APM Java agent into every Java workload of a render: a KRM function for kustomize and kpt, and a Helm post-renderer.";

const LONG_HELP: &str = r#"MODES (detected from stdin)
  KRM function   stdin is one ResourceList (kustomize `transformers:`, kpt fn eval/render).
                 The config is its functionConfig (a PinpointInjector, or a ConfigMap with
                 flat keys as `kpt fn eval --exec pinpoint-inject -- collectorHost=… agentImage=…`
                 sends). Output: the ResourceList with the edited items and `results`.
                 Errors and warnings are also printed on stderr. Exit 1 on any error result.
  Stream         stdin is a multi-document YAML stream (helm template / helm install
                 --post-renderer, Argo CD plugins). The config comes from --config FILE or
                 the file named by $PINPOINT_INJECT_CONFIG. Output: the same documents in
                 the same order; unchanged documents byte for byte; changed ones edited in
                 place (only the wiring differs). One stderr line per injected or skipped
                 workload. Exit 1 on any error (every document is still written).
                 Messages name a document as "document N (chart/templates/x.yaml)": N counts
                 the documents with content, from 1 (comment-only ones, which Helm emits for
                 disabled templates, are not counted), and the template is the one Helm's
                 `# Source:` comment names. In KRM mode they name config.kubernetes.io/path.

WHAT IT ADDS to Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
Job, CronJob, Pod, PodTemplate (and the items of a v1 List); nothing else is touched:
  - an emptyDir volume and an init container that copies the agent into it,
  - in each target container: the volume mount, PINPOINT_POD_NAME / PINPOINT_POD_IP from
    the downward API when referenced, PINPOINT_AGENT_OPTS holding every agent flag, and
    the options variable (JAVA_TOOL_OPTIONS by default) ending in $(PINPOINT_AGENT_OPTS);
    an existing literal value is kept in front, an existing valueFrom is moved to
    PINPOINT_ORIGINAL_<NAME> and referenced,
  - the annotation pinpoint-inject.dev/injected on the pod template.
Running it again changes nothing; running it with another config replaces the wiring.

CONFIG (apiVersion: pinpoint-inject.dev/v1alpha1, kind: PinpointInjector)
  spec:
    collector:
      host: pinpoint-collector.pinpoint    # required, hostname or IP
      agentPort: 9991                      # also metadataPort 9991, statPort 9992, spanPort 9993
    agent:
      image: pinpointdocker/pinpoint-agent:2.5.4   # required; :latest or no tag warns
      imagePullPolicy: IfNotPresent        # optional
      sourcePath: /pinpoint-agent          # agent files in the image
      mountPath: /pinpoint-agent           # where the app container sees them
      bootstrapJar: pinpoint-bootstrap.jar
      profile: release                     # -Dpinpoint.profiler.profiles.active
      optionsEnv: JAVA_TOOL_OPTIONS        # or CATALINA_OPTS, JAVA_OPTS
      systemProperties: {profiler.sampling.rate: "20"}
      resources: {…}                       # init container; small defaults
      securityContext: {…}                 # init container; default: the target container's
      volumeSizeLimit: 256Mi
      volumeName: pinpoint-agent
      initContainerName: pinpoint-agent-init
    naming:
      applicationName: "{label:app.kubernetes.io/name|name}"  # {name} {namespace} {kind}
                                           # {container} {label:K} {annotation:K}, | = fallback
      maxLength: 24                        # Pinpoint's limit; longer names get prefix + hash
      agentName: podName                   # or none
      agentId: auto                        # or podIP, podName
    select:
      kinds: [Deployment, StatefulSet]     # default: every pod-bearing kind
      namespaces: [dev]
      matchLabels: {team: shop}
      excludeNames: [legacy-batch]
      optIn: false                         # true: only workloads annotated inject: "true"
    containers: []                         # names; default: first non-sidecar; ["*"]: all

  Flat ConfigMap keys: collectorHost, collectorAgentPort, collectorMetadataPort,
  collectorStatPort, collectorSpanPort, agentImage, imagePullPolicy, sourcePath, mountPath,
  bootstrapJar, profile, optionsEnv, systemProperties (k=v,k=v), volumeSizeLimit,
  volumeName, initContainerName, applicationName, maxLength, agentName, agentId,
  kinds, namespaces, excludeNames, containers (comma lists), matchLabels (k=v,k=v), optIn.

WORKLOAD ANNOTATIONS
  pinpoint-inject.dev/inject: "false"            never instrument ("true" opts in with optIn)
  pinpoint-inject.dev/application-name: orders   the application name
  pinpoint-inject.dev/containers: "app,worker"   the containers ("*": all non-sidecars)

EXAMPLES
  helm template my-release ./chart | pinpoint-inject --config pinpoint.yaml
  helm install my-release ./chart --post-renderer pinpoint-inject \
      --post-renderer-args --config --post-renderer-args pinpoint.yaml
  kpt fn eval ./manifests --exec pinpoint-inject -- collectorHost=collector agentImage=agent:2.5.4
"#;

#[derive(Debug, Parser)]
#[command(name = "pinpoint-inject", version, about = ABOUT, long_about = ABOUT, after_long_help = LONG_HELP)]
pub struct Cli {
    /// Function config file (PinpointInjector or ConfigMap). Default: $PINPOINT_INJECT_CONFIG.
    /// In KRM mode the ResourceList's functionConfig takes precedence.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl Cli {
    /// The config file to read: `--config`, else `$PINPOINT_INJECT_CONFIG` (if set and not empty).
    pub fn config_path(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| {
            std::env::var_os(CONFIG_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }
}
