//! What the answer side of a card says about its events: date, place, summary, where the
//! articles disagree (with each side's source), and a chronology's right order. The event
//! pages (browse, timeline) show the same note.

use crate::dataset::{Deck, Event};
use crate::questions::{Question, SourceRef, order, source_refs, when::when};

/// An event in its right place in a chronology, with its date or span.
pub struct OrderedEvent {
    pub title: String,
    pub when: String,
}

pub(super) fn ordered_events(q: &Question) -> Vec<OrderedEvent> {
    order::right_order(&q.items)
        .into_iter()
        .map(|i| OrderedEvent {
            title: i.title.clone(),
            when: i.when.clone(),
        })
        .collect()
}

pub struct EventNote {
    pub title: String,
    pub date: String,
    pub place: Option<String>,
    pub summary: String,
    /// Where the articles disagree about this event, with each side's source.
    pub disputes: Vec<DisputeNote>,
}

pub struct DisputeNote {
    pub note: String,
    pub sources: Vec<SourceRef>,
}

/// The events a question is about, with date and summary, shown beside the answer.
pub fn event_notes(deck: &Deck, q: &Question) -> Vec<EventNote> {
    q.event_ids
        .iter()
        .filter_map(|id| deck.event(id))
        .map(|e| event_note(deck, e, when(e)))
        .collect()
}

/// One event's note. `date` is written by the caller: the study pages mark an inferred date
/// and write a span of years as "1981–1982", the event pages write the plain span.
pub fn event_note(deck: &Deck, event: &Event, date: String) -> EventNote {
    EventNote {
        title: event.title.clone(),
        date,
        place: event.place.clone(),
        summary: event.summary.clone(),
        disputes: event
            .disputes
            .iter()
            .map(|d| DisputeNote {
                note: d.note.clone(),
                sources: source_refs(deck, &d.sources),
            })
            .collect(),
    }
}
