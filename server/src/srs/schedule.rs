//! One card's memory state under FSRS-6 with default parameters.

use fsrs::{FSRS, MemoryState};
use serde::{Deserialize, Serialize};

use crate::clock::DAY;
/// A card answered wrong comes back this soon (and sooner within a study session).
pub const RELEARN_SECONDS: i64 = 10 * 60;

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
}

/// One answer in a card's history, as replay needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Review {
    pub answered_at: i64,
    pub rating: Rating,
}

pub struct Scheduler {
    fsrs: FSRS,
    desired_retention: f32,
}

impl Scheduler {
    /// FSRS-6 default parameters; retention is clamped to the range FSRS handles well.
    pub fn new(desired_retention: f64) -> Scheduler {
        Scheduler {
            fsrs: FSRS::default(),
            desired_retention: desired_retention.clamp(0.7, 0.99) as f32,
        }
    }

    /// The state after answering with `rating` at `now`.
    pub fn answer(&self, previous: Option<&CardState>, rating: Rating, now: i64) -> CardState {
        let memory = previous.map(|p| MemoryState {
            stability: p.stability,
            difficulty: p.difficulty,
        });
        let elapsed_days = previous.map_or(0, |p| ((now - p.last_review).max(0) / DAY) as u32);
        let next = self
            .fsrs
            .next_states(memory, self.desired_retention, elapsed_days)
            .expect("default FSRS parameters and a clamped retention are valid");
        let item = match rating {
            Rating::Again => next.again,
            Rating::Hard => next.hard,
            Rating::Good => next.good,
            Rating::Easy => next.easy,
        };
        let (phase, due) = if rating == Rating::Again {
            let phase = match previous.map(|p| p.phase) {
                None | Some(Phase::Learning) => Phase::Learning,
                Some(_) => Phase::Relearning,
            };
            (phase, now + RELEARN_SECONDS)
        } else {
            let days = item.interval.round().max(1.0) as i64;
            (Phase::Review, now + days * DAY)
        };
        let lapses = previous.map_or(0, |p| p.lapses)
            + u32::from(
                rating == Rating::Again && previous.is_some_and(|p| p.phase == Phase::Review),
            );
        CardState {
            stability: item.memory.stability,
            difficulty: item.memory.difficulty,
            due,
            last_review: now,
            reps: previous.map_or(0, |p| p.reps) + 1,
            lapses,
            phase,
        }
    }

    /// Rebuilds a card's state from its reviews; they are taken in `answered_at` order.
    pub fn replay(&self, reviews: &[Review]) -> Option<CardState> {
        let mut sorted = reviews.to_vec();
        sorted.sort_by_key(|r| r.answered_at);
        sorted.iter().fold(None, |state, r| {
            Some(self.answer(state.as_ref(), r.rating, r.answered_at))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;

    #[test]
    fn good_answers_push_the_card_further_out() {
        let s = Scheduler::new(0.9);
        let first = s.answer(None, Rating::Good, T0);
        assert_eq!(first.phase, Phase::Review);
        assert!(first.due >= T0 + DAY);
        let second = s.answer(Some(&first), Rating::Good, first.due);
        assert!(second.due - second.last_review > first.due - first.last_review);
        assert!(second.stability > first.stability);
        assert_eq!(second.reps, 2);
    }

    #[test]
    fn a_wrong_answer_comes_back_soon_and_counts_a_lapse() {
        let s = Scheduler::new(0.9);
        let learned = s.answer(None, Rating::Good, T0);
        let lapsed = s.answer(Some(&learned), Rating::Again, learned.due);
        assert_eq!(lapsed.phase, Phase::Relearning);
        assert_eq!(lapsed.due, learned.due + RELEARN_SECONDS);
        assert_eq!(lapsed.lapses, 1);
        assert!(lapsed.stability < learned.stability);
        let new_wrong = s.answer(None, Rating::Again, T0);
        assert_eq!((new_wrong.phase, new_wrong.lapses), (Phase::Learning, 0));
    }

    #[test]
    fn higher_retention_means_shorter_intervals() {
        let low = Scheduler::new(0.8).answer(None, Rating::Good, T0);
        let high = Scheduler::new(0.97).answer(None, Rating::Good, T0);
        assert!(high.due <= low.due);
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
            let next = s.answer(state.as_ref(), r, now);
            log.push(Review {
                answered_at: now,
                rating: r,
            });
            now = next.due + 3600;
            state = Some(next);
        }
        log.reverse();
        assert_eq!(s.replay(&log), state);
        assert_eq!(s.replay(&[]), None);
    }
}
