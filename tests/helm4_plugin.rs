//! The Helm 4 post-renderer plugin in `helm-plugin/`, run the way Helm 4 runs it.
//! No Helm 4 binary is installable here (scripts/TOOLS.md §2), so this follows Helm 4's
//! subprocess runtime (`internal/plugin`: `getPlatformCommand`, `PrepareCommands`,
//! `runPostrenderer`): pick the platform command, split it on spaces, expand `$VARS`
//! in it and in its args, append the `--post-renderer-args`, set `HELM_PLUGIN_NAME`
//! and `HELM_PLUGIN_DIR`, and pipe in the stream `annotateAndMerge` builds (every
//! document annotated with `postrenderer.helm.sh/postrender-filename`, hooks included).

mod common;

use common::{HELM4_FILENAME_ANNOTATION, Run, TempDir, documents, find, run};
use pinpoint_inject::yaml;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

fn plugin_yaml() -> Value {
    common::read_yaml(&common::repo().join("helm-plugin/plugin.yaml"))
}

/// Go's `os.Expand`: `$NAME`, `${NAME}` and the one-character special names (`$@`,
/// `$1`, …) are replaced by `env` (empty when unset); a `$` before anything else stays.
fn go_expand(text: &str, env: &BTreeMap<String, String>) -> String {
    let special = |c: u8| b"*#$@!?-0123456789".contains(&c);
    let name_char = |c: u8| c == b'_' || c.is_ascii_alphanumeric();
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' || i + 1 == bytes.len() {
            out.push(bytes[i] as char);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        let (name, width): (Option<&[u8]>, usize) = if rest[0] == b'{' {
            if rest.len() > 2 && special(rest[1]) && rest[2] == b'}' {
                (Some(&rest[1..2]), 3)
            } else {
                match rest.iter().position(|&c| c == b'}') {
                    Some(1) | None => (None, 1), // bad syntax: eaten
                    Some(end) => (Some(&rest[1..end]), end + 1),
                }
            }
        } else if special(rest[0]) {
            (Some(&rest[..1]), 1)
        } else {
            let end = rest
                .iter()
                .position(|&c| !name_char(c))
                .unwrap_or(rest.len());
            if end == 0 {
                out.push('$');
                i += 1;
                continue;
            }
            (Some(&rest[..end]), end)
        };
        if let Some(name) = name {
            let name = std::str::from_utf8(name).unwrap();
            out.push_str(env.get(name).map(String::as_str).unwrap_or(""));
        }
        i += 1 + width;
    }
    out
}

/// Helm 4's `PrepareCommands` for linux/amd64: the command and its arguments.
fn prepare_command(
    plugin: &Value,
    env: &BTreeMap<String, String>,
    extra: &[&str],
) -> (String, Vec<String>) {
    let commands = plugin["runtimeConfig"]["platformCommand"]
        .as_array()
        .expect("runtimeConfig.platformCommand is a list");
    let field = |c: &Value, key: &str| c[key].as_str().unwrap_or_default().to_lowercase();
    let exact = commands
        .iter()
        .find(|c| field(c, "os") == "linux" && field(c, "arch") == "amd64");
    let os_only = commands
        .iter()
        .find(|c| field(c, "os") == "linux" && field(c, "arch").is_empty());
    let any = commands
        .iter()
        .find(|c| field(c, "os").is_empty() && field(c, "arch").is_empty());
    let chosen = exact
        .or(os_only)
        .or(any)
        .expect("a platform command applies to linux");
    let mut parts = chosen["command"].as_str().unwrap().split(' ');
    let main = go_expand(parts.next().unwrap(), env);
    let mut args: Vec<String> = parts.map(|p| go_expand(p, env)).collect();
    for arg in chosen["args"].as_array().into_iter().flatten() {
        args.push(go_expand(arg.as_str().unwrap(), env));
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    (main, args)
}

/// An installed plugin: a copy of `helm-plugin/` (Helm 4 links the directory).
struct Plugin {
    dir: TempDir,
}

impl Plugin {
    fn install(with_bin: bool) -> Plugin {
        let dir = TempDir::new("helm4");
        common::copy_dir(
            &common::repo().join("helm-plugin"),
            &dir.join("plugins/pinpoint-inject"),
        );
        if with_bin {
            let bin = dir.join("plugins/pinpoint-inject/bin");
            std::fs::create_dir_all(&bin).unwrap();
            std::os::unix::fs::symlink(common::bin(), bin.join("pinpoint-inject")).unwrap();
        }
        Plugin { dir }
    }

    fn plugin_dir(&self) -> PathBuf {
        self.dir.join("plugins/pinpoint-inject")
    }

    /// Run the plugin as Helm 4 does, with `path` as PATH.
    fn post_render(&self, extra: &[&str], path: &std::ffi::OsStr, stdin: &str) -> Run {
        let plugin = plugin_yaml();
        let mut env: BTreeMap<String, String> = std::env::vars().collect();
        env.insert("PATH".into(), path.to_str().unwrap().into());
        env.insert(
            "HELM_PLUGIN_NAME".into(),
            plugin["name"].as_str().unwrap().into(),
        );
        env.insert(
            "HELM_PLUGIN_DIR".into(),
            self.plugin_dir().display().to_string(),
        );
        env.remove("PINPOINT_INJECT_CONFIG");
        let (main, args) = prepare_command(&plugin, &env, extra);
        run(
            Command::new(main).args(args).env_clear().envs(&env),
            stdin.as_bytes(),
        )
    }
}

/// What Helm 4's `annotateAndMerge` hands the plugin for `examples/helm/shop`: every
/// document of every template (the hook Job included), annotated with its file, joined
/// by `---` lines, no `# Source:` comments.
fn helm4_stream() -> String {
    let out = run(
        Command::new(&common::tools().helm)
            .args(["template", "demo"])
            .arg(common::repo().join("examples/helm/shop"))
            .args(["--namespace", "shop"]),
        b"",
    );
    out.ok();
    let mut docs = Vec::new();
    for chunk in out.stdout.split("---\n").filter(|c| !c.trim().is_empty()) {
        let source = chunk
            .lines()
            .find_map(|l| l.strip_prefix("# Source: "))
            .expect("helm template names the source of each document")
            .to_string();
        let mut doc = common::parse(chunk);
        doc["metadata"]
            .as_object_mut()
            .unwrap()
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()))[HELM4_FILENAME_ANNOTATION] =
            Value::String(source);
        docs.push((
            doc["metadata"]["annotations"][HELM4_FILENAME_ANNOTATION].clone(),
            doc,
        ));
    }
    docs.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
    docs.iter()
        .map(|(_, doc)| yaml::to_string(doc, yaml::ListStyle::Compact))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// The Helm example's config, as `--post-renderer-args` would pass it.
fn config() -> String {
    common::repo()
        .join("examples/helm/pinpoint.yaml")
        .display()
        .to_string()
}

fn filenames(docs: &[Value]) -> BTreeSet<String> {
    docs.iter()
        .map(|d| {
            d["metadata"]["annotations"][HELM4_FILENAME_ANNOTATION]
                .as_str()
                .unwrap_or_else(|| panic!("lost the filename annotation: {d}"))
                .to_string()
        })
        .collect()
}

#[test]
fn plugin_yaml_is_a_helm4_postrenderer_plugin() {
    let plugin = plugin_yaml();
    assert_eq!(plugin["apiVersion"], "v1");
    assert_eq!(plugin["type"], "postrenderer/v1");
    assert_eq!(plugin["runtime"], "subprocess");
    let name = plugin["name"].as_str().unwrap();
    assert!(
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    );
    assert_eq!(
        name, "pinpoint-inject",
        "the name users pass to --post-renderer"
    );
    assert_eq!(plugin["version"], env!("CARGO_PKG_VERSION"));
    // postrenderer/v1 takes no type config.
    assert!(plugin.get("config").is_none_or(Value::is_null));
    let script = common::repo().join("helm-plugin/postrender.sh");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&script).unwrap().permissions());
    assert!(
        mode & 0o111 != 0,
        "helm-plugin/postrender.sh must be executable"
    );
}

#[test]
fn plugin_command_survives_helms_variable_expansion() {
    // Helm expands $VARS in the command and in every arg, with no escape: a `$@` or
    // `$1` meant for a shell would silently become empty.
    let plugin = plugin_yaml();
    for entry in plugin["runtimeConfig"]["platformCommand"]
        .as_array()
        .unwrap()
    {
        for arg in entry["args"].as_array().into_iter().flatten() {
            assert!(
                !arg.as_str().unwrap().contains('$'),
                "Helm would expand {arg}"
            );
        }
    }
    let env = BTreeMap::from([(
        "HELM_PLUGIN_DIR".to_string(),
        "/plugins/pinpoint-inject".to_string(),
    )]);
    let (main, args) = prepare_command(&plugin, &env, &["--config", "a b.yaml"]);
    assert_eq!(main, "/plugins/pinpoint-inject/postrender.sh");
    assert_eq!(args, ["--config", "a b.yaml"]);
}

#[test]
fn plugin_injects_hooks_and_keeps_the_filename_annotation() {
    let plugin = Plugin::install(true);
    let input = helm4_stream();
    let input_docs = documents(&input);
    assert!(input.contains("helm.sh/hook: pre-install,pre-upgrade"));
    // A PATH without pinpoint-inject: the plugin's own bin/ is used.
    let path = std::ffi::OsStr::new("/usr/bin:/bin");
    let out = plugin.post_render(&["--config", &config()], path, &input);
    out.ok();
    assert!(!out.stdout.trim().is_empty());
    let docs = documents(&out.stdout);
    assert_eq!(common::inventory(&docs), common::inventory(&input_docs));
    // Helm 4 regroups the output into files by the annotation: every file is still there.
    assert_eq!(filenames(&docs), filenames(&input_docs));
    let job = find(&docs, "Job", "demo-migrate");
    common::assert_wired(job, "migrate", "JAVA_TOOL_OPTIONS");
    assert_eq!(
        job["metadata"]["annotations"]["helm.sh/hook"],
        "pre-install,pre-upgrade"
    );
    assert_eq!(
        job["metadata"]["annotations"][HELM4_FILENAME_ANNOTATION],
        "shop/templates/migrate-job.yaml"
    );
    common::assert_wired(
        find(&docs, "Deployment", "demo-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
    common::assert_valid("helm4-plugin", &out.stdout);
}

#[test]
fn plugin_falls_back_to_pinpoint_inject_on_path() {
    let plugin = Plugin::install(false);
    let bin = plugin.dir.bin_dir();
    let path = common::path_with(&[&bin]);
    let out = plugin.post_render(&["--config", &config()], &path, &helm4_stream());
    out.ok();
    let docs = documents(&out.stdout);
    common::assert_wired(
        find(&docs, "Deployment", "demo-web"),
        "web",
        "JAVA_TOOL_OPTIONS",
    );
}

#[test]
fn plugin_failures_are_told_apart_by_exit_status() {
    // Helm 4 shows only `plugin "pinpoint-inject" exited with error`: the exit-code
    // table of helm-plugin/README.md is all a user has.
    let input = helm4_stream();
    let path = std::ffi::OsStr::new("/usr/bin:/bin");
    let dir = TempDir::new("helm4-bad");
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: v1\nkind: ConfigMap\ndata: {collectorHost: x}\n",
    )
    .unwrap();
    let (config, bad) = (config(), bad.display().to_string());
    let installed = Plugin::install(true);
    let missing = Plugin::install(false);
    for (plugin, args, code, what) in [
        (&installed, vec!["--config", &config], 0, "success"),
        (&installed, vec!["--config", &bad], 1, "an invalid config"),
        (&installed, vec![], 1, "no config"),
        (
            &installed,
            vec!["--confg", &config],
            2,
            "a misspelt argument",
        ),
        (&missing, vec!["--config", &config], 127, "no binary"),
    ] {
        let out = plugin.post_render(&args, path, &input);
        assert_eq!(out.code, Some(code), "{what}: {out}");
        if code == 127 {
            assert!(out.stdout.is_empty(), "{what}: {out}");
        }
    }
}
