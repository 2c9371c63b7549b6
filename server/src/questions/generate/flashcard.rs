//! Flashcards: the event's title in front; behind, its date or span (or, for a date no
//! article states, how the articles place it), place and summary.

use super::build::source_refs;
use super::date::date_value;
use crate::dataset::{Deck, Event};
use crate::questions::answer::Expected;
use crate::questions::when::when;
use crate::questions::{CardSpec, Kind, Question};

pub(super) fn flashcard(deck: &Deck, card: &CardSpec, event: &Event) -> Question {
    let place = event
        .place
        .as_ref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    let ongoing = if event.date_inferred {
        ""
    } else if event.ongoing {
        " onwards (still going on in the articles)"
    } else if event.is_open_ended() {
        " (when it began; the articles give no end)"
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
            "{}{ongoing}{place}. {}",
            capitalised(&when(event)),
            event.summary
        ),
        // An inferred date is no answer to check against: the back does not state it.
        answer_value: (!event.date_inferred).then(|| date_value(event)),
        accepts_typed: false,
        expected: Expected::SelfGraded,
        sources: source_refs(deck, &event.sources),
        items: Vec::new(),
        statement: None,
    }
}

/// "Reported by ..." at the start of the back, as a sentence begins (past a quote mark).
fn capitalised(s: &str) -> String {
    match s.char_indices().find(|(_, c)| c.is_alphabetic()) {
        Some((i, c)) => format!("{}{}{}", &s[..i], c.to_uppercase(), &s[i + c.len_utf8()..]),
        None => s.to_string(),
    }
}
