//! The keys of one mapping as a parser pass meets them, to find a key written twice: a
//! short list while the mapping is small (no hashing), a hash map once it is not (a
//! scan of the list for every key would be quadratic in a long mapping).
//!
//! The map keeps a 64-bit hash of each key, not the key: a mapping of a million keys
//! held as strings cost five times the text they are written in (a ConfigMap passed
//! through took 6.6 times its size). The hash is foldhash's, seeded at random per
//! process as [`crate::yaml::fingerprint`]'s are, so no input can aim two keys at one
//! hash; two different keys share one with a probability of about 2^-64 per pair, and
//! would be named as written twice.

use foldhash::quality::RandomState;
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// Past this many keys, a hash map.
const FEW: usize = 16;

fn seed() -> &'static RandomState {
    static SEED: OnceLock<RandomState> = OnceLock::new();
    SEED.get_or_init(RandomState::default)
}

/// The keys met so far, each with the line it is on.
#[derive(Debug, Default)]
pub struct KeySet<'t> {
    few: Vec<(Cow<'t, str>, usize)>,
    many: Option<HashMap<u64, usize, RandomState>>,
}

impl<'t> KeySet<'t> {
    /// Add `key` (on `line`); the line it was first met on when it was met before.
    pub fn insert(&mut self, key: Cow<'t, str>, line: usize) -> Option<usize> {
        if let Some(many) = &mut self.many {
            return match many.entry(seed().hash_one(key.as_ref())) {
                std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(line);
                    None
                }
            };
        }
        if let Some((_, first)) = self.few.iter().find(|(k, _)| *k == key) {
            return Some(*first);
        }
        self.few.push((key, line));
        if self.few.len() > FEW {
            let mut many = HashMap::with_hasher(RandomState::default());
            for (key, line) in self.few.drain(..) {
                many.insert(seed().hash_one(key.as_ref()), line);
            }
            self.many = Some(many);
        }
        None
    }

    /// How many distinct keys.
    pub fn len(&self) -> usize {
        self.many.as_ref().map_or(self.few.len(), HashMap::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empty it, keeping the short list's room for the next mapping.
    pub fn clear(&mut self) {
        self.few.clear();
        self.many = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_met_twice_names_its_first_line_small_or_large() {
        for n in [3, 100] {
            let mut keys = KeySet::default();
            for i in 0..n {
                assert_eq!(keys.insert(Cow::Owned(format!("k{i}")), i + 1), None);
            }
            assert_eq!(keys.insert(Cow::Borrowed("k1"), 500), Some(2));
            assert_eq!(keys.len(), n);
        }
    }
}
