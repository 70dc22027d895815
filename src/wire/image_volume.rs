//! The `imageVolume` delivery: the agent image itself, mounted read-only (an `image`
//! volume, KEP-4639), and a small writable `emptyDir` on the agent's `logs` directory,
//! the only place the agent writes ([`crate::knowledge::pinpoint::LOGS_DIR`]). No init
//! container, no copy, nothing that runs as root.
//!
//! ```yaml
//! volumes:
//! - name: pinpoint-agent
//!   image: {reference: <agent.image>, pullPolicy: <agent.imagePullPolicy>}
//! - name: pinpoint-agent-logs
//!   emptyDir: {}                         # sizeLimit: agent.volumeSizeLimit
//! containers:
//! - volumeMounts:
//!   - name: pinpoint-agent
//!     mountPath: /pinpoint-agent         # agent.mountPath
//!     readOnly: true
//!     subPath: pinpoint-agent            # agent.sourcePath, relative to the image's root
//!   - name: pinpoint-agent-logs
//!     mountPath: /pinpoint-agent/logs
//! ```
//!
//! The logs volume is mounted inside the read-only one: the runtime mounts the shallower
//! path first and then the deeper one on the `logs` directory every agent release ships.

use crate::config::Settings;
use crate::knowledge::pinpoint::LOGS_DIR;
use k8s_openapi::api::core::v1::{EmptyDirVolumeSource, ImageVolumeSource, Volume, VolumeMount};

/// The volume of the agent image.
pub fn agent_volume(settings: &Settings) -> Volume {
    Volume {
        name: settings.agent.volume_name.clone(),
        image: Some(ImageVolumeSource {
            reference: Some(settings.agent.image.clone()),
            pull_policy: settings.agent.image_pull_policy.clone(),
        }),
        ..Default::default()
    }
}

/// The writable volume for the agent's logs.
pub fn log_volume(settings: &Settings) -> Volume {
    Volume {
        name: settings.log_volume_name.clone(),
        empty_dir: Some(EmptyDirVolumeSource {
            size_limit: settings.agent.volume_size_limit.clone(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// `agent.sourcePath` relative to the image's root: the mount's `subPath` (none for `/`).
pub fn sub_path(settings: &Settings) -> Option<String> {
    let relative = settings.agent.source_path.trim_matches('/');
    (!relative.is_empty()).then(|| relative.to_string())
}

/// Where the logs volume is mounted: the `logs` directory of the mounted agent.
pub fn logs_path(settings: &Settings) -> String {
    format!(
        "{}/{LOGS_DIR}",
        settings.agent.mount_path.trim_end_matches('/')
    )
}

/// The application container's two mounts, in the order they are mounted.
pub fn mounts(settings: &Settings) -> [VolumeMount; 2] {
    [
        VolumeMount {
            name: settings.agent.volume_name.clone(),
            mount_path: settings.agent.mount_path.clone(),
            read_only: Some(true),
            sub_path: sub_path(settings),
            ..Default::default()
        },
        VolumeMount {
            name: settings.log_volume_name.clone(),
            mount_path: logs_path(settings),
            ..Default::default()
        },
    ]
}
