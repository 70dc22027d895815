//! The marker annotation: what a run added to a pod template, so a later run can find it
//! and take it out. Its names are only where to look: [`crate::wire::recognise`] checks
//! each named thing by its content before anything is removed.
//!
//! `containers=app,worker;volume=pinpoint-agent;initContainer=pinpoint-agent-init` for the
//! copy step, `containers=app;volume=pinpoint-agent;delivery=imageVolume;logVolume=pinpoint-agent-logs`
//! for an image volume; then, per container whose options variable was the user's own
//! entry and is not simply extended: `ownOptions` (it had `value: ""`), `unsetOptions`
//! (no value), `nullOptions` (`value: null`), `userReference` (its value already held
//! `$(PINPOINT_AGENT_OPTS)`, left as it was). Then `options=app:JAVA_TOOL_OPTIONS,…`: each
//! container's options variable by name, so a later run finds it by its name and never
//! takes another entry that happens to follow ours for it. Last, the lists the wiring added to that
//! were `null` (`nullLists`) or `[]` (`emptyLists`), as `volumes`, `initContainers`,
//! `<container>/env`, `<container>/volumeMounts`, so taking the wiring out gives them back
//! as they were. All are Kubernetes names, so `,` `;` `=` and `/` cannot occur in them.
//! Then the pod template's `metadata` and `metadata.annotations` when they were `null`
//! (`nullMaps`) or `{}` (`emptyMaps`) before the marker went in: taking it out leaves
//! them so, where without the record a map the marker leaves empty is taken out (the
//! wiring made it).
//! Last, `sum=`: the checksum of what the wiring added ([`crate::wire::sum`]), without
//! which nothing is taken out.

use crate::config::Delivery;
use crate::value::Field;
use serde_json::Value;

/// How an options variable that was the user's own entry is given back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OwnEntry {
    /// `value: ""` (or only spaces): its value was replaced by the reference.
    Empty,
    /// No `value` key.
    Unset,
    /// `value: null`.
    Null,
    /// Its value already referenced `$(PINPOINT_AGENT_OPTS)`: not edited.
    UserReference,
    /// As [`OwnEntry::UserReference`], but the reference already resolved when this
    /// wiring was made (the user wrote it while an earlier wiring defined the variable):
    /// taking the wiring out would leave it unexpanded, so that is refused
    /// ([`crate::wire::dangling`]).
    HeldReference,
}

impl OwnEntry {
    /// The user's entry refers to `$(PINPOINT_AGENT_OPTS)` itself and is not edited.
    pub(crate) fn is_reference(self) -> bool {
        matches!(self, OwnEntry::UserReference | OwnEntry::HeldReference)
    }
}

const OWN_KEYS: &[(&str, OwnEntry)] = &[
    ("ownOptions", OwnEntry::Empty),
    ("unsetOptions", OwnEntry::Unset),
    ("nullOptions", OwnEntry::Null),
    ("userReference", OwnEntry::UserReference),
    ("heldReference", OwnEntry::HeldReference),
];

/// What a list the wiring added to was before: `null`, or `[]` (absent is not recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Was {
    Null,
    Empty,
}

const LIST_KEYS: &[(&str, Was)] = &[("nullLists", Was::Null), ("emptyLists", Was::Empty)];

const MAP_KEYS: &[(&str, Was)] = &[("nullMaps", Was::Null), ("emptyMaps", Was::Empty)];

/// The maps the marker goes into, as `MAP_KEYS` name them: the pod template's
/// `metadata`, and its `annotations`.
pub(crate) const MAPS: &[&str] = &["metadata", "annotations"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub containers: Vec<String>,
    pub volume: String,
    pub delivery: Delivery,
    /// The copy step's init container (`initContainer` delivery), or the logs volume
    /// (`imageVolume`).
    pub companion: String,
    /// The containers whose options variable was the user's own entry, and how.
    pub own: Vec<(String, OwnEntry)>,
    /// The lists the wiring added to that were `null` or `[]`, by path.
    pub lists: Vec<(String, Was)>,
    /// The maps the marker went into ([`MAPS`]) that were `null` or `{}`.
    pub maps: Vec<(String, Was)>,
    /// Each container's options variable (`None` in a marker an earlier version wrote).
    pub options: Vec<(String, String)>,
    /// The checksum of what the wiring added ([`crate::wire::sum`]); `None` in a marker
    /// written by hand or by an earlier version, which then removes nothing.
    pub sum: Option<String>,
}

/// How many hex digits of the checksum ([`crate::wire::sum`]) the marker keeps.
pub(crate) const DIGITS: usize = 16;

/// Whether `text` is a checksum as the marker writes it: [`DIGITS`] lowercase hex digits.
fn well_formed(text: &str) -> bool {
    text.len() == DIGITS && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A name the marker can hold as it is (Kubernetes names, and the C identifiers the
/// options variables are): none of its separators, no spaces.
pub(crate) fn fits(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `;key=a,b` for each key of `keys` that has entries, in the order of `keys`.
fn render_groups<T: PartialEq>(text: &mut String, keys: &[(&str, T)], entries: &[(String, T)]) {
    for (key, kind) in keys {
        let listed: Vec<&str> = entries
            .iter()
            .filter(|(_, k)| k == kind)
            .map(|(name, _)| name.as_str())
            .collect();
        if !listed.is_empty() {
            text.push_str(&format!(";{key}={}", listed.join(",")));
        }
    }
}

/// The entries of every key of `keys`; `None` when one name is under two keys.
fn parse_groups<'a, T: Copy>(
    keys: &[(&str, T)],
    get: impl Fn(&str) -> Option<&'a str>,
) -> Option<Vec<(String, T)>> {
    let mut entries: Vec<(String, T)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (key, kind) in keys {
        for name in names(get(key).unwrap_or_default()) {
            if !seen.insert(name.clone()) {
                return None;
            }
            entries.push((name, *kind));
        }
    }
    Some(entries)
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

/// [`names`], `None` when one is written twice (a forged marker: each name is undone
/// once, and undoing one twice would remove what moved into its place).
fn distinct_names(list: &str) -> Option<Vec<String>> {
    let names = names(list);
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .all(|n| seen.insert(n.as_str()))
        .then_some(names)
}

impl Marker {
    /// What each list (`volumes`, `app/env`) was before the wiring, by path.
    pub fn lists_were(&self) -> std::collections::HashMap<&str, Was> {
        self.lists.iter().map(|(p, w)| (p.as_str(), *w)).collect()
    }

    /// What `metadata` or `annotations` ([`MAPS`]) was before the marker went in: `None`
    /// when it was not there (or held more).
    pub fn map_was(&self, map: &str) -> Option<Was> {
        self.maps.iter().find(|(m, _)| m == map).map(|(_, w)| *w)
    }

    /// Each container's options variable, by container (empty for an older marker).
    pub fn options_of(&self) -> std::collections::HashMap<&str, &str> {
        self.options
            .iter()
            .map(|(c, n)| (c.as_str(), n.as_str()))
            .collect()
    }

    /// How each container's own options entry is given back, by container.
    pub fn own_entries(&self) -> std::collections::HashMap<&str, OwnEntry> {
        self.own.iter().map(|(c, k)| (c.as_str(), *k)).collect()
    }

    pub fn render(&self) -> String {
        let mut text = format!(
            "containers={};volume={}",
            self.containers.join(","),
            self.volume
        );
        match self.delivery {
            Delivery::InitContainer => text.push_str(&format!(";initContainer={}", self.companion)),
            Delivery::ImageVolume => text.push_str(&format!(
                ";delivery={};logVolume={}",
                self.delivery.name(),
                self.companion
            )),
        }
        let options: Vec<String> = self
            .options
            .iter()
            .filter(|(c, n)| fits(c) && fits(n))
            .map(|(c, n)| format!("{c}:{n}"))
            .collect();
        if !options.is_empty() {
            text.push_str(&format!(";options={}", options.join(",")));
        }
        render_groups(&mut text, OWN_KEYS, &self.own);
        render_groups(&mut text, LIST_KEYS, &self.lists);
        render_groups(&mut text, MAP_KEYS, &self.maps);
        if let Some(sum) = &self.sum {
            text.push_str(&format!(";sum={sum}"));
        }
        text
    }

    pub fn parse(text: &str) -> Option<Marker> {
        let known = [
            "containers",
            "volume",
            "initContainer",
            "delivery",
            "logVolume",
            "options",
            "sum",
        ];
        // Each key at most once, and only known ones (so at most a dozen fields).
        let mut fields: Vec<(&str, &str)> = Vec::new();
        for part in text.split(';') {
            let (key, value) = part.split_once('=')?;
            let key = key.trim();
            let is_known = known.contains(&key)
                || OWN_KEYS.iter().any(|(o, _)| *o == key)
                || LIST_KEYS.iter().any(|(l, _)| *l == key)
                || MAP_KEYS.iter().any(|(m, _)| *m == key);
            if !is_known || fields.iter().any(|(k, _)| *k == key) {
                return None;
            }
            fields.push((key, value.trim()));
        }
        let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let delivery = match get("delivery") {
            None => Delivery::InitContainer,
            Some(name) => Delivery::from_name(name)?,
        };
        let companion = match delivery {
            Delivery::InitContainer if get("logVolume").is_none() => get("initContainer")?,
            Delivery::ImageVolume if get("initContainer").is_none() => get("logVolume")?,
            _ => return None,
        };
        let volume = get("volume")?;
        if volume.is_empty() || companion.is_empty() {
            return None;
        }
        let own = parse_groups(OWN_KEYS, get)?;
        let lists = parse_groups(LIST_KEYS, get)?;
        let maps = parse_groups(MAP_KEYS, get)?;
        if !maps.iter().all(|(m, _)| MAPS.contains(&m.as_str())) {
            return None;
        }
        let containers = distinct_names(get("containers").unwrap_or_default())?;
        // `container:NAME`, once per container the marker names.
        let mut options: Vec<(String, String)> = Vec::new();
        for pair in names(get("options").unwrap_or_default()) {
            let (c, n) = pair.split_once(':')?;
            let (c, n) = (c.trim(), n.trim());
            if !fits(n) || !containers.iter().any(|x| x == c) || options.iter().any(|(x, _)| x == c)
            {
                return None;
            }
            options.push((c.to_string(), n.to_string()));
        }
        let sum = match get("sum") {
            Some(sum) if well_formed(sum) => Some(sum.to_string()),
            Some(_) => return None,
            None => None,
        };
        Some(Marker {
            containers,
            options,
            sum,
            volume: volume.to_string(),
            delivery,
            companion: companion.to_string(),
            own,
            lists,
            maps,
        })
    }
}

/// What the pod template's `metadata` and its `annotations` are before the marker goes
/// in, when `null` or `{}` (the marker records it, so taking the marker out leaves them
/// as the user wrote them).
pub(crate) fn maps_were(template: &Value) -> Vec<(String, Was)> {
    let was = |value: Option<&Value>| match value {
        Some(Value::Null) => Some(Was::Null),
        Some(Value::Object(map)) if map.is_empty() => Some(Was::Empty),
        _ => None,
    };
    let metadata = template.field("metadata");
    let annotations = metadata.and_then(|m| m.field("annotations"));
    [(MAPS[0], was(metadata)), (MAPS[1], was(annotations))]
        .into_iter()
        .filter_map(|(map, was)| Some((map.to_string(), was?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_render_and_parse_back() {
        for text in [
            "containers=app;volume=pinpoint-agent;initContainer=pinpoint-agent-init",
            "containers=app,w;volume=v;initContainer=i;ownOptions=w;unsetOptions=app",
            "containers=app;volume=v;delivery=imageVolume;logVolume=v-logs;userReference=app",
            "containers=app,w;volume=v;initContainer=i;options=app:JAVA_TOOL_OPTIONS,w:CATALINA_OPTS;ownOptions=w",
            "containers=app;volume=v;initContainer=i;nullLists=initContainers,app/env;emptyLists=volumes",
            "containers=app;volume=v;initContainer=i;options=app:JAVA_OPTS;sum=0123456789abcdef",
            "containers=app;volume=v;initContainer=i;nullMaps=annotations;emptyMaps=metadata",
        ] {
            assert_eq!(Marker::parse(text).unwrap().render(), text);
        }
        for text in [
            "containers=app;volume=v",
            "containers=app;volume=v;initContainer=i;logVolume=l",
            "containers=app;volume=v;delivery=imageVolume;initContainer=i",
            "containers=app;volume=v;delivery=other;logVolume=l",
            "containers=app;volume=v;initContainer=i;ownOptions=app;nullOptions=app",
            "containers=app;volume=v;initContainer=i;volume=w",
            "containers=app;volume=v;initContainer=i;extra=1",
            "containers=app;volume=;initContainer=i",
            "containers=app,app;volume=v;initContainer=i",
            "containers=app;volume=v;initContainer=i;options=other:JAVA_OPTS",
            "containers=app;volume=v;initContainer=i;options=app:JAVA_OPTS,app:X",
            "containers=app;volume=v;initContainer=i;options=app",
            "containers=app;volume=v;initContainer=i;options=app:A B",
            "containers=app;volume=v;initContainer=i;sum=0123",
            "containers=app;volume=v;initContainer=i;sum=0123456789ABCDEF",
            "containers=app;volume=v;initContainer=i;emptyMaps=labels",
            "containers=app;volume=v;initContainer=i;nullMaps=metadata;emptyMaps=metadata",
        ] {
            assert_eq!(Marker::parse(text), None, "{text}");
        }
    }
}
