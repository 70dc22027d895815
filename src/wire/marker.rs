//! The marker annotation: what a run added to a pod template, so a later run can find it
//! and take it out. Its names are only where to look: [`crate::wire::recognise`] checks
//! each named thing by its content before anything is removed.
//!
//! `containers=app,worker;volume=pinpoint-agent;initContainer=pinpoint-agent-init` for the
//! copy step, `containers=app;volume=pinpoint-agent;delivery=imageVolume;logVolume=pinpoint-agent-logs`
//! for an image volume; then, per container whose options variable was the user's own
//! entry and is not simply extended: `ownOptions` (it had `value: ""`), `unsetOptions`
//! (no value), `nullOptions` (`value: null`), `userReference` (its value already held
//! `$(PINPOINT_AGENT_OPTS)`, left as it was). All are Kubernetes names, so `,` `;` and
//! `=` cannot occur in them.

use crate::config::Delivery;

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
}

const OWN_KEYS: &[(&str, OwnEntry)] = &[
    ("ownOptions", OwnEntry::Empty),
    ("unsetOptions", OwnEntry::Unset),
    ("nullOptions", OwnEntry::Null),
    ("userReference", OwnEntry::UserReference),
];

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
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

impl Marker {
    pub fn own_entry(&self, container: &str) -> Option<OwnEntry> {
        self.own
            .iter()
            .find(|(c, _)| c == container)
            .map(|(_, kind)| *kind)
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
        for (key, kind) in OWN_KEYS {
            let listed: Vec<&str> = self
                .own
                .iter()
                .filter(|(_, k)| k == kind)
                .map(|(c, _)| c.as_str())
                .collect();
            if !listed.is_empty() {
                text.push_str(&format!(";{key}={}", listed.join(",")));
            }
        }
        text
    }

    pub fn parse(text: &str) -> Option<Marker> {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        for part in text.split(';') {
            let (key, value) = part.split_once('=')?;
            let key = key.trim();
            if fields.iter().any(|(k, _)| *k == key) {
                return None;
            }
            fields.push((key, value.trim()));
        }
        let get = |key: &str| fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let known = [
            "containers",
            "volume",
            "initContainer",
            "delivery",
            "logVolume",
        ];
        if fields
            .iter()
            .any(|(k, _)| !known.contains(k) && !OWN_KEYS.iter().any(|(o, _)| o == k))
        {
            return None;
        }
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
        let mut own = Vec::new();
        for (key, kind) in OWN_KEYS {
            for name in names(get(key).unwrap_or_default()) {
                if own.iter().any(|(c, _)| *c == name) {
                    return None;
                }
                own.push((name, *kind));
            }
        }
        Some(Marker {
            containers: names(get("containers").unwrap_or_default()),
            volume: volume.to_string(),
            delivery,
            companion: companion.to_string(),
            own,
        })
    }
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
        ] {
            assert_eq!(Marker::parse(text), None, "{text}");
        }
    }
}
