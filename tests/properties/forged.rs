//! Forged and stale markers over generated workloads: the marker of one workload copied
//! onto another, left behind, or edited to name the user's own volumes, init containers
//! and containers.

use super::super::*;

/// Names a marker may claim: the generator's own (user volumes, init containers and
/// containers) and the wiring's (every config of `settings()`).
const VOLUMES: &[&str] = &[
    "data",
    "cfg",
    "pinpoint-agent",
    "apm",
    "migrate",
    "data-logs",
    "pinpoint-agent-logs",
];
const INITS: &[&str] = &["migrate", "pinpoint-agent-init", "apm-copy", "data"];
const CONTAINERS: &[&str] = &["app", "worker", "web", "jvm", "envoy", "istio-proxy", "x"];
const OWN_KEYS: &[&str] = &["ownOptions", "unsetOptions", "nullOptions", "userReference"];

/// A marker text: any mix of the names above, either delivery, any own-entry lists,
/// and now and then a part of no marker at all.
pub fn forged_marker() -> impl Strategy<Value = String> {
    let names = |from: &'static [&'static str]| prop::sample::subsequence(from, 0..=from.len());
    (
        names(CONTAINERS),
        prop::sample::select(VOLUMES),
        prop::sample::select(INITS),
        prop::sample::select(VOLUMES),
        any::<bool>(),
        prop::collection::vec(
            (
                prop::sample::select(OWN_KEYS),
                prop::sample::select(CONTAINERS),
            ),
            0..3,
        ),
        prop::sample::select(
            &[
                "",
                ";x=1",
                ";volume=data",
                ";containers=",
                ";sum=0123456789abcdef",
            ][..],
        ),
    )
        .prop_map(|(containers, volume, init, logs, image, own, junk)| {
            let mut text = format!("containers={};volume={volume}", containers.join(","));
            if image {
                text.push_str(&format!(";delivery=imageVolume;logVolume={logs}"));
            } else {
                text.push_str(&format!(";initContainer={init}"));
            }
            for (key, container) in own {
                text.push_str(&format!(";{key}={container}"));
            }
            text + junk
        })
}

/// Every volume, init container, container, mount and variable of the generated
/// template `before` is still in `after` (an options variable may carry the reference
/// to ours, or have its `valueFrom` moved to `PINPOINT_ORIGINAL_<name>`).
pub fn user_items_kept(before: &Value, after: &Value) -> Result<(), TestCaseError> {
    let list = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (b, a) = (&before["spec"], &after["spec"]);
    for key in ["volumes", "initContainers"] {
        for item in list(b, key) {
            prop_assert!(list(a, key).contains(&item), "{key} lost {item}\n{after}");
        }
    }
    for container in list(b, "containers") {
        let now = list(a, "containers")
            .into_iter()
            .find(|c| c["name"] == container["name"]);
        prop_assert!(now.is_some(), "container lost: {}", container["name"]);
        let now = now.unwrap();
        for mount in list(&container, "volumeMounts") {
            prop_assert!(
                list(&now, "volumeMounts").contains(&mount),
                "mount lost: {mount}"
            );
        }
        let env = list(&now, "env");
        for entry in list(&container, "env") {
            let same = env.iter().find(|e| e["name"] == entry["name"]);
            prop_assert!(same.is_some(), "variable lost: {entry}\n{now}");
            let same = same.unwrap();
            let moved = format!(
                "PINPOINT_ORIGINAL_{}",
                entry["name"].as_str().unwrap_or_default()
            );
            let kept_from = entry.get("valueFrom").is_none_or(Value::is_null)
                || same.get("valueFrom") == entry.get("valueFrom")
                || env.iter().any(|e| {
                    e["name"] == moved.as_str() && e.get("valueFrom") == entry.get("valueFrom")
                });
            prop_assert!(kept_from, "valueFrom lost: {entry}\n{now}");
            let old = entry
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let new = same
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let ours = "$(PINPOINT_AGENT_OPTS)";
            let kept_value = new == old
                || new == format!("{old} {ours}")
                || (old.is_empty() && (new == ours || new.ends_with(&format!(") {ours}"))));
            prop_assert!(
                kept_value,
                "value of {} changed: {old:?} -> {new:?}",
                entry["name"]
            );
        }
    }
    Ok(())
}
