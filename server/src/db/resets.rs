//! Password reset links. Only the SHA-256 of a link's token is stored, like session tokens.

use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, params};

/// Stores a new link for `user_id`, valid until `expires_at`; any older unused link of theirs
/// stops working, so only the latest one given out counts.
pub fn create(
    conn: &Connection,
    token_hash: &str,
    user_id: UserId,
    made_by: Option<UserId>,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM password_resets WHERE user_id = ?1 AND used_at IS NULL",
        [user_id],
    )?;
    conn.execute(
        "INSERT INTO password_resets (token_hash, user_id, made_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, made_by, now, expires_at],
    )?;
    Ok(())
}

/// The user a link resets, while it is unused and unexpired.
pub fn live(conn: &Connection, token_hash: &str, now: i64) -> rusqlite::Result<Option<UserId>> {
    conn.prepare_cached(
        "SELECT user_id FROM password_resets
         WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
    )?
    .query_row(params![token_hash, now], |r| r.get(0))
    .optional()
}

/// Marks a live link used and returns its user; `None` if it was used, expired or unknown
/// (also when two tabs race: only one update matches).
pub fn consume(conn: &Connection, token_hash: &str, now: i64) -> rusqlite::Result<Option<UserId>> {
    let user = live(conn, token_hash, now)?;
    if user.is_some() {
        let n = conn.execute(
            "UPDATE password_resets SET used_at = ?2
             WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![token_hash, now],
        )?;
        if n != 1 {
            return Ok(None);
        }
    }
    Ok(user)
}

/// Uses a link, in one transaction: spends it, sets the password, ends every session and
/// revokes every device token of the account. The user id, or `None` (nothing changed) when
/// the link was used, expired or never existed.
pub fn use_link(
    conn: &mut Connection,
    token_hash: &str,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<UserId>> {
    let tx = conn.transaction()?;
    let Some(user_id) = consume(&tx, token_hash, now)? else {
        return Ok(None);
    };
    super::users::set_password(&tx, user_id, password_hash)?;
    super::sessions::delete_for_user(&tx, user_id)?;
    super::tokens::revoke_all(&tx, user_id, now)?;
    tx.commit()?;
    Ok(Some(user_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        crate::db::testing::with_learners(&["Ann"])
    }

    #[test]
    fn a_link_works_once_until_it_expires_and_a_newer_one_replaces_it() {
        let conn = db();
        create(&conn, "h1", UserId(1), None, 100, 200).unwrap();
        assert_eq!(live(&conn, "h1", 199).unwrap(), Some(UserId(1)));
        assert_eq!(live(&conn, "h1", 200).unwrap(), None, "expired at 200");
        create(&conn, "h2", UserId(1), None, 150, 250).unwrap();
        assert_eq!(live(&conn, "h1", 160).unwrap(), None, "replaced by h2");
        assert_eq!(consume(&conn, "h2", 160).unwrap(), Some(UserId(1)));
        assert_eq!(consume(&conn, "h2", 161).unwrap(), None, "used");
        assert_eq!(consume(&conn, "nope", 161).unwrap(), None);
    }
}
