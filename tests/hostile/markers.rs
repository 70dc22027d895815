//! Forged, stale and hand-edited markers: the `pinpoint-inject.dev/injected` annotation
//! only says where to look. What it names is taken out only when its content is what a
//! run adds; anything else stays, with an error that names it, selected or not.

use super::super::*;

/// A Deployment whose template carries `marker` and the user's own PVC volume, init
/// container and mounts (and an `inject` annotation when `opt_out`).
fn with_marker(marker: &str, opt_out: bool) -> String {
    let inject = if opt_out {
        "\n    pinpoint-inject.dev/inject: \"false\""
    } else {
        ""
    };
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\n  annotations:\n    note: kept{inject}\nspec:\n  template:\n    metadata:\n      annotations:\n        pinpoint-inject.dev/injected: {marker}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/orders:1\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n        volumeMounts:\n        - name: data\n          mountPath: /data\n      initContainers:\n      - name: migrate\n        image: registry.example.com/migrate:1\n        command: [sh, -c, ./migrate.sh]\n        volumeMounts:\n        - name: data\n          mountPath: /data\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: orders-data\n"
    )
}

/// A Deployment up to its pod template's `spec:`.
pub(super) const DEPLOYMENT: &str =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    ";
/// The workload's own opt-out, after its name.
pub(super) const OPT_OUT: &str = "  annotations:\n    pinpoint-inject.dev/inject: \"false\"\n";

/// `text` (the Deployment `d`) with `annotations` after its name.
pub(super) fn annotated(text: &str, annotations: &str) -> String {
    text.replacen("  name: d\n", &format!("  name: d\n{annotations}"), 1)
}

/// `text` run through the tool, which must succeed: its output.
pub(super) fn wired(text: &str) -> String {
    let run = stream(text.as_bytes(), Limits::default());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    String::from_utf8(run.stdout).unwrap()
}

/// `out` (the wiring of `pod`) run again gives `again`, and opted out gives back `pod`.
pub(super) fn rerun_and_opt_out(out: &str, again: &str, pod: &str) {
    assert_eq!(wired(out), again);
    assert_eq!(wired(&annotated(out, OPT_OUT)), annotated(pod, OPT_OUT));
}

/// Exit 1 and the document written back exactly: the run.
pub(super) fn written_back(input: &str) -> Run {
    let run = stream(input.as_bytes(), Limits::default());
    sane(&run, input);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(run.stdout, input.as_bytes(), "the workload was changed");
    run
}

/// Exit 1, the document written back exactly, and an error naming each thing.
fn refused(input: &str, names: &[&str]) {
    let run = written_back(input);
    let error = run
        .stderr
        .lines()
        .find(|l| l.contains("error:") && l.contains("pinpoint-inject.dev/injected"))
        .unwrap_or_else(|| panic!("no error about the marker: {}", run.stderr));
    for name in names {
        assert!(error.contains(name), "{name:?} not named: {error}");
    }
    assert!(error.contains("nothing was removed"), "{error}");
}

#[test]
fn a_marker_naming_the_users_volume_and_init_container_removes_nothing() {
    let forged = "containers=app;volume=data;initContainer=migrate";
    for opt_out in [false, true] {
        refused(
            &with_marker(forged, opt_out),
            &[
                "volume \"data\"",
                "init container \"migrate\"",
                "container \"app\"",
            ],
        );
    }
}

#[test]
fn a_marker_copied_from_another_workload_removes_nothing() {
    // The marker of a wired workload, on one that never was.
    let copied = "containers=app;volume=pinpoint-agent;initContainer=pinpoint-agent-init";
    for opt_out in [false, true] {
        refused(
            &with_marker(copied, opt_out),
            &[
                "volume \"pinpoint-agent\"",
                "init container \"pinpoint-agent-init\"",
            ],
        );
    }
    let image = "containers=app;volume=data;delivery=imageVolume;logVolume=data";
    refused(&with_marker(image, false), &["volume \"data\""]);
}

/// The tool's own wiring with one part changed by hand: nothing is taken out.
#[test]
fn wiring_edited_by_hand_is_left_with_an_error() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    );
    let wired = wired(&pod);
    for (from, to, named) in [
        // The copy step now does something else.
        (
            "- /pinpoint-agent\n",
            "- /pinpoint-agent\n        - extra\n",
            "init container",
        ),
        // The user's own mount of the agent volume in another container.
        (
            "      containers:\n",
            "      containers:\n      - name: side\n        image: registry.example.com/side:1\n        volumeMounts:\n        - name: pinpoint-agent\n          mountPath: /agent\n",
            "container \"side\" mounts too",
        ),
        // Something after our reference in the options variable.
        (
            "value: $(PINPOINT_AGENT_OPTS)\n",
            "value: $(PINPOINT_AGENT_OPTS) -Dmine=1\n",
            "container \"app\"",
        ),
    ] {
        assert!(wired.contains(from), "{from:?} not in:\n{wired}");
        let edited = wired.replacen(from, to, 1);
        for opt_out in ["", OPT_OUT] {
            let input = annotated(&edited, opt_out);
            refused(&input, &[named]);
        }
    }
}

/// Reconfiguring (or opting out) gives back exactly what the user's options entry had:
/// no value, `value: ""`, `value:` (null), or a value of its own.
#[test]
fn opting_out_gives_back_the_options_entry_exactly() {
    for entry in [
        "        - name: JAVA_TOOL_OPTIONS\n",
        "        - name: JAVA_TOOL_OPTIONS\n          value: \"\"\n",
        "        - name: JAVA_TOOL_OPTIONS\n          value:\n",
        "        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n",
        "        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g $(PINPOINT_AGENT_OPTS) -Dlast=1\n",
    ] {
        let pod = format!(
            "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n{entry}        - name: AFTER\n          value: \"1\"\n"
        );
        let out = wired(&pod);
        assert_eq!(
            out.matches("$(PINPOINT_AGENT_OPTS)").count(),
            1,
            "one reference:\n{out}"
        );
        let opted_out = annotated(&out, OPT_OUT);
        let expected = annotated(&pod, OPT_OUT);
        assert_eq!(wired(&opted_out), expected, "{entry}");
    }
}

/// A marker that names one container twice (each would be undone once, the second time
/// at positions the first had moved) is not read: the wired workload comes back exactly,
/// with an error, and keeps the user's variable that moved into our entries' places.
#[test]
fn a_marker_naming_a_container_twice_removes_nothing() {
    let plain = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/orders:1\n        env:\n        - name: A\n          value: a\n"
    );
    let wired = wired(&plain);
    assert!(wired.contains("containers=app;"), "{wired}");
    let forged = wired
        .replacen("containers=app;", "containers=app,app;", 1)
        .replacen(
            "        env:\n",
            "        env:\n        - name: USER_FIRST\n          value: kept\n",
            1,
        );
    let run = written_back(&forged);
    assert!(
        run.stderr.contains("pinpoint-inject.dev/injected"),
        "{}",
        run.stderr
    );
}

/// The options variable is the one the marker names, found by its name: a variable the
/// user adds between ours and it, referring to ours too, is never taken for it (it was,
/// when the entry right after ours was taken: the user's entry was removed, and the
/// options variable kept a reference to a variable that was gone).
#[test]
fn a_variable_added_between_ours_and_the_options_variable_is_kept() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n"
    );
    let wired = wired(&pod);
    assert!(wired.contains("options=app:JAVA_TOOL_OPTIONS"), "{wired}");
    let user = "        - name: JAVA_OPTS\n          value: $(PINPOINT_AGENT_OPTS)\n";
    let edited = wired.replacen(
        "        - name: JAVA_TOOL_OPTIONS\n",
        &format!("{user}        - name: JAVA_TOOL_OPTIONS\n"),
        1,
    );
    assert_ne!(edited, wired);
    // Opted out: taking our wiring out would leave the user's reference unexpanded, so
    // nothing is taken out, and the error names the user's variable.
    let opted_out = annotated(&edited, OPT_OUT);
    let run = written_back(&opted_out);
    assert!(
        run.stderr
            .contains("env[JAVA_OPTS] of container \"app\" refers to $(PINPOINT_AGENT_OPTS)")
            && run.stderr.contains("nothing was changed"),
        "{}",
        run.stderr
    );
    // Once the user's reference is gone, the opt-out gives back the original.
    assert_eq!(
        self::wired(&annotated(&wired, OPT_OUT)),
        annotated(&pod, OPT_OUT)
    );
    // Run again: rewired, the user's variable stays (before ours is defined: ours move
    // in front of the first entry that refers to them).
    let again = self::wired(&edited);
    assert!(again.contains(user), "{again}");
    assert!(
        again.find("name: PINPOINT_AGENT_OPTS") < again.find("name: JAVA_OPTS"),
        "{again}"
    );
}

/// A marker written by an earlier version names no options variable: when more than one
/// entry after ours refers to them, which one is ours cannot be told, and nothing goes.
#[test]
fn an_old_marker_with_two_references_after_ours_removes_nothing() {
    let input = format!(
        "{DEPLOYMENT}metadata:\n      annotations:\n        pinpoint-inject.dev/injected: containers=app;volume=pinpoint-agent;initContainer=pinpoint-agent-init\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: PINPOINT_AGENT_OPTS\n          value: -javaagent:/pinpoint-agent/pinpoint-bootstrap.jar\n        - name: JAVA_OPTS\n          value: $(PINPOINT_AGENT_OPTS)\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n        volumeMounts:\n        - name: pinpoint-agent\n          mountPath: /pinpoint-agent\n      initContainers:\n      - name: pinpoint-agent-init\n        image: pinpointdocker/pinpoint-agent:2.5.4\n        command: [cp, -R, /pinpoint-agent/., /pinpoint-agent-volume/]\n        volumeMounts:\n        - name: pinpoint-agent\n          mountPath: /pinpoint-agent-volume\n      volumes:\n      - name: pinpoint-agent\n        emptyDir: {{}}\n"
    );
    refused(
        &input,
        &["more than one variable after PINPOINT_AGENT_OPTS"],
    );
}

/// The downward-API variables are ours only right before `PINPOINT_AGENT_OPTS`, where
/// the wiring puts them: the same variable the user added elsewhere stays.
#[test]
fn a_downward_api_variable_elsewhere_is_the_users() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    );
    let wired = wired(&pod);
    let user = "        - name: PINPOINT_POD_IP\n          valueFrom:\n            fieldRef:\n              fieldPath: status.podIP\n";
    let edited = wired.replacen(
        "        - name: JAVA_TOOL_OPTIONS\n          value: $(PINPOINT_AGENT_OPTS)\n",
        &format!(
            "        - name: JAVA_TOOL_OPTIONS\n          value: $(PINPOINT_AGENT_OPTS)\n{user}"
        ),
        1,
    );
    assert_ne!(edited, wired);
    let opted_out = annotated(&edited, OPT_OUT);
    let out = self::wired(&opted_out);
    assert!(out.contains(user), "{out}");
    assert!(!out.contains("PINPOINT_AGENT_OPTS"), "{out}");
}

/// A reference of the user's to one of our variables that resolves while the workload is
/// wired keeps it wired: an opt-out (or a config that no longer adds the variable) that
/// would leave `$(…)` unexpanded is refused, and nothing changes.
#[test]
fn a_users_reference_to_our_variable_keeps_the_wiring() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: JAVA_TOOL_OPTIONS\n          value: -Xmx1g\n"
    );
    let wired = wired(&pod);
    assert!(wired.contains("name: PINPOINT_POD_NAME"), "{wired}");
    for (place, var, user) in [
        (
            "env[INSTANCE_ID]",
            "PINPOINT_POD_NAME",
            "        - name: INSTANCE_ID\n          value: orders-$(PINPOINT_POD_NAME)\n",
        ),
        (
            "env[OTHER_OPTS]",
            "PINPOINT_AGENT_OPTS",
            "        - name: OTHER_OPTS\n          value: -Dx=1 $(PINPOINT_AGENT_OPTS)\n",
        ),
    ] {
        let edited = wired.replacen(
            "          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n",
            &format!("          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n{user}"),
            1,
        );
        let run = written_back(&annotated(&edited, OPT_OUT));
        assert!(
            run.stderr
                .contains(&format!("{place} of container \"app\" refers to $({var})")),
            "{}",
            run.stderr
        );
    }
    // An escaped reference is the user's literal text: the opt-out goes ahead.
    let escaped = wired.replacen(
        "          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n",
        "          value: -Xmx1g $(PINPOINT_AGENT_OPTS)\n        - name: LITERAL\n          value: $$(PINPOINT_POD_NAME)\n",
        1,
    );
    let out = self::wired(&annotated(&escaped, OPT_OUT));
    assert!(!out.contains("PINPOINT_AGENT_OPTS\n"), "{out}");
    assert!(out.contains("value: $$(PINPOINT_POD_NAME)"), "{out}");
}

/// A downward-API variable of the user's that sits among ours, but that our flags do not
/// use, is not taken for ours: nothing is removed, and the error names it.
#[test]
fn a_downward_api_variable_our_flags_do_not_use_is_not_ours() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    );
    let wired = wired(&pod);
    assert!(!wired.contains("PINPOINT_POD_IP"), "{wired}");
    let edited = wired.replacen(
        "        - name: PINPOINT_AGENT_OPTS\n",
        "        - name: PINPOINT_POD_IP\n          valueFrom:\n            fieldRef:\n              fieldPath: status.podIP\n        - name: PINPOINT_AGENT_OPTS\n",
        1,
    );
    assert_ne!(edited, wired);
    refused(
        &annotated(&edited, OPT_OUT),
        &["PINPOINT_POD_IP the flags in PINPOINT_AGENT_OPTS do not use"],
    );
}

/// Changes to the tool's own wiring that keep its shape (so that recognising it by
/// shape alone took them out, undoing the user's edit): the marker's checksum no longer
/// matches, and nothing is taken out, selected or not.
#[test]
fn wiring_edited_within_its_shape_is_left_with_an_error() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    );
    let original = wired(&pod);
    for (from, to) in [
        // A flag added to our options.
        (
            "-Dprofiler.transport.grpc.collector.ip=pinpoint-collector.pinpoint.svc\n",
            "-Dprofiler.transport.grpc.collector.ip=pinpoint-collector.pinpoint.svc -Dprofiler.sampling.rate=20\n",
        ),
        // The copy step's memory limit raised.
        ("memory: 128Mi\n", "memory: 256Mi\n"),
        // A size limit on the agent's emptyDir.
        ("emptyDir: {}\n", "emptyDir: {sizeLimit: 1Gi}\n"),
        // The agent image changed.
        (
            "image: pinpointdocker/pinpoint-agent:",
            "image: registry.example.com/my-agent:",
        ),
    ] {
        assert!(original.contains(from), "{from:?} not in:\n{original}");
        let edited = original.replacen(from, to, 1);
        for opt_out in ["", OPT_OUT] {
            refused(&annotated(&edited, opt_out), &["does not match"]);
        }
    }
    // The marker without its checksum (written by hand, or by an earlier version).
    refused(&without_sum(&original), &["no checksum"]);
    // Unedited, the wiring is the tool's: a second run keeps it, opting out takes it out.
    rerun_and_opt_out(&original, &original, &pod);
}

/// A marker copied whole, checksum and all, from a wired workload onto one whose own
/// volume, init container and variables look like the wiring (an image volume of the
/// user's image, a copy step of the user's, `PINPOINT_AGENT_OPTS` with flags of the
/// user's): nothing of them is taken out.
#[test]
fn a_marker_copied_with_its_checksum_removes_nothing() {
    let pod = format!(
        "{DEPLOYMENT}spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n"
    );
    let marker_line = wired(&pod)
        .lines()
        .find(|l| l.contains("pinpoint-inject.dev/injected:"))
        .expect("a marker")
        .trim()
        .to_string();
    assert!(marker_line.contains(";sum="), "{marker_line}");
    let look_alike = format!(
        "{DEPLOYMENT}metadata:\n      annotations:\n        {marker_line}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1\n        env:\n        - name: PINPOINT_AGENT_OPTS\n          value: -javaagent:/pinpoint-agent/loader.jar -Dmodel=big\n        - name: JAVA_TOOL_OPTIONS\n          value: $(PINPOINT_AGENT_OPTS)\n        volumeMounts:\n        - name: pinpoint-agent\n          mountPath: /pinpoint-agent\n      initContainers:\n      - name: pinpoint-agent-init\n        image: registry.example.com/setup:1\n        command: [sh, -c, 'cp -R \"$0\"/. \"$1\"/', /opt/agent, /pinpoint-agent-volume]\n        volumeMounts:\n        - name: pinpoint-agent\n          mountPath: /pinpoint-agent-volume\n      volumes:\n      - name: pinpoint-agent\n        emptyDir: {{}}\n"
    );
    for opt_out in ["", OPT_OUT] {
        refused(&annotated(&look_alike, opt_out), &["does not match"]);
    }
}

/// `text` with the marker's `;sum=…` taken out.
fn without_sum(text: &str) -> String {
    let at = text.find(";sum=").expect("a checksum");
    format!("{}{}", &text[..at], &text[at + ";sum=".len() + 16..])
}
