//! What a Chronicle card says on an Anki note: the question as Chronicle asks it, its
//! choices (or, for a chronology, the events to order), the right answer, and beside it the
//! event's title, date and summary and the sources that state the fact.

use super::NoteFields;
use crate::dataset::Deck;
use crate::questions::{CardSpec, Question, when::when};

pub fn fields(deck: &Deck, card: &CardSpec, q: &Question) -> NoteFields {
    let choices = if q.choices.is_empty() {
        q.items.iter().map(|i| i.title.clone()).collect()
    } else {
        q.choices.clone()
    };
    let (event, date, summary) = if let Some(e) = deck.event(&card.subject_id) {
        (e.title.clone(), when(e), e.summary.clone())
    } else if let Some(quote) = deck.quote(&card.subject_id) {
        let about = quote.event.as_deref().and_then(|id| deck.event(id));
        let date = quote
            .date
            .map(|d| d.to_string())
            .or_else(|| about.map(when))
            .unwrap_or_default();
        // The event's title beside its date: beside the speaker's name, an event's date read
        // as the day the words were said, which the articles rarely give.
        (
            about.map_or_else(|| quote.speaker.clone(), |e| e.title.clone()),
            date,
            about.map(|e| e.summary.clone()).unwrap_or_default(),
        )
    } else {
        Default::default()
    };
    NoteFields {
        question: q.prompt.clone(),
        choices,
        answer: q.answer.clone(),
        event,
        date,
        summary,
        source: q
            .sources
            .iter()
            .map(|s| format!("{}: “{}”", s.citation, s.quote))
            .collect(),
        card_id: card.id.clone(),
    }
}

/// Anki tags (no spaces): the deck, the kind of card, the era and the event's own tags.
pub fn tags(deck: &Deck, card: &CardSpec) -> Vec<String> {
    let mut tags = vec![
        format!("chronicle::{}", deck.id),
        format!("kind::{}", card.kind),
    ];
    if let Some(e) = deck.event(&card.subject_id) {
        tags.push(format!("era::{}", e.era));
        tags.extend(e.tags.iter().cloned());
    }
    tags.into_iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|t| !t.is_empty())
        .collect()
}
