//! Mirrors the loaded catalog into the database at start-up. Cards are keyed by
//! `subject_id/kind`, so learners keep their progress when events are reworded or added;
//! cards and events that left the dataset are retired, never deleted, so history survives.

use crate::catalog::Catalog;
use crate::dataset::Deck;
use crate::questions::CardSpec;
use rusqlite::{Connection, Transaction, params};

pub fn import(conn: &mut Connection, catalog: &Catalog) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE events SET retired = 1", [])?;
    tx.execute("UPDATE cards SET retired = 1", [])?;
    for deck in &catalog.decks {
        upsert_deck(&tx, deck)?;
    }
    upsert_cards(&tx, catalog.cards.iter())?;
    tx.commit()
}

/// One deck's new version, inside the caller's transaction: its events and cards that left
/// it are retired, the rest brought up to date. Other decks are not touched.
pub fn import_deck(tx: &Transaction<'_>, deck: &Deck, cards: &[CardSpec]) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE events SET retired = 1 WHERE deck_id = ?1",
        [&deck.id],
    )?;
    tx.execute(
        "UPDATE cards SET retired = 1 WHERE deck_id = ?1",
        [&deck.id],
    )?;
    upsert_deck(tx, deck)?;
    upsert_cards(tx, cards.iter())
}

fn upsert_deck(tx: &Transaction<'_>, deck: &Deck) -> rusqlite::Result<()> {
    let mut deck_stmt = tx.prepare_cached(
        "INSERT INTO decks (id, title, description, source_file) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title,
             description = excluded.description, source_file = excluded.source_file",
    )?;
    let mut event_stmt = tx.prepare_cached(
        "INSERT INTO events (id, deck_id, date, date_precision, title, summary, place, era,
                             payload_json, retired)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)
         ON CONFLICT(id) DO UPDATE SET deck_id = excluded.deck_id, date = excluded.date,
             date_precision = excluded.date_precision, title = excluded.title,
             summary = excluded.summary, place = excluded.place, era = excluded.era,
             payload_json = excluded.payload_json, retired = 0",
    )?;
    deck_stmt.execute(params![
        deck.id,
        deck.title,
        deck.description,
        deck.source_file.display().to_string()
    ])?;
    for e in &deck.events {
        let payload = serde_json::to_string(e).unwrap_or_else(|_| "{}".into());
        event_stmt.execute(params![
            e.id,
            deck.id,
            e.date.iso(),
            e.date.precision().as_str(),
            e.title,
            e.summary,
            e.place,
            e.era,
            payload
        ])?;
    }
    Ok(())
}

fn upsert_cards<'a>(
    tx: &Transaction<'_>,
    cards: impl Iterator<Item = &'a CardSpec>,
) -> rusqlite::Result<()> {
    let mut card_stmt = tx.prepare_cached(
        "INSERT INTO cards (id, deck_id, subject_id, kind, position, retired)
         VALUES (?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT(id) DO UPDATE SET deck_id = excluded.deck_id,
             subject_id = excluded.subject_id, kind = excluded.kind,
             position = excluded.position, retired = 0",
    )?;
    for (position, card) in cards.enumerate() {
        card_stmt.execute(params![
            card.id,
            card.deck_id,
            card.subject_id,
            card.kind.as_str(),
            position as i64
        ])?;
    }
    Ok(())
}
