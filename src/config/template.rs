//! The `naming.applicationName` template (`{label:app.kubernetes.io/name|name}`): parsed
//! once when the config is validated, filled in for each container by
//! [`crate::decide::naming`].

use serde_json::{Map, Value};

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

/// Hex digits of the hash that keeps shortened names apart.
pub const HASH_LEN: usize = 6;
/// The shortest `maxLength` that leaves room for a prefix, a dash and the hash.
pub const MIN_MAX_LENGTH: usize = HASH_LEN + 2;

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
}
