//! Sync storage: a batch of reviews is added to the log (idempotent by UUID) and every card
//! it touched is replayed from its whole log, in one transaction.

use crate::clock::Instant;
use crate::db::review_id::Stored;
use crate::db::study::{self, NewReview};
use crate::ids::{ReviewId, UserId};
use crate::srs::{CardState, Rating, Scheduler};
use crate::sync::IncomingReview;
use crate::sync::batch::{Rejected, triage};
use rusqlite::{Connection, Transaction, params};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    pub accepted: usize,
    pub duplicates: usize,
    pub rejected: Vec<Rejected>,
}

/// Stores the valid reviews of `batch` and replays each card they touched, once, from its
/// whole log. Bad reviews are rejected one by one with a reason; the rest are applied. The
/// caller owns the transaction, so the batch lands whole or not at all.
pub fn apply(
    tx: &Transaction<'_>,
    scheduler: &Scheduler,
    user_id: UserId,
    device_id: &str,
    batch: &[IncomingReview],
    now: Instant,
    card_exists: impl Fn(&str) -> bool,
) -> rusqlite::Result<Outcome> {
    let sorted = triage(batch, now, card_exists);
    let mut out = Outcome {
        duplicates: sorted.repeats,
        rejected: sorted.rejected,
        ..Outcome::default()
    };
    // Each card's key is looked up once a batch, not once a review (10,000 lookups for
    // 1,000 cards in a device's year of answers).
    let mut keys: HashMap<&str, Option<i64>> = HashMap::new();
    let mut touched = BTreeMap::new();
    for (id, r) in sorted.fresh {
        let key = match keys.get(r.card_id.as_str()) {
            Some(key) => *key,
            None => {
                let key = study::card_key(tx, &r.card_id)?;
                keys.insert(&r.card_id, key);
                key
            }
        };
        let rating = Rating::from_number(r.rating).expect("validated");
        let inserted = insert_review(
            tx,
            &NewReview {
                id: &ReviewId::from_stored(id),
                user_id,
                card_id: &r.card_id,
                answered_at: r.answered(),
                rating,
                correct: rating != Rating::Again,
                given_answer: &r.given_answer,
                duration_ms: r.duration_ms.clamp(0, 3_600_000),
                presentation: "offline",
                device_id,
            },
            key,
            now,
        )?;
        if inserted {
            out.accepted += 1;
            // A stored review has a key: a card without one fails the insert above.
            touched.insert(r.card_id.as_str(), key.unwrap_or_default());
        } else {
            out.duplicates += 1;
        }
    }
    // A duplicate touches nothing: its review was replayed when it first arrived. The
    // touched cards are replayed first and their changes numbered after, in one update of
    // the learner's counter instead of one a card, in the same order (by card id).
    let mut states = Vec::with_capacity(touched.len());
    for (card, key) in touched {
        if let Some(state) = scheduler.replay(&study::card_reviews_by_key(tx, user_id, key)?) {
            states.push((card, state));
        }
    }
    if !states.is_empty() {
        let last = study::take_sync_numbers(tx, user_id, states.len())?;
        let first = last - states.len() as i64 + 1;
        for (seq, (card, state)) in (first..).zip(&states) {
            study::save_state_numbered(tx, user_id, card, state, seq)?;
        }
    }
    Ok(out)
}

/// [`study::insert_review`] with the card's key already looked up: `None` (a card no deck
/// import gave a key) fails on the log's NOT NULL, as the lookup inside that insert does.
fn insert_review(
    tx: &Transaction<'_>,
    r: &NewReview<'_>,
    card_key: Option<i64>,
    received_at: Instant,
) -> rusqlite::Result<bool> {
    let n = tx
        .prepare_cached(
            "INSERT INTO reviews (id, user_id, card, answered_at, rating, correct,
             given_answer, duration_ms, presentation, device_id, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (user_id, id) DO NOTHING",
        )?
        .execute(params![
            Stored(r.id.as_str()),
            r.user_id,
            card_key,
            r.answered_at,
            r.rating as i64,
            r.correct,
            r.given_answer,
            r.duration_ms,
            r.presentation,
            r.device_id,
            received_at
        ])?;
    Ok(n == 1)
}

/// Takes out of `batch` every review whose id (a UUID, in any case) this learner's log holds
/// already, keeping the others in order; returns how many it took out. Ids that are not
/// UUIDs stay, to be refused by validation.
pub fn set_aside_stored(
    tx: &Transaction<'_>,
    user_id: UserId,
    batch: &mut Vec<IncomingReview>,
) -> rusqlite::Result<usize> {
    let before = batch.len();
    let mut failed = None;
    // A canonical id is stored as its 16 bytes (`db::review_id`): probe with them directly.
    let mut probe = tx.prepare_cached("SELECT 1 FROM reviews WHERE user_id = ?1 AND id = ?2")?;
    batch.retain(|r| {
        if failed.is_some() {
            return true;
        }
        let Ok(id) = uuid::Uuid::try_parse(&r.id) else {
            return true;
        };
        match probe.exists(params![user_id, &id.as_bytes()[..]]) {
            Ok(stored) => !stored,
            Err(e) => {
                failed = Some(e);
                true
            }
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(before - batch.len()),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    pub card_id: String,
    pub state: CardState,
    pub seq: i64,
}

/// Card states changed after `since`, oldest change first: one range of `card_states_seq`.
pub fn changed_since(
    conn: &Connection,
    user_id: UserId,
    since: i64,
) -> rusqlite::Result<Vec<Changed>> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM card_states WHERE user_id = ?1 AND seq > ?2 ORDER BY seq")?;
    let rows = stmt.query_map(params![user_id, since], |row| {
        Ok(Changed {
            card_id: row.get("card_id")?,
            state: study::row_to_state(row)?,
            seq: row.get("seq")?,
        })
    })?;
    rows.collect()
}

/// The learner's newest change number: the cursor to hand back.
pub fn current_seq(conn: &Connection, user_id: UserId) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT sync_seq FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Rejection;
    use proptest::prelude::*;
    use std::collections::HashMap;

    const T0: i64 = 1_750_000_000_000;
    const CARDS: [&str; 3] = ["e1/date", "e2/date", "e3/date"];

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0),
                                      ('e2/date', 'd', 'e2', 'date', 1, 0),
                                      ('e3/date', 'd', 'e3', 'date', 2, 0);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 'ann', 'Ann', 'x', 'learner', 0);",
        )
        .unwrap();
        conn
    }

    fn review(n: u128, card: usize, rating: i64, minutes: i64) -> IncomingReview {
        IncomingReview {
            id: uuid::Uuid::from_u128(n + 1).to_string(),
            card_id: CARDS[card].to_string(),
            rating,
            answered_at: T0 + minutes * 60_000,
            duration_ms: 1000,
            given_answer: String::new(),
        }
    }

    fn sync(conn: &mut Connection, device: &str, batch: &[IncomingReview]) -> Outcome {
        let tx = conn.transaction().unwrap();
        let out = apply(
            &tx,
            &Scheduler::new(0.9),
            UserId(1),
            device,
            batch,
            Instant::from_ms(T0 + 1_000_000_000),
            |c| CARDS.contains(&c),
        )
        .unwrap();
        tx.commit().unwrap();
        out
    }

    fn states(conn: &Connection) -> Vec<(String, CardState)> {
        CARDS
            .iter()
            .filter_map(|c| {
                study::card_state(conn, UserId(1), c)
                    .unwrap()
                    .map(|s| (c.to_string(), s))
            })
            .collect()
    }

    #[test]
    fn the_same_batch_twice_changes_nothing_the_second_time() {
        let mut conn = db();
        let batch = vec![
            review(1, 0, 3, 0),
            review(2, 1, 1, 5),
            review(3, 0, 3, 3000),
        ];
        let first = sync(&mut conn, "phone", &batch);
        assert_eq!((first.accepted, first.duplicates), (3, 0));
        let after_first = states(&conn);
        let cursor = current_seq(&conn, UserId(1)).unwrap();
        let again = sync(&mut conn, "phone", &batch);
        assert_eq!((again.accepted, again.duplicates), (0, 3));
        assert_eq!(states(&conn), after_first);
        assert!(changed_since(&conn, UserId(1), cursor).unwrap().is_empty());
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3);
    }

    #[test]
    fn a_bad_review_is_rejected_and_the_rest_applied() {
        let mut conn = db();
        let mut bad = review(9, 0, 3, 1);
        bad.card_id = "nope/date".into();
        let mut bad_rating = review(10, 1, 3, 1);
        bad_rating.rating = 7;
        let out = sync(&mut conn, "phone", &[review(1, 0, 3, 0), bad, bad_rating]);
        assert_eq!(out.accepted, 1);
        assert_eq!(
            out.rejected.iter().map(|r| r.reason).collect::<Vec<_>>(),
            vec![Rejection::UnknownCard, Rejection::BadRating]
        );
        assert_eq!(states(&conn).len(), 1);
    }

    #[test]
    fn two_devices_converge_in_either_order_to_one_device_in_time_order() {
        let phone = vec![
            review(1, 0, 3, 0),
            review(2, 0, 1, 2 * 1440),
            review(3, 1, 3, 3 * 1440),
        ];
        let laptop = vec![
            review(4, 0, 3, 1440),
            review(5, 1, 4, 0),
            review(6, 0, 3, 4 * 1440),
        ];
        let mut a = db();
        sync(&mut a, "phone", &phone);
        sync(&mut a, "laptop", &laptop);
        let mut b = db();
        sync(&mut b, "laptop", &laptop);
        sync(&mut b, "phone", &phone);
        assert_eq!(states(&a), states(&b));
        // One device answering everything live, in time order, with the web's scheduler.
        let mut all: Vec<IncomingReview> = phone.iter().chain(&laptop).cloned().collect();
        all.sort_by_key(|r| r.answered_at);
        let s = Scheduler::new(0.9);
        let mut live: HashMap<String, CardState> = HashMap::new();
        for r in &all {
            let review = crate::srs::Review {
                answered_at: r.answered().secs(),
                rating: Rating::from_number(r.rating).unwrap(),
                fuzz: crate::srs::fuzz::factor(&r.id),
            };
            let next = s.next(live.get(&r.card_id), &review);
            live.insert(r.card_id.clone(), next);
        }
        let mut expected: Vec<(String, CardState)> = live.into_iter().collect();
        expected.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(states(&a), expected);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any split of a review history over devices, uploaded in any order, in batches
        /// that may be sent again, ends in the state of uploading it all at once.
        #[test]
        fn any_interleaving_with_retries_converges(
            history in proptest::collection::vec((0usize..3, 1i64..=4, 0i64..20_000), 1..30),
            split in proptest::collection::vec((0usize..3, any::<bool>()), 30),
            order in Just(()).prop_perturb(|_, mut rng| {
                let mut v: Vec<usize> = (0..30).collect();
                for i in (1..v.len()).rev() {
                    v.swap(i, rng.random_range(0..=i));
                }
                v
            }),
        ) {
            let reviews: Vec<IncomingReview> = history
                .iter()
                .enumerate()
                .map(|(i, (card, rating, minutes))| review(i as u128, *card, *rating, *minutes))
                .collect();
            let mut reference = db();
            sync(&mut reference, "all", &reviews);
            // Each review goes to one of three devices; each device uploads one batch per
            // review in shuffled order, some twice (a reply that never arrived).
            let mut conn = db();
            for &i in order.iter().filter(|&&i| i < reviews.len()) {
                let (device, retry) = split[i];
                let device = format!("device-{device}");
                let batch = vec![reviews[i].clone()];
                sync(&mut conn, &device, &batch);
                if retry {
                    let again = sync(&mut conn, &device, &batch);
                    prop_assert_eq!(again.accepted, 0);
                }
            }
            prop_assert_eq!(states(&conn), states(&reference));
        }
    }
}
