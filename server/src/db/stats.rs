//! What the statistics and the timeline read of one learner: the whole review log in a
//! compact form, every card state, and one event's history.

use crate::clock::Instant;
use crate::db::study::row_to_state;
use crate::ids::{CardId, UserId};
use crate::srs::CardState;
use crate::stats::Answer;
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// Every answer of the learner, oldest first (times in seconds).
pub fn answers(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<Answer>> {
    // Served by reviews_user_time without reading the table for all but duration.
    let mut stmt = conn.prepare_cached(
        "SELECT k.card_id, r.answered_at, r.correct, r.duration_ms FROM reviews r
         CROSS JOIN card_keys k ON k.key = r.card WHERE r.user_id = ?1
         ORDER BY r.answered_at, r.rowid",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok(Answer {
            card_id: r.get(0)?,
            at: r.get::<_, Instant>(1)?.secs(),
            correct: r.get(2)?,
            duration_ms: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Every card state of the learner, by card id.
pub fn states(conn: &Connection, user_id: UserId) -> rusqlite::Result<HashMap<CardId, CardState>> {
    let mut stmt = conn.prepare_cached("SELECT * FROM card_states WHERE user_id = ?1")?;
    let rows = stmt.query_map([user_id], |row| {
        Ok((row.get::<_, CardId>("card_id")?, row_to_state(row)?))
    })?;
    rows.collect()
}

/// One answer as the event's history lists it.
#[derive(Debug, Clone)]
pub struct Past {
    pub card_id: String,
    pub answered_at: Instant,
    pub correct: bool,
    pub given_answer: String,
}

/// The learner's answers on these cards, newest first.
pub fn history(
    conn: &Connection,
    user_id: UserId,
    card_ids: &[CardId],
) -> rusqlite::Result<Vec<Past>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT ?2, answered_at, correct, given_answer FROM reviews
         WHERE user_id = ?1 AND card = (SELECT key FROM card_keys WHERE card_id = ?2)",
    )?;
    for id in card_ids {
        let rows = stmt.query_map(params![user_id, id], |r| {
            Ok(Past {
                card_id: r.get(0)?,
                answered_at: r.get(1)?,
                correct: r.get(2)?,
                given_answer: r.get(3)?,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.answered_at));
    Ok(out)
}
