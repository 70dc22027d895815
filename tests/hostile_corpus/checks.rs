//! What must hold for every run of every case, whatever the case expects besides.

use common::Run;

use super::super::common;

/// Nothing crashed, hung or was killed, and every stderr line is one of ours.
pub fn sane(run: &Run) -> Result<(), String> {
    if run.timed_out {
        return Err(format!("still running after {:?}", run.elapsed));
    }
    if run.code.is_none() {
        return Err(format!(
            "killed by a signal (out of memory?): {}",
            run.stderr
        ));
    }
    if run.stderr.contains("panicked") {
        return Err(format!("panicked: {}", run.stderr));
    }
    if let Some(line) = run
        .stderr
        .lines()
        .find(|l| !l.starts_with("pinpoint-inject: "))
    {
        return Err(format!("a stray stderr line {line:?}"));
    }
    if run.code != Some(0) && !run.stderr.contains("pinpoint-inject: error: ") {
        return Err(format!(
            "exit {:?} without an error line saying why: {}",
            run.code, run.stderr
        ));
    }
    Ok(())
}

/// Every line of `input` is in `output`, in order: the run added lines and never removed
/// one. The only lines allowed to change are the options variable's value (text added at
/// its end) and a flow collection's line that grew (text added inside it): lines whose
/// characters all reappear, in order, in a longer output line nearby.
pub fn kept(input: &[u8], output: &[u8]) -> Result<(), String> {
    const WINDOW: usize = 400;
    let input = String::from_utf8_lossy(input);
    let output = String::from_utf8_lossy(output);
    let out: Vec<&str> = output.lines().collect();
    let mut at = 0;
    for (n, line) in input.lines().enumerate() {
        let ahead = &out[at.min(out.len())..(at + WINDOW).min(out.len())];
        if let Some(k) = ahead.iter().position(|o| *o == line) {
            at += k + 1;
            continue;
        }
        let grown = ahead
            .iter()
            .position(|o| o.len() > line.len() && grew_into(line, o));
        match grown {
            Some(k) => at += k + 1,
            None => {
                return Err(format!(
                    "input line {} {line:?} is not in the output",
                    n + 1
                ));
            }
        }
    }
    Ok(())
}

/// Every line of `input` is in `output` (as many times), in any order: for a run that
/// moves a block (a ResourceList's earlier results go after its items).
pub fn kept_unordered(input: &[u8], output: &[u8]) -> Result<(), String> {
    let output = String::from_utf8_lossy(output);
    let mut left: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for line in output.lines() {
        *left.entry(line).or_default() += 1;
    }
    for (n, line) in String::from_utf8_lossy(input).lines().enumerate() {
        match left.get_mut(line) {
            Some(k) if *k > 0 => *k -= 1,
            _ => {
                return Err(format!(
                    "input line {} {line:?} is not in the output",
                    n + 1
                ));
            }
        }
    }
    Ok(())
}

/// True when `short`'s characters appear in `long` in order.
fn grew_into(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|d| d == c))
}

/// How many pod templates carry the marker in `output` and not in `input`.
pub fn injected(input: &[u8], output: &[u8]) -> usize {
    let count = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .matches("pinpoint-inject.dev/injected")
            .count()
    };
    count(output).saturating_sub(count(input))
}

/// No line of `output` ends in a bare `\n`.
pub fn crlf_only(output: &[u8]) -> bool {
    output
        .iter()
        .enumerate()
        .all(|(i, &b)| b != b'\n' || (i > 0 && output[i - 1] == b'\r'))
}
