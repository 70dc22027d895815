//! The third-party tools the integration tests run pinpoint-inject inside (kustomize,
//! kpt, Helm 3 and 4, kubernetes-validate, kubectl, git) or against (crane and CNCF
//! Distribution, OCI registries): installed once per test
//! process by `scripts/install-tools.sh`; a missing tool fails the test, it is never
//! skipped.

use super::repo;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The image the examples and the Dockerfile's docs name; its tag is the crate version.
pub const IMAGE: &str = "ghcr.io/pinpoint-inject/pinpoint-inject:0.1.0";
/// Helm 4 annotates every document it hands a `postrenderer/v1` plugin with this.
pub const HELM4_FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// The third-party tools, by absolute path.
pub struct Tools {
    /// Helm 4 (`helm.sh/helm/v4`).
    pub helm: PathBuf,
    /// Helm 3, the last minor (`helm.sh/helm/v3`).
    pub helm3: PathBuf,
    /// Standalone kustomize v5.
    pub kustomize: PathBuf,
    pub kpt: PathBuf,
    pub kubernetes_validate: PathBuf,
    pub kubectl: PathBuf,
    pub git: PathBuf,
    /// go-containerregistry's crane: pushes images, and serves a registry.
    pub crane: PathBuf,
    /// CNCF Distribution's `registry` (basic and token auth).
    pub distribution: PathBuf,
}

/// Install (or check) the tools once per test process; fail loudly when one is missing.
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let script = repo().join("scripts/install-tools.sh");
        let out = Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "{} failed ({}):\n{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = repo().join(".tools/bin");
        let installed = |name: &str| {
            let path = dir.join(name);
            assert!(
                path.is_file(),
                "{name} is missing from {} after scripts/install-tools.sh:\n{}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            path
        };
        Tools {
            helm: installed("helm"),
            helm3: installed("helm3"),
            kustomize: installed("kustomize"),
            kpt: installed("kpt"),
            kubernetes_validate: installed("kubernetes-validate"),
            kubectl: on_path("kubectl"),
            git: on_path("git"),
            crane: installed("crane"),
            distribution: installed("distribution-registry"),
        }
    })
}

/// The first executable called `name` on PATH.
pub fn on_path(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{name} is not on PATH; these tests need it"))
}

/// PATH with `dirs` first.
pub fn path_with(dirs: &[&Path]) -> OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let all = dirs
        .iter()
        .map(|d| d.to_path_buf())
        .chain(std::env::split_paths(&rest));
    std::env::join_paths(all).expect("PATH entries have no ':'")
}
