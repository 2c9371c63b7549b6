//! One card's schedule under FSRS-6, as Anki runs it: learning and relearning steps before
//! intervals in days, fuzz on those intervals, and a maximum interval.

use super::days::DayClock;
use super::fuzz;
use super::steps::Steps;
use fsrs::{FSRS, MemoryState};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub fn from_number(n: i64) -> Option<Rating> {
        Some(match n {
            1 => Rating::Again,
            2 => Rating::Hard,
            3 => Rating::Good,
            4 => Rating::Easy,
            _ => return None,
        })
    }

    /// Wrong answers rate Again, right answers Good.
    pub fn for_answer(correct: bool) -> Rating {
        if correct { Rating::Good } else { Rating::Again }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Learning,
    Review,
    Relearning,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Learning => "learning",
            Phase::Review => "review",
            Phase::Relearning => "relearning",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Some(match s {
            "learning" => Phase::Learning,
            "review" => Phase::Review,
            "relearning" => Phase::Relearning,
            _ => return None,
        })
    }
}

/// The derived scheduling state of one card for one learner. Times are unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub stability: f32,
    pub difficulty: f32,
    pub due: i64,
    pub last_review: i64,
    pub reps: u32,
    pub lapses: u32,
    pub phase: Phase,
    /// Which learning (or relearning) step the card is on; 0 in review.
    #[serde(default)]
    pub step: u32,
}

/// One answer in a card's history, as replay needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Review {
    pub answered_at: i64,
    pub rating: Rating,
    /// Where in its fuzz range this answer's interval falls, in [0, 1): drawn from the
    /// review's id ([`super::fuzz::factor`]), so a replay gives the same due date.
    pub fuzz: f32,
}

/// A learner's scheduling settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub desired_retention: f64,
    pub learning_steps: Steps,
    pub relearning_steps: Steps,
    /// Longest interval in days (Anki's and py-fsrs's default: 36,500, a hundred years).
    pub maximum_interval: u32,
    /// The learner's own FSRS parameters; `None` for the defaults.
    pub parameters: Option<Vec<f32>>,
    /// Their calendar: elapsed days and due dates are counted in it.
    pub days: DayClock,
}

pub const MAXIMUM_INTERVAL: u32 = 36_500;

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            desired_retention: 0.9,
            learning_steps: Steps::learning_default(),
            relearning_steps: Steps::relearning_default(),
            maximum_interval: MAXIMUM_INTERVAL,
            parameters: None,
            days: DayClock::default(),
        }
    }
}

pub struct Scheduler {
    fsrs: FSRS,
    desired_retention: f32,
    learning: Steps,
    relearning: Steps,
    maximum_interval: u32,
    days: DayClock,
}

/// Where one answer sends a card: another (re)learning step, or an interval in days.
enum Next {
    Step(Phase, u32, u32),
    Graduate,
}

impl Scheduler {
    /// FSRS-6 default parameters and Anki's default steps.
    pub fn new(desired_retention: f64) -> Scheduler {
        Scheduler::with(&Settings {
            desired_retention,
            ..Settings::default()
        })
    }

    /// Retention is clamped to the range FSRS handles well; parameters FSRS refuses fall
    /// back to the defaults (they were checked when stored, so this is a corrupt row).
    pub fn with(settings: &Settings) -> Scheduler {
        let fsrs = settings
            .parameters
            .as_deref()
            .and_then(|p| match FSRS::new(p) {
                Ok(f) => Some(f),
                Err(e) => {
                    tracing::warn!(error = %e, "stored FSRS parameters refused; using defaults");
                    None
                }
            })
            .unwrap_or_default();
        Scheduler {
            fsrs,
            desired_retention: settings.desired_retention.clamp(0.7, 0.99) as f32,
            learning: settings.learning_steps.clone(),
            relearning: settings.relearning_steps.clone(),
            maximum_interval: settings.maximum_interval.clamp(1, MAXIMUM_INTERVAL),
            days: settings.days.clone(),
        }
    }

    /// The state after answering with `rating` at `now`, with the fuzz of a mid-range draw.
    /// Replay uses [`Scheduler::next`] with each review's own draw.
    pub fn answer(&self, previous: Option<&CardState>, rating: Rating, now: i64) -> CardState {
        self.next(
            previous,
            &Review {
                answered_at: now,
                rating,
                fuzz: 0.5,
            },
        )
    }

    /// The state after one review.
    pub fn next(&self, previous: Option<&CardState>, r: &Review) -> CardState {
        let now = r.answered_at;
        let memory = previous.map(|p| MemoryState {
            stability: p.stability,
            difficulty: p.difficulty,
        });
        // Days as the learner lives them: a second Good the next morning is a day later even
        // if fewer than 24 hours have passed, as in the data FSRS's defaults were fitted on.
        let today = self.days.day(now);
        let elapsed_days =
            previous.map_or(0, |p| (today - self.days.day(p.last_review)).max(0) as u32);
        let next = self
            .fsrs
            .next_states(memory, self.desired_retention, elapsed_days)
            .expect("checked FSRS parameters and a clamped retention are valid");
        let item = match r.rating {
            Rating::Again => &next.again,
            Rating::Hard => &next.hard,
            Rating::Good => &next.good,
            Rating::Easy => &next.easy,
        };
        let step = previous.map_or(0, |p| p.step);
        let to = match previous.map(|p| p.phase) {
            None | Some(Phase::Learning) => {
                step_on(&self.learning, Phase::Learning, step, r.rating)
            }
            Some(Phase::Relearning) => step_on(&self.relearning, Phase::Relearning, step, r.rating),
            Some(Phase::Review) if r.rating == Rating::Again && !self.relearning.is_empty() => {
                Next::Step(Phase::Relearning, 0, self.relearning.delay(0))
            }
            Some(Phase::Review) => Next::Graduate,
        };
        let (phase, step, due) = match to {
            Next::Step(phase, step, secs) => (phase, step, now + i64::from(secs)),
            Next::Graduate => {
                let in_review = previous.is_some_and(|p| p.phase == Phase::Review);
                let days = self.interval(&next, r.rating, r.fuzz, in_review);
                // Due from the start of that day, whatever the hour it was answered.
                (Phase::Review, 0, self.days.start(today + i64::from(days)))
            }
        };
        let lapses = previous.map_or(0, |p| p.lapses)
            + u32::from(
                r.rating == Rating::Again && previous.is_some_and(|p| p.phase == Phase::Review),
            );
        CardState {
            stability: item.memory.stability,
            difficulty: item.memory.difficulty,
            due,
            last_review: now,
            reps: previous.map_or(0, |p| p.reps) + 1,
            lapses,
            phase,
            step,
        }
    }

    /// Days until the next review, fuzzed and capped. In review, as Anki does, Hard is
    /// shorter than Good and Good than Easy even where fuzz or rounding would tie them.
    fn interval(&self, next: &fsrs::NextStates, rating: Rating, fuzz: f32, in_review: bool) -> u32 {
        let max = self.maximum_interval;
        let at = |interval: f32, min: u32| fuzz::apply(interval, fuzz, min.min(max), max);
        let hard = at(next.hard.interval, 1);
        let good = at(next.good.interval, if in_review { hard + 1 } else { 1 });
        match rating {
            Rating::Again => at(next.again.interval, 1),
            Rating::Hard => hard,
            Rating::Good => good,
            Rating::Easy => at(next.easy.interval, good + 1),
        }
    }

    /// Rebuilds a card's state from its reviews; they are taken in `answered_at` order.
    pub fn replay(&self, reviews: &[Review]) -> Option<CardState> {
        let mut sorted = reviews.to_vec();
        sorted.sort_by_key(|r| r.answered_at);
        sorted
            .iter()
            .fold(None, |state, r| Some(self.next(state.as_ref(), r)))
    }
}

/// How long a card waits at `retention`, as a multiple of its wait at 90 % (the same for
/// every card under one set of parameters): what raising or lowering retention costs.
pub fn wait_relative_to_90(parameters: Option<&[f32]>, retention: f64) -> f64 {
    let fsrs = parameters
        .and_then(|p| FSRS::new(p).ok())
        .unwrap_or_default();
    let at = |r: f64| f64::from(fsrs.next_interval(Some(100.0), r as f32, 3));
    at(retention.clamp(0.7, 0.99)) / at(0.9)
}

/// An answer on (re)learning step `index`: Again back to the first step, Hard repeats this
/// one, Good the next step or graduation, Easy graduates. No steps: straight to review.
fn step_on(steps: &Steps, phase: Phase, index: u32, rating: Rating) -> Next {
    if steps.is_empty() {
        return Next::Graduate;
    }
    let i = index as usize;
    match rating {
        Rating::Again => Next::Step(phase, 0, steps.delay(0)),
        Rating::Hard => Next::Step(phase, index, steps.hard_delay(i)),
        Rating::Good if i + 1 < steps.len() => Next::Step(phase, index + 1, steps.delay(i + 1)),
        Rating::Good | Rating::Easy => Next::Graduate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;
    const DAY: i64 = 86_400;
    const MIN: i64 = 60;

    fn at(answered_at: i64, rating: Rating) -> Review {
        Review {
            answered_at,
            rating,
            fuzz: 0.5,
        }
    }

    /// Good through the learning steps, then graduated.
    fn learned(s: &Scheduler) -> CardState {
        let first = s.answer(None, Rating::Good, T0);
        s.answer(Some(&first), Rating::Good, first.due)
    }

    #[test]
    fn a_new_card_goes_through_the_learning_steps_as_in_anki() {
        let s = Scheduler::new(0.9);
        let again = s.answer(None, Rating::Again, T0);
        assert_eq!(
            (again.phase, again.step, again.due),
            (Phase::Learning, 0, T0 + MIN)
        );
        let hard = s.answer(None, Rating::Hard, T0);
        assert_eq!(
            (hard.phase, hard.step, hard.due),
            (Phase::Learning, 0, T0 + 330)
        );
        let good = s.answer(None, Rating::Good, T0);
        assert_eq!(
            (good.phase, good.step, good.due),
            (Phase::Learning, 1, T0 + 10 * MIN)
        );
        // Hard on the second step repeats it; Again goes back to the first.
        let hard2 = s.answer(Some(&good), Rating::Hard, good.due);
        assert_eq!((hard2.step, hard2.due), (1, good.due + 10 * MIN));
        let again2 = s.answer(Some(&good), Rating::Again, good.due);
        assert_eq!((again2.step, again2.due), (0, good.due + MIN));
        // Good on the last step and Easy anywhere graduate to a day or more.
        let graduated = s.answer(Some(&good), Rating::Good, good.due);
        assert_eq!(graduated.phase, Phase::Review);
        assert!(s.days.day(graduated.due) > s.days.day(good.due));
        let easy = s.answer(None, Rating::Easy, T0);
        assert_eq!(easy.phase, Phase::Review);
        assert!(easy.due - T0 > graduated.due - good.due);
        assert_eq!(graduated.lapses + easy.lapses, 0);
    }

    #[test]
    fn a_forgotten_card_relearns_for_ten_minutes_and_counts_a_lapse() {
        let s = Scheduler::new(0.9);
        let known = learned(&s);
        let lapsed = s.answer(Some(&known), Rating::Again, known.due);
        assert_eq!((lapsed.phase, lapsed.step), (Phase::Relearning, 0));
        assert_eq!(lapsed.due, known.due + 10 * MIN);
        assert_eq!(lapsed.lapses, 1);
        assert!(lapsed.stability < known.stability);
        let hard = s.answer(Some(&lapsed), Rating::Hard, lapsed.due);
        assert_eq!(
            (hard.phase, hard.due),
            (Phase::Relearning, lapsed.due + 15 * MIN)
        );
        let back = s.answer(Some(&lapsed), Rating::Good, lapsed.due);
        assert_eq!((back.phase, back.lapses), (Phase::Review, 1));
        assert!(s.days.day(back.due) > s.days.day(lapsed.due));
    }

    #[test]
    fn steps_are_the_learners_and_without_steps_cards_go_straight_to_days() {
        let none = Scheduler::with(&Settings {
            learning_steps: Steps::parse("").unwrap(),
            relearning_steps: Steps::parse("").unwrap(),
            ..Settings::default()
        });
        let first = none.answer(None, Rating::Good, T0);
        assert_eq!(first.phase, Phase::Review);
        assert!(none.days.day(first.due) > none.days.day(T0));
        let lapsed = none.answer(Some(&first), Rating::Again, first.due);
        assert_eq!((lapsed.phase, lapsed.lapses), (Phase::Review, 1));
        let three = Scheduler::with(&Settings {
            learning_steps: Steps::parse("5m 1h 5h").unwrap(),
            ..Settings::default()
        });
        let mut state = three.answer(None, Rating::Good, T0);
        assert_eq!(state.due, T0 + 3_600);
        state = three.answer(Some(&state), Rating::Good, state.due);
        assert_eq!((state.step, state.due - state.last_review), (2, 5 * 3_600));
    }

    #[test]
    fn intervals_stop_at_the_maximum() {
        for retention in [0.9, 0.7] {
            let s = Scheduler::new(retention);
            let mut state = s.answer(None, Rating::Easy, T0);
            for _ in 0..12 {
                state = s.answer(Some(&state), Rating::Easy, state.due);
            }
            // Fuzz picks a day in the range below the cap, never past it.
            let (lower, _) = fuzz::bounds(MAXIMUM_INTERVAL as f32, 1, MAXIMUM_INTERVAL);
            let days = s.days.day(state.due) - s.days.day(state.last_review);
            assert!(
                (i64::from(lower)..=i64::from(MAXIMUM_INTERVAL)).contains(&days),
                "{days}"
            );
        }
        let capped = Scheduler::with(&Settings {
            maximum_interval: 30,
            ..Settings::default()
        });
        let mut state = capped.answer(None, Rating::Easy, T0);
        for _ in 0..5 {
            state = capped.answer(Some(&state), Rating::Easy, state.due);
        }
        let days = capped.days.day(state.due) - capped.days.day(state.last_review);
        assert!((27..=30).contains(&days), "{days}");
    }

    #[test]
    fn fuzz_moves_review_intervals_within_ankis_range_and_replay_repeats_it() {
        let s = Scheduler::new(0.9);
        let known = learned(&s);
        let days = |fuzz: f32| {
            let next = s.next(
                Some(&known),
                &Review {
                    answered_at: known.due,
                    rating: Rating::Good,
                    fuzz,
                },
            );
            s.days.day(next.due) - s.days.day(next.last_review)
        };
        let (low, high) = (days(0.0), days(0.999));
        assert!(low < high, "{low} {high}");
        let fsrs_days = FSRS::default()
            .next_states(
                Some(MemoryState {
                    stability: known.stability,
                    difficulty: known.difficulty,
                }),
                0.9,
                (s.days.day(known.due) - s.days.day(known.last_review)) as u32,
            )
            .unwrap()
            .good
            .interval;
        let (lower, upper) = fuzz::bounds(fsrs_days, 1, MAXIMUM_INTERVAL);
        assert_eq!((low, high), (i64::from(lower), i64::from(upper)));
        let log = [
            Review {
                answered_at: T0,
                rating: Rating::Good,
                fuzz: 0.1,
            },
            Review {
                answered_at: T0 + 600,
                rating: Rating::Good,
                fuzz: 0.7,
            },
            Review {
                answered_at: T0 + 5 * DAY,
                rating: Rating::Good,
                fuzz: 0.3,
            },
        ];
        assert_eq!(s.replay(&log), s.replay(&log));
    }

    /// FSRS counts days as the learner lives them: a second answer after the 4 am rollover is
    /// a day later, one before it is the same day, whatever the hours between.
    #[test]
    fn elapsed_days_and_due_dates_follow_the_learners_rollover() {
        let clock = DayClock::new(super::super::days::zone("Asia/Ho_Chi_Minh").unwrap(), 4);
        let s = Scheduler::with(&Settings {
            days: clock.clone(),
            ..Settings::default()
        });
        let local = |t: &str| {
            t.parse::<jiff::civil::DateTime>()
                .unwrap()
                .in_tz("Asia/Ho_Chi_Minh")
                .unwrap()
                .timestamp()
                .as_second()
        };
        let first = s.answer(None, Rating::Easy, local("2026-03-10T22:00"));
        // Due at 4 am on the day it falls on, not at 10 pm.
        assert_eq!(first.due, clock.start(clock.day(first.due)));
        let same_day = s.answer(Some(&first), Rating::Good, local("2026-03-11T03:30"));
        let next_day = s.answer(Some(&first), Rating::Good, local("2026-03-11T04:30"));
        assert!(
            next_day.stability > same_day.stability * 1.2,
            "{next_day:?} {same_day:?}"
        );
        // 23 h 59 min and 24 h 01 min after an evening answer are both one day on.
        let late = s.answer(Some(&first), Rating::Good, local("2026-03-11T21:59"));
        let later = s.answer(Some(&first), Rating::Good, local("2026-03-11T22:01"));
        assert_eq!(late.stability, later.stability);
    }

    #[test]
    fn higher_retention_means_shorter_intervals() {
        let low = Scheduler::new(0.8);
        let high = Scheduler::new(0.97);
        let (a, b) = (learned(&low), learned(&high));
        assert!(b.due - b.last_review <= a.due - a.last_review);
    }

    #[test]
    fn replay_matches_answering_in_order_whatever_order_reviews_arrive() {
        let s = Scheduler::new(0.9);
        let ratings = [
            Rating::Good,
            Rating::Again,
            Rating::Good,
            Rating::Hard,
            Rating::Easy,
        ];
        let mut state = None;
        let mut log = Vec::new();
        let mut now = T0;
        for r in ratings {
            let next = s.next(state.as_ref(), &at(now, r));
            log.push(at(now, r));
            now = next.due + 3600;
            state = Some(next);
        }
        log.reverse();
        assert_eq!(s.replay(&log), state);
        assert_eq!(s.replay(&[]), None);
    }
}
