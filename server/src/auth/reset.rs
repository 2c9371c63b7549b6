//! Password reset links: a random token in a URL (`/reset/TOKEN`), shown once to whoever made
//! it (a teacher, for a student of their class, or the server's command line). The database
//! keeps only its SHA-256; the link works once, for a day, and using it ends every session
//! and device token of the account, since whoever knew the old password may be signed in.

use super::session;
use crate::clock::DAY;
use crate::db::{resets, users};
use crate::ids::UserId;
use rusqlite::Connection;

/// How long a link works: a day, long enough to reach a student at home, short enough that a
/// forgotten link in a chat is soon worthless.
pub const VALID_SECONDS: i64 = DAY;

/// The path of a reset link.
pub fn path(token: &str) -> String {
    format!("/reset/{token}")
}

/// Makes a link for `user_id` (any earlier unused one stops working) and returns its token,
/// which is not stored and cannot be shown again.
pub fn issue(
    conn: &Connection,
    user_id: UserId,
    made_by: Option<UserId>,
    now: i64,
) -> rusqlite::Result<String> {
    let token = session::random_token();
    resets::create(
        conn,
        &session::hash_token(&token),
        user_id,
        made_by,
        now,
        now + VALID_SECONDS,
    )?;
    Ok(token)
}

/// The account a link would reset, while it still works.
pub fn account(conn: &Connection, token: &str, now: i64) -> rusqlite::Result<Option<users::User>> {
    match resets::live(conn, &session::hash_token(token), now)? {
        Some(id) => users::by_id(conn, id),
        None => Ok(None),
    }
}

/// Uses a link: it is spent, the password set to `password_hash`, and every session and device
/// token of the account ended, all or nothing. The user id, or `None` (nothing changed) when
/// the link was used, expired or never existed.
pub fn complete(
    conn: &mut Connection,
    token: &str,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<UserId>> {
    resets::use_link(conn, &session::hash_token(token), password_hash, now)
}
