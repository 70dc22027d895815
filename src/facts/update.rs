//! `pinpoint-inject images --update FILE`: the entries a file already has stay as they
//! are (hand-written ones included), and what the registry said about the images it
//! lacked is added. The result is sorted by image, so that the file changes only where
//! the images do.

use super::model::EntrySpec;
use crate::oci::Reference;

/// The canonical form of an entry's image, or the text itself when it does not parse.
fn key(entry: &EntrySpec) -> String {
    Reference::parse(&entry.image).map_or_else(|_| entry.image.clone(), |r| r.canonical())
}

/// `existing` plus every entry of `fetched` whose image `existing` does not have, sorted
/// by canonical reference.
pub fn merge(existing: Vec<EntrySpec>, fetched: Vec<EntrySpec>) -> Vec<EntrySpec> {
    let mut known: std::collections::HashSet<String> = existing.iter().map(key).collect();
    let mut all = existing;
    for entry in fetched {
        if known.insert(key(&entry)) {
            all.push(entry);
        }
    }
    all.sort_by_cached_key(|e| (key(e), e.image.clone()));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(image: &str, user: &str) -> EntrySpec {
        EntrySpec {
            image: image.into(),
            digest: None,
            platform: None,
            config: json!({"User": user}),
        }
    }

    #[test]
    fn entries_already_there_win_and_the_result_is_sorted() {
        let merged = merge(
            vec![entry("shop/web:1", "hand"), entry("nginx", "hand")],
            vec![
                entry("docker.io/library/nginx:latest", "registry"),
                entry("alpine:3", "registry"),
            ],
        );
        let images: Vec<(&str, &str)> = merged
            .iter()
            .map(|e| (e.image.as_str(), e.config["User"].as_str().unwrap()))
            .collect();
        assert_eq!(
            images,
            [
                ("alpine:3", "registry"),
                ("nginx", "hand"),
                ("shop/web:1", "hand")
            ]
        );
    }
}
