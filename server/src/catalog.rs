//! Every deck loaded from `questions/`, with the cards each offers: what the app studies from.

use crate::dataset::{self, DatasetErrors, Deck};
use crate::deck_facts::DeckFacts;
use crate::ids::{CardId, DeckId, UserId};
use crate::kept::Kept;
use crate::questions::{self, CardSpec, Prepared, Question};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// The seed a card's question is drawn with: the same until the card is answered, so a
/// reload shows the same distractors.
pub fn seed_for(user_id: UserId, card_id: &str, reps: u32) -> u64 {
    questions::stable_hash(&[&user_id.to_string(), card_id, &reps.to_string()])
}

#[derive(Clone)]
pub struct Catalog {
    pub decks: Vec<Deck>,
    pub cards: Vec<CardSpec>,
    /// Per card (same index as `cards`): the work its questions share whatever the draw.
    prepared: Vec<Prepared>,
    /// Card and deck ids to their index. Looked up for every state of a learner on each
    /// study page (SipHash was 3 % of the server's CPU per answer in the load benchmark's
    /// profile), so hashed with foldhash: its keys are the decks' own ids (shipped ones, or
    /// an uploading teacher's, a few thousand at most), and its seed is drawn per process,
    /// so no visitor can choose keys that collide.
    card_index: foldhash::HashMap<CardId, usize>,
    deck_index: foldhash::HashMap<DeckId, usize>,
    /// Per deck (same index as `decks`): the indices of its cards in `cards`, in order.
    /// Filtering every card of every deck by its deck id was done several times per page.
    deck_card_indices: Vec<Vec<usize>>,
    /// Per deck: what its dashboard row shows whatever the learner.
    facts: Vec<DeckFacts>,
    /// Per card (same index as `cards`): its era's index in its deck's `eras`.
    card_eras: Vec<Option<usize>>,
    /// Per card (same index as `cards`): its place among its deck's cards (`deck_cards`),
    /// and its deck's index (`usize::MAX` for none).
    card_slots: Vec<usize>,
    card_decks: Vec<usize>,
    /// Each learner's order of a deck's new cards, by (deck index, learner's seed): it
    /// depends on the deck's cards and the seed only, yet the study queue built it afresh
    /// on every page and after every answer (a tenth of the server's CPU per answer in the
    /// load benchmark's profile). 4 bytes a card: ~10 MiB when full at ~600 cards a deck.
    new_card_orders: Kept<(usize, u64), Positions>,
    /// Questions lately drawn, by (card index, seed): the study page draws one and the
    /// answer form that comes back draws the same one to grade it (generation was a tenth
    /// of the CPU per answer).
    questions: Kept<(usize, u64), Option<Arc<Question>>>,
    /// Decks teachers uploaded, each to its owner's user id. Shipped decks are not in it.
    owners: HashMap<DeckId, UserId>,
}

/// One deck's cards by place; see [`Catalog::deck_places`].
pub struct DeckPlaces<'a> {
    catalog: &'a Catalog,
    deck: usize,
}

impl<'a> DeckPlaces<'a> {
    /// The card's place among the deck's cards; `None` when no deck offers it now or it
    /// is another deck's.
    pub fn place(&self, card_id: &str) -> Option<usize> {
        let &i = self.catalog.card_index.get(card_id)?;
        (self.catalog.card_decks[i] == self.deck).then(|| self.catalog.card_slots[i])
    }

    /// The deck's card in `place`.
    pub fn card(&self, place: usize) -> Option<&'a CardSpec> {
        let c = self.catalog;
        c.deck_card_indices[self.deck]
            .get(place)
            .map(|&i| &c.cards[i])
    }
}

/// Position of each of a deck's cards (in the deck's card order) in a learner's order.
pub type Positions = Arc<[u32]>;

impl Catalog {
    pub fn load(dir: &Path) -> Result<Catalog, DatasetErrors> {
        Ok(Catalog::from_decks(dataset::load_dir(dir)?))
    }

    pub fn from_decks(decks: Vec<Deck>) -> Catalog {
        let cards: Vec<CardSpec> = decks.iter().flat_map(questions::cards).collect();
        Catalog::from_parts(decks, cards)
    }

    /// This catalog with `deck` uploaded by `owner` added, or put in place of its earlier
    /// version. Only the new deck's cards are drawn up; the others are kept as they are.
    pub fn with_uploaded(&self, deck: Deck, owner: UserId) -> Catalog {
        self.with_uploads(vec![(deck, owner)])
    }

    /// [`Catalog::with_uploaded`] for several decks at once (start-up loads them all).
    pub fn with_uploads(&self, uploads: Vec<(Deck, UserId)>) -> Catalog {
        let replaced = |id: &str| uploads.iter().any(|(d, _)| d.id == id);
        let mut decks: Vec<Deck> = Vec::with_capacity(self.decks.len() + uploads.len());
        let mut cards: Vec<CardSpec> = Vec::with_capacity(self.cards.len());
        for d in self.decks.iter().filter(|d| !replaced(&d.id)) {
            decks.push(d.clone());
            cards.extend(self.deck_cards(&d.id).cloned());
        }
        let mut owners = self.owners.clone();
        for (deck, owner) in uploads {
            cards.extend(questions::cards(&deck));
            owners.insert(deck.id.clone(), owner);
            decks.push(deck);
        }
        let mut catalog = Catalog::from_parts(decks, cards);
        catalog.owners = owners;
        catalog
    }

    fn from_parts(decks: Vec<Deck>, cards: Vec<CardSpec>) -> Catalog {
        let card_index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let deck_index: foldhash::HashMap<DeckId, usize> = decks
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let mut deck_card_indices = vec![Vec::new(); decks.len()];
        let mut card_slots = vec![0; cards.len()];
        let mut card_decks = vec![usize::MAX; cards.len()];
        for (i, c) in cards.iter().enumerate() {
            if let Some(&d) = deck_index.get(&c.deck_id) {
                card_slots[i] = deck_card_indices[d].len();
                card_decks[i] = d;
                deck_card_indices[d].push(i);
            }
        }
        let mut card_eras = vec![None; cards.len()];
        let facts = decks
            .iter()
            .zip(&deck_card_indices)
            .map(|(deck, indices)| {
                let own: Vec<&CardSpec> = indices.iter().map(|&i| &cards[i]).collect();
                let (facts, eras) = DeckFacts::of(deck, &own);
                for (&i, era) in indices.iter().zip(eras) {
                    card_eras[i] = era;
                }
                facts
            })
            .collect();
        Catalog {
            prepared: cards.iter().map(|_| Prepared::default()).collect(),
            decks,
            cards,
            card_index,
            deck_index,
            deck_card_indices,
            facts,
            card_eras,
            card_slots,
            card_decks,
            new_card_orders: Kept::new(4096),
            questions: Kept::new(1024),
            owners: HashMap::new(),
        }
    }

    /// A copy holding only the decks `keep` accepts (and their cards).
    pub fn only(&self, keep: impl Fn(&Deck) -> bool) -> Catalog {
        let decks: Vec<Deck> = self.decks.iter().filter(|d| keep(d)).cloned().collect();
        let cards = decks
            .iter()
            .flat_map(|d| self.deck_cards(&d.id).cloned())
            .collect();
        let mut catalog = Catalog::from_parts(decks, cards);
        catalog.owners = self
            .owners
            .iter()
            .filter(|(id, _)| catalog.deck_index.contains_key(*id))
            .map(|(id, o)| (id.clone(), *o))
            .collect();
        catalog
    }

    /// The teacher who uploaded the deck; `None` for a shipped deck (or no deck).
    pub fn owner(&self, deck_id: &str) -> Option<UserId> {
        self.owners.get(deck_id).copied()
    }

    /// True when some teacher has uploaded a deck, so deck lists must be filtered per user.
    pub fn has_uploads(&self) -> bool {
        !self.owners.is_empty()
    }

    /// The shipped decks (everyone may see them), in catalog order.
    pub fn shipped(&self) -> impl Iterator<Item = &Deck> {
        self.decks
            .iter()
            .filter(|d| !self.owners.contains_key(&d.id))
    }

    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.deck_index.get(id).map(|&i| &self.decks[i])
    }

    pub fn card(&self, id: &str) -> Option<&CardSpec> {
        self.card_index.get(id).map(|&i| &self.cards[i])
    }

    pub fn deck_cards<'a>(&'a self, deck_id: &'a str) -> impl Iterator<Item = &'a CardSpec> + 'a {
        self.deck_index
            .get(deck_id)
            .into_iter()
            .flat_map(|&d| self.deck_card_indices[d].iter().map(|&i| &self.cards[i]))
    }

    /// The deck's cards by their place among [`deck_cards`](Self::deck_cards), and each
    /// card's place: for walking a learner's states of one deck with one lookup a state.
    pub fn deck_places(&self, deck_id: &str) -> Option<DeckPlaces<'_>> {
        let &deck = self.deck_index.get(deck_id)?;
        Some(DeckPlaces {
            catalog: self,
            deck,
        })
    }

    /// What the deck's dashboard row shows whatever the learner; `None` for no such deck.
    pub fn facts(&self, deck_id: &str) -> Option<&DeckFacts> {
        self.deck_index.get(deck_id).map(|&d| &self.facts[d])
    }

    /// The index of the card's era in its deck's `eras`; `None` for no era or no such card.
    /// The card's deck (its index in `decks`) and era (its index in that deck's `eras`), in
    /// one lookup; `None` when no deck offers the card now.
    pub fn card_deck_era(&self, card_id: &str) -> Option<(usize, Option<usize>)> {
        let &i = self.card_index.get(card_id)?;
        let deck = self.card_decks[i];
        (deck != usize::MAX).then(|| (deck, self.card_eras[i]))
    }

    pub fn card_era(&self, card_id: &str) -> Option<usize> {
        self.card_index
            .get(card_id)
            .and_then(|&i| self.card_eras[i])
    }

    /// The learner's order of every card of the deck ([`deck_cards`](Self::deck_cards)
    /// order), for `seed`: built by `build` from those cards the first time, then kept for
    /// as long as this catalog serves. `None` for no such deck.
    pub fn new_card_positions(
        &self,
        deck_id: &str,
        seed: u64,
        build: impl FnOnce(&[&CardSpec]) -> Vec<u32>,
    ) -> Option<Positions> {
        let &d = self.deck_index.get(deck_id)?;
        Some(self.new_card_orders.get_or_build((d, seed), || {
            let cards: Vec<&CardSpec> = self.deck_cards(deck_id).collect();
            build(&cards).into()
        }))
    }

    /// How many learners' orders of new cards this catalog keeps (for tests).
    pub fn kept_orders(&self) -> usize {
        self.new_card_orders.len()
    }

    /// The question for a card id, drawn with `seed`; `None` for a card no deck offers now.
    pub fn question(&self, card_id: &str, seed: u64) -> Option<Question> {
        let i = *self.card_index.get(card_id)?;
        let card = &self.cards[i];
        questions::generate_with(self.deck(&card.deck_id)?, card, seed, &self.prepared[i])
    }

    /// [`question`](Self::question), shared and kept a while for the answer that follows.
    pub fn question_kept(&self, card_id: &str, seed: u64) -> Option<Arc<Question>> {
        let i = *self.card_index.get(card_id)?;
        self.questions
            .get_or_build((i, seed), || self.question(card_id, seed).map(Arc::new))
    }
}

/// The catalog the running app serves. Uploading a deck swaps in a new catalog; a request
/// keeps the one it started with, so it never sees half a change.
pub struct Live {
    current: RwLock<Arc<Catalog>>,
    writer: Mutex<()>,
}

impl Live {
    pub fn new(catalog: Catalog) -> Live {
        Live {
            current: RwLock::new(Arc::new(catalog)),
            writer: Mutex::new(()),
        }
    }

    /// The catalog as it is now.
    pub fn now(&self) -> Arc<Catalog> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Held by whoever stores a deck and then swaps the catalog, so that two uploads at once
    /// reach the catalog in the order they reached the database. Readers never wait on it.
    pub fn writer(&self) -> MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts `change(current)` in place, one writer at a time.
    pub fn update(&self, change: impl FnOnce(&Catalog) -> Catalog) {
        let mut guard = self.current.write().unwrap_or_else(|e| e.into_inner());
        let next = change(&guard);
        *guard = Arc::new(next);
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
                let seed = seed_for(UserId(user), &card.id, 0);
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

    fn hundred_years(extra: &str) -> Deck {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/teacher/hundred-years.toml");
        let text = std::fs::read_to_string(&file).unwrap() + extra;
        dataset::parse_deck(&file, &text).unwrap()
    }

    const FORMIGNY: &str = "[[event]]\nid = \"formigny\"\ndate = \"1450-04-15\"\n\
        title = \"Normandy is won back\"\nsummary = \"French cannon routed an English army.\"\n\
        era = \"lancastrian\"\n[[event.source]]\ndocument = \"notes.txt\"\n\
        quote = \"at Formigny on 15 April 1450\"\n";

    /// What the catalog keeps per deck (the dashboard's facts) and per learner (their order
    /// of new cards) belongs to one version of the decks: a new version of a deck comes with
    /// facts counted from its own cards and with no order kept from the old one.
    #[test]
    fn a_new_deck_version_brings_its_own_facts_and_no_kept_order() {
        let v1 = Catalog::from_decks(Vec::new()).with_uploaded(hundred_years(""), UserId(1));
        let id = v1.decks[0].id.clone();
        let cards_v1 = v1.deck_cards(&id).count();
        assert_eq!(v1.facts(&id).unwrap().cards, cards_v1);
        let seed = 42;
        let order = v1
            .new_card_positions(&id, seed, |cards| crate::srs::queue::positions(cards, seed))
            .unwrap();
        assert_eq!(order.len(), cards_v1);
        assert_eq!(v1.kept_orders(), 1);

        let v2 = v1.with_uploaded(hundred_years(FORMIGNY), UserId(1));
        assert_eq!(
            v2.kept_orders(),
            0,
            "no order is carried over to a new version"
        );
        let cards_v2 = v2.deck_cards(&id).count();
        assert!(cards_v2 > cards_v1);
        let facts = v2.facts(&id).unwrap();
        assert_eq!(facts.cards, cards_v2);
        let lancastrian = v2.decks[0].eras.iter().position(|e| e.id == "lancastrian");
        let formigny = v2
            .deck_cards(&id)
            .find(|c| c.subject_id.ends_with("formigny"))
            .unwrap();
        assert_eq!(
            v2.card_era(&formigny.id),
            lancastrian,
            "the new event's card is in its era"
        );
        assert_eq!(
            facts.era_cards.iter().sum::<usize>(),
            cards_v2,
            "every card of this deck has an era"
        );
        let order = v2
            .new_card_positions(&id, seed, |cards| crate::srs::queue::positions(cards, seed))
            .unwrap();
        assert_eq!(order.len(), cards_v2);
    }
}
