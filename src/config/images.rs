//! `spec.images` (or the ConfigMap key `images`): site rules for images the tool cannot
//! read, matched by repository (`registry.example.com/shop/*`), each saying the runtime,
//! the options variable or the category of the images it matches. They rank above what
//! an image's config and its manifest show, below our annotations.

use crate::knowledge::images::{Role, Runtime};
use crate::oci::Reference;
use serde::Deserialize;
use serde_json::{Value, json};

/// One entry of `spec.images`, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageRuleSpec {
    /// A repository pattern: `*` stands for any characters but `/`, `**` for any.
    #[serde(rename = "match")]
    pub pattern: String,
    #[serde(default)]
    pub runtime: Option<String>,
    #[serde(default)]
    pub options_env: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRule {
    /// The pattern as written, for messages.
    pub text: String,
    /// The pattern on the canonical repository (`docker.io/library/nginx`).
    pattern: String,
    pub runtime: Option<Runtime>,
    pub options_env: Option<String>,
    pub category: Option<Role>,
    /// Its index in `spec.images`, for the evidence.
    pub index: usize,
}

impl ImageRule {
    /// True when the rule matches a container's `image:` (its repository, as Kubernetes
    /// normalises it; tag and digest are not looked at).
    pub fn matches(&self, image: &Reference) -> bool {
        self.matches_repository(&repository_of(image))
    }

    /// [`ImageRule::matches`] on `registry/repository`, made once for every rule.
    fn matches_repository(&self, repository: &str) -> bool {
        glob(&self.pattern, repository)
    }
}

fn repository_of(image: &Reference) -> String {
    format!("{}/{}", image.registry, image.repository)
}

/// The first rule that matches `image`, if `image` parses.
pub fn rule_for<'r>(rules: &'r [ImageRule], image: &str) -> Option<&'r ImageRule> {
    if rules.is_empty() {
        return None;
    }
    let repository = repository_of(&Reference::parse(image).ok()?);
    rules.iter().find(|r| r.matches_repository(&repository))
}

/// `*` matches any run of characters but `/`; `**` any run at all. First what any match
/// needs (the text starts and ends with the pattern's outer literals, and holds its
/// inner ones in order: a substring search each, where most rules of a long list fail),
/// then an NFA over the pattern's positions, so the cost is at most the pattern's length
/// times the text's, whatever the stars.
fn glob(pattern: &str, text: &str) -> bool {
    let literals: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (literals[0], literals[literals.len() - 1]);
    if !text.starts_with(first)
        || !text.ends_with(last)
        || (literals.len() == 1 && text.len() != first.len())
    {
        return false;
    }
    let mut at = first.len();
    for literal in &literals[1..] {
        match text[at.min(text.len())..].find(literal) {
            Some(i) => at += i + literal.len(),
            None => return false,
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Token {
        Byte(u8),
        Star,
        Stars,
    }
    let mut tokens = Vec::with_capacity(pattern.len());
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'*' {
            let double = bytes.get(i + 1) == Some(&b'*');
            tokens.push(if double { Token::Stars } else { Token::Star });
            i += 1 + usize::from(double);
        } else {
            tokens.push(Token::Byte(bytes[i]));
            i += 1;
        }
    }
    // `states[k]`: the first k tokens match the text read so far.
    let close = |states: &mut [bool]| {
        for k in 0..tokens.len() {
            if states[k] && matches!(tokens[k], Token::Star | Token::Stars) {
                states[k + 1] = true;
            }
        }
    };
    let mut states = vec![false; tokens.len() + 1];
    let mut next = states.clone();
    states[0] = true;
    close(&mut states);
    for &b in text.as_bytes() {
        next.fill(false);
        let mut alive = false;
        for k in 0..tokens.len() {
            if !states[k] {
                continue;
            }
            match tokens[k] {
                Token::Byte(p) if p == b => next[k + 1] = true,
                Token::Star if b != b'/' => next[k] = true,
                Token::Stars => next[k] = true,
                _ => continue,
            }
            alive = true;
        }
        if !alive {
            return false;
        }
        close(&mut next);
        std::mem::swap(&mut states, &mut next);
    }
    states[tokens.len()]
}

/// The pattern on canonical repositories: a pattern without a registry is Docker Hub's,
/// and a one-segment one is in `library/`, as for references. A first segment with a
/// star (`*/shop/*`) stands for any registry.
fn canonical_pattern(pattern: &str) -> String {
    let (first, rest) = pattern.split_once('/').unwrap_or((pattern, ""));
    let is_registry = first.contains(['.', ':'])
        || first == "localhost"
        || (first.contains('*') && !rest.is_empty());
    match (is_registry, rest.is_empty()) {
        (true, _) => pattern.to_string(),
        (false, true) => format!("docker.io/library/{pattern}"),
        (false, false) => format!("docker.io/{pattern}"),
    }
}

/// Check `spec.images`. `is_env_name` is the config's own rule for a variable name.
pub fn validate(
    specs: &[ImageRuleSpec],
    is_env_name: impl Fn(&str) -> bool,
) -> Result<Vec<ImageRule>, String> {
    specs
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            let at = |field: &str| format!("spec.images[{index}].{field}");
            let pattern = spec.pattern.trim();
            let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/:*".contains(c);
            if pattern.is_empty()
                || pattern.len() > 255
                || !pattern.chars().all(allowed)
                || pattern.contains("***")
            {
                return Err(format!(
                    "{}: {pattern:?} is not a repository pattern (lowercase registry/path, with * for any characters but / and ** for any)",
                    at("match")
                ));
            }
            if pattern.rsplit('/').next().is_some_and(|last| last.contains(':')) {
                return Err(format!(
                    "{}: {pattern:?} names a tag; a rule matches repositories (drop the :tag)",
                    at("match")
                ));
            }
            let runtime = match spec.runtime.as_deref() {
                None => None,
                Some(r @ ("java" | "not-java")) => Runtime::from_name(r),
                Some(other) => return Err(format!("{}: {other:?} is not java or not-java", at("runtime"))),
            };
            let category = match spec.category.as_deref() {
                None => None,
                Some(c) => Some(
                    [Role::Application, Role::DataServer, Role::Tooling, Role::Sidecar]
                        .into_iter()
                        .find(|r| r.name() == c)
                        .ok_or_else(|| {
                            format!(
                                "{}: {c:?} is not application, data-server, tooling or sidecar",
                                at("category")
                            )
                        })?,
                ),
            };
            if let Some(name) = &spec.options_env
                && (!is_env_name(name) || name.starts_with("PINPOINT_"))
            {
                return Err(format!(
                    "{}: {name:?} is not an environment variable name this tool may set",
                    at("optionsEnv")
                ));
            }
            if runtime.is_none() && category.is_none() && spec.options_env.is_none() {
                return Err(format!(
                    "spec.images[{index}]: the rule for {pattern:?} says nothing; give runtime, optionsEnv or category"
                ));
            }
            Ok(ImageRule {
                text: pattern.to_string(),
                pattern: canonical_pattern(pattern),
                runtime,
                options_env: spec.options_env.clone(),
                category,
                index,
            })
        })
        .collect()
}

/// Parse the ConfigMap form: one rule per line, `PATTERN key=value …` with the keys
/// `runtime`, `optionsEnv` and `category`.
pub fn parse_flat(text: &str) -> Result<Value, String> {
    let mut rules = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut words = line.split_whitespace();
        let pattern = words.next().expect("the line is not empty");
        let mut rule = json!({"match": pattern});
        for word in words {
            match word.split_once('=') {
                Some((key @ ("runtime" | "optionsEnv" | "category"), value)) => {
                    rule[key] = Value::String(value.to_string())
                }
                _ => {
                    return Err(format!(
                        "expected `PATTERN runtime=… optionsEnv=… category=…` on each line, found {word:?} in {line:?}"
                    ));
                }
            }
        }
        rules.push(rule);
    }
    Ok(Value::Array(rules))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `*` and `**` by their definition, by backtracking: what [`glob`] must agree with.
    fn by_definition(pattern: &[u8], text: &[u8]) -> bool {
        match pattern {
            [] => text.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=text.len()).any(|n| by_definition(rest, &text[n..])),
            [b'*', rest @ ..] => (0..=text.len())
                .take_while(|&n| !text[..n].contains(&b'/'))
                .any(|n| by_definition(rest, &text[n..])),
            [p, rest @ ..] => text.first() == Some(p) && by_definition(rest, &text[1..]),
        }
    }

    /// Every string of up to `n` characters of `alphabet`.
    fn strings(alphabet: &[u8], n: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..n {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |&c| format!("{s}{}", c as char)))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn glob_agrees_with_the_definition_of_its_stars() {
        let texts = strings(b"ab/", 5);
        for pattern in strings(b"a/*", 5) {
            for text in &texts {
                assert_eq!(
                    glob(&pattern, text),
                    by_definition(pattern.as_bytes(), text.as_bytes()),
                    "{pattern:?} on {text:?}"
                );
            }
        }
    }

    fn rule(pattern: &str) -> ImageRule {
        let spec = ImageRuleSpec {
            pattern: pattern.into(),
            runtime: Some("java".into()),
            options_env: None,
            category: None,
        };
        validate(&[spec], |_| true).unwrap().remove(0)
    }

    #[test]
    fn patterns_match_repositories_as_kubernetes_names_them() {
        let matches =
            |pattern: &str, image: &str| rule(pattern).matches(&Reference::parse(image).unwrap());
        assert!(matches(
            "registry.example.com/shop/*",
            "registry.example.com/shop/orders:1.4.2"
        ));
        assert!(!matches(
            "registry.example.com/shop/*",
            "registry.example.com/shop/team/orders:1"
        ));
        assert!(matches(
            "registry.example.com/shop/**",
            "registry.example.com/shop/team/orders:1"
        ));
        assert!(matches(
            "registry.example.com/*/orders",
            "registry.example.com/shop/orders:2"
        ));
        assert!(matches("nginx", "docker.io/library/nginx:1.27"));
        assert!(matches("bitnami/*", "bitnami/postgresql:17"));
        assert!(!matches(
            "bitnami/*",
            "registry.example.com/bitnami/postgresql:17"
        ));
        assert!(matches("*/shop/*", "registry.example.com/shop/web"));
        assert!(!matches("shop-*", "docker.io/library/other"));
        assert!(matches("shop-*", "shop-web:1"));
        // Many stars against a long name: an NFA, not backtracking.
        let long = format!("registry.example.com/{}", "a".repeat(200));
        assert!(!matches("registry.example.com/**a**a**a**a**a**b", &long));
    }

    #[test]
    fn rules_are_checked_with_the_field_named() {
        let spec = |pattern: &str, runtime: Option<&str>, category: Option<&str>| ImageRuleSpec {
            pattern: pattern.into(),
            runtime: runtime.map(String::from),
            options_env: None,
            category: category.map(String::from),
        };
        for (spec, expected) in [
            (spec("Shop/*", Some("java"), None), "spec.images[0].match"),
            (spec("shop/web:1", Some("java"), None), "names a tag"),
            (
                spec("shop/*", Some("python"), None),
                "spec.images[0].runtime",
            ),
            (spec("shop/*", None, Some("db")), "spec.images[0].category"),
            (spec("shop/*", None, None), "says nothing"),
        ] {
            let error = validate(&[spec], |_| true).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn the_flat_form_has_one_rule_per_line() {
        let rules = parse_flat("registry.example.com/shop/* runtime=java optionsEnv=JAVA_OPTS\n\nnginx category=sidecar\n").unwrap();
        assert_eq!(
            rules,
            json!([
                {"match": "registry.example.com/shop/*", "runtime": "java", "optionsEnv": "JAVA_OPTS"},
                {"match": "nginx", "category": "sidecar"}
            ])
        );
        assert!(
            parse_flat("shop/* lang=java")
                .unwrap_err()
                .contains("lang=java")
        );
    }
}
