//! Each learner's assignments (class, title, due date, goal and cards), kept in memory
//! between dashboards. Listing them and counting what the learner finished in SQL was a
//! blocking-pool hop on every `GET /`, about a third of the page's server CPU in the load
//! benchmark once its learners had studied (the "right once" count walked every answer
//! given since joining). A list is used only while no write that changes anyone's
//! assignments has been made since it was read (`db::classes::changes`: an assignment
//! saved or deleted, a member joining or leaving, a class renamed or archived); what the
//! learner finished is counted from their kept summary, which the answer path keeps exact.

use crate::classes::goal::Goal;
use crate::clock::Instant;
use crate::db::classes::{self as store, Assignment, changes};
use crate::db::{self, DbError};
use crate::ids::{AssignmentId, CardId, UserId};
use crate::routes::classes::report::{MyAssignment, cell, due_label};
use crate::srs::{DayClock, Phase};
use crate::study::summary::Summary;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Past this many learners' lists the store starts again empty.
const KEPT_LEARNERS: usize = 4_096;
/// Past this many assignments' card lists, the out-of-date ones are let go.
const KEPT_ASSIGNMENTS: usize = 1_024;

/// One assignment as one learner is set it.
#[derive(Debug)]
pub struct Set {
    pub assignment: Assignment,
    pub class_name: String,
    /// When the learner joined the class (unix seconds).
    pub joined_at: i64,
    /// The assignment's cards, shared by every learner of the class.
    cards: Arc<[CardId]>,
}

impl Set {
    /// The assignment's cards the learner whose summary this is has finished, counted as
    /// `db::classes::finished_counts` counts them: answered right since the later of joining
    /// and the assignment's creation, or graduated with the goal's stability.
    pub fn finished(&self, summary: &Summary) -> usize {
        match self.assignment.goal {
            Goal::RightOnce => {
                let since = Instant::from_secs(self.joined_at.max(self.assignment.created_at));
                self.cards
                    .iter()
                    .filter(|c| summary.right_since(c, since))
                    .count()
            }
            Goal::Stability(days) => self
                .cards
                .iter()
                .filter(|c| {
                    summary
                        .state(c)
                        .is_some_and(|s| s.phase == Phase::Review && f64::from(s.stability) >= days)
                })
                .count(),
        }
    }

    /// The assignment as the learner's pages list it, with `done` cards finished.
    pub fn mine(&self, done: usize, clock: &DayClock) -> MyAssignment {
        let a = &self.assignment;
        MyAssignment {
            id: a.id,
            class_id: a.class_id,
            class_name: self.class_name.clone(),
            title: a.title.clone(),
            due: due_label(a, clock),
            due_date: a.due_date.clone(),
            goal: a.goal.describe(),
            cell: cell(a, done, clock),
        }
    }
}

struct Listed {
    /// `changes()` just before the list was read.
    changes: u64,
    sets: Arc<[Set]>,
}

type Cards = Arc<Mutex<HashMap<AssignmentId, (u64, Arc<[CardId]>)>>>;

/// Every learner's list lately read; see the module's documentation.
#[derive(Default)]
pub struct KeptAssignments {
    learners: Mutex<HashMap<UserId, Listed>>,
    cards: Cards,
}

impl KeptAssignments {
    /// The assignments of every class `user_id` is in (archived classes left out), soonest
    /// due first: the kept list when nothing changed since it was read, else read again.
    pub async fn of(&self, pool: &db::Pool, user_id: UserId) -> Result<Arc<[Set]>, DbError> {
        // Read before the rows: a write after this reading makes the copy out of date.
        let changes = changes::changes();
        if let Some(kept) = lock(&self.learners).get(&user_id)
            && kept.changes == changes
        {
            return Ok(Arc::clone(&kept.sets));
        }
        let kept_cards = Arc::clone(&self.cards);
        let sets: Arc<[Set]> = db::run(pool, move |conn| {
            // One snapshot: each assignment's count of cards agrees with its list.
            let tx = conn.transaction()?;
            let mut sets = Vec::new();
            for (assignment, class_name, joined_at) in store::assignments_of_member(&tx, user_id)? {
                let cards = cards_of(&tx, &kept_cards, assignment.id, changes)?;
                sets.push(Set {
                    assignment,
                    class_name,
                    joined_at,
                    cards,
                });
            }
            tx.finish()?;
            Ok(sets)
        })
        .await?
        .into();
        let mut learners = lock(&self.learners);
        if learners.len() >= KEPT_LEARNERS {
            learners.clear();
        }
        learners.insert(
            user_id,
            Listed {
                changes,
                sets: Arc::clone(&sets),
            },
        );
        Ok(sets)
    }
}

/// An assignment's cards: the kept list when read at `changes`, else read and kept.
fn cards_of(
    conn: &rusqlite::Connection,
    kept: &Cards,
    id: AssignmentId,
    changes: u64,
) -> Result<Arc<[CardId]>, DbError> {
    if let Some((at, cards)) = lock(kept).get(&id)
        && *at == changes
    {
        return Ok(Arc::clone(cards));
    }
    let cards: Arc<[CardId]> = store::assignment_cards(conn, id)?.into();
    let mut kept = lock(kept);
    if kept.len() >= KEPT_ASSIGNMENTS {
        kept.retain(|_, (at, _)| *at == changes);
    }
    kept.insert(id, (changes, Arc::clone(&cards)));
    Ok(cards)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
