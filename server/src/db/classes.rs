//! Classes, members, assignments and the reports a teacher reads. Every lookup of a class
//! takes the asking user: a class is found only by its teacher or its members, so a wrong id
//! and someone else's id look the same (not found).
//!
//! Times: classes, members and assignments in unix seconds; reviews in milliseconds. A
//! teacher sees a student's reviews on this class's cards from the day they joined, no more.

use crate::classes::goal::Goal;
use crate::classes::selection::Selection;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Class {
    pub id: i64,
    pub teacher_id: i64,
    pub name: String,
    pub join_code: String,
    pub created_at: i64,
    pub archived: bool,
}

fn class_row(r: &Row<'_>) -> rusqlite::Result<Class> {
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
    teacher_id: i64,
    name: &str,
    mut code: impl FnMut() -> String,
    now: i64,
) -> rusqlite::Result<i64> {
    loop {
        let result = conn.execute(
            "INSERT INTO classes (teacher_id, name, join_code, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![teacher_id, name, code(), now],
        );
        match result {
            Ok(_) => return Ok(conn.last_insert_rowid()),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
}

pub fn rotate_code(
    conn: &Connection,
    class_id: i64,
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

pub fn rename(conn: &Connection, class_id: i64, name: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE classes SET name = ?2 WHERE id = ?1",
        params![class_id, name],
    )?;
    Ok(())
}

pub fn set_archived(
    conn: &Connection,
    class_id: i64,
    archived: bool,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE classes SET archived_at = CASE WHEN ?2 THEN ?3 ELSE NULL END WHERE id = ?1",
        params![class_id, archived, now],
    )?;
    Ok(())
}

/// The class when `teacher_id` teaches it.
pub fn owned(conn: &Connection, class_id: i64, teacher_id: i64) -> rusqlite::Result<Option<Class>> {
    conn.prepare_cached("SELECT * FROM classes WHERE id = ?1 AND teacher_id = ?2")?
        .query_row(params![class_id, teacher_id], class_row)
        .optional()
}

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

pub fn of_teacher(conn: &Connection, teacher_id: i64) -> rusqlite::Result<Vec<ClassSummary>> {
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

// ---- Assignments ----

#[derive(Debug, Clone)]
pub struct Assignment {
    pub id: i64,
    pub class_id: i64,
    pub title: String,
    pub deck_id: String,
    pub selection: Selection,
    pub goal: Goal,
    /// `YYYY-MM-DD`, the last day to finish.
    pub due_date: Option<String>,
    pub created_at: i64,
    pub cards: usize,
}

fn assignment_row(r: &Row<'_>) -> rusqlite::Result<Assignment> {
    let selection: String = r.get("selection_json")?;
    let goal: String = r.get("goal")?;
    Ok(Assignment {
        id: r.get("id")?,
        class_id: r.get("class_id")?,
        title: r.get("title")?,
        deck_id: r.get("deck_id")?,
        selection: serde_json::from_str(&selection).unwrap_or_default(),
        goal: Goal::from_db(&goal, r.get("goal_stability")?),
        due_date: r.get("due_date")?,
        created_at: r.get("created_at")?,
        cards: r.get::<_, i64>("n_cards")? as usize,
    })
}

const ASSIGNMENT_COLUMNS: &str = "a.*, (SELECT COUNT(*) FROM assignment_cards ac
    WHERE ac.assignment_id = a.id) AS n_cards";

/// A class's assignments, soonest due first, undated last.
pub fn assignments(conn: &Connection, class_id: i64) -> rusqlite::Result<Vec<Assignment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.class_id = ?1
         ORDER BY a.due_date IS NULL, a.due_date, a.id"
    ))?;
    let rows = stmt.query_map([class_id], assignment_row)?;
    rows.collect()
}

pub fn assignment(
    conn: &Connection,
    class_id: i64,
    assignment_id: i64,
) -> rusqlite::Result<Option<Assignment>> {
    conn.prepare_cached(&format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.class_id = ?1 AND a.id = ?2"
    ))?
    .query_row(params![class_id, assignment_id], assignment_row)
    .optional()
}

pub fn assignment_cards(conn: &Connection, assignment_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT card_id FROM assignment_cards WHERE assignment_id = ?1")?;
    let rows = stmt.query_map([assignment_id], |r| r.get(0))?;
    rows.collect()
}

pub struct AssignmentInput<'a> {
    pub title: &'a str,
    pub deck_id: &'a str,
    pub selection: &'a Selection,
    pub goal: Goal,
    pub due_date: Option<&'a str>,
    pub cards: &'a [String],
}

/// Inserts (`id` None) or updates an assignment and its resolved cards, in one transaction.
pub fn save_assignment(
    tx: &Transaction<'_>,
    class_id: i64,
    id: Option<i64>,
    a: &AssignmentInput<'_>,
    now: i64,
) -> rusqlite::Result<i64> {
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
            tx.last_insert_rowid()
        }
    };
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO assignment_cards (assignment_id, card_id) VALUES (?1, ?2)",
    )?;
    for card in a.cards {
        insert.execute(params![id, card])?;
    }
    Ok(id)
}

pub fn delete_assignment(conn: &Connection, class_id: i64, id: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "DELETE FROM assignments WHERE id = ?1 AND class_id = ?2",
        params![id, class_id],
    )?;
    Ok(n == 1)
}

/// Open assignments of every class `user_id` belongs to, soonest due first.
pub fn assignments_of_member(
    conn: &Connection,
    user_id: i64,
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

// ---- Report queries, named so that their plans can be checked for full scans ----

/// Every answer of every member since they joined. Covered by `reviews_user_time`.
const ROSTER_REVIEWS: &str = "SELECT m.user_id, r.card_id, r.correct, r.answered_at
     FROM class_members m
     JOIN reviews r ON r.user_id = m.user_id AND r.answered_at >= m.joined_at * 1000
     WHERE m.class_id = ?1";

/// Every graduated card of every member, with its stability.
const ROSTER_STATES: &str = "SELECT m.user_id, s.card_id, s.stability, s.state
     FROM class_members m JOIN card_states s ON s.user_id = m.user_id AND s.state = 'review'
     WHERE m.class_id = ?1";

/// Every answer of every member since they joined, with the answer given when wrong.
const CLASS_ANSWERS: &str = "SELECT m.user_id, r.card_id, r.correct,
            CASE WHEN r.correct = 0 THEN r.given_answer END
     FROM class_members m
     JOIN reviews r ON r.user_id = m.user_id AND r.answered_at >= m.joined_at * 1000
     WHERE m.class_id = ?1";

/// The queries behind the class page, most-missed lists and exports.
pub const REPORT_QUERIES: &[(&str, &str)] = &[
    ("roster_reviews", ROSTER_REVIEWS),
    ("roster_states", ROSTER_STATES),
    ("class_answers", CLASS_ANSWERS),
];

// ---- Progress ----

/// Which of `cards` one learner has finished for an assignment (for the study queue).
pub fn finished_cards(
    conn: &Connection,
    user_id: i64,
    a: &Assignment,
    since: i64,
) -> rusqlite::Result<std::collections::HashSet<String>> {
    let since = since.max(a.created_at);
    match a.goal {
        Goal::RightOnce => conn
            .prepare_cached(
                "SELECT DISTINCT ac.card_id FROM assignment_cards ac
                 JOIN reviews r ON r.user_id = ?1 AND r.card_id = ac.card_id AND r.correct = 1
                      AND r.answered_at >= ?3 * 1000
                 WHERE ac.assignment_id = ?2",
            )?
            .query_map(params![user_id, a.id, since], |r| r.get::<_, String>(0))?
            .collect(),
        Goal::Stability(days) => conn
            .prepare_cached(
                "SELECT ac.card_id FROM assignment_cards ac
                 JOIN card_states s ON s.user_id = ?1 AND s.card_id = ac.card_id
                 WHERE ac.assignment_id = ?2 AND s.state = 'review' AND s.stability >= ?3",
            )?
            .query_map(params![user_id, a.id, days], |r| r.get::<_, String>(0))?
            .collect(),
    }
}

/// One student's activity on this class's cards since joining.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// Unix milliseconds of the latest answer.
    pub last_active: Option<i64>,
    pub recent_answers: i64,
    pub recent_right: i64,
    /// Cards of the class in the review phase (graduated from learning).
    pub cards_learned: i64,
}

/// What the roster shows: cards done per assignment and each member's activity.
pub struct Roster {
    /// completion[assignment index][user id] = cards done.
    pub completion: Vec<HashMap<i64, usize>>,
    pub activity: HashMap<i64, Activity>,
}

/// The member slot and card index a roster row (user_id, card_id, ...) is about; `None` for a
/// card outside the class's assignments or someone no longer in the class.
fn locate(
    row: &rusqlite::Row<'_>,
    slot: &HashMap<i64, usize>,
    index: &HashMap<String, usize>,
) -> rusqlite::Result<Option<(usize, usize)>> {
    let card = index.get(row.get_ref(1)?.as_str()?).copied();
    let who = slot.get(&row.get::<_, i64>(0)?).copied();
    Ok(who.zip(card))
}

/// The roster of a class in two passes: one over the members' answers since joining, one
/// over their card states, tallied here against the assignments' card sets. One pass over
/// the log is cheaper than a query per assignment that probes it card by card.
/// `recent_since` is in unix seconds.
pub fn roster(
    conn: &Connection,
    class_id: i64,
    assignments: &[Assignment],
    recent_since: i64,
) -> rusqlite::Result<Roster> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut sets: Vec<Vec<usize>> = Vec::with_capacity(assignments.len());
    for a in assignments {
        let ids = assignment_cards(conn, a.id)?;
        sets.push(
            ids.into_iter()
                .map(|id| {
                    let next = index.len();
                    *index.entry(id).or_insert(next)
                })
                .collect(),
        );
    }
    let n = index.len();
    let members: Vec<Member> = members(conn, class_id)?;
    let slot: HashMap<i64, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.user_id, i))
        .collect();
    let mut activity = vec![Activity::default(); members.len()];
    // Latest right answer (ms) and state per member and card, in flat arrays.
    let mut last_right = vec![i64::MIN; members.len() * n];
    let mut stability = vec![f64::NAN; members.len() * n];
    let recent_ms = recent_since * 1000;
    let mut stmt = conn.prepare_cached(ROSTER_REVIEWS)?;
    let mut rows = stmt.query([class_id])?;
    while let Some(row) = rows.next()? {
        let Some((who, card)) = locate(row, &slot, &index)? else {
            continue;
        };
        let correct: bool = row.get(2)?;
        let at: i64 = row.get(3)?;
        let a = &mut activity[who];
        a.last_active = Some(a.last_active.map_or(at, |l| l.max(at)));
        if at >= recent_ms {
            a.recent_answers += 1;
            a.recent_right += i64::from(correct);
        }
        if correct {
            let cell = &mut last_right[who * n + card];
            *cell = (*cell).max(at);
        }
    }
    let mut stmt = conn.prepare_cached(ROSTER_STATES)?;
    let mut rows = stmt.query([class_id])?;
    while let Some(row) = rows.next()? {
        let Some((who, card)) = locate(row, &slot, &index)? else {
            continue;
        };
        if row.get_ref(3)?.as_str()? == "review" {
            activity[who].cards_learned += 1;
            stability[who * n + card] = row.get(2)?;
        }
    }
    let completion = assignments
        .iter()
        .zip(&sets)
        .map(|(a, cards)| {
            members
                .iter()
                .enumerate()
                .map(|(who, m)| {
                    let since = m.joined_at.max(a.created_at) * 1000;
                    let done = cards
                        .iter()
                        .filter(|&&c| match a.goal {
                            Goal::RightOnce => last_right[who * n + c] >= since,
                            // NaN (no state, or not graduated) compares false.
                            Goal::Stability(days) => stability[who * n + c] >= days,
                        })
                        .count();
                    (m.user_id, done)
                })
                .collect()
        })
        .collect();
    Ok(Roster {
        completion,
        activity: members
            .iter()
            .zip(activity)
            .map(|(m, a)| (m.user_id, a))
            .collect(),
    })
}

/// A question the class gets wrong.
#[derive(Debug, Clone)]
pub struct MissedCard {
    pub card_id: String,
    pub answers: i64,
    pub misses: i64,
    pub students: i64,
    pub common_wrong: Option<String>,
    pub common_wrong_count: i64,
}

impl MissedCard {
    pub fn miss_percent(&self) -> i64 {
        (self.misses * 100).checked_div(self.answers).unwrap_or(0)
    }
}

/// Every card of a class's assignments, once each, in the order first assigned.
pub fn class_cards(conn: &Connection, class_id: i64) -> rusqlite::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in assignments(conn, class_id)? {
        for card in assignment_cards(conn, a.id)? {
            if seen.insert(card.clone()) {
                out.push(card);
            }
        }
    }
    Ok(out)
}

/// Answers and misses per card by the members of a class (since each joined), over the
/// cards of one assignment or of all the class's assignments. `only_missed` drops cards
/// nobody missed; the most missed come first (then the highest miss rate).
pub fn missed_cards(
    conn: &Connection,
    class_id: i64,
    assignment_id: Option<i64>,
    only_missed: bool,
    limit: Option<usize>,
) -> rusqlite::Result<Vec<MissedCard>> {
    let cards = match assignment_id {
        Some(id) => assignment_cards(conn, id)?,
        None => class_cards(conn, class_id)?,
    };
    let index: HashMap<&str, usize> = cards
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    #[derive(Default)]
    struct Tally {
        answers: i64,
        misses: i64,
        students: std::collections::HashSet<i64>,
        wrong: HashMap<String, i64>,
    }
    let mut tally: Vec<Tally> = (0..cards.len()).map(|_| Tally::default()).collect();
    let mut stmt = conn.prepare_cached(CLASS_ANSWERS)?;
    let mut rows = stmt.query([class_id])?;
    while let Some(row) = rows.next()? {
        let Some(&card) = index.get(row.get_ref(1)?.as_str()?) else {
            continue;
        };
        let t = &mut tally[card];
        t.answers += 1;
        t.students.insert(row.get(0)?);
        if !row.get::<_, bool>(2)? {
            t.misses += 1;
            *t.wrong.entry(row.get(3)?).or_default() += 1;
        }
    }
    let mut out: Vec<MissedCard> = cards
        .iter()
        .zip(tally)
        .filter(|(_, t)| t.answers > 0 && (!only_missed || t.misses > 0))
        .map(|(card, t)| {
            // The most common wrong answer; on a tie, the first alphabetically.
            let common = t
                .wrong
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
            MissedCard {
                card_id: card.clone(),
                answers: t.answers,
                misses: t.misses,
                students: t.students.len() as i64,
                common_wrong: common.map(|(w, _)| w.clone()),
                common_wrong_count: common.map_or(0, |(_, n)| *n),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.misses
            .cmp(&a.misses)
            .then_with(|| (b.misses * a.answers).cmp(&(a.misses * b.answers)))
            .then_with(|| a.card_id.cmp(&b.card_id))
    });
    if let Some(limit) = limit {
        out.truncate(limit);
    }
    Ok(out)
}

/// One student's missed cards in this class: cards of the class's assignments whose latest
/// answer since joining is wrong.
pub fn student_missed(
    conn: &Connection,
    class_id: i64,
    member: &Member,
) -> rusqlite::Result<Vec<(String, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "WITH class_cards AS (
             SELECT DISTINCT ac.card_id FROM assignment_cards ac
             JOIN assignments a ON a.id = ac.assignment_id WHERE a.class_id = ?1),
         ranked AS (
             SELECT r.card_id, r.correct, r.given_answer, r.answered_at,
                    ROW_NUMBER() OVER (PARTITION BY r.card_id
                                       ORDER BY r.answered_at DESC, r.rowid DESC) AS n
             FROM reviews r
             WHERE r.user_id = ?2 AND r.answered_at >= ?3 * 1000 AND r.card_id IN class_cards)
         SELECT card_id, given_answer, answered_at FROM ranked
         WHERE n = 1 AND correct = 0 ORDER BY answered_at DESC",
    )?;
    let rows = stmt.query_map(params![class_id, member.user_id, member.joined_at], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::REPORT_QUERIES;

    /// Every step of a query's plan, as `EXPLAIN QUERY PLAN` words it.
    pub fn plan(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let n = stmt.parameter_count();
        let params: Vec<rusqlite::types::Value> = (0..n).map(|_| 1i64.into()).collect();
        stmt.query_map(rusqlite::params_from_iter(params), |r| {
            r.get::<_, String>(3)
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    fn exec(conn: &rusqlite::Connection, sql: &str) {
        conn.execute_batch(sql).unwrap();
    }

    /// Goals count what they should: right answers since the assignment was set (and the
    /// student joined); stability of graduated cards; nothing from before joining.
    #[test]
    fn the_roster_counts_each_goal_from_the_right_moment() {
        use super::*;
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        exec(
            &conn,
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0),
                                      ('e2/date', 'd', 'e2', 'date', 1, 0),
                                      ('e3/date', 'd', 'e3', 'date', 2, 0);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 't', 'T', 'x', 'teacher', 0), (2, 'ann', 'Ann', 'x', 'learner', 0),
                      (3, 'bo', 'Bo', 'x', 'learner', 0);
             INSERT INTO classes VALUES (1, 1, 'C', 'ABCDEFGH', 0, NULL);
             INSERT INTO class_members VALUES (1, 2, 100), (1, 3, 100);",
        );
        let cards = vec!["e1/date".to_string(), "e2/date".into(), "e3/date".into()];
        let tx = conn.transaction().unwrap();
        for (title, goal) in [("once", Goal::RightOnce), ("strong", Goal::Stability(5.0))] {
            save_assignment(
                &tx,
                1,
                None,
                &AssignmentInput {
                    title,
                    deck_id: "d",
                    selection: &Selection::default(),
                    goal,
                    due_date: None,
                    cards: &cards,
                },
                200,
            )
            .unwrap();
        }
        tx.commit().unwrap();
        // Ann: e1 right before the assignment (does not count), e2 right after, e3 wrong.
        // Bo: e1 right after; e2 right before joining. States: Ann e1 strong, e2 weak,
        // e3 strong but relearning.
        exec(
            &conn,
            "INSERT INTO reviews VALUES
               ('a', 2, 'e1/date', 150000, 3, 1, 'x', 1, 'mc', 'web', 0),
               ('b', 2, 'e2/date', 250000, 3, 1, 'x', 1, 'mc', 'web', 0),
               ('c', 2, 'e3/date', 260000, 1, 0, 'y', 1, 'mc', 'web', 0),
               ('d', 3, 'e1/date', 300000, 3, 1, 'x', 1, 'mc', 'web', 0),
               ('e', 3, 'e2/date', 50000, 3, 1, 'x', 1, 'mc', 'web', 0);
             INSERT INTO card_states (user_id, card_id, stability, difficulty, due,
                                      last_review, reps, lapses, state) VALUES
               (2, 'e1/date', 9.0, 5, 0, 0, 1, 0, 'review'),
               (2, 'e2/date', 2.0, 5, 0, 0, 1, 0, 'review'),
               (2, 'e3/date', 9.0, 5, 0, 0, 2, 1, 'relearning');",
        );
        let assignments = assignments(&conn, 1).unwrap();
        let r = roster(&conn, 1, &assignments, 0).unwrap();
        assert_eq!(
            r.completion[0][&2], 1,
            "only e2 was right after the assignment was set"
        );
        assert_eq!(r.completion[0][&3], 1, "e2 before joining does not count");
        assert_eq!(
            r.completion[1][&2], 1,
            "only e1 is graduated and strong enough"
        );
        assert_eq!(r.completion[1][&3], 0);
        let ann = &r.activity[&2];
        assert_eq!((ann.recent_answers, ann.recent_right), (3, 2));
        assert_eq!(ann.last_active, Some(260000));
        assert_eq!(ann.cards_learned, 2);
        assert_eq!(
            r.activity[&3].recent_answers, 1,
            "answers before joining are private"
        );
        // The learner's own view agrees with the teacher's.
        let a = &assignments[0];
        assert_eq!(finished_cards(&conn, 2, a, 100).unwrap().len(), 1);
        assert_eq!(
            finished_cards(&conn, 2, &assignments[1], 100)
                .unwrap()
                .len(),
            1
        );
    }

    /// The class reports read reviews and card states through indexes, never a whole table:
    /// a class page must not slow down as the school's review log grows.
    #[test]
    fn report_queries_never_scan_a_whole_table() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        let tables = [
            "r",
            "s",
            "m",
            "a",
            "ac",
            "reviews",
            "card_states",
            "class_members",
        ];
        for (name, sql) in REPORT_QUERIES {
            let steps = plan(&conn, sql);
            for step in &steps {
                let scanned = step
                    .strip_prefix("SCAN ")
                    .map(|rest| rest.split_whitespace().next().unwrap_or(""));
                assert!(
                    !scanned.is_some_and(|t| tables.contains(&t)),
                    "{name} scans a whole table: {step}\n{}",
                    steps.join("\n")
                );
            }
        }
    }
}
