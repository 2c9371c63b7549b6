//! Who belongs to a class, and since when (members' times are unix seconds).

use super::class::{Class, class_row};
use crate::ids::{ClassId, UserId};
use rusqlite::{Connection, OptionalExtension, params};

/// The class and when `user_id` joined it, when they are a member of a class still open.
pub fn joined(
    conn: &Connection,
    class_id: ClassId,
    user_id: UserId,
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
pub fn of_member(conn: &Connection, user_id: UserId) -> rusqlite::Result<Vec<(Class, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.*, u.display_name AS teacher FROM classes c
         JOIN class_members m ON m.class_id = c.id JOIN users u ON u.id = c.teacher_id
         WHERE m.user_id = ?1 AND c.archived_at IS NULL ORDER BY c.name, c.id",
    )?;
    let rows = stmt.query_map([user_id], |r| Ok((class_row(r)?, r.get("teacher")?)))?;
    rows.collect()
}

/// Adds a member; false when they were one already.
pub fn join(
    conn: &Connection,
    class_id: ClassId,
    user_id: UserId,
    now: i64,
) -> rusqlite::Result<bool> {
    super::changes::changed();
    let n = conn.execute(
        "INSERT OR IGNORE INTO class_members (class_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
        params![class_id, user_id, now],
    )?;
    Ok(n == 1)
}

pub fn remove_member(
    conn: &Connection,
    class_id: ClassId,
    user_id: UserId,
) -> rusqlite::Result<bool> {
    super::changes::changed();
    let n = conn.execute(
        "DELETE FROM class_members WHERE class_id = ?1 AND user_id = ?2",
        params![class_id, user_id],
    )?;
    Ok(n == 1)
}

/// The teacher removes a student: they leave the class and cannot join again with the code
/// it has now. False when they were not a member.
pub fn remove_by_teacher(
    conn: &mut Connection,
    class_id: ClassId,
    user_id: UserId,
    now: i64,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let removed = remove_member(&tx, class_id, user_id)?;
    if removed {
        tx.execute(
            "INSERT OR REPLACE INTO class_removals (class_id, user_id, join_code, removed_at)
             SELECT id, ?2, join_code, ?3 FROM classes WHERE id = ?1",
            params![class_id, user_id, now],
        )?;
    }
    tx.commit()?;
    Ok(removed)
}

/// True when the teacher removed `user_id` and the class still has the code it had then.
pub fn barred(conn: &Connection, class_id: ClassId, user_id: UserId) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM class_removals r JOIN classes c ON c.id = r.class_id
         WHERE r.class_id = ?1 AND r.user_id = ?2 AND r.join_code = c.join_code",
    )?
    .exists(params![class_id, user_id])
}

/// A student the teacher removed, as the class page lists them.
#[derive(Debug, Clone)]
pub struct Removed {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub removed_at: i64,
}

pub fn removed(conn: &Connection, class_id: ClassId) -> rusqlite::Result<Vec<Removed>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.username, u.display_name, r.removed_at FROM class_removals r
         JOIN users u ON u.id = r.user_id WHERE r.class_id = ?1
         ORDER BY u.display_name COLLATE NOCASE, u.id",
    )?;
    let rows = stmt.query_map([class_id], |r| {
        Ok(Removed {
            user_id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            removed_at: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// The teacher takes a removed student back: a member again from `now`. False when the
/// student was not removed from this class.
pub fn readmit(
    conn: &mut Connection,
    class_id: ClassId,
    user_id: UserId,
    now: i64,
) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let was = tx.execute(
        "DELETE FROM class_removals WHERE class_id = ?1 AND user_id = ?2",
        params![class_id, user_id],
    )? == 1;
    if was {
        join(&tx, class_id, user_id, now)?;
    }
    tx.commit()?;
    Ok(was)
}

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub joined_at: i64,
}

pub fn members(conn: &Connection, class_id: ClassId) -> rusqlite::Result<Vec<Member>> {
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

pub fn member(
    conn: &Connection,
    class_id: ClassId,
    user_id: UserId,
) -> rusqlite::Result<Option<Member>> {
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
