//! One function per kind of question. Each is deterministic for a given seed, and asks only
//! what [`super::fair`] allows: every `*_check` says why a card cannot be asked, if it cannot.

mod build;
mod chronology;
mod cloze;
mod date;
mod figure;
mod flashcard;
mod place;
mod speaker;
mod true_false;

use crate::dataset::{Deck, Event};
use crate::questions::fair::{CHRONOLOGY_GAP_DAYS, Rule, Why};
use crate::questions::{CardSpec, Kind, Question};
use build::Checked;
use chronology::{chronology, pick_chronology};
use cloze::{cloze, cloze_check};
use date::{
    date, date_check, date_distractors_check, event_on_date, nearest_dated_others,
    other_dated_events,
};
use figure::figure_question;
use flashcard::flashcard;
use place::{place, place_check};
use rand::SeedableRng;
use speaker::speaker;
use std::sync::OnceLock;
use true_false::{Statements, statement_kinds, true_false};

pub use build::{QuestionRng, source_refs};

// What the rest of `questions` checks and measures with (the card list, the lint).
pub(super) use chronology::{far_enough_apart, window_days};
pub(super) use date::{date_window, part_of_one_then};
pub(super) use figure::{figure_check, is_duration};
pub(super) use place::{country_of, tied_to};
pub(super) use speaker::is_body;
pub(super) use speaker::speaker_check;

/// Builds the question for `card`, drawing distractors and order from `seed`.
/// Returns `None` only when `card` is not one that [`super::cards`] offers for `deck`.
pub fn generate(deck: &Deck, card: &CardSpec, seed: u64) -> Option<Question> {
    generate_with(deck, card, seed, &Prepared::default())
}

/// The part of a card's questions that does not depend on the draw: whether the card may be
/// asked at all, what a true/false statement about its event may say, and which events an
/// event-on-date question may offer beside it. Worked out on the first question and kept, by
/// whoever asks one card many times (the catalog); a `Prepared` belongs to one card of one
/// deck, as it was when first used.
#[derive(Debug, Default)]
pub struct Prepared {
    askable: OnceLock<bool>,
    statements: OnceLock<Statements>,
    /// An event-on-date card's candidate wrong answers ([`nearest_dated_others`]).
    near_dated: OnceLock<Vec<usize>>,
    /// A place card's candidate wrong places ([`place::place_pool`]).
    place_pool: OnceLock<Vec<String>>,
    /// A chronology card's candidate events ([`chronology::chronology_pool`]).
    chronology_pool: OnceLock<Vec<usize>>,
}

/// A copy starts empty: it is a cache, filled again on first use.
impl Clone for Prepared {
    fn clone(&self) -> Self {
        Prepared::default()
    }
}

impl Prepared {
    fn askable(&self, check: impl FnOnce() -> bool) -> bool {
        *self.askable.get_or_init(check)
    }
}

/// [`generate`], with the draw-free work kept in `prepared` (the same question, for less).
pub fn generate_with(
    deck: &Deck,
    card: &CardSpec,
    seed: u64,
    prepared: &Prepared,
) -> Option<Question> {
    let mut rng = QuestionRng::seed_from_u64(seed ^ super::stable_hash(&[&card.id]));
    if card.kind == Kind::Speaker {
        let quote = deck.quote(&card.subject_id)?;
        return prepared
            .askable(|| speaker_check(deck, quote).is_ok())
            .then(|| speaker(deck, card, quote, &mut rng));
    }
    let event = deck.event(&card.subject_id)?;
    if card.kind == Kind::Figure {
        let figure = event.figures.get(card.figure?)?;
        return prepared
            .askable(|| figure_check(deck, event, figure).is_ok())
            .then(|| figure_question(deck, card, event, figure, &mut rng));
    }
    if card.kind == Kind::TrueFalse {
        // The rule `event_card_check` applies, from the kept statements.
        let statements = prepared
            .statements
            .get_or_init(|| Statements::of(deck, event));
        if statements.is_empty() {
            return None;
        }
        return true_false(deck, card, event, statements, &mut rng);
    }
    if !prepared.askable(|| event_card_check(deck, event, card.kind).is_ok()) {
        return None;
    }
    match card.kind {
        Kind::Date => Some(date(deck, card, event, &mut rng)),
        Kind::EventOnDate => {
            let near = prepared
                .near_dated
                .get_or_init(|| nearest_dated_others(deck, event));
            Some(event_on_date(deck, card, event, near, &mut rng))
        }
        Kind::Place => {
            let pool = prepared
                .place_pool
                .get_or_init(|| place::place_pool(deck, event));
            Some(place(deck, card, event, pool, &mut rng))
        }
        Kind::Chronology => {
            let pool = prepared
                .chronology_pool
                .get_or_init(|| chronology::chronology_pool(deck, event));
            chronology(deck, card, event, pool, &mut rng)
        }
        Kind::Cloze => cloze(deck, card, event, &mut rng),
        Kind::Flashcard => Some(flashcard(deck, card, event)),
        Kind::TrueFalse | Kind::Figure | Kind::Speaker => None,
    }
}

/// Whether `kind` can be asked fairly of `event`, and if not, which rule stops it.
pub(super) fn event_card_check(deck: &Deck, event: &Event, kind: Kind) -> Checked<()> {
    match kind {
        Kind::Date => {
            date_check(event)?;
            date_distractors_check(deck, event)
        }
        Kind::EventOnDate => {
            date_check(event)?;
            if other_dated_events(deck, event).len() < 3 {
                return Err(Why::new(
                    Rule::TooFewDistractors,
                    "fewer than three other events lie clear of this date",
                ));
            }
            Ok(())
        }
        Kind::Place => place_check(deck, event).map(|_| ()),
        Kind::Chronology => {
            date_check(event)?;
            if event.ongoing {
                return Err(Why::new(
                    Rule::ChronologySpacing,
                    "an ongoing state of affairs has no one place in an order",
                ));
            }
            pick_chronology(deck, event, None)
                .map(|_| ())
                .ok_or_else(|| {
                    Why::new(
                        Rule::ChronologySpacing,
                        format!(
                            "no three other events lie at least {CHRONOLOGY_GAP_DAYS} days apart \
                         within ten years of this one"
                        ),
                    )
                })
        }
        Kind::Cloze => cloze_check(event),
        Kind::TrueFalse => {
            if statement_kinds(deck, event).is_empty() {
                // The date's reason is the likeliest one to act on.
                date_check(event)?;
                return Err(Why::new(
                    Rule::TooFewDistractors,
                    "no fact of this event can be stated falsely",
                ));
            }
            Ok(())
        }
        Kind::Flashcard => Ok(()),
        Kind::Figure | Kind::Speaker => Err(Why::new(Rule::Disputed, "not an event card")),
    }
}
