//! The architecture, as the tree shows it, checked on the source itself:
//! - every module of `src/` belongs to the layer of its top folder, and imports only
//!   its own layer and the layers [`LAYERS`] allows below it (every `use` line and
//!   every `crate::`/`super::` path in code counts; comments and strings do not);
//! - no import circle between modules, inside a layer either;
//! - the network reader (`registry/`) is imported by the shell alone, and no other file
//!   names the HTTP client (`ureq`) or what `std::net` opens connections with;
//! - no source file over [`MAX_LINES`] lines.
//!
//! The module graph is built by a small lexer of our own (`cargo modules dependencies
//! --acyclic` checks the same on a clean build, but needs a newer rustc than CI has).

mod architecture {
    pub mod cycles;
    pub mod lexer;
    pub mod network;
}

use architecture::cycles::strongly_connected;
use architecture::lexer::{Token, code_only, path_tree, tokens};
use architecture::network::network_uses;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each layer and the layers below it that it may import (its own is always allowed).
const LAYERS: &[(&str, &[&str])] = &[
    ("value", &[]),
    ("yaml", &["value"]),
    ("oci", &[]),
    ("knowledge", &[]),
    ("config", &["oci", "knowledge", "value"]),
    ("facts", &["oci", "knowledge", "value"]),
    ("decide", &["facts", "config", "oci", "knowledge", "value"]),
    (
        "wire",
        &["decide", "facts", "config", "oci", "knowledge", "value"],
    ),
    (
        "run",
        &[
            "wire",
            "decide",
            "facts",
            "config",
            "oci",
            "knowledge",
            "yaml",
            "value",
        ],
    ),
    // The edge: only the shell imports it (see EDGE).
    ("registry", &["facts", "oci"]),
];

/// Folders at the edge: only the shell (`main.rs`, `cli.rs`) may import them.
const EDGE: &[&str] = &["registry"];

/// The most lines a source file may have.
const MAX_LINES: usize = 400;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// One reference from a module to a path, with the line it is on.
struct Reference {
    from: String,
    path: Vec<String>,
    line: usize,
}

/// The module path of a file (`src/decide/targets/policy.rs`: `decide::targets::policy`;
/// `mod.rs` and `lib.rs` are their folder's module).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

fn parent(module: &str) -> String {
    module.rsplit_once("::").map_or("", |(p, _)| p).to_string()
}

/// Every reference to `crate::`, `super::` or `self::` paths in one file, resolved to
/// absolute paths, with the inline module (`mod tests { … }`) each one is in.
fn references(module: &str, code: &str, modules: &BTreeSet<String>) -> Vec<Reference> {
    let tokens = tokens(code);
    let mut out = Vec::new();
    // The inline modules open at each brace depth.
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_mod: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        let (token, line) = &tokens[i];
        match token {
            Token::Open => {
                depth += 1;
                if let Some(name) = pending_mod.take() {
                    stack.push((depth, name));
                }
            }
            Token::Close => {
                if stack.last().is_some_and(|(d, _)| *d == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Token::Ident(word) if word == "mod" => {
                if let Some((Token::Ident(name), _)) = tokens.get(i + 1) {
                    pending_mod = Some(name.clone());
                }
            }
            Token::Other(';') => pending_mod = None,
            _ => {}
        }
        let here = std::iter::once(module.to_string())
            .chain(stack.iter().map(|(_, m)| m.clone()))
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join("::");
        let after_path = i > 0 && tokens[i - 1].0 == Token::Path;
        let child = |word: &str| {
            let child = if here.is_empty() {
                word.to_string()
            } else {
                format!("{here}::{word}")
            };
            modules.contains(&child)
        };
        if let Token::Ident(word) = token
            && !after_path
            && (matches!(word.as_str(), "crate" | "super" | "self") || child(word))
            && tokens.get(i + 1).map(|t| &t.0) == Some(&Token::Path)
        {
            // Resolve the leading `crate`, `super::super`, `self`, or a child module.
            let mut base: Vec<String> = match word.as_str() {
                "crate" => Vec::new(),
                "super" => split(&parent(&here)),
                "self" => split(&here),
                _ => split(&here).into_iter().chain([word.clone()]).collect(),
            };
            let mut at = i + 2;
            while let (Some(Token::Ident(w)), Some(Token::Path)) = (
                tokens.get(at).map(|t| &t.0),
                tokens.get(at + 1).map(|t| &t.0),
            ) {
                if w != "super" {
                    break;
                }
                base.pop();
                at += 2;
            }
            let mut paths = Vec::new();
            let end = path_tree(&tokens, at, base, &mut paths);
            for path in paths {
                out.push(Reference {
                    from: here.clone(),
                    path,
                    line: *line,
                });
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

fn split(module: &str) -> Vec<String> {
    module
        .split("::")
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The module a path names: its longest prefix that is a module.
fn resolve(path: &[String], modules: &BTreeSet<String>) -> String {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].join("::"))
        .find(|m| modules.contains(m))
        .unwrap_or_default()
}

fn layer(module: &str) -> &str {
    module.split("::").next().unwrap_or("")
}

struct Graph {
    /// module -> (module it imports -> the first file and line that does)
    edges: BTreeMap<String, BTreeMap<String, String>>,
}

fn graph() -> Graph {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    // The shell (the binary's `main.rs`, `cli.rs` and `shell/`) may import any layer.
    let library: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            !matches!(f.file_name().unwrap().to_str(), Some("main.rs" | "cli.rs"))
                && !f.starts_with(src.join("shell"))
        })
        .collect();
    let mut modules: BTreeSet<String> = library.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut all = Vec::new();
    for file in &library {
        let module = module_of(&src, file);
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        for r in references(&module, &code, &modules) {
            all.push((file.strip_prefix(repo()).unwrap().display().to_string(), r));
        }
    }
    // Inline modules (`mod tests { … }`) are modules too.
    modules.extend(all.iter().map(|(_, r)| r.from.clone()));
    for (file, r) in all {
        let to = resolve(&r.path, &modules);
        if to != r.from {
            edges
                .entry(r.from.clone())
                .or_default()
                .entry(to)
                .or_insert_with(|| format!("{file}:{}", r.line));
        }
    }
    Graph { edges }
}

#[test]
fn every_import_goes_down_the_layers() {
    let graph = graph();
    let allowed = |from: &str, to: &str| {
        from == to
            || LAYERS
                .iter()
                .find(|(l, _)| *l == from)
                .is_some_and(|(_, below)| below.contains(&to))
    };
    let mut wrong = Vec::new();
    for (from, targets) in &graph.edges {
        for (to, at) in targets {
            let (a, b) = (layer(from), layer(to));
            let known = LAYERS.iter().any(|(l, _)| *l == a);
            if !known {
                wrong.push(format!("{at}: module {from} is in no layer folder"));
            } else if EDGE.contains(&b) && a != b {
                wrong.push(format!(
                    "{at}: {from} imports {to}: only the shell may use the network reader"
                ));
            } else if !allowed(a, b) {
                wrong.push(format!(
                    "{at}: {from} ({a}) imports {to} ({b}), which is not below it"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that do not go down:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_circle() {
    let graph = graph();
    let cycles = strongly_connected(&graph.edges);
    let described: Vec<String> = cycles
        .iter()
        .map(|cycle| {
            let links: Vec<String> = cycle
                .iter()
                .flat_map(|from| {
                    graph.edges[from]
                        .iter()
                        .filter(|(to, _)| cycle.contains(to))
                        .map(move |(to, at)| format!("  {from} -> {to} ({at})"))
                })
                .collect();
            format!("{} modules:\n{}", cycle.len(), links.join("\n"))
        })
        .collect();
    assert!(
        described.is_empty(),
        "import circles:\n{}",
        described.join("\n")
    );
}

/// The folder that alone may open connections.
const NETWORK_READER: &str = "registry";

#[test]
fn only_the_registry_reader_touches_the_network() {
    let src = repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let reader = src.join(NETWORK_READER);
    let wrong: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(&reader))
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let file = f.strip_prefix(repo()).unwrap().display().to_string();
            network_uses(&text)
                .into_iter()
                .map(move |(line, word)| format!("{file}:{line}: {word}"))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "only src/{NETWORK_READER}/ may name the network:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_source_file_is_over_the_limit() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches", "fuzz/fuzz_targets"] {
        rust_files(&repo().join(dir), &mut files);
    }
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).unwrap().lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The checker itself: it sees through comments and strings, resolves `super` from
/// inline modules, expands `use` groups, and finds a circle and an upward import.
#[test]
fn the_checker_reads_paths_as_rustc_does() {
    let code = code_only(
        "use crate::a::{self, b::{c, d}};\nuse k::K;\n// crate::x::y\nlet s = \"crate::z::w\";\nlet c = '\"';\nmod tests {\n    use super::*;\n    fn f<'a>() { super::super::q::r(); }\n}\n",
    );
    let modules: BTreeSet<String> = ["m::n", "m::n::k"].map(String::from).into();
    let refs: Vec<(String, String)> = references("m::n", &code, &modules)
        .into_iter()
        .map(|r| (r.from, r.path.join("::")))
        .collect();
    let expected: Vec<(String, String)> = [
        ("m::n", "a"),
        ("m::n", "a::b::c"),
        ("m::n", "a::b::d"),
        ("m::n", "m::n::k::K"),
        ("m::n::tests", "m::n"),
        ("m::n::tests", "m::q::r"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(refs, expected);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (a, b) in [("x", "y"), ("y", "z"), ("z", "x"), ("z", "w")] {
        edges
            .entry(a.into())
            .or_default()
            .insert(b.into(), String::new());
    }
    assert_eq!(strongly_connected(&edges), vec![vec!["x", "y", "z"]]);
}
