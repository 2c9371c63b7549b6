//! API tokens: one per device, stored as a SHA-256 hash like session tokens.

use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone)]
pub struct Token {
    pub id: i64,
    pub device_name: String,
    pub created_at: i64,
    pub last_used: Option<i64>,
}

pub fn create(
    conn: &Connection,
    user_id: i64,
    device_name: &str,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO api_tokens (token_hash, user_id, device_name, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, user_id, device_name, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The user and token id a live token belongs to; marks the token used.
pub fn authenticate(
    conn: &Connection,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<(i64, i64)>> {
    conn.prepare_cached(
        "UPDATE api_tokens SET last_used = ?2 WHERE token_hash = ?1 RETURNING user_id, id",
    )?
    .query_row(params![token_hash, now], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

pub fn list(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<Token>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, device_name, created_at, last_used FROM api_tokens WHERE user_id = ?1
         ORDER BY created_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok(Token {
            id: r.get(0)?,
            device_name: r.get(1)?,
            created_at: r.get(2)?,
            last_used: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Revokes one of the user's tokens; false when it is not theirs or already gone.
pub fn revoke(conn: &Connection, user_id: i64, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2",
        params![id, user_id],
    )? == 1)
}
