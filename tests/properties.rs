//! Properties over generated input (proptest): the stream keeps every document, in
//! order, and every untouched one byte for byte; the transform is idempotent byte for
//! byte; reconfiguring replaces the wiring; application names are always valid for
//! Pinpoint; every `$(PINPOINT_…)` reference resolves; the user's options value is kept.
//!
//! The shared invariants (count, order, bytes, un-inject, idempotence) are in
//! `common/invariants.rs`, which the fuzz target checks too. Case counts are small so
//! the suite stays fast; `PROPTEST_CASES=5000 cargo test --test properties` digs deeper.

mod common;
mod properties {
    pub mod checks;
    pub mod forged;
    pub mod generate;
}

use common::invariants::{check_stream, split, transform_stream};
use pinpoint_inject::config::template::{MIN_MAX_LENGTH, NameContext, Template};
use pinpoint_inject::config::{self, Settings};
use pinpoint_inject::decide::naming;
use pinpoint_inject::knowledge::pinpoint::is_pinpoint_char;
use pinpoint_inject::yaml::{self, ListStyle};
use properties::checks::*;
use properties::forged::{forged_marker, user_items_kept};
use properties::generate::*;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::{Map, Value, json};

// ---- the properties -----------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Every document comes out, in order; those that are not workloads byte for byte;
    /// the changed ones are the same resources with only the wiring added; a second
    /// run changes nothing.
    #[test]
    fn stream_keeps_every_document_and_untouched_bytes((text, docs) in stream(), settings in settings()) {
        let run = check_stream(text.as_bytes(), &settings);
        let (ins, outs) = (split(text.as_bytes()), split(&run.output));
        prop_assert_eq!(ins.len(), outs.len());
        // The generated documents map onto the split ones, except empty ones, which join
        // the separator before them; find each non-workload by its text.
        for doc in docs.iter().filter(|d| !d.workload && !d.text.is_empty()) {
            let at = ins.iter().position(|d| String::from_utf8_lossy(d).ends_with(&doc.text)).expect("generated document found");
            prop_assert_eq!(&ins[at], &outs[at], "a document that is not a workload changed");
        }
    }

    /// `f(f(x)) == f(x)` for every workload and config, and the invariants hold.
    #[test]
    fn transform_is_idempotent(resource in resource(), style in style(), settings in settings()) {
        check_stream(render(&resource, style).as_bytes(), &settings);
    }

    /// Running with config B over the output of config A is running B on the input:
    /// the wiring is replaced, never doubled, and taken out when B leaves the workload
    /// alone (unless B finds an error: then the workload is left exactly as it was).
    #[test]
    fn reconfiguring_replaces_the_wiring(resource in resource(), a in settings(), b in settings()) {
        let input = render(&resource, Style::Compact);
        let via_a = transform_stream(&transform_stream(input.as_bytes(), &a).output, &b);
        let direct = transform_stream(input.as_bytes(), &b);
        if direct.errors > 0 {
            return Ok(());
        }
        if via_a.output != direct.output {
            // The known difference: an options variable with an empty value that was last
            // in its env cannot be told from one the wiring appended, so taking the wiring
            // out drops it (empty and absent mean the same to Kubernetes).
            let parse = |bytes: &[u8]| normalize_options(yaml::from_str(std::str::from_utf8(bytes).unwrap()).unwrap());
            prop_assert_eq!(parse(&via_a.output), parse(&direct.output), "{}", String::from_utf8_lossy(&via_a.output));
        }
    }

    /// What the injection writes into each container: names valid for Pinpoint,
    /// `$(PINPOINT_…)` references that resolve, and the user's options value kept.
    #[test]
    fn injected_containers_are_wired_correctly(resource in resource(), settings in settings()) {
        let input = render(&resource, Style::Compact);
        let run = transform_stream(input.as_bytes(), &settings);
        let output: Value = yaml::from_str(std::str::from_utf8(&run.output).unwrap()).unwrap();
        let mut before = resource.clone();
        let mut after = output.clone();
        for (old, new) in templates(&mut before).into_iter().zip(templates(&mut after)) {
            check_template(old, new, &settings)?;
        }
    }

    /// A marker copied from another workload, left behind or edited never makes a run
    /// remove what the tool did not add: over the workload as written, or wired by
    /// config A, with a forged marker, a run with config B (any delivery, selected or
    /// not) keeps every volume, init container, container, mount and variable the
    /// workload had; and it holds the stream invariants (idempotent, nothing else lost).
    #[test]
    fn forged_markers_never_remove_what_the_tool_did_not_add(resource in resource(), a in settings(), b in settings(), marker in forged_marker(), wired in any::<bool>()) {
        let input = render(&resource, Style::Compact);
        let base = if wired { transform_stream(input.as_bytes(), &a).output } else { input.into_bytes() };
        common::forged::check_forged(&base, &marker, &b);
        let forged = common::forged::forge(&base, &marker).expect("a workload takes the marker");
        let run = transform_stream(&forged, &b);
        let mut output: Value = yaml::from_str(std::str::from_utf8(&run.output).unwrap()).unwrap();
        let mut before = resource.clone();
        for (old, new) in templates(&mut before).into_iter().zip(templates(&mut output)) {
            user_items_kept(old, new)?;
        }
    }

    /// Every name `sanitize` makes is valid for Pinpoint, fits `maxLength`, and is stable.
    #[test]
    fn sanitized_names_are_valid_bounded_and_stable(raw in "\\PC{0,80}", max_len in MIN_MAX_LENGTH..=254) {
        let safe = naming::sanitize(&raw, max_len);
        prop_assert!(safe.value.chars().all(is_pinpoint_char), "{:?}", safe.value);
        prop_assert!(safe.value.len() <= max_len);
        prop_assert_eq!(safe.value.is_empty(), raw.is_empty());
        prop_assert_eq!(&safe, &naming::sanitize(&raw, max_len));
        if !safe.shortened {
            prop_assert_eq!(safe.value.chars().count(), raw.chars().count());
        }
    }

    /// A template renders and sanitizes to a valid name whatever the labels hold.
    #[test]
    fn templates_render_valid_names(label in "\\PC{0,40}", annotation in "\\PC{0,40}", max_len in MIN_MAX_LENGTH..=64) {
        let labels: Map<String, Value> = [("app".to_string(), Value::String(label))].into_iter().collect();
        let annotations: Map<String, Value> = [("team".to_string(), Value::String(annotation))].into_iter().collect();
        for text in ["{label:app|name}", "{annotation:team}-{container}", "x{label:app}y{annotation:team}z"] {
            let template = Template::parse(text).unwrap();
            let raw = template.render(&NameContext {
                name: "web", namespace: "shop", kind: "Deployment", container: "app",
                labels: vec![&labels], annotations: vec![&annotations],
            });
            let safe = naming::sanitize(&raw, max_len);
            prop_assert!(safe.value.chars().all(is_pinpoint_char) && safe.value.len() <= max_len);
        }
    }
}

/// A regression found by this file: an empty options variable in the middle of the env
/// moved to the end on a second run (the output was not idempotent).
#[test]
fn empty_options_variable_stays_in_place() {
    let input = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x\n    env:\n    - {name: A, value: a}\n    - {name: JAVA_TOOL_OPTIONS, value: \"\"}\n    - {name: B, value: b}\n";
    check_stream(input.as_bytes(), &default_settings());
}

/// A regression: the user's own `PINPOINT_ORIGINAL_X` and other references to
/// `$(PINPOINT_AGENT_OPTS)` were taken out or edited on a second run.
#[test]
fn user_variables_that_look_like_ours_survive_a_second_run() {
    let input = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x\n    env:\n    - {name: PINPOINT_ORIGINAL_X, value: keep}\n    - {name: OTHER, value: \"x $(PINPOINT_AGENT_OPTS)\"}\n";
    let run = check_stream(input.as_bytes(), &default_settings());
    let out = String::from_utf8(run.output).unwrap();
    assert!(
        // Kept as the user wrote them (flow entries, quotes and all).
        out.contains("{name: PINPOINT_ORIGINAL_X, value: keep}")
            && out.contains("{name: OTHER, value: \"x $(PINPOINT_AGENT_OPTS)\"}"),
        "{out}"
    );
}

/// A regression: a workload written as JSON or in flow style (Argo CD plugins and
/// `kubectl get -o json` emit JSON) passed through without the agent and without a word.
#[test]
fn json_and_flow_style_workloads_are_injected() {
    for input in [
        "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"containers\": [{\"name\": \"a\", \"image\": \"x\"}]}}\n",
        "--- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: x}]}}\n",
        "  apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec: {containers: [{name: a, image: x}]}\n",
    ] {
        let run = check_stream(input.as_bytes(), &default_settings());
        assert_eq!(run.changed, 1, "{input}");
    }
}

/// Replay every seed of fuzz target `target` and everything it ever found
/// (`fuzz/seeds/<target>`, `fuzz/regressions/<target>`, each named after what it guards)
/// through `check`, which panics on a broken invariant; at least `min` inputs.
fn replay(target: &str, min: usize, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let mut replayed = 0;
    for dir in [
        format!("fuzz/seeds/{target}"),
        format!("fuzz/regressions/{target}"),
    ] {
        let Ok(entries) = std::fs::read_dir(common::repo().join(dir)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{} breaks an invariant", path.display());
            replayed += 1;
        }
    }
    assert!(
        replayed >= min,
        "only {replayed} inputs of {target} replayed"
    );
}

/// The stream target's inputs still hold the invariants. The first byte picks the
/// config, as in `fuzz/fuzz_targets/stream.rs`.
#[test]
fn fuzz_seeds_and_regressions_hold_the_invariants() {
    let settings = common::invariants::fuzz_settings();
    replay("stream", 20, |data| {
        if let Some((pick, stream)) = data.split_first() {
            check_stream(stream, &settings[usize::from(*pick) % settings.len()]);
        }
    });
}

/// The `markers` target's inputs: the marker put on every pod template removes nothing
/// the tool did not add.
#[test]
fn marker_fuzz_seeds_and_regressions_remove_nothing_foreign() {
    let settings = common::forged::marker_settings();
    replay("markers", 5, |data| {
        common::forged::check_marker_input(data, &settings)
    });
}

/// The KRM target's inputs still hold the KRM invariants; the first byte picks the
/// fallback config, as in `fuzz/fuzz_targets/krm.rs`.
#[test]
fn krm_fuzz_seeds_and_regressions_hold_the_invariants() {
    let configs = common::invariants::fuzz_configs();
    replay("krm", 15, |data| {
        if let Some((pick, list)) = data.split_first() {
            common::krm_invariants::check_krm(list, &configs[usize::from(*pick) % configs.len()]);
        }
    });
}
