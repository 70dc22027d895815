//! The generators: workloads of every kind, configs, and streams of documents in the
//! styles charts and people write.

use super::super::*;

// ---- generators --------------------------------------------------------------------

/// Scalars that YAML 1.1 and 1.2 readers disagree on, and other awkward text.
pub const TRICKY: &[&str] = &[
    "on",
    "off",
    "y",
    "n",
    "yes",
    "NO",
    "True",
    "null",
    "~",
    "",
    " ",
    "0644",
    "0x1F",
    "1_000",
    "1e3",
    "0123",
    "08",
    ".5",
    "-",
    "---",
    "...",
    "2001-12-14",
    "1:20",
    "a: b",
    "#x",
    "x #y",
    "[a]",
    "{a}",
    "*a",
    "&a",
    "!a",
    "|",
    ">",
    "'",
    "\"",
    "\\",
    "tab\there",
    "line\nbreak",
    "trail\n",
    "  lead",
    "unicode é ü 日本",
    "\u{feff}bom",
    "$(HOME)",
    "$$(X)",
    "-Xmx1g",
    "-javaagent:/other.jar",
    "%",
    "@",
    "`",
    "=",
    "<<",
];

pub fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TRICKY).prop_map(String::from),
        1 => "[ -~]{0,12}",
        1 => "\\PC{0,8}",
    ]
}

pub fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,10}[a-z0-9]"
}

/// A literal or `valueFrom` env entry (never one of the names the tool reserves).
pub fn env_entry(var: String) -> impl Strategy<Value = Value> {
    let (literal, bare) = (var.clone(), var.clone());
    prop_oneof![
        3 => tricky().prop_map(move |v| json!({"name": literal.clone(), "value": v})),
        1 => Just(json!({"name": bare})),
        1 => (prop::option::of(any::<bool>()), any::<bool>()).prop_map({
            let var = var.clone();
            move |(optional, secret)| {
                let mut selector = json!({"name": "cfg", "key": "k"});
                if let Some(optional) = optional {
                    selector["optional"] = json!(optional);
                }
                let source = if secret { "secretKeyRef" } else { "configMapKeyRef" };
                json!({"name": var.clone(), "valueFrom": {source: selector}})
            }
        }),
        1 => Just(json!({"name": var.clone(), "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}})),
        // Shapes Kubernetes rejects or reads as nothing: refused, or kept as they were.
        1 => prop::sample::select(vec![
            json!({"name": var.clone(), "value": 5}),
            json!({"name": var.clone(), "value": "-Xmx1g", "valueFrom": null}),
            json!({"name": var.clone(), "value": "", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}),
            json!({"name": var.clone(), "value": "-Xmx1g", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}),
            json!({"name": var, "value": null}),
        ]),
    ]
}

pub const ENV_NAMES: &[&str] = &[
    "JAVA_TOOL_OPTIONS",
    "CATALINA_OPTS",
    "JAVA_OPTS",
    "JDK_JAVA_OPTIONS",
    "APP_MODE",
    "LOG_LEVEL",
    "PINPOINT_COLLECTOR",
    "PINPOINT_ORIGINAL_X",
    "OTHER",
];

pub fn env_list() -> impl Strategy<Value = Vec<Value>> {
    prop::sample::subsequence(ENV_NAMES, 0..=5)
        .prop_shuffle()
        .prop_flat_map(|names| {
            names
                .into_iter()
                .map(|n| env_entry(n.to_string()))
                .collect::<Vec<_>>()
        })
}

pub const CONTAINER_NAMES: &[&str] = &["app", "worker", "istio-proxy", "envoy", "web", "jvm"];

pub fn container(name: String) -> impl Strategy<Value = Value> {
    (
        prop::option::of(env_list()),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop::collection::vec(tricky(), 0..3)),
    )
        .prop_map(move |(env, env_from, mounts, args)| {
            let mut c = json!({"name": name.clone(), "image": "registry.example.com/app:1.0"});
            if let Some(env) = env {
                c["env"] = Value::Array(env);
            }
            if env_from {
                c["envFrom"] = json!([{"configMapRef": {"name": "env"}}]);
            }
            if mounts {
                c["volumeMounts"] = json!([{"name": "data", "mountPath": "/data"}]);
            }
            if let Some(args) = args {
                c["args"] = json!(args);
            }
            c
        })
}

pub fn pod_spec() -> impl Strategy<Value = Value> {
    (
        prop::sample::subsequence(CONTAINER_NAMES, 1..=3).prop_shuffle(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_flat_map(|(names, volumes, init)| {
            let containers: Vec<_> = names.into_iter().map(|n| container(n.to_string())).collect();
            (containers, Just(volumes), Just(init))
        })
        .prop_map(|(containers, volumes, init)| {
            let mut spec = json!({"containers": containers});
            if volumes {
                spec["volumes"] = json!([{"name": "data", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}}]);
            }
            if init {
                spec["initContainers"] = json!([{"name": "migrate", "image": "registry.example.com/migrate:1", "command": ["sh", "-c", "echo on"]}]);
            }
            spec
        })
}

/// Labels and annotations a naming template or the selection may read.
pub fn meta_maps() -> impl Strategy<Value = (Map<String, Value>, Map<String, Value>)> {
    (
        prop::option::of(tricky()),
        prop::option::of(tricky()),
        prop::option::of(tricky()),
        prop::option::of(prop::sample::select(&["true", "false", "yes"][..])),
        prop::option::of(prop::sample::select(&["app", "*", "worker,app", "web"][..])),
    )
        .prop_map(|(app, team, app_name, inject, containers)| {
            let mut labels = Map::new();
            let mut annotations = Map::new();
            if let Some(app) = app {
                labels.insert("app".into(), app.into());
            }
            if let Some(team) = team {
                annotations.insert("team".into(), team.into());
            }
            if let Some(n) = app_name {
                annotations.insert("pinpoint-inject.dev/application-name".into(), n.into());
            }
            if let Some(i) = inject {
                annotations.insert("pinpoint-inject.dev/inject".into(), i.into());
            }
            if let Some(c) = containers {
                annotations.insert("pinpoint-inject.dev/containers".into(), c.into());
            }
            (labels, annotations)
        })
}

pub const KINDS: &[(&str, &str)] = &[
    ("apps/v1", "Deployment"),
    ("apps/v1", "StatefulSet"),
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "ReplicaSet"),
    ("v1", "ReplicationController"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("v1", "Pod"),
    ("v1", "PodTemplate"),
];

/// A workload of any kind, its metadata on the workload or on the pod template.
pub fn workload() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(KINDS),
        name(),
        prop::option::of(name()),
        meta_maps(),
        any::<bool>(),
        pod_spec(),
    )
        .prop_map(|((api_version, kind), name, namespace, (labels, annotations), on_template, spec)| {
            let mut metadata = json!({"name": name});
            if let Some(ns) = namespace {
                metadata["namespace"] = json!(ns);
            }
            let mut template_meta = Map::new();
            let target = if on_template { &mut template_meta } else { metadata.as_object_mut().unwrap() };
            if !labels.is_empty() {
                target.insert("labels".into(), Value::Object(labels));
            }
            if !annotations.is_empty() {
                target.insert("annotations".into(), Value::Object(annotations));
            }
            let mut template = json!({"spec": spec});
            if !template_meta.is_empty() {
                template["metadata"] = Value::Object(template_meta);
            }
            let mut resource = json!({"apiVersion": api_version, "kind": kind, "metadata": metadata});
            match kind {
                "Pod" => {
                    let t = template.as_object().unwrap();
                    if let Some(Value::Object(m)) = t.get("metadata") {
                        for (k, v) in m {
                            resource["metadata"][k] = v.clone();
                        }
                    }
                    resource["spec"] = t["spec"].clone();
                }
                "PodTemplate" => resource["template"] = template,
                "CronJob" => {
                    resource["spec"] = json!({"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": template}}});
                }
                _ => resource["spec"] = json!({"selector": {"matchLabels": {"app": "x"}}, "template": template}),
            }
            resource
        })
}

/// A workload, or a `v1 List` of a few.
pub fn resource() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => workload(),
        1 => prop::collection::vec(workload(), 1..3)
            .prop_map(|items| json!({"apiVersion": "v1", "kind": "List", "items": items})),
    ]
}

pub const CONTAINER_CHOICES: &[&[&str]] = &[&[], &["*"], &["app"], &["worker", "app"]];

/// A config: every knob that changes the wiring, and some that change the selection.
pub fn settings() -> impl Strategy<Value = Settings> {
    (
        prop::sample::select(&["JAVA_TOOL_OPTIONS", "CATALINA_OPTS", "JAVA_OPTS", "JDK_JAVA_OPTIONS"][..]),
        prop::sample::select(&["auto", "podIP", "podName"][..]),
        prop::sample::select(&["podName", "none"][..]),
        prop::sample::select(&["{name}", "{label:app|name}", "{namespace|kind}-{name}.{container}", "{annotation:team|label:app}", "shop-{container}"][..]),
        8usize..40,
        prop::sample::select(CONTAINER_CHOICES),
        prop::sample::select(&[("pinpoint-agent", "pinpoint-agent-init"), ("data", "migrate"), ("apm", "apm-copy")][..]),
        prop::sample::select(&[("/pinpoint-agent", "/pinpoint-agent"), ("/opt/agent", "/opt/agent/lib"), ("/var/lib/pp_agent", "/var/init/pinpoint")][..]),
        any::<bool>(),
        prop::sample::select(&["initContainer", "imageVolume"][..]),
    )
        .prop_map(|(options, agent_id, agent_name, template, max_length, containers, (volume, init), (source, mount), opt_in, delivery)| {
            let doc = json!({
                "apiVersion": config::API_VERSION, "kind": config::KIND, "metadata": {"name": "p"},
                "spec": {
                    "collector": {"host": "collector.apm"},
                    "agent": {"image": "agent:2.5.4", "delivery": delivery, "optionsEnv": options, "volumeName": volume,
                              "initContainerName": init, "sourcePath": source, "mountPath": mount,
                              "systemProperties": {"profiler.sampling.rate": 20}},
                    "naming": {"applicationName": template, "maxLength": max_length,
                               "agentId": agent_id, "agentName": agent_name},
                    "select": {"optIn": opt_in},
                    "containers": containers,
                }
            });
            config::load(&doc).unwrap().settings
        })
}

/// How a document is written: block lists indented or not, or JSON (flow style).
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Compact,
    Indented,
    Json,
}

pub fn render(value: &Value, style: Style) -> String {
    match style {
        Style::Compact => yaml::to_string(value, ListStyle::Compact),
        Style::Indented => yaml::to_string(value, ListStyle::Indented),
        Style::Json => serde_json::to_string(value).unwrap() + "\n",
    }
}

pub fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::Compact),
        Just(Style::Indented),
        Just(Style::Json)
    ]
}

/// Documents that are not workloads, written by hand in styles our emitter never uses.
pub fn other_document() -> impl Strategy<Value = String> {
    (name(), tricky(), 0usize..8).prop_map(|(name, value, pick)| {
        let quoted = serde_json::to_string(&value).unwrap();
        match pick {
            0 => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}   # trailing\ndata:\n  mode: 0644\n  flag: on\n  text: {quoted}\n"),
            1 => format!("apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n    ports:\n        -   port: 80\n            name: \"http\"\n"),
            2 => format!("{{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {{\"name\": \"{name}\"}}, \"stringData\": {{\"k\": {quoted}}}}}\n"),
            3 => "# only a comment\n".to_string(),
            4 => String::new(),
            5 => format!("apiVersion: example.com/v1\nkind: Deployment   # a CRD of the same name\nmetadata:\n  name: {name}\nspec:\n  template: {{spec: {{containers: [{{name: app, image: x}}]}}}}\n"),
            6 => format!("apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: {name}\r\ndata:\r\n  k: |\r\n    line\r\n"),
            _ => "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n".to_string(), // an error, passed on as is
        }
    })
}

/// The line that starts a document (none for the first one, sometimes).
pub fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "---\n",
            "--- # next\n",
            "---   \n",
            "---\r\n",
            "---\n# Source: chart/templates/x.yaml\n",
            "---\n\n",
        ][..],
    )
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub text: String,
    pub workload: bool,
}

pub fn doc() -> impl Strategy<Value = Doc> {
    prop_oneof![
        2 => other_document().prop_map(|text| Doc { text, workload: false }),
        2 => (resource(), style()).prop_map(|(r, s)| Doc { text: render(&r, s), workload: true }),
    ]
}

pub fn stream() -> impl Strategy<Value = (String, Vec<Doc>)> {
    (
        prop::option::of(prop::sample::select(&["---\n", "# rendered\n---\n"][..])),
        prop::collection::vec((separator(), doc()), 0..6),
        doc(),
    )
        .prop_map(|(lead, rest, first)| {
            let mut text = lead.unwrap_or_default().to_string();
            text.push_str(&first.text);
            let mut docs = vec![first];
            for (sep, doc) in rest {
                text.push_str(sep);
                text.push_str(&doc.text);
                docs.push(doc);
            }
            (text, docs)
        })
}

pub fn default_settings() -> Settings {
    common::settings(&common::repo().join("tests/oracle/config-default.yaml"))
}
