//! Flashcards: the event's title in front; behind, its date or span, place and summary.

use super::build::source_refs;
use super::date::date_value;
use crate::dataset::{Deck, Event};
use crate::questions::answer::Expected;
use crate::questions::fair::when;
use crate::questions::{CardSpec, Kind, Question};

pub(super) fn flashcard(deck: &Deck, card: &CardSpec, event: &Event) -> Question {
    let place = event
        .place
        .as_ref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    let inferred = if event.date_inferred {
        " (date not stated in the sources)"
    } else if event.ongoing {
        " onwards (still going on in the articles)"
    } else {
        ""
    };
    Question {
        id: card.id.clone(),
        kind: Kind::Flashcard,
        event_ids: vec![event.id.clone()],
        prompt: event.title.clone(),
        choices: Vec::new(),
        answer_index: None,
        answer: format!(
            "{}{inferred}{place}. {}",
            when(&event.date, event.end_date.as_ref()),
            event.summary
        ),
        answer_value: Some(date_value(event)),
        accepts_typed: false,
        expected: Expected::SelfGraded,
        sources: source_refs(deck, &event.sources),
        items: Vec::new(),
        statement: None,
    }
}
