//! Opting out, and opting in, as the user wrote it: an opt-out on the pod template wins
//! over an opt-in on the workload; a `metadata` or `annotations` the user wrote empty or
//! `null` is left so when the marker goes; an env entry no launch script can read is
//! never the options variable (its name did not fit the marker, and the tool refused its
//! own output); a `kind:` line is trusted only when a parser reads the same head. Each
//! test failed before its fix.

use super::super::*;
use super::markers::{DEPLOYMENT, OPT_OUT, annotated, rerun_and_opt_out, wired};

/// The Deployment `d` whose pod template opens with `metadata` (lines at its column).
fn with_template_metadata(metadata: &str) -> String {
    format!(
        "{DEPLOYMENT}{metadata}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    )
}

#[test]
fn empty_or_null_metadata_and_annotations_the_user_wrote_come_back_as_written() {
    for metadata in [
        "metadata:\n      annotations:\n        {}",
        "metadata:\n      annotations: {}\n      labels: {app: d}",
        "metadata:\n      annotations: { }",
        "metadata: {}",
        "metadata: {annotations: {}}",
        "metadata:",
        "metadata:\n      annotations:",
        "metadata:\n      labels: {app: d}\n      annotations:",
    ] {
        let pod = with_template_metadata(metadata);
        let out = wired(&pod);
        assert!(out.contains("pinpoint-inject.dev/injected"), "{out}");
        rerun_and_opt_out(&out, &out, &pod);
    }
    // `~` and `null` come back as `null` written as an empty value (the same value).
    for metadata in ["metadata: ~", "metadata:\n      annotations: null"] {
        let pod = with_template_metadata(metadata);
        let back = wired(&annotated(&wired(&pod), OPT_OUT));
        let read = |text: &str| yaml::value::from_str::<Value>(text).unwrap();
        assert_eq!(read(&back), read(&annotated(&pod, OPT_OUT)), "{back}");
    }
}

#[test]
fn an_opt_out_on_the_pod_template_wins_over_an_opt_in_on_the_workload() {
    let opted_in = "  annotations:\n    pinpoint-inject.dev/inject: \"true\"\n";
    let template_out =
        "metadata:\n      annotations:\n        pinpoint-inject.dev/inject: \"false\"";
    let pod = annotated(&with_template_metadata(template_out), opted_in);
    let run = stream(pod.as_bytes(), Limits::default());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(String::from_utf8(run.stdout).unwrap(), pod);
    assert!(run.stderr.contains("skipped"), "{}", run.stderr);
    // Wired first, then opted out on the template: the wiring goes.
    let plain = with_template_metadata("metadata:\n      labels: {app: d}");
    let out = wired(&annotated(&plain, opted_in));
    let template_opted = out.replacen(
        "      annotations:\n",
        "      annotations:\n        pinpoint-inject.dev/inject: \"false\"\n",
        1,
    );
    let expected = with_template_metadata(
        "metadata:\n      labels: {app: d}\n      annotations:\n        pinpoint-inject.dev/inject: \"false\"",
    );
    assert_eq!(wired(&template_opted), annotated(&expected, opted_in));
}

#[test]
fn an_env_entry_no_launch_script_can_read_is_never_the_options_variable() {
    // Kubernetes accepts any printable name without `=` (RelaxedEnvironmentVariableValidation).
    for name in [
        "JAVA_OPTS:EXTRA",
        "JAVA_OPTS X",
        "JAVA_OPTS;X",
        "JAVA_OPTS,X",
        "JAVA_OPTS/X",
        "JAVA_OPTS.X",
        "1JAVA_OPTS",
    ] {
        let pod = format!(
            "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: \"{name}\"\n          value: -Xmx1g\n"
        );
        let run = stream(pod.as_bytes(), Limits::default());
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("via JAVA_TOOL_OPTIONS"),
            "{name}: {}",
            run.stderr
        );
        let out = String::from_utf8(run.stdout).unwrap();
        assert!(
            out.contains("options=app:JAVA_TOOL_OPTIONS"),
            "{name}: {out}"
        );
        rerun_and_opt_out(&out, &out, &pod);
    }
}

#[test]
fn many_aliases_of_one_anchor_are_read_as_kubectl_reads_them() {
    // 110 containers sharing one `resources` block: serde-saphyr's ratio check refused it
    // as "too large", though it is 8 KB.
    let mut pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: eclipse-temurin:21-jre\n        resources: &r {{limits: {{memory: 1Gi}}}}\n"
    );
    for i in 0..110 {
        pod.push_str(&format!(
            "      - name: side{i}\n        image: registry.example.com/side:1\n        resources: *r\n"
        ));
    }
    let run = stream(pod.as_bytes(), Limits::default());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("injected: app"), "{}", run.stderr);
}

/// A document whose first `kind:` line names a kind that holds no pod is still wired when
/// a parser reads a workload: a key written again below (kubectl reads the last), or a
/// `kind:` line at column 0 inside a flow collection. Both passed unwired, with exit 0 and
/// no line on stderr, once such kinds were no longer parsed to look for a pod.
#[test]
fn a_kind_line_that_a_parser_reads_otherwise_is_not_trusted() {
    let pod = "  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n      - name: app\n        image: eclipse-temurin:21-jre\n";
    let written_again = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\napiVersion: apps/v1\nkind: Deployment\nspec:\n{pod}"
    );
    let in_flow = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, x: [\napiVersion: v1,\nkind: ConfigMap\n],\nspec: {template: {spec: {containers: [{name: app, image: \"eclipse-temurin:21-jre\"}]}}}}\n";
    for input in [written_again.as_str(), in_flow] {
        let run = stream(input.as_bytes(), Limits::default());
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(
            run.stderr.contains("Deployment d: injected"),
            "{}",
            run.stderr
        );
    }
}
