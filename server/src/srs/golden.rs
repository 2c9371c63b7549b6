//! The golden table: memory states and intervals of 40 review histories computed by py-fsrs,
//! an FSRS-6 implementation independent of the `fsrs` crate, checked here to a relative 1e-4.
//! `server/tests/golden/make_fsrs6_table.py` made the table; Python is not needed to check it.

use super::days::DayClock;
use super::fuzz;
use super::schedule::{CardState, Rating, Review, Scheduler, Settings};
use super::steps::Steps;
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    histories: Vec<History>,
}

#[derive(Deserialize)]
struct History {
    desired_retention: f64,
    reviews: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    answered_at: i64,
    rating: i64,
    stability: f64,
    difficulty: f64,
    interval_days: i64,
}

fn close(ours: f32, theirs: f64) -> bool {
    (f64::from(ours) - theirs).abs() <= 1e-4 * theirs.abs().max(1.0)
}

#[test]
fn memory_states_and_intervals_match_py_fsrs() {
    let table: Table =
        serde_json::from_str(include_str!("../../tests/golden/fsrs6_py.json")).unwrap();
    assert_eq!(table.histories.len(), 40);
    // py-fsrs counts 24-hour periods; every answer of the table is at the same time of day,
    // so a UTC learner rolling over at midnight lives the same days.
    let days = DayClock::new(jiff::tz::TimeZone::UTC, 0);
    let mut checked = 0;
    for (h, history) in table.histories.iter().enumerate() {
        let s = Scheduler::with(&Settings {
            desired_retention: history.desired_retention,
            learning_steps: Steps::parse("").unwrap(),
            relearning_steps: Steps::parse("").unwrap(),
            days: days.clone(),
            ..Settings::default()
        });
        let mut state: Option<CardState> = None;
        for (i, step) in history.reviews.iter().enumerate() {
            let review = Review {
                answered_at: step.answered_at,
                rating: Rating::from_number(step.rating).unwrap(),
                fuzz: 0.5,
            };
            let next = s.next(state.as_ref(), &review);
            let at = format!("history {h}, review {i}");
            assert!(
                close(next.stability, step.stability),
                "{at}: S {} vs {}",
                next.stability,
                step.stability
            );
            assert!(
                close(next.difficulty, step.difficulty),
                "{at}: D {} vs {}",
                next.difficulty,
                step.difficulty
            );
            // The interval before fuzz, from our state, is py-fsrs's; fuzz keeps it in range.
            let plain = fsrs::FSRS::default().next_interval(
                Some(next.stability),
                history.desired_retention as f32,
                step.rating as u32,
            );
            assert_eq!(
                (plain.round() as i64).max(1),
                step.interval_days,
                "{at}: interval"
            );
            let ours = days.day(next.due) - days.day(step.answered_at);
            let max = super::schedule::MAXIMUM_INTERVAL;
            let (lower, upper) = fuzz::bounds(step.interval_days as f32, 1, max);
            // In review, as Anki (not py-fsrs) does, Good waits longer than Hard's fuzzed wait
            // and Easy longer than Good's, so those two may land past py-fsrs's fuzz range.
            let upper = match review.rating {
                Rating::Again | Rating::Hard => i64::from(upper),
                Rating::Good | Rating::Easy => i64::from(max),
            };
            assert!(
                (i64::from(lower)..=upper).contains(&ours),
                "{at}: {ours} days, outside {lower}..={upper} around {}",
                step.interval_days
            );
            state = Some(next);
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked}");
}
