//! Each learner's order of a deck's new cards ([`crate::srs::queue::interleave`]), kept
//! between requests. The order depends on the deck's cards and the learner's seed only, not
//! on their answers, yet the study queue built it afresh on every `GET /study` and again
//! after every answer (about a tenth of the server's CPU per answer in the load benchmark's
//! profile). It lives in the catalog, so a new catalog (a deck uploaded or replaced) starts
//! with none; a new day or a logout changes no order, so nothing else clears it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many (learner, deck) orders are kept; past it the store starts again empty. An order
/// is 4 bytes a card: at the shipped deck's ~600 cards, about 10 MiB when full.
const KEPT: usize = 4096;

/// Position of each of a deck's cards (in the deck's card order) in a learner's order.
pub type Positions = Arc<[u32]>;

#[derive(Default)]
pub struct NewCardOrders {
    kept: Mutex<HashMap<(usize, u64), Positions>>,
}

/// A copy starts empty: it is a cache, filled again on first use.
impl Clone for NewCardOrders {
    fn clone(&self) -> Self {
        NewCardOrders::default()
    }
}

impl NewCardOrders {
    /// The positions kept for deck number `deck` and `seed`, or those `build` gives, kept.
    pub fn get_or_build(
        &self,
        deck: usize,
        seed: u64,
        build: impl FnOnce() -> Vec<u32>,
    ) -> Positions {
        if let Some(p) = self.lock().get(&(deck, seed)) {
            return Arc::clone(p);
        }
        // Built outside the lock: two requests may build the same order, never wait on one.
        let built: Positions = build().into();
        let mut kept = self.lock();
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert((deck, seed), Arc::clone(&built));
        built
    }

    /// How many orders are kept (for tests).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(usize, u64), Positions>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_built_once_per_deck_and_seed_and_a_copy_starts_empty() {
        let orders = NewCardOrders::default();
        let mut builds = 0;
        for _ in 0..3 {
            let p = orders.get_or_build(0, 7, || {
                builds += 1;
                vec![1, 0]
            });
            assert_eq!(&*p, &[1, 0]);
        }
        assert_eq!(builds, 1);
        orders.get_or_build(1, 7, || vec![0]);
        orders.get_or_build(0, 8, || vec![0, 1]);
        assert_eq!(orders.len(), 3);
        assert!(orders.clone().is_empty());
    }

    #[test]
    fn the_store_stays_bounded() {
        let orders = NewCardOrders::default();
        for seed in 0..(KEPT as u64 + 10) {
            orders.get_or_build(0, seed, || vec![0]);
        }
        assert!(orders.len() <= KEPT);
    }
}
