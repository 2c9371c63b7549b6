//! Every deck loaded from `questions/`, with the cards each offers: what the app studies from.

use crate::dataset::{self, DatasetErrors, Deck};
use crate::ids::UserId;
use crate::questions::{self, CardSpec, Question};
use std::collections::HashMap;
use std::path::Path;

/// The seed a card's question is drawn with: the same until the card is answered, so a
/// reload shows the same distractors.
pub fn seed_for(user_id: UserId, card_id: &str, reps: u32) -> u64 {
    questions::stable_hash(&[&user_id.to_string(), card_id, &reps.to_string()])
}

pub struct Catalog {
    pub decks: Vec<Deck>,
    pub cards: Vec<CardSpec>,
    card_index: HashMap<String, usize>,
    deck_index: HashMap<String, usize>,
}

impl Catalog {
    pub fn load(dir: &Path) -> Result<Catalog, DatasetErrors> {
        Ok(Catalog::from_decks(dataset::load_dir(dir)?))
    }

    pub fn from_decks(decks: Vec<Deck>) -> Catalog {
        let cards: Vec<CardSpec> = decks.iter().flat_map(questions::cards).collect();
        let card_index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let deck_index = decks
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Catalog {
            decks,
            cards,
            card_index,
            deck_index,
        }
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.deck_index.get(id).map(|&i| &self.decks[i])
    }

    pub fn card(&self, id: &str) -> Option<&CardSpec> {
        self.card_index.get(id).map(|&i| &self.cards[i])
    }

    pub fn deck_cards<'a>(&'a self, deck_id: &'a str) -> impl Iterator<Item = &'a CardSpec> + 'a {
        self.cards.iter().filter(move |c| c.deck_id == deck_id)
    }

    /// The question for a card id, drawn with `seed`; `None` for a card no deck offers now.
    pub fn question(&self, card_id: &str, seed: u64) -> Option<Question> {
        let card = self.card(card_id)?;
        questions::generate(self.deck(&card.deck_id)?, card, seed)
    }
}
