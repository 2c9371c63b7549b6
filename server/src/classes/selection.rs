//! Which cards of a deck an assignment covers. A teacher picks eras, tags or events (any of
//! them widens the choice; none at all means the whole deck) and the kinds of question; a
//! review assignment instead names its cards one by one.

use crate::dataset::Deck;
use crate::ids::CardId;
use crate::questions::{CardSpec, Kind};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    #[serde(default)]
    pub eras: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub events: Vec<String>,
    /// Kind names (`date`, `place`, ...).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Exact card ids; when present, the other fields are ignored.
    #[serde(default)]
    pub cards: Vec<String>,
}

impl Selection {
    pub fn whole_deck(&self) -> bool {
        self.eras.is_empty() && self.tags.is_empty() && self.events.is_empty()
    }

    /// Names that are not in `deck`, so a tampered form is refused rather than half-applied.
    pub fn unknown_names(&self, deck: &Deck) -> Vec<String> {
        let mut bad = Vec::new();
        bad.extend(
            self.eras
                .iter()
                .filter(|e| deck.era(e).is_none())
                .map(|e| format!("era `{e}`")),
        );
        let tags: HashSet<&str> = deck
            .events
            .iter()
            .flat_map(|e| e.tags.iter().map(String::as_str))
            .collect();
        bad.extend(
            self.tags
                .iter()
                .filter(|t| !tags.contains(t.as_str()))
                .map(|t| format!("tag `{t}`")),
        );
        bad.extend(
            self.events
                .iter()
                .filter(|e| deck.event(e).is_none())
                .map(|e| format!("event `{e}`")),
        );
        bad.extend(
            self.kinds
                .iter()
                .filter(|k| !Kind::ALL.iter().any(|kind| kind.as_str() == k.as_str()))
                .map(|k| format!("kind `{k}`")),
        );
        bad
    }
}

/// The event a card asks about (a speaker card's quote may name one).
pub fn event_of<'a>(deck: &'a Deck, card: &'a CardSpec) -> Option<&'a str> {
    if card.kind == Kind::Speaker {
        deck.quote(&card.subject_id)?.event.as_deref()
    } else {
        Some(card.subject_id.as_str())
    }
}

/// The ids of the cards `selection` covers, in deck order.
pub fn resolve<'a>(
    deck: &Deck,
    deck_cards: impl IntoIterator<Item = &'a CardSpec>,
    selection: &Selection,
) -> Vec<CardId> {
    if !selection.cards.is_empty() {
        let wanted: HashSet<&str> = selection.cards.iter().map(String::as_str).collect();
        return deck_cards
            .into_iter()
            .filter(|c| wanted.contains(c.id.as_str()))
            .map(|c| c.id.clone())
            .collect();
    }
    let kinds: HashSet<&str> = selection.kinds.iter().map(String::as_str).collect();
    let events: HashSet<&str> = deck
        .events
        .iter()
        .filter(|e| {
            selection.eras.contains(&e.era)
                || e.tags.iter().any(|t| selection.tags.contains(t))
                || selection.events.iter().any(|id| e.id == *id)
        })
        .map(|e| e.id.as_str())
        .collect();
    deck_cards
        .into_iter()
        .filter(|c| kinds.contains(c.kind.as_str()))
        .filter(|c| selection.whole_deck() || event_of(deck, c).is_some_and(|e| events.contains(e)))
        .map(|c| c.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use std::path::Path;

    fn fixture() -> Catalog {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions");
        Catalog::load(&dir).unwrap()
    }

    fn all_kinds() -> Vec<String> {
        Kind::ALL.iter().map(|k| k.as_str().to_string()).collect()
    }

    #[test]
    fn nothing_picked_means_the_whole_deck_in_the_chosen_kinds() {
        let catalog = fixture();
        let deck = &catalog.decks[0];
        let all = resolve(
            deck,
            catalog.deck_cards(&deck.id),
            &Selection {
                kinds: all_kinds(),
                ..Default::default()
            },
        );
        assert_eq!(all.len(), catalog.deck_cards(&deck.id).count());
        let dates = resolve(
            deck,
            catalog.deck_cards(&deck.id),
            &Selection {
                kinds: vec!["date".into()],
                ..Default::default()
            },
        );
        assert!(!dates.is_empty());
        assert!(dates.iter().all(|id| id.ends_with("/date")));
        let none = resolve(deck, catalog.deck_cards(&deck.id), &Selection::default());
        assert!(none.is_empty(), "no kind chosen selects nothing");
    }

    #[test]
    fn eras_tags_and_events_widen_the_choice() {
        let catalog = fixture();
        let deck = &catalog.decks[0];
        let first = &deck.events[0];
        let by_event = resolve(
            deck,
            catalog.deck_cards(&deck.id),
            &Selection {
                events: vec![first.id.to_string()],
                kinds: all_kinds(),
                ..Default::default()
            },
        );
        assert!(!by_event.is_empty());
        assert!(
            by_event
                .iter()
                .all(|id| id.starts_with(&format!("{}/", first.id))
                    || catalog.card(id).unwrap().kind == Kind::Speaker)
        );
        let by_era = resolve(
            deck,
            catalog.deck_cards(&deck.id),
            &Selection {
                eras: vec![first.era.clone()],
                events: vec![first.id.to_string()],
                kinds: all_kinds(),
                ..Default::default()
            },
        );
        assert!(by_era.len() >= by_event.len());
        assert!(by_event.iter().all(|id| by_era.contains(id)));
    }

    #[test]
    fn exact_cards_win_and_unknown_names_are_reported() {
        let catalog = fixture();
        let deck = &catalog.decks[0];
        let some: Vec<CardId> = catalog
            .deck_cards(&deck.id)
            .take(2)
            .map(|c| c.id.clone())
            .collect();
        let sel = Selection {
            cards: vec![
                some[1].to_string(),
                some[0].to_string(),
                "no-such/date".into(),
            ],
            ..Default::default()
        };
        assert_eq!(resolve(deck, catalog.deck_cards(&deck.id), &sel), some);
        let bad = Selection {
            eras: vec!["nope".into()],
            kinds: vec!["essay".into()],
            ..Default::default()
        };
        assert_eq!(bad.unknown_names(deck), vec!["era `nope`", "kind `essay`"]);
    }
}
