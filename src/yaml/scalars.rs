//! Plain (unquoted) scalars that Kubernetes' YAML reader (go-yaml v2 behind
//! sigs.k8s.io/yaml) and ours read differently, found before a document is re-emitted:
//! writing such a document back would change what Kubernetes sees, so it is left alone
//! with an error that says which scalar to quote.
//!
//! Found by comparing both readers with kubectl (`tests/oracle.rs`):
//! - mapping keys that go-yaml resolves to a bool, null or number: `on:` is the key
//!   `"true"` and `0644:` the key `"420"` to Kubernetes, `on` and `0644` to us;
//! - mixed-case booleans (`tRue`, `yEs`): strings to Kubernetes, booleans to us;
//! - numbers with an upper-case radix prefix (`0X1F`) or with underscores where YAML 1.2
//!   has none (`1__000`, `1_000_`, `0.1_2`): numbers to Kubernetes, strings to us.

use crate::yaml::value::{self as yaml, YamlError};
use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

/// The escape go-yaml reads in a double-quoted scalar and YAML (and our full parser)
/// does not, `\'` for a quote (`case '\''` in `yaml_parser_scan_flow_scalar`, go-yaml
/// v2's `scannerc.go`): the fast path reads it as go-yaml does, and a text holding it
/// cannot be checked against the full parser in debug builds.
pub const GO_ONLY_ESCAPE: &str = "\\'";

/// go-yaml v2's boolean spellings (exactly these; `tRue` is a string).
const GO_BOOLS: &[(&str, bool)] = &[
    ("y", true),
    ("Y", true),
    ("yes", true),
    ("Yes", true),
    ("YES", true),
    ("true", true),
    ("True", true),
    ("TRUE", true),
    ("on", true),
    ("On", true),
    ("ON", true),
    ("n", false),
    ("N", false),
    ("no", false),
    ("No", false),
    ("NO", false),
    ("false", false),
    ("False", false),
    ("FALSE", false),
    ("off", false),
    ("Off", false),
    ("OFF", false),
];

const GO_NULLS: &[&str] = &["~", "null", "Null", "NULL"];

const GO_SPECIAL_FLOATS: &[&str] = &[
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
    "-.INF",
];

/// A number as go-yaml v2 resolves a plain scalar.
#[derive(Debug, Clone, Copy, PartialEq)]
enum GoNumber {
    Int(i64),
    /// Past `i64`: Kubernetes cannot use it as a key, and reads it as a float elsewhere.
    Big,
    Float(f64),
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`, go-yaml's float pattern.
fn go_float_syntax(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Go's `strconv.ParseInt(s, 0, 64)` (after go-yaml removed every `_`).
fn go_parse_int(s: &str) -> Option<Result<i64, ()>> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = unsigned.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok();
    let value = magnitude.and_then(|m| {
        let m = i128::try_from(m).ok()?;
        i64::try_from(if negative { -m } else { m }).ok()
    });
    Some(value.ok_or(()))
}

/// What go-yaml v2 makes of a plain scalar that starts like a number, if a number.
fn go_number(text: &str) -> Option<GoNumber> {
    let first = *text.as_bytes().first()?;
    if GO_SPECIAL_FLOATS.contains(&text) {
        return Some(GoNumber::Float(f64::NAN));
    }
    if first == b'.' {
        let float: f64 = text.replace('_', "").parse().ok()?;
        return go_float_syntax(&text.replace('_', "")).then_some(GoNumber::Float(float));
    }
    if !(first.is_ascii_digit() || first == b'-' || first == b'+') {
        return None;
    }
    if looks_like_timestamp(text) {
        return None; // read as a string by Kubernetes, as by us
    }
    let plain = text.replace('_', "");
    match go_parse_int(&plain) {
        Some(Ok(int)) => return Some(GoNumber::Int(int)),
        Some(Err(())) => return Some(GoNumber::Big),
        None => {}
    }
    if go_float_syntax(&plain) {
        return plain.parse().ok().map(GoNumber::Float);
    }
    None
}

/// `2001-12-14…`: go-yaml's timestamps, which Kubernetes keeps as strings.
fn looks_like_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// The key Kubernetes makes of a plain mapping key, when it differs from the text.
fn key_divergence(text: &str) -> Option<String> {
    if let Some((_, value)) = GO_BOOLS.iter().find(|(spelling, _)| *spelling == text) {
        return Some(format!("the key `{value}`"));
    }
    if GO_NULLS.contains(&text) {
        return Some("a null key, which it rejects".into());
    }
    match go_number(text)? {
        GoNumber::Int(int) if int.to_string() == text => None,
        GoNumber::Int(int) => Some(format!("the key `{int}`")),
        GoNumber::Big => Some("a number too large for a key, which it rejects".into()),
        // Only short plain decimals (`1.5`) print back as written (as a float32, `%g`).
        GoNumber::Float(float)
            if (1e-4..1e6).contains(&float.abs())
                && float.to_string() == text
                && text.bytes().filter(u8::is_ascii_digit).count() <= 6 =>
        {
            None
        }
        GoNumber::Float(_) => Some("a number, printed differently".into()),
    }
}

/// How Kubernetes and we read a plain value differently, if they do.
fn value_divergence(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let bool_word = ["y", "yes", "n", "no", "true", "false", "on", "off"].contains(&lower.as_str());
    if bool_word && !GO_BOOLS.iter().any(|(spelling, _)| *spelling == text) {
        return Some("a string to Kubernetes but a boolean to this tool");
    }
    let upper_radix = ["0X", "0O", "0B"]
        .iter()
        .any(|p| text.trim_start_matches(['-', '+']).starts_with(p));
    if !(text.contains('_') || upper_radix) {
        return None;
    }
    let go = go_number(text)?;
    let ours = yaml::from_str::<Value>(text).ok()?;
    let same = match (go, &ours) {
        (GoNumber::Int(int), Value::Number(n)) => n.as_i64() == Some(int),
        (GoNumber::Float(f), Value::Number(n)) => n.as_f64() == Some(f),
        (GoNumber::Big, Value::Number(_)) => true,
        _ => false,
    };
    (!same).then_some("a number to Kubernetes but not to this tool")
}

#[derive(Clone, Copy)]
enum Frame {
    Sequence,
    Mapping { next_is_key: bool },
}

/// A cheap look at the words of a text: false when no scalar in it can diverge, so the
/// parse below is skipped for almost every manifest. It may say true for text in
/// comments or quotes; the parse decides.
fn may_diverge(text: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | '~');
    let mut rest = text;
    while let Some(start) = rest.find(is_word) {
        let after = &rest[start..];
        let end = after.find(|c: char| !is_word(c)).unwrap_or(after.len());
        let word = &after[..end];
        let key = after[end..]
            .trim_start_matches([' ', '\t'])
            .starts_with(':');
        let lower = word.to_ascii_lowercase();
        let unsigned = word.trim_start_matches(['-', '+']).trim_start_matches('.');
        let numeric = unsigned.starts_with(|c: char| c.is_ascii_digit())
            || unsigned.eq_ignore_ascii_case("inf")
            || unsigned.eq_ignore_ascii_case("nan");
        let bool_word =
            ["y", "yes", "n", "no", "true", "false", "on", "off"].contains(&lower.as_str());
        if (bool_word && (key || !GO_BOOLS.iter().any(|(b, _)| *b == word)))
            || (key && (numeric || GO_NULLS.contains(&word)))
            || (numeric
                && (word.contains('_')
                    || ["0X", "0O", "0B"]
                        .iter()
                        .any(|p| word.trim_start_matches(['-', '+']).starts_with(p))))
        {
            return true;
        }
        rest = &after[end..];
    }
    false
}

/// The first plain scalar of `text` (one YAML document that parsed) that Kubernetes
/// reads differently from us, as an error at its line and column.
pub fn first_divergence(text: &str) -> Option<YamlError> {
    if !may_diverge(text) {
        return None;
    }
    let mut stack: Vec<Frame> = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.ok()?;
        // Whether this node is a mapping key (and move its mapping on to the next node).
        let mut node_is_key = || match stack.last_mut() {
            Some(Frame::Mapping { next_is_key }) => {
                let key = *next_is_key;
                *next_is_key = !key;
                key
            }
            _ => false,
        };
        match event {
            Event::MappingStart(..) => {
                node_is_key();
                stack.push(Frame::Mapping { next_is_key: true });
            }
            Event::SequenceStart(..) => {
                node_is_key();
                stack.push(Frame::Sequence);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Alias(_) => {
                node_is_key();
            }
            Event::Scalar(value, style, _, tag) => {
                let is_key = node_is_key();
                if style != ScalarStyle::Plain || tag.is_some() || value == "<<" {
                    continue;
                }
                let problem = if is_key {
                    key_divergence(&value).map(|reading| {
                        format!("Kubernetes reads the unquoted key `{value}` as {reading}; quote it (\"{value}\") so both read the same")
                    })
                } else {
                    value_divergence(&value).map(|what| {
                        format!("the unquoted value `{value}` is {what}; quote it (\"{value}\") or write it plainly")
                    })
                };
                if let Some(message) = problem {
                    return Some(YamlError {
                        message,
                        position: Some((span.start.line() as u64, span.start.col() as u64 + 1)),
                    });
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(u64, u64)> {
        first_divergence(text).and_then(|e| e.position)
    }

    #[test]
    fn keys_kubernetes_reads_as_something_else() {
        for key in [
            "on", "y", "NO", "~", "0644", "0x1F", "1_000", "+12", "1e3", "1.50", "08", ".5",
        ] {
            assert_eq!(at(&format!("a:\n  {key}: x\n")), Some((2, 3)), "{key}");
        }
        for key in [
            "\"on\"",
            "'y'",
            "app",
            "1",
            "42",
            "-3",
            "1.5",
            "0.25",
            "2001-12-14",
            "<<",
            "tRue",
            "onion",
        ] {
            assert_eq!(at(&format!("a:\n  {key}: x\n")), None, "{key}");
        }
    }

    #[test]
    fn values_read_differently() {
        for value in [
            "tRue", "yEs", "oN", "FALSe", "0X1F", "0O17", "0B101", "1__000", "1000_", "0.1_2",
            "1_0.5", "1e1_0",
        ] {
            assert_eq!(at(&format!("k: [a, {value}]\n")), Some((1, 8)), "{value}");
        }
        for value in [
            "true",
            "True",
            "TRUE",
            "yes",
            "on",
            "Off",
            "1_000",
            "0x1F",
            "0o17",
            "0b101",
            "\"tRue\"",
            "!!str 0X1F",
            "onion",
            "1e3",
        ] {
            assert_eq!(at(&format!("k: [a, {value}]\n")), None, "{value}");
        }
    }

    #[test]
    fn block_and_flow_structures_track_keys() {
        assert_eq!(at("- on: x\n"), Some((1, 3)));
        assert_eq!(at("a:\n  on : x\n"), Some((2, 3)));
        assert_eq!(at("k: {a: [on], b: {c: d}}\n"), None);
        assert_eq!(at("k: {a: [on], b: {y: d}}\n"), Some((1, 18)));
        assert_eq!(at("a: &x {b: 1}\nc: *x\non: 1\n"), Some((3, 1)));
    }
}
