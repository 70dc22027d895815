//! The pod's volumes on the host, as the kubelet would make them: an `emptyDir` is a new
//! directory of mode 0777 (chowned to `fsGroup`, setgid, when the pod sets one); a
//! `configMap` or `secret` volume holds its keys as files; a `hostPath` is that path (bound
//! read-only); a `persistentVolumeClaim` is stood in for by a fresh empty volume; an
//! `image` volume is the image's root filesystem (its layers where the image puts them,
//! owners and modes kept, then every write permission removed), which the containers
//! mount read-only and noexec, a `subPath` resolved inside it, as containerd does.

use super::expand::Sources;
use super::images::{self, Installed};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn make_volumes(
    spec: &Value,
    sources: &Sources,
    installed: &Installed,
    dir: &Path,
) -> BTreeMap<String, PathBuf> {
    let mut volumes = BTreeMap::new();
    for volume in spec["volumes"].as_array().into_iter().flatten() {
        let name = volume["name"].as_str().unwrap().to_string();
        let path = dir.join(&name);
        if let Some(reference) = volume.pointer("/image/reference").and_then(Value::as_str) {
            image_root(reference, installed, &path);
        } else if volume.get("emptyDir").is_some() || volume.get("persistentVolumeClaim").is_some()
        {
            // emptyDir: a new directory, mode 0777, as the kubelet makes it; a claim is
            // stood in for by the same (a fresh, empty volume).
            std::fs::create_dir_all(&path).unwrap();
            chmod(&path, "0777");
            if let Some(group) = spec
                .pointer("/securityContext/fsGroup")
                .and_then(Value::as_u64)
            {
                // fsGroup: the volume belongs to that group, setgid (kubelet SetVolumeOwnership).
                let out = std::process::Command::new("chown")
                    .arg(format!(":{group}"))
                    .arg(&path)
                    .status();
                assert!(out.unwrap().success());
                chmod(&path, "2777");
            }
        } else if let Some(host) = volume.pointer("/hostPath/path").and_then(Value::as_str) {
            volumes.insert(name, PathBuf::from(host));
            continue;
        } else if let Some(cm) = volume.get("configMap").or_else(|| volume.get("secret")) {
            let source = cm["name"]
                .as_str()
                .or_else(|| cm["secretName"].as_str())
                .unwrap();
            let data = sources
                .config_maps
                .get(source)
                .or_else(|| sources.secrets.get(source))
                .unwrap_or_else(|| {
                    panic!("volume {name}: {source} is not in the stream; the pod would not start")
                });
            std::fs::create_dir_all(&path).unwrap();
            let items: Vec<(String, String)> = match cm["items"].as_array() {
                Some(items) => items
                    .iter()
                    .map(|i| {
                        (
                            i["key"].as_str().unwrap().into(),
                            i["path"].as_str().unwrap().into(),
                        )
                    })
                    .collect(),
                None => data.keys().map(|k| (k.clone(), k.clone())).collect(),
            };
            for (key, file) in items {
                let text = data
                    .get(&key)
                    .unwrap_or_else(|| panic!("{source} has no key {key}"));
                std::fs::write(path.join(file), text).unwrap();
            }
        } else {
            panic!("volume {name}: this kind of volume is not modelled by the runner: {volume}");
        }
        volumes.insert(name, path);
    }
    volumes
}

/// The root filesystem of image `reference` at `root`: each layer copied where the image
/// has it (`cp -a`: owners and modes as in the image), then made unwritable for everyone.
fn image_root(reference: &str, installed: &Installed, root: &Path) {
    let image = images::image(reference);
    for (content, target) in image.layers {
        let at = root.join(target.trim_start_matches('/'));
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let out = std::process::Command::new("cp")
            .arg("-a")
            .arg(installed.host_path(*content))
            .arg(&at)
            .status();
        assert!(out.unwrap().success(), "copying {reference}'s {target}");
    }
    chmod(root, "a-w");
    let out = std::process::Command::new("chmod")
        .args(["-R", "a-w"])
        .arg(root)
        .status();
    assert!(out.unwrap().success());
}

/// Whether a volume of the pod spec is an image volume.
pub fn is_image(spec: &Value, name: &str) -> bool {
    spec["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|v| v["name"] == name && v.get("image").is_some())
}

/// The application of a Tomcat image is the distribution's ROOT webapp; the others move
/// to webapps.dist, as the official image moves all of them.
pub fn keep_root_webapp(catalina_home: &Path) {
    let dist = catalina_home.join("webapps.dist");
    std::fs::create_dir_all(&dist).unwrap();
    for entry in std::fs::read_dir(catalina_home.join("webapps")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "ROOT" {
            std::fs::rename(entry.path(), dist.join(entry.file_name())).unwrap();
        }
    }
}

fn chmod(path: &Path, mode: &str) {
    let out = std::process::Command::new("chmod")
        .arg(mode)
        .arg(path)
        .status();
    assert!(out.unwrap().success());
}
