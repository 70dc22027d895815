//! Which element of an old sequence each element of the new one continues: equal
//! elements kept in order, then a renamed element, then the same `name` (Kubernetes'
//! merge key), then what is left between two kept ones.
//!
//! Linear in the lists' length (and in their size, for hashing), apart from a sort of the
//! unique elements: a short list (or what is left of a long one between its common
//! prefix and suffix) takes the exact longest common subsequence, bounded to
//! [`EXACT_CELLS`] table cells; a long one is anchored on the elements that occur once in
//! each list (patience diff), and the gaps between anchors take the exact table when it
//! is small, else equal elements in order.

use crate::yaml::fingerprint::{hash_string, hash_without_name};
use serde_json::Value;
use std::collections::HashMap;
use std::ops::Range;

mod old;
#[cfg(test)]
use old::renamed;
use old::{New, Old, name_of, news};

/// The largest exact table (old × new elements) computed; beyond it, anchors.
const EXACT_CELLS: usize = 1 << 16;

/// A run of unpaired elements this short (new × old) is paired by trying each old one,
/// without hashing (cheaper for the few elements an edit leaves unpaired).
const SCAN_CELLS: usize = 64;

/// How many candidates with the right hash are tried for one element before giving up
/// (only hash collisions and repeated names get that far).
const CANDIDATES: usize = 8;

/// For each new element, the old element it continues (equal, or the same `name`).
#[cfg(test)]
pub(super) fn align<O: Old>(old: &[O], new: &[Value]) -> Vec<Option<usize>> {
    align_with(old, &news(new), EXACT_CELLS)
}

/// [`align`], and the fingerprint of each new element (what the diff compares it with
/// when it goes inside).
pub(super) fn align_hashed<O: Old>(old: &[O], new: &[Value]) -> (Vec<Option<usize>>, Vec<u64>) {
    let new = news(new);
    let pairs = align_with(old, &new, EXACT_CELLS);
    (pairs, new.iter().map(|n| n.hash).collect())
}

/// [`align`], with the exact table bounded to `cells` (tests take the long way with few).
fn align_with<O: Old>(old: &[O], new: &[New<'_>], cells: usize) -> Vec<Option<usize>> {
    let (m, n) = (old.len(), new.len());
    let mut pairs = vec![None; n];
    let mut taken = vec![false; m];
    equal_in_order(old, new, cells, &mut pairs, &mut taken);
    // Then an element renamed and otherwise equal (an options variable's ConfigMap
    // source moved to a variable of its own keeps its lines, only its name changes),
    // then the rest by name (the same container, variable or volume, edited); each where
    // that keeps the order: between the paired neighbours before and after it.
    let keys = (Old::rest_key, |n: &New<'_>| hash_without_name(n.value));
    pair_where(old, new, (&mut pairs, &mut taken), keys, O::renamed);
    let keys = (Old::name_key, |n: &New<'_>| {
        name_of(n.value).map(hash_string)
    });
    pair_where(old, new, (&mut pairs, &mut taken), keys, |o, n| {
        name_of(n.value).is_some_and(|name| o.named(name))
    });
    // Between two kept elements, as many old as new ones left: the same ones, edited
    // (a ResourceList's items, which have no `name`).
    for (news, olds) in unpaired_runs(&pairs, m) {
        let olds: Vec<usize> = olds.filter(|&i| !taken[i]).collect();
        if olds.len() == news.len() {
            for (k, i) in news.zip(olds) {
                pair(&mut pairs, &mut taken, k, i);
            }
        }
    }
    pairs
}

/// Pair equal elements, in order: a longest common subsequence where the lists are short.
fn equal_in_order<O: Old>(
    old: &[O],
    new: &[New<'_>],
    cells: usize,
    pairs: &mut [Option<usize>],
    taken: &mut [bool],
) {
    let (m, n) = (old.len(), new.len());
    if m.saturating_mul(n) <= cells {
        exact(old, new, (0..m, 0..n), pairs, taken);
        return;
    }
    // The common prefix and suffix are kept (the exact table pairs a prefix the same way).
    let mut start = 0;
    while start < m.min(n) && old[start].same(&new[start]) {
        pair(pairs, taken, start, start);
        start += 1;
    }
    let mut end = 0;
    while end < (m - start).min(n - start) && old[m - 1 - end].same(&new[n - 1 - end]) {
        pair(pairs, taken, n - 1 - end, m - 1 - end);
        end += 1;
    }
    let (old_mid, new_mid) = (start..m - end, start..n - end);
    if old_mid.len().saturating_mul(new_mid.len()) <= cells {
        exact(old, new, (old_mid, new_mid), pairs, taken);
        return;
    }
    let old_hash: Vec<u64> = old[old_mid.clone()].iter().map(O::hash).collect();
    let new_hash: Vec<u64> = new[new_mid.clone()].iter().map(|n| n.hash).collect();
    let anchors = unique_anchors(old, new, &old_hash, &new_hash, old_mid.start, new_mid.start);
    // The gaps between anchors (and before the first and after the last).
    let (mut i0, mut j0) = (old_mid.start, new_mid.start);
    let ends = anchors.iter().copied().chain([(old_mid.end, new_mid.end)]);
    for (i1, j1) in ends {
        let hashes = (&old_hash[..], &new_hash[..], old_mid.start, new_mid.start);
        gap(old, new, (i0..i1, j0..j1), hashes, cells, pairs, taken);
        if i1 < old_mid.end {
            pair(pairs, taken, j1, i1);
        }
        (i0, j0) = (i1 + 1, j1 + 1);
    }
}

fn pair(pairs: &mut [Option<usize>], taken: &mut [bool], j: usize, i: usize) {
    pairs[j] = Some(i);
    taken[i] = true;
}

/// The exact longest common subsequence of `old[olds]` and `new[news]`, as a table walk
/// that keeps the first equal pair.
fn exact<O: Old>(
    old: &[O],
    new: &[New<'_>],
    (olds, news): (Range<usize>, Range<usize>),
    pairs: &mut [Option<usize>],
    taken: &mut [bool],
) {
    let (old_at, new_at) = (olds.start, news.start);
    let (old, new) = (&old[olds], &new[news]);
    let (m, n) = (old.len(), new.len());
    let mut table = vec![0u32; (m + 1) * (n + 1)];
    let at = |i: usize, j: usize| i * (n + 1) + j;
    for i in (0..m).rev() {
        for j in (0..n).rev() {
            table[at(i, j)] = if old[i].same(&new[j]) {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < m && j < n {
        if old[i].same(&new[j]) {
            pair(pairs, taken, new_at + j, old_at + i);
            i += 1;
            j += 1;
        } else if table[at(i + 1, j)] >= table[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// The elements that occur once in each list (by hash, then checked equal), the longest
/// run of them in the same order in both (patience sorting): `(old, new)` positions.
fn unique_anchors<O: Old>(
    old: &[O],
    new: &[New<'_>],
    old_hash: &[u64],
    new_hash: &[u64],
    old_at: usize,
    new_at: usize,
) -> Vec<(usize, usize)> {
    // hash → (count in old, count in new, last old position)
    let mut seen: HashMap<u64, (u32, u32, usize)> = HashMap::with_capacity(old_hash.len());
    for (i, h) in old_hash.iter().enumerate() {
        let e = seen.entry(*h).or_insert((0, 0, 0));
        e.0 = e.0.saturating_add(1);
        e.2 = old_at + i;
    }
    for h in new_hash {
        if let Some(e) = seen.get_mut(h) {
            e.1 = e.1.saturating_add(1);
        }
    }
    let candidates: Vec<(usize, usize)> = new_hash
        .iter()
        .enumerate()
        .filter_map(|(j, h)| {
            let &(in_old, in_new, i) = seen.get(h)?;
            (in_old == 1 && in_new == 1 && old[i].same(&new[new_at + j])).then_some((i, new_at + j))
        })
        .collect();
    longest_increasing(&candidates)
}

/// The longest subsequence of `pairs` (in new order) whose old positions increase.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: the index in `pairs` of the smallest old position ending a run of k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous = vec![usize::MAX; pairs.len()];
    for (k, &(i, _)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].0 < i);
        if at > 0 {
            previous[k] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut run = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        run.push(pairs[k]);
        k = previous[k];
    }
    run.reverse();
    run
}

/// Equal elements between two anchors: the exact table when it is small, else each new
/// element with the next equal old one.
fn gap<O: Old>(
    old: &[O],
    new: &[New<'_>],
    (olds, news): (Range<usize>, Range<usize>),
    (old_hash, new_hash, old_at, new_at): (&[u64], &[u64], usize, usize),
    cells: usize,
    pairs: &mut [Option<usize>],
    taken: &mut [bool],
) {
    if olds.is_empty() || news.is_empty() {
        return;
    }
    if olds.len().saturating_mul(news.len()) <= cells {
        exact(old, new, (olds, news), pairs, taken);
        return;
    }
    let mut by_hash: HashMap<u64, (Vec<usize>, usize)> = HashMap::new();
    for i in olds.clone() {
        by_hash.entry(old_hash[i - old_at]).or_default().0.push(i);
    }
    let mut low = olds.start;
    for j in news {
        let Some((positions, next)) = by_hash.get_mut(&new_hash[j - new_at]) else {
            continue;
        };
        while positions.get(*next).is_some_and(|&i| i < low) {
            *next += 1;
        }
        let found = positions[*next..]
            .iter()
            .take(CANDIDATES)
            .position(|&i| old[i].same(&new[j]));
        if let Some(k) = found {
            let i = positions[*next + k];
            pair(pairs, taken, j, i);
            low = i + 1;
            *next += k + 1;
        }
    }
}

/// Pair each new element still unpaired with the first unpaired old one that `fits`,
/// between the paired neighbours before and after it. `key` sorts the candidates: only
/// elements with the same key can fit (`None`: none can).
fn pair_where<O: Old>(
    old: &[O],
    new: &[New<'_>],
    (pairs, taken): (&mut [Option<usize>], &mut [bool]),
    (old_key, new_key): (impl Fn(&O) -> Option<u64>, impl Fn(&New<'_>) -> Option<u64>),
    fits: impl Fn(&O, &New<'_>) -> bool,
) {
    let mut by_key: HashMap<u64, (Vec<usize>, usize)> = HashMap::new();
    for (news, olds) in unpaired_runs(pairs, old.len()) {
        if news.len().saturating_mul(olds.len()) <= SCAN_CELLS {
            // A short run (the usual edit): each new element against the old ones.
            let mut low = olds.start;
            for k in news {
                if let Some(i) = (low..olds.end).find(|&i| !taken[i] && fits(&old[i], &new[k])) {
                    pair(pairs, taken, k, i);
                    low = i + 1;
                }
            }
            continue;
        }
        by_key.clear();
        let mut low = olds.start;
        for i in olds.filter(|&i| !taken[i]) {
            if let Some(k) = old_key(&old[i]) {
                by_key.entry(k).or_default().0.push(i);
            }
        }
        if by_key.is_empty() {
            continue;
        }
        for k in news {
            let Some((positions, next)) = new_key(&new[k]).and_then(|h| by_key.get_mut(&h)) else {
                continue;
            };
            while positions.get(*next).is_some_and(|&i| i < low || taken[i]) {
                *next += 1;
            }
            let found = positions[*next..]
                .iter()
                .take(CANDIDATES)
                .position(|&i| !taken[i] && fits(&old[i], &new[k]));
            if let Some(c) = found {
                let i = positions[*next + c];
                pair(pairs, taken, k, i);
                low = i + 1;
            }
        }
    }
}

/// The runs of unpaired new elements, each with the old elements between the paired
/// neighbours around it (pairs are in order, so those old ones are unpaired too).
fn unpaired_runs(pairs: &[Option<usize>], m: usize) -> Vec<(Range<usize>, Range<usize>)> {
    let mut runs = Vec::new();
    let mut low = 0;
    let mut j = 0;
    while j < pairs.len() {
        if let Some(i) = pairs[j] {
            low = i + 1;
            j += 1;
            continue;
        }
        let end = (j..pairs.len())
            .find(|&k| pairs[k].is_some())
            .unwrap_or(pairs.len());
        let high = pairs.get(end).copied().flatten().unwrap_or(m);
        runs.push((j..end, low..high));
        j = end;
    }
    runs
}

#[cfg(test)]
mod tests;
