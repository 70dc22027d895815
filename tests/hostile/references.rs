//! The user's references to our variables, where a run must keep them resolving: one
//! written while the workload was wired, in the entry a later config makes the options
//! variable, and one in a mount's `subPathExpr`.

use super::super::*;
use super::markers::{DEPLOYMENT, OPT_OUT, annotated, wired, written_back};

/// A reference the user wrote to `$(PINPOINT_AGENT_OPTS)` while the workload was wired,
/// in the entry a later config makes the options variable: that run keeps it as the
/// user wrote it, and records it as `heldReference`, not as a reference the user wrote
/// before any wiring (`userReference`), so taking the wiring out afterwards is refused
/// instead of leaving it unexpanded.
#[test]
fn a_reference_written_while_wired_stays_resolved_when_it_becomes_the_options_variable() {
    let dir = common::TempDir::new("held-reference");
    let java_opts = dir.join("java-opts.yaml");
    let default = std::fs::read_to_string(config()).unwrap();
    std::fs::write(
        &java_opts,
        default.replace("  agent:\n", "  agent:\n    optionsEnv: JAVA_OPTS\n"),
    )
    .unwrap();
    // A run with `agent.optionsEnv: JAVA_OPTS`, which must succeed: its output.
    let with_java_opts = |input: &str| {
        let run = run_bin(
            &["--config", &java_opts.to_string_lossy()],
            input.as_bytes(),
            Limits::default(),
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        String::from_utf8(run.stdout).unwrap()
    };
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n"
    );
    let wired = wired(&pod);
    let edited = wired.replacen(
        "          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n",
        "          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n        - name: JAVA_OPTS\n          value: $(PINPOINT_AGENT_OPTS)\n",
        1,
    );
    assert_ne!(edited, wired);
    let rewired = with_java_opts(&edited);
    assert!(rewired.contains(";heldReference=app"), "{rewired}");
    assert!(
        rewired.contains("- name: JAVA_OPTS\n          value: $(PINPOINT_AGENT_OPTS)\n"),
        "{rewired}"
    );
    // The same config again leaves it as it is.
    assert_eq!(with_java_opts(&rewired), rewired);
    // Opting out would leave JAVA_OPTS naming a variable that is gone.
    let run = written_back(&annotated(&rewired, OPT_OUT));
    assert!(
        run.stderr
            .contains("env[JAVA_OPTS] of container \"app\" refers to $(PINPOINT_AGENT_OPTS)"),
        "{}",
        run.stderr
    );
    // A reference the user wrote before any wiring is theirs to keep as it was.
    let before = pod.replacen(
        "          value: -Xmx1g\n",
        "          value: -Xmx1g\n        - name: JAVA_OPTS\n          value: $(PINPOINT_AGENT_OPTS)\n",
        1,
    );
    let out = with_java_opts(&before);
    assert!(out.contains(";userReference=app"), "{out}");
    let undone = super::markers::wired(&annotated(&out, OPT_OUT));
    assert_eq!(undone, annotated(&before, OPT_OUT));
}

/// A mount's `subPathExpr` is expanded from the container's env too (the kubelet refuses
/// to start a container whose `subPathExpr` names a missing variable).
#[test]
fn a_sub_path_expression_that_refers_to_our_variable_keeps_the_wiring() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        volumeMounts:\n        - name: data\n          mountPath: /data\n          subPathExpr: logs/$(PINPOINT_POD_NAME)\n      volumes:\n      - name: data\n        emptyDir: {{}}\n"
    );
    // Before any wiring the reference does not resolve: the wiring goes ahead.
    let wired = wired(&pod);
    assert!(wired.contains("name: PINPOINT_POD_NAME"), "{wired}");
    let run = written_back(&annotated(&wired, OPT_OUT));
    assert!(
        run.stderr.contains(
            "volumeMounts[data].subPathExpr of container \"app\" refers to $(PINPOINT_POD_NAME)"
        ),
        "{}",
        run.stderr
    );
}
