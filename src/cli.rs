//! Command-line arguments, and the help text that documents both modes and the config
//! (`kpt fn doc` prints it).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Environment variable naming the config file (Helm before 3.9 cannot pass arguments).
pub const CONFIG_ENV: &str = "PINPOINT_INJECT_CONFIG";
/// Environment variable naming an image facts file, like `--image-facts`.
pub const IMAGE_FACTS_ENV: &str = "PINPOINT_INJECT_IMAGE_FACTS";

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
                 place (only the wiring differs). One stderr line per injected, unchanged
                 or skipped workload, then a one-line summary. Exit 1 on a document error
                 (every document is still written, the broken ones unchanged) and on a
                 config error (then nothing is written).
                 Messages name a document as "document N (chart/templates/x.yaml)": N counts
                 the documents with content, from 1 (comment-only ones, which Helm emits for
                 disabled templates, are not counted), and the template is the one Helm's
                 `# Source:` comment names. In KRM mode they name config.kubernetes.io/path.

ENVIRONMENT
  PINPOINT_INJECT_CONFIG        the config file, when --config is not given
  PINPOINT_INJECT_THREADS       threads for a long stream or list, 1 to 64 (default: one
                                per core, at most 4)
  PINPOINT_INJECT_MAX_DOCUMENT  the largest document parsed, in bytes or with KiB, MiB or
                                GiB (default 1.5MiB, etcd's limit on one object): a stream's
                                workload, a ResourceList's or a List's item (a ResourceList
                                read whole: four times it). One over it is an error and is
                                written back unchanged; a document that is no workload passes through at
                                any size, and a List is read one item at a time. A config
                                (file or functionConfig) is read up to 1 MiB.

KINDS (matched by API group too): Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob, Pod, PodTemplate (and the items of a v1 List);
Argo Rollouts Rollout (one with spec.workloadRef instead of a template is left alone:
the Deployment it names gets the agent); OpenKruise (apps.kruise.io) CloneSet,
StatefulSet, DaemonSet, BroadcastJob, AdvancedCronJob; Knative Serving (serving.knative.dev/v1)
Service, Configuration (with a warning naming the config-features flags they need); KEDA
ScaledJob (spec.jobTargetRef.template); and the kinds of spec.workloads. Another kind that
carries a pod template gets an info line with the spec.workloads entry that would wire it.

WHAT IT ADDS to each selected pod template; nothing else is touched:
  - agent.delivery initContainer (the default): an emptyDir volume and an init container
    that copies the agent into it; imageVolume: the agent image itself as a read-only
    image volume (on by default from Kubernetes 1.35) and an emptyDir for its logs,
  - in each target container: the volume mount(s), PINPOINT_POD_NAME / PINPOINT_POD_IP from
    the downward API when referenced, PINPOINT_AGENT_OPTS holding every agent flag, and
    the options variable (JAVA_TOOL_OPTIONS by default) ending in $(PINPOINT_AGENT_OPTS);
    an existing literal value is kept in front, an existing valueFrom is moved to
    PINPOINT_ORIGINAL_<NAME> and referenced,
  - the annotation pinpoint-inject.dev/injected on the pod template.
Running it again changes nothing; running it with another config replaces the wiring.
Only what matches, by content, what a run adds is ever taken out again. Windows pods
are left alone.

CONFIG (apiVersion: pinpoint-inject.dev/v1alpha1, kind: PinpointInjector; a field with a
default shows it, the others an example)
  spec:
    collector:
      host: pinpoint-collector.pinpoint    # required, hostname or IP
      agentPort: 9991                      # the gRPC ports, passed only when not the default
      metadataPort: 9991
      statPort: 9992
      spanPort: 9993
    agent:
      image: pinpointdocker/pinpoint-agent:2.5.4   # required; :latest or no tag warns
      delivery: initContainer              # or imageVolume: the image mounted read-only
      imagePullPolicy: IfNotPresent        # optional
      sourcePath: /pinpoint-agent          # agent files in the image
      mountPath: /pinpoint-agent           # where the app container sees them
      bootstrapJar: pinpoint-bootstrap.jar
      profile: release                     # -Dpinpoint.profiler.profiles.active
      optionsEnv: JAVA_TOOL_OPTIONS        # default: the image's launch profile (CATALINA_OPTS
                                           # for Tomcat, KAFKA_OPTS, …), else JAVA_TOOL_OPTIONS
      systemProperties: {profiler.sampling.rate: "20"}   # values: letters, digits, . _ - / : , + = @
      resources: {…}                       # init container; small defaults
      securityContext: {…}                 # init container; overrides the least-privilege default
      volumeSizeLimit: 256Mi               # of the emptyDir (imageVolume: the logs')
      volumeName: pinpoint-agent
      initContainerName: pinpoint-agent-init
    naming:
      applicationName: "{name}"            # over {name} {namespace} {kind} {container} {label:K}
                                           # {annotation:K}, | = fallback: a chart's label else
                                           # the name is "{label:app.kubernetes.io/name|name}"
      jobApplicationName: "{name}"         # the same for Jobs and CronJobs
      maxLength: 24                        # Pinpoint's limit; longer names get prefix + hash
      agentName: podName                   # or none
      agentId: auto                        # or podIP, podName
    select:
      kinds: [Deployment, StatefulSet]     # default: every kind; Kind.group for one API
                                           # group (StatefulSet.apps.kruise.io)
      namespaces: [dev]
      matchLabels: {team: shop}
      excludeNames: [legacy-batch]
      optIn: false                         # true: only workloads annotated inject: "true"
                                           # (or opted in by ARMS/OTel/Datadog/SkyWalking keys)
      runtimes: [java, unknown]            # also not-java; never by default
      categories: [application, data-server]   # data-server: Kafka, ZooKeeper, Cassandra…
    containers: []                         # names; default: the Java containers, else the
                                           # main unknown one; ["*"]: every eligible one
    workloads:                             # kinds to add, with their pod template's path
    - apiVersion: example.com/v1           # exact, or example.com/* for every version
      kind: Widget
      podTemplate: spec.runner.template    # a dot path of field names
    images:                                # site rules for images the tool cannot read
    - match: registry.example.com/shop/*   # repository pattern (* any but /, ** any)
      runtime: java                        # or not-java
      optionsEnv: JAVA_OPTS                # the variable the image's launch path reads
      category: application                # or data-server, tooling, sidecar
    kubernetesVersion: "1.35"              # the cluster's (--kube-version wins); checks delivery

  Flat ConfigMap keys: collectorHost, collectorAgentPort, collectorMetadataPort,
  collectorStatPort, collectorSpanPort, agentImage, agentDelivery, imagePullPolicy,
  sourcePath, mountPath,
  bootstrapJar, profile, optionsEnv, systemProperties (k=v,k=v), volumeSizeLimit,
  volumeName, initContainerName, applicationName, maxLength, agentName, agentId,
  kinds, namespaces, excludeNames, containers, runtimes, categories (comma lists),
  matchLabels (k=v,k=v), optIn, jobApplicationName, kubernetesVersion,
  workloads (one `apiVersion kind podTemplate` per line or comma),
  images (one `PATTERN runtime=… optionsEnv=… category=…` per line).

WORKLOAD ANNOTATIONS
  pinpoint-inject.dev/inject: "false"            never instrument ("true" opts in with optIn)
  pinpoint-inject.dev/application-name: orders   the application name
  pinpoint-inject.dev/containers: "app,worker"   the containers ("*": every eligible one)
  ARMS, OpenTelemetry, Datadog and SkyWalking keys opt in and name the application too
  (armsPilotAutoEnable, armsPilotCreateAppName, instrumentation.opentelemetry.io/inject-java,
  resource.opentelemetry.io/service.name, tags.datadoghq.com/service, …); ours win.

WHICH CONTAINERS
  Each container is java, not-java or unknown, from its image (a table of JVM and other
  images, any registry), command/args, env (JAVA_*, JVM_*, -Xmx), actuator probe paths and
  aliyun.com/app-language. java and unknown are instrumented, never not-java; never a
  sidecar, exporter or tool; in a pod, every Java container, else the main unknown one. A
  container another agent (OpenTelemetry, SkyWalking, ARMS, Huawei APM, any -javaagent)
  already instruments is left alone. Known images get the options variable their launch
  script reads (Tomcat CATALINA_OPTS, Kafka KAFKA_OPTS, Cassandra JVM_EXTRA_OPTS, …).

REPORT
  pinpoint-inject report [--json] takes the same input and config and prints one row per
  workload and container instead of the manifests: instrumented, unchanged, already
  instrumented (another agent), skipped (with the reason) or error, with the evidence
  (image family, command, env, probes, labels), the application name and the options
  variable. A normal run ends stderr with a one-line summary of the same decisions.

EXAMPLES
  helm template my-release ./chart | pinpoint-inject --config pinpoint.yaml
  helm template my-release ./chart | pinpoint-inject report --config pinpoint.yaml
  helm install my-release ./chart --post-renderer pinpoint-inject \
      --post-renderer-args --config --post-renderer-args pinpoint.yaml
  kpt fn eval ./manifests --exec pinpoint-inject -- collectorHost=collector agentImage=agent:2.5.4
"#;

#[derive(Debug, Parser)]
#[command(name = "pinpoint-inject", version, about = ABOUT, long_about = ABOUT, after_long_help = LONG_HELP)]
pub struct Cli {
    /// Function config file (PinpointInjector or ConfigMap). Default: $PINPOINT_INJECT_CONFIG.
    /// In KRM mode the ResourceList's functionConfig takes precedence.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// Image facts (an ImageFacts resource, as `pinpoint-inject images` writes it): what
    /// each image's config says decides the runtime and the options variable, and what
    /// the image sets is kept. May be given more than once. Default:
    /// $PINPOINT_INJECT_IMAGE_FACTS. In KRM mode, ImageFacts items of the ResourceList
    /// are read too.
    #[arg(long = "image-facts", value_name = "FILE", global = true)]
    pub image_facts: Vec<PathBuf>,
    /// Before the run, read from the registries the configs of the images the facts
    /// lack (kept by digest in the user's cache directory). Without it a run never opens
    /// a connection.
    #[arg(long = "fetch-images", global = true)]
    pub fetch_images: bool,
    /// The platform an image index is resolved to (`images`, `--fetch-images`).
    /// Default: linux/amd64.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]", global = true)]
    pub platform: Option<String>,
    /// A registry (`host` or `host:port`) that may be spoken to in plain HTTP when HTTPS
    /// fails; registries on a loopback address always may. May be given more than once.
    #[arg(long = "insecure-registry", value_name = "HOST", global = true)]
    pub insecure_registries: Vec<String>,
    /// The Kubernetes version the output is for (1.35, v1.35.0), as Helm's --kube-version;
    /// wins over spec.kubernetesVersion. Checked against agent.delivery imageVolume.
    #[arg(long, value_name = "VERSION", global = true)]
    pub kube_version: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print what a run would decide, one row per workload and container (decision,
    /// evidence, application name, options variable), instead of the manifests. Same
    /// input and config as a run, in both modes; exit 1 when a row is an error.
    Report {
        /// JSON instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Read the image config of every image the input's pod templates name from its
    /// registry (credentials as Docker finds them: $DOCKER_CONFIG/config.json, credential
    /// helpers, anonymous tokens) and write the ImageFacts resource: to stdout, to
    /// --output FILE, or into --update FILE, whose entries stay as they are. A run reads
    /// it with --image-facts (or as an item of a ResourceList). Exit 1 on input that
    /// cannot be read, and with --strict when an image cannot be read.
    Images {
        /// Write the facts to this file (replaced whole, never half written).
        #[arg(long, value_name = "FILE", conflicts_with = "update")]
        output: Option<PathBuf>,
        /// Keep the entries this file has and add what it lacks.
        #[arg(long, value_name = "FILE")]
        update: Option<PathBuf>,
        /// Exit 1 when an image cannot be read (the facts read are still written).
        #[arg(long)]
        strict: bool,
    },
}

impl Cli {
    /// What the flags set over the config.
    pub fn overrides(&self) -> pinpoint_inject::config::Overrides {
        pinpoint_inject::config::Overrides {
            kubernetes_version: self.kube_version.clone(),
        }
    }

    /// The image facts files: `--image-facts`, else `$PINPOINT_INJECT_IMAGE_FACTS`.
    pub fn image_facts_paths(&self) -> Vec<PathBuf> {
        if !self.image_facts.is_empty() {
            return self.image_facts.clone();
        }
        std::env::var_os(IMAGE_FACTS_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .into_iter()
            .collect()
    }

    /// The config file to read: `--config`, else `$PINPOINT_INJECT_CONFIG` (if set and not empty).
    pub fn config_path(&self) -> Option<PathBuf> {
        self.config.clone().or_else(|| {
            std::env::var_os(CONFIG_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
    }
}
