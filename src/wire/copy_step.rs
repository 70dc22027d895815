//! The copy step: the `emptyDir` volume and the init container that copies the agent
//! into it, with the least privilege that still works whatever the UIDs of the agent
//! image and of the application.
//!
//! The init container runs with no capabilities, no privilege escalation, a read-only
//! root filesystem and the `RuntimeDefault` seccomp profile, so Pod Security
//! "restricted" stays satisfied; it never copies the application container's own
//! `securityContext` (which may add `NET_ADMIN` or run privileged). It runs as the
//! application's `runAsUser`/`runAsGroup` where the pod or container sets them, so the
//! copied files belong to the JVM's user. Only when it may run as another user than the
//! application does it make the copied tree writable for every user, because the agent
//! writes its logs under its own directory (an `emptyDir` itself is created mode 0777).
//! [`copy_user`] is the one place that decides.

use crate::config::Settings;
use crate::value::Field;
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

/// The copy step's script when it may run as another user than the application: the
/// copy is made writable for every user. The paths are not part of it: they are passed
/// as `$0` and `$1`, so no config value or manifest text is ever read by the shell as
/// code. The mount point itself belongs to the kubelet, so only what was copied is
/// chmodded. The official agent image is Alpine (pinpoint-apm/pinpoint-docker:
/// pinpoint-agent/Dockerfile), so `sh`, `cp` and `chmod` are BusyBox's; `command`
/// replaces its `configure-agent.sh` entrypoint.
pub const COPY_SCRIPT: &str = r#"cp -R "$0"/. "$1"/ && chmod -R a+rwX "$1"/*"#;

/// The copy step's script when it runs as the application's own user: the copy already
/// belongs to that user, so nothing is made writable for others.
pub const COPY_SCRIPT_AS_APP: &str = r#"cp -R "$0"/. "$1"/"#;

/// Every script a run of this tool has written (an earlier run's copy step is
/// recognised by one of these).
pub const COPY_SCRIPTS: &[&str] = &[COPY_SCRIPT, COPY_SCRIPT_AS_APP];

pub fn agent_volume(settings: &Settings) -> Volume {
    Volume {
        name: settings.agent.volume_name.clone(),
        empty_dir: Some(EmptyDirVolumeSource {
            size_limit: settings.agent.volume_size_limit.clone(),
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
    if overlaps(&settings.agent.mount_path, &settings.agent.source_path) {
        INIT_TARGET_FALLBACK
    } else {
        &settings.agent.mount_path
    }
}

pub fn init_container(settings: &Settings, user: CopyUser) -> Container {
    let target = init_target(settings).to_string();
    let script = if user.as_app {
        COPY_SCRIPT_AS_APP
    } else {
        COPY_SCRIPT
    };
    let source = match settings.agent.source_path.trim_end_matches('/') {
        "" => "/".to_string(),
        path => path.to_string(),
    };
    Container {
        name: settings.agent.init_container_name.clone(),
        image: Some(settings.agent.image.clone()),
        image_pull_policy: settings.agent.image_pull_policy.clone(),
        command: Some(vec![
            "sh".into(),
            "-c".into(),
            script.into(),
            source,
            target.clone(),
        ]),
        resources: Some(settings.agent.init_resources.clone()),
        security_context: Some(user.context),
        volume_mounts: Some(vec![VolumeMount {
            name: settings.agent.volume_name.clone(),
            mount_path: target,
            ..Default::default()
        }]),
        ..Default::default()
    }
}

fn int_at(context: Option<&Value>, key: &str) -> Option<i64> {
    context?.field(key)?.as_i64()
}

fn bool_at(context: Option<&Value>, key: &str) -> bool {
    context
        .and_then(|c| c.field(key))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// Who the application runs as, as far as the pod template (and the image facts) say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppUser {
    /// The first target container's UID (its `runAsUser`, else the pod's), when known.
    pub uid: Option<i64>,
    pub gid: Option<i64>,
    /// The pod or a target container demands `runAsNonRoot`.
    pub non_root: bool,
    /// Every target container runs as `uid`.
    pub shared: bool,
}

/// One target container as [`AppUser::of`] reads it: its `securityContext`, and the
/// numeric `USER` (UID, GID) its image's config names, when the image facts say.
pub type TargetUser<'a> = (Option<&'a Value>, Option<(i64, Option<i64>)>);

impl AppUser {
    /// Read from the pod's and the target containers' `securityContext`s; the image's
    /// numeric `USER` stands in where neither sets `runAsUser` (`runAsGroup`), as the
    /// kubelet does.
    pub fn of(pod: Option<&Value>, containers: &[TargetUser<'_>]) -> AppUser {
        let uid_of = |(c, image): &TargetUser<'_>| {
            int_at(*c, "runAsUser")
                .or(int_at(pod, "runAsUser"))
                .or(image.map(|(uid, _)| uid))
        };
        let uid = containers.first().and_then(uid_of);
        let gid = containers.first().and_then(|(c, image)| {
            int_at(*c, "runAsGroup")
                .or(int_at(pod, "runAsGroup"))
                .or(image.and_then(|(_, gid)| gid))
        });
        AppUser {
            uid,
            gid,
            non_root: bool_at(pod, "runAsNonRoot")
                || containers.iter().any(|(c, _)| bool_at(*c, "runAsNonRoot")),
            shared: containers.iter().all(|c| uid_of(c) == uid),
        }
    }
}

/// The copy step's user and security context.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyUser {
    pub context: SecurityContext,
    /// It runs as the UID every target container runs as: the copy is theirs, and
    /// nothing needs to be made writable for other users.
    pub as_app: bool,
}

/// The one decision of the copy step's user: least privilege, as the application's UID
/// where it is known (`app`); the config's `agent.securityContext` fields override
/// these one by one, and then the copy is the application's own only if the UID is
/// still the one every target runs as.
pub fn copy_user(settings: &Settings, app: &AppUser) -> CopyUser {
    let mut uid = app.uid;
    if app.non_root && uid.is_none() {
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
        run_as_group: app.gid,
        // Only where it is guaranteed to start: a non-root UID is given.
        run_as_non_root: uid.filter(|u| *u != 0).map(|_| true),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    if let Some(user) = &settings.agent.init_security_context {
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
    let as_app = app.shared && app.uid.is_some() && context.run_as_user == app.uid;
    CopyUser { context, as_app }
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

    fn user(pod: Value, container: Value) -> CopyUser {
        copy_user(
            &settings(),
            &AppUser::of(Some(&pod), &[(Some(&container), None)]),
        )
    }

    fn context(pod: Value, container: Value) -> Value {
        serde_json::to_value(user(pod, container).context).unwrap()
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
        s.agent.init_security_context = Some(SecurityContext {
            run_as_non_root: Some(true),
            ..Default::default()
        });
        let c = serde_json::to_value(copy_user(&s, &AppUser::default()).context).unwrap();
        assert_eq!(c["runAsUser"], json!(NON_ROOT_FALLBACK_UID));
        assert_eq!(c["capabilities"], json!({"drop": ["ALL"]}));
    }

    /// The copy is made writable for others only when the copy step may run as
    /// another user than the application.
    #[test]
    fn the_copy_is_left_to_the_application_only_when_it_runs_as_its_user() {
        assert!(user(json!({"runAsUser": 1001}), json!({})).as_app);
        assert!(user(json!({}), json!({"runAsUser": 0})).as_app);
        // Unknown UID (the image's USER), or the fallback for runAsNonRoot: not the app's.
        assert!(!user(json!({}), json!({})).as_app);
        assert!(!user(json!({"runAsNonRoot": true}), json!({})).as_app);
        // Two targets with different users: the copy must serve both.
        let pod = json!({"runAsUser": 1001});
        let other = json!({"runAsUser": 2002});
        let app = AppUser::of(
            Some(&pod),
            &[(Some(&json!({})), None), (Some(&other), None)],
        );
        assert!(!copy_user(&settings(), &app).as_app);
        // The config's own runAsUser wins, and then the copy is not the app's.
        let mut s = settings();
        s.agent.init_security_context = Some(SecurityContext {
            run_as_user: Some(7),
            ..Default::default()
        });
        let app = AppUser::of(Some(&pod), &[(None, None)]);
        assert!(!copy_user(&s, &app).as_app);
        let init = init_container(&s, copy_user(&s, &app));
        assert_eq!(init.command.unwrap()[2], COPY_SCRIPT);
        let init = init_container(&settings(), copy_user(&settings(), &app));
        assert_eq!(init.command.unwrap()[2], COPY_SCRIPT_AS_APP);
    }

    /// The image's numeric USER (from its facts) is who the application runs as when the
    /// pod sets no runAsUser; what the pod sets wins.
    #[test]
    fn the_image_user_stands_in_for_an_unset_run_as_user() {
        let container = json!({});
        let image = |uid, gid| AppUser::of(None, &[(Some(&container), Some((uid, gid)))]);
        let app = image(1000, Some(1001));
        assert_eq!((app.uid, app.gid), (Some(1000), Some(1001)));
        let copy = copy_user(&settings(), &app);
        assert!(copy.as_app);
        assert_eq!(copy.context.run_as_user, Some(1000));
        assert_eq!(copy.context.run_as_group, Some(1001));
        let pod = json!({"runAsUser": 5, "runAsGroup": 6});
        let app = AppUser::of(Some(&pod), &[(Some(&container), Some((1000, Some(1001))))]);
        assert_eq!((app.uid, app.gid), (Some(5), Some(6)));
        // Two targets, one image user unknown: the copy must serve both.
        let app = AppUser::of(
            None,
            &[
                (Some(&container), Some((1000, None))),
                (Some(&container), None),
            ],
        );
        assert!(!copy_user(&settings(), &app).as_app);
    }
}
