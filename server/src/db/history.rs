//! A learner's whole history, read for an export of their own cards: settings, card states
//! and every answer, in one transaction so that they agree.

use super::review_id::with_text;
use super::study::{learner_states, review_count};
use crate::clock::Instant;
use crate::ids::{CardId, UserId};
use crate::srs::{CardState, Rating, Review, fuzz};
use rusqlite::Connection;
use rusqlite::types::Type;
use std::collections::HashMap;

/// One answer of a learner's log, as an export replays it.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub card_id: String,
    pub answered_at: Instant,
    pub review: Review,
    pub duration_ms: i64,
}

/// Everything an export of a learner's cards needs, read in one transaction so the states
/// and the answers agree.
pub struct LearnerHistory {
    pub settings: crate::srs::Settings,
    pub states: HashMap<CardId, CardState>,
    pub answers: Vec<HistoryEntry>,
}

/// The learner's settings, card states and whole log; `Err` with the number of answers when
/// there are more than `max_answers` (nothing more is read).
pub fn learner_history(
    conn: &mut Connection,
    user_id: UserId,
    max_answers: i64,
) -> rusqlite::Result<Result<LearnerHistory, i64>> {
    let tx = conn.transaction()?;
    let count = review_count(&tx, user_id)?;
    if count > max_answers {
        return Ok(Err(count));
    }
    Ok(Ok(LearnerHistory {
        settings: super::users::scheduling(&tx, user_id)?,
        states: learner_states(&tx, user_id)?,
        answers: history(&tx, user_id)?,
    }))
}

/// The learner's whole log, card by card, oldest first within a card.
pub fn history(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.card_id, r.answered_at, r.rating, r.id, r.duration_ms FROM reviews r
             CROSS JOIN card_keys k ON k.key = r.card WHERE r.user_id = ?1
         ORDER BY k.card_id, r.answered_at, r.id",
    )?;
    let rows = stmt.query_map([user_id], |row| {
        let rating: i64 = row.get(2)?;
        let answered_at: Instant = row.get(1)?;
        Ok(HistoryEntry {
            card_id: row.get(0)?,
            answered_at,
            review: Review {
                answered_at: answered_at.secs(),
                rating: Rating::from_number(rating)
                    .ok_or_else(|| super::invalid_value(row, "rating", rating))?,
                fuzz: with_text(row.get_ref(3)?, fuzz::factor).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(3, Type::Blob, e.into())
                })?,
            },
            duration_ms: row.get(4)?,
        })
    })?;
    rows.collect()
}
