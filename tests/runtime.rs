//! Proven on a real JVM: pinpoint-inject's output, run the way a kubelet runs it, makes
//! the real Pinpoint agent (from Maven Central) attach and report to a collector.
//!
//! Each case in `tests/runtime/cases/<case>/` is an input stream and a config; the real
//! binary injects, then `runtime::pod` runs the emitted pod (emptyDir volumes, init
//! containers in order, the application container with its user, mounts and kubelet-
//! expanded environment, in a private mount namespace each) and a gRPC collector
//! stand-in on loopback (127.0.0.2) records what the agent sends. Needs root (mount namespaces),
//! a JDK and Maven; `scripts/install-runtime.sh` installs the rest. Cases run one at a
//! time (they share the default collector ports); every wait is bounded.

mod common;
mod runtime {
    pub mod alone;
    pub mod case;
    pub mod collector;
    pub mod expand;
    pub mod images;
    pub mod logs;
    pub mod pod;
    pub mod sandbox;
    pub mod volumes;
}

use runtime::case::{Case, channel, header, setup, target};
use runtime::collector::{Collector, Event};
use runtime::pod::{self, Pod};
use std::io::{Read, Write};
use std::sync::Mutex;
use std::time::Duration;

/// How long the agent may take to start, connect, or send a span.
const WAIT: Duration = Duration::from_secs(60);
/// Where the collector stand-in listens. Not 127.0.0.1: that is the collector address in
/// the agent's own profile files (pinpoint-root.config, profiles/*/pinpoint.config), so
/// an agent that missed our collector property would still find a stand-in there.
const COLLECTOR_ADDRESS: &str = "127.0.0.2";
/// What the agent prints once it is up (pinpoint-bootstrap's PinpointStarter).
const STARTED: &str = "pinpoint agent started normally.";
/// What the agent's bootstrap prints when it cannot load.
const LOAD_FAILURE: &str = "Pinpoint Agent load failure";

/// One GET once the server listens (it opens its port after the agent has started).
fn http_get(port: u16, path: &str) -> String {
    let start = std::time::Instant::now();
    let mut stream = loop {
        match std::net::TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => break stream,
            Err(e) if start.elapsed() > WAIT => {
                panic!("nothing listens on port {port} after {WAIT:?}: {e}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_string()
}

/// Wait until the container prints `needle` (or exits, or the time is up).
fn wait_output(pod: &mut Pod, container: &str, needle: &str) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < WAIT {
        let running = pod.container(container);
        if running.output().contains(needle) {
            return true;
        }
        let index = pod
            .containers
            .iter()
            .position(|(n, _)| n == container)
            .unwrap();
        if pod.containers[index].1.exited().is_some() {
            return pod.container(container).output().contains(needle);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

fn run_case(name: &str) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let setup = setup();
    let dir = common::repo().join("tests/runtime/cases").join(name);
    let case: Case = serde_json::from_value(common::read_yaml(&dir.join("case.yaml")))
        .unwrap_or_else(|e| panic!("{name}/case.yaml: {e}"));
    eprintln!("runtime case {name}: {}", case.description);

    // 1. The real binary, on the case's stream.
    let stream: String = case
        .input
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
        .collect::<Vec<_>>()
        .join("\n---\n");
    let config_path = dir.join(&case.config);
    let facts_dir = common::TempDir::new(&format!("runtime-facts-{name}"));
    let facts_path = facts_dir.path().join("image-facts.yaml");
    let mut args = vec!["--config", config_path.to_str().unwrap()];
    if case.image_facts {
        let facts = runtime::images::facts(&setup.installed.java_home);
        std::fs::write(&facts_path, facts).unwrap();
        args.extend(["--image-facts", facts_path.to_str().unwrap()]);
    }
    let injected = common::inject(&args, stream.as_bytes());
    assert_eq!(
        injected.code,
        Some(0),
        "pinpoint-inject failed:\n{}",
        injected.stderr
    );
    let docs = common::documents(injected.stdout_text());
    if let Some(uid) = case.expect.copy_step_user {
        runtime::case::check_copy_step(name, &docs, uid);
    }
    if !case.expect.left_alone.is_empty() {
        return runtime::alone::check(name, &case, &stream, &injected, setup);
    }
    let target = target(&common::read_yaml(&config_path));

    // 2. The collector at the config's ports; the config's host resolves to it
    //    (the pod's /etc/hosts stands in for cluster DNS).
    let ports: Vec<u16> = target.ports.values().copied().collect();
    let (address, hosts) = match target.host.parse::<std::net::IpAddr>() {
        Ok(ip) => {
            assert!(
                ip.is_loopback(),
                "{name}: a case's collector must be on loopback"
            );
            (target.host.clone(), String::new())
        }
        Err(_) => (
            COLLECTOR_ADDRESS.to_string(),
            format!("{COLLECTOR_ADDRESS}\t{}\n", target.host),
        ),
    };
    let collector = Collector::start(&setup.python, &address, &ports);

    // 3. The pod.
    let scratch = common::TempDir::new(&format!("runtime-{name}"));
    let mut pod = pod::run(&docs, &setup.installed, scratch.path(), &hosts);
    let c = case.container.as_str();
    let loaded = wait_output(&mut pod, c, STARTED);
    let output = pod.container(c).output();
    let tail = |text: &str| {
        text.lines()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        loaded,
        "{name}: the agent did not start within {WAIT:?}; {c} printed:\n{}",
        tail(&output)
    );
    assert!(
        !output.contains(LOAD_FAILURE),
        "{name}: {LOAD_FAILURE}:\n{}",
        tail(&output)
    );
    assert!(
        !output.contains("$(PINPOINT_"),
        "{name}: a $(VAR) reached the JVM unexpanded:\n{}",
        output
            .lines()
            .filter(|l| l.contains("$(PINPOINT_"))
            .collect::<Vec<_>>()
            .join("\n")
    );

    // 4. Identity, as the agent reports it in its gRPC headers.
    let expected_id = match case.expect.agent_id.as_str() {
        "podIP" => Some(pod.facts.ip.clone()),
        "podName" => Some(pod.facts.name.clone()),
        "generated" => None,
        other => Some(other.to_string()),
    };
    let expected_name = match case.expect.agent_name.as_str() {
        "podName" => Some(pod.facts.name.clone()),
        "none" => None,
        other => Some(other.to_string()),
    };
    let info = |events: &[Event]| {
        events
            .iter()
            .find(|e| e.kind == "call" && e.method == "/v1.Agent/RequestAgentInfo")
            .cloned()
    };
    let reported = collector.wait_for(WAIT, |events| info(events).is_some());
    assert!(
        reported,
        "{name}: no RequestAgentInfo within {WAIT:?}:\n{}\n--- {c}\n{}",
        collector.summary(),
        tail(&output)
    );
    let info = info(&collector.events()).unwrap();
    assert_eq!(
        header(&info, "applicationname"),
        Some(case.expect.application_name.as_str()),
        "{name}: {info:?}"
    );
    let agent_id = header(&info, "agentid").unwrap_or_default().to_string();
    match &expected_id {
        Some(id) => assert_eq!(&agent_id, id, "{name}: agent id"),
        None => assert!(
            !agent_id.is_empty() && agent_id != pod.facts.name && agent_id != pod.facts.ip,
            "{name}: generated agent id {agent_id:?}"
        ),
    }
    assert_eq!(
        header(&info, "agentname").filter(|n| !n.is_empty()),
        expected_name.as_deref(),
        "{name}: agent name"
    );

    // 5. Every channel opened on its configured port, and nothing arrived elsewhere.
    let channels_open = collector.wait_for(WAIT, |events| {
        ["agent", "stat", "span"].iter().all(|ch| {
            events
                .iter()
                .any(|e| e.kind == "call" && channel(&e.method) == *ch)
        })
    });
    assert!(
        channels_open,
        "{name}: not every channel connected:\n{}",
        collector.summary()
    );
    for e in collector.events() {
        assert_eq!(
            e.port,
            target.ports[channel(&e.method)],
            "{name}: {} arrived on port {}",
            e.method,
            e.port
        );
        if e.kind == "call" {
            assert_eq!(
                header(&e, "agentid"),
                Some(agent_id.as_str()),
                "{name}: {e:?}"
            );
        }
    }

    // 6. The agent's own log file, under its own directory (tests/runtime/logs.rs).
    runtime::logs::check(name, &case, &pod, c, &agent_id, &collector, &output);

    // 7. The application itself.
    if let Some(prefix) = &case.expect.picked_up {
        let line = format!("Picked up JAVA_TOOL_OPTIONS: {prefix}");
        assert!(
            output.lines().any(|l| l.starts_with(&line)),
            "{name}: no line starting {line:?}:\n{}",
            output
                .lines()
                .filter(|l| l.starts_with("Picked up"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // (main() prints after the agent's premain: wait for each line.)
    let mut lines: Vec<String> = case
        .expect
        .properties
        .iter()
        .map(|(key, value)| format!("hello: property {key}={value}"))
        .collect();
    lines.extend(
        case.expect
            .uid
            .map(|uid| format!("hello: running as uid {uid}\n")),
    );
    for line in lines {
        assert!(
            wait_output(&mut pod, c, &line),
            "{name}: no {line:?} in:\n{}",
            tail(&pod.container(c).output())
        );
    }

    // 8. A web server: one request, one span.
    if let Some(http) = &case.expect.http {
        let spans = |events: &[Event]| {
            events
                .iter()
                .filter(|e| e.kind == "message" && e.method == "/v1.Span/SendSpan")
                .count()
        };
        let before = spans(&collector.events());
        let status = http_get(http.port, &http.path);
        assert!(status.starts_with("HTTP/1.1 "), "{name}: {status:?}");
        let sent = collector.wait_for(WAIT, |events| spans(events) > before);
        assert!(
            sent,
            "{name}: no span within {WAIT:?} after GET {} ({status}):\n{}",
            http.path,
            collector.summary()
        );
    }

    // 9. An exec probe: a JVM of its own, with the container's environment; no agent.
    if let Some(probe) = &case.expect.probe {
        let spec = pod.container_spec(c);
        let argv: Vec<String> = spec[probe]["exec"]["command"]
            .as_array()
            .unwrap_or_else(|| panic!("{c} has no exec {probe}"))
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .collect();
        let running = pod.container(c);
        let wired = running
            .spec
            .env
            .iter()
            .any(|(_, v)| v.contains("-javaagent:"));
        assert!(
            wired,
            "{name}: the container's environment carries no -javaagent"
        );
        let (code, out) = running.exec(&argv, Duration::from_secs(30));
        assert_eq!(code, Some(0), "{name}: probe {argv:?} failed:\n{out}");
        assert!(
            !out.contains("Picked up") && !out.to_lowercase().contains("pinpoint"),
            "{name}: the probe's JVM loaded the agent:\n{out}"
        );
    }
    drop(pod);
    drop(collector);
    // Every mount lived in the containers' own namespaces: none is left on this side.
    let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let scratch_path = scratch.path().display().to_string();
    assert!(
        !mounts.contains(&scratch_path),
        "{name}: mounts left under {scratch_path}:\n{mounts}"
    );
}

macro_rules! cases {
    ($($(#[$attr:meta])* $test:ident => $dir:literal),* $(,)?) => {
        $(
            #[test]
            $(#[$attr])*
            fn $test() {
                run_case($dir);
            }
        )*
    };
}

cases! {
    seed_recipe_tomcat_catalina_opts => "seed-tomcat",
    java_tool_options_literal_kept => "java-tool-options-literal",
    options_from_configmap_moved => "options-from-configmap",
    non_default_collector_ports => "collector-ports",
    non_root_app_security_context => "non-root-security-context",
    /// A non-root image USER and no securityContext: the copy step runs as root (the
    /// agent image's user), so it must leave the copied tree writable for every user, or
    /// the agent (10001) loses its log files ("Could not create directory …/logs/<id>").
    non_root_app_image_user => "non-root-image-user",
    non_root_image_user_agent_security_context => "non-root-image-user-agent-user",
    agent_id_from_pod_ip => "agent-id-pod-ip",
    exec_probe_jvm_without_agent => "exec-probe-tomcat",
    /// agent.delivery imageVolume: the agent image mounted read-only and noexec with
    /// subPath, no init container; a non-root JVM logs to the emptyDir on its logs.
    image_volume_read_only_agent_non_root_app => "image-volume-non-root",
    /// The recipe's Tomcat with the recipe's agent image mounted as an image volume
    /// (subPath var/lib/pp_agent): CATALINA_OPTS through catalina.sh, and a span.
    image_volume_seed_tomcat_span => "image-volume-seed-tomcat",
    /// The image sets JAVA_TOOL_OPTIONS in its ENV; with its facts, the JVM gets the
    /// image's options first and then the agent (without, they would be replaced).
    image_facts_image_options_kept => "image-facts-options-kept",
    /// The image's USER 10001, known from its facts: the copy step runs as 10001 and
    /// makes nothing writable for others, and the agent still writes its logs.
    image_facts_copy_step_as_image_user => "image-facts-image-user",
    /// The image carries another agent in its own JAVA_TOOL_OPTIONS; its facts say so,
    /// the workload is left alone, and the JVM runs that agent, not Pinpoint.
    image_facts_other_agent_left_alone => "image-facts-other-agent",
}
