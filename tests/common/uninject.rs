//! Un-inject: take out exactly what an injection added, written from the documented
//! shape of the wiring (the README's before and after, `docs/wiring.md` and `--help`;
//! with `agent.delivery: imageVolume`, the image volume and `<volumeName>-logs` instead
//! of the copy step), not from `src/wire/inject.rs`, so that comparing `uninject(f(x))`
//! with `x` is a real
//! check. Shared with the fuzz target.

use pinpoint_inject::config::{Delivery, Settings};
use serde_json::{Map, Value};

/// The pod template of a workload, by the kinds `--help` lists.
pub fn pod_template_mut(object: &mut Value) -> Option<&mut Value> {
    let kind = object.get("kind")?.as_str()?.to_string();
    let api_version = object.get("apiVersion")?.as_str()?;
    let group = api_version
        .rsplit_once('/')
        .map_or("", |(g, _)| g)
        .to_string();
    let broadcast = object["spec"]["template"]
        .get("broadcastJobTemplate")
        .is_some();
    let path: &[&str] = match (group.as_str(), kind.as_str()) {
        ("argoproj.io", "Rollout")
        | ("apps.kruise.io", "CloneSet" | "BroadcastJob")
        | ("serving.knative.dev", "Service" | "Configuration") => &["spec", "template"],
        ("apps.kruise.io", "AdvancedCronJob") if broadcast => &[
            "spec",
            "template",
            "broadcastJobTemplate",
            "spec",
            "template",
        ],
        ("apps.kruise.io", "AdvancedCronJob") => {
            &["spec", "template", "jobTemplate", "spec", "template"]
        }
        ("keda.sh", "ScaledJob") => &["spec", "jobTargetRef", "template"],
        _ => return kind_template(object, &kind),
    };
    let mut node = object;
    for key in path {
        node = node.get_mut(*key)?;
    }
    node.is_object().then_some(node)
}

/// The kinds of Kubernetes itself (and OpenKruise's StatefulSet and DaemonSet, which keep
/// the template where apps/v1 does).
fn kind_template<'a>(object: &'a mut Value, kind: &str) -> Option<&'a mut Value> {
    let path: &[&str] = match kind {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        "Pod" => &[],
        "PodTemplate" => &["template"],
        _ => return None,
    };
    let mut node = object;
    for key in path {
        node = node.get_mut(*key)?;
    }
    node.is_object().then_some(node)
}

const MARKER: &str = "pinpoint-inject.dev/injected";
const OPTS: &str = "PINPOINT_AGENT_OPTS";

fn remove_named(map: &mut Map<String, Value>, list: &str, name: &str) -> bool {
    let Some(items) = map.get_mut(list).and_then(Value::as_array_mut) else {
        return false;
    };
    let before = items.len();
    items.retain(|item| item.get("name").and_then(Value::as_str) != Some(name));
    let removed = items.len() != before;
    if items.is_empty() {
        map.remove(list);
    }
    removed
}

/// Take out exactly what an injection with `settings` adds. Returns how many pod
/// templates carried the wiring.
pub fn uninject(object: &mut Value, settings: &Settings) -> usize {
    let Some(template) = pod_template_mut(object) else {
        return 0;
    };
    let template = template.as_object_mut().unwrap();
    let Some(metadata) = template.get_mut("metadata").and_then(Value::as_object_mut) else {
        return 0;
    };
    let Some(annotations) = metadata
        .get_mut("annotations")
        .and_then(Value::as_object_mut)
    else {
        return 0;
    };
    let Some(marker) = annotations.remove(MARKER) else {
        return 0;
    };
    // `options=app:JAVA_TOOL_OPTIONS,…`: each container's options variable, by name.
    let options_of: Vec<(String, String)> = marker
        .as_str()
        .unwrap_or_default()
        .split(';')
        .filter_map(|part| part.strip_prefix("options="))
        .flat_map(|list| list.split(','))
        .filter_map(|pair| pair.split_once(':'))
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    if annotations.is_empty() {
        metadata.remove("annotations");
    }
    if metadata.is_empty() {
        template.remove("metadata");
    }
    let spec = template["spec"].as_object_mut().unwrap();
    assert!(remove_named(spec, "volumes", &settings.agent.volume_name));
    // The copy step's init container, or (an image volume) the agent's logs volume.
    let image_volume = settings.agent.delivery == Delivery::ImageVolume;
    let logs = format!("{}-logs", settings.agent.volume_name);
    if image_volume {
        assert!(remove_named(spec, "volumes", &logs));
    } else {
        assert!(remove_named(
            spec,
            "initContainers",
            &settings.agent.init_container_name
        ));
    }
    for container in spec["containers"].as_array_mut().unwrap() {
        let Some(container) = container.as_object_mut() else {
            continue; // not a container (Kubernetes rejects it); never a target
        };
        let instrumented = container
            .get("env")
            .and_then(Value::as_array)
            .is_some_and(|env| {
                env.iter()
                    .any(|e| e.get("name") == Some(&Value::from(OPTS)))
            });
        if !instrumented {
            continue;
        }
        assert!(remove_named(
            container,
            "volumeMounts",
            &settings.agent.volume_name
        ));
        if image_volume {
            assert!(remove_named(container, "volumeMounts", &logs));
        }
        let name = container["name"].as_str().unwrap_or_default().to_string();
        let env = container["env"].as_array_mut().unwrap();
        let find = |env: &Vec<Value>, name: &str| {
            env.iter()
                .position(|e| e.get("name").and_then(Value::as_str) == Some(name))
        };
        // The options variable is the one the marker names (its name depends on the
        // image's launch profile, unless the config sets agent.optionsEnv), after ours;
        // a name the marker cannot hold (`,` `;` `:` `=`, quotes, spaces) is not named,
        // and is then the entry right after ours.
        let ours = find(env, OPTS).expect("the agent options are set");
        let opts = match options_of.iter().find(|(c, _)| *c == name) {
            Some((_, named)) => {
                ours + 1
                    + env[ours + 1..]
                        .iter()
                        .position(|e| e.get("name").and_then(Value::as_str) == Some(named.as_str()))
                        .expect("the options variable comes after ours")
            }
            None => ours + 1,
        };
        let options_env = env[opts]["name"]
            .as_str()
            .expect("the options variable is set");
        let original_var = format!("PINPOINT_ORIGINAL_{options_env}");
        let value = env[opts]["value"].as_str().unwrap().to_string();
        if let Some(moved) = find(env, &original_var) {
            assert_eq!(value, format!("$({original_var}) $({OPTS})"));
            let value_from = env[moved]["valueFrom"].clone();
            let entry = env[opts].as_object_mut().unwrap();
            entry.remove("value");
            entry.insert("valueFrom".into(), value_from);
            env.remove(moved);
        } else if value == format!("$({OPTS})") && opts + 1 == env.len() {
            env.remove(opts); // appended by the tool
        } else if value == format!("$({OPTS})") {
            env[opts]["value"] = Value::String(String::new()); // the user's own empty value
        } else {
            let user = value
                .strip_suffix(&format!(" $({OPTS})"))
                .expect("the agent options are appended");
            env[opts]["value"] = Value::String(user.to_string());
        }
        env.retain(|e| {
            !matches!(
                e.get("name").and_then(Value::as_str),
                Some("PINPOINT_POD_NAME" | "PINPOINT_POD_IP" | OPTS)
            )
        });
        if env.is_empty() {
            container.remove("env");
        }
    }
    1
}

/// The documented normalizations of the wiring, applied to both sides before they are
/// compared (an options value comes back exactly, trailing blanks and line breaks
/// included: `-Xmx1g\n` from a `|` block is wired as `-Xmx1g\n $(PINPOINT_AGENT_OPTS)`):
/// an options variable with an empty
/// value means the same as none; a list the wiring adds to that was `null`
/// (`initContainers:` with nothing after it, as Helm templates leave) becomes a list, and
/// taking the wiring out leaves none (null and absent are the same to Kubernetes); the
/// same for a pod template's `metadata` and its `annotations` (Elastic's charts render
/// `annotations:` with nothing after it).
pub fn normalize(object: &mut Value, settings: &Settings) {
    if object.get("kind").and_then(Value::as_str) == Some("List")
        && let Some(items) = object.get_mut("items").and_then(Value::as_array_mut)
    {
        items.iter_mut().for_each(|item| normalize(item, settings));
    }
    let Some(template) = pod_template_mut(object) else {
        return;
    };
    let drop_null = |map: &mut Value, keys: &[&str]| {
        if let Some(map) = map.as_object_mut() {
            map.retain(|k, v| !(v.is_null() && keys.contains(&k.as_str())));
        }
    };
    if let Some(metadata) = template.get_mut("metadata") {
        drop_null(metadata, &["annotations"]);
    }
    if template
        .get("metadata")
        .is_some_and(|m| m.is_null() || m.as_object().is_some_and(Map::is_empty))
    {
        template.as_object_mut().unwrap().remove("metadata");
    }
    if let Some(spec) = template.get_mut("spec") {
        drop_null(spec, &["volumes", "initContainers"]);
    }
    let Some(containers) = template
        .pointer_mut("/spec/containers")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for container in containers {
        drop_null(container, &["env", "volumeMounts"]);
        let Some(env) = container.get_mut("env").and_then(Value::as_array_mut) else {
            continue;
        };
        env.retain_mut(|e| {
            // The options variable: the config's, or one the image's launch path reads
            // (the docs' rule: a name that carries JVM options). Applied to the input and
            // to the un-injected output alike.
            let name = e.get("name").and_then(Value::as_str).unwrap_or_default();
            let options_like = !name.starts_with("PINPOINT_")
                && (name.contains("JAVA")
                    || name.contains("JVM")
                    || name.ends_with("_OPTS")
                    || name.ends_with("_OPTIONS"));
            if name != settings.agent.options_env.as_str() && !options_like {
                return true;
            }
            // `value: ""` or `valueFrom: null` beside the other one mean nothing.
            let entry = e.as_object_mut().unwrap();
            if entry.get("valueFrom").is_some_and(|v| !v.is_null())
                && entry.get("value").is_some_and(|v| v == "")
            {
                entry.remove("value");
            }
            if entry.get("valueFrom").is_some_and(Value::is_null) {
                entry.remove("valueFrom");
            }
            let empty = e.get("value").is_none_or(|v| v.is_null() || v == "");
            !(empty && e.get("valueFrom").is_none())
        });
        if env.is_empty() {
            container.as_object_mut().unwrap().remove("env");
        }
    }
}
