//! The review log and the card states derived from it. `answered_at` and `received_at` are unix
//! milliseconds, so answers given within one second keep their order; card states use seconds.

use super::review_id::{Stored, with_text};
use crate::clock::Instant;
use crate::ids::{CardId, DeckId, ReviewId, UserId};
use crate::srs::optimiser::LoggedReview;
use crate::srs::{CardState, DayClock, Phase, Rating, Review, Scheduler, fuzz};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use std::collections::HashMap;

/// One answer, as appended to the log.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub id: &'a ReviewId,
    pub user_id: UserId,
    pub card_id: &'a str,
    pub answered_at: Instant,
    pub rating: Rating,
    pub correct: bool,
    pub given_answer: &'a str,
    pub duration_ms: i64,
    pub presentation: &'a str,
    pub device_id: &'a str,
}

/// Appends a review; returns false when a review with that id is already there (a retry).
pub fn insert_review(
    tx: &Transaction<'_>,
    r: &NewReview<'_>,
    received_at: Instant,
) -> rusqlite::Result<bool> {
    // Cached: a sync batch inserts thousands of reviews through this one statement. Only a
    // repeated id is skipped (not `OR IGNORE`, which would also skip a card without a key
    // as if it were a duplicate).
    let n = tx
        .prepare_cached(
            "INSERT INTO reviews (id, user_id, card, answered_at, rating, correct,
             given_answer, duration_ms, presentation, device_id, received_at)
         VALUES (?1, ?2, (SELECT key FROM card_keys WHERE card_id = ?3), ?4, ?5, ?6, ?7, ?8,
                 ?9, ?10, ?11)
         ON CONFLICT (user_id, id) DO NOTHING",
        )?
        .execute(params![
            Stored(r.id.as_str()),
            r.user_id,
            r.card_id,
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

/// Whether this learner's log already holds a review with this id (ids are per learner).
pub fn has_review(conn: &Connection, user_id: UserId, id: &ReviewId) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM reviews WHERE user_id = ?1 AND id = ?2")?
        .query_row(params![user_id, Stored(id.as_str())], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

pub(crate) fn row_to_state(row: &Row<'_>) -> rusqlite::Result<CardState> {
    let phase: String = row.get("state")?;
    Ok(CardState {
        stability: row.get::<_, f64>("stability")? as f32,
        difficulty: row.get::<_, f64>("difficulty")? as f32,
        due: row.get("due")?,
        last_review: row.get("last_review")?,
        reps: row.get("reps")?,
        lapses: row.get("lapses")?,
        phase: Phase::parse(&phase).ok_or_else(|| super::invalid_value(row, "state", &phase))?,
        step: row.get("step")?,
    })
}

/// The columns [`state_at`] reads, in its order.
const STATE_COLUMNS: &str = "stability, difficulty, due, last_review, reps, lapses, state, step";

/// [`row_to_state`] by position: the columns of [`STATE_COLUMNS`] from `at` on. Finding each
/// column by name was a quarter of reading a learner's states (the study queue's and the
/// dashboard's largest query) in the load benchmark's profile.
fn state_at(row: &Row<'_>, at: usize) -> rusqlite::Result<CardState> {
    let phase = row.get_ref(at + 6)?.as_str()?;
    Ok(CardState {
        stability: row.get::<_, f64>(at)? as f32,
        difficulty: row.get::<_, f64>(at + 1)? as f32,
        due: row.get(at + 2)?,
        last_review: row.get(at + 3)?,
        reps: row.get(at + 4)?,
        lapses: row.get(at + 5)?,
        phase: Phase::parse(phase).ok_or_else(|| super::invalid_value(row, "state", phase))?,
        step: row.get(at + 7)?,
    })
}

pub fn card_state(
    conn: &Connection,
    user_id: UserId,
    card_id: &str,
) -> rusqlite::Result<Option<CardState>> {
    conn.prepare_cached(&format!(
        "SELECT {STATE_COLUMNS} FROM card_states WHERE user_id = ?1 AND card_id = ?2"
    ))?
    .query_row(params![user_id, card_id], |row| state_at(row, 0))
    .optional()
}

pub fn save_state(
    tx: &Transaction<'_>,
    user_id: UserId,
    card_id: &str,
    s: &CardState,
) -> rusqlite::Result<()> {
    // Each change takes the learner's next sync number: the cursor of the sync API.
    let seq = take_sync_numbers(tx, user_id, 1)?;
    save_state_numbered(tx, user_id, card_id, s, seq)
}

/// Takes the learner's next `n` sync numbers; returns the last (the first is `last - n + 1`).
pub fn take_sync_numbers(tx: &Transaction<'_>, user_id: UserId, n: usize) -> rusqlite::Result<i64> {
    tx.prepare_cached("UPDATE users SET sync_seq = sync_seq + ?2 WHERE id = ?1 RETURNING sync_seq")?
        .query_row(params![user_id, n as i64], |r| r.get(0))
}

/// Saves a card's state as change number `seq`, taken with [`take_sync_numbers`].
pub fn save_state_numbered(
    tx: &Transaction<'_>,
    user_id: UserId,
    card_id: &str,
    s: &CardState,
    seq: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO card_states (user_id, card_id, stability, difficulty, due, last_review, reps,
                                  lapses, state, seq, step)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(user_id, card_id) DO UPDATE SET stability = excluded.stability,
             difficulty = excluded.difficulty, due = excluded.due,
             last_review = excluded.last_review, reps = excluded.reps,
             lapses = excluded.lapses, state = excluded.state, seq = excluded.seq,
             step = excluded.step",
    )?
    .execute(params![
        user_id,
        card_id,
        s.stability as f64,
        s.difficulty as f64,
        s.due,
        s.last_review,
        s.reps,
        s.lapses,
        s.phase.as_str(),
        seq,
        s.step
    ])?;
    Ok(())
}

/// The learner's whole log, as the optimiser reads it.
pub fn learner_log(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<LoggedReview>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.card_id, r.answered_at, r.rating FROM reviews r
             CROSS JOIN card_keys k ON k.key = r.card WHERE r.user_id = ?1",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok(LoggedReview {
            card_id: r.get(0)?,
            answered_at: r.get::<_, Instant>(1)?.secs(),
            rating: {
                let rating: u32 = r.get(2)?;
                Rating::from_number(i64::from(rating))
                    .ok_or_else(|| super::invalid_value(r, "rating", rating))?;
                rating
            },
        })
    })?;
    rows.collect()
}

/// Every card this learner has a state for.
pub fn card_ids_with_state(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<CardId>> {
    let mut stmt = conn.prepare_cached("SELECT card_id FROM card_states WHERE user_id = ?1")?;
    let rows = stmt.query_map([user_id], |r| r.get(0))?;
    rows.collect()
}

/// How many answers the learner has given.
pub fn review_count(conn: &Connection, user_id: UserId) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT COUNT(*) FROM reviews WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get(0))
}

/// Every state this learner has, whatever the deck (retired cards too): one range of the
/// primary key. For callers that look states up by the cards they already hold; cheaper
/// than [`deck_states`], which must look each state's card up to know its deck.
pub fn learner_states(
    conn: &Connection,
    user_id: UserId,
) -> rusqlite::Result<HashMap<CardId, CardState>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT card_id, {STATE_COLUMNS} FROM card_states WHERE user_id = ?1"
    ))?;
    let mut rows = stmt.query([user_id])?;
    let mut states = HashMap::with_capacity(64);
    while let Some(row) = rows.next()? {
        states.insert(row.get::<_, CardId>(0)?, state_at(row, 1)?);
    }
    Ok(states)
}

/// Every state this learner has for the cards of one deck.
pub fn deck_states(
    conn: &Connection,
    user_id: UserId,
    deck_id: &str,
) -> rusqlite::Result<HashMap<CardId, CardState>> {
    // CROSS JOIN keeps this order: the learner's own states first (a range of the primary
    // key), then each one's card. Left to itself SQLite walked every card of the deck and
    // probed for a state, ~600 lookups on each study page (a third of the server's CPU under
    // load, per the load benchmark's profile).
    let mut stmt = conn.prepare_cached(
        "SELECT s.* FROM card_states s CROSS JOIN cards c ON c.id = s.card_id
         WHERE s.user_id = ?1 AND c.deck_id = ?2 AND c.retired = 0",
    )?;
    let rows = stmt.query_map(params![user_id, deck_id], |row| {
        Ok((row.get::<_, CardId>("card_id")?, row_to_state(row)?))
    })?;
    rows.collect()
}

/// A card's reviews, oldest first, as replay needs them.
pub fn card_reviews(
    conn: &Connection,
    user_id: UserId,
    card_id: &str,
) -> rusqlite::Result<Vec<Review>> {
    match card_key(conn, card_id)? {
        Some(key) => card_reviews_by_key(conn, user_id, key),
        None => Ok(Vec::new()),
    }
}

/// The small number the log stores for a card (`card_keys`, see `migrations/0009`).
pub fn card_key(conn: &Connection, card_id: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT key FROM card_keys WHERE card_id = ?1")?
        .query_row([card_id], |r| r.get(0))
        .optional()
}

/// [`card_reviews`] of the card with this key (`card_keys.key`).
pub fn card_reviews_by_key(
    conn: &Connection,
    user_id: UserId,
    card_key: i64,
) -> rusqlite::Result<Vec<Review>> {
    let mut stmt = conn.prepare_cached(
        "SELECT answered_at, rating, id FROM reviews WHERE user_id = ?1 AND card = ?2
         ORDER BY answered_at, id",
    )?;
    let rows = stmt.query_map(params![user_id, card_key], |row| {
        let rating: i64 = row.get(1)?;
        Ok(Review {
            answered_at: row.get::<_, Instant>(0)?.secs(),
            rating: Rating::from_number(rating)
                .ok_or_else(|| super::invalid_value(row, "rating", rating))?,
            fuzz: with_text(row.get_ref(2)?, fuzz::factor)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, Type::Blob, e.into()))?,
        })
    })?;
    rows.collect()
}

/// Brings a card's state to what a replay of its whole log gives, and saves it (taking the
/// learner's next sync number). Returns the state; `None` when the card has no reviews.
pub fn replay_card(
    tx: &Transaction<'_>,
    scheduler: &Scheduler,
    user_id: UserId,
    card_id: &str,
) -> rusqlite::Result<Option<CardState>> {
    let reviews = card_reviews(tx, user_id, card_id)?;
    let state = scheduler.replay(&reviews);
    if let Some(state) = &state {
        save_state(tx, user_id, card_id, state)?;
    }
    Ok(state)
}

/// The cards answered since then (a short range of `reviews_user_time`) that have no earlier
/// review (one probe of `reviews_user_card` each): the cost follows today's answers, not the
/// learner's whole history, which grouping every review by card read on each study page.
const NEW_CARDS_SINCE: &str = "SELECT COUNT(DISTINCT r.card) FROM reviews r
     WHERE r.user_id = ?1 AND r.answered_at >= ?2
       AND NOT EXISTS (SELECT 1 FROM reviews p
                       WHERE p.user_id = ?1 AND p.card = r.card AND p.answered_at < ?2)";

/// How many distinct cards the learner saw for the first time at or after `since`.
pub fn new_cards_since(conn: &Connection, user_id: UserId, since: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached(NEW_CARDS_SINCE)?
        .query_row(params![user_id, Instant::from_secs(since)], |r| r.get(0))
}

/// Reviews answered at or after `since`: (all, right), optionally for one deck.
pub fn answered_since(
    conn: &Connection,
    user_id: UserId,
    since: i64,
    deck_id: Option<&str>,
) -> rusqlite::Result<(i64, i64)> {
    let Some(deck_id) = deck_id else {
        // Every deck: a range of `reviews_user_time`, with no card looked up per review.
        return conn
            .prepare_cached(
                "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM reviews
                 WHERE user_id = ?1 AND answered_at >= ?2",
            )?
            .query_row(params![user_id, Instant::from_secs(since)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            });
    };
    conn.prepare_cached(
        "SELECT COUNT(*), COALESCE(SUM(r.correct), 0) FROM reviews r
         CROSS JOIN card_keys k ON k.key = r.card CROSS JOIN cards c ON c.id = k.card_id
         WHERE r.user_id = ?1 AND r.answered_at >= ?2 AND c.deck_id = ?3",
    )?
    .query_row(params![user_id, Instant::from_secs(since), deck_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// Distinct learner days ([`DayClock::day`]) on which the learner answered, newest first.
/// Grouped in SQL with the zone's offset at `now`: across a clock change an answer within an
/// hour of the rollover may count for the neighbouring day, which a streak can bear.
pub fn study_days(
    conn: &Connection,
    user_id: UserId,
    clock: &DayClock,
    now: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT (answered_at + ?2) / ?3 AS day FROM reviews WHERE user_id = ?1
         ORDER BY day DESC LIMIT 3660",
    )?;
    // In the unit of the column: a review's moment plus the shift, in whole days.
    let rows = stmt.query_map(params![user_id, day_shift_ms(clock, now), DAY_MS], |r| {
        r.get(0)
    })?;
    rows.collect()
}

/// A card whose latest answer was wrong.
#[derive(Debug, Clone)]
pub struct Missed {
    pub card_id: String,
    /// Unix seconds.
    pub missed_at: i64,
    pub given_answer: String,
    pub times_missed: i64,
    pub seed_reps: i64,
}

/// Cards whose latest review is wrong, most recent miss first. A right answer in a later
/// review takes a card off the list.
pub fn missed(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<Missed>> {
    let mut stmt = conn.prepare_cached(
        "WITH ranked AS (
             SELECT k.card_id, r.answered_at, r.correct, r.given_answer,
                    ROW_NUMBER() OVER (PARTITION BY r.card ORDER BY r.answered_at DESC, r.rowid DESC) AS n,
                    SUM(1 - r.correct) OVER (PARTITION BY r.card) AS misses,
                    COUNT(*) OVER (PARTITION BY r.card) AS reps
             FROM reviews r CROSS JOIN card_keys k ON k.key = r.card
                  CROSS JOIN cards c ON c.id = k.card_id
             WHERE r.user_id = ?1 AND c.retired = 0)
         SELECT card_id, answered_at, given_answer, misses, reps FROM ranked
         WHERE n = 1 AND correct = 0 ORDER BY answered_at DESC, card_id DESC",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok(Missed {
            card_id: r.get(0)?,
            missed_at: r.get::<_, Instant>(1)?.secs(),
            given_answer: r.get(2)?,
            times_missed: r.get(3)?,
            seed_reps: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// How many cards [`missed`] lists, without reading their answers: the dashboard's count.
pub fn missed_count(conn: &Connection, user_id: UserId) -> rusqlite::Result<usize> {
    // Each card's latest review first, and only the wrong ones joined to their card (retired
    // or not is a property of the card, so filtering after ranking counts the same): joining
    // every review of the log to its card was most of this query's cost on each dashboard.
    conn.prepare_cached(
        "SELECT COUNT(*) FROM (
             SELECT r.card, r.correct,
                    ROW_NUMBER() OVER (PARTITION BY r.card ORDER BY r.answered_at DESC, r.rowid DESC) AS n
             FROM reviews r WHERE r.user_id = ?1) m
         CROSS JOIN card_keys k ON k.key = m.card CROSS JOIN cards c ON c.id = k.card_id
         WHERE m.n = 1 AND m.correct = 0 AND c.retired = 0",
    )?
    .query_row([user_id], |r| r.get::<_, i64>(0))
    .map(|n| n as usize)
}

/// Each card's latest review (by `answered_at`, then log order, as [`missed`] ranks them):
/// the card, when, and whether it was right. What the learner summary keeps per card.
pub fn latest_reviews(
    conn: &Connection,
    user_id: UserId,
) -> rusqlite::Result<Vec<(CardId, Instant, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.card_id, m.answered_at, m.correct FROM (
             SELECT r.card, r.answered_at, r.correct,
                    ROW_NUMBER() OVER (PARTITION BY r.card ORDER BY r.answered_at DESC, r.rowid DESC) AS n
             FROM reviews r WHERE r.user_id = ?1) m
         CROSS JOIN card_keys k ON k.key = m.card WHERE m.n = 1",
    )?;
    let rows = stmt.query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// [`answered_since`] for every deck at once: (deck, all, right), decks with answers only.
pub fn answered_since_by_deck(
    conn: &Connection,
    user_id: UserId,
    since: i64,
) -> rusqlite::Result<Vec<(DeckId, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.deck_id, COUNT(*), COALESCE(SUM(r.correct), 0) FROM reviews r
         CROSS JOIN card_keys k ON k.key = r.card CROSS JOIN cards c ON c.id = k.card_id
         WHERE r.user_id = ?1 AND r.answered_at >= ?2 GROUP BY c.deck_id",
    )?;
    let rows = stmt.query_map(params![user_id, Instant::from_secs(since)], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

/// A day in milliseconds, the unit of `answered_at`.
pub const DAY_MS: i64 = 86_400_000;

/// The shift [`study_days`] groups answers with (milliseconds): the zone's offset at `now`
/// less the rollover hour. A day is `(answered_at + shift) / DAY_MS`.
pub fn day_shift_ms(clock: &DayClock, now: i64) -> i64 {
    let shift = time::Duration::seconds(clock.offset_at(now))
        - time::Duration::hours(i64::from(clock.rollover_hour()));
    shift.whole_milliseconds() as i64
}

/// Answers and misses per card for this learner, from the log.
pub fn tallies(
    conn: &Connection,
    user_id: UserId,
) -> rusqlite::Result<HashMap<String, crate::srs::Tally>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.card_id, COUNT(*), COALESCE(SUM(1 - r.correct), 0) FROM reviews r
         CROSS JOIN card_keys k ON k.key = r.card WHERE r.user_id = ?1 GROUP BY r.card",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            crate::srs::Tally {
                answers: r.get(1)?,
                misses: r.get(2)?,
            },
        ))
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A learner with one card state and one review, both well formed; each test then breaks
    /// one stored value with raw SQL (CHECK constraints off, as a damaged file would be).
    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards (id, deck_id, subject_id, kind, position) VALUES ('e/date', 'd', 'e', 'date', 0);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 'ann', 'Ann', 'x', 'learner', 0);
             INSERT INTO card_states (user_id, card_id, stability, difficulty, due, last_review,
                                      reps, lapses, state, seq, step)
               VALUES (1, 'e/date', 3.0, 5.0, 100, 0, 1, 0, 'review', 1, 0);
             INSERT INTO reviews (id, user_id, card, answered_at, rating, correct,
                                  given_answer, duration_ms, presentation, device_id, received_at)
               VALUES ('r1', 1, (SELECT key FROM card_keys WHERE card_id = 'e/date'), 1000, 3, 1, '', 0, 'flashcard', 'web', 1000);
             PRAGMA ignore_check_constraints = ON;",
        )
        .unwrap();
        conn
    }

    fn is_conversion_failure(e: rusqlite::Error) -> bool {
        matches!(e, rusqlite::Error::FromSqlConversionFailure(..))
    }

    #[test]
    fn a_card_state_with_an_unknown_phase_fails_the_read() {
        let conn = db();
        assert!(card_state(&conn, UserId(1), "e/date").unwrap().is_some());
        conn.execute("UPDATE card_states SET state = 'lost'", [])
            .unwrap();
        let e = card_state(&conn, UserId(1), "e/date").unwrap_err();
        assert!(e.to_string().contains("lost"), "{e}");
        assert!(is_conversion_failure(e));
    }

    #[test]
    fn a_card_state_with_negative_reps_fails_the_read() {
        let conn = db();
        conn.execute("UPDATE card_states SET reps = -1", [])
            .unwrap();
        assert!(card_state(&conn, UserId(1), "e/date").is_err());
        assert!(deck_states(&conn, UserId(1), "d").is_err());
    }

    #[test]
    fn a_review_with_an_unknown_rating_fails_replay_and_the_optimiser_log() {
        let conn = db();
        assert_eq!(card_reviews(&conn, UserId(1), "e/date").unwrap().len(), 1);
        assert_eq!(learner_log(&conn, UserId(1)).unwrap().len(), 1);
        conn.execute("UPDATE reviews SET rating = 7", []).unwrap();
        assert!(is_conversion_failure(
            card_reviews(&conn, UserId(1), "e/date").unwrap_err()
        ));
        assert!(is_conversion_failure(
            learner_log(&conn, UserId(1)).unwrap_err()
        ));
    }
}

#[cfg(test)]
mod log_range_tests;
