//! Properties of the reference parser: what the grammar accepts parses and round-trips
//! through its canonical and familiar forms; any string parses or says why.

use super::*;
use proptest::prelude::*;

/// A valid reference, built from the grammar's own pieces.
fn reference() -> impl Strategy<Value = String> {
    let component = "[a-z0-9]{1,4}(([._]|__|-{1,2})[a-z0-9]{1,4}){0,2}";
    let registry = prop_oneof![
        Just(String::new()),
        Just("localhost/".to_string()),
        Just("index.docker.io/".to_string()),
        "[a-z][a-z0-9-]{0,5}[a-z0-9]\\.[a-z]{2,3}(:[0-9]{1,5})?/",
        "127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}:[0-9]{2,5}/",
    ];
    // Without a registry, a first component with a '.' would be read as one.
    let first = "[a-z0-9]{1,4}((_|__|-{1,2})[a-z0-9]{1,4}){0,2}";
    let rest = proptest::collection::vec(component, 0..3);
    let path = (first, rest).prop_map(|(f, r)| [vec![f], r].concat().join("/"));
    let tag = proptest::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,10}");
    let digest = proptest::option::of("[0-9a-f]{64}");
    (registry, path, tag, digest).prop_map(|(r, p, t, d)| {
        let mut s = format!("{r}{p}");
        if let Some(t) = t {
            s.push(':');
            s.push_str(&t);
        }
        if let Some(d) = d {
            s.push_str("@sha256:");
            s.push_str(&d);
        }
        s
    })
}

proptest! {
    /// What the grammar accepts parses, and its canonical and familiar forms parse back
    /// to the same reference (with the default tag made explicit in the canonical one).
    #[test]
    fn canonical_and_familiar_round_trip(input in reference()) {
        let r = Reference::parse(&input).unwrap();
        let canonical = Reference::parse(&r.canonical()).unwrap();
        prop_assert_eq!(&canonical.canonical(), &r.canonical());
        prop_assert_eq!(Reference::parse(&r.familiar()).unwrap(), r.clone());
        let name = format!("{}/{}", r.registry, r.repository);
        prop_assert!(r.canonical().starts_with(&name));
    }

    /// Any string: no panic, and what parses is made of the grammar's characters only.
    #[test]
    fn any_string_parses_or_says_why(input in "\\PC{0,40}") {
        if let Ok(r) = Reference::parse(&input) {
            prop_assert!(r.canonical().chars().all(|c| c.is_ascii_alphanumeric() || "._-/:@[]".contains(c)));
        }
    }
}
