//! Values from a manifest that try to smuggle a JVM flag, a shell command or YAML
//! structure into the output.

use super::super::*;

/// Values an attacker controls in a manifest: the application-name annotation, the
/// labels a naming template reads, container names. None may add a JVM flag, a shell
/// command or YAML structure.
#[test]
fn manifest_values_cannot_smuggle_flags_commands_or_structure() {
    let hostile = [
        "x -javaagent:/tmp/evil.jar",
        "x\n- name: EVIL\n  value: injected",
        "x\" -Devil=1 \"",
        "x' -Devil=1 '",
        "$(EVIL) `id` ; rm -rf / && echo",
        "x\r\n-Devil=1",
        "x -Dpinpoint.applicationName=other",
        "}{label:app}{",
        "x\u{0}y\u{1b}[31m",
        "--- \n...\n",
        "a;volume=data;initContainer=migrate",
        "a,b",
        "containers=x",
    ];
    let config = common::TempFile::new(
        "smuggle.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {host: collector.apm}\n  agent: {image: \"agent:2.5.4\"}\n  naming: {applicationName: \"{label:app}-{container}-{annotation:team}\", maxLength: 200}\n  containers: [\"*\"]\n",
    );
    let config = config.0.to_string_lossy().into_owned();
    for value in hostile {
        let quoted = serde_json::to_string(value).unwrap();
        for annotated in [true, false] {
            let name_annotation = if annotated {
                format!("    pinpoint-inject.dev/application-name: {quoted}\n")
            } else {
                String::new()
            };
            let input = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: {quoted}\n  annotations:\n    team: {quoted}\n{name_annotation}spec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n      - name: worker\n        image: registry.example.com/other:1\n"
            );
            let run = run_bin(&["--config", &config], input.as_bytes(), Limits::default());
            sane(&run, value);
            assert!(
                run.stderr.lines().all(|l| !l.contains('\u{1b}')),
                "escape codes reach the terminal: {}",
                run.stderr
            );
            assert_eq!(run.code, Some(0), "{value:?}: {}", run.stderr);
            let again = run_bin(&["--config", &config], &run.stdout, Limits::default());
            assert_eq!(
                again.stdout, run.stdout,
                "{value:?}: a second run changed the output: {}",
                again.stderr
            );
            assert_eq!(again.code, Some(0), "{value:?}: {}", again.stderr);
            let out = String::from_utf8(run.stdout).unwrap();
            assert_eq!(
                common::invariants::split(out.as_bytes()).len(),
                1,
                "{value:?}: one document\n{out}"
            );
            let doc: Value = yaml::from_str(&out).unwrap();
            let spec = &doc["spec"]["template"]["spec"];
            // The copy step: a constant script, the config's paths as its arguments.
            for init in spec["initContainers"].as_array().unwrap() {
                assert_eq!(
                    init["command"],
                    serde_json::json!([
                        "sh",
                        "-c",
                        pinpoint_inject::wire::copy_step::COPY_SCRIPT,
                        "/pinpoint-agent",
                        "/pinpoint-agent-volume"
                    ]),
                    "{value:?}"
                );
                assert!(init.get("args").is_none());
            }
            for container in spec["containers"].as_array().unwrap() {
                let Some(env) = container["env"].as_array() else {
                    continue;
                };
                let names: Vec<&str> = env.iter().map(|e| e["name"].as_str().unwrap()).collect();
                assert!(
                    names.iter().all(|n| [
                        "PINPOINT_POD_NAME",
                        "PINPOINT_AGENT_OPTS",
                        "JAVA_TOOL_OPTIONS"
                    ]
                    .contains(n)),
                    "{value:?}: {names:?}"
                );
                let opts = env
                    .iter()
                    .find(|e| e["name"] == "PINPOINT_AGENT_OPTS")
                    .unwrap()["value"]
                    .as_str()
                    .unwrap();
                let flags: Vec<&str> = opts.split(' ').collect();
                let expected_prefixes = [
                    "-javaagent:/pinpoint-agent/pinpoint-bootstrap.jar",
                    "-Dpinpoint.applicationName=",
                    "-Dpinpoint.agentName=$(PINPOINT_POD_NAME)",
                    "-Dpinpoint.profiler.profiles.active=release",
                    "-Dprofiler.transport.grpc.collector.ip=collector.apm",
                ];
                assert_eq!(flags.len(), expected_prefixes.len(), "{value:?}: {opts}");
                for (flag, prefix) in flags.iter().zip(expected_prefixes) {
                    assert!(flag.starts_with(prefix), "{value:?}: {flag}");
                }
                let app = flags[1]
                    .strip_prefix("-Dpinpoint.applicationName=")
                    .unwrap();
                assert!(
                    !app.is_empty()
                        && app
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                    "{value:?}: {app}"
                );
                let java = env
                    .iter()
                    .find(|e| e["name"] == "JAVA_TOOL_OPTIONS")
                    .unwrap()["value"]
                    .as_str()
                    .unwrap();
                assert!(
                    java == "-Xmx1g $(PINPOINT_AGENT_OPTS)" || java == "$(PINPOINT_AGENT_OPTS)",
                    "{value:?}: {java}"
                );
            }
            // The hostile text comes back as the very same strings, not as structure.
            assert_eq!(doc["metadata"]["labels"]["app"], value, "{value:?}\n{out}");
            assert_eq!(
                doc["metadata"]["annotations"]["team"], value,
                "{value:?}\n{out}"
            );
            let names: Vec<&str> = spec["containers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, ["app", "worker"], "{value:?}");
        }
        // As a container name: refused (Kubernetes accepts only DNS labels), unchanged.
        let input = format!("{POD}  - name: {quoted}\n    image: registry.example.com/other:1\n");
        let run = run_bin(&["--config", &config], input.as_bytes(), Limits::default());
        sane(&run, value);
        assert_eq!(run.code, Some(1), "{value:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("is not a valid Kubernetes name (a DNS-1123 label)"),
            "{value:?}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, input.as_bytes(), "{value:?}");
        assert!(
            !run.stderr.contains('\u{1b}'),
            "escape codes reach the terminal: {}",
            run.stderr
        );
    }
}
