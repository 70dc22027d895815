//! Where the agent's log files are on the host: the agent directory is the one holding
//! the `-javaagent` jar (pinpoint-bootstrap's `AgentDirBaseClassPathResolver`), its logs
//! go to `<agent dir>/logs/<agent id>/` (`knowledge::pinpoint::LOGS_DIR`), and that
//! container path is resolved through the container's mounts as the kernel would: the
//! deepest mount that holds it.

use super::case::Case;
use super::collector::Collector;
use super::pod::Pod;
use super::sandbox::{Mount, Running};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The agent directory in the container, from the `-javaagent:` flag of its environment.
pub fn agent_dir(running: &Running) -> String {
    let flag = running
        .spec
        .env
        .iter()
        .flat_map(|(_, v)| v.split_whitespace())
        .find_map(|w| w.strip_prefix("-javaagent:"))
        .expect("the container's environment carries -javaagent:");
    let jar = flag.split('=').next().unwrap_or(flag);
    Path::new(jar).parent().unwrap().display().to_string()
}

/// The mount a container path is in, and the path on the host.
pub fn on_host<'a>(running: &'a Running, path: &str) -> (&'a Mount, PathBuf) {
    let inside = |m: &&Mount| {
        let target = m.target.trim_end_matches('/');
        path == target || path.starts_with(&format!("{target}/"))
    };
    let mount = running
        .spec
        .volumes
        .iter()
        .filter(inside)
        .max_by_key(|m| m.target.trim_end_matches('/').len())
        .unwrap_or_else(|| panic!("{path} is in none of the container's volumes"));
    let rest = path[mount.target.trim_end_matches('/').len()..].trim_start_matches('/');
    (mount, mount.source.join(rest))
}

/// `below` (a directory under the container path `path`, which `mount` holds) on the host.
pub fn on_host_below(mount: &Mount, path: &str, below: &str) -> (String, PathBuf) {
    let rest = path[mount.target.trim_end_matches('/').len()..].trim_start_matches('/');
    (
        format!("{path}/{below}"),
        mount.source.join(rest).join(below),
    )
}

/// The agent's log file, under its own directory: in the volume the copy step filled,
/// or (an image volume, read-only and noexec) in the emptyDir on its `logs`; and nothing
/// written into an image.
pub fn check(
    name: &str,
    case: &Case,
    pod: &Pod,
    c: &str,
    agent_id: &str,
    collector: &Collector,
    output: &str,
) {
    let running = pod.container(c);
    let agent_dir = agent_dir(running);
    let (agent_mount, _) = on_host(running, &agent_dir);
    let logs_dir = format!("{agent_dir}/logs");
    let (logs_mount, logs) = on_host(running, &logs_dir);
    if case.expect.image_volume {
        assert!(pod.init_logs.is_empty(), "{name}: an init container ran");
        assert!(
            agent_mount.read_only && agent_mount.noexec,
            "{name}: the agent is not on a read-only image volume: {agent_mount:?}"
        );
        assert!(
            !logs_mount.read_only && logs_mount.target.trim_end_matches('/') == logs_dir,
            "{name}: the logs are not on a writable volume of their own: {logs_mount:?}"
        );
    }
    let log = logs.join(agent_id).join("pinpoint.log");
    let logged = collector.wait_for(Duration::from_secs(10), |_| {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("Starting pinpoint Agent"))
    });
    assert!(
        logged,
        "{name}: the agent wrote no log at {} (it runs as uid {}):\n{}",
        log.display(),
        pod.container(c).spec.uid,
        output
            .lines()
            .filter(|l| l.contains("ERROR") || l.contains("Could not create"))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    if case.expect.image_volume {
        // Nothing was written into the image: its own logs directory is still empty.
        let (_, image_logs) = on_host_below(agent_mount, &agent_dir, "logs");
        let written: Vec<_> = std::fs::read_dir(&image_logs).unwrap().collect();
        assert!(
            written.is_empty(),
            "{name}: the agent wrote into its image: {written:?}"
        );
    }
}
