//! The YAML text of what we insert: block lines at a given indentation, or one line of
//! flow style. Block text comes from [`crate::yaml::to_string`], which quotes every string
//! go-yaml would read as something else; flow text writes a string plain only when that
//! emitter would too, and double-quoted (JSON) otherwise, so both are YAML 1.1-safe.

use crate::yaml::value::{self as yaml, ListStyle};
use serde_json::Value;

/// A value as block YAML lines, every line indented by `col` spaces.
pub fn block(value: &Value, col: usize, style: ListStyle) -> String {
    let rendered = emitted(value, style);
    let pad = " ".repeat(col);
    let padded = rendered
        .split_inclusive('\n')
        .filter(|l| *l != "\n")
        .count();
    let mut out = String::with_capacity(rendered.len() + padded * col);
    for line in rendered.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

/// [`yaml::to_string`], remembered: the same init container, volume and env entries go
/// into every workload of a render, and comparing a value costs a fraction of emitting it.
fn emitted(value: &Value, style: ListStyle) -> String {
    use std::cell::RefCell;
    const KEPT: usize = 32;
    thread_local! {
        static EMITTED: RefCell<Vec<(ListStyle, Value, String)>> = const { RefCell::new(Vec::new()) };
    }
    EMITTED.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some((_, _, text)) = kept
            .iter()
            .find(|(s, v, _)| *s == style && identical(v, value))
        {
            return text.clone();
        }
        let text = yaml::to_string(value, style);
        if kept.len() == KEPT {
            kept.remove(0);
        }
        kept.push((style, value.clone(), text.clone()));
        text
    })
}

/// Equal and written alike: mappings compare in key order (`==` ignores it, and the
/// order is what the emitter writes).
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, v), (l, w))| k == l && identical(v, w))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| identical(v, w))
        }
        _ => a == b,
    }
}

/// The block lines of a non-empty collection that becomes the value of a key at
/// column `key_col` (without the final newline); `None` for a scalar or empty one.
pub fn block_body(value: &Value, key_col: usize, style: ListStyle) -> Option<String> {
    let col = match value {
        Value::Object(o) if !o.is_empty() => key_col + 2,
        Value::Array(a) if !a.is_empty() => match style {
            ListStyle::Compact => key_col,
            ListStyle::Indented => key_col + 2,
        },
        _ => return None,
    };
    Some(block(value, col, style).trim_end_matches('\n').to_string())
}

/// A scalar as the block emitter writes it, when that fits on one line.
pub fn block_scalar(value: &Value) -> Option<String> {
    let rendered = yaml::to_string(value, ListStyle::Compact);
    let line = rendered.strip_suffix('\n')?;
    (!line.contains('\n') && !line.starts_with(['|', '>'])).then(|| line.to_string())
}

/// A string as a flow scalar: plain when it is made of safe characters and the block
/// emitter would write it plain too (so YAML 1.1 reads it as a string), else quoted.
pub fn flow_scalar(s: &str) -> String {
    let safe_char = |c: char| c.is_ascii_alphanumeric() || "._/-$()=;@+~%".contains(c);
    let plain = !s.is_empty()
        && s.chars().all(|c| safe_char(c) || c == ' ')
        && !s.starts_with([' ', '-', '~', '%', '@'])
        && !s.ends_with(' ')
        && block_scalar(&Value::String(s.to_string())).as_deref() == Some(s);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serializes")
    }
}

/// A value in flow style, on one line.
pub fn flow(value: &Value) -> String {
    flow_with(value, &flow_scalar)
}

/// A value as JSON on one line, with a space after each `:` and `,` (valid YAML too).
pub fn flow_json(value: &Value) -> String {
    flow_with(value, &|s| {
        serde_json::to_string(s).expect("a string serializes")
    })
}

/// A value in flow style, its strings (keys too) written by `scalar`.
fn flow_with(value: &Value, scalar: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    flow_into(&mut out, value, scalar);
    out
}

/// [`flow_with`] into `out` (one string for the whole value: a string per node and a
/// `format!` per entry were a sixth of a JSON list's run).
fn flow_into(out: &mut String, value: &Value, scalar: &dyn Fn(&str) -> String) {
    match value {
        Value::String(s) => out.push_str(&scalar(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow_into(out, v, scalar);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&scalar(k));
                out.push_str(": ");
                flow_into(out, v, scalar);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_remembered_value_is_written_in_its_own_key_order() {
        let first = block(&json!({"name": "a", "image": "b"}), 0, ListStyle::Compact);
        let second = block(&json!({"image": "b", "name": "a"}), 0, ListStyle::Compact);
        assert_eq!(first, "name: a\nimage: b\n");
        assert_eq!(second, "image: b\nname: a\n");
        assert_eq!(
            block(&json!({"name": "a", "image": "b"}), 2, ListStyle::Compact),
            "  name: a\n  image: b\n"
        );
    }
}
