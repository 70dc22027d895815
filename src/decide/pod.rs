//! What in a pod template decides its fate before any container is looked at: a Windows
//! pod is left alone, and container names that Kubernetes' YAML reader does not read as
//! names are an error.

use serde_json::Value;

/// The pod runs on Windows: `spec.os.name: windows` (k8s.io/api core/v1/types.go,
/// `PodOS`: a Windows pod must leave `runAsUser`, `capabilities`, `seccompProfile`,
/// `readOnlyRootFilesystem`, `privileged`, `allowPrivilegeEscalation`… unset, which the
/// copy step sets, and has no `sh` or `cp`), or a node selector on the well-known label
/// `kubernetes.io/os: windows` (core/v1/well_known_labels.go, `LabelOSStable`). The
/// note says which.
pub fn windows(template: &Value) -> Option<String> {
    let spec = template.get("spec")?;
    let os = spec
        .get("os")
        .and_then(|os| os.get("name"))
        .and_then(Value::as_str);
    let selected = spec
        .get("nodeSelector")
        .and_then(|s| s.get("kubernetes.io/os"))
        .and_then(Value::as_str);
    let how = if os.is_some_and(|o| o.eq_ignore_ascii_case("windows")) {
        "spec.os.name: windows"
    } else if selected.is_some_and(|o| o.eq_ignore_ascii_case("windows")) {
        "nodeSelector kubernetes.io/os: windows"
    } else {
        return None;
    };
    Some(format!(
        "a Windows pod ({how}): the agent's wiring is for Linux containers (a shell copy step, Linux security fields the API server rejects on Windows), so it is left alone"
    ))
}

/// Containers whose `name` is a boolean or a number: Kubernetes reads YAML 1.1 through
/// sigs.k8s.io/yaml, where an unquoted `no`, `off`, `yes`, `on`, `true`, `false`, `y`,
/// `n` is a boolean and `123` or `1e3` a number, and a container name must be a string,
/// so the API server rejects the manifest. One message per container, with the fix.
pub fn misread_names(template: &Value) -> Vec<String> {
    template
        .get("spec")
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, c)| {
            let what = match c.get("name")? {
                Value::Bool(b) => format!("the boolean {b}"),
                Value::Number(n) => format!("the number {n}"),
                _ => return None,
            };
            Some(format!(
                "containers[{i}].name is {what}, not a name: YAML 1.1, which Kubernetes reads, makes an unquoted no, off, yes, on, true, false or a number one; the API server rejects it: quote the name (name: \"…\")"
            ))
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
        for linux in [
            json!({"spec": {"os": {"name": "linux"}}}),
            json!({"spec": {"nodeSelector": {"kubernetes.io/os": "linux"}}}),
            json!({"spec": {}}),
        ] {
            assert_eq!(windows(&linux), None, "{linux}");
        }
    }

    #[test]
    fn names_read_as_booleans_or_numbers_are_named() {
        let pod = json!({"spec": {"containers": [
            {"name": false}, {"name": "app"}, {"name": 123}, {}
        ]}});
        let found = misread_names(&pod);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("containers[0].name is the boolean false"));
        assert!(found[1].starts_with("containers[2].name is the number 123"));
    }
}
