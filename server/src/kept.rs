//! A small bounded store of values worked out once and shared (`Arc`), for what the catalog
//! keeps between requests: each learner's order of a deck's new cards, and the questions
//! lately shown. It lives in the catalog, so a new catalog (a deck uploaded or replaced)
//! starts empty; past its bound it starts again empty (simple, and the hot few come back
//! at once).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

pub struct Kept<K, V> {
    bound: usize,
    values: Mutex<HashMap<K, V>>,
}

/// A copy starts empty: it is a cache, filled again on first use.
impl<K, V> Clone for Kept<K, V> {
    fn clone(&self) -> Self {
        Kept {
            bound: self.bound,
            values: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Kept<K, V> {
    /// A store of at most `bound` values.
    pub fn new(bound: usize) -> Self {
        Kept {
            bound,
            values: Mutex::new(HashMap::new()),
        }
    }

    /// The value kept for `key`, or the one `build` gives, kept.
    pub fn get_or_build(&self, key: K, build: impl FnOnce() -> V) -> V {
        if let Some(v) = self.lock().get(&key) {
            return v.clone();
        }
        // Built outside the lock: two requests may build the same value, never wait on one.
        let built = build();
        let mut values = self.lock();
        if values.len() >= self.bound {
            values.clear();
        }
        values.insert(key, built.clone());
        built
    }

    /// How many values are kept (for tests).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<K, V>> {
        self.values.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_value_is_built_once_per_key_and_a_copy_starts_empty() {
        let kept: Kept<(usize, u64), Arc<[u32]>> = Kept::new(8);
        let mut builds = 0;
        for _ in 0..3 {
            let v = kept.get_or_build((0, 7), || {
                builds += 1;
                vec![1, 0].into()
            });
            assert_eq!(&*v, &[1, 0]);
        }
        assert_eq!(builds, 1);
        kept.get_or_build((1, 7), || vec![0].into());
        kept.get_or_build((0, 8), || vec![0, 1].into());
        assert_eq!(kept.len(), 3);
        assert!(kept.clone().is_empty());
    }

    #[test]
    fn the_store_stays_within_its_bound() {
        let kept: Kept<u64, u64> = Kept::new(16);
        for key in 0..100 {
            kept.get_or_build(key, || key);
            assert!(kept.len() <= 16);
        }
        assert_eq!(kept.get_or_build(99, || 0), 99, "the latest is kept");
    }
}
