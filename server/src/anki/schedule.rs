//! A learner's schedule in Anki's terms. A card Chronicle never showed them is new; a card in
//! review is a review card due on the same day of their calendar, with its FSRS memory state
//! (stability and difficulty, which Anki's FSRS reads from the card's data); a card in
//! (re)learning is on its step, due at the same moment. Each answer becomes a review-log row
//! whose intervals come from replaying the card's answers with the learner's own settings,
//! as Chronicle itself derives the state.

use crate::clock::Instant;
use crate::srs::{CardState, DayClock, Phase, Review, Scheduler, Settings};

/// Anki's card type and queue numbers (schema 11).
const NEW: i64 = 0;
const LEARNING: i64 = 1;
const REVIEW: i64 = 2;
const RELEARNING: i64 = 3;
/// The queue of a learning card due on a later day (its `due` is then a day number).
const DAY_LEARNING_QUEUE: i64 = 3;
/// Anki's starting ease (250 %): what SM-2 would use; FSRS ignores it.
const DEFAULT_FACTOR: i64 = 2500;
/// Anki records at most a minute of answering time per review by default.
const MAX_ANSWER_MS: i64 = 60_000;
const DAY: i64 = 86_400;

/// The scheduling columns of one Anki card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Card {
    /// `type`: new, learning, review or relearning.
    pub kind: i64,
    pub queue: i64,
    /// New: its position; learning today: unix seconds; review or a later day: a day number
    /// counted from the collection's start.
    pub due: i64,
    /// Days.
    pub interval: i64,
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
    /// Learning steps left (Anki's `left`: today's in the thousands, the total below).
    pub left: i64,
    /// FSRS stability (days) and difficulty (1–10), as Anki's FSRS keeps them.
    pub memory: Option<(f32, f32)>,
    /// Unix seconds of the last answer.
    pub last_review: Option<i64>,
}

/// A card the learner has not studied: new, `position` in the new queue.
pub fn new_card(position: i64) -> Card {
    Card {
        kind: NEW,
        queue: NEW,
        due: position,
        interval: 0,
        factor: 0,
        reps: 0,
        lapses: 0,
        left: 0,
        memory: None,
        last_review: None,
    }
}

/// The Anki card for a learner's card state. `collection_start` is the start of a day on
/// `days`; due days are counted from it.
pub fn card(state: &CardState, settings: &Settings, collection_start: i64) -> Card {
    let days = &settings.days;
    let day_number = |t: i64| days.day(t) - days.day(collection_start);
    let memory = Some((state.stability, state.difficulty));
    let (reps, lapses) = (i64::from(state.reps), i64::from(state.lapses));
    let last_review = Some(state.last_review);
    match state.phase {
        Phase::Review => Card {
            kind: REVIEW,
            queue: REVIEW,
            due: day_number(state.due),
            interval: (days.day(state.due) - days.day(state.last_review)).max(1),
            factor: DEFAULT_FACTOR,
            reps,
            lapses,
            left: 0,
            memory,
            last_review,
        },
        Phase::Learning | Phase::Relearning => {
            let (kind, steps) = if state.phase == Phase::Learning {
                (LEARNING, &settings.learning_steps)
            } else {
                (RELEARNING, &settings.relearning_steps)
            };
            let steps_left = (steps.len() as i64 - i64::from(state.step)).max(1);
            // A step of a day or more waits in the day-learning queue, due on a day.
            let (queue, due) = if state.due - state.last_review >= DAY {
                (DAY_LEARNING_QUEUE, day_number(state.due))
            } else {
                (LEARNING, state.due)
            };
            Card {
                kind,
                queue,
                due,
                interval: if kind == RELEARNING {
                    (state.stability.round() as i64).max(1)
                } else {
                    0
                },
                factor: DEFAULT_FACTOR,
                reps,
                lapses,
                left: steps_left * 1000 + steps_left,
                memory,
                last_review,
            }
        }
    }
}

/// One answer from the log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    pub answered_at: Instant,
    pub review: Review,
    pub duration_ms: i64,
}

/// One row of Anki's review log (`revlog`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RevlogRow {
    /// Unix milliseconds of the answer (made unique when the package is written).
    pub id: i64,
    /// 1 Again, 2 Hard, 3 Good, 4 Easy: Chronicle's ratings are Anki's.
    pub ease: i64,
    /// After the answer: days when positive, seconds when negative (a learning step).
    pub interval: i64,
    pub last_interval: i64,
    pub factor: i64,
    pub time_ms: i64,
    /// 0 learning, 1 review, 2 relearning: the phase the card was in when answered.
    pub kind: i64,
}

/// A card's answers as review-log rows, oldest first, replayed with `scheduler` (built from
/// the same settings as `days`).
pub fn revlog(answers: &[Answer], scheduler: &Scheduler, days: &DayClock) -> Vec<RevlogRow> {
    let mut sorted = answers.to_vec();
    sorted.sort_by_key(|a| a.answered_at);
    let mut state: Option<CardState> = None;
    let mut last_interval = 0;
    sorted
        .iter()
        .map(|a| {
            let kind = match state.map(|s| s.phase) {
                None | Some(Phase::Learning) => 0,
                Some(Phase::Review) => 1,
                Some(Phase::Relearning) => 2,
            };
            let after = scheduler.next(state.as_ref(), &a.review);
            let at = a.review.answered_at;
            let interval = if after.phase == Phase::Review {
                (days.day(after.due) - days.day(at)).max(1)
            } else {
                -(after.due - at).max(1)
            };
            let row = RevlogRow {
                id: a.answered_at.ms(),
                ease: a.review.rating as i64,
                interval,
                last_interval,
                factor: if kind == 0 { 0 } else { DEFAULT_FACTOR },
                time_ms: a.duration_ms.clamp(0, MAX_ANSWER_MS),
                kind,
            };
            state = Some(after);
            last_interval = interval;
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::Rating;

    fn utc() -> Settings {
        Settings {
            days: DayClock::new(jiff::tz::TimeZone::UTC, 0),
            ..Settings::default()
        }
    }

    const START: i64 = 20_000 * DAY;

    #[test]
    fn a_review_card_is_due_on_the_same_day_with_its_memory() {
        let s = CardState {
            stability: 12.5,
            difficulty: 4.0,
            due: START + 9 * DAY,
            last_review: START - 3 * DAY + 600,
            reps: 4,
            lapses: 1,
            phase: Phase::Review,
            step: 0,
        };
        let c = card(&s, &utc(), START);
        assert_eq!((c.kind, c.queue, c.due, c.interval), (2, 2, 9, 12));
        assert_eq!((c.reps, c.lapses), (4, 1));
        assert_eq!(c.memory, Some((12.5, 4.0)));
    }

    #[test]
    fn learning_cards_wait_in_seconds_today_and_in_days_beyond() {
        let mut s = CardState {
            stability: 0.4,
            difficulty: 6.0,
            due: START + 600,
            last_review: START,
            reps: 1,
            lapses: 0,
            phase: Phase::Learning,
            step: 1,
        };
        let c = card(&s, &utc(), START);
        // Default steps 1m 10m: on the second, one left.
        assert_eq!((c.kind, c.queue, c.due, c.left), (1, 1, START + 600, 1001));
        s.due = START + 2 * DAY;
        s.phase = Phase::Relearning;
        s.step = 0;
        let c = card(&s, &utc(), START);
        assert_eq!((c.kind, c.queue, c.due), (3, 3, 2));
    }

    #[test]
    fn the_review_log_follows_the_replayed_intervals() {
        let settings = utc();
        let scheduler = Scheduler::with(&settings);
        let answer = |minutes: i64, rating| Answer {
            answered_at: Instant::from_secs(START + minutes * 60),
            review: Review {
                answered_at: START + minutes * 60,
                rating,
                fuzz: 0.5,
            },
            duration_ms: 90_000,
        };
        // New -> 1m step -> 10m step -> graduates to days -> lapses.
        let answers = [
            answer(0, Rating::Good),
            answer(10, Rating::Good),
            answer(2 * 24 * 60, Rating::Good),
            answer(30 * 24 * 60, Rating::Again),
        ];
        let rows = revlog(&answers, &scheduler, &settings.days);
        assert_eq!(
            rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
            [0, 0, 1, 1]
        );
        assert_eq!(rows[0].interval, -600, "on to the 10 minute step");
        assert!(rows[1].interval >= 1, "graduated: {:?}", rows[1]);
        assert_eq!(rows[1].last_interval, -600);
        assert_eq!(rows[3].ease, 1);
        assert_eq!(rows[3].interval, -600, "relearning step of 10 minutes");
        assert!(rows.iter().all(|r| r.time_ms == 60_000));
    }
}
