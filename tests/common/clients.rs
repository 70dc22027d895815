//! For the tests that run the real Helm and kustomize clients: a Helm home of its own
//! per test, and the recipe pages (`docs/recipes/`) as the shell commands the tests run.

use super::{TempDir, repo};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Helm's own directories (config, cache, data, plugins) inside a scratch directory,
/// and a kubeconfig that does not exist, so that a test never reads or writes the
/// user's Helm setup and never reaches a cluster.
pub struct HelmHome {
    pub dir: TempDir,
}

impl HelmHome {
    pub fn new(label: &str) -> HelmHome {
        HelmHome {
            dir: TempDir::new(label),
        }
    }

    /// Where `helm plugin install` links a plugin and `--post-renderer NAME` looks.
    pub fn plugins(&self) -> PathBuf {
        self.dir.join("data/plugins")
    }

    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.env("HELM_CONFIG_HOME", self.dir.join("config"))
            .env("HELM_CACHE_HOME", self.dir.join("cache"))
            .env("HELM_DATA_HOME", self.dir.join("data"))
            .env("HELM_PLUGINS", self.plugins())
            .env("KUBECONFIG", self.dir.join("no-kubeconfig"))
            .env_remove("HELM_DRIVER")
            .env_remove("HELM_NAMESPACE")
            .env_remove("HELM_KUBECONTEXT")
            .env_remove("PINPOINT_INJECT_CONFIG")
    }
}

/// The shell commands of the recipe page `page` (a path from the repository root, such
/// as `docs/recipes/helm3.md`): its ```sh blocks; a line ending in `\` continues on the
/// next.
pub fn recipe_commands(page: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join(page))
        .unwrap_or_else(|e| panic!("cannot read the recipe page {page}: {e}"));
    let mut commands = Vec::new();
    for block in text.split("```sh\n").skip(1) {
        let block = &block[..block.find("```").expect("a closed code block")];
        let mut current = String::new();
        for line in block.lines() {
            match line.strip_suffix('\\') {
                Some(head) => current.push_str(head),
                None => {
                    current.push_str(line);
                    commands.push(std::mem::take(&mut current));
                }
            }
        }
    }
    assert!(!commands.is_empty(), "{page} has no sh block");
    commands
}

/// The command of the recipe page `page` that starts with `prefix`.
pub fn recipe_command(page: &str, prefix: &str) -> String {
    let all = recipe_commands(page);
    all.iter()
        .find(|c| c.starts_with(prefix))
        .unwrap_or_else(|| panic!("{page} has no `{prefix} …` command: {all:?}"))
        .clone()
}

/// PATH for a recipe command: `helm` (the client under test, by that name), then
/// pinpoint-inject when `with_binary`, then the system's `/usr/bin:/bin` only, so
/// that no pinpoint-inject installed elsewhere on the machine is found.
pub fn recipe_path(home: &HelmHome, helm: &Path, with_binary: bool) -> OsString {
    let tools = home.dir.join("tools");
    std::fs::create_dir_all(&tools).unwrap();
    let link = tools.join("helm");
    if !link.exists() {
        std::os::unix::fs::symlink(helm, &link).unwrap();
    }
    let mut dirs = vec![tools];
    if with_binary {
        dirs.push(home.dir.bin_dir());
    }
    dirs.extend([PathBuf::from("/usr/bin"), PathBuf::from("/bin")]);
    std::env::join_paths(dirs).unwrap()
}

/// `bash -c LINE` in the repository, with this Helm home and `path` as PATH.
pub fn shell(home: &HelmHome, path: &OsString, line: &str) -> Command {
    let mut cmd = Command::new("/bin/bash");
    cmd.arg("-c")
        .arg(line)
        .current_dir(repo())
        .env("PATH", path);
    home.apply(&mut cmd);
    cmd
}

/// A copy of `examples/helm/shop` in `dir` whose Deployment already has a volume named
/// `pinpoint-agent` (a ConfigMap): a document pinpoint-inject refuses to edit.
pub fn conflicting_chart(dir: &TempDir) -> PathBuf {
    let chart = dir.join("shop");
    super::copy_dir(&repo().join("examples/helm/shop"), &chart);
    let file = chart.join("templates/deployment.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replace("- name: config\n", "- name: pinpoint-agent\n");
    assert_eq!(broken.matches("name: pinpoint-agent").count(), 2);
    std::fs::write(&file, broken).unwrap();
    chart
}
