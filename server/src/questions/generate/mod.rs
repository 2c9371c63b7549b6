//! One function per kind of question. Each is deterministic for a given seed, and asks only
//! what [`super::fair`] allows: every `*_check` says why a card cannot be asked, if it cannot.

mod chronology;
mod cloze;
mod date;
mod figure;
mod flashcard;
mod place;
mod speaker;
mod true_false;

use crate::dataset::{Deck, Event, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::{CHRONOLOGY_GAP_DAYS, Rule, Why};
use crate::questions::{CardSpec, Kind, Question, SourceRef};
use chronology::{chronology, pick_chronology};
use cloze::{cloze, cloze_check};
use date::{date, date_check, date_distractors_check, event_on_date, other_dated_events};
use figure::figure_question;
use flashcard::flashcard;
use place::{place, place_check};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use speaker::speaker;
use true_false::{statement_kinds, true_false};

// What the rest of `questions` checks and measures with (the card list, the lint).
pub(super) use chronology::{far_enough_apart, window_days};
pub(super) use date::date_window;
pub(super) use figure::figure_check;
pub(super) use speaker::speaker_check;

/// The question generator's random stream. ChaCha8 is specified to give the same stream on
/// every platform and version, unlike `StdRng`; answers are graded by regenerating the
/// question from its seed, so a changed stream would grade learners against other choices.
pub type QuestionRng = ChaCha8Rng;

type Checked<T> = Result<T, Why>;

/// Builds the question for `card`, drawing distractors and order from `seed`.
/// Returns `None` only when `card` is not one that [`super::cards`] offers for `deck`.
pub fn generate(deck: &Deck, card: &CardSpec, seed: u64) -> Option<Question> {
    let mut rng = QuestionRng::seed_from_u64(seed ^ super::stable_hash(&[&card.id]));
    if card.kind == Kind::Speaker {
        let quote = deck.quote(&card.subject_id)?;
        return speaker_check(deck, quote)
            .ok()
            .map(|_| speaker(deck, card, quote, &mut rng));
    }
    let event = deck.event(&card.subject_id)?;
    if card.kind == Kind::Figure {
        let figure = event.figures.get(card.figure?)?;
        return figure_check(deck, event, figure)
            .ok()
            .map(|_| figure_question(deck, card, event, figure, &mut rng));
    }
    event_card_check(deck, event, card.kind).ok()?;
    match card.kind {
        Kind::Date => Some(date(deck, card, event, &mut rng)),
        Kind::EventOnDate => Some(event_on_date(deck, card, event, &mut rng)),
        Kind::Place => Some(place(deck, card, event, &mut rng)),
        Kind::Chronology => chronology(deck, card, event, &mut rng),
        Kind::Cloze => cloze(deck, card, event, &mut rng),
        Kind::TrueFalse => true_false(deck, card, event, &mut rng),
        Kind::Flashcard => Some(flashcard(deck, card, event)),
        Kind::Figure | Kind::Speaker => None,
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

/// Sources as learners see them: each quote with its article's title and citation.
pub fn source_refs<'a>(
    deck: &Deck,
    sources: impl IntoIterator<Item = &'a Source>,
) -> Vec<SourceRef> {
    sources
        .into_iter()
        .map(|s| SourceRef {
            document: s.document.clone(),
            document_title: deck.document_title(&s.document).to_string(),
            citation: deck.citation(&s.document),
            quote: s.quote.clone(),
        })
        .collect()
}

/// Shuffles the right answer in among the distractors; returns choices and its index.
pub(super) fn shuffle_in(
    answer: String,
    wrong: Vec<String>,
    rng: &mut impl Rng,
) -> (Vec<String>, usize) {
    let mut choices = wrong;
    choices.push(answer.clone());
    choices.shuffle(rng);
    let index = choices.iter().position(|c| *c == answer).unwrap_or(0);
    (choices, index)
}

pub(super) struct Parts<'a> {
    pub(super) prompt: String,
    pub(super) answer: String,
    pub(super) wrong: Vec<String>,
    pub(super) answer_value: Option<serde_json::Value>,
    pub(super) expected: Expected,
    pub(super) sources: Vec<&'a Source>,
}

pub(super) fn build(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    parts: Parts,
    rng: &mut impl Rng,
) -> Question {
    let (choices, index) = shuffle_in(parts.answer.clone(), parts.wrong, rng);
    Question {
        id: card.id.clone(),
        kind: card.kind,
        event_ids: vec![event.id.clone()],
        prompt: parts.prompt,
        choices,
        answer_index: Some(index),
        answer: parts.answer,
        answer_value: parts.answer_value,
        accepts_typed: card.kind.accepts_typed(),
        expected: parts.expected,
        sources: source_refs(deck, parts.sources),
        items: Vec::new(),
        statement: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ChaCha8's stream is fixed by its specification: these draws must never change, or
    /// learners would be graded against other choices than the ones they saw.
    #[test]
    fn the_question_stream_is_pinned() {
        let mut rng = QuestionRng::seed_from_u64(42);
        let draws: Vec<u32> = (0..4).map(|_| rand::RngCore::next_u32(&mut rng)).collect();
        assert_eq!(draws, PINNED_DRAWS);
    }

    const PINNED_DRAWS: [u32; 4] = [962419617, 2928721845, 628724104, 4081401798];
}
