//! The copy step: the `emptyDir` volume and the init container that copies the agent
//! into it, with the least privilege that still works whatever the UIDs of the agent
//! image and of the application.
//!
//! The init container runs with no capabilities, no privilege escalation, a read-only
//! root filesystem and the `RuntimeDefault` seccomp profile, so Pod Security
//! "restricted" stays satisfied; it never copies the application container's own
//! `securityContext` (which may add `NET_ADMIN` or run privileged). It runs as the
//! application's `runAsUser`/`runAsGroup` where the pod or container sets them, so the
//! copied files belong to the JVM's user; and it makes the copied tree writable for
//! every user, because the agent writes its logs under its own directory and the
//! application may run as any UID (an `emptyDir` itself is created mode 0777).

use crate::config::Settings;
use k8s_openapi::api::core::v1::{
    Capabilities, Container, EmptyDirVolumeSource, SeccompProfile, SecurityContext, Volume,
    VolumeMount,
};
use serde_json::Value;

/// Where the copy step mounts the volume when `mountPath` would hide the agent files.
pub const INIT_TARGET_FALLBACK: &str = "/pinpoint-agent-volume";

/// The UID the copy step runs as when the pod demands a non-root user but names none
/// (an agent image that runs as root would not start): the conventional `nonroot`.
pub const NON_ROOT_FALLBACK_UID: i64 = 65532;

/// The copy step's script. The paths are not part of it: they are passed as `$0` and
/// `$1`, so no config value or manifest text is ever read by the shell as code. The
/// mount point itself belongs to the kubelet, so only what was copied is chmodded.
/// The official agent image is Alpine (pinpoint-apm/pinpoint-docker:
/// pinpoint-agent/Dockerfile), so `sh`, `cp` and `chmod` are BusyBox's; `command`
/// replaces its `configure-agent.sh` entrypoint.
pub const COPY_SCRIPT: &str = r#"cp -R "$0"/. "$1"/ && chmod -R a+rwX "$1"/*"#;

pub fn agent_volume(settings: &Settings) -> Volume {
    Volume {
        name: settings.volume_name.clone(),
        empty_dir: Some(EmptyDirVolumeSource {
            size_limit: settings.volume_size_limit.clone(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The path the copy step writes to: `mountPath`, unless that would hide the agent files.
pub fn init_target(settings: &Settings) -> &str {
    let overlaps = |a: &str, b: &str| {
        let a = a.trim_end_matches('/');
        let b = b.trim_end_matches('/');
        a == b || b.starts_with(&format!("{a}/")) || a.starts_with(&format!("{b}/"))
    };
    if overlaps(&settings.mount_path, &settings.source_path) {
        INIT_TARGET_FALLBACK
    } else {
        &settings.mount_path
    }
}

pub fn init_container(settings: &Settings, security_context: SecurityContext) -> Container {
    let target = init_target(settings).to_string();
    let source = match settings.source_path.trim_end_matches('/') {
        "" => "/".to_string(),
        path => path.to_string(),
    };
    Container {
        name: settings.init_container_name.clone(),
        image: Some(settings.image.clone()),
        image_pull_policy: settings.image_pull_policy.clone(),
        command: Some(vec![
            "sh".into(),
            "-c".into(),
            COPY_SCRIPT.into(),
            source,
            target.clone(),
        ]),
        resources: Some(settings.init_resources.clone()),
        security_context: Some(security_context),
        volume_mounts: Some(vec![VolumeMount {
            name: settings.volume_name.clone(),
            mount_path: target,
            ..Default::default()
        }]),
        ..Default::default()
    }
}

fn int_at(context: Option<&Value>, key: &str) -> Option<i64> {
    context?.get(key)?.as_i64()
}

fn bool_at(context: Option<&Value>, key: &str) -> bool {
    context
        .and_then(|c| c.get(key))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The copy step's security context: least privilege, as the application's user; the
/// config's `agent.securityContext` fields override these one by one.
pub fn security_context(
    settings: &Settings,
    pod: Option<&Value>,
    container: Option<&Value>,
) -> SecurityContext {
    let mut uid = int_at(container, "runAsUser").or(int_at(pod, "runAsUser"));
    let gid = int_at(container, "runAsGroup").or(int_at(pod, "runAsGroup"));
    let non_root_demanded = bool_at(container, "runAsNonRoot") || bool_at(pod, "runAsNonRoot");
    if non_root_demanded && uid.is_none() {
        uid = Some(NON_ROOT_FALLBACK_UID);
    }
    let mut context = SecurityContext {
        allow_privilege_escalation: Some(false),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".into()]),
            ..Default::default()
        }),
        privileged: Some(false),
        read_only_root_filesystem: Some(true),
        run_as_user: uid,
        run_as_group: gid,
        // Only where it is guaranteed to start: a non-root UID is given.
        run_as_non_root: uid.filter(|u| *u != 0).map(|_| true),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    if let Some(user) = &settings.init_security_context {
        let mut merged = serde_json::to_value(&context).expect("serializes");
        if let (Some(base), Ok(Value::Object(over))) =
            (merged.as_object_mut(), serde_json::to_value(user))
        {
            base.extend(over);
        }
        context = serde_json::from_value(merged).expect("a merge of two valid contexts");
        // `runAsNonRoot` without a UID does not start on an image that runs as root.
        if context.run_as_non_root == Some(true) && context.run_as_user.is_none() {
            context.run_as_user = Some(NON_ROOT_FALLBACK_UID);
        }
    }
    context
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings() -> Settings {
        let doc = json!({
            "apiVersion": crate::config::API_VERSION, "kind": crate::config::KIND,
            "spec": {"collector": {"host": "c"}, "agent": {"image": "a:1"}}
        });
        crate::config::load(&doc).unwrap().settings
    }

    fn context(pod: Value, container: Value) -> Value {
        serde_json::to_value(security_context(&settings(), Some(&pod), Some(&container))).unwrap()
    }

    #[test]
    fn privileges_of_the_application_are_never_copied() {
        let c = context(
            json!({}),
            json!({"privileged": true, "capabilities": {"add": ["NET_ADMIN", "SYS_ADMIN"]}, "runAsUser": 0}),
        );
        assert_eq!(c["capabilities"], json!({"drop": ["ALL"]}));
        assert_eq!(c["privileged"], false);
        assert_eq!(c["allowPrivilegeEscalation"], false);
        assert_eq!(c["readOnlyRootFilesystem"], true);
        assert_eq!(c["seccompProfile"], json!({"type": "RuntimeDefault"}));
        assert_eq!(c["runAsUser"], 0);
        assert!(c.get("runAsNonRoot").is_none());
    }

    #[test]
    fn the_application_user_is_used_and_non_root_only_when_certain() {
        let c = context(json!({"runAsUser": 1001, "runAsGroup": 1001}), json!({}));
        assert_eq!(
            (
                c["runAsUser"].clone(),
                c["runAsGroup"].clone(),
                c["runAsNonRoot"].clone()
            ),
            (json!(1001), json!(1001), json!(true))
        );
        let c = context(json!({"runAsNonRoot": true}), json!({}));
        assert_eq!(
            (c["runAsUser"].clone(), c["runAsNonRoot"].clone()),
            (json!(NON_ROOT_FALLBACK_UID), json!(true))
        );
        let c = context(json!({}), json!({}));
        assert!(c.get("runAsUser").is_none() && c.get("runAsNonRoot").is_none());
        // The config's own runAsNonRoot (the old reference config's) gets a UID too.
        let mut s = settings();
        s.init_security_context = Some(SecurityContext {
            run_as_non_root: Some(true),
            ..Default::default()
        });
        let c = serde_json::to_value(security_context(&s, None, None)).unwrap();
        assert_eq!(c["runAsUser"], json!(NON_ROOT_FALLBACK_UID));
        assert_eq!(c["capabilities"], json!({"drop": ["ALL"]}));
    }
}
