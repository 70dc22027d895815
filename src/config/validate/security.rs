//! Warnings for an `agent.securityContext` that gives the copy step more than it needs:
//! each field that breaks a level of the Pod Security Standards
//! ([`crate::knowledge::pod_security`]) or runs it as root. The config is still used
//! (the user asked for it), but never silently.

use crate::knowledge::pod_security::{
    BASELINE_CAPABILITIES, Level, PROC_MOUNT, RESTRICTED_CAPABILITIES, SELINUX_TYPES, UNCONFINED,
};
use k8s_openapi::api::core::v1::SecurityContext;

/// One warning per field of `context` that weakens the copy step; `field` is
/// `agent.securityContext` as the config's form names it.
pub(super) fn warnings(context: &SecurityContext, field: &str) -> Vec<String> {
    let mut found: Vec<(String, Level)> = Vec::new();
    let mut flag = |what: String, level| found.push((what, level));
    if context.privileged == Some(true) {
        flag("privileged: true".into(), Level::Baseline);
    }
    if context.allow_privilege_escalation == Some(true) {
        flag("allowPrivilegeEscalation: true".into(), Level::Restricted);
    }
    if let Some(capabilities) = &context.capabilities {
        let added = capabilities.add.as_deref().unwrap_or_default();
        let beyond = |allowed: &[&str]| -> Vec<String> {
            added
                .iter()
                .filter(|c| !allowed.contains(&c.trim_start_matches("CAP_")))
                .cloned()
                .collect()
        };
        let (baseline, restricted) = (
            beyond(BASELINE_CAPABILITIES),
            beyond(RESTRICTED_CAPABILITIES),
        );
        if !baseline.is_empty() {
            flag(
                format!("capabilities.add: [{}]", baseline.join(", ")),
                Level::Baseline,
            );
        } else if !restricted.is_empty() {
            flag(
                format!("capabilities.add: [{}]", restricted.join(", ")),
                Level::Restricted,
            );
        }
        let drops_all = capabilities
            .drop
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|c| c == "ALL");
        if !drops_all {
            flag(
                "capabilities without drop: [ALL] (it replaces the default's)".into(),
                Level::Restricted,
            );
        }
    }
    if let Some(profile) = &context.seccomp_profile
        && profile.type_ == UNCONFINED
    {
        flag("seccompProfile.type: Unconfined".into(), Level::Baseline);
    }
    if let Some(profile) = &context.app_armor_profile
        && profile.type_ == UNCONFINED
    {
        flag("appArmorProfile.type: Unconfined".into(), Level::Baseline);
    }
    if context
        .proc_mount
        .as_deref()
        .is_some_and(|p| p != PROC_MOUNT)
    {
        flag(
            format!(
                "procMount: {}",
                context.proc_mount.as_deref().unwrap_or_default()
            ),
            Level::Baseline,
        );
    }
    if let Some(se) = &context.se_linux_options {
        let kind = se.type_.as_deref().unwrap_or_default();
        if !SELINUX_TYPES.contains(&kind) || se.user.is_some() || se.role.is_some() {
            flag(
                "seLinuxOptions beyond a container type".into(),
                Level::Baseline,
            );
        }
    }
    if context
        .windows_options
        .as_ref()
        .and_then(|w| w.host_process)
        == Some(true)
    {
        flag("windowsOptions.hostProcess: true".into(), Level::Baseline);
    }
    if context.run_as_user == Some(0) {
        flag("runAsUser: 0 (root)".into(), Level::Restricted);
    }
    if context.run_as_non_root == Some(false) {
        flag("runAsNonRoot: false".into(), Level::Restricted);
    }
    found
        .into_iter()
        .map(|(what, level)| {
            format!(
                "{field}: {what} gives the copy step more than copying files needs, and a namespace that enforces the Pod Security Standards' {} level rejects the pod",
                level.name()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn warned(context: serde_json::Value) -> Vec<String> {
        warnings(
            &serde_json::from_value(context).unwrap(),
            "spec.agent.securityContext",
        )
    }

    #[test]
    fn every_escalation_warns_and_the_default_shape_does_not() {
        for (context, expected) in [
            (json!({"privileged": true}), "privileged: true"),
            (
                json!({"allowPrivilegeEscalation": true}),
                "allowPrivilegeEscalation: true",
            ),
            (
                json!({"capabilities": {"add": ["SYS_ADMIN"], "drop": ["ALL"]}}),
                "[SYS_ADMIN]",
            ),
            (
                json!({"capabilities": {"add": ["CHOWN"], "drop": ["ALL"]}}),
                "restricted",
            ),
            (
                json!({"capabilities": {"drop": ["NET_RAW"]}}),
                "drop: [ALL]",
            ),
            (
                json!({"seccompProfile": {"type": "Unconfined"}}),
                "seccompProfile",
            ),
            (
                json!({"appArmorProfile": {"type": "Unconfined"}}),
                "appArmorProfile",
            ),
            (json!({"procMount": "Unmasked"}), "procMount"),
            (
                json!({"seLinuxOptions": {"type": "spc_t"}}),
                "seLinuxOptions",
            ),
            (
                json!({"windowsOptions": {"hostProcess": true}}),
                "hostProcess",
            ),
            (json!({"runAsUser": 0}), "root"),
            (json!({"runAsNonRoot": false}), "runAsNonRoot"),
        ] {
            let found = warned(context.clone());
            assert_eq!(found.len(), 1, "{context}: {found:?}");
            assert!(found[0].contains(expected), "{context}: {found:?}");
        }
        let quiet = warned(json!({
            "runAsUser": 1000, "runAsNonRoot": true, "allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
            "seccompProfile": {"type": "RuntimeDefault"}, "readOnlyRootFilesystem": true
        }));
        assert!(quiet.is_empty(), "{quiet:?}");
    }
}
