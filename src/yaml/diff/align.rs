//! Which element of an old sequence each element of the new one continues: equal
//! elements kept in order, then a renamed element, then the same `name` (Kubernetes'
//! merge key), then what is left between two kept ones.

use serde_json::Value;

fn name_of(value: &Value) -> Option<&str> {
    value.get("name").and_then(Value::as_str)
}

/// For each new element, the old element it continues (equal, or the same `name`).
pub(super) fn align(old: &[Value], new: &[Value]) -> Vec<Option<usize>> {
    // Longest common subsequence of equal elements (lists in a pod spec are short).
    let (m, n) = (old.len(), new.len());
    let mut table = vec![0u32; (m + 1) * (n + 1)];
    let at = |i: usize, j: usize| i * (n + 1) + j;
    for i in (0..m).rev() {
        for j in (0..n).rev() {
            table[at(i, j)] = if same(&old[i], &new[j]) {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut pairs = vec![None; n];
    let mut taken = vec![false; m];
    let (mut i, mut j) = (0, 0);
    while i < m && j < n {
        if same(&old[i], &new[j]) {
            pairs[j] = Some(i);
            taken[i] = true;
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    // Then an element renamed and otherwise equal (an options variable's ConfigMap
    // source moved to a variable of its own keeps its lines, only its name changes),
    // then the rest by name (the same container, variable or volume, edited); each where
    // that keeps the order: between the paired neighbours before and after it.
    pair_where(old, new, &mut pairs, &mut taken, renamed);
    pair_where(old, new, &mut pairs, &mut taken, |o, n| {
        name_of(n).is_some() && name_of(o) == name_of(n)
    });
    // Between two kept elements, as many old as new ones left: the same ones, edited
    // (a ResourceList's items, which have no `name`).
    let mut j = 0;
    while j < n {
        if pairs[j].is_some() {
            j += 1;
            continue;
        }
        let gap_end = (j..n).find(|&k| pairs[k].is_some()).unwrap_or(n);
        let low = pairs[..j].iter().flatten().last().map_or(0, |i| i + 1);
        let high = pairs[gap_end..]
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(m);
        let olds: Vec<usize> = (low..high).filter(|&i| !taken[i]).collect();
        if olds.len() == gap_end - j {
            for (k, i) in (j..gap_end).zip(olds) {
                pairs[k] = Some(i);
                taken[i] = true;
            }
        }
        j = gap_end;
    }
    pairs
}

/// Pair each new element still unpaired with the first unpaired old one that `fits`,
/// between the paired neighbours before and after it.
fn pair_where(
    old: &[Value],
    new: &[Value],
    pairs: &mut [Option<usize>],
    taken: &mut [bool],
    fits: impl Fn(&Value, &Value) -> bool,
) {
    let mut low: Option<usize> = None;
    for j in 0..new.len() {
        if let Some(i) = pairs[j] {
            low = Some(i);
            continue;
        }
        let high = pairs[j + 1..]
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(old.len());
        let from = low.map_or(0, |l| l + 1);
        if let Some(i) = (from..high).find(|&i| !taken[i] && fits(&old[i], &new[j])) {
            pairs[j] = Some(i);
            taken[i] = true;
            low = Some(i);
        }
    }
}

/// Two mappings with other names and everything else equal (and something else).
fn renamed(old: &Value, new: &Value) -> bool {
    let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
        return false;
    };
    o.len() == n.len()
        && o.len() > 1
        && name_of(old).is_some()
        && name_of(new).is_some()
        && name_of(old) != name_of(new)
        && o.iter()
            .all(|(k, v)| k == "name" || n.get(k).is_some_and(|w| same(v, w)))
}

/// `a == b`, without hashing while both mappings keep their keys in one order (as the
/// core's edits do): `serde_json`'s map equality looks every key up by its hash.
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            if x.len() != y.len() {
                return false;
            }
            for ((k1, v1), (k2, v2)) in x.iter().zip(y) {
                if k1 != k2 {
                    return a == b; // another order: compare as maps
                }
                if !same(v1, v2) {
                    return false;
                }
            }
            true
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => a == b,
    }
}
