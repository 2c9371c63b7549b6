//! A class's assignments: part of a deck, a goal and an optional due date.

use crate::classes::goal::Goal;
use crate::classes::selection::Selection;
use crate::ids::{AssignmentId, CardId, ClassId, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct Assignment {
    pub id: AssignmentId,
    pub class_id: ClassId,
    pub title: String,
    pub deck_id: String,
    pub selection: Selection,
    pub goal: Goal,
    /// When it is due, as an ISO UTC instant (`2026-12-08T16:30:00Z`); rows written before
    /// due times were read in the teacher's zone hold a bare `YYYY-MM-DD`.
    pub due_date: Option<String>,
    pub created_at: i64,
    pub cards: usize,
}

impl Assignment {
    /// The due moment in unix seconds; a bare date (older rows) is due at its end, UTC.
    pub fn due_at(&self) -> Option<i64> {
        let due = self.due_date.as_deref()?;
        if let Ok(t) = due.parse::<jiff::Timestamp>() {
            return Some(t.as_second());
        }
        let day = due.parse::<jiff::civil::Date>().ok()?;
        day.at(23, 59, 59, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_second())
    }
}

/// Unix seconds as the ISO UTC instant a due date is stored as.
pub fn due_text(t: i64) -> Option<String> {
    jiff::Timestamp::from_second(t).ok().map(|t| t.to_string())
}

fn assignment_row(r: &Row<'_>) -> rusqlite::Result<Assignment> {
    let selection: String = r.get("selection_json")?;
    let goal: String = r.get("goal")?;
    let due_date: Option<String> = r.get("due_date")?;
    // A due date that is neither an instant nor a day would read as "no due date": refuse it.
    if let Some(due) = &due_date
        && due.parse::<jiff::Timestamp>().is_err()
        && due.parse::<jiff::civil::Date>().is_err()
    {
        return Err(crate::db::invalid_value(r, "due_date", due));
    }
    Ok(Assignment {
        id: r.get("id")?,
        class_id: r.get("class_id")?,
        title: r.get("title")?,
        deck_id: r.get("deck_id")?,
        selection: serde_json::from_str(&selection)
            .map_err(|_| crate::db::invalid_value(r, "selection_json", &selection))?,
        goal: Goal::from_db(&goal, r.get("goal_stability")?)
            .ok_or_else(|| crate::db::invalid_value(r, "goal", &goal))?,
        due_date,
        created_at: r.get("created_at")?,
        cards: r.get::<_, i64>("n_cards")? as usize,
    })
}

const ASSIGNMENT_COLUMNS: &str = "a.*, (SELECT COUNT(*) FROM assignment_cards ac
    WHERE ac.assignment_id = a.id) AS n_cards";

/// A class's assignments, soonest due first, undated last.
pub fn assignments(conn: &Connection, class_id: ClassId) -> rusqlite::Result<Vec<Assignment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.class_id = ?1
         ORDER BY a.due_date IS NULL, a.due_date, a.id"
    ))?;
    let rows = stmt.query_map([class_id], assignment_row)?;
    rows.collect()
}

pub fn assignment(
    conn: &Connection,
    class_id: ClassId,
    assignment_id: AssignmentId,
) -> rusqlite::Result<Option<Assignment>> {
    conn.prepare_cached(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.class_id = ?1 AND a.id = ?2"
    ))?
    .query_row(params![class_id, assignment_id], assignment_row)
    .optional()
}

pub fn assignment_cards(
    conn: &Connection,
    assignment_id: AssignmentId,
) -> rusqlite::Result<Vec<CardId>> {
    let mut stmt =
        conn.prepare_cached("SELECT card_id FROM assignment_cards WHERE assignment_id = ?1")?;
    let rows = stmt.query_map([assignment_id], |r| r.get(0))?;
    rows.collect()
}

/// An assignment's cards with their keys in the review log (`card_keys.key`).
pub fn assignment_card_keys(
    conn: &Connection,
    assignment_id: AssignmentId,
) -> rusqlite::Result<Vec<(CardId, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ac.card_id, k.key FROM assignment_cards ac
         JOIN card_keys k ON k.card_id = ac.card_id WHERE ac.assignment_id = ?1",
    )?;
    let rows = stmt.query_map([assignment_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

pub struct AssignmentInput<'a> {
    pub title: &'a str,
    pub deck_id: &'a str,
    pub selection: &'a Selection,
    pub goal: Goal,
    pub due_date: Option<&'a str>,
    pub cards: &'a [CardId],
}

/// Inserts (`id` None) or updates an assignment and its resolved cards, in one transaction.
/// Creates (`id` None) or replaces an assignment and its card list, in one transaction.
pub fn save_assignment(
    conn: &mut Connection,
    class_id: ClassId,
    id: Option<AssignmentId>,
    a: &AssignmentInput<'_>,
    now: i64,
) -> rusqlite::Result<AssignmentId> {
    super::changes::changed();
    let tx = conn.transaction()?;
    let selection = serde_json::to_string(a.selection).expect("a selection serializes");
    let stability = match a.goal {
        Goal::Stability(days) => Some(days),
        Goal::RightOnce => None,
    };
    let id = match id {
        Some(id) => {
            tx.execute(
                "UPDATE assignments SET title = ?3, deck_id = ?4, selection_json = ?5, goal = ?6,
                     goal_stability = ?7, due_date = ?8, updated_at = ?9
                 WHERE id = ?1 AND class_id = ?2",
                params![
                    id,
                    class_id,
                    a.title,
                    a.deck_id,
                    selection,
                    a.goal.as_str(),
                    stability,
                    a.due_date,
                    now
                ],
            )?;
            tx.execute(
                "DELETE FROM assignment_cards WHERE assignment_id = ?1",
                [id],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO assignments (class_id, title, deck_id, selection_json, goal,
                     goal_stability, due_date, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![
                    class_id,
                    a.title,
                    a.deck_id,
                    selection,
                    a.goal.as_str(),
                    stability,
                    a.due_date,
                    now
                ],
            )?;
            AssignmentId(tx.last_insert_rowid())
        }
    };
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO assignment_cards (assignment_id, card_id) VALUES (?1, ?2)",
    )?;
    for card in a.cards {
        insert.execute(params![id, card])?;
    }
    drop(insert);
    tx.commit()?;
    Ok(id)
}

pub fn delete_assignment(
    conn: &Connection,
    class_id: ClassId,
    id: AssignmentId,
) -> rusqlite::Result<bool> {
    super::changes::changed();
    let n = conn.execute(
        "DELETE FROM assignments WHERE id = ?1 AND class_id = ?2",
        params![id, class_id],
    )?;
    Ok(n == 1)
}

/// Open assignments of every class `user_id` belongs to, soonest due first.
pub fn assignments_of_member(
    conn: &Connection,
    user_id: UserId,
) -> rusqlite::Result<Vec<(Assignment, String, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ASSIGNMENT_COLUMNS}, c.name AS class_name, m.joined_at FROM assignments a
         JOIN classes c ON c.id = a.class_id
         JOIN class_members m ON m.class_id = c.id AND m.user_id = ?1
         WHERE c.archived_at IS NULL
         ORDER BY a.due_date IS NULL, a.due_date, a.id"
    ))?;
    let rows = stmt.query_map([user_id], |r| {
        Ok((
            assignment_row(r)?,
            r.get("class_name")?,
            r.get("joined_at")?,
        ))
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored value the code does not know fails the read instead of becoming a default.
    #[test]
    fn a_bad_stored_selection_or_goal_fails_the_read() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 't', 'T', 'x', 'teacher', 0);
             INSERT INTO classes VALUES (1, 1, 'C', 'ABCDEFGH', 0, NULL);
             INSERT INTO assignments (id, class_id, title, deck_id, selection_json, goal,
                                      goal_stability, due_date, created_at, updated_at)
               VALUES (1, 1, 'fine', 'd', '{}', 'right_once', NULL, NULL, 0, 0);",
        )
        .unwrap();
        assert_eq!(assignments(&conn, ClassId(1)).unwrap().len(), 1);
        conn.execute("UPDATE assignments SET selection_json = 'not json'", [])
            .unwrap();
        assert!(assignments(&conn, ClassId(1)).is_err());
        conn.execute(
            "UPDATE assignments SET selection_json = '{}', goal = 'stability'",
            [],
        )
        .unwrap();
        assert!(
            assignment(&conn, ClassId(1), AssignmentId(1)).is_err(),
            "stability with no days"
        );
    }

    /// A due date that parses as neither an instant nor a day would read as "not due".
    #[test]
    fn an_unreadable_due_date_fails_the_read() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 't', 'T', 'x', 'teacher', 0);
             INSERT INTO classes VALUES (1, 1, 'C', 'ABCDEFGH', 0, NULL);
             INSERT INTO assignments (id, class_id, title, deck_id, selection_json, goal,
                                      goal_stability, due_date, created_at, updated_at)
               VALUES (1, 1, 'a', 'd', '{}', 'right_once', NULL, '2026-12-08T16:30:00Z', 0, 0);",
        )
        .unwrap();
        let a = assignment(&conn, ClassId(1), AssignmentId(1))
            .unwrap()
            .unwrap();
        assert_eq!(a.due_at(), Some(1_796_747_400));
        conn.execute("UPDATE assignments SET due_date = '2026-12-08'", [])
            .unwrap();
        assert!(
            assignment(&conn, ClassId(1), AssignmentId(1))
                .unwrap()
                .is_some(),
            "older rows"
        );
        conn.execute("UPDATE assignments SET due_date = 'next friday'", [])
            .unwrap();
        let e = assignments(&conn, ClassId(1)).unwrap_err();
        assert!(e.to_string().contains("next friday"), "{e}");
    }
}
