//! pinpoint-inject as an exec KRM function of the real kpt (1.0.0-beta), on copies of
//! `examples/kpt/` (kpt edits packages in place): `kpt fn eval` with a config file and
//! with `key=value` arguments, `kpt fn render` of the Kptfile pipeline, and the same
//! package through `cat` (an identity function) for comparison: only the wiring differs.

mod common;

use common::{Run, TempDir, assert_wired, documents, find, run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of `examples/kpt` in a temp dir, and `bin/pinpoint-inject` beside it.
struct Package {
    dir: TempDir,
}

impl Package {
    fn new() -> Package {
        let dir = TempDir::new("kpt");
        common::copy_dir(&common::repo().join("examples/kpt"), &dir.join("pkg"));
        dir.bin_dir();
        Package { dir }
    }

    fn pkg(&self) -> PathBuf {
        self.dir.join("pkg")
    }

    /// Run kpt from `cwd` with our `bin/` first on PATH.
    fn kpt(&self, cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let tools = common::tools();
        let git_dir = tools.git.parent().unwrap();
        let mut cmd = Command::new(&tools.kpt);
        cmd.current_dir(cwd)
            .args(args)
            .env("PATH", common::path_with(&[&self.dir.join("bin"), git_dir]))
            .env_remove("PINPOINT_INJECT_CONFIG");
        for (key, value) in env {
            cmd.env(key, value);
        }
        run(&mut cmd, b"")
    }

    fn eval(&self, extra: &[&str]) -> Run {
        let pkg = self.pkg();
        let mut args = vec!["fn", "eval", pkg.to_str().unwrap(), "--exec"];
        args.push(common::bin().to_str().unwrap());
        args.extend_from_slice(extra);
        self.kpt(self.dir.path(), &args, &[])
    }

    /// Every file of the package, by relative path.
    fn files(&self) -> BTreeMap<String, String> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let name = path.strip_prefix(root).unwrap().display().to_string();
                    out.insert(name, std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let mut files = BTreeMap::new();
        walk(&self.pkg(), &self.pkg(), &mut files);
        files
    }
}

fn example_files() -> BTreeMap<String, String> {
    let pkg = Package::new();
    pkg.files()
}

/// The package's files kept their names, the Service kept its bytes, and the
/// workloads in them are wired.
fn assert_injected_in_place(pkg: &Package, options_env: &str) {
    let before = example_files();
    let after = pkg.files();
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "kpt moved or added files: the path annotations were lost"
    );
    let orders = documents(&after["orders.yaml"]);
    assert_eq!(
        common::inventory(&orders),
        ["Deployment/orders", "Service/orders"]
    );
    assert_eq!(
        orders[1],
        documents(&before["orders.yaml"])[1],
        "the Service changed"
    );
    let service_text = before["orders.yaml"].split("---\n").nth(1).unwrap();
    assert!(
        after["orders.yaml"].ends_with(service_text),
        "the Service was reformatted"
    );
    assert_wired(find(&orders, "Deployment", "orders"), "orders", options_env);
    let jobs = documents(&after["jobs/nightly-report.yaml"]);
    assert_wired(
        find(&jobs, "CronJob", "nightly-report"),
        "report",
        options_env,
    );
    for name in ["orders.yaml", "jobs/nightly-report.yaml"] {
        common::assert_valid(&format!("kpt-{}", name.replace('/', "-")), &after[name]);
    }
}

#[test]
fn eval_with_fn_config_injects_in_place_and_keeps_files() {
    let pkg = Package::new();
    let config = pkg.dir.join("pinpoint.yaml");
    std::fs::copy(pkg.pkg().join("pinpoint.yaml"), &config).unwrap();
    let out = pkg.eval(&["--fn-config", config.to_str().unwrap()]);
    out.ok();
    assert!(out.stderr.contains("[PASS]"), "{out}");
    assert!(
        out.stderr
            .contains("[info] apps/v1/Deployment/shop/orders: injected: orders as orders"),
        "{out}"
    );
    assert!(
        out.stderr.contains(
            "[info] batch/v1/CronJob/shop/nightly-report: injected: report as nightly-report"
        ),
        "{out}"
    );
    assert_injected_in_place(&pkg, "JAVA_TOOL_OPTIONS");

    // Run every case twice: the second run changes nothing.
    let first = pkg.files();
    pkg.eval(&["--fn-config", config.to_str().unwrap()]).ok();
    assert_eq!(pkg.files(), first, "a second eval changed the package");
}

#[test]
fn eval_with_key_value_arguments_configures_through_a_config_map() {
    let pkg = Package::new();
    let out = pkg.eval(&[
        "--",
        "collectorHost=pinpoint-collector.pinpoint.svc",
        "agentImage=pinpointdocker/pinpoint-agent:2.5.4",
        "optionsEnv=JAVA_OPTS",
        "applicationName={label:app.kubernetes.io/name|name}",
        "agentId=podIP",
    ]);
    out.ok();
    assert!(out.stderr.contains("[PASS]"), "{out}");
    // Our warnings reach kpt's results too.
    assert!(
        out.stderr.contains("[warning]: data.agentId podIP"),
        "{out}"
    );
    assert_injected_in_place(&pkg, "JAVA_OPTS");
}

#[test]
fn eval_config_error_fails_with_our_message_and_leaves_files_alone() {
    let pkg = Package::new();
    let out = pkg.eval(&[
        "--",
        "collectorHost=bad host",
        "agentImage=pinpointdocker/pinpoint-agent:2.5.4",
    ]);
    out.failed();
    assert!(out.stderr.contains("[FAIL]"), "{out}");
    assert!(
        out.stderr.contains(
            r#"[error]: invalid function config: data.collectorHost: "bad host" is not a hostname or an IP address"#
        ),
        "{out}"
    );
    assert!(out.stderr.contains("Exit code: 1"), "{out}");
    assert_eq!(pkg.files(), example_files());
}

#[test]
fn render_runs_the_kptfile_pipeline_from_any_directory() {
    let pkg = Package::new();
    let elsewhere = TempDir::new("kpt-cwd");
    let out = pkg.kpt(
        elsewhere.path(),
        &["fn", "render", pkg.pkg().to_str().unwrap(), "--allow-exec"],
        &[],
    );
    out.ok();
    assert!(out.stderr.contains(r#"[PASS] "pinpoint-inject""#), "{out}");
    assert!(
        out.stderr
            .contains("[info] apps/v1/Deployment/shop/orders: injected: orders as orders"),
        "{out}"
    );
    assert_injected_in_place(&pkg, "JAVA_TOOL_OPTIONS");
    let before = example_files();
    let after = pkg.files();
    assert_eq!(after["pinpoint.yaml"], before["pinpoint.yaml"]);
    assert_eq!(
        common::parse(&after["Kptfile"]),
        common::parse(&before["Kptfile"])
    );
}

#[test]
fn render_without_function_config_reads_pinpoint_inject_config() {
    // A pipeline step with no configPath/configMap gets no functionConfig at all.
    let pkg = Package::new();
    let kptfile = pkg.pkg().join("Kptfile");
    let text = std::fs::read_to_string(&kptfile).unwrap();
    let bare = text.replace("      configPath: pinpoint.yaml\n", "");
    assert_ne!(bare, text);
    std::fs::write(&kptfile, bare).unwrap();
    let config = pkg.dir.join("pinpoint.yaml");
    std::fs::rename(pkg.pkg().join("pinpoint.yaml"), &config).unwrap();
    let args = ["fn", "render", "pkg", "--allow-exec"];

    let out = pkg.kpt(pkg.dir.path(), &args, &[]);
    out.failed();
    assert!(out.stderr.contains("[FAIL]"), "{out}");
    assert!(out.stderr.contains("no function config"), "{out}");

    let out = pkg.kpt(
        pkg.dir.path(),
        &args,
        &[("PINPOINT_INJECT_CONFIG", &config)],
    );
    out.ok();
    let orders = documents(&pkg.files()["orders.yaml"]);
    assert_wired(
        find(&orders, "Deployment", "orders"),
        "orders",
        "JAVA_TOOL_OPTIONS",
    );
}

/// The issue-11 promise with kpt writing files back: a package with comments, flow
/// style and quoted look-alike strings, run through pinpoint-inject and through `cat`
/// (an identity function), differs only by the wiring: every file we do not change is
/// what `cat` leaves, and every line of a changed file is still there.
#[test]
fn eval_differs_from_an_identity_function_only_by_the_wiring() {
    let write = |pkg: &Package| {
        std::fs::write(
            pkg.pkg().join("extra.yaml"),
            "# shop services\napiVersion: v1\nkind: Service # keep\nmetadata: {name: orders, labels: {app: orders, tier: \"on\"}}\nspec:\n  ports: [{port: 80, targetPort: \"8080\"}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # the front end\n  labels: {app: web, version: \"1.10\"}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: app # JVM\n        image: 'registry.example.com/web:1'\n        env: [{name: MODE, value: \"yes\"}]\n",
        )
        .unwrap();
    };
    let ours = Package::new();
    write(&ours);
    let config = ours.pkg().join("pinpoint.yaml");
    let r = ours.eval(&["--fn-config", config.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let identity = Package::new();
    write(&identity);
    let pkg = identity.pkg();
    let r = identity.kpt(
        identity.dir.path(),
        &["fn", "eval", pkg.to_str().unwrap(), "--exec", "cat"],
        &[],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let (ours, theirs) = (ours.files(), identity.files());
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (name, text) in &ours {
        let cat = &theirs[name];
        if text == cat {
            continue;
        }
        changed += 1;
        // Kept, or grown where a flow collection got our entries (`{labels: {...}}`).
        let grew = |short: &str, long: &str| {
            let mut rest = long.chars();
            long.len() > short.len() && short.chars().all(|c| rest.any(|d| d == c))
        };
        for line in cat.lines() {
            assert!(
                text.lines().any(|l| l == line || grew(line, l)),
                "{name}: the line {line:?} kpt kept with cat is gone\n{text}"
            );
        }
    }
    assert!(
        changed >= 2,
        "the example and the extra Deployment are injected"
    );
    assert!(ours["extra.yaml"].contains(
        "kind: Service # keep\nmetadata: {name: orders, labels: {app: orders, tier: \"on\"}}"
    ));
}
