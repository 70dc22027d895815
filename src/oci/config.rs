//! The `config` object of an OCI image config (opencontainers/image-spec `config.md`:
//! `User`, `Env`, `Entrypoint`, `Cmd`, `WorkingDir`, `Labels`), read from a generic
//! value so that what `crane config IMAGE` or `docker inspect` prints can be pasted in:
//! fields we do not use (`ExposedPorts`, `Volumes`, docker's `Hostname`…) are ignored,
//! and `null` stands for absent. The whole image config (`crane config` prints it) or a
//! whole `docker inspect` element is read through its `config` (`Config`) object.

use serde_json::Value;
use std::collections::BTreeMap;

/// The parts of an image's `config` object that decide how its process starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// `User`: `name`, `uid`, `name:group` or `uid:gid`; empty when unset.
    pub user: String,
    /// `Env`, as `NAME=value` strings in order.
    pub env: Vec<String>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub working_dir: String,
    pub labels: BTreeMap<String, String>,
}

/// A field of the config object that does not have the shape the image spec gives it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ConfigShapeError {
    /// The field's name as the image spec writes it (`Env`, `Env[2]`).
    pub field: String,
    pub problem: String,
}

fn shape(field: impl Into<String>, problem: impl Into<String>) -> ConfigShapeError {
    ConfigShapeError {
        field: field.into(),
        problem: problem.into(),
    }
}

fn string(value: Value, field: &str) -> Result<String, ConfigShapeError> {
    match value {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s),
        _ => Err(shape(field, "expected a string")),
    }
}

fn strings(value: Value, field: &str) -> Result<Vec<String>, ConfigShapeError> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s),
                _ => Err(shape(format!("{field}[{i}]"), "expected a string")),
            })
            .collect(),
        _ => Err(shape(field, "expected a list of strings (or null)")),
    }
}

fn labels(value: Value) -> Result<BTreeMap<String, String>, ConfigShapeError> {
    match value {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(labels) => labels
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                _ => Err(shape(format!("Labels.{k}"), "expected a string")),
            })
            .collect(),
        _ => Err(shape("Labels", "expected a map of strings (or null)")),
    }
}

impl ImageConfig {
    /// Read the `config` object (an object; `null` is an image with nothing set).
    pub fn from_value(config: &Value) -> Result<ImageConfig, ConfigShapeError> {
        ImageConfig::from_owned(config.clone())
    }

    /// [`ImageConfig::from_value`], taking the value (its strings are moved, not copied).
    pub fn from_owned(config: Value) -> Result<ImageConfig, ConfigShapeError> {
        let map = match config {
            Value::Null => return Ok(ImageConfig::default()),
            Value::Object(map) => map,
            _ => return Err(shape("config", "expected an object")),
        };
        // One pass over the fields (what else `crane config` or `docker inspect` prints is
        // dropped); a map holds each key once.
        let mut config = ImageConfig::default();
        let (mut own, mut nested) = (false, None);
        for (key, value) in map {
            own |= matches!(
                key.as_str(),
                "User" | "Env" | "Entrypoint" | "Cmd" | "WorkingDir" | "Labels"
            );
            match key.as_str() {
                "User" => config.user = string(value, "User")?,
                "Env" => config.env = strings(value, "Env")?,
                "Entrypoint" => config.entrypoint = strings(value, "Entrypoint")?,
                "Cmd" => config.cmd = strings(value, "Cmd")?,
                "WorkingDir" => config.working_dir = string(value, "WorkingDir")?,
                "Labels" => config.labels = labels(value)?,
                // The whole of `crane config IMAGE` (the image config, whose `config` is
                // the object) or of one `docker inspect IMAGE` element (`Config`).
                "config" | "Config" if value.is_object() => nested = Some((key, value)),
                _ => {}
            }
        }
        if let Some((key, value)) = nested {
            if own {
                return Err(shape(
                    key,
                    "an object inside the config object, which has fields of its own: paste either the image config's `config` object or the whole image config, not both",
                ));
            }
            return ImageConfig::from_owned(value)
                .map_err(|e| shape(format!("{key}.{}", e.field), e.problem));
        }
        if let Some((i, _)) = config
            .env
            .iter()
            .enumerate()
            .find(|(_, e)| !e.contains('='))
        {
            return Err(shape(format!("Env[{i}]"), "expected NAME=value"));
        }
        Ok(config)
    }

    /// The value the image gives variable `name` (the last definition wins, as in a
    /// container's environment).
    pub fn env(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find_map(|e| e.strip_prefix(name)?.strip_prefix('='))
    }

    /// Every variable the image sets, by name (the last definition of each).
    pub fn env_vars(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut seen = std::collections::HashSet::new();
        let mut last: Vec<(&str, &str)> = (self.env.iter().rev())
            .filter_map(|e| e.split_once('='))
            .filter(|(name, _)| seen.insert(*name))
            .collect();
        last.reverse();
        last.into_iter()
    }

    /// The numeric user and group the process runs as, when `User` gives numbers:
    /// `1000` → `(1000, None)`, `1000:3000` → `(1000, Some(3000))`. A name needs the
    /// image's `/etc/passwd`, which a config does not carry: `None`.
    pub fn numeric_user(&self) -> Option<(i64, Option<i64>)> {
        let (user, group) = match self.user.split_once(':') {
            Some((u, g)) => (u, Some(g)),
            None => (self.user.as_str(), None),
        };
        let number = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
        };
        let uid = number(user)?;
        let gid = match group {
            Some(g) => Some(number(g)?),
            None => None,
        };
        Some((uid, gid))
    }

    /// The command a container of this image runs, as the kubelet builds it: the
    /// container's `command` replaces `Entrypoint` (and then the image's `Cmd` is
    /// dropped), its `args` replace `Cmd`.
    pub fn effective_command(&self, command: &[String], args: &[String]) -> Vec<String> {
        let entrypoint = if command.is_empty() {
            &self.entrypoint
        } else {
            command
        };
        let arguments = if !args.is_empty() {
            args
        } else if command.is_empty() {
            &self.cmd
        } else {
            &[][..]
        };
        entrypoint.iter().chain(arguments).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn crane_config_and_docker_inspect_objects_are_read() {
        // `docker inspect` adds fields of its own and writes null for unset lists.
        let docker = json!({
            "Hostname": "", "AttachStdin": false, "User": "1000", "Tty": false,
            "Env": ["PATH=/usr/bin", "JAVA_HOME=/opt/java/openjdk", "JAVA_VERSION=jdk-17.0.13+11"],
            "Cmd": null, "Entrypoint": ["java", "-jar", "/app/orders.jar"],
            "WorkingDir": "/app", "Labels": null, "OnBuild": null
        });
        let config = ImageConfig::from_value(&docker).unwrap();
        assert_eq!(config.env("JAVA_VERSION"), Some("jdk-17.0.13+11"));
        assert_eq!(config.env("JAVA"), None);
        assert_eq!(config.numeric_user(), Some((1000, None)));
        assert!(config.cmd.is_empty() && config.labels.is_empty());
        assert_eq!(
            ImageConfig::from_value(&Value::Null).unwrap(),
            ImageConfig::default()
        );
    }

    /// The whole of `crane config` (an OCI image config) or of a `docker inspect` element
    /// is read through its `config` (`Config`) object; mixing both shapes is an error.
    #[test]
    fn a_whole_image_config_or_inspect_element_is_read_through_its_config() {
        let crane = json!({
            "architecture": "amd64", "os": "linux",
            "config": {"User": "1000", "Env": ["NODE_VERSION=20.1.0"], "Cmd": ["node", "server.js"]},
            "rootfs": {"type": "layers", "diff_ids": []}
        });
        let config = ImageConfig::from_value(&crane).unwrap();
        assert_eq!(config.env("NODE_VERSION"), Some("20.1.0"));
        assert_eq!(config.cmd, ["node", "server.js"]);
        let inspect = json!({"Id": "sha256:1", "Config": {"Entrypoint": ["java", "-jar", "a.jar"]}, "Os": "linux"});
        assert_eq!(
            ImageConfig::from_value(&inspect).unwrap().entrypoint[0],
            "java"
        );
        let wrong = json!({"config": {"Env": ["A=1", "B"]}});
        assert_eq!(
            ImageConfig::from_value(&wrong).unwrap_err().field,
            "config.Env[1]"
        );
        let both = json!({"Env": ["A=1"], "config": {"Env": ["B=2"]}});
        assert_eq!(ImageConfig::from_value(&both).unwrap_err().field, "config");
    }

    /// A variable defined twice is the later definition, as in a container's environment.
    #[test]
    fn every_variable_is_its_last_definition() {
        let config = ImageConfig::from_value(&json!({
            "Env": ["JAVA_TOOL_OPTIONS=-javaagent:/otel.jar", "A=1", "JAVA_TOOL_OPTIONS="]
        }))
        .unwrap();
        let vars: Vec<_> = config.env_vars().collect();
        assert_eq!(vars, [("A", "1"), ("JAVA_TOOL_OPTIONS", "")]);
    }

    #[test]
    fn wrong_shapes_name_the_field() {
        for (config, field) in [
            (json!({"Env": "A=1"}), "Env"),
            (json!({"Env": ["A=1", 2]}), "Env[1]"),
            (json!({"Env": ["NOVALUE"]}), "Env[0]"),
            (json!({"Entrypoint": [1]}), "Entrypoint[0]"),
            (json!({"Labels": {"a": 1}}), "Labels.a"),
            (json!({"User": 0}), "User"),
            (json!([]), "config"),
        ] {
            let error = ImageConfig::from_value(&config).unwrap_err();
            assert_eq!(error.field, field, "{config}");
        }
    }

    #[test]
    fn users_are_numeric_only_when_both_parts_are() {
        let user = |u: &str| {
            ImageConfig {
                user: u.into(),
                ..Default::default()
            }
            .numeric_user()
        };
        assert_eq!(user("65532:65532"), Some((65532, Some(65532))));
        assert_eq!(user("1001"), Some((1001, None)));
        assert_eq!(user("app"), None);
        assert_eq!(user("1000:app"), None);
        assert_eq!(user(""), None);
        assert_eq!(user("-1"), None);
    }

    #[test]
    fn the_effective_command_follows_the_kubelet() {
        let config = ImageConfig {
            entrypoint: vec!["/entry.sh".into()],
            cmd: vec!["catalina.sh".into(), "run".into()],
            ..Default::default()
        };
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            config.effective_command(&[], &[]),
            v(&["/entry.sh", "catalina.sh", "run"])
        );
        assert_eq!(
            config.effective_command(&[], &v(&["x"])),
            v(&["/entry.sh", "x"])
        );
        assert_eq!(config.effective_command(&v(&["java"]), &[]), v(&["java"]));
        assert_eq!(
            config.effective_command(&v(&["java"]), &v(&["-jar", "a.jar"])),
            v(&["java", "-jar", "a.jar"])
        );
    }
}
