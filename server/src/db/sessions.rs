//! Server-side sessions. Only the SHA-256 of a token is stored.

use crate::ids::UserId;
use rusqlite::{Connection, OptionalExtension, params};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bumped by every write that may end a session or change what a signed-in user's pages
/// read from their account (logout, a password change, settings), so that a copy of a
/// session kept in memory (`auth::session_cache`) is known to be out of date at once. One
/// counter for the process: apps in one process (tests) only read again for each other.
static CHANGES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set by [`changed`] on this thread; [`db::run`](super::run) bumps [`CHANGES`] again
    /// once its closure has returned, so after any commit too: a reader that looked between
    /// the first bump and the commit saw the old row, and its copy is out of date again.
    static CHANGED_HERE: Cell<bool> = const { Cell::new(false) };
}

/// How many such writes this process has made (compare two readings, nothing else).
pub fn changes() -> u64 {
    CHANGES.load(Ordering::SeqCst)
}

/// Records a write of that kind (called by the writes themselves).
pub(crate) fn changed() {
    CHANGES.fetch_add(1, Ordering::SeqCst);
    CHANGED_HERE.with(|c| c.set(true));
}

/// Bumps [`CHANGES`] once more if this thread made such a write since the last call.
pub(crate) fn settle() {
    if CHANGED_HERE.with(|c| c.replace(false)) {
        CHANGES.fetch_add(1, Ordering::SeqCst);
    }
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user_id: UserId,
    pub csrf_secret: String,
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
}

pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: UserId,
    csrf_secret: &str,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, last_seen, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![token_hash, user_id, csrf_secret, now, expires_at],
    )?;
    Ok(())
}

/// Starts a session in one transaction: ends the one it replaces (if any) and any that have
/// expired, then stores the new one.
pub fn start(
    conn: &mut Connection,
    token_hash: &str,
    user_id: UserId,
    csrf_secret: &str,
    replacing_hash: Option<&str>,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    if let Some(old) = replacing_hash {
        delete(&tx, old)?;
    }
    delete_expired(&tx, now)?;
    insert(&tx, token_hash, user_id, csrf_secret, now, expires_at)?;
    tx.commit()
}

pub fn get(conn: &Connection, token_hash: &str) -> rusqlite::Result<Option<SessionRow>> {
    conn.prepare_cached(
        "SELECT user_id, csrf_secret, created_at, last_seen, expires_at FROM sessions
         WHERE token_hash = ?1",
    )?
    .query_row([token_hash], |r| {
        Ok(SessionRow {
            user_id: r.get(0)?,
            csrf_secret: r.get(1)?,
            created_at: r.get(2)?,
            last_seen: r.get(3)?,
            expires_at: r.get(4)?,
        })
    })
    .optional()
}

pub fn touch(conn: &Connection, token_hash: &str, now: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sessions SET last_seen = ?2 WHERE token_hash = ?1")?
        .execute(params![token_hash, now])?;
    Ok(())
}

pub fn delete(conn: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    changed();
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// Ends every session of a user, as a password change must.
pub fn delete_for_user(conn: &Connection, user_id: UserId) -> rusqlite::Result<()> {
    changed();
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
    Ok(())
}

/// (No [`changed`]: a kept copy of an expired session is refused by its own expiry.)
pub fn delete_expired(conn: &Connection, now: i64) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])
}
