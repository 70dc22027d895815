//! The hostile corpus: every case of `tests/hostile/cases/` (its format:
//! `tests/hostile/cases/README.md`) through the real binary, in both modes (the stream
//! with `--config`, and the same resources as one ResourceList), on one thread and on
//! four (`PINPOINT_INJECT_THREADS`), each run under a deadline and an address-space
//! ceiling (`ulimit -v`). For every run: no panic, abort, kill or hang; nothing the input
//! holds is missing from the output; a refusal is a clear error line and a non-zero
//! exit; then what the case itself expects. In a release build (`cargo test --release`)
//! with GNU time present, peak memory is held to at most 3 times the input (plus 24 MiB
//! for the process itself) and time to 2 s; a debug build is far slower and checks its
//! own answers twice, so it only gets the deadline and the ceiling.
//!
//! `PINPOINT_CASE=name` runs one case; `PINPOINT_INJECT_BIN=path` runs another build of
//! the binary (an earlier commit's, to see a case fail before its fix).

mod common;
mod hostile_corpus {
    pub mod case;
    pub mod checks;
    pub mod generate;
}

use common::{Run, bin, repo, run_until};
use hostile_corpus::case::{Case, Mode};
use hostile_corpus::checks;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const RELEASE: bool = !cfg!(debug_assertions);

fn cases() -> Vec<Case> {
    let only = std::env::var("PINPOINT_CASE").ok();
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("tests/hostile/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.yaml").exists())
        .filter(|p| only.as_deref().is_none_or(|o| p.ends_with(o)))
        .collect();
    dirs.sort();
    dirs.iter().map(|d| Case::load(d, repo())).collect()
}

/// One run of the binary as the case says, in `mode` on `threads` threads; the peak RSS
/// in KiB when measured.
fn run(case: &Case, mode: Mode, input: &[u8], threads: usize) -> (Run, Option<u64>) {
    let spec = &case.spec;
    // A debug build checks every fast-path answer against the full parser, which a few
    // large cases need more than a minute for: `debug_seconds` (release builds keep 2).
    let seconds = match RELEASE {
        true => spec["seconds"].as_u64().unwrap_or(2),
        false => spec["debug_seconds"]
            .as_u64()
            .or(spec["seconds"].as_u64())
            .unwrap_or(60),
    };
    let memory_mib = spec["memory_mib"].as_u64().unwrap_or(1024);
    let redirect = match spec["stdout"].as_str() {
        Some("closed") => " >&-",
        Some("full") => " >/dev/full",
        _ => "",
    };
    let rss_file = std::env::temp_dir().join(format!(
        "pinpoint-inject-rss-{}-{}-{}-{threads}",
        std::process::id(),
        case.name,
        mode.name()
    ));
    // (Not with stdout closed: GNU time's own file would take its place.)
    let time = RELEASE && redirect.is_empty() && Path::new("/usr/bin/time").exists();
    let timed = if time {
        format!("/usr/bin/time -f %M -o {} ", rss_file.display())
    } else {
        String::new()
    };
    let mut args: Vec<String> = Vec::new();
    if mode == Mode::Stream || spec["config_in_krm"] == true {
        args.push("--config".into());
        args.push(case.config.to_string_lossy().into_owned());
    }
    if let Some(extra) = spec["args"].as_array() {
        args.extend(extra.iter().map(|a| a.as_str().unwrap().to_string()));
    }
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -v {} && exec {timed}\"$0\" \"$@\"{redirect}",
            memory_mib * 1024
        ))
        .arg(std::env::var_os("PINPOINT_INJECT_BIN").unwrap_or_else(|| bin().into()))
        .args(&args)
        .env_remove("PINPOINT_INJECT_CONFIG")
        .env("PINPOINT_INJECT_THREADS", threads.to_string());
    if let Some(env) = spec["env"].as_object() {
        for (k, v) in env {
            cmd.env(k, v.as_str().unwrap());
        }
    }
    let run = run_until(&mut cmd, input, Duration::from_secs(seconds));
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok()));
    std::fs::remove_file(&rss_file).ok();
    (run, rss)
}

/// The checks of one run; `Err` says what failed (its messages cut short).
fn check(case: &Case, mode: Mode, input: &[u8], run: &Run, rss: Option<u64>) -> Result<(), String> {
    check_all(case, mode, input, run, rss).map_err(|why| match why.char_indices().nth(3000) {
        Some((at, _)) => format!("{}…", &why[..at]),
        None => why,
    })
}

fn check_all(
    case: &Case,
    mode: Mode,
    input: &[u8],
    run: &Run,
    rss: Option<u64>,
) -> Result<(), String> {
    checks::sane(run)?;
    let expected_exit = case.expect(mode, "exit").as_i64().unwrap_or(0) as i32;
    if run.code != Some(expected_exit) {
        return Err(format!(
            "exit {:?}, expected {expected_exit}: {}",
            run.code, run.stderr
        ));
    }
    let strings = |key: &str| -> Vec<String> {
        case.expect(mode, key)
            .as_array()
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    for part in strings("stderr") {
        if !run.stderr.contains(&part) {
            return Err(format!("stderr lacks {part:?}:\n{}", run.stderr));
        }
    }
    for part in strings("not_stderr") {
        if run.stderr.contains(&part) {
            return Err(format!("stderr has {part:?}:\n{}", run.stderr));
        }
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    for part in strings("contains") {
        if !stdout.contains(&part) {
            return Err(format!("stdout lacks {part:?}"));
        }
    }
    match case.expect(mode, "kept") {
        _ if run.stdout.is_empty() => {}
        Value::Bool(false) => {}
        Value::String(s) if s == "unordered" => checks::kept_unordered(input, &run.stdout)?,
        _ => checks::kept(input, &run.stdout)?,
    }
    if let Some(n) = case.expect(mode, "injected").as_u64()
        && checks::injected(input, &run.stdout) as u64 != n
    {
        return Err(format!(
            "{} pod templates injected, expected {n}",
            checks::injected(input, &run.stdout)
        ));
    }
    if case.expect(mode, "unchanged") == &Value::Bool(true) && run.stdout != input {
        return Err("the output is not the input".into());
    }
    if case.expect(mode, "json") == &Value::Bool(true)
        && serde_json::from_slice::<Value>(&run.stdout).is_err()
    {
        return Err(format!("the output is not JSON:\n{stdout}"));
    }
    if case.spec["crlf"] == true && !checks::crlf_only(&run.stdout) {
        return Err("a line of the output ends in a bare \\n".into());
    }
    if let Some(kib) = rss {
        let factor = case.spec["rss_factor"].as_f64().unwrap_or(3.0);
        let bound = factor * input.len() as f64 + f64::from(24u32 << 20);
        if (kib * 1024) as f64 > bound {
            return Err(format!(
                "peak RSS {} MiB for {} bytes of input: over {factor} times it plus 24 MiB",
                kib / 1024,
                input.len()
            ));
        }
    }
    Ok(())
}

#[test]
fn every_case_in_both_modes_on_one_and_four_threads() {
    let cases = cases();
    assert!(!cases.is_empty() || std::env::var("PINPOINT_CASE").is_ok());
    let mut failures = Vec::new();
    for case in &cases {
        for (mode, input) in [(Mode::Stream, &case.stream), (Mode::Krm, &case.list)] {
            let Some(input) = input else { continue };
            for threads in [1, 4] {
                let (run, rss) = run(case, mode, input, threads);
                if let Err(why) = check(case, mode, input, &run, rss) {
                    failures.push(format!(
                        "{} ({}, {threads} thread(s), {:?}): {why}",
                        case.name,
                        mode.name(),
                        run.elapsed
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the hostile cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
