//! What a deck's dashboard row shows that is the same for every learner: its tags, its cards
//! per kind and per era, and each card's era. Worked out once per catalog version (a new deck
//! version brings a new catalog, so new facts); per learner only their states are counted.
//! Building these for every `GET /` (a map of every event, every tag cloned, sorted and
//! deduplicated, every card's era found) was most of the dashboard's own CPU in the load
//! benchmark's profile.

use crate::dataset::Deck;
use crate::questions::{CardSpec, Kind};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckFacts {
    /// Every tag of the deck's events, sorted, once each.
    pub tags: Vec<String>,
    /// The kinds the deck asks, in [`Kind::ALL`] order, with how many cards ask each.
    pub kinds: Vec<(Kind, usize)>,
    /// Per era of the deck (same order as `deck.eras`): how many cards it holds.
    pub era_cards: Vec<usize>,
    /// How many cards the deck offers.
    pub cards: usize,
}

impl DeckFacts {
    /// The facts of `deck` and, per card of `cards` (same order), the index of its era in
    /// `deck.eras` (`None` for a card of no era).
    pub fn of(deck: &Deck, cards: &[&CardSpec]) -> (DeckFacts, Vec<Option<usize>>) {
        let era_index: HashMap<&str, usize> = deck
            .eras
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let event_era: HashMap<&str, usize> = deck
            .events
            .iter()
            .filter_map(|e| Some((e.id.as_str(), *era_index.get(e.era.as_str())?)))
            .collect();
        // A speaker card asks about a quote; its era is that of the event the quote belongs to.
        let quote_event: HashMap<&str, &str> = deck
            .quotes
            .iter()
            .filter_map(|q| Some((q.id.as_str(), q.event.as_deref()?)))
            .collect();
        let card_eras: Vec<Option<usize>> = cards
            .iter()
            .map(|c| {
                let event = if c.kind == Kind::Speaker {
                    quote_event.get(c.subject_id.as_str()).copied()?
                } else {
                    c.subject_id.as_str()
                };
                event_era.get(event).copied()
            })
            .collect();
        let mut era_cards = vec![0; deck.eras.len()];
        for era in card_eras.iter().flatten() {
            era_cards[*era] += 1;
        }
        let mut tags: Vec<String> = deck.events.iter().flat_map(|e| e.tags.clone()).collect();
        tags.sort();
        tags.dedup();
        let kinds = Kind::ALL
            .iter()
            .map(|k| (*k, cards.iter().filter(|c| c.kind == *k).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let facts = DeckFacts {
            tags,
            kinds,
            era_cards,
            cards: cards.len(),
        };
        (facts, card_eras)
    }
}
