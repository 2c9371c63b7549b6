//! Questions generated from events. A card is one fact of one event (`event_id/kind`); a
//! question is one way of asking it, drawn afresh from a seed.

pub mod answer;
mod distractors;
mod generate;
pub mod numbers;
pub mod order;
pub mod when;

use crate::dataset::{Deck, DisputeAbout, Event};
pub use answer::Expected;
pub use generate::generate;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// When did this event happen?
    Date,
    /// Which event happened on this date?
    EventOnDate,
    /// Where did this event happen?
    Place,
    /// How many / how much?
    Figure,
    /// Put four events in order.
    Chronology,
    /// Who said this?
    Speaker,
    /// A key term blanked out of a statement.
    Cloze,
    /// Is this dated statement true?
    TrueFalse,
    /// Title on the front; date, place and summary on the back; self-graded.
    Flashcard,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Date,
        Kind::EventOnDate,
        Kind::Place,
        Kind::Figure,
        Kind::Chronology,
        Kind::Speaker,
        Kind::Cloze,
        Kind::TrueFalse,
        Kind::Flashcard,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::EventOnDate => "event_on_date",
            Kind::Place => "place",
            Kind::Figure => "figure",
            Kind::Chronology => "chronology",
            Kind::Speaker => "speaker",
            Kind::Cloze => "cloze",
            Kind::TrueFalse => "true_false",
            Kind::Flashcard => "flashcard",
        }
    }

    /// Whether the learner can type the answer instead of picking it.
    pub fn accepts_typed(self) -> bool {
        matches!(
            self,
            Kind::Date | Kind::Place | Kind::Figure | Kind::Speaker | Kind::Cloze
        )
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable identity of a card: `subject_id/kind`, where figures are numbered
/// (`event_id/figure-2`) in the order the dataset lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardSpec {
    pub id: String,
    pub deck_id: String,
    pub subject_id: String,
    pub kind: Kind,
    /// Index into the event's figures, for figure cards.
    #[serde(skip)]
    pub figure: Option<usize>,
}

/// Where a fact comes from, shown beside every answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceRef {
    pub document: String,
    pub document_title: String,
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The card's id.
    pub id: String,
    pub kind: Kind,
    pub event_ids: Vec<String>,
    pub prompt: String,
    /// Empty for flashcards.
    pub choices: Vec<String>,
    /// Index of the right choice, when there are choices.
    pub answer_index: Option<usize>,
    /// The right answer as shown to the learner.
    pub answer: String,
    /// ISO date or number where the answer is one.
    pub answer_value: Option<serde_json::Value>,
    pub accepts_typed: bool,
    #[serde(skip)]
    pub expected: Expected,
    /// Chronology only: the events to place, in the order shown, each with its right position.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<order::OrderItem>,
    pub sources: Vec<SourceRef>,
}

/// Every card a deck offers, in dataset order. A kind is left out for an event when it cannot
/// be asked fairly: a disputed detail, too few distractors, or a prompt that would give it away.
pub fn cards(deck: &Deck) -> Vec<CardSpec> {
    let mut out = Vec::new();
    let card = |subject: &str, kind: Kind, suffix: String, figure: Option<usize>| CardSpec {
        id: format!("{subject}/{suffix}"),
        deck_id: deck.id.clone(),
        subject_id: subject.to_string(),
        kind,
        figure,
    };
    for event in &deck.events {
        for kind in [
            Kind::Date,
            Kind::EventOnDate,
            Kind::Place,
            Kind::Chronology,
            Kind::Cloze,
            Kind::TrueFalse,
            Kind::Flashcard,
        ] {
            if generate::event_card_possible(deck, event, kind) {
                out.push(card(&event.id, kind, kind.as_str().to_string(), None));
            }
        }
        for (i, figure) in event.figures.iter().enumerate() {
            if generate::figure_card_possible(event, figure) {
                out.push(card(
                    &event.id,
                    Kind::Figure,
                    format!("figure-{}", i + 1),
                    Some(i),
                ));
            }
        }
    }
    for quote in &deck.quotes {
        if generate::speaker_card_possible(deck, quote) {
            out.push(card(&quote.id, Kind::Speaker, "speaker".into(), None));
        }
    }
    out
}

/// Dates may be asked only when no article disputes them and the title does not give them away.
fn date_askable(event: &Event) -> bool {
    !event.is_disputed(DisputeAbout::Date) && !event.title.contains(&event.date.year.to_string())
}

/// A stable 64-bit hash (FNV-1a), so seeds do not depend on the standard library's hasher.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    h
}
