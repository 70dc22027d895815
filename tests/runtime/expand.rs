//! A container's environment as the kubelet builds it, written from the Kubernetes
//! documentation and independent of `src/`:
//!
//! - kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
//!   and the API reference of `EnvVar.value` (kubernetes.io/docs/reference/kubernetes-api/
//!   workload-resources/pod-v1/#environment-variables): "Variable references $(VAR_NAME) are
//!   expanded using the previously defined environment variables in the container and any
//!   service environment variables. If a variable cannot be resolved, the reference in the
//!   input string will be unchanged. Double $$ are reduced to a single $, which allows for
//!   escaping the $(VAR_NAME) syntax ... Escaped references will never be expanded".
//! - `valueFrom.fieldRef` (downward API, kubernetes.io/docs/concepts/workloads/pods/downward-api/):
//!   `metadata.name`, `metadata.namespace`, `status.podIP`, ...
//! - `valueFrom.configMapKeyRef` / `secretKeyRef`: a key of a ConfigMap or Secret; a missing
//!   one stops the container (CreateContainerConfigError) unless `optional: true`, which
//!   leaves the variable out.
//! - `command` and `args` are expanded the same way with the container's environment
//!   (kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/).

use serde_json::Value;
use std::collections::BTreeMap;

/// What the downward API can report about the pod the runner makes.
pub struct PodFacts {
    pub name: String,
    pub namespace: String,
    pub ip: String,
    pub node: String,
    pub service_account: String,
}

/// ConfigMaps and Secrets of the same stream, by name: key -> value.
#[derive(Default)]
pub struct Sources {
    pub config_maps: BTreeMap<String, BTreeMap<String, String>>,
    pub secrets: BTreeMap<String, BTreeMap<String, String>>,
}

/// Expand `$(NAME)` in `input` from `defined`; `$$` gives `$`; anything else stays as written.
pub fn expand(input: &str, defined: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(input.len());
    let mut rest = input;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        if let Some(after) = tail.strip_prefix('$') {
            out.push('$');
            rest = after;
        } else if let Some(inner) = tail.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match defined(name) {
                        Some(value) => out.push_str(&value),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[end + 1..];
                }
                // An unterminated reference is kept as written.
                None => {
                    out.push_str(&rest[at..]);
                    rest = "";
                }
            }
        } else {
            out.push('$');
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// The environment of a container (`env` in order; a later entry of the same name
/// replaces the earlier one in place), or why the kubelet would refuse to start it.
pub fn environment(
    env: Option<&Value>,
    pod: &PodFacts,
    sources: &Sources,
) -> Result<Vec<(String, String)>, String> {
    let mut resolved: Vec<(String, String)> = Vec::new();
    for entry in env.and_then(Value::as_array).into_iter().flatten() {
        let name = entry["name"].as_str().ok_or("an env entry has no name")?;
        let value = if let Some(from) = entry.get("valueFrom") {
            match value_from(from, pod, sources)? {
                Some(value) => value,
                None => continue, // optional and missing: the variable is left out
            }
        } else {
            let raw = entry.get("value").and_then(Value::as_str).unwrap_or("");
            let earlier = |n: &str| lookup(&resolved, n);
            expand(raw, &earlier)
        };
        match resolved.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => resolved.push((name.to_string(), value)),
        }
    }
    Ok(resolved)
}

/// `command` + `args` expanded with the container's final environment.
pub fn expand_all(words: &[String], env: &[(String, String)]) -> Vec<String> {
    let defined = |n: &str| lookup(env, n);
    words.iter().map(|w| expand(w, &defined)).collect()
}

fn lookup(env: &[(String, String)], name: &str) -> Option<String> {
    env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
}

fn value_from(from: &Value, pod: &PodFacts, sources: &Sources) -> Result<Option<String>, String> {
    if let Some(field) = from.get("fieldRef") {
        let path = field["fieldPath"].as_str().unwrap_or_default();
        let value = match path {
            "metadata.name" => &pod.name,
            "metadata.namespace" => &pod.namespace,
            "status.podIP" | "status.hostIP" => &pod.ip,
            "spec.nodeName" => &pod.node,
            "spec.serviceAccountName" => &pod.service_account,
            other => return Err(format!("fieldRef {other:?} is not modelled by the runner")),
        };
        return Ok(Some(value.clone()));
    }
    for (key, kind, store) in [
        ("configMapKeyRef", "ConfigMap", &sources.config_maps),
        ("secretKeyRef", "Secret", &sources.secrets),
    ] {
        if let Some(reference) = from.get(key) {
            let name = reference["name"].as_str().unwrap_or_default();
            let item = reference["key"].as_str().unwrap_or_default();
            let optional = reference["optional"].as_bool().unwrap_or(false);
            return match store.get(name).and_then(|data| data.get(item)) {
                Some(value) => Ok(Some(value.clone())),
                None if optional => Ok(None),
                None => Err(format!(
                    "{kind} {name:?} key {item:?} is not in the stream: the kubelet would not start the container"
                )),
            };
        }
    }
    Err(format!("valueFrom {from} is not modelled by the runner"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod() -> PodFacts {
        PodFacts {
            name: "web-0".into(),
            namespace: "shop".into(),
            ip: "127.0.0.42".into(),
            node: "node-1".into(),
            service_account: "default".into(),
        }
    }

    fn env(entries: Value) -> Vec<(String, String)> {
        let mut sources = Sources::default();
        sources.config_maps.insert(
            "opts".into(),
            BTreeMap::from([("java".to_string(), "-Xmx1g".to_string())]),
        );
        environment(Some(&entries), &pod(), &sources).unwrap()
    }

    fn value<'a>(env: &'a [(String, String)], name: &str) -> &'a str {
        &env.iter().find(|(n, _)| n == name).unwrap().1
    }

    #[test]
    fn references_only_earlier_entries() {
        let got = env(json!([
            {"name": "LATE_USER", "value": "$(B) x"},
            {"name": "B", "value": "b"},
            {"name": "AFTER", "value": "$(B) x"},
        ]));
        assert_eq!(value(&got, "LATE_USER"), "$(B) x");
        assert_eq!(value(&got, "AFTER"), "b x");
    }

    #[test]
    fn dollar_dollar_escapes_and_unknown_stays() {
        let got = env(json!([
            {"name": "A", "value": "a"},
            {"name": "E", "value": "$$(A) $(A) $(NOPE) $A $ $$ $(open"},
        ]));
        assert_eq!(value(&got, "E"), "$(A) a $(NOPE) $A $ $ $(open");
    }

    #[test]
    fn value_from_field_and_config_map() {
        let got = env(json!([
            {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
            {"name": "O", "valueFrom": {"configMapKeyRef": {"name": "opts", "key": "java"}}},
            {"name": "M", "valueFrom": {"configMapKeyRef": {"name": "opts", "key": "x", "optional": true}}},
            {"name": "ALL", "value": "$(O) -Did=$(IP) -Dn=$(POD) $(M)"},
        ]));
        assert_eq!(value(&got, "ALL"), "-Xmx1g -Did=127.0.0.42 -Dn=web-0 $(M)");
        assert!(got.iter().all(|(n, _)| n != "M"));
    }

    #[test]
    fn missing_required_key_refuses_the_container() {
        let entries =
            json!([{"name": "O", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k"}}}]);
        let err = environment(Some(&entries), &pod(), &Sources::default()).unwrap_err();
        assert!(err.contains("would not start"), "{err}");
    }
}
