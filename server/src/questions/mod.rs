//! Questions generated from events. A card is one fact of one event (`event_id/kind`); a
//! question is one way of asking it, drawn afresh from a seed.

pub mod answer;
mod distractors;
pub mod fair;
mod generate;
pub mod lint;
pub mod numbers;
pub mod order;
pub mod reading;
pub mod when;

use crate::dataset::Deck;
use crate::ids::{CardId, DeckId, EventId};
pub use answer::Expected;
pub use fair::{Rule, Why};
pub use generate::{Prepared, QuestionRng, generate, generate_with, source_refs};
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

    /// The kind in a teacher's words, as the assignment form and the class reports name it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Date => "Date of an event",
            Kind::EventOnDate => "Event on a date",
            Kind::Place => "Place",
            Kind::Figure => "Figures (how many, how much)",
            Kind::Chronology => "Chronology (put in order)",
            Kind::Speaker => "Who said it",
            Kind::Cloze => "Fill in the blank",
            Kind::TrueFalse => "True or false",
            Kind::Flashcard => "Flashcard",
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
    pub id: CardId,
    pub deck_id: DeckId,
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
    /// What learners see: "Title (Publisher, date)".
    pub citation: String,
    pub quote: String,
}

/// One event of a chronology question, in the order shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChronologyItem {
    pub event_id: EventId,
    pub title: String,
    /// Its place in the right order, 1 for the earliest.
    pub position: usize,
    /// Its date or span as learners read it, shown with the right order afterwards.
    pub when: String,
}

/// What a true/false question states, and whether it is true.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// `date`, `place`, `actor` or `figure`.
    pub about: String,
    /// The date, place, actor or figure the statement shows, as written.
    pub shown: String,
    pub truth: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The card's id.
    pub id: CardId,
    pub kind: Kind,
    pub event_ids: Vec<EventId>,
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
    pub sources: Vec<SourceRef>,
    /// Chronology only: the events in the order shown, each with its id and right position.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ChronologyItem>,
    /// True/false only: what the statement is about and shows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<Statement>,
}

/// A card the deck would have, left out because a fairness rule stops it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppressed {
    pub card_id: CardId,
    pub kind: Kind,
    /// Line of the event or quote in the deck file.
    pub line: usize,
    pub why: Why,
}

/// Every card a deck offers, in dataset order. A kind is left out for an event when it cannot
/// be asked fairly: a disputed detail, too few distractors, or a prompt that would give it away.
pub fn cards(deck: &Deck) -> Vec<CardSpec> {
    cards_and_suppressed(deck).0
}

/// The cards a deck offers, and the ones it would offer but for a fairness rule. Kinds an
/// event simply lacks (no place, no cloze) are neither.
pub fn cards_and_suppressed(deck: &Deck) -> (Vec<CardSpec>, Vec<Suppressed>) {
    let mut out = Vec::new();
    let mut suppressed = Vec::new();
    let card = |subject: &str, kind: Kind, suffix: String, figure: Option<usize>| CardSpec {
        id: CardId::new(format!("{subject}/{suffix}")),
        deck_id: deck.id.clone(),
        subject_id: subject.to_string(),
        kind,
        figure,
    };
    let mut keep = |spec: CardSpec, line: usize, checked: Result<(), Why>| match checked {
        Ok(()) => out.push(spec),
        Err(why) => suppressed.push(Suppressed {
            card_id: spec.id,
            kind: spec.kind,
            line,
            why,
        }),
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
            let lacks = match kind {
                Kind::Place => event.place.is_none(),
                Kind::Cloze => event.cloze.is_none(),
                _ => false,
            };
            if !lacks {
                let spec = card(&event.id, kind, kind.as_str().to_string(), None);
                keep(
                    spec,
                    event.line,
                    generate::event_card_check(deck, event, kind),
                );
            }
        }
        for (i, figure) in event.figures.iter().enumerate() {
            let spec = card(
                &event.id,
                Kind::Figure,
                format!("figure-{}", i + 1),
                Some(i),
            );
            let checked = generate::figure_check(deck, event, figure).map(|_| ());
            keep(spec, event.line, checked);
        }
    }
    for quote in &deck.quotes {
        let spec = card(&quote.id, Kind::Speaker, "speaker".into(), None);
        keep(
            spec,
            quote.line,
            generate::speaker_check(deck, quote).map(|_| ()),
        );
    }
    (out, suppressed)
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
