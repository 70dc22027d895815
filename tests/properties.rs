//! Properties over generated input (proptest): the stream keeps every document, in
//! order, and every untouched one byte for byte; the transform is idempotent byte for
//! byte; reconfiguring replaces the wiring; application names are always valid for
//! Pinpoint; every `$(PINPOINT_…)` reference resolves; the user's options value is kept.
//!
//! The shared invariants (count, order, bytes, un-inject, idempotence) are in
//! `common/invariants.rs`, which the fuzz target checks too. Case counts are small so
//! the suite stays fast; `PROPTEST_CASES=5000 cargo test --test properties` digs deeper.

mod common;

use common::invariants::{check_stream, split, transform_stream};
use pinpoint_inject::config::template::{MIN_MAX_LENGTH, NameContext, Template};
use pinpoint_inject::config::{self, Settings};
use pinpoint_inject::decide::naming;
use pinpoint_inject::knowledge::pinpoint::is_pinpoint_char;
use pinpoint_inject::yaml::{self, ListStyle};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value, json};

// ---- generators --------------------------------------------------------------------

/// Scalars that YAML 1.1 and 1.2 readers disagree on, and other awkward text.
const TRICKY: &[&str] = &[
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

fn tricky() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TRICKY).prop_map(String::from),
        1 => "[ -~]{0,12}",
        1 => "\\PC{0,8}",
    ]
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,10}[a-z0-9]"
}

/// A literal or `valueFrom` env entry (never one of the names the tool reserves).
fn env_entry(var: String) -> impl Strategy<Value = Value> {
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

const ENV_NAMES: &[&str] = &[
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

fn env_list() -> impl Strategy<Value = Vec<Value>> {
    prop::sample::subsequence(ENV_NAMES, 0..=5)
        .prop_shuffle()
        .prop_flat_map(|names| {
            names
                .into_iter()
                .map(|n| env_entry(n.to_string()))
                .collect::<Vec<_>>()
        })
}

const CONTAINER_NAMES: &[&str] = &["app", "worker", "istio-proxy", "envoy", "web", "jvm"];

fn container(name: String) -> impl Strategy<Value = Value> {
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

fn pod_spec() -> impl Strategy<Value = Value> {
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
fn meta_maps() -> impl Strategy<Value = (Map<String, Value>, Map<String, Value>)> {
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

const KINDS: &[(&str, &str)] = &[
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
fn workload() -> impl Strategy<Value = Value> {
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
fn resource() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => workload(),
        1 => prop::collection::vec(workload(), 1..3)
            .prop_map(|items| json!({"apiVersion": "v1", "kind": "List", "items": items})),
    ]
}

const CONTAINER_CHOICES: &[&[&str]] = &[&[], &["*"], &["app"], &["worker", "app"]];

/// A config: every knob that changes the wiring, and some that change the selection.
fn settings() -> impl Strategy<Value = Settings> {
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
    )
        .prop_map(|(options, agent_id, agent_name, template, max_length, containers, (volume, init), (source, mount), opt_in)| {
            let doc = json!({
                "apiVersion": config::API_VERSION, "kind": config::KIND, "metadata": {"name": "p"},
                "spec": {
                    "collector": {"host": "collector.apm"},
                    "agent": {"image": "agent:2.5.4", "optionsEnv": options, "volumeName": volume,
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
enum Style {
    Compact,
    Indented,
    Json,
}

fn render(value: &Value, style: Style) -> String {
    match style {
        Style::Compact => yaml::to_string(value, ListStyle::Compact),
        Style::Indented => yaml::to_string(value, ListStyle::Indented),
        Style::Json => serde_json::to_string(value).unwrap() + "\n",
    }
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![
        Just(Style::Compact),
        Just(Style::Indented),
        Just(Style::Json)
    ]
}

/// Documents that are not workloads, written by hand in styles our emitter never uses.
fn other_document() -> impl Strategy<Value = String> {
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
fn separator() -> impl Strategy<Value = &'static str> {
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
struct Doc {
    text: String,
    workload: bool,
}

fn doc() -> impl Strategy<Value = Doc> {
    prop_oneof![
        2 => other_document().prop_map(|text| Doc { text, workload: false }),
        2 => (resource(), style()).prop_map(|(r, s)| Doc { text: render(&r, s), workload: true }),
    ]
}

fn stream() -> impl Strategy<Value = (String, Vec<Doc>)> {
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

fn default_settings() -> Settings {
    common::settings(&common::repo().join("tests/oracle/config-default.yaml"))
}

// ---- the properties -----------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Every document comes out, in order; those that are not workloads byte for byte;
    /// the changed ones are the same resources with only the wiring added; a second
    /// run changes nothing.
    #[test]
    fn stream_keeps_every_document_and_untouched_bytes((text, docs) in stream(), settings in settings()) {
        let run = check_stream(text.as_bytes(), &settings);
        let (ins, outs) = (split(text.as_bytes()), split(&run.output));
        prop_assert_eq!(ins.len(), outs.len());
        // The generated documents map onto the split ones, except empty ones, which join
        // the separator before them; find each non-workload by its text.
        for doc in docs.iter().filter(|d| !d.workload && !d.text.is_empty()) {
            let at = ins.iter().position(|d| String::from_utf8_lossy(d).ends_with(&doc.text)).expect("generated document found");
            prop_assert_eq!(&ins[at], &outs[at], "a document that is not a workload changed");
        }
    }

    /// `f(f(x)) == f(x)` for every workload and config, and the invariants hold.
    #[test]
    fn transform_is_idempotent(resource in resource(), style in style(), settings in settings()) {
        check_stream(render(&resource, style).as_bytes(), &settings);
    }

    /// Running with config B over the output of config A is running B on the input:
    /// the wiring is replaced, never doubled, and taken out when B leaves the workload
    /// alone (unless B finds an error: then the workload is left exactly as it was).
    #[test]
    fn reconfiguring_replaces_the_wiring(resource in resource(), a in settings(), b in settings()) {
        let input = render(&resource, Style::Compact);
        let via_a = transform_stream(&transform_stream(input.as_bytes(), &a).output, &b);
        let direct = transform_stream(input.as_bytes(), &b);
        if direct.errors > 0 {
            return Ok(());
        }
        if via_a.output != direct.output {
            // The known differences: an options variable keeps no trailing whitespace once
            // wired; one with an empty value that was last in its env cannot be told from
            // one the wiring appended, so taking the wiring out drops it (empty and absent
            // mean the same to Kubernetes).
            let parse = |bytes: &[u8]| normalize_options(yaml::from_str(std::str::from_utf8(bytes).unwrap()).unwrap());
            prop_assert_eq!(parse(&via_a.output), parse(&direct.output), "{}", String::from_utf8_lossy(&via_a.output));
        }
    }

    /// What the injection writes into each container: names valid for Pinpoint,
    /// `$(PINPOINT_…)` references that resolve, and the user's options value kept.
    #[test]
    fn injected_containers_are_wired_correctly(resource in resource(), settings in settings()) {
        let input = render(&resource, Style::Compact);
        let run = transform_stream(input.as_bytes(), &settings);
        let output: Value = yaml::from_str(std::str::from_utf8(&run.output).unwrap()).unwrap();
        let mut before = resource.clone();
        let mut after = output.clone();
        for (old, new) in templates(&mut before).into_iter().zip(templates(&mut after)) {
            check_template(old, new, &settings)?;
        }
    }

    /// Every name `sanitize` makes is valid for Pinpoint, fits `maxLength`, and is stable.
    #[test]
    fn sanitized_names_are_valid_bounded_and_stable(raw in "\\PC{0,80}", max_len in MIN_MAX_LENGTH..=254) {
        let safe = naming::sanitize(&raw, max_len);
        prop_assert!(safe.value.chars().all(is_pinpoint_char), "{:?}", safe.value);
        prop_assert!(safe.value.len() <= max_len);
        prop_assert_eq!(safe.value.is_empty(), raw.is_empty());
        prop_assert_eq!(&safe, &naming::sanitize(&raw, max_len));
        if !safe.shortened {
            prop_assert_eq!(safe.value.chars().count(), raw.chars().count());
        }
    }

    /// A template renders and sanitizes to a valid name whatever the labels hold.
    #[test]
    fn templates_render_valid_names(label in "\\PC{0,40}", annotation in "\\PC{0,40}", max_len in MIN_MAX_LENGTH..=64) {
        let labels: Map<String, Value> = [("app".to_string(), Value::String(label))].into_iter().collect();
        let annotations: Map<String, Value> = [("team".to_string(), Value::String(annotation))].into_iter().collect();
        for text in ["{label:app|name}", "{annotation:team}-{container}", "x{label:app}y{annotation:team}z"] {
            let template = Template::parse(text).unwrap();
            let raw = template.render(&NameContext {
                name: "web", namespace: "shop", kind: "Deployment", container: "app",
                labels: vec![&labels], annotations: vec![&annotations],
            });
            let safe = naming::sanitize(&raw, max_len);
            prop_assert!(safe.value.chars().all(is_pinpoint_char) && safe.value.len() <= max_len);
        }
    }
}

/// The documented normalizations of an options variable (any of the usual names): its
/// value loses trailing whitespace, an empty one counts as absent, and so does an empty
/// value beside a valueFrom.
fn normalize_options(mut value: Value) -> Value {
    for template in templates(&mut value) {
        let containers = template
            .pointer_mut("/spec/containers")
            .and_then(Value::as_array_mut);
        for container in containers.into_iter().flatten() {
            if let Some(env) = container.get_mut("env").and_then(Value::as_array_mut) {
                env.retain_mut(|e| {
                    if let Some(v) = e.get("value").and_then(Value::as_str) {
                        e["value"] = json!(v.trim_end());
                    }
                    // `value: ""` beside a valueFrom, or `valueFrom: null`, mean nothing.
                    let entry = e.as_object_mut().unwrap();
                    if entry.get("valueFrom").is_some_and(|v| !v.is_null())
                        && entry.get("value").is_some_and(|v| v == "")
                    {
                        entry.remove("value");
                    }
                    let options = [
                        "JAVA_TOOL_OPTIONS",
                        "CATALINA_OPTS",
                        "JAVA_OPTS",
                        "JDK_JAVA_OPTIONS",
                    ]
                    .iter()
                    .any(|n| e["name"] == *n);
                    let empty = e.get("valueFrom").is_none_or(Value::is_null)
                        && e.get("value").is_none_or(|v| {
                            v.is_null() || v.as_str().is_some_and(|s| s.trim_end().is_empty())
                        });
                    !(options && empty)
                });
                if env.is_empty() {
                    container.as_object_mut().unwrap().remove("env");
                }
            }
        }
    }
    value
}

/// The pod templates of a resource (every item of a List).
fn templates(resource: &mut Value) -> Vec<&mut Value> {
    if resource["kind"] == "List" {
        return resource["items"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .flat_map(templates)
            .collect();
    }
    common::uninject::pod_template_mut(resource)
        .into_iter()
        .collect()
}

fn references(value: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else { break };
        found.push(&after[..end]);
        rest = &after[end + 1..];
    }
    found
}

fn check_template(old: &Value, new: &Value, settings: &Settings) -> Result<(), TestCaseError> {
    let old_containers = old
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let new_containers = new
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (before, after) in old_containers.iter().zip(&new_containers) {
        let wired = after["env"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["name"] == "PINPOINT_AGENT_OPTS"));
        if !wired {
            prop_assert_eq!(
                before,
                after,
                "a container that was not instrumented changed"
            );
            continue;
        }
        let env = after["env"].as_array().unwrap();
        let position = |name: &str| env.iter().position(|e| e["name"] == name);
        // Every $(PINPOINT_…) reference in the env resolves to a variable defined earlier.
        for (i, entry) in env.iter().enumerate() {
            for var in references(entry["value"].as_str().unwrap_or_default()) {
                if var.starts_with("PINPOINT_") {
                    let defined = position(var);
                    prop_assert!(
                        defined.is_some_and(|d| d < i),
                        "$({}) in {} is not defined before it",
                        var,
                        entry["name"]
                    );
                }
            }
        }
        // The application name is valid, within maxLength.
        let opts = env[position("PINPOINT_AGENT_OPTS").unwrap()]["value"]
            .as_str()
            .unwrap();
        let app = opts
            .split(' ')
            .find_map(|f| f.strip_prefix("-Dpinpoint.applicationName="))
            .unwrap();
        prop_assert!(
            !app.is_empty()
                && app.len() <= settings.max_length
                && app.chars().all(is_pinpoint_char),
            "{}",
            app
        );
        // The user's options value: a literal is kept in front; a valueFrom moves intact.
        let var = &settings.options_env;
        let opts_ref = "$(PINPOINT_AGENT_OPTS)";
        let original = before["env"]
            .as_array()
            .and_then(|e| e.iter().rev().find(|e| e["name"] == var.as_str()));
        let wired = &env[position(var).unwrap()]["value"];
        match original {
            Some(entry) if entry.get("valueFrom").is_some_and(|v| !v.is_null()) => {
                let moved = format!("PINPOINT_ORIGINAL_{var}");
                prop_assert_eq!(wired, &json!(format!("$({moved}) {opts_ref}")));
                prop_assert_eq!(
                    &env[position(&moved).unwrap()]["valueFrom"],
                    &entry["valueFrom"]
                );
            }
            Some(entry)
                if !entry["value"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_end()
                    .is_empty() =>
            {
                let user = entry["value"].as_str().unwrap().trim_end();
                prop_assert_eq!(wired, &json!(format!("{user} {opts_ref}")));
            }
            _ => prop_assert_eq!(wired, &json!(opts_ref)),
        }
    }
    Ok(())
}

/// A regression found by this file: an empty options variable in the middle of the env
/// moved to the end on a second run (the output was not idempotent).
#[test]
fn empty_options_variable_stays_in_place() {
    let input = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x\n    env:\n    - {name: A, value: a}\n    - {name: JAVA_TOOL_OPTIONS, value: \"\"}\n    - {name: B, value: b}\n";
    check_stream(input.as_bytes(), &default_settings());
}

/// A regression: the user's own `PINPOINT_ORIGINAL_X` and other references to
/// `$(PINPOINT_AGENT_OPTS)` were taken out or edited on a second run.
#[test]
fn user_variables_that_look_like_ours_survive_a_second_run() {
    let input = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x\n    env:\n    - {name: PINPOINT_ORIGINAL_X, value: keep}\n    - {name: OTHER, value: \"x $(PINPOINT_AGENT_OPTS)\"}\n";
    let run = check_stream(input.as_bytes(), &default_settings());
    let out = String::from_utf8(run.output).unwrap();
    assert!(
        // Kept as the user wrote them (flow entries, quotes and all).
        out.contains("{name: PINPOINT_ORIGINAL_X, value: keep}")
            && out.contains("{name: OTHER, value: \"x $(PINPOINT_AGENT_OPTS)\"}"),
        "{out}"
    );
}

/// A regression: a workload written as JSON or in flow style (Argo CD plugins and
/// `kubectl get -o json` emit JSON) passed through without the agent and without a word.
#[test]
fn json_and_flow_style_workloads_are_injected() {
    for input in [
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"x\"}]}}\n",
        "--- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: x}]}}\n",
        "  apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec: {containers: [{name: a, image: x}]}\n",
    ] {
        let run = check_stream(input.as_bytes(), &default_settings());
        assert_eq!(run.changed, 1, "{input}");
    }
}

/// Every seed of the fuzz target and everything it ever found (`fuzz/regressions/`,
/// named after what each guards) still holds the invariants. The first byte picks the
/// config, as in `fuzz/fuzz_targets/stream.rs`.
#[test]
fn fuzz_seeds_and_regressions_hold_the_invariants() {
    let settings = common::invariants::fuzz_settings();
    let mut replayed = 0;
    for dir in ["fuzz/seeds/stream", "fuzz/regressions/stream"] {
        let Ok(entries) = std::fs::read_dir(common::repo().join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let Some((pick, stream)) = data.split_first() else {
                continue;
            };
            let result = std::panic::catch_unwind(|| {
                check_stream(stream, &settings[usize::from(*pick) % settings.len()])
            });
            assert!(result.is_ok(), "{} breaks an invariant", path.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 20, "only {replayed} inputs replayed");
}
