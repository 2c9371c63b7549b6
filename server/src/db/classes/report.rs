//! The reports a teacher reads: progress on assignments, activity, the most-missed
//! questions. A teacher sees a student's reviews on this class's cards from the day they
//! joined, no more; reviews are in milliseconds.

use super::assignment::{Assignment, assignment_card_keys, assignment_cards, assignments};
use super::membership::Member;
use crate::classes::goal::Goal;
use crate::classes::item_analysis::FirstAnswer;
use crate::clock::Instant;
use crate::ids::{AssignmentId, CardId, ClassId, UserId};
use rusqlite::{Connection, params};
use std::collections::HashMap;

// ---- Report queries, named so that their plans can be checked for full scans ----
//
// `class_members.joined_at` is seconds and `reviews.answered_at` milliseconds (no data
// migration); where one is compared with the other inside a join, SQL scales the seconds
// (`joined_at * 1000`): there is no parameter to pass an `Instant` through.

/// Every answer of every member since they joined, by the card's integer key: joining
/// `card_keys` here cost 1.8 of the query's 2.8 ms on the benchmark's class of 200 (15,000
/// answers), and grouping by card in SQL (aggregate steps) was slower than tallying the
/// rows here. Covered by `reviews_user_time`.
const ROSTER_REVIEWS: &str = "SELECT m.user_id, r.card, r.correct, r.answered_at
     FROM class_members m
     JOIN reviews r ON r.user_id = m.user_id AND r.answered_at >= m.joined_at * 1000
     WHERE m.class_id = ?1";

/// Every graduated card of every member, with its stability.
const ROSTER_STATES: &str = "SELECT m.user_id, s.card_id, s.stability, s.state
     FROM class_members m JOIN card_states s ON s.user_id = m.user_id AND s.state = 'review'
     WHERE m.class_id = ?1";

/// Every answer of every member since they joined, with the answer given when wrong.
const CLASS_ANSWERS: &str = "SELECT m.user_id, k.card_id, r.correct,
            CASE WHEN r.correct = 0 THEN r.given_answer END
     FROM class_members m
     JOIN reviews r ON r.user_id = m.user_id AND r.answered_at >= m.joined_at * 1000
     JOIN card_keys k ON k.key = r.card
     WHERE m.class_id = ?1";

/// The queries behind the class page, most-missed lists and exports.
pub const REPORT_QUERIES: &[(&str, &str)] = &[
    ("roster_reviews", ROSTER_REVIEWS),
    ("roster_states", ROSTER_STATES),
    ("class_answers", CLASS_ANSWERS),
];

// ---- Progress ----

/// Each card's latest right answer by learner `user_id` (for the goal "right once since",
/// counted from memory by the dashboard). Covered by `reviews_user_card`.
pub fn latest_right(
    conn: &Connection,
    user_id: UserId,
) -> rusqlite::Result<Vec<(CardId, Instant)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.card_id, m.at FROM (
             SELECT r.card, MAX(r.answered_at) AS at FROM reviews r
             WHERE r.user_id = ?1 AND r.correct = 1 GROUP BY r.card) m
         CROSS JOIN card_keys k ON k.key = m.card",
    )?;
    let rows = stmt.query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Which cards of an assignment one learner has finished (for the study queue): right
/// once since the later of `since` (when they joined) and the assignment's creation, or
/// graduated with at least the goal's stability.
pub fn finished_cards(
    conn: &Connection,
    user_id: UserId,
    a: &Assignment,
    since: i64,
) -> rusqlite::Result<std::collections::HashSet<CardId>> {
    let since = since.max(a.created_at);
    match a.goal {
        Goal::RightOnce => conn
            .prepare_cached(&format!("SELECT DISTINCT ac.card_id {RIGHT_ONCE}"))?
            .query_map(params![user_id, a.id, Instant::from_secs(since)], |r| {
                r.get::<_, CardId>(0)
            })?
            .collect(),
        Goal::Stability(days) => conn
            .prepare_cached(&format!("SELECT ac.card_id {HELD}"))?
            .query_map(params![user_id, a.id, days], |r| r.get::<_, CardId>(0))?
            .collect(),
    }
}

/// How many cards of each assignment one learner has finished, in the order given (each
/// with when they joined its class): the dashboard's and the class page's progress. The
/// same queries as [`finished_cards`], counted in SQL: no card id is copied out (the
/// dashboard read every finished id of every assignment only to count them).
pub fn finished_counts(
    conn: &Connection,
    user_id: UserId,
    list: &[(&Assignment, i64)],
) -> rusqlite::Result<Vec<usize>> {
    list.iter()
        .map(|(a, since)| {
            let since = (*since).max(a.created_at);
            let n: i64 = match a.goal {
                Goal::RightOnce => conn
                    .prepare_cached(&format!("SELECT COUNT(DISTINCT ac.card_id) {RIGHT_ONCE}"))?
                    .query_row(params![user_id, a.id, Instant::from_secs(since)], |r| {
                        r.get(0)
                    })?,
                Goal::Stability(days) => conn
                    .prepare_cached(&format!("SELECT COUNT(*) {HELD}"))?
                    .query_row(params![user_id, a.id, days], |r| r.get(0))?,
            };
            Ok(n as usize)
        })
        .collect()
}

/// The cards of assignment ?2 that learner ?1 answered right since ?3 (milliseconds).
const RIGHT_ONCE: &str = "FROM assignment_cards ac
     JOIN card_keys k ON k.card_id = ac.card_id
     JOIN reviews r ON r.user_id = ?1 AND r.card = k.key AND r.correct = 1
          AND r.answered_at >= ?3
     WHERE ac.assignment_id = ?2";

/// The cards of assignment ?2 that learner ?1 has graduated with a stability of ?3 days.
const HELD: &str = "FROM assignment_cards ac
     JOIN card_states s ON s.user_id = ?1 AND s.card_id = ac.card_id
     WHERE ac.assignment_id = ?2 AND s.state = 'review' AND s.stability >= ?3";

/// One student's activity on this class's cards since joining.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// When the latest answer was given.
    pub last_active: Option<Instant>,
    pub recent_answers: i64,
    pub recent_right: i64,
    /// Cards of the class in the review phase (graduated from learning).
    pub cards_learned: i64,
}

/// What the roster shows: cards done per assignment and each member's activity.
pub struct Roster {
    /// completion[assignment index][user id] = cards done.
    pub completion: Vec<HashMap<UserId, usize>>,
    pub activity: HashMap<UserId, Activity>,
}

/// The member slot and card index a roster row (user_id, card_id, ...) is about; `None` for a
/// card outside the class's assignments or someone no longer in the class.
fn locate(
    row: &rusqlite::Row<'_>,
    slot: &HashMap<UserId, usize>,
    index: &HashMap<CardId, usize>,
) -> rusqlite::Result<Option<(usize, usize)>> {
    let card = index.get(row.get_ref(1)?.as_str()?).copied();
    let who = slot.get(&row.get::<_, UserId>(0)?).copied();
    Ok(who.zip(card))
}

/// The roster of a class in two passes: one over the members' answers since joining,
/// grouped by card in SQL, one over their card states, tallied here against the
/// assignments' card sets. One pass over the log is cheaper than a query per assignment
/// that probes it card by card.
pub fn roster(
    conn: &Connection,
    class_id: ClassId,
    members: &[Member],
    assignments: &[Assignment],
    recent_since: Instant,
) -> rusqlite::Result<Roster> {
    let mut index: HashMap<CardId, usize> = HashMap::new();
    let mut by_key = KeyIndex::default();
    let mut sets: Vec<Vec<usize>> = Vec::with_capacity(assignments.len());
    for a in assignments {
        let ids = assignment_card_keys(conn, a.id)?;
        sets.push(
            ids.into_iter()
                .map(|(id, key)| {
                    let next = index.len();
                    let i = *index.entry(id).or_insert(next);
                    by_key.insert(key, i);
                    i
                })
                .collect(),
        );
    }
    let n = index.len();
    let slot: HashMap<UserId, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.user_id, i))
        .collect();
    let mut activity = vec![Activity::default(); members.len()];
    // Latest right answer and state per member and card, in flat arrays.
    let mut last_right = vec![Instant::from_ms(i64::MIN); members.len() * n];
    let mut stability = vec![f64::NAN; members.len() * n];
    let mut stmt = conn.prepare_cached(ROSTER_REVIEWS)?;
    let mut rows = stmt.query([class_id])?;
    // Rows come member by member: look each member up once.
    let mut current: Option<(UserId, Option<usize>)> = None;
    while let Some(row) = rows.next()? {
        let user: UserId = row.get(0)?;
        let who = match current {
            Some((u, who)) if u == user => who,
            _ => {
                let who = slot.get(&user).copied();
                current = Some((user, who));
                who
            }
        };
        let card = by_key.get(row.get(1)?);
        let Some((who, card)) = who.zip(card) else {
            continue;
        };
        let correct: bool = row.get(2)?;
        let at: Instant = row.get(3)?;
        let a = &mut activity[who];
        a.last_active = Some(a.last_active.map_or(at, |l| l.max(at)));
        if at >= recent_since {
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
                    let since = Instant::from_secs(m.joined_at.max(a.created_at));
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

/// Card key -> card index. Keys are small consecutive numbers (one per card of every deck
/// ever loaded), so most go in an array and a row of the log costs an array read rather
/// than a hash; a key past the array's bound (a hand-edited file) still counts, hashed.
#[derive(Default)]
struct KeyIndex {
    dense: Vec<usize>,
    sparse: HashMap<i64, usize>,
}

impl KeyIndex {
    const DENSE: i64 = 1 << 20;
    const NONE: usize = usize::MAX;

    fn insert(&mut self, key: i64, i: usize) {
        if (0..Self::DENSE).contains(&key) {
            let k = key as usize;
            if self.dense.len() <= k {
                self.dense.resize(k + 1, Self::NONE);
            }
            self.dense[k] = i;
        } else {
            self.sparse.insert(key, i);
        }
    }

    fn get(&self, key: i64) -> Option<usize> {
        if (0..Self::DENSE).contains(&key) {
            self.dense
                .get(key as usize)
                .copied()
                .filter(|&i| i != Self::NONE)
        } else {
            self.sparse.get(&key).copied()
        }
    }
}

/// A question the class gets wrong.
#[derive(Debug, Clone)]
pub struct MissedCard {
    pub card_id: CardId,
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
pub fn class_cards(conn: &Connection, class_id: ClassId) -> rusqlite::Result<Vec<CardId>> {
    let mut out: Vec<CardId> = Vec::new();
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
    class_id: ClassId,
    assignment_id: Option<AssignmentId>,
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
        students: std::collections::HashSet<UserId>,
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
    class_id: ClassId,
    member: &Member,
) -> rusqlite::Result<Vec<(String, String, Instant)>> {
    let mut stmt = conn.prepare_cached(
        "WITH class_cards AS (
             SELECT DISTINCT ac.card_id FROM assignment_cards ac
             JOIN assignments a ON a.id = ac.assignment_id WHERE a.class_id = ?1),
         class_keys AS (
             SELECT k.key FROM class_cards cc JOIN card_keys k ON k.card_id = cc.card_id),
         ranked AS (
             SELECT k.card_id, r.correct, r.given_answer, r.answered_at,
                    ROW_NUMBER() OVER (PARTITION BY r.card
                                       ORDER BY r.answered_at DESC, r.rowid DESC) AS n
             FROM reviews r CROSS JOIN card_keys k ON k.key = r.card
             WHERE r.user_id = ?2 AND r.answered_at >= ?3 AND r.card IN class_keys)
         SELECT card_id, given_answer, answered_at FROM ranked
         WHERE n = 1 AND correct = 0 ORDER BY answered_at DESC",
    )?;
    let since = Instant::from_secs(member.joined_at);
    let rows = stmt.query_map(params![class_id, member.user_id, since], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

/// Each member's first answer to each card of an assignment, counted from when they joined
/// or the assignment was set, whichever is later: the input of an item analysis.
pub fn first_answers(
    conn: &Connection,
    class_id: ClassId,
    a: &Assignment,
) -> rusqlite::Result<Vec<FirstAnswer>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.user_id, ac.card_id, r.correct, r.given_answer
         FROM class_members m
         JOIN assignment_cards ac ON ac.assignment_id = ?2
         JOIN card_keys k ON k.card_id = ac.card_id
         JOIN reviews r ON r.user_id = m.user_id AND r.card = k.key
              AND r.answered_at >= m.joined_at * 1000 AND r.answered_at >= ?3
         WHERE m.class_id = ?1
         ORDER BY r.user_id, ac.card_id, r.answered_at, r.rowid",
    )?;
    let set_at = Instant::from_secs(a.created_at);
    let rows = stmt.query_map(params![class_id, a.id, set_at], |r| {
        Ok(FirstAnswer {
            student: r.get(0)?,
            card: r.get(1)?,
            correct: r.get(2)?,
            given: r.get(3)?,
        })
    })?;
    let mut out: Vec<FirstAnswer> = Vec::new();
    for row in rows {
        let row = row?;
        let seen = out
            .last()
            .is_some_and(|l| l.student == row.student && l.card == row.card);
        if !seen {
            out.push(row);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::REPORT_QUERIES;
    use crate::classes::selection::Selection;
    use crate::db::classes::{AssignmentInput, save_assignment};

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
        let cards: Vec<CardId> = vec!["e1/date".into(), "e2/date".into(), "e3/date".into()];
        for (title, goal) in [("once", Goal::RightOnce), ("strong", Goal::Stability(5.0))] {
            save_assignment(
                &mut conn,
                ClassId(1),
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
        // Ann: e1 right before the assignment (does not count), e2 right after, e3 wrong.
        // Bo: e1 right after; e2 right before joining. States: Ann e1 strong, e2 weak,
        // e3 strong but relearning.
        exec(
            &conn,
            "WITH v(id, user_id, card_id, answered_at, rating, correct, given_answer,
                    duration_ms, presentation, device_id, received_at) AS (VALUES
               ('a', 2, 'e1/date', 150000, 3, 1, 'x', 1, 'mc', 'web', 0),
               ('b', 2, 'e2/date', 250000, 3, 1, 'x', 1, 'mc', 'web', 0),
               ('c', 2, 'e3/date', 260000, 1, 0, 'y', 1, 'mc', 'web', 0),
               ('d', 3, 'e1/date', 300000, 3, 1, 'x', 1, 'mc', 'web', 0),
               ('e', 3, 'e2/date', 50000, 3, 1, 'x', 1, 'mc', 'web', 0))
             INSERT INTO reviews (id, user_id, card, answered_at, rating, correct, given_answer,
                                  duration_ms, presentation, device_id, received_at)
             SELECT v.id, v.user_id, k.key, v.answered_at, v.rating, v.correct, v.given_answer,
                    v.duration_ms, v.presentation, v.device_id, v.received_at
             FROM v JOIN card_keys k ON k.card_id = v.card_id;
             INSERT INTO card_states (user_id, card_id, stability, difficulty, due,
                                      last_review, reps, lapses, state) VALUES
               (2, 'e1/date', 9.0, 5, 0, 0, 1, 0, 'review'),
               (2, 'e2/date', 2.0, 5, 0, 0, 1, 0, 'review'),
               (2, 'e3/date', 9.0, 5, 0, 0, 2, 1, 'relearning');",
        );
        let assignments = assignments(&conn, ClassId(1)).unwrap();
        let members = crate::db::classes::members(&conn, ClassId(1)).unwrap();
        let r = roster(&conn, ClassId(1), &members, &assignments, Instant::EPOCH).unwrap();
        assert_eq!(
            r.completion[0][&UserId(2)],
            1,
            "only e2 was right after the assignment was set"
        );
        assert_eq!(
            r.completion[0][&UserId(3)],
            1,
            "e2 before joining does not count"
        );
        assert_eq!(
            r.completion[1][&UserId(2)],
            1,
            "only e1 is graduated and strong enough"
        );
        assert_eq!(r.completion[1][&UserId(3)], 0);
        let ann = &r.activity[&UserId(2)];
        assert_eq!((ann.recent_answers, ann.recent_right), (3, 2));
        assert_eq!(ann.last_active, Some(Instant::from_ms(260000)));
        assert_eq!(ann.cards_learned, 2);
        assert_eq!(
            r.activity[&UserId(3)].recent_answers,
            1,
            "answers before joining are private"
        );
        // The learner's own view agrees with the teacher's.
        let a = &assignments[0];
        assert_eq!(finished_cards(&conn, UserId(2), a, 100).unwrap().len(), 1);
        assert_eq!(
            finished_cards(&conn, UserId(2), &assignments[1], 100)
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
            "k",
            "reviews",
            "card_keys",
            "card_states",
            "class_members",
        ];
        // With them, a learner's progress on an assignment (the study queue's and the
        // dashboard's), which reads card states through their primary key alone.
        let progress = [
            (
                "right_once",
                format!("SELECT DISTINCT ac.card_id {}", super::RIGHT_ONCE),
            ),
            ("held", format!("SELECT ac.card_id {}", super::HELD)),
        ];
        let progress = progress.iter().map(|(name, sql)| (*name, sql.as_str()));
        for (name, sql) in REPORT_QUERIES.iter().copied().chain(progress) {
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
