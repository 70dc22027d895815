//! The alignment against the exact table it replaced (kept here as the reference), on
//! generated lists, and on lists far too long for a table.

use super::*;
use proptest::prelude::*;
use serde_json::json;

/// The alignment before it was made linear: one longest-common-subsequence table over
/// the whole lists, and a scan for every element left. Quadratic; the reference.
fn reference(old: &[Value], new: &[Value]) -> Vec<Option<usize>> {
    let (m, n) = (old.len(), new.len());
    let mut pairs = vec![None; n];
    let mut taken = vec![false; m];
    exact(old, &news(new), (0..m, 0..n), &mut pairs, &mut taken);
    let scan = |pairs: &mut Vec<Option<usize>>,
                taken: &mut Vec<bool>,
                fits: &dyn Fn(&Value, &Value) -> bool| {
        let mut low: Option<usize> = None;
        for j in 0..n {
            if let Some(i) = pairs[j] {
                low = Some(i);
                continue;
            }
            let high = pairs[j + 1..].iter().flatten().next().copied().unwrap_or(m);
            let from = low.map_or(0, |l| l + 1);
            if let Some(i) = (from..high).find(|&i| !taken[i] && fits(&old[i], &new[j])) {
                pairs[j] = Some(i);
                taken[i] = true;
                low = Some(i);
            }
        }
    };
    scan(&mut pairs, &mut taken, &renamed);
    scan(&mut pairs, &mut taken, &|o, n| {
        name_of(n).is_some() && name_of(o) == name_of(n)
    });
    // Each run of unpaired new elements takes the unpaired old ones between its paired
    // neighbours when there are as many.
    let mut j = 0;
    while j < n {
        let Some(run) = pairs[j..]
            .iter()
            .position(Option::is_some)
            .map_or(Some(n - j), |r| (r > 0).then_some(r))
        else {
            j += 1;
            continue;
        };
        let before = pairs[..j]
            .iter()
            .rev()
            .find_map(|p| *p)
            .map_or(0, |i| i + 1);
        let after = pairs[j + run..].iter().find_map(|p| *p).unwrap_or(m);
        let free: Vec<usize> = (before..after).filter(|&i| !taken[i]).collect();
        if free.len() == run {
            for (offset, i) in free.into_iter().enumerate() {
                pairs[j + offset] = Some(i);
                taken[i] = true;
            }
        }
        j += run;
    }
    pairs
}

/// A small element: an env-like entry, a name-less mapping, or a scalar, from few
/// spellings so that equal, renamed and same-named elements are common.
fn element() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0..4u8, 0..3u8)
            .prop_map(|(n, v)| json!({"name": format!("N{n}"), "value": format!("v{v}")})),
        (0..4u8, 0..2u8).prop_map(|(n, v)| json!({"name": format!("N{n}"), "valueFrom": {"k": v}})),
        (0..3u8).prop_map(|v| json!({"value": v})),
        (0..3u8).prop_map(|v| json!(format!("s{v}"))),
    ]
}

/// Checks that hold for any alignment: pairs in order, each old element used once.
fn well_formed(pairs: &[Option<usize>], m: usize) {
    let kept: Vec<usize> = pairs.iter().flatten().copied().collect();
    assert!(kept.windows(2).all(|w| w[0] < w[1]), "{pairs:?}");
    assert!(kept.iter().all(|&i| i < m));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Short lists: the same pairs as the quadratic reference, whatever the edit.
    #[test]
    fn short_lists_align_as_the_exact_table_did(
        old in proptest::collection::vec(element(), 0..12),
        new in proptest::collection::vec(element(), 0..12),
    ) {
        let got = align(&old, &new);
        prop_assert_eq!(&got, &reference(&old, &new));
        well_formed(&got, old.len());
    }
}

/// A list of distinct elements, and an edit of it that keeps the order: some removed,
/// some changed, some new ones inserted. Its longest common subsequence is unique.
fn unique_and_edited() -> impl Strategy<Value = (Vec<Value>, Vec<Value>)> {
    (1..40usize, proptest::collection::vec(0..5u8, 40)).prop_map(|(m, edits)| {
        let old = env(0..m);
        let mut new = Vec::new();
        for (i, item) in old.iter().enumerate() {
            match edits[i] {
                0 => {}
                1 => new.push(json!({"name": format!("VAR_{i}"), "value": "changed"})),
                2 => new.push(json!({"name": format!("NEW_{i}"), "value": "n"})),
                _ => {}
            }
            if edits[i] != 0 {
                new.push(item.clone());
            }
        }
        (old, new)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The long way (anchors, gaps, each element with the next equal one) on short
    /// lists: the same pairs as the exact table wherever the answer is unique.
    #[test]
    fn the_long_way_finds_what_the_exact_table_finds((old, new) in unique_and_edited(), cells in 0..16usize) {
        let got = align_with(&old, &news(&new), cells);
        prop_assert_eq!(&got, &reference(&old, &new));
    }

    /// Any lists, the long way: still pairs in order.
    #[test]
    fn the_long_way_keeps_the_order(
        old in proptest::collection::vec(element(), 0..30),
        new in proptest::collection::vec(element(), 0..30),
        cells in 0..16usize,
    ) {
        well_formed(&align_with(&old, &news(&new), cells), old.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The nodes of a list's text, compared by their fingerprints, pair as the values
    /// they read as: the diff aligns the text with what the core made of it.
    #[test]
    fn nodes_of_the_text_align_as_their_values(
        old in proptest::collection::vec(element(), 0..30),
        new in proptest::collection::vec(element(), 0..30),
        cells in 0..64usize,
    ) {
        let text = crate::yaml::to_string(&json!({"l": old}), crate::yaml::ListStyle::default());
        let read: Value = crate::yaml::from_str(&text).unwrap();
        let mut root = crate::yaml::spans::parse(&text).unwrap();
        crate::yaml::fingerprint::fingerprint(&mut root, &read);
        let nodes = root.entries()[0].value.items();
        prop_assert_eq!(nodes.len(), old.len());
        prop_assert_eq!(align_with(nodes, &news(&new), cells), align_with(&old, &news(&new), cells));
    }
}

fn env(range: std::ops::Range<usize>) -> Vec<Value> {
    range
        .map(|i| json!({"name": format!("VAR_{i}"), "value": format!("value-{i}")}))
        .collect()
}

/// 80,000 entries (a table would be 25 GB): what the core does to an env list (entries
/// in front, a value changed, a source moved under a new name) aligns as it would on a
/// short one.
#[test]
fn a_long_list_aligns_like_a_short_one() {
    let old = env(0..80_000);
    let mut new = vec![json!({"name": "PINPOINT_POD_NAME", "value": "p"})];
    new.extend(old.iter().cloned());
    new[40_001]["value"] = json!("value-40000 $(PINPOINT_AGENT_OPTS)");
    new[60_001]["name"] = json!("PINPOINT_ORIGINAL_VAR_60000");
    new.insert(
        60_002,
        json!({"name": "VAR_60000", "value": "$(PINPOINT_ORIGINAL_VAR_60000)"}),
    );
    new.remove(70_000); // VAR_69998 removed
    let got = align(&old, &new);
    well_formed(&got, old.len());
    assert_eq!(got[0], None);
    assert_eq!(got[1], Some(0));
    assert_eq!(
        got[40_001],
        Some(40_000),
        "the same entry, its value edited"
    );
    assert_eq!(got[60_001], Some(60_000), "renamed");
    assert_eq!(got[60_002], None, "a new entry");
    assert_eq!(got[70_000], Some(69_999), "after the removed one");
    assert_eq!(got.iter().flatten().count(), 80_000 - 1);
    // The same edits on a short list give the same pairs, shifted.
    let short = env(0..200);
    let mut edited = vec![json!({"name": "PINPOINT_POD_NAME", "value": "p"})];
    edited.extend(short.iter().cloned());
    edited[101]["value"] = json!("x");
    let got = align(&short, &edited);
    assert_eq!(got, reference(&short, &edited));
}

/// Long lists without unique elements, or reordered: still aligned in order, quickly.
#[test]
fn long_lists_of_repeated_or_shuffled_elements_stay_in_order() {
    let old: Vec<Value> = (0..50_000).map(|i| json!(i % 7)).collect();
    let new: Vec<Value> = (0..50_000).map(|i| json!((i + 3) % 7)).collect();
    let got = align(&old, &new);
    well_formed(&got, old.len());
    assert!(got.iter().flatten().count() > 40_000);
    let reversed: Vec<Value> = env(0..50_000).into_iter().rev().collect();
    let got = align(&env(0..50_000), &reversed);
    well_formed(&got, 50_000);
}
