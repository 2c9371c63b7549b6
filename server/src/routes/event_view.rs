//! An event of a deck as the learner's pages show it (browse, timeline): its facts, sources
//! with article titles, disputes, and how well the learner knows each of its cards.

use crate::catalog::Catalog;
use crate::classes::selection::event_of;
use crate::dataset::{Deck, Event};
use crate::ids::CardId;
use crate::questions::{CardSpec, SourceRef, source_refs};
use crate::routes::study::{EventNote, event_note};
use crate::srs::{CardState, Standing, Tally};
use std::collections::HashMap;

/// The learner's states and answer tallies, by card id.
pub struct Knowledge {
    pub states: HashMap<CardId, CardState>,
    pub tallies: HashMap<String, Tally>,
}

impl Knowledge {
    pub fn standing(&self, card_id: &str) -> Standing {
        Standing::of(
            self.states.get(card_id),
            self.tallies.get(card_id).copied().unwrap_or_default(),
        )
    }
}

pub struct CardRow {
    pub id: CardId,
    pub kind: String,
    pub standing: Standing,
}

/// The cards that ask about `event`, in deck order.
pub fn cards_of<'a>(catalog: &'a Catalog, deck: &'a Deck, event: &'a Event) -> Vec<&'a CardSpec> {
    catalog
        .deck_cards(&deck.id)
        .filter(|c| event_of(deck, c) == Some(event.id.as_str()))
        .collect()
}

pub fn card_rows(cards: &[&CardSpec], knowledge: &Knowledge) -> Vec<CardRow> {
    cards
        .iter()
        .map(|c| CardRow {
            id: c.id.clone(),
            kind: c.kind.as_str().replace('_', " "),
            standing: knowledge.standing(&c.id),
        })
        .collect()
}

/// An event's sources, with the titles of the articles they quote.
pub fn sources(deck: &Deck, event: &Event) -> Vec<SourceRef> {
    source_refs(deck, &event.sources)
}

/// The note the result page shows for an event, reused for the selected event.
pub fn note(deck: &Deck, event: &Event) -> EventNote {
    let date = match &event.end_date {
        Some(end) => format!("{} – {}", event.date, end),
        None => event.date.to_string(),
    };
    event_note(deck, event, date)
}
