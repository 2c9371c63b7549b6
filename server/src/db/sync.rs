//! Sync storage: a batch of reviews is added to the log (idempotent by UUID) and every card
//! it touched is replayed from its whole log, in one transaction.

use crate::clock::Instant;
use crate::db::review_id::Stored;
use crate::db::study::{self, NewReview};
use crate::ids::{ReviewId, UserId};
use crate::srs::{CardState, Phase, Rating, Scheduler};
use crate::sync::IncomingReview;
use crate::sync::batch::{Rejected, triage};
use rusqlite::{Connection, Transaction, params};
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// How many of the learner's stored ids one walk of their log may read per id of the batch
/// before the rest are probed one by one. A probe is a B-tree descent (about ten times a step
/// of the walk here, and one level deeper for every hundredfold growth of the whole log); the
/// walk reads the learner's own ids in key order, whatever the file's size. So a batch sent
/// again by a learner whose log is at most this many times its size costs one walk, and no
/// batch costs more than about twice its probes.
const WALK_PER_ID: usize = 8;

/// Takes out of `batch` every review whose id (a UUID, in any case) this learner's log holds
/// already, keeping the others in order; returns how many it took out. Ids that are not
/// UUIDs stay, to be refused by validation.
pub fn set_aside_stored(
    tx: &Transaction<'_>,
    user_id: UserId,
    batch: &mut Vec<IncomingReview>,
) -> rusqlite::Result<usize> {
    // A canonical id is stored as its 16 bytes (`db::review_id`): compare those.
    let keys: Vec<Option<[u8; 16]>> = batch
        .iter()
        .map(|r| uuid::Uuid::try_parse(&r.id).ok().map(|u| *u.as_bytes()))
        .collect();
    let mut wanted = HashSet::with_capacity(keys.len());
    wanted.extend(keys.iter().flatten().copied());
    if wanted.is_empty() {
        return Ok(0);
    }
    let stored = stored_among(tx, user_id, &wanted)?;
    if stored.is_empty() {
        return Ok(0);
    }
    let before = batch.len();
    let mut keys = keys.into_iter();
    batch.retain(|_| {
        keys.next()
            .flatten()
            .is_none_or(|key| !stored.contains(&key))
    });
    Ok(before - batch.len())
}

/// Which of `wanted` the learner's log holds: one walk of their 16-byte ids in key order
/// (`reviews_user_id`; text ids sort before blobs and are skipped), at most
/// [`WALK_PER_ID`] per wanted id, then a probe for each wanted id past where the walk stopped.
fn stored_among(
    tx: &Transaction<'_>,
    user_id: UserId,
    wanted: &HashSet<[u8; 16]>,
) -> rusqlite::Result<HashSet<[u8; 16]>> {
    let mut stored = HashSet::new();
    let limit = wanted.len().saturating_mul(WALK_PER_ID);
    let mut walk = tx.prepare_cached(
        "SELECT id FROM reviews WHERE user_id = ?1 AND id >= X'' ORDER BY id LIMIT ?2",
    )?;
    let mut rows = walk.query(params![user_id, i64::try_from(limit).unwrap_or(i64::MAX)])?;
    let (mut read, mut last) = (0, Vec::new());
    while let Some(row) = rows.next()? {
        read += 1;
        let id = row.get_ref(0)?.as_blob()?;
        if let Ok(key) = <[u8; 16]>::try_from(id)
            && wanted.contains(&key)
        {
            stored.insert(key);
        }
        last.clear();
        last.extend_from_slice(id);
    }
    if read == limit {
        // Everything up to `last` was read; ids after it may still be stored.
        let mut probe =
            tx.prepare_cached("SELECT 1 FROM reviews WHERE user_id = ?1 AND id = ?2")?;
        for key in wanted.iter().filter(|k| k.as_slice() > last.as_slice()) {
            if probe.exists(params![user_id, &key[..]])? {
                stored.insert(*key);
            }
        }
    }
    Ok(stored)
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
    // Columns by position: finding each by name was a fifth of a batch sent again (which
    // returns every state) in the profile.
    let mut stmt = conn.prepare_cached(
        "SELECT card_id, seq, stability, difficulty, due, last_review, reps, lapses, state, step
         FROM card_states WHERE user_id = ?1 AND seq > ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![user_id, since], |row| {
        let phase = row.get_ref(8)?.as_str()?;
        Ok(Changed {
            card_id: row.get(0)?,
            seq: row.get(1)?,
            state: CardState {
                stability: row.get::<_, f64>(2)? as f32,
                difficulty: row.get::<_, f64>(3)? as f32,
                due: row.get(4)?,
                last_review: row.get(5)?,
                reps: row.get(6)?,
                lapses: row.get(7)?,
                phase: Phase::parse(phase)
                    .ok_or_else(|| crate::db::invalid_value(row, "state", phase))?,
                step: row.get(9)?,
            },
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

    /// What `set_aside_stored` must take out: each review whose id, as 16 bytes, this
    /// learner's log holds, found one probe at a time (the plain way, for comparison).
    fn stored_by_probes(conn: &Connection, user: i64, batch: &[IncomingReview]) -> Vec<bool> {
        batch
            .iter()
            .map(|r| {
                uuid::Uuid::try_parse(&r.id).is_ok_and(|u| {
                    conn.query_row(
                        "SELECT count(*) FROM reviews WHERE user_id = ?1 AND id = ?2",
                        params![user, &u.as_bytes()[..]],
                        |row| row.get::<_, i64>(0),
                    )
                    .unwrap()
                        == 1
                })
            })
            .collect()
    }

    fn set_aside(conn: &mut Connection, user: i64, batch: &[IncomingReview]) -> Vec<String> {
        let tx = conn.transaction().unwrap();
        let mut kept = batch.to_vec();
        let n = set_aside_stored(&tx, UserId(user), &mut kept).unwrap();
        assert_eq!(n, batch.len() - kept.len());
        kept.into_iter().map(|r| r.id).collect()
    }

    /// A learner whose log is far larger than the batch: the walk of their ids stops early
    /// and the ids past it are probed; another learner's reviews never count.
    #[test]
    fn stored_ids_are_found_before_and_past_where_the_walk_stops() {
        let mut conn = db();
        conn.execute_batch(
            "INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (2, 'bo', 'Bo', 'x', 'learner', 0);",
        )
        .unwrap();
        // 200 stored ids, 0..200: a batch of 4 walks at most 32 of them.
        let log: Vec<IncomingReview> = (0..200).map(|n| review(n, 0, 3, n as i64)).collect();
        sync(&mut conn, "phone", &log);
        let mut bo = review(500, 1, 3, 0);
        bo.id = uuid::Uuid::from_u128(900).to_string();
        let tx = conn.transaction().unwrap();
        apply(
            &tx,
            &Scheduler::new(0.9),
            UserId(2),
            "bo",
            &[bo],
            Instant::from_ms(T0 + 1_000_000_000),
            |_| true,
        )
        .unwrap();
        tx.commit().unwrap();
        let mut upper = review(150, 0, 3, 0);
        upper.id = upper.id.to_uppercase();
        let mut not_uuid = review(0, 0, 3, 0);
        not_uuid.id = "not-a-uuid".into();
        let batch = vec![
            review(2, 0, 3, 0),   // stored, early in key order: found by the walk
            review(190, 0, 3, 0), // stored, far past the walk's 32: found by a probe
            upper,                // stored, sent in capitals
            review(300, 0, 3, 0), // new
            review(899, 0, 3, 0), // Bo's id (900 = 899 + 1), not Ann's: new for Ann
            not_uuid,             // stays, for validation to refuse
        ];
        assert_eq!(
            stored_by_probes(&conn, 1, &batch),
            [true, true, true, false, false, false]
        );
        assert_eq!(
            set_aside(&mut conn, 1, &batch),
            [
                batch[3].id.clone(),
                batch[4].id.clone(),
                "not-a-uuid".into()
            ]
        );
        assert_eq!(
            set_aside(&mut conn, 2, &batch),
            batch
                .iter()
                .map(|r| r.id.clone())
                .filter(|id| *id != batch[4].id)
                .collect::<Vec<_>>()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Whatever the sizes of the log and the batch (the walk reading all of the log or
        /// stopping early), exactly the stored reviews are set aside, the rest kept in order.
        #[test]
        fn setting_aside_agrees_with_one_probe_per_review(
            stored in proptest::collection::btree_set(0u128..400, 0..120),
            sent in proptest::collection::vec(0u128..400, 0..30),
        ) {
            let mut conn = db();
            let log: Vec<IncomingReview> =
                stored.iter().map(|&n| review(n, 0, 3, n as i64)).collect();
            sync(&mut conn, "phone", &log);
            let batch: Vec<IncomingReview> = sent.iter().map(|&n| review(n, 1, 3, 0)).collect();
            let expected: Vec<String> = batch
                .iter()
                .zip(stored_by_probes(&conn, 1, &batch))
                .filter(|(_, stored)| !stored)
                .map(|(r, _)| r.id.clone())
                .collect();
            prop_assert_eq!(set_aside(&mut conn, 1, &batch), expected);
        }
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
