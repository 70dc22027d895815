//! The names this tool writes into manifests and reads back from them: its annotations
//! and its environment variables. Everything it adds is recognised by these.

/// Workload annotation: `"false"` opts out; `"true"` opts in when `select.optIn` is set.
pub const INJECT_ANNOTATION: &str = "pinpoint-inject.dev/inject";
/// Workload annotation overriding the application name.
pub const APPLICATION_NAME_ANNOTATION: &str = "pinpoint-inject.dev/application-name";
/// Workload annotation overriding the containers: `"app,worker"` or `"*"`.
pub const CONTAINERS_ANNOTATION: &str = "pinpoint-inject.dev/containers";
/// Annotation on the pod template that marks our wiring and records what we own.
pub const MARKER: &str = "pinpoint-inject.dev/injected";

/// The variable that carries every flag we add.
pub const OPTS_VAR: &str = "PINPOINT_AGENT_OPTS";
/// The pod's name, from the downward API, when a flag refers to it.
pub const POD_NAME_VAR: &str = "PINPOINT_POD_NAME";
/// The pod's IP, from the downward API, when a flag refers to it.
pub const POD_IP_VAR: &str = "PINPOINT_POD_IP";
/// Prefix of the variable an existing `valueFrom` options value is moved to.
pub const ORIGINAL_PREFIX: &str = "PINPOINT_ORIGINAL_";

/// A Kubernetes dependent-variable reference, `$(VAR)`.
pub fn reference(var: &str) -> String {
    format!("$({var})")
}

/// The variables an env `value` (or a command or args entry) refers to, read as the
/// kubelet expands it: `$$` is a literal `$`, `$(NAME)` a reference up to the first `)`
/// after it (so an unclosed `$(` takes in whatever `$(…)` follows it), anything else after
/// a `$` a literal. Source: kubernetes/kubernetes
/// `third_party/forked/golang/expansion/expand.go` (`Expand`, `tryReadVariableName`).
pub fn references(value: &str) -> impl Iterator<Item = &str> {
    let bytes = value.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at + 1 < bytes.len() {
            if bytes[at] != b'$' {
                at += 1;
                continue;
            }
            match bytes[at + 1] {
                b'(' => match value[at + 2..].find(')') {
                    Some(len) => {
                        let name = &value[at + 2..at + 2 + len];
                        at += len + 3;
                        return Some(name);
                    }
                    // Incomplete: `$(` is literal, and with no `)` left no later `$(`
                    // is a reference either (one scan, not one per `$(`).
                    None => at = bytes.len(),
                },
                // `$$` is one literal `$`; `$x` is literal too.
                _ => at += 2,
            }
        }
        None
    })
}

/// True when `value` refers to `var` as the kubelet reads it ([`references`]).
pub fn refers_to(value: &str, var: &str) -> bool {
    references(value).any(|name| name == var)
}

/// True when `value` ends inside an unclosed `$(`: text appended to it would become part
/// of that reference's name ([`references`]).
pub fn ends_in_open_reference(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut at = 0;
    while at + 1 < bytes.len() {
        match (bytes[at], bytes[at + 1]) {
            (b'$', b'(') => match value[at + 2..].find(')') {
                Some(len) => at += len + 3,
                None => return true,
            },
            (b'$', _) => at += 2,
            _ => at += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_as_the_kubelet_expands_them() {
        let refs = |v| references(v).collect::<Vec<_>>();
        assert_eq!(
            refs("-Xmx1g $(PINPOINT_AGENT_OPTS)"),
            ["PINPOINT_AGENT_OPTS"]
        );
        assert_eq!(refs("$(A)$(B)"), ["A", "B"]);
        // The escape: `$$(X)` is the literal text `$(X)`.
        assert!(refs("-Dx=$$(PINPOINT_AGENT_OPTS)").is_empty());
        // `$$$(X)`: a literal `$`, then a reference.
        assert_eq!(refs("$$$(X)"), ["X"]);
        // Unclosed: the name runs to the first `)` anywhere after it.
        assert_eq!(refs("a $(b $(X)"), ["b $(X"]);
        assert!(!refers_to("a $(b $(X)", "X"));
        assert!(refs("$(").is_empty() && refs("$").is_empty() && refs("$x").is_empty());
        assert!(refers_to("$(P) tail", "P"));
    }

    #[test]
    fn an_open_reference_at_the_end_is_found() {
        assert!(ends_in_open_reference("-Dsmiley=:-$("));
        assert!(ends_in_open_reference("a $(b"));
        assert!(!ends_in_open_reference("a $$(b"));
        assert!(!ends_in_open_reference("a $(b) c"));
        assert!(!ends_in_open_reference("price $5"));
        assert!(!ends_in_open_reference(""));
    }
}
