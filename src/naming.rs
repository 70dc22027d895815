//! Pinpoint application names: a template over the workload (`{label:app|name}`),
//! made valid for Pinpoint by construction (`[a-zA-Z0-9._-]`, bounded length), and the
//! order in which one container's name is resolved (our annotation, other APMs' keys,
//! the Job template, the template).

use crate::config::Settings;
use crate::production::Keys;
use crate::targets::APPLICATION_NAME_ANNOTATION;
use crate::workload::WorkloadKind;
use serde_json::{Map, Value};
use std::fmt;

/// Where one piece of a name comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Name,
    Namespace,
    Kind,
    Container,
    Label(String),
    Annotation(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    /// `{a|b|c}`: the first source that gives a non-empty value.
    Choice(Vec<Source>),
}

/// A parsed `naming.applicationName` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

/// A template that cannot be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid applicationName template {template:?}: {reason}")]
pub struct TemplateError {
    pub template: String,
    pub reason: String,
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let fail = |reason: String| TemplateError {
            template: text.to_string(),
            reason,
        };
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                None => {
                    parts.push(Part::Literal(rest.to_string()));
                    break;
                }
                Some(i) if rest.as_bytes()[i] == b'}' => {
                    return Err(fail(format!(
                        "unmatched '}}' at byte {}",
                        text.len() - rest.len() + i
                    )));
                }
                Some(i) => {
                    if i > 0 {
                        parts.push(Part::Literal(rest[..i].to_string()));
                    }
                    let after = &rest[i + 1..];
                    let end = after
                        .find('}')
                        .ok_or_else(|| fail("unclosed '{'".to_string()))?;
                    let inner = &after[..end];
                    if inner.contains('{') {
                        return Err(fail("'{' inside a placeholder".to_string()));
                    }
                    let sources = inner
                        .split('|')
                        .map(|s| parse_source(s.trim()).map_err(&fail))
                        .collect::<Result<Vec<_>, _>>()?;
                    parts.push(Part::Choice(sources));
                    rest = &after[end + 1..];
                }
            }
        }
        if parts.is_empty() {
            return Err(fail("it is empty".to_string()));
        }
        Ok(Template { parts })
    }

    /// True when the template names the container (so names differ per container).
    pub fn uses_container(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, Part::Choice(s) if s.contains(&Source::Container)))
    }

    /// Fill the template in for one container of one workload.
    pub fn render(&self, ctx: &NameContext<'_>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Choice(sources) => {
                    if let Some(value) = sources
                        .iter()
                        .map(|s| ctx.lookup(s))
                        .find(|v| !v.is_empty())
                    {
                        out.push_str(value);
                    }
                }
            }
        }
        out
    }
}

fn parse_source(text: &str) -> Result<Source, String> {
    let source = match text {
        "name" => Source::Name,
        "namespace" => Source::Namespace,
        "kind" => Source::Kind,
        "container" => Source::Container,
        _ => match text.split_once(':') {
            Some(("label", key)) if !key.is_empty() => Source::Label(key.to_string()),
            Some(("annotation", key)) if !key.is_empty() => Source::Annotation(key.to_string()),
            _ => {
                return Err(format!(
                    "unknown placeholder {{{text}}}: use name, namespace, kind, container, label:KEY or annotation:KEY, with | between fallbacks"
                ));
            }
        },
    };
    Ok(source)
}

/// What a template can refer to, for one container of one workload.
pub struct NameContext<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub kind: &'a str,
    pub container: &'a str,
    /// Label and annotation maps, searched in order (workload first, then pod template).
    pub labels: Vec<&'a Map<String, Value>>,
    pub annotations: Vec<&'a Map<String, Value>>,
}

fn find_in<'a>(maps: &[&'a Map<String, Value>], key: &str) -> Option<&'a str> {
    maps.iter().find_map(|m| m.get(key).and_then(Value::as_str))
}

impl NameContext<'_> {
    fn lookup(&self, source: &Source) -> &str {
        let find = find_in;
        match source {
            Source::Name => self.name,
            Source::Namespace => self.namespace,
            Source::Kind => self.kind,
            Source::Container => self.container,
            Source::Label(key) => find(&self.labels, key).unwrap_or_default(),
            Source::Annotation(key) => find(&self.annotations, key).unwrap_or_default(),
        }
    }
}

/// A name made valid for Pinpoint, and what had to be done to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeName {
    pub value: String,
    /// Characters outside `[a-zA-Z0-9._-]` were replaced by `-`.
    pub replaced: bool,
    /// The name was longer than allowed and was shortened to a prefix and a hash.
    pub shortened: bool,
}

impl fmt::Display for SafeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// Hex digits of the hash that keeps shortened names apart.
const HASH_LEN: usize = 6;
/// The shortest `maxLength` that leaves room for a prefix, a dash and the hash.
pub const MIN_MAX_LENGTH: usize = HASH_LEN + 2;

/// Make `raw` a valid Pinpoint id of at most `max_len` characters, deterministically:
/// invalid characters become `-`; a long name keeps a prefix and gains a stable hash
/// of the whole raw name, so two long names with the same prefix stay apart.
pub fn sanitize(raw: &str, max_len: usize) -> SafeName {
    debug_assert!(max_len >= MIN_MAX_LENGTH);
    let mut replaced = false;
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if is_pinpoint_char(c) {
                c
            } else {
                replaced = true;
                '-'
            }
        })
        .collect();
    if cleaned.len() <= max_len {
        return SafeName {
            value: cleaned,
            replaced,
            shortened: false,
        };
    }
    let hash = format!(
        "{:0width$x}",
        fnv1a(raw.as_bytes()) & 0xff_ffff,
        width = HASH_LEN
    );
    let prefix = cleaned[..max_len - HASH_LEN - 1].trim_end_matches(['-', '.', '_']);
    SafeName {
        value: format!("{prefix}-{hash}"),
        replaced,
        shortened: true,
    }
}

/// The characters Pinpoint accepts in an application name or agent id.
pub fn is_pinpoint_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// 64-bit FNV-1a: tiny, stable across platforms and releases (unlike std's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

// ---- Resolving the name of one container ---------------------------------------------

/// The application name of one container and where it came from, in the documented
/// order: our annotation, another APM's keys, the Job template, the template.
pub fn application_name(
    resource: &Value,
    template: &Value,
    workload: WorkloadKind,
    settings: &Settings,
    keys: &Keys,
    container: &str,
) -> Result<(String, String), String> {
    let (template_used, field) = if workload.runs_to_completion() {
        (
            &settings.job_application_name,
            settings.field("naming.jobApplicationName"),
        )
    } else {
        (
            &settings.application_name,
            settings.field("naming.applicationName"),
        )
    };
    let empty = || {
        format!(
            "the application name for container {container:?} is empty; add a fallback to {field} (e.g. {{label:app|name}}) or annotate {APPLICATION_NAME_ANNOTATION}"
        )
    };
    if let Some(name) =
        crate::targets::annotation(resource, Some(template), APPLICATION_NAME_ANNOTATION)
    {
        if name.is_empty() {
            return Err(empty());
        }
        return Ok((
            name.to_string(),
            format!("annotation {APPLICATION_NAME_ANNOTATION}"),
        ));
    }
    if let Some((name, key)) = keys.application_name(container) {
        return Ok((name, key));
    }
    let name = match crate::targets::str_at(resource, &["metadata", "name"]) {
        "" => crate::targets::str_at(resource, &["metadata", "generateName"]).trim_end_matches('-'),
        name => name,
    };
    let raw = template_used.render(&NameContext {
        name,
        namespace: crate::targets::str_at(resource, &["metadata", "namespace"]),
        kind: workload.name(),
        container,
        labels: keys.labels.clone(),
        annotations: keys.annotations.clone(),
    });
    if raw.is_empty() {
        return Err(empty());
    }
    Ok((raw, field))
}

pub fn name_note(raw: &str, safe: &SafeName, max_length: usize) -> Option<String> {
    let what = match (safe.replaced, safe.shortened) {
        (false, false) => return None,
        (true, true) => {
            format!("has characters Pinpoint does not accept and is longer than {max_length}")
        }
        (true, false) => {
            "has characters Pinpoint does not accept ([a-zA-Z0-9._-] only)".to_string()
        }
        _ => format!("is longer than {max_length} characters"),
    };
    Some(format!(
        "application name {raw:?} {what}; using {:?}",
        safe.value
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx<'a>(
        labels: &'a Map<String, Value>,
        annotations: &'a Map<String, Value>,
    ) -> NameContext<'a> {
        NameContext {
            name: "web",
            namespace: "shop",
            kind: "Deployment",
            container: "app",
            labels: vec![labels],
            annotations: vec![annotations],
        }
    }

    #[test]
    fn fallbacks_take_the_first_non_empty_source() {
        let labels = json!({"app": "cart"}).as_object().unwrap().clone();
        let none = Map::new();
        let t = Template::parse("{label:app.kubernetes.io/name|label:app|name}").unwrap();
        assert_eq!(t.render(&ctx(&labels, &none)), "cart");
        assert_eq!(t.render(&ctx(&none, &none)), "web");
        let t = Template::parse("{namespace}-{name}.{container}").unwrap();
        assert_eq!(t.render(&ctx(&none, &none)), "shop-web.app");
        assert!(t.uses_container());
    }

    #[test]
    fn bad_templates_are_rejected_with_the_reason() {
        for (template, reason) in [
            ("{nme}", "unknown placeholder {nme}"),
            ("{name", "unclosed '{'"),
            ("name}", "unmatched '}'"),
            ("", "it is empty"),
            ("{label:}", "unknown placeholder"),
        ] {
            let err = Template::parse(template).unwrap_err();
            assert!(err.reason.contains(reason), "{template}: {}", err.reason);
        }
    }

    #[test]
    fn invalid_characters_are_replaced() {
        let s = sanitize("my app/v2 -Dx=y", 24);
        assert_eq!(s.value, "my-app-v2--Dx-y");
        assert!(s.replaced && !s.shortened);
    }

    #[test]
    fn long_names_get_a_stable_prefix_and_hash() {
        let a = sanitize("payment-service-production-eu-west", 24);
        let b = sanitize("payment-service-production-us-east", 24);
        assert_eq!(a.value.len(), 24);
        assert!(a.value.starts_with("payment-service-"));
        assert_ne!(a.value, b.value);
        assert_eq!(a, sanitize("payment-service-production-eu-west", 24));
        assert!(a.shortened);
    }
}
