//! The YAML text of what we insert: block lines at a given indentation, or one line of
//! flow style. Block text comes from [`crate::yaml::to_string`], which quotes every string
//! go-yaml would read as something else; flow text writes a string plain only when that
//! emitter would too, and double-quoted (JSON) otherwise, so both are YAML 1.1-safe.

use crate::yaml::value::{self as yaml, ListStyle};
use serde_json::Value;

/// A value as block YAML lines, every line indented by `col` spaces. A list is written
/// item by item (the emitter writes each item of a block list on its own, so the text is
/// the same): the items that go into every workload of a render, remembered, are then
/// reused even when one item beside them differs (the options variable names the
/// workload).
pub fn block(value: &Value, col: usize, style: ListStyle) -> String {
    match value {
        Value::Array(items) if items.len() > 1 => {
            let out: String = items.iter().map(|i| block_item(i, col, style)).collect();
            #[cfg(debug_assertions)]
            assert_eq!(out, whole(value, col, style), "a list written item by item");
            out
        }
        _ => remembered(Shape::Block { style, col }, "", value, || {
            whole(value, col, style)
        }),
    }
}

/// `value` as the block lines of a list of that one item, at column `col`.
pub fn block_item(value: &Value, col: usize, style: ListStyle) -> String {
    remembered(Shape::Item { style, col }, "", value, || {
        whole(&Value::Array(vec![value.clone()]), col, style)
    })
}

/// The mapping `{key: value}` as block lines at column `col`: [`block`] of that mapping,
/// without building it. A list of several items is written as its key's line, then
/// item by item.
pub fn block_entry(key: &str, value: &Value, col: usize, style: ListStyle) -> String {
    let one = || {
        let mut one = serde_json::Map::new();
        one.insert(key.to_string(), value.clone());
        Value::Object(one)
    };
    let Value::Array(items) = value else {
        return remembered(Shape::Entry { style, col }, key, value, || {
            whole(&one(), col, style)
        });
    };
    if items.len() < 2 {
        return remembered(Shape::Entry { style, col }, key, value, || {
            whole(&one(), col, style)
        });
    }
    // The key's line as the emitter writes it before a list.
    let head = remembered(Shape::Head { style, col }, key, &Value::Null, || {
        let mut one = serde_json::Map::new();
        one.insert(key.to_string(), Value::Array(vec![Value::Null]));
        let text = whole(&Value::Object(one), col, style);
        text.split_inclusive('\n')
            .next()
            .unwrap_or_default()
            .to_string()
    });
    let items_col = match style {
        ListStyle::Compact => col,
        ListStyle::Indented => col + 2,
    };
    let out = head + &block(value, items_col, style);
    #[cfg(debug_assertions)]
    assert_eq!(
        out,
        whole(&one(), col, style),
        "an entry written item by item"
    );
    out
}

/// `value` emitted, every line indented by `col` spaces.
fn whole(value: &Value, col: usize, style: ListStyle) -> String {
    padded(&yaml::to_string(value, style), col)
}

/// `rendered`, every line but a blank one indented by `col` spaces.
fn padded(rendered: &str, col: usize) -> String {
    let pad = " ".repeat(col);
    let lines = rendered
        .split_inclusive('\n')
        .filter(|l| *l != "\n")
        .count();
    let mut out = String::with_capacity(rendered.len() + lines * col);
    for line in rendered.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

/// How a remembered text was written from its key and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    /// [`block`]: block lines at a column.
    Block { style: ListStyle, col: usize },
    /// [`block_item`].
    Item { style: ListStyle, col: usize },
    /// [`block_entry`].
    Entry { style: ListStyle, col: usize },
    /// The line of a key whose value is a block list.
    Head { style: ListStyle, col: usize },
    /// [`flow_json`].
    Json,
}

/// The text of `value` written as `shape`, remembered: the same init container, volume,
/// mounts and env entries go into every workload of a render, and finding a value again
/// (by a hash of it, then one comparison) costs a fraction of writing it. The texts
/// written last and found last are kept; the rest are forgotten.
fn remembered(shape: Shape, key: &str, value: &Value, write: impl FnOnce() -> String) -> String {
    use std::cell::RefCell;
    const KEPT: usize = 32;
    type Kept = Vec<(u64, Shape, String, Value, String)>;
    thread_local! {
        static KEPT_TEXTS: RefCell<Kept> = const { RefCell::new(Vec::new()) };
    }
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut hasher = Quick(0);
        (shape, key).hash(&mut hasher);
        hash_value(value, &mut hasher);
        hasher.finish()
    };
    let found = KEPT_TEXTS.with(|kept| {
        let mut kept = kept.borrow_mut();
        let at = kept.iter().position(|(h, s, k, v, _)| {
            *h == hash && *s == shape && k == key && identical(v, value)
        })?;
        // Found again: kept as if just written.
        let entry = kept.remove(at);
        let text = entry.4.clone();
        kept.push(entry);
        Some(text)
    });
    if let Some(text) = found {
        return text;
    }
    let text = write();
    KEPT_TEXTS.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() == KEPT {
            kept.remove(0);
        }
        kept.push((hash, shape, key.to_string(), value.clone(), text.clone()));
    });
    text
}

/// A quick hash to find a value again (FxHash's mixing, a word at a time): the list it
/// searches holds a few texts, and a collision costs one comparison, never an answer.
struct Quick(u64);

impl Quick {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for Quick {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Hash a value as [`identical`] compares it (mappings in key order).
fn hash_value(value: &Value, hasher: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    match value {
        Value::Null => hasher.write_u8(0),
        Value::Bool(b) => (1u8, b).hash(hasher),
        Value::Number(n) => (2u8, n).hash(hasher),
        Value::String(s) => (3u8, s).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            items.iter().for_each(|v| hash_value(v, hasher));
        }
        Value::Object(map) => {
            (5u8, map.len()).hash(hasher);
            for (k, v) in map {
                k.hash(hasher);
                hash_value(v, hasher);
            }
        }
    }
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
    let mut out = String::new();
    flow_into(&mut out, value, false);
    out
}

/// A value as JSON on one line, with a space after each `:` and `,` (valid YAML too);
/// remembered as [`block`]'s texts are.
pub fn flow_json(value: &Value) -> String {
    remembered(Shape::Json, "", value, || {
        let mut out = String::new();
        flow_into(&mut out, value, true);
        out
    })
}

/// A value in flow style, its strings (keys too) written as JSON when `json`, else by
/// [`flow_scalar`], onto `out`.
fn flow_into(out: &mut String, value: &Value, json: bool) {
    let scalar = |out: &mut String, s: &str| match json {
        true => json_string(out, s),
        false => out.push_str(&flow_scalar(s)),
    };
    match value {
        Value::String(s) => scalar(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow_into(out, item, json);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                scalar(out, k);
                out.push_str(": ");
                flow_into(out, v, json);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A string as JSON writes it (what `serde_json::to_string` gives), onto `out`.
fn json_string(out: &mut String, s: &str) {
    let plain = |c: char| c >= ' ' && c != '"' && c != '\\';
    if s.chars().all(plain) {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).expect("a string serializes"));
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
