//! A small bounded store of values worked out once and shared (`Arc`), for what the catalog
//! keeps between requests: each learner's order of a deck's new cards, and the questions
//! lately shown. It lives in the catalog, so a new catalog (a deck uploaded or replaced)
//! starts empty.
//!
//! Past its bound it forgets the older half, not everything: values sit in two generations
//! of at most half the bound each; a new value goes into the current one, a value found in
//! the previous one moves back into the current one, and when the current one is full it
//! becomes the previous one (the previous one's values are dropped). So a value is still
//! kept as long as fewer than `bound / 2` other values were built or used since it was
//! (it leaves only at the second turn after its use). Emptying the whole store
//! when full lost, each time, the questions of every study page then open, and their answers
//! drew them again. (A least-recently-used list would keep a little more for a lock held a
//! little longer; two maps need no crate and no per-hit bookkeeping.)

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

pub struct Kept<K, V> {
    /// Values kept per generation: half the bound.
    half: usize,
    values: Mutex<Generations<K, V>>,
}

struct Generations<K, V> {
    current: HashMap<K, V>,
    previous: HashMap<K, V>,
}

impl<K, V> Generations<K, V> {
    fn new() -> Self {
        Generations {
            current: HashMap::new(),
            previous: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash, V> Generations<K, V> {
    /// Puts a value in the current generation, turning it into the previous one first when
    /// it is full.
    fn insert(&mut self, half: usize, key: K, value: V) {
        if self.current.len() >= half {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(key, value);
    }
}

/// A copy starts empty: it is a cache, filled again on first use.
impl<K, V> Clone for Kept<K, V> {
    fn clone(&self) -> Self {
        Kept {
            half: self.half,
            values: Mutex::new(Generations::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Kept<K, V> {
    /// A store of at most `bound` values (at least 2).
    pub fn new(bound: usize) -> Self {
        Kept {
            half: (bound / 2).max(1),
            values: Mutex::new(Generations::new()),
        }
    }

    /// The value kept for `key`, or the one `build` gives, kept.
    pub fn get_or_build(&self, key: K, build: impl FnOnce() -> V) -> V {
        {
            let mut values = self.lock();
            if let Some(v) = values.current.get(&key) {
                return v.clone();
            }
            if let Some(v) = values.previous.remove(&key) {
                let out = v.clone();
                values.insert(self.half, key, v);
                return out;
            }
        }
        // Built outside the lock: two requests may build the same value, never wait on one.
        let built = build();
        self.lock().insert(self.half, key, built.clone());
        built
    }

    /// How many values are kept (for tests).
    pub fn len(&self) -> usize {
        let values = self.lock();
        values.current.len() + values.previous.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Generations<K, V>> {
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

    /// However many values came before, the values lately built are all still kept (with a
    /// store that emptied itself when full, the value built just before it filled was lost
    /// at the next one): a question drawn for a study page is still there for its answer.
    #[test]
    fn the_values_lately_built_are_kept_as_the_store_turns_over() {
        let kept: Kept<u64, Arc<u64>> = Kept::new(16);
        let mut shown: Vec<Arc<u64>> = Vec::new();
        for key in 0..200u64 {
            shown.push(kept.get_or_build(key, || Arc::new(key)));
            for back in 0..7u64.min(key + 1) {
                let earlier = key - back;
                let again = kept.get_or_build(earlier, || Arc::new(u64::MAX));
                assert!(
                    Arc::ptr_eq(&again, &shown[earlier as usize]),
                    "{earlier} built again after {key}"
                );
            }
        }
    }

    /// A value used again and again stays kept while many others come and go once.
    #[test]
    fn a_value_in_use_survives_the_turnover() {
        let kept: Kept<u64, u64> = Kept::new(16);
        let mut builds = 0;
        for key in 1..1_000u64 {
            kept.get_or_build(0, || {
                builds += 1;
                0
            });
            kept.get_or_build(key, || key);
        }
        assert_eq!(builds, 1);
        assert!(kept.len() <= 16);
    }
}
