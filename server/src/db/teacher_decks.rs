//! Decks teachers uploaded: the file as uploaded, its owner and version. Its events and cards
//! go into `events` and `cards` through `db::decks`, in the same transaction.

use super::DbError;
use crate::dataset::Deck;
use crate::ids::UserId;
use crate::questions::CardSpec;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

/// One uploaded deck as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: String,
    pub owner_id: UserId,
    pub file_name: String,
    pub source_text: String,
    pub version: i64,
}

fn row_to_stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        owner_id: r.get(1)?,
        file_name: r.get(2)?,
        source_text: r.get(3)?,
        version: r.get(4)?,
    })
}

const COLUMNS: &str = "id, owner_id, file_name, source_text, version";

/// Every uploaded deck, oldest first: what start-up loads into the catalog.
pub fn all(conn: &Connection) -> Result<Vec<Stored>, DbError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM teacher_decks ORDER BY created_at, id"
    ))?;
    let rows = stmt.query_map([], row_to_stored)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Stored>, DbError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM teacher_decks WHERE id = ?1"),
            [id],
            row_to_stored,
        )
        .optional()?)
}

/// The uploaded decks `user_id` may see: their own, and those assigned to a class they are in.
pub fn visible_to(conn: &Connection, user_id: UserId) -> Result<HashSet<String>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM teacher_decks WHERE owner_id = ?1
         UNION
         SELECT a.deck_id FROM assignments a
           JOIN class_members m ON m.class_id = a.class_id
          WHERE m.user_id = ?1",
    )?;
    let rows = stmt.query_map([user_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What one save writes.
pub struct Save<'a> {
    pub owner_id: UserId,
    pub file_name: &'a str,
    pub source_text: &'a str,
    pub deck: &'a Deck,
    pub cards: &'a [CardSpec],
    pub now: i64,
}

/// Stores a new deck, or a new version of one `owner_id` owns (`replacing`), with its events
/// and cards, in one transaction. `None` when the id is taken (a new deck) or is not the
/// owner's (a new version): nothing is written then.
pub fn save(conn: &mut Connection, s: Save<'_>, replacing: bool) -> Result<Option<i64>, DbError> {
    let tx = conn.transaction()?;
    let version = if replacing {
        let changed = tx.execute(
            "UPDATE teacher_decks SET file_name = ?3, source_text = ?4, version = version + 1,
                    updated_at = ?5
              WHERE id = ?1 AND owner_id = ?2",
            params![s.deck.id, s.owner_id, s.file_name, s.source_text, s.now],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        tx.query_row(
            "SELECT version FROM teacher_decks WHERE id = ?1",
            [&s.deck.id],
            |r| r.get(0),
        )?
    } else {
        let inserted = tx.execute(
            "INSERT INTO teacher_decks (id, owner_id, file_name, source_text, version,
                                        created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5) ON CONFLICT(id) DO NOTHING",
            params![s.deck.id, s.owner_id, s.file_name, s.source_text, s.now],
        )?;
        if inserted == 0 {
            return Ok(None);
        }
        1
    };
    super::decks::import_deck(&tx, s.deck, s.cards)?;
    tx.commit()?;
    Ok(Some(version))
}
