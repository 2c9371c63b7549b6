//! A class: its teacher, name, join code and whether it is archived.

use crate::ids::{ClassId, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Class {
    pub id: ClassId,
    pub teacher_id: UserId,
    pub name: String,
    pub join_code: String,
    pub created_at: i64,
    pub archived: bool,
}

pub(super) fn class_row(r: &Row<'_>) -> rusqlite::Result<Class> {
    Ok(Class {
        id: r.get("id")?,
        teacher_id: r.get("teacher_id")?,
        name: r.get("name")?,
        join_code: r.get("join_code")?,
        created_at: r.get("created_at")?,
        archived: r.get::<_, Option<i64>>("archived_at")?.is_some(),
    })
}

/// Creates a class; `code` is asked again if the first code is taken.
pub fn create(
    conn: &Connection,
    teacher_id: UserId,
    name: &str,
    mut code: impl FnMut() -> String,
    now: i64,
) -> rusqlite::Result<ClassId> {
    loop {
        let result = conn.execute(
            "INSERT INTO classes (teacher_id, name, join_code, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![teacher_id, name, code(), now],
        );
        match result {
            Ok(_) => return Ok(ClassId(conn.last_insert_rowid())),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
}

pub fn rotate_code(
    conn: &Connection,
    class_id: ClassId,
    mut code: impl FnMut() -> String,
) -> rusqlite::Result<()> {
    loop {
        match conn.execute(
            "UPDATE classes SET join_code = ?2 WHERE id = ?1",
            params![class_id, code()],
        ) {
            Ok(_) => return Ok(()),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

pub fn rename(conn: &Connection, class_id: ClassId, name: &str) -> rusqlite::Result<()> {
    super::changes::changed();
    conn.execute(
        "UPDATE classes SET name = ?2 WHERE id = ?1",
        params![class_id, name],
    )?;
    Ok(())
}

pub fn set_archived(
    conn: &Connection,
    class_id: ClassId,
    archived: bool,
    now: i64,
) -> rusqlite::Result<()> {
    super::changes::changed();
    conn.execute(
        "UPDATE classes SET archived_at = CASE WHEN ?2 THEN ?3 ELSE NULL END WHERE id = ?1",
        params![class_id, archived, now],
    )?;
    Ok(())
}

/// The class when `teacher_id` teaches it.
pub fn owned(
    conn: &Connection,
    class_id: ClassId,
    teacher_id: UserId,
) -> rusqlite::Result<Option<Class>> {
    conn.prepare_cached("SELECT * FROM classes WHERE id = ?1 AND teacher_id = ?2")?
        .query_row(params![class_id, teacher_id], class_row)
        .optional()
}

pub fn by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<Class>> {
    conn.prepare_cached("SELECT * FROM classes WHERE join_code = ?1 AND archived_at IS NULL")?
        .query_row([code], class_row)
        .optional()
}

pub struct ClassSummary {
    pub class: Class,
    pub students: i64,
    pub assignments: i64,
}

pub fn of_teacher(conn: &Connection, teacher_id: UserId) -> rusqlite::Result<Vec<ClassSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.*,
                (SELECT COUNT(*) FROM class_members m WHERE m.class_id = c.id) AS students,
                (SELECT COUNT(*) FROM assignments a WHERE a.class_id = c.id) AS n_assignments
         FROM classes c WHERE c.teacher_id = ?1 ORDER BY c.archived_at IS NOT NULL, c.name, c.id",
    )?;
    let rows = stmt.query_map([teacher_id], |r| {
        Ok(ClassSummary {
            class: class_row(r)?,
            students: r.get("students")?,
            assignments: r.get("n_assignments")?,
        })
    })?;
    rows.collect()
}
