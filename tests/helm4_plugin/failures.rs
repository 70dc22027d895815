//! Every failure the recipe page promises: Helm's one line, and the exit status under
//! `--debug`.

use super::super::*;

#[test]
fn every_failure_is_helms_one_line_and_debug_tells_the_exit_status() {
    // docs/recipes/helm4.md promises: exit 1 and Helm's one line (the plugin's stderr is not
    // shown), and with --debug the plugin's exit status: 1 for a config or document
    // error, 2 for bad arguments, 127 when pinpoint-inject is not found.
    let dir = TempDir::new("helm4-fail");
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: v1\nkind: ConfigMap\ndata: {collectorHost: x}\n",
    )
    .unwrap();
    let bad = bad.display().to_string();
    let chart = common::clients::conflicting_chart(&dir);
    let chart = chart.to_str().unwrap();
    let config = "examples/helm/pinpoint.yaml";
    let with_binary = Helm4::new(true);
    let without = Helm4::new(false);
    with_binary.install();
    without.install();
    assert!(
        !Path::new("/usr/bin/pinpoint-inject").exists()
            && !Path::new("/bin/pinpoint-inject").exists()
    );
    let shop = "./examples/helm/shop";
    let cases = [
        Failure {
            what: "an invalid config",
            helm: &with_binary,
            chart: shop,
            args: vec!["--config", &bad],
            plugin_exit: 1,
        },
        Failure {
            what: "no config",
            helm: &with_binary,
            chart: shop,
            args: vec![],
            plugin_exit: 1,
        },
        Failure {
            what: "a document it refuses",
            helm: &with_binary,
            chart,
            args: vec!["--config", config],
            plugin_exit: 1,
        },
        Failure {
            what: "a misspelt argument",
            helm: &with_binary,
            chart: shop,
            args: vec!["--confg", config],
            plugin_exit: 2,
        },
        Failure {
            what: "no binary",
            helm: &without,
            chart: shop,
            args: vec!["--config", config],
            plugin_exit: 127,
        },
    ];
    for case in &cases {
        for debug in [false, true] {
            let out = case.run(debug);
            let what = case.what;
            assert_eq!(out.code, Some(1), "{what}: {out}");
            assert!(out.stdout_text().trim().is_empty(), "{what}: {out}");
            assert!(out.stderr.contains(HELM_ERROR), "{what}: {out}");
            assert!(
                !out.stderr.contains("pinpoint-inject: error"),
                "{what}: Helm 4 now shows the plugin's stderr: update docs/recipes/helm4.md: {out}"
            );
            let status = format!("exitCode={} ", case.plugin_exit);
            assert_eq!(out.stderr.contains(&status), debug, "{what}: {out}");
        }
    }
    // The recipe page's way to read the message: the same render, piped by hand.
    let piped = with_binary.sh(&format!(
        "helm template shop '{chart}' | pinpoint-inject --config {config} >/dev/null"
    ));
    assert_eq!(piped.code, Some(1), "{piped}");
    assert!(
        piped.stderr.contains(
            r#"Deployment shop-web: a volume named "pinpoint-agent" already exists and is not ours"#
        ),
        "{piped}"
    );
}

#[test]
fn post_renderer_without_the_plugin_installed_is_a_flag_error() {
    let helm = Helm4::new(true);
    let out = helm.recipe("helm template");
    assert_eq!(out.code, Some(1), "{out}");
    assert!(
        out.stderr.contains(
            r#"invalid argument "pinpoint-inject" for "--post-renderer" flag: plugin: {Name:pinpoint-inject Type:postrenderer/v1} not found"#
        ),
        "{out}"
    );
}
