//! How a card is shown: recognition while it is new or weak, recall once it is established.

use super::CardState;
use crate::questions::Kind;
use serde::Serialize;

/// Stability (days) from which a card is asked as a typed answer instead of multiple choice.
/// With FSRS's default parameters a first right answer gives 2.3 days and a second one on the
/// day it falls due gives 11, while a miss followed by two right answers gives 2.0: so recall
/// starts once a card was recognised twice in a row on separate days, its third showing for
/// a learner who gets it right (measured in the tests below).
pub const TYPED_FROM_STABILITY: f32 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presentation {
    MultipleChoice,
    Typed,
    Flashcard,
}

impl Presentation {
    pub fn as_str(self) -> &'static str {
        match self {
            Presentation::MultipleChoice => "multiple_choice",
            Presentation::Typed => "typed",
            Presentation::Flashcard => "flashcard",
        }
    }

    pub fn parse(s: &str) -> Option<Presentation> {
        Some(match s {
            "multiple_choice" => Presentation::MultipleChoice,
            "typed" => Presentation::Typed,
            "flashcard" => Presentation::Flashcard,
            _ => return None,
        })
    }

    /// Flashcard mode (the learner's choice) shows everything as a flashcard.
    pub fn choose(kind: Kind, state: Option<&CardState>, flashcard_mode: bool) -> Presentation {
        if flashcard_mode || kind == Kind::Flashcard {
            return Presentation::Flashcard;
        }
        match state {
            Some(s)
                if kind.accepts_typed()
                    && s.phase == super::Phase::Review
                    && s.stability >= TYPED_FROM_STABILITY =>
            {
                Presentation::Typed
            }
            _ => Presentation::MultipleChoice,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Phase, Rating, Scheduler};

    #[test]
    fn presentation_follows_strength() {
        let new = Presentation::choose(Kind::Date, None, false);
        assert_eq!(new, Presentation::MultipleChoice);
        let strong = CardState {
            stability: 30.0,
            difficulty: 5.0,
            due: 0,
            last_review: 0,
            reps: 4,
            lapses: 0,
            phase: Phase::Review,
            step: 0,
        };
        assert_eq!(
            Presentation::choose(Kind::Date, Some(&strong), false),
            Presentation::Typed
        );
        assert_eq!(
            Presentation::choose(Kind::Chronology, Some(&strong), false),
            Presentation::MultipleChoice
        );
        assert_eq!(
            Presentation::choose(Kind::Date, Some(&strong), true),
            Presentation::Flashcard
        );
        let weak = Scheduler::new(0.9).answer(None, Rating::Good, 0);
        assert_eq!(
            Presentation::choose(Kind::Place, Some(&weak), false),
            Presentation::MultipleChoice
        );
    }

    #[test]
    fn recall_starts_after_two_right_answers_on_separate_days() {
        let s = Scheduler::new(0.9);
        let shown = |state: &CardState| Presentation::choose(Kind::Date, Some(state), false);
        // Right through the learning steps, minutes apart on one day: still choices.
        let mut state = s.answer(None, Rating::Good, 0);
        assert_eq!(shown(&state), Presentation::MultipleChoice);
        while state.phase != Phase::Review {
            state = s.answer(Some(&state), Rating::Good, state.due);
            assert_eq!(shown(&state), Presentation::MultipleChoice, "same day");
        }
        assert!(
            state.due - state.last_review >= 86_400,
            "graduates for a day or more"
        );
        // Right again on the later day it falls due: typed recall.
        let twice = s.answer(Some(&state), Rating::Good, state.due);
        assert_eq!(shown(&twice), Presentation::Typed);
        let forgot = s.answer(Some(&twice), Rating::Again, twice.due);
        assert_eq!(
            shown(&forgot),
            Presentation::MultipleChoice,
            "a lapse goes back to choices"
        );
        assert_eq!(
            Presentation::choose(Kind::TrueFalse, Some(&twice), false),
            Presentation::MultipleChoice
        );
    }
}
