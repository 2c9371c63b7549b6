//! The one answer path, for the study form and the sync API alike: in one write transaction
//! (`BEGIN IMMEDIATE`), check that the card has not moved on, append the review, bring the
//! card state to what a replay of its log gives, bump the learner's sync counter, commit.
//! Only then may a route show the result. Routes parse, call this and render.
//!
//! The staleness check sits inside the transaction on purpose: checked before it, two tabs
//! answering one card at once were both "saved" and the state counted one of them.

pub mod fit;
pub mod summary;

use crate::clock::Instant;
use crate::db::study::{self as store, NewReview};
use crate::db::sync::{self as sync_store, Changed, Outcome};
use crate::db::users;
use crate::ids::UserId;
use crate::srs::{CardState, Scheduler};
use crate::sync::IncomingReview;
use crate::sync::cursor::Cursor;
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// What became of one answer from the study form.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered {
    /// Stored; the card's state is now `state` (a replay of its whole log), saved as the
    /// learner's change number `seq`.
    Saved { state: CardState, seq: i64 },
    /// This review id is already in the learner's log (a form sent twice): nothing written.
    AlreadySaved,
    /// The card was answered meanwhile (another tab or device): nothing written.
    Stale,
}

/// Stores one answer given on a question shown when the card had `shown_reps` reviews.
pub fn answer(
    conn: &mut Connection,
    review: &NewReview<'_>,
    shown_reps: u32,
    received_at: Instant,
) -> rusqlite::Result<Answered> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Dropping `tx` without commit rolls back: nothing is written on the early returns.
    // A review id already in the log is "already saved", whatever the card's position. It
    // is looked up only when the insert would not settle it: a form sent twice finds its
    // card moved on by its own first copy, and the usual answer needs no probe of its own
    // (the insert's uniqueness check is that probe).
    let reps = store::card_state(&tx, review.user_id, review.card_id)?.map_or(0, |s| s.reps);
    if reps != shown_reps {
        return Ok(if store::has_review(&tx, review.user_id, review.id)? {
            Answered::AlreadySaved
        } else {
            Answered::Stale
        });
    }
    if !store::insert_review(&tx, review, received_at)? {
        return Ok(Answered::AlreadySaved);
    }
    let scheduler = Scheduler::with(&users::scheduling(&tx, review.user_id)?);
    // `replay_card`, keeping the change number for the learner's summary.
    let reviews = store::card_reviews(&tx, review.user_id, review.card_id)?;
    let state = scheduler
        .replay(&reviews)
        .expect("the card has the review just appended");
    let seq = store::take_sync_numbers(&tx, review.user_id, 1)?;
    store::save_state_numbered(&tx, review.user_id, review.card_id, &state, seq)?;
    tx.commit()?;
    Ok(Answered::Saved { state, seq })
}

/// Replays every card of the learner with their current settings, in one transaction: what
/// changing retention, steps, time zone or parameters does. The log never changes. Returns
/// how many cards were rescheduled.
pub fn reschedule(conn: &mut Connection, user_id: UserId) -> rusqlite::Result<usize> {
    reschedule_after(conn, user_id, |_| Ok(()))
}

/// Applies `change` to the learner's settings and reschedules under them, in one
/// transaction: no state is ever left computed under settings that were not saved.
pub fn reschedule_after(
    conn: &mut Connection,
    user_id: UserId,
    change: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<()>,
) -> rusqlite::Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    change(&tx)?;
    let scheduler = Scheduler::with(&users::scheduling(&tx, user_id)?);
    let cards = store::card_ids_with_state(&tx, user_id)?;
    for card in &cards {
        store::replay_card(&tx, &scheduler, user_id, card)?;
    }
    tx.commit()?;
    Ok(cards.len())
}

/// What one sync request did, and what to send back.
#[derive(Debug)]
pub struct Synced {
    pub outcome: Outcome,
    /// Card states changed after the client's cursor, this batch's changes included.
    pub changed: Vec<Changed>,
    /// The learner's newest change number: the next cursor.
    pub seq: i64,
}

/// Stores a batch of reviews (idempotent by id, per learner), replays every card it touched,
/// and collects the states changed since `cursor`, all in one transaction. A review whose id
/// the log holds already is a duplicate, whatever else it says. `tidy` may adjust the other
/// reviews first, inside that transaction.
#[allow(clippy::too_many_arguments)]
pub fn sync(
    conn: &mut Connection,
    user_id: UserId,
    device_id: &str,
    mut batch: Vec<IncomingReview>,
    cursor: Option<Cursor>,
    now: Instant,
    card_exists: impl Fn(&str) -> bool,
    tidy: impl FnOnce(&Connection, &mut [IncomingReview]) -> rusqlite::Result<()>,
) -> rusqlite::Result<Synced> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Reviews already in the log are set aside first: nothing of them is stored, so they
    // need neither checks nor tidying (which draws questions again: with it, a batch sent
    // twice took 7 s the second time, 9 draws for each of its 1,000 cards).
    let already = sync_store::set_aside_stored(&tx, user_id, &mut batch)?;
    // What the sync API checks against the learner's states (the choices a multiple-choice
    // answer could have had) is read inside the transaction too.
    tidy(&tx, &mut batch)?;
    let since = Cursor::since(cursor, sync_store::current_seq(&tx, user_id)?);
    let scheduler = Scheduler::with(&users::scheduling(&tx, user_id)?);
    let mut outcome = sync_store::apply(
        &tx,
        &scheduler,
        user_id,
        device_id,
        &batch,
        now,
        card_exists,
    )?;
    outcome.duplicates += already;
    let changed = sync_store::changed_since(&tx, user_id, since)?;
    let seq = sync_store::current_seq(&tx, user_id)?;
    tx.commit()?;
    Ok(Synced {
        outcome,
        changed,
        seq,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ReviewId;
    use crate::srs::Rating;

    const T0: Instant = Instant::from_ms(1_750_000_000_000);

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 'ann', 'Ann', 'x', 'learner', 0);",
        )
        .unwrap();
        conn
    }

    fn review(id: &ReviewId, at: Instant, rating: Rating) -> NewReview<'_> {
        NewReview {
            id,
            user_id: UserId(1),
            card_id: "e1/date",
            answered_at: at,
            rating,
            correct: rating != Rating::Again,
            given_answer: "",
            duration_ms: 0,
            presentation: "flashcard",
            device_id: "web",
        }
    }

    #[test]
    fn a_second_form_for_the_same_position_is_stale_and_a_resent_one_already_saved() {
        let mut conn = db();
        let (a, b) = (ReviewId::from_stored("a"), ReviewId::from_stored("b"));
        let first = review(&a, T0, Rating::Good);
        assert!(matches!(
            answer(&mut conn, &first, 0, T0).unwrap(),
            Answered::Saved { state, seq: 1 } if state.reps == 1
        ));
        let other_tab = review(&b, T0 + time::Duration::seconds(1), Rating::Again);
        assert_eq!(
            answer(&mut conn, &other_tab, 0, T0).unwrap(),
            Answered::Stale
        );
        assert_eq!(
            answer(&mut conn, &first, 0, T0).unwrap(),
            Answered::AlreadySaved
        );
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
    /// A review id already in the log is "already saved" even where the card it now names
    /// has not moved on (the insert's uniqueness check settles it): nothing is written.
    #[test]
    fn a_stored_review_id_sent_for_another_card_is_already_saved_and_writes_nothing() {
        let mut conn = db();
        conn.execute(
            "INSERT INTO cards VALUES ('e2/date', 'd', 'e2', 'date', 1, 0)",
            [],
        )
        .unwrap();
        let a = ReviewId::from_stored("a");
        let first = review(&a, T0, Rating::Good);
        assert!(matches!(
            answer(&mut conn, &first, 0, T0).unwrap(),
            Answered::Saved { seq: 1, .. }
        ));
        let mut other_card = review(&a, T0 + time::Duration::seconds(1), Rating::Again);
        other_card.card_id = "e2/date";
        assert_eq!(
            answer(&mut conn, &other_card, 0, T0).unwrap(),
            Answered::AlreadySaved
        );
        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(count("SELECT COUNT(*) FROM reviews"), 1);
        assert_eq!(count("SELECT COUNT(*) FROM card_states"), 1);
        assert_eq!(count("SELECT sync_seq FROM users WHERE id = 1"), 1);
    }

    /// A review already in the log is a duplicate whatever else it says, and is set aside
    /// before `tidy` (which draws questions again) ever sees it.
    #[test]
    fn a_review_sent_again_is_a_duplicate_and_never_tidied() {
        let mut conn = db();
        let incoming = |n: u128, rating: i64| IncomingReview {
            id: uuid::Uuid::from_u128(n).to_string(),
            card_id: "e1/date".into(),
            rating,
            answered_at: T0.ms() + n as i64 * 60_000,
            duration_ms: 1000,
            given_answer: "1979".into(),
        };
        let mut run = |batch: Vec<IncomingReview>| {
            let mut tidied = 0;
            let synced = sync(
                &mut conn,
                UserId(1),
                "phone",
                batch,
                None,
                T0 + time::Duration::days(1),
                |c| c == "e1/date",
                |_, reviews| {
                    tidied = reviews.len();
                    Ok(())
                },
            )
            .unwrap();
            (synced.outcome, tidied)
        };
        let (first, tidied) = run(vec![incoming(1, 3), incoming(2, 1)]);
        assert_eq!((first.accepted, first.duplicates, tidied), (2, 0, 2));
        // Sent again, one in capitals and one with a rating that would be refused: both are
        // the stored reviews; with them a new one, which alone is tidied.
        let mut upper = incoming(1, 3);
        upper.id = upper.id.to_uppercase();
        let (again, tidied) = run(vec![upper, incoming(2, 9), incoming(3, 4)]);
        assert_eq!((again.accepted, again.duplicates, tidied), (1, 2, 1));
        assert!(again.rejected.is_empty());
    }
}
