//! Anki exports: `GET /decks/{id}/anki.apkg`, every card of a deck as new notes, and
//! `GET /account/anki.apkg`, the learner's own cards with their schedule and every answer
//! as Anki's review log. Built on a blocking thread ([`db::run`]), bounded in size.

use crate::anki::{self, Note, Package, notes, schedule};
use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::clock::{Instant, now};
use crate::dataset::Deck;
use crate::db::{self, history as store, history::LearnerHistory};
use crate::routes::deck_access;
use crate::routes::state::AppState;
use crate::srs::Scheduler;
use crate::web::error::PageError;
use actix_web::{HttpResponse, web};
use std::collections::HashMap;

/// The most notes one package holds: far above any deck (the shipped one has 413 cards).
/// Each note draws its question (about 45 ms a card in a debug build), so this also bounds
/// the time an export holds a blocking thread.
pub const MAX_NOTES: usize = 5_000;
/// The most answers a learner's export carries: about 60 bytes each in the collection.
pub const MAX_REVIEWS: i64 = 500_000;

/// The collection's first day: ten years back, so that no due day of an overdue card is
/// negative (Anki counts review days from it).
fn collection_start(days: &crate::srs::DayClock, t: i64) -> i64 {
    days.start(days.day(t) - 3650)
}

fn anki_deck(deck: &Deck) -> anki::Deck {
    anki::Deck {
        id: deck.id.to_string(),
        name: deck.title.clone(),
        description: deck.description.clone(),
    }
}

/// A file name of letters, digits and dashes.
fn file_name(stem: &str) -> String {
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}.apkg")
}

fn apkg_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes)
}

fn too_large(what: String) -> PageError {
    PageError::BadRequest(format!(
        "{what} Exports to Anki are limited to {MAX_NOTES} cards and {MAX_REVIEWS} answers."
    ))
}

/// Every card of `deck` as a new note, in deck order.
fn deck_notes(catalog: &Catalog, deck: &Deck) -> Vec<Note> {
    catalog
        .deck_cards(&deck.id)
        .filter_map(|card| {
            let q = catalog.question(&card.id, 0)?;
            Some((card, q))
        })
        .enumerate()
        .map(|(i, (card, q))| Note {
            fields: notes::fields(deck, card, &q),
            deck: 0,
            tags: notes::tags(deck, card),
            card: schedule::new_card(i as i64 + 1),
            revlog: Vec::new(),
        })
        .collect()
}

/// `GET /decks/{id}/anki.apkg`
pub async fn deck(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let catalog = state.catalog();
    // An uploaded deck is another teacher's business: 404, as on its other pages.
    if !deck_access::may_see(&state, &catalog, user.id, &id).await? {
        return Err(PageError::NotFound);
    }
    let clock = user.clock.clone();
    let built = web::block(move || {
        let deck = catalog.deck(&id).expect("checked above");
        // Counted before any question is drawn: drawing them is the slow part.
        let cards = catalog.deck_cards(&deck.id).count();
        if cards > MAX_NOTES {
            return Ok(Err(cards));
        }
        let notes = deck_notes(&catalog, deck);
        let t = now();
        let package = Package {
            decks: vec![anki_deck(deck)],
            notes,
            created_at: Instant::from_secs(t),
            collection_start: collection_start(&clock, t),
        };
        anki::write(&package).map(|bytes| Ok((file_name(&format!("chronicle-{id}")), bytes)))
    })
    .await
    .map_err(|e| PageError::Unexpected(e.into()))?
    .map_err(|e| PageError::Unexpected(e.into()))?;
    match built {
        Ok((name, bytes)) => {
            tracing::info!(bytes = bytes.len(), "deck exported for Anki");
            Ok(apkg_response(&name, bytes))
        }
        Err(n) => Err(too_large(format!("This deck has {n} cards."))),
    }
}

/// `GET /account/anki.apkg`: the cards the learner has studied, scheduled as they are in
/// Chronicle, with every answer. Cards of decks no longer loaded are left out (there is no
/// question to show); their answers stay in Chronicle.
pub async fn learner(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.id;
    let history = db::run(&state.pool, move |conn| {
        Ok(store::learner_history(conn, user_id, MAX_REVIEWS)?)
    })
    .await?
    .map_err(|n| too_large(format!("You have given {n} answers.")))?;
    // Only decks the learner may still see (not one of a class they have left).
    let catalog = deck_access::catalog_for(&state, user.id).await?;
    let username = user.username.clone();
    let built =
        web::block(move || learner_package(&catalog, history, MAX_NOTES).map(|p| anki::write(&p)))
            .await
            .map_err(|e| PageError::Unexpected(e.into()))?;
    let bytes = match built {
        Ok(written) => written.map_err(|e| PageError::Unexpected(e.into()))?,
        Err(n) => return Err(too_large(format!("You have studied {n} cards."))),
    };
    tracing::info!(
        user_id = %user_id,
        bytes = bytes.len(),
        "learner's cards exported for Anki"
    );
    Ok(apkg_response(
        &file_name(&format!("chronicle-{username}-cards")),
        bytes,
    ))
}

/// The learner's package: one Anki deck per Chronicle deck they studied; `Err` with the card
/// count when there are more than `max_notes`.
fn learner_package(
    catalog: &Catalog,
    history: LearnerHistory,
    max_notes: usize,
) -> Result<Package, usize> {
    let LearnerHistory {
        settings,
        states,
        answers,
    } = history;
    let scheduler = Scheduler::with(&settings);
    let mut by_card: HashMap<&str, Vec<schedule::Answer>> = HashMap::new();
    for a in &answers {
        by_card
            .entry(a.card_id.as_str())
            .or_default()
            .push(schedule::Answer {
                answered_at: a.answered_at,
                review: a.review,
                duration_ms: a.duration_ms,
            });
    }
    let studied = by_card.len().max(states.len());
    if studied > max_notes {
        return Err(studied);
    }
    let t = now();
    let collection_start = collection_start(&settings.days, t);
    let mut decks: Vec<anki::Deck> = Vec::new();
    let mut deck_index: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    // Deck order, then card order: the export reads like the decks.
    for card in &catalog.cards {
        let state = states.get(&card.id);
        let card_answers = by_card.get(card.id.as_str());
        if state.is_none() && card_answers.is_none() {
            continue;
        }
        let (Some(deck), Some(q)) = (catalog.deck(&card.deck_id), catalog.question(&card.id, 0))
        else {
            continue;
        };
        let index = *deck_index.entry(&deck.id).or_insert_with(|| {
            decks.push(anki_deck(deck));
            decks.len() - 1
        });
        let position = out.len() as i64 + 1;
        out.push(Note {
            fields: notes::fields(deck, card, &q),
            deck: index,
            tags: notes::tags(deck, card),
            card: state.map_or_else(
                || schedule::new_card(position),
                |s| schedule::card(s, &settings, collection_start),
            ),
            revlog: card_answers
                .map(|a| schedule::revlog(a, &scheduler, &settings.days))
                .unwrap_or_default(),
        });
    }
    Ok(Package {
        decks,
        notes: out,
        created_at: Instant::from_secs(t),
        collection_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{CardState, Phase, Settings};

    fn fixture() -> Catalog {
        Catalog::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions"),
        )
        .unwrap()
    }

    fn state(phase: Phase) -> CardState {
        CardState {
            stability: 3.0,
            difficulty: 5.0,
            due: 1_700_100_000,
            last_review: 1_700_000_000,
            reps: 2,
            lapses: 0,
            phase,
            step: 0,
        }
    }

    /// Studied cards only, in deck order; a card no deck offers any more is left out; past
    /// the limit, nothing is built and the count is told.
    #[test]
    fn a_learners_package_holds_their_studied_cards_within_the_limit() {
        let catalog = fixture();
        let ids: Vec<crate::ids::CardId> = catalog.cards.iter().map(|c| c.id.clone()).collect();
        let history = || LearnerHistory {
            settings: Settings::default(),
            states: HashMap::from([
                (ids[4].clone(), state(Phase::Review)),
                (ids[1].clone(), state(Phase::Learning)),
                ("retired-event/date".into(), state(Phase::Review)),
            ]),
            answers: Vec::new(),
        };
        assert_eq!(learner_package(&catalog, history(), 2).unwrap_err(), 3);
        let p = learner_package(&catalog, history(), 3).unwrap();
        let exported: Vec<&str> = p.notes.iter().map(|n| n.fields.card_id.as_str()).collect();
        assert_eq!(exported, [ids[1].as_str(), ids[4].as_str()]);
        assert_eq!(p.decks.len(), 1);
        assert_eq!((p.notes[0].card.kind, p.notes[1].card.kind), (1, 2));
    }
}
