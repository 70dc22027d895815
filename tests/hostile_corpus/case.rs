//! One case of the hostile corpus: `tests/hostile/cases/<name>/case.yaml` and its inputs
//! (see `tests/hostile/cases/README.md` for the format).

use super::generate::generate;
use pinpoint_inject::run::stream::Splitter;
use pinpoint_inject::yaml;
use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The two ways the binary reads its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A stream, with `--config`.
    Stream,
    /// The same resources as one ResourceList, the config its functionConfig.
    Krm,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Stream => "stream",
            Mode::Krm => "krm",
        }
    }
}

pub struct Case {
    pub name: String,
    pub spec: Value,
    /// The stream, and the ResourceList (`None`: the case has no such mode).
    pub stream: Option<Vec<u8>>,
    pub list: Option<Vec<u8>>,
    /// The config file (stream mode's `--config`; in KRM mode its text is the
    /// functionConfig, unless the list has one).
    pub config: PathBuf,
}

impl Case {
    pub fn load(dir: &Path, repo: &Path) -> Case {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join("case.yaml"))
            .unwrap_or_else(|e| panic!("{name}: case.yaml: {e}"));
        let spec: Value = yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let config = match spec["config"].as_str().unwrap_or("default") {
            "default" => repo.join("tests/oracle/config-default.yaml"),
            "seed" => repo.join("examples/seed-tomcat/pinpoint.yaml"),
            path if path.starts_with('/') => PathBuf::from(path),
            path => dir.join(path),
        };
        let read = |file: &str| {
            std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{name}: {file}: {e}"))
        };
        let mut stream = match (&spec["generate"], spec["input"].as_str()) {
            (Value::Object(g), _) => Some(
                generate(
                    g["kind"].as_str().unwrap(),
                    g["n"].as_u64().unwrap() as usize,
                )
                .into_bytes(),
            ),
            (_, Some(file)) => Some(read(file)),
            _ => None,
        };
        if spec["crlf"] == true {
            stream = stream.map(|s| crlf(&s));
        }
        let modes: Vec<&str> = match spec["modes"].as_array() {
            Some(modes) => modes.iter().map(|m| m.as_str().unwrap()).collect(),
            None => vec!["stream", "krm"],
        };
        let list = match spec["list"].as_str() {
            Some(file) => Some(read(file)),
            None if modes.contains(&"krm") => {
                let stream = stream
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: no input"));
                // At most 1 MiB (the case of a config that never ends has one).
                let mut config_text = Vec::new();
                std::fs::File::open(&config)
                    .and_then(|f| f.take(1 << 20).read_to_end(&mut config_text))
                    .unwrap_or_else(|e| panic!("{name}: {}: {e}", config.display()));
                let config = String::from_utf8_lossy(&config_text);
                let mut list = resource_list(stream, &config, spec["crlf"] == true);
                if let Some(n) = spec["earlier_results"].as_u64() {
                    list.extend(earlier_results(n as usize).into_bytes());
                }
                Some(list)
            }
            None => None,
        };
        let stream = stream.filter(|_| modes.contains(&"stream"));
        Case {
            name,
            spec,
            stream,
            list,
            config,
        }
    }

    /// What is expected in `mode`: the mode's own `expect.<mode>.<key>`, else `expect.<key>`.
    pub fn expect(&self, mode: Mode, key: &str) -> &Value {
        let own = &self.spec["expect"][mode.name()][key];
        if own.is_null() {
            &self.spec["expect"][key]
        } else {
            own
        }
    }
}

/// A block `results:` entry of `n` results, as functions before ours leave them.
fn earlier_results(n: usize) -> String {
    let mut out = String::from("results:\n");
    for i in 0..n {
        out.push_str(&format!(
            "- message: earlier result {i}\n  severity: info\n  resourceRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: d{}\n",
            i % 10
        ));
    }
    out
}

/// Every line break as `\r\n`.
fn crlf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for &b in text {
        if b == b'\n' && out.last() != Some(&b'\r') {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// The documents of `stream` as the items of a ResourceList, by their text (each line
/// indented under its `- `), `config` its functionConfig.
pub fn resource_list(stream: &[u8], config: &str, crlf: bool) -> Vec<u8> {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out =
        format!("apiVersion: config.kubernetes.io/v1{nl}kind: ResourceList{nl}items:{nl}");
    for doc in Splitter::new(stream) {
        let doc = doc.unwrap().bytes;
        let text = String::from_utf8_lossy(&doc);
        let lines: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("---"))
            .collect();
        let Some(first) = lines
            .iter()
            .position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        else {
            continue; // a comment-only document
        };
        for (k, line) in lines[first..].iter().enumerate() {
            let line = line.trim_end_matches(['\r', '\n']);
            let lead = if k == 0 {
                "- "
            } else if line.is_empty() {
                ""
            } else {
                "  "
            };
            out.push_str(&format!("{lead}{line}{nl}"));
        }
    }
    out.push_str(&format!("functionConfig:{nl}"));
    for line in config.lines().filter(|l| !l.starts_with('#')) {
        out.push_str(&format!("  {line}{nl}"));
    }
    out.into_bytes()
}
