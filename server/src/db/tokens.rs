//! API tokens: one per device, stored as a SHA-256 hash like session tokens. Revoking keeps
//! the row (with `revoked_at`) so the account page can show when a device was cut off.

use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, params};

#[derive(Debug, Clone)]
pub struct Token {
    pub id: i64,
    pub device_name: String,
    /// Unix seconds, as every time in this table.
    pub created_at: i64,
    pub last_used: Option<i64>,
    pub revoked_at: Option<i64>,
}

pub fn create(
    conn: &Connection,
    user_id: UserId,
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

/// The user and token id a live (unrevoked) token belongs to. `last_used` is written at most
/// once a minute so that a busy device does not turn every read into a write.
pub fn authenticate(
    conn: &Connection,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<(UserId, i64)>> {
    let found: Option<(UserId, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT user_id, id, last_used FROM api_tokens
             WHERE token_hash = ?1 AND revoked_at IS NULL",
        )?
        .query_row([token_hash], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((user_id, id, last_used)) = found else {
        return Ok(None);
    };
    if last_used.is_none_or(|t| now - t >= 60) {
        let touched = conn
            .prepare_cached("UPDATE api_tokens SET last_used = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, now]).map(drop));
        super::unless_disk_full(touched)?;
    }
    Ok(Some((user_id, id)))
}

/// The user's tokens, live ones first, newest first.
pub fn list(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<Token>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, device_name, created_at, last_used, revoked_at FROM api_tokens
         WHERE user_id = ?1 ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([user_id], |r| {
        Ok(Token {
            id: r.get(0)?,
            device_name: r.get(1)?,
            created_at: r.get(2)?,
            last_used: r.get(3)?,
            revoked_at: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// Revokes one of the user's live tokens; false when it is not theirs or already revoked.
pub fn revoke(conn: &Connection, user_id: UserId, id: i64, now: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "UPDATE api_tokens SET revoked_at = ?3
         WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL",
        params![id, user_id, now],
    )? == 1)
}

/// Revokes every live token of a user, as a password change or reset must: a stolen device
/// token would otherwise outlive the password it was issued for. Returns how many were live.
pub fn revoke_all(conn: &Connection, user_id: UserId, now: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user_id, now],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        crate::db::testing::with_learners(&["Ann", "Bob"])
    }

    #[test]
    fn a_revoked_token_no_longer_authenticates_and_only_its_owner_can_revoke_it() {
        let conn = db();
        let id = create(&conn, UserId(1), "phone", "hash-a", 100).unwrap();
        assert_eq!(
            authenticate(&conn, "hash-a", 200).unwrap(),
            Some((UserId(1), id))
        );
        assert_eq!(list(&conn, UserId(1)).unwrap()[0].last_used, Some(200));
        assert!(
            !revoke(&conn, UserId(2), id, 300).unwrap(),
            "not Bob's token"
        );
        assert!(revoke(&conn, UserId(1), id, 300).unwrap());
        assert!(
            !revoke(&conn, UserId(1), id, 301).unwrap(),
            "already revoked"
        );
        assert_eq!(authenticate(&conn, "hash-a", 400).unwrap(), None);
        assert_eq!(list(&conn, UserId(1)).unwrap()[0].revoked_at, Some(300));
    }
}
