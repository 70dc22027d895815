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
