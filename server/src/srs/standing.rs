//! How well a learner knows one card, in four words the pages share (browse, timeline, stats):
//! not seen, learning, known, often missed.

use super::{CardState, Phase};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Standing {
    NotSeen,
    Learning,
    Known,
    OftenMissed,
}

/// A card's answers so far, from the review log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub answers: u32,
    pub misses: u32,
}

impl Standing {
    pub const ALL: [Standing; 4] = [
        Standing::NotSeen,
        Standing::Learning,
        Standing::Known,
        Standing::OftenMissed,
    ];

    /// Often missed: wrong at least twice and in a third or more of its answers, whatever the
    /// latest answer was (one lucky answer does not clear a card the learner keeps missing).
    /// Known: in review, i.e. last answered right and scheduled a day or more out.
    pub fn of(state: Option<&CardState>, tally: Tally) -> Standing {
        match state {
            None => Standing::NotSeen,
            Some(_) if tally.misses >= 2 && tally.misses * 3 >= tally.answers => {
                Standing::OftenMissed
            }
            Some(s) if s.phase == Phase::Review => Standing::Known,
            Some(_) => Standing::Learning,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Standing::NotSeen => "not-seen",
            Standing::Learning => "learning",
            Standing::Known => "known",
            Standing::OftenMissed => "often-missed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Standing::NotSeen => "not seen",
            Standing::Learning => "learning",
            Standing::Known => "known",
            Standing::OftenMissed => "often missed",
        }
    }

    /// The standing of an event from its cards': the weakest seen card speaks for it (an
    /// event is known once every card of it is known, often missed if any card is).
    pub fn of_event(cards: impl IntoIterator<Item = Standing>) -> Standing {
        let all: Vec<Standing> = cards.into_iter().collect();
        if all.contains(&Standing::OftenMissed) {
            Standing::OftenMissed
        } else if all.iter().all(|s| *s == Standing::NotSeen) {
            Standing::NotSeen
        } else if all.iter().all(|s| *s == Standing::Known) {
            Standing::Known
        } else {
            Standing::Learning
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(phase: Phase) -> CardState {
        CardState {
            stability: 3.0,
            difficulty: 5.0,
            due: 0,
            last_review: 0,
            reps: 1,
            lapses: 0,
            phase,
            step: 0,
        }
    }

    fn tally(answers: u32, misses: u32) -> Tally {
        Tally { answers, misses }
    }

    #[test]
    fn four_words_for_a_card() {
        assert_eq!(Standing::of(None, tally(0, 0)), Standing::NotSeen);
        assert_eq!(
            Standing::of(Some(&state(Phase::Learning)), tally(1, 1)),
            Standing::Learning
        );
        assert_eq!(
            Standing::of(Some(&state(Phase::Review)), tally(2, 1)),
            Standing::Known
        );
        assert_eq!(
            Standing::of(Some(&state(Phase::Review)), tally(6, 2)),
            Standing::OftenMissed
        );
        assert_eq!(
            Standing::of(Some(&state(Phase::Review)), tally(7, 2)),
            Standing::Known,
            "two misses in seven answers is less than a third"
        );
    }

    #[test]
    fn an_event_takes_its_weakest_seen_card() {
        use Standing::*;
        assert_eq!(Standing::of_event([NotSeen, NotSeen]), NotSeen);
        assert_eq!(Standing::of_event([Known, NotSeen]), Learning);
        assert_eq!(Standing::of_event([Known, Known]), Known);
        assert_eq!(Standing::of_event([Known, OftenMissed]), OftenMissed);
        assert_eq!(Standing::of_event([]), NotSeen);
    }
}
