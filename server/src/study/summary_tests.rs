use super::*;
use crate::db::study::NewReview;
use crate::ids::ReviewId;
use crate::srs::Rating;
use crate::srs::days;
use crate::study::{Answered, answer};
use proptest::prelude::*;

/// 2025-06-15 12:00 UTC.
const T0: i64 = 1_749_988_800;
const CARDS: [(&str, &str); 4] = [
    ("a/date", "d1"),
    ("b/date", "d1"),
    ("c/place", "d1"),
    ("x/date", "d2"),
];

fn db() -> Connection {
    let conn = crate::db::testing::with_learners(&["Ann"]);
    conn.execute_batch(
        "INSERT INTO decks VALUES ('d1', 'D1', '', 'd1.toml'), ('d2', 'D2', '', 'd2.toml');
         INSERT INTO cards VALUES ('a/date', 'd1', 'a', 'date', 0, 0),
                                  ('b/date', 'd1', 'b', 'date', 1, 0),
                                  ('c/place', 'd1', 'c', 'place', 2, 0),
                                  ('x/date', 'd2', 'x', 'date', 0, 0);",
    )
    .unwrap();
    conn
}

/// Many learners live at UTC+7 and start their day at 4 in the morning.
fn clock() -> DayClock {
    DayClock::new(days::zone("Asia/Ho_Chi_Minh").unwrap(), 4)
}

/// Answers card `card` at `at` (unix seconds) through the answer path, as the study form
/// does; the summary records what was committed, or is read again as the route does.
fn answer_and_record(
    conn: &mut Connection,
    summary: &mut Summary,
    n: usize,
    card: usize,
    rating: Rating,
    at: i64,
) {
    let (card_id, deck_id) = CARDS[card];
    let id = ReviewId::from_stored(format!("r{n}"));
    let answered_at = Instant::from_secs(at);
    let correct = rating != Rating::Again;
    let review = NewReview {
        id: &id,
        user_id: UserId(1),
        card_id,
        answered_at,
        rating,
        correct,
        given_answer: "",
        duration_ms: 0,
        presentation: "flashcard",
        device_id: "web",
    };
    let reps = summary.state(card_id).map_or(0, |s| s.reps);
    let counted = match answer(conn, &review, reps, answered_at).unwrap() {
        Answered::Saved { state, seq } => summary.record(&Answer {
            card_id,
            deck_id,
            answered_at,
            correct,
            state,
            seq,
        }),
        other => panic!("{other:?}"),
    };
    if !counted || !summary.is_current(&clock(), at) {
        *summary = Summary::load(conn, UserId(1), &clock(), at).unwrap();
    }
}

fn rating(n: u8) -> Rating {
    Rating::from_number(i64::from(n)).unwrap()
}

#[test]
fn a_summary_counts_today_per_deck_new_cards_misses_and_days() {
    let mut conn = db();
    let clock = clock();
    let mut s = Summary::load(&mut conn, UserId(1), &clock, T0).unwrap();
    assert_eq!(s.answered_today(None), Tally::default());
    assert!(s.study_days().is_empty());
    answer_and_record(&mut conn, &mut s, 0, 0, Rating::Again, T0);
    answer_and_record(&mut conn, &mut s, 1, 3, Rating::Good, T0 + 60);
    answer_and_record(&mut conn, &mut s, 2, 0, Rating::Good, T0 + 120);
    assert_eq!(
        s.answered_today(Some("d1")),
        Tally {
            answers: 2,
            right: 1
        }
    );
    assert_eq!(
        s.answered_today(None),
        Tally {
            answers: 3,
            right: 2
        }
    );
    assert_eq!(
        s.new_today(),
        2,
        "a/date and x/date are new today, once each"
    );
    // a/date was missed and then answered right: off the list.
    assert_eq!(s.missed_count(|_| true), 0);
    answer_and_record(&mut conn, &mut s, 3, 1, Rating::Again, T0 + 180);
    assert_eq!(
        s.missed_oldest_first(|_| true),
        vec![&CardId::new("b/date")]
    );
    assert_eq!(
        s.missed_count(|c| c != "b/date"),
        0,
        "a retired card is off"
    );
    assert_eq!(s.study_days(), vec![clock.day(T0)]);
    assert_eq!(
        s,
        Summary::load(&mut conn, UserId(1), &clock, T0 + 180).unwrap()
    );
}

#[test]
fn a_summary_is_read_again_on_another_day_and_after_a_change_it_did_not_see() {
    let mut conn = db();
    let clock = clock();
    let mut s = Summary::load(&mut conn, UserId(1), &clock, T0).unwrap();
    assert!(s.is_current(&clock, T0));
    // 4 a.m. the next day in Ho Chi Minh City: 21:00 UTC.
    let next_day = clock.start_of_day(T0) + 86_400;
    assert!(s.is_current(&clock, next_day - 1));
    assert!(!s.is_current(&clock, next_day));
    let utc = DayClock::new(days::zone("UTC").unwrap(), 4);
    assert!(!s.is_current(&utc, T0), "another zone, another day");
    // A change number taken by another writer (a sync) in between: not counted, read again.
    conn.execute("UPDATE users SET sync_seq = sync_seq + 1", [])
        .unwrap();
    let gap = Answer {
        card_id: "a/date",
        deck_id: "d1",
        answered_at: Instant::from_secs(T0),
        correct: true,
        state: crate::srs::Scheduler::new(0.9).answer(None, Rating::Good, T0),
        seq: 2,
    };
    assert!(!s.record(&gap));
}

#[test]
fn summaries_stay_within_their_bound_and_never_drop_a_held_one() {
    let learners = Summaries::new(2);
    let mut conn = db();
    for id in 2..=5 {
        crate::db::testing::add_learner(&conn, id, &format!("U{id}"));
    }
    let clock = clock();
    for id in 1..=5 {
        learners
            .hold(&mut conn, UserId(id), &clock, T0, |_, _| Ok(()))
            .unwrap();
        assert!(learners.len() <= 2);
    }
    assert!(learners.peek(UserId(5), &clock, T0, |_| ()).is_some());
    assert!(
        learners
            .peek(UserId(5), &clock, T0 + 86_400, |_| ())
            .is_none()
    );
    // The next day, the summary held is read again for that day.
    learners
        .hold(&mut conn, UserId(5), &clock, T0 + 86_400, |_, s| {
            assert!(s.is_current(&clock, T0 + 86_400));
            Ok(())
        })
        .unwrap();
    learners.forget(UserId(5));
    assert!(learners.peek(UserId(5), &clock, T0, |_| ()).is_none());
    // While one learner's slot is held, making room for another leaves it in place.
    let one = Summaries::new(1);
    one.hold(&mut conn, UserId(1), &clock, T0, |_, _| Ok(()))
        .unwrap();
    let held = one.slot(UserId(1));
    one.hold(&mut conn, UserId(2), &clock, T0, |_, _| Ok(()))
        .unwrap();
    assert_eq!(one.len(), 2, "the held slot was not dropped");
    drop(held);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the answers (cards of two decks, any rating, minutes to hours apart, across
    /// the learner's day boundary), a summary kept answer by answer equals one read from
    /// the database afterwards.
    #[test]
    fn a_summary_kept_answer_by_answer_equals_one_read_again(
        answers in prop::collection::vec((0..CARDS.len(), 1u8..=4, 1i64..20_000), 1..25)
    ) {
        let mut conn = db();
        let clock = clock();
        let mut at = T0;
        let mut s = Summary::load(&mut conn, UserId(1), &clock, at).unwrap();
        for (n, (card, r, gap)) in answers.into_iter().enumerate() {
            at += gap;
            answer_and_record(&mut conn, &mut s, n, card, rating(r), at);
            prop_assert_eq!(&s, &Summary::load(&mut conn, UserId(1), &clock, at).unwrap());
        }
    }
}
