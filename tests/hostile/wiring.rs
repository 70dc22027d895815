//! Config values that would reach a shell, pods the wiring is not for, names Kubernetes
//! reads as booleans, and a copy step that gives away more than it must.

use super::super::*;

/// A PinpointInjector with `agent` fields (YAML flow entries) over the defaults.
fn config_with(agent: &str) -> common::TempFile {
    let text = format!(
        "apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {{host: collector.apm}}\n  agent: {{image: \"agent:3.0.1\", {agent}}}\n"
    );
    common::TempFile::new("config.yaml", text.as_bytes())
}

fn run_with(config: &common::TempFile, stdin: &[u8]) -> Run {
    let path = config.0.to_string_lossy().into_owned();
    run_bin(&["--config", &path], stdin, Limits::default())
}

/// Tomcat's catalina.sh runs CATALINA_OPTS through `eval`: a value that a shell reads as
/// code, or a mount path the JVM splits, is refused before anything is written.
#[test]
fn config_values_that_a_shell_or_the_jvm_would_misread_are_refused() {
    for (agent, field) in [
        (
            r#"systemProperties: {a: "$(id)"}"#,
            "agent.systemProperties.a",
        ),
        (
            r#"systemProperties: {a: "`id`"}"#,
            "agent.systemProperties.a",
        ),
        (
            r#"systemProperties: {a: "x;id"}"#,
            "agent.systemProperties.a",
        ),
        (
            r#"systemProperties: {a: "x'y"}"#,
            "agent.systemProperties.a",
        ),
        (
            r#"systemProperties: {a: "x\"y"}"#,
            "agent.systemProperties.a",
        ),
        (
            r#"systemProperties: {a: "x|y&z"}"#,
            "agent.systemProperties.a",
        ),
        (
            r#"systemProperties: {a: "/bb/*"}"#,
            "agent.systemProperties.a",
        ),
        // Flags the tool writes from other settings: overriding one would skip its checks.
        (
            r#"systemProperties: {pinpoint.applicationName: shop-orders-service-production}"#,
            "agent.systemProperties.pinpoint.applicationName",
        ),
        (
            r#"systemProperties: {profiler.transport.grpc.span.collector.port: 9993}"#,
            "agent.systemProperties.profiler.transport.grpc.span.collector.port",
        ),
        // YAML 1.1 reads these as 1.1 and true: quoted, or refused.
        (r#"systemProperties: {a: 1.10}"#, "agent.systemProperties.a"),
        (r#"systemProperties: {a: on}"#, "agent.systemProperties.a"),
        (r#"mountPath: "//pinpoint-agent""#, "agent.mountPath"),
        (r#"mountPath: "/./pinpoint-agent""#, "agent.mountPath"),
        (r#"mountPath: "/agent=x""#, "agent.mountPath"),
        (r#"mountPath: "/a;id""#, "agent.mountPath"),
        (r#"mountPath: "/a`id`""#, "agent.mountPath"),
        (r#"mountPath: "/a'b""#, "agent.mountPath"),
    ] {
        let run = run_with(&config_with(agent), POD.as_bytes());
        sane(&run, agent);
        assert_eq!(run.code, Some(1), "{agent}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{agent}: something was written");
        assert!(
            run.stderr.contains(&format!("spec.{field}")),
            "{agent}: {}",
            run.stderr
        );
    }
    // What a system property value usually holds is fine.
    let fine = config_with(
        r#"systemProperties: {profiler.sampling.rate: 20, profiler.include: "com.shop.Main,com.shop.Job", pinpoint.config: /etc/pp/x.config, profiler.sampling.percent.sampling-rate: "0.5"}"#,
    );
    let run = run_with(&fine, POD.as_bytes());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_security_context_that_escalates_warns() {
    for (context, says) in [
        ("privileged: true", "privileged: true"),
        (
            "capabilities: {add: [SYS_ADMIN], drop: [ALL]}",
            "[SYS_ADMIN]",
        ),
        ("seccompProfile: {type: Unconfined}", "Unconfined"),
        ("allowPrivilegeEscalation: true", "allowPrivilegeEscalation"),
        ("runAsUser: 0", "root"),
    ] {
        let run = run_with(
            &config_with(&format!("securityContext: {{{context}}}")),
            POD.as_bytes(),
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let warning = run
            .stderr
            .lines()
            .find(|l| l.contains("warning: spec.agent.securityContext"))
            .unwrap_or_else(|| panic!("{context}: no warning: {}", run.stderr));
        assert!(
            warning.contains(says) && warning.contains("Pod Security Standards"),
            "{warning}"
        );
    }
}

/// A Windows pod gets no `sh -c cp` copy step and no Linux security fields: it is left
/// alone, with an info line and report rows that say why.
#[test]
fn windows_pods_are_left_alone_with_a_note() {
    for how in [
        "  os: {name: windows}\n",
        "  nodeSelector: {kubernetes.io/os: windows}\n",
    ] {
        let pod = POD.replacen("spec:\n", &format!("spec:\n{how}"), 1);
        let run = stream(pod.as_bytes(), Limits::default());
        sane(&run, how);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stdout, pod.as_bytes(), "a Windows pod was changed");
        assert!(
            run.stderr
                .contains("info: document 1: Pod p: skipped: a Windows pod"),
            "{}",
            run.stderr
        );
        let report = run_bin(
            &["report", "--json", "--config", &config()],
            pod.as_bytes(),
            Limits::default(),
        );
        let rows: Value = serde_json::from_slice(&report.stdout).unwrap();
        assert_eq!(rows[0]["decision"], "skipped", "{rows}");
        assert_eq!(rows[0]["reason"], "windows", "{rows}");
    }
}

/// `name: no` and `name: 123` are a boolean and a number to Kubernetes' YAML 1.1: said so,
/// not reported as containers without names or missing.
#[test]
fn container_names_yaml_reads_as_booleans_or_numbers_are_named() {
    for (name, what) in [
        ("no", "the boolean false"),
        ("123", "the number 123"),
        ("on", "the boolean true"),
    ] {
        let pod = POD.replace("- name: app\n", &format!("- name: {name}\n"));
        let run = stream(pod.as_bytes(), Limits::default());
        sane(&run, name);
        assert_eq!(run.code, Some(1), "{name}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("containers[0].name is {what}"))
                && run.stderr.contains("quote"),
            "{name}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("no name"), "{}", run.stderr);
    }
}

/// The copy step runs as the application's UID where the pod says it: then the copy is
/// the application's own, and nothing is made writable for every user.
#[test]
fn the_copy_is_world_writable_only_when_the_user_may_differ() {
    let known = POD.replacen(
        "spec:\n",
        "spec:\n  securityContext: {runAsUser: 1000, runAsGroup: 1000}\n",
        1,
    );
    for (pod, chmod) in [(known.as_str(), false), (POD, true)] {
        let run = stream(pod.as_bytes(), Limits::default());
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let out = String::from_utf8(run.stdout).unwrap();
        assert!(out.contains("cp -R \"$0\"/. \"$1\"/"), "{out}");
        assert_eq!(out.contains("chmod -R a+rwX"), chmod, "{out}");
    }
}

/// An agent id taken from the pod is one per pod: two wired containers, or pods on the
/// host's network (whose IP is the node's), would share it. Said, not silently wired.
#[test]
fn an_agent_id_two_jvms_would_share_is_named() {
    let two = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: eclipse-temurin:21-jre\n  - name: b\n    image: eclipse-temurin:21-jre\n";
    let host = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n  - name: a\n    image: eclipse-temurin:21-jre\n";
    for (agent_id, pod, says) in [
        (
            "podIP",
            two,
            "the 2 containers wired here get the same agent id",
        ),
        (
            "podName",
            two,
            "the 2 containers wired here get the same agent id",
        ),
        ("podIP", host, "uses the host's network"),
    ] {
        let config = common::TempFile::new(
            "config.yaml",
            format!("apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {{host: collector.apm}}\n  agent: {{image: \"agent:3.0.1\"}}\n  naming: {{agentId: {agent_id}}}\n").as_bytes(),
        );
        let run = run_with(&config, pod.as_bytes());
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(
            run.stderr
                .lines()
                .any(|l| l.contains("warning:") && l.contains(says)),
            "{agent_id}: {}",
            run.stderr
        );
    }
    // One container, the pod's own network: nothing to say.
    let config = common::TempFile::new(
        "config.yaml",
        b"apiVersion: pinpoint-inject.dev/v1alpha1\nkind: PinpointInjector\nspec:\n  collector: {host: collector.apm}\n  agent: {image: \"agent:3.0.1\"}\n  naming: {agentId: podName}\n",
    );
    let run = run_with(&config, host.as_bytes());
    assert!(
        !run.stderr.contains("same agent id") && !run.stderr.contains("host's network"),
        "{}",
        run.stderr
    );
}

/// A document whose last line has no line break (a file saved without one): the wiring
/// added at its end adds no blank line and leaves it ending so; a second run changes
/// nothing, switching the delivery gives what a fresh run gives, and opting out gives
/// the text back exactly. In LF and in CRLF.
#[test]
fn a_document_without_a_final_line_break_stays_so() {
    let pod = format!(
        "{}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1",
        super::markers::DEPLOYMENT
    );
    for text in [pod.clone(), pod.replace('\n', "\r\n")] {
        let wired = super::markers::wired(&text);
        assert!(!wired.ends_with('\n'), "{wired:?}");
        let blank = if text.contains('\r') {
            "\r\n\r\n"
        } else {
            "\n\n"
        };
        assert!(!wired.contains(blank), "a blank line:\n{wired}");
        assert_eq!(super::markers::wired(&wired), wired);
        // The opt-out annotation, in the text's own line breaks.
        let opt_out = |t: &str| {
            let lf = super::markers::annotated(&t.replace("\r\n", "\n"), super::markers::OPT_OUT);
            if t.contains('\r') {
                lf.replace('\n', "\r\n")
            } else {
                lf
            }
        };
        assert_eq!(super::markers::wired(&opt_out(&wired)), opt_out(&text));
        // Switching the delivery either way gives what a fresh run with the new one gives
        // (the last lines are cut and others added in their place).
        let (copy, image) = (
            config_with(""),
            config_with("delivery: imageVolume, volumeSizeLimit: 256Mi"),
        );
        let run = |config: &common::TempFile, input: &str| {
            let run = run_with(config, input.as_bytes());
            assert_eq!(run.code, Some(0), "{}", run.stderr);
            String::from_utf8(run.stdout).unwrap()
        };
        for (from, to) in [(&copy, &image), (&image, &copy)] {
            let switched = run(to, &run(from, &text));
            assert_eq!(switched, run(to, &text));
            assert_eq!(run(to, &opt_out(&switched)), opt_out(&text));
        }
    }
}

/// Wiring read back from a cluster carries the fields the API server fills in (the init
/// container's `terminationMessagePath`, `terminationMessagePolicy` and
/// `imagePullPolicy`, a field reference's `apiVersion`): it is still the tool's, so a
/// second run wires it as the first did (without those defaults, which the API server
/// fills in again) and opting out takes it out.
#[test]
fn wiring_read_back_from_a_cluster_is_still_recognised() {
    use super::markers::{DEPLOYMENT, rerun_and_opt_out, wired};
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    );
    let out = wired(&pod);
    let from_cluster = out
        .replacen(
            "      - name: pinpoint-agent-init\n",
            "      - name: pinpoint-agent-init\n        imagePullPolicy: IfNotPresent\n        terminationMessagePath: /dev/termination-log\n        terminationMessagePolicy: File\n",
            1,
        )
        .replacen(
            "              fieldPath: metadata.name\n",
            "              fieldPath: metadata.name\n              apiVersion: v1\n",
            1,
        );
    assert_eq!(from_cluster.matches("terminationMessage").count(), 2);
    assert!(from_cluster.contains("apiVersion: v1\n"), "{from_cluster}");
    rerun_and_opt_out(&from_cluster, &out, &pod);
}

/// An options value the user ended with blanks, or made of blanks alone, is kept as it
/// is in front of the reference, so opting out gives it back exactly (the blanks were
/// trimmed, and a value of blanks alone came back empty).
#[test]
fn options_values_ending_in_blanks_are_given_back_exactly() {
    use super::markers::{DEPLOYMENT, rerun_and_opt_out, wired};
    for (value, wired_value) in [
        ("\"-Xmx768m \"", "\"-Xmx768m  $(PINPOINT_AGENT_OPTS)\""),
        ("\"-Xmx768m\\t\"", "\"-Xmx768m\\t $(PINPOINT_AGENT_OPTS)\""),
        ("\"  \"", "\"   $(PINPOINT_AGENT_OPTS)\""),
        ("-Xmx768m", "-Xmx768m $(PINPOINT_AGENT_OPTS)"),
    ] {
        let pod = format!(
            "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: tomcat:10.1-jdk17\n        env:\n        - name: CATALINA_OPTS\n          value: {value}\n"
        );
        let out = wired(&pod);
        let line = format!("          value: {wired_value}\n");
        assert!(out.contains(&line), "{line:?} in:\n{out}");
        rerun_and_opt_out(&out, &out, &pod);
    }
}
