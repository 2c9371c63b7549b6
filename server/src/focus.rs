//! What a learner chose to study: a part of a deck (eras, tags, events, single cards, kinds of
//! question) and whether to go past today's limits ("study more"). It travels in the study
//! URL and in the answer form as a query string, so every page of a session keeps it.

use crate::classes::selection::{self, Selection};
use crate::dataset::Deck;
use crate::ids::CardId;
use crate::questions::{CardSpec, Kind};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use std::collections::HashSet;

/// What a query value may keep as it is: the unreserved characters of RFC 3986, so slugs
/// (`border-war`, `event-1/date` aside from its slash) read plainly in the address bar.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Focus {
    #[serde(default)]
    pub era: Vec<String>,
    #[serde(default)]
    pub tag: Vec<String>,
    #[serde(default)]
    pub event: Vec<String>,
    #[serde(default)]
    pub card: Vec<String>,
    /// Kind names; none means every kind.
    #[serde(default)]
    pub kind: Vec<String>,
    /// "1" (a checkbox) to study past the new-card limit and review cards before they are due.
    #[serde(default)]
    pub more: Option<String>,
}

impl Focus {
    /// Reads the focus from a query string or the form's `focus` field; other keys (`deck`,
    /// `mode` ...) are left to their owners. Empty values (a select's "any") are dropped.
    pub fn parse(query: &str) -> Result<Focus, String> {
        let mut f: Focus = serde_html_form::from_str(query)
            .map_err(|_| "That choice of cards could not be read.".to_string())?;
        for list in [
            &mut f.era,
            &mut f.tag,
            &mut f.event,
            &mut f.card,
            &mut f.kind,
        ] {
            list.retain(|s| !s.trim().is_empty());
            list.sort();
            list.dedup();
        }
        f.more = f.more.filter(|m| !m.is_empty() && m != "0");
        Ok(f)
    }

    pub fn more(&self) -> bool {
        self.more.is_some()
    }

    /// True when the whole deck is studied in every kind, the usual queue.
    pub fn is_whole_deck(&self) -> bool {
        self.era.is_empty()
            && self.tag.is_empty()
            && self.event.is_empty()
            && self.card.is_empty()
            && self.kind.is_empty()
    }

    fn selection(&self) -> Selection {
        Selection {
            eras: self.era.clone(),
            tags: self.tag.clone(),
            events: self.event.clone(),
            kinds: if self.kind.is_empty() {
                Kind::ALL.iter().map(|k| k.as_str().to_string()).collect()
            } else {
                self.kind.clone()
            },
            cards: self.card.clone(),
        }
    }

    /// Refuses names the deck does not have, so a mistyped link says so instead of
    /// silently studying nothing.
    pub fn check(&self, deck: &Deck, deck_cards: &[&CardSpec]) -> Result<(), String> {
        let mut bad = self.selection().unknown_names(deck);
        bad.extend(
            self.card
                .iter()
                .filter(|id| !deck_cards.iter().any(|c| c.id == id.as_str()))
                .map(|id| format!("card `{id}`")),
        );
        if bad.is_empty() {
            Ok(())
        } else {
            Err(format!("This deck has no {}.", bad.join(", ")))
        }
    }

    /// The ids of the deck's cards in this focus; `None` for the whole deck.
    pub fn cards<'a>(
        &self,
        deck: &Deck,
        deck_cards: impl IntoIterator<Item = &'a CardSpec>,
    ) -> Option<HashSet<CardId>> {
        if self.is_whole_deck() {
            return None;
        }
        Some(
            selection::resolve(deck, deck_cards, &self.selection())
                .into_iter()
                .collect(),
        )
    }

    /// The focus as a query string (`era=a&kind=date&more=1`), empty for the plain deck.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (key, values) in [
            ("era", &self.era),
            ("tag", &self.tag),
            ("event", &self.event),
            ("card", &self.card),
            ("kind", &self.kind),
        ] {
            for v in values {
                parts.push(format!("{key}={}", utf8_percent_encode(v, VALUE)));
            }
        }
        if self.more() {
            parts.push("more=1".into());
        }
        parts.join("&")
    }

    /// In words, for the study page: `Era “The war” · dates and places`.
    pub fn describe(&self, deck: &Deck) -> String {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(
            self.era
                .iter()
                .map(|e| format!("era “{}”", deck.era(e).map_or(e.as_str(), |x| &x.title))),
        );
        parts.extend(self.tag.iter().map(|t| format!("tag “{t}”")));
        parts.extend(
            self.event
                .iter()
                .map(|e| format!("event “{}”", deck.event(e).map_or(e.as_str(), |x| &x.title))),
        );
        if !self.card.is_empty() {
            parts.push(format!(
                "{} chosen card{}",
                self.card.len(),
                if self.card.len() == 1 { "" } else { "s" }
            ));
        }
        let mut text = if parts.is_empty() {
            "the whole deck".to_string()
        } else {
            parts.join(", ")
        };
        if !self.kind.is_empty() {
            text.push_str(" · ");
            text.push_str(&self.kind.join(", ").replace('_', " "));
        }
        if self.more() {
            text.push_str(" · studying more than today's plan");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_round_trips_and_drops_empty_choices() {
        let f = Focus::parse("deck=x&era=war&era=&kind=place&kind=date&more=1&mode=").unwrap();
        assert_eq!(f.era, vec!["war"]);
        assert_eq!(f.kind, vec!["date", "place"]);
        assert!(f.more());
        assert_eq!(f.query(), "era=war&kind=date&kind=place&more=1");
        assert_eq!(Focus::parse(&f.query()).unwrap(), f);
        let plain = Focus::parse("deck=x&era=").unwrap();
        assert!(plain.is_whole_deck() && !plain.more());
        assert_eq!(plain.query(), "");
    }

    #[test]
    fn names_are_percent_encoded() {
        let f = Focus {
            tag: vec!["a b&c".into()],
            card: vec!["event-1/true_false".into()],
            ..Focus::default()
        };
        assert_eq!(f.query(), "tag=a%20b%26c&card=event-1%2Ftrue_false");
        assert_eq!(Focus::parse(&f.query()).unwrap(), f);
    }
}
