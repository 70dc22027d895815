//! What in a pod template decides its fate before any container is looked at: a Windows
//! pod is left alone; lists the API server requires to be lists of mappings that are
//! not, and container names that Kubernetes' YAML reader does not read as names, are an
//! error.

use crate::value::Field;
use serde_json::Value;

/// The node labels that name a node's operating system: `kubernetes.io/os`
/// (k8s.io/api core/v1/well_known_labels.go, `LabelOSStable`) and the beta label kubelet
/// applied before 1.19, `beta.kubernetes.io/os` (staging/src/k8s.io/kubelet/pkg/apis/
/// well_known_labels.go, `LabelOS`).
const OS_LABELS: [&str; 2] = ["kubernetes.io/os", "beta.kubernetes.io/os"];

/// The pod runs on Windows: `spec.os.name: windows` (k8s.io/api core/v1/types.go,
/// `PodOS`: a Windows pod must leave `runAsUser`, `capabilities`, `seccompProfile`,
/// `readOnlyRootFilesystem`, `privileged`, `allowPrivilegeEscalation`… unset, which the
/// copy step sets, and has no `sh` or `cp`), a node selector on an OS label
/// ([`OS_LABELS`]) with the value `windows`, or a required node affinity every term of
/// which (they are ORed, core/v1/types.go `NodeSelector`) asks for that label `In`
/// `windows` alone, unless `spec.os.name` names another OS. The note says which.
pub fn windows(template: &Value) -> Option<String> {
    let spec = template.field("spec")?;
    let is_windows = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .is_some_and(|o| o.eq_ignore_ascii_case("windows"))
    };
    let os = spec.field("os").and_then(|os| os.field("name"));
    let selector = spec.field("nodeSelector");
    let selected = OS_LABELS
        .into_iter()
        .find(|label| is_windows(selector.and_then(|s| s.get(*label))));
    let terms = spec
        .pointer("/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
        .and_then(Value::as_array);
    let windows_term = |term: &Value| {
        let expressions = term.field("matchExpressions").and_then(Value::as_array);
        expressions.is_some_and(|all| {
            all.iter().any(|e| {
                let values = e.field("values").and_then(Value::as_array);
                OS_LABELS
                    .iter()
                    .any(|l| e.field("key").and_then(Value::as_str) == Some(l))
                    && e.field("operator").and_then(Value::as_str) == Some("In")
                    && values
                        .is_some_and(|v| !v.is_empty() && v.iter().all(|v| is_windows(Some(v))))
            })
        })
    };
    let how = if is_windows(os) {
        "spec.os.name: windows".to_string()
    } else if os.is_some_and(Value::is_string) {
        return None; // the pod says which OS it is for, and it is not Windows
    } else if let Some(label) = selected {
        format!("nodeSelector {label}: windows")
    } else if terms.is_some_and(|t| !t.is_empty() && t.iter().all(windows_term)) {
        "a required node affinity for windows nodes".to_string()
    } else {
        return None;
    };
    Some(format!(
        "a Windows pod ({how}): the agent's wiring is for Linux containers (a shell copy step, Linux security fields the API server rejects on Windows), so it is left alone"
    ))
}

/// A field of a pod template the API server would reject, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field, relative to the pod template (`spec.containers[0].env`).
    pub field: String,
    /// What is wrong, after the field's name (`is a mapping, not a list (…)`).
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field, self.what)
    }
}

/// Everything in `template` the API server would reject and the wiring would build on:
/// [`misshapen`], then [`misread_names`].
pub fn problems(template: &Value) -> Vec<Problem> {
    let mut found = misshapen(template);
    found.extend(misread_names(template));
    found
}

/// The lists the wiring reads or adds to that are not lists of mappings: the pod's
/// `containers`, `initContainers` and `volumes`, and each container's `env` and
/// `volumeMounts` (k8s.io/api core/v1/types.go: `[]Container`, `[]Volume`, `[]EnvVar`,
/// `[]VolumeMount`; `null` is an empty list). The API server rejects any other shape, so
/// nothing is wired into one; each is named by its path.
pub fn misshapen(template: &Value) -> Vec<Problem> {
    let mut found = Vec::new();
    let Some(spec) = template.field("spec").filter(|s| s.is_object()) else {
        return found;
    };
    check(spec.field("volumes"), "spec.volumes", &mut found);
    for key in ["initContainers", "containers"] {
        let path = format!("spec.{key}");
        for (i, c) in check(spec.field(key), &path, &mut found).iter().enumerate() {
            for field in ["env", "volumeMounts"] {
                check(c.field(field), &format!("{path}[{i}].{field}"), &mut found);
            }
        }
    }
    found
}

/// The items of a list at `path` (none for `null` or no list), noting in `found` when it
/// is no list or an item is no mapping.
fn check<'v>(list: Option<&'v Value>, path: &str, found: &mut Vec<Problem>) -> &'v [Value] {
    match list {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_object() {
                    found.push(Problem {
                        field: format!("{path}[{i}]"),
                        what: format!(
                            "is {}, not a mapping (the API server rejects it)",
                            shape(item)
                        ),
                    });
                }
            }
            items
        }
        Some(other) => {
            found.push(Problem {
                field: path.to_string(),
                what: format!(
                    "is {}, not a list (the API server rejects it)",
                    shape(other)
                ),
            });
            &[]
        }
    }
}

fn shape(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() > 40 => "a string".into(),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

/// Containers whose `name` is a boolean or a number: Kubernetes reads YAML 1.1 through
/// sigs.k8s.io/yaml, where an unquoted `no`, `off`, `yes`, `on`, `true`, `false`, `y`,
/// `n` is a boolean and `123` or `1e3` a number, and a container name must be a string,
/// so the API server rejects the manifest. One message per container, with the fix.
pub fn misread_names(template: &Value) -> Vec<Problem> {
    template
        .field("spec")
        .and_then(|s| s.field("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, c)| {
            let what = match c.field("name")? {
                Value::Bool(b) => format!("the boolean {b}"),
                Value::Number(n) => format!("the number {n}"),
                _ => return None,
            };
            Some(Problem {
                field: format!("spec.containers[{i}].name"),
                what: format!(
                    "is {what}, not a name: YAML 1.1, which Kubernetes reads, makes an unquoted no, off, yes, on, true, false or a number one; the API server rejects it: quote the name (name: \"…\")"
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn windows_pods_are_told_apart() {
        let os = json!({"spec": {"os": {"name": "windows"}, "containers": []}});
        assert!(windows(&os).unwrap().contains("spec.os.name: windows"));
        let selector = json!({"spec": {"nodeSelector": {"kubernetes.io/os": "windows"}}});
        assert!(windows(&selector).unwrap().contains("nodeSelector"));
        let beta = json!({"spec": {"nodeSelector": {"beta.kubernetes.io/os": "windows"}}});
        assert!(windows(&beta).unwrap().contains("beta.kubernetes.io/os"));
        let term = |key: &str, op: &str, values: Value| json!({"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}, {"key": key, "operator": op, "values": values}]});
        let affinity = |terms: Vec<Value>| json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}}}});
        let windows_term = term("kubernetes.io/os", "In", json!(["windows"]));
        let required = affinity(vec![windows_term.clone(), windows_term.clone()]);
        assert!(windows(&required).unwrap().contains("node affinity"));
        for linux in [
            json!({"spec": {"os": {"name": "linux"}}}),
            json!({"spec": {"os": {"name": "linux"}, "nodeSelector": {"kubernetes.io/os": "windows"}}}),
            json!({"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}}}),
            json!({"spec": {}}),
            // A pod that may also run on Linux nodes: one term of the two allows them.
            affinity(vec![
                windows_term.clone(),
                term("kubernetes.io/os", "In", json!(["linux"])),
            ]),
            affinity(vec![term(
                "kubernetes.io/os",
                "In",
                json!(["windows", "linux"]),
            )]),
            affinity(vec![term("kubernetes.io/os", "NotIn", json!(["windows"]))]),
            affinity(vec![term("kubernetes.io/os", "In", json!([]))]),
            affinity(vec![]),
            // Preferred, not required.
            json!({"spec": {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": windows_term}]}}}}),
        ] {
            assert_eq!(windows(&linux), None, "{linux}");
        }
    }

    #[test]
    fn lists_that_are_not_lists_of_mappings_are_named() {
        let pod = json!({"spec": {
            "containers": [
                {"name": "app", "env": ["JAVA_OPTS=-Xmx1g", {"name": "A"}], "volumeMounts": {"name": "m"}},
                "java",
            ],
            "initContainers": [{"name": "init", "env": null}],
            "volumes": 5,
        }});
        let text = |found: Vec<Problem>| found.iter().map(Problem::to_string).collect::<Vec<_>>();
        assert_eq!(
            text(misshapen(&pod)),
            [
                "spec.volumes is the number 5, not a list (the API server rejects it)",
                "spec.containers[1] is the string \"java\", not a mapping (the API server rejects it)",
                "spec.containers[0].env[0] is the string \"JAVA_OPTS=-Xmx1g\", not a mapping (the API server rejects it)",
                "spec.containers[0].volumeMounts is a mapping, not a list (the API server rejects it)",
            ]
        );
        let map = json!({"spec": {"containers": {"name": "app", "image": "x"}}});
        assert_eq!(
            text(misshapen(&map)),
            ["spec.containers is a mapping, not a list (the API server rejects it)"]
        );
        let fine = json!({"spec": {"containers": [{"name": "app", "env": null, "volumeMounts": []}], "volumes": null}});
        assert!(misshapen(&fine).is_empty());
    }

    #[test]
    fn names_read_as_booleans_or_numbers_are_named() {
        let pod = json!({"spec": {"containers": [
            {"name": false}, {"name": "app"}, {"name": 123}, {}
        ]}});
        let found = misread_names(&pod);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0]
                .to_string()
                .starts_with("spec.containers[0].name is the boolean false")
        );
        assert!(
            found[1]
                .to_string()
                .starts_with("spec.containers[2].name is the number 123")
        );
    }
}
