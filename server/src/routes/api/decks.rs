//! Deck download with a cursor (`GET /api/v1/decks`, `GET /api/v1/decks/{id}/cards`) and the
//! study pack the offline page studies from (`GET /api/v1/study-pack`).

use super::CardStateOut;
use crate::auth::api_user::ApiUser;
use crate::catalog::Catalog;
use crate::catalog::seed_for;
use crate::clock::Instant;
use crate::dataset::Deck;
use crate::db::{self, study as study_store, sync as sync_store, users};
use crate::ids::{CardId, DeckId};
use crate::questions::{Question, stable_hash};
use crate::routes::state::AppState;
use crate::srs::queue;
use crate::srs::{CardState, Presentation};
use crate::sync::cursor::Cursor;
use crate::web::api_error::{ApiError, ErrorBody};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const DAY: i64 = 86_400;
/// How far ahead the study pack reaches by default, and at most.
const PACK_DAYS: i64 = 3;
const MAX_PACK_DAYS: i64 = 30;

/// The version of a deck's content: changes whenever the dataset behind it changes.
pub fn deck_version(deck: &Deck) -> u64 {
    stable_hash(&[&serde_json::to_string(deck).unwrap_or_default()])
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeckOut {
    #[schema(value_type = String)]
    pub id: DeckId,
    pub title: String,
    pub description: String,
    pub cards: usize,
    /// Changes whenever the deck's events or cards change.
    pub version: String,
}

fn deck_out(catalog: &Catalog, deck: &Deck) -> DeckOut {
    DeckOut {
        id: deck.id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        cards: catalog.deck_cards(&deck.id).count(),
        version: format!("{:016x}", deck_version(deck)),
    }
}

/// Every deck you can study.
#[utoipa::path(
    get,
    path = "/api/v1/decks",
    tag = "decks",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The decks", body = [DeckOut]),
        (status = 401, description = "No live credentials", body = ErrorBody),
    )
)]
pub async fn list(user: ApiUser, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let c = &state.catalog();
    let decks: Vec<DeckOut> = crate::routes::deck_access::decks_of(&state, c, user.id)
        .await?
        .into_iter()
        .map(|d| deck_out(c, d))
        .collect();
    Ok(HttpResponse::Ok().json(decks))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QuestionOut {
    pub prompt: String,
    /// Empty for flashcards.
    pub choices: Vec<String>,
    pub answer_index: Option<usize>,
    /// The right answer as shown to the learner.
    pub answer: String,
    /// Whether a typed answer can be checked (by the server's rules).
    pub accepts_typed: bool,
    /// Chronology only: the events to place, in the order shown, each with its right
    /// `position` (1 for the earliest) and its date (`when`); right when every one is placed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<OrderItemOut>,
}

/// One event of a chronology, in the order shown.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrderItemOut {
    pub event_id: String,
    pub title: String,
    /// Its date or span as learners read it ("1981–1982").
    pub when: String,
    /// Its right place, 1 for the earliest.
    pub position: usize,
}

impl From<Question> for QuestionOut {
    fn from(q: Question) -> Self {
        QuestionOut {
            prompt: q.prompt,
            choices: q.choices,
            answer_index: q.answer_index,
            answer: q.answer,
            accepts_typed: q.accepts_typed,
            items: q
                .items
                .into_iter()
                .map(|i| OrderItemOut {
                    event_id: i.event_id.into_string(),
                    title: i.title,
                    when: i.when,
                    position: i.position,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CardOut {
    /// `event-id/kind`, stable across dataset edits.
    #[schema(value_type = String)]
    pub id: CardId,
    pub kind: String,
    pub event_ids: Vec<String>,
    /// Drawn for you: the same until you answer the card.
    pub question: QuestionOut,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EventOut {
    pub id: String,
    pub title: String,
    /// ISO, as precise as the sources (`1979`, `1979-01`, `1979-01-07`).
    pub date: String,
    pub place: Option<String>,
    pub summary: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DeckCards {
    pub deck: DeckOut,
    /// True when your cursor already holds this version of the deck: `cards` and `events`
    /// are then empty.
    pub cards_unchanged: bool,
    pub cards: Vec<CardOut>,
    pub events: Vec<EventOut>,
    /// Your states for this deck's cards changed since the cursor.
    pub states: Vec<CardStateOut>,
    /// Send as `cursor` next time you download this deck.
    pub cursor: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CursorQuery {
    /// From your last download of this deck; absent (or empty) the first time.
    #[param(pattern = r"^(c[0-9]{1,18}(-d[0-9a-fA-F]{16})?)?$")]
    pub cursor: Option<String>,
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    raw.filter(|c| !c.is_empty())
        .map(Cursor::parse)
        .transpose()
        .map_err(|e| ApiError::BadRequest("bad_cursor", e.to_string()))
}

/// The deck `id` when the user may see it (an uploaded deck is its teacher's and their
/// classes'); 404 otherwise, the same as for no such deck.
async fn find_deck<'a>(
    state: &AppState,
    catalog: &'a Catalog,
    user_id: crate::ids::UserId,
    id: &str,
) -> Result<&'a Deck, ApiError> {
    let not_found = || ApiError::NotFound(format!("no deck {id:?}"));
    if !crate::routes::deck_access::may_see(state, catalog, user_id, id).await? {
        return Err(not_found());
    }
    catalog.deck(id).ok_or_else(not_found)
}

/// A deck's cards with their questions, its events, and your states changed since a cursor.
#[utoipa::path(
    get,
    path = "/api/v1/decks/{id}/cards",
    tag = "decks",
    params(("id" = String, Path, description = "The deck's id"), CursorQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Cards (unless unchanged) and changed states", body = DeckCards),
        (status = 400, description = "`bad_cursor`", body = ErrorBody),
        (status = 401, description = "No live credentials", body = ErrorBody),
        (status = 404, description = "No such deck", body = ErrorBody),
    )
)]
pub async fn cards(
    user: ApiUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<CursorQuery>,
) -> Result<HttpResponse, ApiError> {
    let catalog = state.catalog();
    let deck = find_deck(&state, &catalog, user.id, &path).await?.clone();
    let cursor = parse_cursor(query.cursor.as_deref())?;
    let version = deck_version(&deck);
    let unchanged = cursor.and_then(|c| c.deck_version) == Some(version);
    let (user_id, deck_id) = (user.id, deck.id.clone());
    let (states, changed, seq) = db::run(&state.pool, move |conn| {
        let seq = sync_store::current_seq(conn, user_id)?;
        let since = Cursor::since(cursor, seq);
        let states = study_store::deck_states(conn, user_id, &deck_id)?;
        let changed = sync_store::changed_since(conn, user_id, since)?;
        Ok((states, changed, seq))
    })
    .await?;
    let cards = if unchanged {
        Vec::new()
    } else {
        catalog
            .deck_cards(&deck.id)
            .filter_map(|c| {
                let reps = states.get(&c.id).map_or(0, |s| s.reps);
                let q = catalog.question(&c.id, seed_for(user.id, &c.id, reps))?;
                Some(CardOut {
                    id: c.id.clone(),
                    kind: c.kind.as_str().to_string(),
                    event_ids: q.event_ids.iter().map(ToString::to_string).collect(),
                    question: q.into(),
                })
            })
            .collect()
    };
    let events = if unchanged {
        Vec::new()
    } else {
        deck.events
            .iter()
            .map(|e| EventOut {
                id: e.id.to_string(),
                title: e.title.clone(),
                date: e.date.to_string(),
                place: e.place.clone(),
                summary: e.summary.clone(),
            })
            .collect()
    };
    let states = changed
        .into_iter()
        .filter(|c| {
            catalog
                .card(&c.card_id)
                .is_some_and(|s| s.deck_id == deck.id)
        })
        .map(CardStateOut::from)
        .collect();
    let cursor = Cursor {
        seq,
        deck_version: Some(version),
    };
    Ok(HttpResponse::Ok().json(DeckCards {
        deck: deck_out(&catalog, &deck),
        cards_unchanged: unchanged,
        cards,
        events,
        states,
        cursor: cursor.to_string(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackQuery {
    /// The deck; the first deck when absent.
    pub deck: Option<String>,
    /// Include cards due within this many days (default 3); 0 to 30, else `invalid_request`.
    #[param(minimum = 0, maximum = 30)]
    pub days: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PackCard {
    pub card_id: String,
    pub kind: String,
    /// `multiple_choice` or `flashcard`: offline, typed questions are asked as multiple
    /// choice, since only the server checks typed answers.
    pub presentation: String,
    pub question: QuestionOut,
    /// Unix seconds; absent for a new card.
    pub due: Option<i64>,
    /// The event the card is about, to show beside the answer.
    pub event_title: Option<String>,
    /// Its date, or its span ("1981–1982") when it has an end date.
    pub event_date: Option<String>,
    /// Where the answer comes from: the article's title, publisher and date, and the quote.
    pub sources: Vec<PackSource>,
    /// Every event the question is about (a chronology has several), as the result page
    /// shows them beside the answer: date, place, summary and where the sources disagree.
    pub events: Vec<PackEvent>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PackEvent {
    pub title: String,
    /// Its date, or its span ("1981–1982").
    pub date: String,
    pub place: Option<String>,
    pub summary: String,
    pub disputes: Vec<PackDispute>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PackDispute {
    pub note: String,
    pub sources: Vec<PackSource>,
}

fn pack_event(deck: &Deck, e: &crate::dataset::Event) -> PackEvent {
    PackEvent {
        title: e.title.clone(),
        date: crate::questions::when::when(e),
        place: e.place.clone(),
        summary: e.summary.clone(),
        disputes: e
            .disputes
            .iter()
            .map(|d| PackDispute {
                note: d.note.clone(),
                sources: d
                    .sources
                    .iter()
                    .map(|s| PackSource {
                        title: deck.citation(&s.document),
                        quote: s.quote.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PackSource {
    pub title: String,
    pub quote: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct StudyPack {
    pub deck: DeckOut,
    /// Unix milliseconds.
    #[schema(value_type = i64)]
    pub generated_at: Instant,
    /// Due cards first (most overdue first), then new cards up to today's allowance, then
    /// cards coming due within `days`.
    pub cards: Vec<PackCard>,
    pub cursor: String,
}

fn offline_presentation(q: &Question, state: Option<&CardState>) -> Presentation {
    match Presentation::choose(q.kind, state, false) {
        Presentation::Typed | Presentation::MultipleChoice
            if !q.choices.is_empty() || !q.items.is_empty() =>
        {
            Presentation::MultipleChoice
        }
        _ => Presentation::Flashcard,
    }
}

/// What to study offline: due and upcoming cards of a deck with the questions to ask.
#[utoipa::path(
    get,
    path = "/api/v1/study-pack",
    tag = "sync",
    params(PackQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The pack", body = StudyPack),
        (status = 400, description = "`invalid_request`: `days` outside 0-30 or not a number", body = ErrorBody),
        (status = 401, description = "No live credentials", body = ErrorBody),
        (status = 404, description = "No such deck", body = ErrorBody),
    )
)]
pub async fn study_pack(
    user: ApiUser,
    state: web::Data<AppState>,
    query: web::Query<PackQuery>,
) -> Result<HttpResponse, ApiError> {
    let catalog = state.catalog();
    let deck = match query.deck.as_deref().filter(|d| !d.is_empty()) {
        Some(id) => find_deck(&state, &catalog, user.id, id).await?,
        None => catalog
            .decks
            .first()
            .ok_or_else(|| ApiError::NotFound("there are no decks".into()))?,
    }
    .clone();
    let days = query.days.unwrap_or(PACK_DAYS);
    if !(0..=MAX_PACK_DAYS).contains(&days) {
        return Err(ApiError::invalid(format!(
            "days must be from 0 to {MAX_PACK_DAYS}"
        )));
    }
    let generated_at = Instant::now();
    let now = generated_at.secs();
    let (user_id, deck_id, per_day) = (user.id, deck.id.clone(), user.new_per_day);
    let (states, started_today, seq) = db::run(&state.pool, move |conn| {
        Ok((
            study_store::deck_states(conn, user_id, &deck_id)?,
            study_store::new_cards_since(
                conn,
                user_id,
                users::day_clock(conn, user_id)?.start_of_day(now),
            )?,
            sync_store::current_seq(conn, user_id)?,
        ))
    })
    .await?;
    let candidates = queue::candidates(
        catalog.deck_cards(&deck.id),
        &states,
        |_| true,
        queue::learner_seed(user.id),
    );
    let new_allowed = (per_day - started_today).max(0) as usize;
    let due_now = queue::plan(&candidates, now, new_allowed);
    let ahead = queue::plan(&candidates, now + days * DAY, 0);
    let mut order: Vec<&CardId> = due_now.due.clone();
    order.extend(&due_now.new);
    order.extend(ahead.due.iter().filter(|id| !due_now.due.contains(id)));
    let events: HashMap<&str, &crate::dataset::Event> =
        deck.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let cards = order
        .into_iter()
        .filter_map(|id| {
            let card_state = states.get(id);
            let q =
                catalog.question(id, seed_for(user.id, id, card_state.map_or(0, |s| s.reps)))?;
            let event = q.event_ids.first().and_then(|e| events.get(e.as_str()));
            Some(PackCard {
                card_id: id.to_string(),
                kind: q.kind.as_str().to_string(),
                presentation: offline_presentation(&q, card_state).as_str().to_string(),
                due: card_state.map(|s| s.due),
                event_title: event.map(|e| e.title.clone()),
                event_date: event.map(|e| crate::questions::when::when(e)),
                sources: q
                    .sources
                    .iter()
                    .map(|s| PackSource {
                        title: s.citation.clone(),
                        quote: s.quote.clone(),
                    })
                    .collect(),
                events: q
                    .event_ids
                    .iter()
                    .filter_map(|e| events.get(e.as_str()))
                    .map(|e| pack_event(&deck, e))
                    .collect(),
                question: q.into(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(StudyPack {
            deck: deck_out(&catalog, &deck),
            generated_at,
            cards,
            cursor: Cursor::at(seq).to_string(),
        }))
}
