//! Who belongs to a class, and since when (members' times are unix seconds).

use super::class::{Class, class_row};
use rusqlite::{Connection, OptionalExtension, params};

/// The class and when `user_id` joined it, when they are a member of a class still open.
pub fn joined(
    conn: &Connection,
    class_id: i64,
    user_id: i64,
) -> rusqlite::Result<Option<(Class, i64)>> {
    conn.prepare_cached(
        "SELECT c.*, m.joined_at FROM classes c JOIN class_members m ON m.class_id = c.id
         WHERE c.id = ?1 AND m.user_id = ?2 AND c.archived_at IS NULL",
    )?
    .query_row(params![class_id, user_id], |r| {
        Ok((class_row(r)?, r.get("joined_at")?))
    })
    .optional()
}

/// Open classes `user_id` belongs to, with the teacher's display name.
pub fn of_member(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<(Class, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.*, u.display_name AS teacher FROM classes c
         JOIN class_members m ON m.class_id = c.id JOIN users u ON u.id = c.teacher_id
         WHERE m.user_id = ?1 AND c.archived_at IS NULL ORDER BY c.name, c.id",
    )?;
    let rows = stmt.query_map([user_id], |r| Ok((class_row(r)?, r.get("teacher")?)))?;
    rows.collect()
}

/// Adds a member; false when they were one already.
pub fn join(conn: &Connection, class_id: i64, user_id: i64, now: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO class_members (class_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
        params![class_id, user_id, now],
    )?;
    Ok(n == 1)
}

pub fn remove_member(conn: &Connection, class_id: i64, user_id: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "DELETE FROM class_members WHERE class_id = ?1 AND user_id = ?2",
        params![class_id, user_id],
    )?;
    Ok(n == 1)
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub joined_at: i64,
}

pub fn members(conn: &Connection, class_id: i64) -> rusqlite::Result<Vec<Member>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.username, u.display_name, m.joined_at FROM class_members m
         JOIN users u ON u.id = m.user_id WHERE m.class_id = ?1
         ORDER BY u.display_name COLLATE NOCASE, u.id",
    )?;
    let rows = stmt.query_map([class_id], |r| {
        Ok(Member {
            user_id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            joined_at: r.get(3)?,
        })
    })?;
    rows.collect()
}

pub fn member(conn: &Connection, class_id: i64, user_id: i64) -> rusqlite::Result<Option<Member>> {
    conn.prepare_cached(
        "SELECT u.id, u.username, u.display_name, m.joined_at FROM class_members m
         JOIN users u ON u.id = m.user_id WHERE m.class_id = ?1 AND m.user_id = ?2",
    )?
    .query_row(params![class_id, user_id], |r| {
        Ok(Member {
            user_id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            joined_at: r.get(3)?,
        })
    })
    .optional()
}
