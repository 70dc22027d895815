//! One container as a process: a root directory assembled in a private mount namespace
//! (`unshare --mount --uts --propagation private`: every mount goes away with the
//! namespace, so nothing is left on the host), the host's Debian bound read-only as the
//! base, the image's layers and the pod's volumes on top, the pod's `/etc/hosts` and
//! hostname, then `chroot --userspec` into it and `env -i` with exactly the container's
//! environment. `exec` joins a running container the way `kubectl exec` (and an exec
//! probe) does: its mount and UTS namespaces, its root, its user and environment.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The host directories every image shares (a symlink on the host stays a symlink).
const BASE: &[&str] = &[
    "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
];

/// A directory or file bound into the container.
#[derive(Clone, Debug)]
pub struct Mount {
    pub source: PathBuf,
    pub target: String,
    pub read_only: bool,
    /// Mounted `noexec` too (an image volume: its doc says read-only and noexec).
    pub noexec: bool,
}

/// Everything needed to start one container.
#[derive(Clone, Debug)]
pub struct Spec {
    pub label: String,
    /// An empty directory of the test's to build the root in.
    pub root: PathBuf,
    /// Image layers, bound in order (copied first when `copy`, so the container may write).
    pub layers: Vec<(PathBuf, String, bool)>,
    pub volumes: Vec<Mount>,
    pub hosts: String,
    pub hostname: String,
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    pub env: Vec<(String, String)>,
    pub argv: Vec<String>,
    pub workdir: String,
    /// stdout and stderr of the container go here.
    pub log: PathBuf,
}

/// A started container (its process group is the container).
pub struct Running {
    pub spec: Spec,
    pub child: Child,
}

fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The setup script run inside the new namespace, as root, before the container starts.
fn script(spec: &Spec) -> String {
    let root = spec.root.display().to_string();
    let at = |target: &str| quote(&format!("{root}{target}"));
    let mut s = String::from(
        "set -eu\n\
         bindro() { mount --bind \"$1\" \"$2\"; mount -o remount,bind,ro \"$2\"; }\n\
         point() { if [ -d \"$1\" ]; then mkdir -p \"$2\"; else mkdir -p \"$(dirname \"$2\")\"; [ -e \"$2\" ] || : > \"$2\"; fi; }\n",
    );
    for dir in BASE {
        let host = Path::new(dir);
        if host.is_symlink() || !host.exists() {
            continue; // made as a symlink (or left out) before the namespace starts
        }
        s += &format!("mkdir -p {0}; bindro {1} {0}\n", at(dir), quote(dir));
    }
    // The image's own area under /usr, so that layers may sit there.
    s += &format!(
        "mount -t tmpfs -o mode=0755 image-usr-local {}\n",
        at("/usr/local")
    );
    s += &format!(
        "mkdir -p {0} {1} {2}\n",
        at("/proc"),
        at("/dev"),
        at("/sys")
    );
    s += &format!("mount -t proc proc {}\n", at("/proc"));
    s += &format!("mount --rbind /dev {}\n", at("/dev"));
    s += &format!("mount --rbind /sys {}\n", at("/sys"));
    for (source, target, copy) in &spec.layers {
        let source = quote(&source.display().to_string());
        s += &format!("point {source} {}\n", at(target));
        if *copy {
            s += &format!("mount --bind {source} {}\n", at(target));
        } else {
            s += &format!("bindro {source} {}\n", at(target));
        }
    }
    let hosts = spec.root.with_extension("hosts");
    s += &format!(
        "mount --bind {} {}\n",
        quote(&hosts.display().to_string()),
        at("/etc/hosts")
    );
    for m in &spec.volumes {
        let source = quote(&m.source.display().to_string());
        s += &format!("point {source} {}\n", at(&m.target));
        if m.noexec {
            s += &format!(
                "mount --bind {source} {0}; mount -o remount,bind,ro,noexec,nosuid,nodev {0}\n",
                at(&m.target)
            );
        } else if m.read_only {
            s += &format!("bindro {source} {}\n", at(&m.target));
        } else {
            s += &format!("mount --bind {source} {}\n", at(&m.target));
        }
    }
    s += &format!("mkdir -p {}\n", at(&spec.workdir));
    s += &format!("hostname {}\n", quote(&spec.hostname));
    s += "cd /\n";
    s
}

fn groups(spec: &Spec) -> String {
    let mut all = vec![spec.gid];
    all.extend(&spec.groups);
    all.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// `env -i -C WORKDIR NAME=VALUE... -- ARGV...`, the container's process exactly.
fn env_words(spec: &Spec, argv: &[String]) -> Vec<String> {
    let mut words = vec![
        "/usr/bin/env".to_string(),
        "-i".into(),
        "-C".into(),
        spec.workdir.clone(),
    ];
    words.push("--".into());
    for (name, value) in &spec.env {
        words.push(format!("{name}={value}"));
    }
    words.extend(argv.iter().cloned());
    words
}

/// Build the root (host side: only plain directories, symlinks and copies) and start.
pub fn start(spec: Spec) -> Running {
    std::fs::create_dir_all(&spec.root).unwrap();
    let tmp = spec.root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    run(Command::new("chmod").arg("1777").arg(&tmp));
    for dir in BASE {
        let host = Path::new(dir);
        if host.is_symlink() {
            let link = std::fs::read_link(host).unwrap();
            let at = spec.root.join(dir.trim_start_matches('/'));
            if !at.is_symlink() {
                std::os::unix::fs::symlink(link, at).unwrap();
            }
        }
    }
    std::fs::write(spec.root.with_extension("hosts"), &spec.hosts).unwrap();
    let mut words = vec![
        "chroot".to_string(),
        format!("--userspec={}:{}", spec.uid, spec.gid),
        format!("--groups={}", groups(&spec)),
        spec.root.display().to_string(),
    ];
    words.extend(env_words(&spec, &spec.argv));
    let setup = format!(
        "{}exec {}\n",
        script(&spec),
        words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ")
    );
    let log = File::create(&spec.log).unwrap();
    use std::os::unix::process::CommandExt;
    let child = Command::new("unshare")
        .args([
            "--mount",
            "--uts",
            "--propagation",
            "private",
            "bash",
            "-c",
            &setup,
        ])
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", spec.label));
    Running { spec, child }
}

impl Running {
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.spec.log).unwrap_or_default()).into_owned()
    }

    /// Wait for the container to exit, at most `limit`; its exit code.
    pub fn wait(&mut self, limit: Duration) -> Option<i32> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().unwrap()
    }

    /// Run `argv` inside this running container, as its user and with its environment
    /// (what the kubelet does for an exec probe); exit code and output, bounded by `limit`.
    pub fn exec(&self, argv: &[String], limit: Duration) -> (Option<i32>, String) {
        let log = self
            .spec
            .log
            .with_extension(format!("exec{}", self.child.id()));
        let file = File::create(&log).unwrap();
        let mut cmd = Command::new("nsenter");
        cmd.arg(format!("--target={}", self.child.id()))
            .args(["--mount", "--uts", "--root", "--wd"])
            .arg(format!("--setuid={}", self.spec.uid))
            .arg(format!("--setgid={}", self.spec.gid))
            .arg("--")
            .args(env_words(&self.spec, argv))
            .env_clear()
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        use std::os::unix::process::CommandExt;
        let mut child = cmd.process_group(0).spawn().unwrap();
        let start = Instant::now();
        let code = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status.code();
            }
            if start.elapsed() > limit {
                kill_group(child.id());
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        (
            code,
            String::from_utf8_lossy(&std::fs::read(&log).unwrap()).into_owned(),
        )
    }
}

fn kill_group(pid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pid}")])
        .stderr(Stdio::null())
        .status();
}

impl Drop for Running {
    /// Kill the container's whole process group and reap it: its namespace, and with it
    /// every mount, goes away with its last process.
    fn drop(&mut self) {
        kill_group(self.child.id());
        let _ = self.child.wait();
    }
}
