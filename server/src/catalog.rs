//! Every deck loaded from `questions/`, with the cards each offers: what the app studies from.

use crate::dataset::{self, DatasetErrors, Deck};
use crate::questions::{self, CardSpec, Prepared, Question};
use std::collections::HashMap;
use std::path::Path;

/// The seed a card's question is drawn with: the same until the card is answered, so a
/// reload shows the same distractors.
pub fn seed_for(user_id: i64, card_id: &str, reps: u32) -> u64 {
    questions::stable_hash(&[&user_id.to_string(), card_id, &reps.to_string()])
}

pub struct Catalog {
    pub decks: Vec<Deck>,
    pub cards: Vec<CardSpec>,
    /// Per card (same index as `cards`): the work its questions share whatever the draw.
    prepared: Vec<Prepared>,
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
            prepared: cards.iter().map(|_| Prepared::default()).collect(),
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
        let i = *self.card_index.get(card_id)?;
        let card = &self.cards[i];
        questions::generate_with(self.deck(&card.deck_id)?, card, seed, &self.prepared[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::Kind;

    /// What the catalog keeps per card changes no question: asked through the catalog twice
    /// (the second time from what the first kept), a card gives the question `generate`
    /// draws afresh. A few cards of every kind of the shipped deck (all of them take minutes
    /// in a debug build; the kept work is only ever reused within a card).
    #[test]
    fn kept_work_changes_no_question() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../questions");
        let catalog = Catalog::load(&dir).unwrap();
        let mut asked = HashMap::<Kind, usize>::new();
        for card in &catalog.cards {
            let n = asked.entry(card.kind).or_default();
            if *n == 4 {
                continue;
            }
            *n += 1;
            let deck = catalog.deck(&card.deck_id).unwrap();
            for user in [3, 8] {
                let seed = seed_for(user, &card.id, 0);
                assert_eq!(
                    catalog.question(&card.id, seed),
                    questions::generate(deck, card, seed),
                    "{}",
                    card.id
                );
            }
        }
        assert!(asked.get(&Kind::TrueFalse).is_some_and(|&n| n > 0));
    }
}
