//! Our variables in one container's `env`, recognised by their content: the downward-API
//! variables, `PINPOINT_AGENT_OPTS` with its `-javaagent:` in the agent's mount, a moved
//! `valueFrom`, all in one run as the wiring puts them, and the options variable the marker
//! names after them as the wiring left it; and how that options variable is given back.

use crate::knowledge::ours::{
    OPTS_VAR, ORIGINAL_PREFIX, POD_IP_VAR, POD_NAME_VAR, reference, refers_to,
};
use crate::value::Field;
use crate::wire::marker::OwnEntry;
use crate::wire::value_edit::{name_of, only};
use serde_json::Value;

/// How the options variable is given back.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Restore {
    /// We appended it: remove it.
    Remove,
    /// Its value was this, before ` $(PINPOINT_AGENT_OPTS)`.
    Value(String),
    Empty,
    Unset,
    Null,
    /// Its `valueFrom` was moved to the variable before ours (and the `value` it had
    /// beside it, `""` or null).
    ValueFrom(Value, Option<Value>),
    /// The user's own reference: not edited.
    Keep,
}

/// Our variables in one container's env, and how its options variable is given back.
/// `options_name` is the options variable the marker names (`None` in a marker an
/// earlier version wrote: then it is the entry right after ours, when no other entry
/// after ours refers to them).
pub(crate) fn variables(
    c: &Value,
    mount_path: &str,
    own: Option<OwnEntry>,
    options_name: Option<&str>,
) -> Result<(Vec<usize>, usize, Restore), String> {
    let env: &[Value] = c
        .field("env")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let named = |n: &str| -> Vec<usize> {
        env.iter()
            .enumerate()
            .filter(|(_, e)| name_of(e) == Some(n))
            .map(|(i, _)| i)
            .collect()
    };
    let at = match named(OPTS_VAR).as_slice() {
        [one] => *one,
        [] => return Err(format!("no {OPTS_VAR}")),
        _ => return Err(format!("two {OPTS_VAR}")),
    };
    let javaagent = format!("-javaagent:{}/", mount_path.trim_end_matches('/'));
    let flags = only(&env[at], &["name", "value"])
        .and_then(|e| e.field("value"))
        .and_then(Value::as_str);
    if !flags.is_some_and(|f| f.starts_with(&javaagent)) {
        return Err(format!(
            "its {OPTS_VAR} is not the one this tool adds (-javaagent: in {mount_path})"
        ));
    }
    let opts = reference(OPTS_VAR);
    let options = match options_name {
        Some(n) => match named(n).as_slice() {
            [one] if *one > at => *one,
            [] => return Err(format!("no options variable {n}")),
            [_] => return Err(format!("its options variable {n} comes before {OPTS_VAR}")),
            _ => return Err(format!("two options variables {n}")),
        },
        None => {
            let refers = |e: &Value| {
                e.field("value")
                    .and_then(Value::as_str)
                    .is_some_and(|v| refers_to(v, OPTS_VAR))
            };
            if env.iter().skip(at + 2).any(refers) {
                return Err(format!(
                    "more than one variable after {OPTS_VAR} refers to it, and the marker (written by an earlier version) does not say which one is the options variable"
                ));
            }
            at + 1
        }
    };
    let mut ours = vec![at];
    let entry = env
        .get(options)
        .and_then(Value::as_object)
        .ok_or_else(|| format!("no options variable after {OPTS_VAR}"))?;
    let name = entry
        .field("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let value = entry.field("value").and_then(Value::as_str);
    // An entry we appended has a name and a value only (the user's own may have more).
    let plain = entry
        .iter()
        .all(|(k, v)| ["name", "value"].contains(&k.as_str()) || v.is_null());
    let original = format!("{ORIGINAL_PREFIX}{name}");
    let moved = at
        .checked_sub(1)
        .and_then(|i| Some((i, only(&env[i], &["name", "valueFrom"])?)))
        .filter(|(_, e)| e.field("name").and_then(Value::as_str) == Some(original.as_str()))
        .filter(|_| value == Some(format!("{} {opts}", reference(&original)).as_str()));
    // The image's own value, kept in front in a variable of ours (a literal), before an
    // options entry we appended.
    let kept = at
        .checked_sub(1)
        .and_then(|i| Some((i, only(&env[i], &["name", "value"])?)))
        .filter(|(_, e)| e.field("name").and_then(Value::as_str) == Some(original.as_str()))
        .filter(|(_, e)| e.field("value").is_some_and(Value::is_string))
        .filter(|_| plain && value == Some(format!("{} {opts}", reference(&original)).as_str()));
    // The downward-API variables: right before ours (and the original), as the wiring
    // puts them, and only those our flags use; one of those names anywhere else is the
    // user's, and one among ours that our flags do not use is in the way.
    let mut before = match (moved, kept) {
        (Some((i, _)), _) | (_, Some((i, _))) => i,
        _ => at,
    };
    for (var, field) in [
        (POD_IP_VAR, "status.podIP"),
        (POD_NAME_VAR, "metadata.name"),
    ] {
        if let Some(i) = before
            .checked_sub(1)
            .filter(|&i| name_of(&env[i]) == Some(var))
        {
            if !flags.is_some_and(|f| refers_to(f, var)) {
                return Err(format!(
                    "a {var} the flags in {OPTS_VAR} do not use sits among its variables; it is not one this tool adds"
                ));
            }
            if !is_field_ref(&env[i], field) {
                return Err(format!(
                    "its {var} is not the one this tool adds (fieldRef {field})"
                ));
            }
            ours.push(i);
            before = i;
        }
    }
    if let (None, Some((i, _))) = (own, kept) {
        ours.push(i);
        return Ok((ours, options, Restore::Remove));
    }
    let wrong = || format!("its {name} does not end in {opts} as this tool left it");
    let restore = match (own, moved) {
        (Some(own), _) if own.is_reference() && value.is_some_and(|v| refers_to(v, OPTS_VAR)) => {
            Restore::Keep
        }
        (own, Some((i, e))) => {
            ours.push(i);
            let from = e.field("valueFrom").cloned().unwrap_or(Value::Null);
            let beside = match own {
                None => None,
                Some(OwnEntry::Empty) => Some(Value::String(String::new())),
                Some(OwnEntry::Null) => Some(Value::Null),
                Some(_) => return Err(wrong()),
            };
            Restore::ValueFrom(from, beside)
        }
        (Some(own), None) if value == Some(opts.as_str()) => match own {
            OwnEntry::Empty => Restore::Empty,
            OwnEntry::Unset => Restore::Unset,
            OwnEntry::Null => Restore::Null,
            OwnEntry::UserReference | OwnEntry::HeldReference => return Err(wrong()),
        },
        (None, None) if plain && value == Some(opts.as_str()) => Restore::Remove,
        (None, None) if value.is_some_and(|v| v.ends_with(&format!(" {opts}"))) => {
            let v = value.unwrap_or_default();
            Restore::Value(v[..v.len() - opts.len() - 1].to_string())
        }
        _ => return Err(wrong()),
    };
    Ok((ours, options, restore))
}

/// `{name, valueFrom: {fieldRef: {fieldPath}}}` (the API server adds `apiVersion: v1`).
fn is_field_ref(entry: &Value, field_path: &str) -> bool {
    let Some(from) = only(entry, &["name", "valueFrom"]).and_then(|e| e.field("valueFrom")) else {
        return false;
    };
    let Some(field_ref) = only(from, &["fieldRef"]).and_then(|f| f.field("fieldRef")) else {
        return false;
    };
    only(field_ref, &["fieldPath", "apiVersion"]).is_some_and(|r| {
        r.field("fieldPath").and_then(Value::as_str) == Some(field_path)
            && r.field("apiVersion").is_none_or(|v| v == "v1")
    })
}
