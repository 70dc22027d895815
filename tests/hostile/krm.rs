//! KRM mode: a broken ResourceList still gives a ResourceList, with an error result.

use super::super::*;

const FUNCTION_CONFIG: &str = "functionConfig: {apiVersion: v1, kind: ConfigMap, metadata: {name: f}, data: {collectorHost: c, agentImage: \"a:1\"}}\n";

/// A KRM run that failed: exit 1, and stdout is still a ResourceList with an error result.
fn krm_fails(stdin: &[u8], expected: &str) -> Value {
    let run = run_bin(&[], stdin, Limits::default());
    sane(&run, expected);
    assert_eq!(run.code, Some(1), "{expected}: {}", run.stderr);
    let out = String::from_utf8(run.stdout).expect("UTF-8");
    let list: Value =
        yaml::from_str(&out).unwrap_or_else(|e| panic!("{expected}: not YAML ({e}):\n{out}"));
    assert_eq!(list["kind"], "ResourceList", "{expected}: {out}");
    assert!(list["items"].is_array(), "{out}");
    let results = list["results"].as_array().expect("results");
    let error = results
        .iter()
        .find(|r| r["severity"] == "error")
        .unwrap_or_else(|| panic!("{expected}: no error result:\n{out}"));
    assert!(
        error["message"].as_str().unwrap().contains(expected),
        "{expected}: {error}"
    );
    assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    list
}

#[test]
fn broken_resource_lists_still_give_a_resource_list_with_an_error() {
    let head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n";
    krm_fails(
        format!("{head}{FUNCTION_CONFIG}").as_bytes(),
        "ResourceList: it has no items list",
    );
    krm_fails(
        format!("{head}items: [\n").as_bytes(),
        "ResourceList: line 3, column 8: unclosed bracket",
    );
    krm_fails(
        format!("{head}items: {{}}\n{FUNCTION_CONFIG}").as_bytes(),
        "ResourceList: items is not a list",
    );
    krm_fails(
        format!("{head}items: []\nitems: []\n").as_bytes(),
        "ResourceList: line 4, column 1: duplicate key \"items\"",
    );
    let mut not_utf8 = format!("{head}items:\n- {{name: \"").into_bytes();
    not_utf8.extend_from_slice(b"\xff\"}\n");
    krm_fails(
        &not_utf8,
        "ResourceList: line 4, column 11: the input is not UTF-8",
    );
    krm_fails(
        format!("{head}items: [{{apiVersion: v1, kind: ConfigMap}}, 7]\n{FUNCTION_CONFIG}")
            .as_bytes(),
        "items[1]: line 3, column 44: the document is a scalar",
    );
    let list = krm_fails(
        format!("{head}items:\n- hello\n- {{apiVersion: v1}}\n{FUNCTION_CONFIG}").as_bytes(),
        "items[0]: line 4, column 3: the document is a scalar",
    );
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        2,
        "the items are still there"
    );
    krm_fails(
        format!("{head}items: []\n").as_bytes(),
        "no function config",
    );
    krm_fails(
        format!("{head}items: []\nfunctionConfig: {{apiVersion: v1, kind: ConfigMap, data: {{colectorHost: c}}}}\n").as_bytes(),
        "unknown key `colectorHost`",
    );
    // Items are written back as their own text: a scalar Kubernetes reads otherwise
    // (`on:` is the key "true" to it) no longer fails the run, and comes out as it came in.
    let input = format!(
        "{head}{FUNCTION_CONFIG}items:\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c}}, data: {{on: x}}}}\n"
    );
    let run = run_bin(&[], input.as_bytes(), Limits::default());
    sane(&run, "on: as a key");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(String::from_utf8(run.stdout).unwrap(), input);
    // An alias bomb in a workload is refused by that item's own budget (its anchors are
    // its own: the list is still read item by item); one in a resource that is plainly
    // no workload is copied unread, as every such item is.
    // (The answer holds the bomb as it came: it is checked as text, not read.)
    let bomb = billion_laughs("Pod").replace('\n', "\n  ");
    let input = format!("{head}{FUNCTION_CONFIG}items:\n- {bomb}\n");
    let run = run_bin(&[], input.as_bytes(), Limits::default());
    sane(&run, "a bomb in a Pod");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    // Placed at the alias that passes the item's own budget, on its line of the list.
    let expected = "error: items[0]: line 13, column 24: the document is too large or too deeply nested, counting what its aliases expand to";
    assert!(run.stderr.contains(expected), "{}", run.stderr);
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(
        out.starts_with(&input),
        "the list as it came, then the results:\n{out}"
    );
    assert!(out[input.len()..].contains("severity: error"), "{out}");
    let bomb = billion_laughs("ConfigMap").replace('\n', "\n  ");
    let input = format!("{head}{FUNCTION_CONFIG}items:\n- {bomb}\n");
    let run = run_bin(&[], input.as_bytes(), Limits::default());
    sane(&run, "a bomb in a ConfigMap");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with(input.as_bytes()), "copied unread");
    // An item too deep to build is an error for that item alone: the list comes back
    // with it, as it came, and the other items processed.
    let deep = format!(
        "{head}{FUNCTION_CONFIG}items:\n- {}{}\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c}}}}\n",
        "[".repeat(9_000),
        "]".repeat(9_000)
    );
    let run = run_bin(&[], deep.as_bytes(), Limits::default());
    sane(&run, "deep item");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: items[0]: line 5, column 258: the document is nested too deeply"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with(deep.as_bytes()),
        "the list as it came, then the results"
    );
}

// ---- smuggling ------------------------------------------------------------------------

/// Items whose `-` stands on a line of its own (alone, with a comment, or with the
/// item's tag or anchor after it) are read one at a time like any other: the list is not
/// read whole, so a key written twice in one item is read as Kubernetes reads it instead
/// of refusing the whole list, and every item comes back as it came, with its wiring.
#[test]
fn items_opened_on_a_line_of_their_own_are_read_one_at_a_time() {
    let head = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n";
    let deployment = |name: &str| {
        format!(
            "apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: {name}\n  spec:\n    template:\n      spec:\n        containers:\n        - name: app\n          image: eclipse-temurin:21-jre\n"
        )
    };
    let mut input = format!("{head}{FUNCTION_CONFIG}items:\n");
    for (i, opener) in [
        "-\n  ",
        "- # the second\n\n  # its own\n  ",
        "- !!map\n  ",
        "- &third\n  ",
    ]
    .iter()
    .enumerate()
    {
        input.push_str(opener);
        input.push_str(&deployment(&format!("d{i}")));
    }
    // The first Deployment's name, written twice (lines 9 and 10 of the list).
    let input = input.replacen("    name: d0\n", "    name: first\n    name: d0\n", 1);
    let run = run_bin(&[], input.as_bytes(), Limits::default());
    sane(&run, "items opened alone");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let warning = "items[0]: line 10: the key \"name\" is also written on line 9";
    assert!(run.stderr.contains(warning), "{}", run.stderr);
    assert!(
        !run.stderr.contains("written out in full"),
        "{}",
        run.stderr
    );
    let out = String::from_utf8(run.stdout).unwrap();
    let list: Value = yaml::from_str(&out).unwrap();
    let names: Vec<_> = (0..4)
        .map(|i| &list["items"][i]["spec"]["template"]["metadata"]["annotations"])
        .filter(|a| a["pinpoint-inject.dev/injected"].is_string())
        .collect();
    assert_eq!(names.len(), 4, "every item wired:\n{out}");
    // Every input line is still there, in order; the openers untouched.
    let mut rest = out.lines();
    for line in input.lines() {
        assert!(rest.any(|l| l == line), "{line:?} lost:\n{out}");
    }
    // A second run changes no item.
    let again = run_bin(&[], out.as_bytes(), Limits::default());
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    let cut = |s: &str| s[..s.find("\nresults:").unwrap_or(s.len())].to_string();
    assert_eq!(cut(&String::from_utf8(again.stdout).unwrap()), cut(&out));
}

/// A document or item written out in full (the change goes through an anchor) says so
/// with the line counted in the input, as every other message does, not in the
/// document or item (it said line 7 for line 10 of the stream).
#[test]
fn written_out_in_full_names_the_line_in_the_input() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: &t\n    spec:\n      containers:\n      - name: app\n        image: eclipse-temurin:21\n";
    let stream =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n---\n{deployment}");
    let run = run_bin(
        &["--config", &config()],
        stream.as_bytes(),
        Limits::default(),
    );
    sane(&run, "stream");
    let why = "its formatting not kept: line 10: an anchor, alias, tag or merge key";
    assert!(run.stderr.contains(why), "{}", run.stderr);
    // The same in a ResourceList, as its second item: the line of `spec:` there.
    let item = deployment.replace('\n', "\n  ");
    let list = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n{FUNCTION_CONFIG}items:\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c}}}}\n- {}\n",
        item.trim_end()
    );
    assert_eq!(list.lines().position(|l| l == "      spec:"), Some(10)); // line 11
    let run = run_bin(&[], list.as_bytes(), Limits::default());
    sane(&run, "list");
    let why = "items[1]: written out in full, its formatting not kept: line 11: an anchor";
    assert!(
        String::from_utf8_lossy(&run.stdout).contains(why),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

/// An item whose `-` stands alone on its line and that has to be written out in full (an
/// anchor where the change goes) is written as `- key:` lines two past its `-`, never
/// glued to it (`-apiVersion: v1`, a key of its own, was written for `-` alone).
#[test]
fn an_item_opened_alone_and_written_in_full_stays_an_item() {
    let pod = |name: &str| {
        format!(
            "apiVersion: v1\n  kind: Pod\n  metadata: &m {{name: {name}}}\n  spec:\n    containers:\n    - name: app\n      image: eclipse-temurin:21-jre\n"
        )
    };
    let input = format!(
        "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n{FUNCTION_CONFIG}items:\n-\n  {}- # a note\n   {}",
        pod("p"),
        pod("q").replace("\n  ", "\n   ")
    );
    let run = run_bin(&[], input.as_bytes(), Limits::default());
    sane(&run, "written in full");
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = String::from_utf8(run.stdout).unwrap();
    assert!(out.contains("\n- apiVersion: v1\n  kind: Pod\n"), "{out}");
    let list: Value = yaml::from_str(&out).unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{out}");
    for item in items {
        assert_eq!(item["kind"], "Pod", "{out}");
        assert!(item["spec"]["initContainers"].is_array(), "{out}");
    }
}

/// A refused item of a flow or JSON list names the line and column of the field in the
/// input, as a block item's does (it named the field alone): the column on the item's
/// first line counts from the line's start, not from the item's `{`.
#[test]
fn a_flow_or_json_items_field_is_placed_in_the_input() {
    let bad = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: bad},\n   spec: {template: {spec: {containers: {name: app}}}}}";
    let flow_list = format!("apiVersion: v1\nkind: List\nitems: [\n  {bad}\n]\n");
    let run = stream(flow_list.as_bytes(), Limits::default());
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("(field spec.template.spec.containers, line 5, column 41)"),
        "{}",
        run.stderr
    );
    let first_line = "{apiVersion: apps/v1, kind: Deployment, metadata: {name: bad}, spec: {template: {spec: {containers: {name: app}}}}}";
    let json_list = format!(
        "{{\"apiVersion\": \"config.kubernetes.io/v1\", \"kind\": \"ResourceList\",\n {},\n \"items\": [{first_line}]}}\n",
        FUNCTION_CONFIG
            .trim_end()
            .replacen("functionConfig:", "\"functionConfig\":", 1)
    );
    let list = krm_fails(
        json_list.as_bytes(),
        "spec.template.spec.containers is a mapping",
    );
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    let run = run_bin(&[], json_list.as_bytes(), Limits::default());
    assert!(
        run.stderr
            .contains("(field spec.template.spec.containers, line 3, column 112)"),
        "{}",
        run.stderr
    );
}
