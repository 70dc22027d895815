//! Inputs too large to keep as files, made from a case's `generate: {kind, n}`.

use std::fmt::Write as _;

const HEAD: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  selector:\n    matchLabels: {app: big}\n  template:\n    metadata:\n      labels: {app: big}\n    spec:\n      containers:\n";

/// A flow mapping of `n` keys without values, on one line: `{k0: , k1: , …}`.
fn empty_keys(n: usize) -> String {
    let mut keys = String::from("{");
    for i in 0..n {
        let _ = write!(keys, "{}k{i}: ", if i == 0 { "" } else { ", " });
    }
    keys + "}"
}

/// The stream for `kind` at size `n`.
pub fn generate(kind: &str, n: usize) -> String {
    let mut s = String::new();
    match kind {
        // One Deployment whose container has `n` env entries.
        "env" => {
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n        env:\n");
            for i in 0..n {
                let _ = write!(s, "        - name: VAR_{i}\n          value: value-{i}\n");
            }
        }
        // The same, each entry one flow mapping on its line (`- {name: …, value: …}`).
        "env-flow" => {
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n        env:\n");
            for i in 0..n {
                let _ = writeln!(s, "        - {{name: VAR_{i}, value: value-{i}}}");
            }
        }
        // One Deployment with `n` Java containers, every one instrumented.
        "containers" => {
            s.push_str(HEAD);
            for i in 0..n {
                let _ = write!(
                    s,
                    "      - name: c{i}\n        image: eclipse-temurin:21-jre\n"
                );
            }
        }
        // One Deployment with `n` Java containers, every one named `app`.
        "containers-same-name" => {
            s.push_str(HEAD);
            for _ in 0..n {
                s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
            }
        }
        // One Deployment whose args are one flow list of `n` items on one line.
        "flow-args" => {
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n        args: [");
            for i in 0..n {
                let _ = write!(s, "{}arg-{i}", if i == 0 { "" } else { ", " });
            }
            s.push_str("]\n");
        }
        // A ConfigMap whose data is one flow mapping of `n` entries on one line.
        "flow-data" => {
            s.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flat}\ndata: {");
            for i in 0..n {
                let _ = write!(s, "{}k{i}: v{i}", if i == 0 { "" } else { ", " });
            }
            s.push_str("}\n---\n");
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // One Deployment whose env is one flow list of `n` entries on one line.
        // A kind the tool does not know, with a 700 KiB key (explicit: `? key`) above a list
        // of `n` items, the last a pod template: its path is spelled once, not per item.
        "long-key-list" => {
            s.push_str("apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\nspec:\n  ? ");
            s.push_str(&"k".repeat(700 << 10));
            s.push_str("\n  :\n");
            for _ in 0..n {
                s.push_str("  - {a: 1}\n");
            }
            s.push_str("  - podTemplate: {spec: {containers: [{name: app, image: eclipse-temurin:21-jre}]}}\n");
        }
        "flow-env" => {
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n        env: [");
            for i in 0..n {
                let _ = write!(
                    s,
                    "{}{{name: V{i}, value: x{i}}}",
                    if i == 0 { "" } else { ", " }
                );
            }
            s.push_str("]\n");
        }
        // One Deployment whose args are a block list of `n` items.
        "block-args" => {
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n        args:\n");
            for i in 0..n {
                let _ = writeln!(s, "        - a{}", i % 10);
            }
        }
        // A Deployment whose pod template's annotations (where the marker goes) are one
        // flow mapping of `n` keys without values, on one line.
        "flow-empty-template" => {
            s.push_str(&HEAD.replace(
                "      labels: {app: big}\n",
                &format!(
                    "      labels: {{app: big}}\n      annotations: {}\n",
                    empty_keys(n)
                ),
            ));
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // A Deployment whose annotations are one flow mapping of `n` keys without values,
        // on one line (the fast path reads it, and keeps it as one node).
        "flow-empty-values" => {
            s.push_str(&HEAD.replace(
                "  name: big\n",
                &format!("  name: big\n  annotations: {}\n", empty_keys(n)),
            ));
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // A Deployment whose pod template carries `n` annotations.
        "annotations" => {
            s.push_str("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\nspec:\n  selector:\n    matchLabels: {app: big}\n  template:\n    metadata:\n      labels: {app: big}\n      annotations:\n");
            for i in 0..n {
                let _ = writeln!(s, "        note-{i}: value {i}");
            }
            s.push_str("    spec:\n      containers:\n      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // `n` Deployments, each with a Service, as Helm renders a chart.
        "deployments" => {
            for i in 0..n {
                let _ = write!(
                    s,
                    "---\n# Source: shop/templates/svc-{i}.yaml\n{}      - name: app\n        image: registry.example.com/shop/svc-{i}:1.0\n        env:\n        - name: JAVA_OPTS\n          value: -Xmx512m\n        ports:\n        - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n",
                    HEAD.replace("name: big", &format!("name: svc-{i}"))
                        .replace("app: big", &format!("app: svc-{i}"))
                );
            }
        }
        // The same chart with a `...` line ending each document (as some renderers write).
        "deployments-dots" => {
            s = generate("deployments", n).replace("\n---\n", "\n...\n---\n");
            s.push_str("...\n");
        }
        // Resources nested `n` levels deep (flow, block, and a custom resource whose
        // `kind :` only a parser reads), a Deployment 300 flow levels deep, then an
        // ordinary Deployment.
        "deep" => {
            let (open, close) = ("[".repeat(n), "]".repeat(n));
            let _ = write!(
                s,
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: flow}}\ndata:\n  x: {open}{close}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: block}}\njunk:\n  {}x\n---\napiVersion: example.com/v1\nkind : Widget\nmetadata: {{name: w}}\nspec:\n  tree: {}1{}\n---\n{}      - name: app\n        image: tomcat:9\n        args: {}{}\n---\n{}      - name: app\n        image: tomcat:9\n",
                "- ".repeat(n),
                "{a: ".repeat(n),
                "}".repeat(n),
                HEAD.replace("name: big", "name: deep"),
                "[".repeat(300),
                "]".repeat(300),
                HEAD,
            );
        }
        // The same List, its kind written `kind : List` (which only a parser reads).
        "list-spaced-kind" => s = generate("list", n).replacen("kind: List", "kind : List", 1),
        // One v1 List of `n` Deployments.
        "list" => {
            s.push_str("apiVersion: v1\nkind: List\nitems:\n");
            for i in 0..n {
                let doc =
                    format!("{HEAD}      - name: app\n        image: eclipse-temurin:21-jre\n")
                        .replace("name: big", &format!("name: d{i}"));
                for (k, line) in doc.lines().enumerate() {
                    let _ = writeln!(s, "{}{line}", if k == 0 { "- " } else { "  " });
                }
            }
        }
        // The same List, each item's `-` alone on its line, or with a comment, a tag or
        // an anchor after it, and the first item's name written twice.
        "list-items-opened-alone" => {
            let openers = ["-\n  ", "- # an item\n  ", "- !!map\n  ", "- &item\n  "];
            let first = "    name: first\n    name: d0\n";
            let list = generate("list", n).replacen("    name: d0\n", first, 1);
            let mut items = list.split("\n- ");
            s.push_str(items.next().expect("the head"));
            for (i, item) in items.enumerate() {
                s.push('\n');
                s.push_str(&openers[i % openers.len()].replace("&item", &format!("&item{i}")));
                s.push_str(item);
            }
        }
        // One workload of about `n` bytes: one long string in an annotation.
        "big-workload" => {
            s.push_str(&HEAD.replace(
                "  name: big\n",
                &format!("  name: big\n  annotations:\n    blob: {}\n", "x".repeat(n)),
            ));
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // `n` ConfigMaps and a Deployment whose labels are an anchor its selector refers
        // to: as one ResourceList, it has to be read whole.
        // `n` ConfigMaps, then a Deployment whose pod labels are an alias: of the first
        // ConfigMap's labels (`anchored`: in a ResourceList, an alias of another item's
        // anchor, which makes it read whole), or of its own selector's
        // (`anchored-in-item`).
        "anchored" | "anchored-in-item" => {
            let across = kind == "anchored";
            for i in 0..n {
                let labels = if across && i == 0 {
                    "\n  labels: &labels {app: big}"
                } else {
                    ""
                };
                let _ = write!(
                    s,
                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{i}{labels}\ndata:\n  key: value-{i}\n"
                );
            }
            s.push_str("---\n");
            let selector = if across {
                "matchLabels: {app: big}"
            } else {
                "matchLabels: &labels {app: big}"
            };
            s.push_str(
                &HEAD
                    .replace("matchLabels: {app: big}", selector)
                    .replace("  labels: {app: big}", "  labels: *labels"),
            );
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // A ConfigMap whose `data` writes one key `n` times, and a Deployment after it.
        "duplicate-keys" => {
            s.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: twice\ndata:\n");
            for i in 0..n {
                let _ = writeln!(s, "  k: v{i}");
            }
            s.push_str("---\n");
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // A ConfigMap (or a custom resource) of `n` keys that mentions `containers` once,
        // then a Deployment; with `-mixed-endings`, its lines end in `\r\n` but for one.
        "configmap-mentions-containers"
        | "configmap-mentions-containers-mixed-endings"
        | "custom-resource-mentions-containers" => {
            s.push_str(if kind.starts_with("custom") {
                "apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: big\ndata:\n"
            } else {
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboards\ndata:\n"
            });
            s.push_str("  note: the containers panel\n");
            for i in 0..n {
                let _ = writeln!(s, "  k{i}: v");
            }
            if kind.ends_with("-mixed-endings") {
                s = s
                    .replace('\n', "\r\n")
                    .replacen("  k1: v\r\n", "  k1: v\n", 1);
            }
            s.push_str("---\n");
            s.push_str(HEAD);
            s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n");
        }
        // `n` small Deployments, each with a billion-laughs chain of aliases in it.
        "laughs" => {
            for i in 0..n {
                s.push_str("---\n");
                s.push_str(&HEAD.replace("name: big", &format!("name: d{i}")));
                s.push_str("      - name: app\n        image: eclipse-temurin:21-jre\n        x-lol:\n          l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
                for level in 1..7 {
                    let up = level - 1;
                    let _ = writeln!(
                        s,
                        "          l{level}: &l{level} [{}]",
                        vec![format!("*l{up}"); 10].join(", ")
                    );
                }
            }
        }
        // One v1 List of `n` Deployments written as JSON (`kubectl get -o json`).
        "json-list" => s = json_list((0..n).map(|i| json_deployment(&format!("d{i}"), 0))),
        // A JSON v1 List of three Deployments, the first with an `n`-byte annotation.
        "json-list-big-item" => {
            s = json_list(
                [n, 0, 0]
                    .iter()
                    .enumerate()
                    .map(|(i, &blob)| json_deployment(&format!("d{i}"), blob)),
            )
        }
        other => panic!("no generator {other:?}"),
    }
    s
}

/// A Deployment of one Java container as JSON, with a `blob` annotation of `blob` bytes
/// when that is not 0.
fn json_deployment(name: &str, blob: usize) -> serde_json::Value {
    let mut d = serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "eclipse-temurin:21-jre"}]}
            }
        }
    });
    if blob > 0 {
        d["metadata"]["annotations"] = serde_json::json!({"blob": "x".repeat(blob)});
    }
    d
}

/// A v1 List of `items`, as `kubectl get -o json` writes it (four spaces a level).
fn json_list(items: impl Iterator<Item = serde_json::Value>) -> String {
    use serde::Serialize;
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items.collect::<Vec<_>>(), "metadata": {"resourceVersion": ""}});
    let mut out = Vec::new();
    let indent = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    list.serialize(&mut serde_json::Serializer::with_formatter(
        &mut out, indent,
    ))
    .unwrap();
    out.push(b'\n');
    String::from_utf8(out).unwrap()
}
