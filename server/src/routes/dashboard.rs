//! The signed-in home page: decks with due and new counts, today's progress, streak, and
//! mastery by era.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::clock::now;
use crate::db::users::Role;
use crate::db::{self, study as store};
use crate::questions::Kind;
use crate::routes::classes::report::{MyAssignment, my_assignments};
use crate::routes::state::AppState;
use crate::srs::{CardState, Phase};
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use std::collections::HashMap;

/// A card counts as mastered once FSRS expects it to last three weeks.
const MASTERED_STABILITY: f32 = 21.0;

pub struct EraRow {
    pub id: String,
    pub title: String,
    /// Seen cards of the era due now, and cards not seen yet: what is left to study.
    pub due: usize,
    pub unseen: usize,
    pub total: usize,
    pub seen: usize,
    pub mastered: usize,
    pub mastered_percent: usize,
}

pub struct DeckRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub due: usize,
    pub new: usize,
    pub seen: usize,
    pub total: usize,
    pub eras: Vec<EraRow>,
    pub tags: Vec<String>,
    pub kinds: Vec<KindChoice>,
}

/// A kind of question the learner can tick, with how many of the deck's cards ask it.
pub struct KindChoice {
    pub id: &'static str,
    pub label: String,
    pub cards: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    display_name: String,
    /// No answer yet, ever: greeted as new, not "welcome back".
    first_visit: bool,
    answered_today: i64,
    right_today: i64,
    streak: i64,
    missed: usize,
    decks: Vec<DeckRow>,
    is_teacher: bool,
    assignments: Vec<MyAssignment>,
    /// Unfinished assignments: when there are any, theirs is the primary "Study" button.
    open_assignments: usize,
}

fn deck_row(
    catalog: &Catalog,
    deck: &crate::dataset::Deck,
    states: &HashMap<String, CardState>,
    new_allowed: usize,
    now: i64,
) -> DeckRow {
    let cards: Vec<_> = catalog.deck_cards(&deck.id).collect();
    // Each card's era, looked up once: finding events by id for every era and every card
    // was a third of the dashboard's CPU (load benchmark profile).
    let event_era: HashMap<&str, &str> = deck
        .events
        .iter()
        .map(|e| (e.id.as_str(), e.era.as_str()))
        .collect();
    let quote_event: HashMap<&str, &str> = deck
        .quotes
        .iter()
        .filter_map(|q| Some((q.id.as_str(), q.event.as_deref()?)))
        .collect();
    let era_of = |subject: &str, kind: Kind| -> Option<&str> {
        let event_id = if kind == Kind::Speaker {
            quote_event.get(subject)?
        } else {
            subject
        };
        event_era.get(event_id).copied()
    };
    let card_eras: Vec<Option<&str>> = cards
        .iter()
        .map(|c| era_of(&c.subject_id, c.kind))
        .collect();
    let mastered = |s: &CardState| s.phase == Phase::Review && s.stability >= MASTERED_STABILITY;
    let eras = deck
        .eras
        .iter()
        .map(|era| {
            let in_era: Vec<_> = cards
                .iter()
                .zip(&card_eras)
                .filter(|(_, e)| **e == Some(era.id.as_str()))
                .map(|(c, _)| c)
                .collect();
            let seen: Vec<&CardState> = in_era.iter().filter_map(|c| states.get(&c.id)).collect();
            let m = seen.iter().filter(|s| mastered(s)).count();
            EraRow {
                id: era.id.clone(),
                title: era.title.clone(),
                due: seen.iter().filter(|s| s.due <= now).count(),
                unseen: in_era.len() - seen.len(),
                total: in_era.len(),
                seen: seen.len(),
                mastered: m,
                mastered_percent: (m * 100).checked_div(in_era.len()).unwrap_or(0),
            }
        })
        .collect();
    let unseen = cards.iter().filter(|c| !states.contains_key(&c.id)).count();
    let mut tags: Vec<String> = deck.events.iter().flat_map(|e| e.tags.clone()).collect();
    tags.sort();
    tags.dedup();
    let kinds = Kind::ALL
        .iter()
        .map(|k| KindChoice {
            id: k.as_str(),
            label: k.as_str().replace('_', " "),
            cards: cards.iter().filter(|c| c.kind == *k).count(),
        })
        .filter(|k| k.cards > 0)
        .collect();
    DeckRow {
        id: deck.id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        due: states.values().filter(|s| s.due <= now).count(),
        new: unseen.min(new_allowed),
        seen: states.len(),
        total: cards.len(),
        eras,
        tags,
        kinds,
    }
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog.clone();
    let user_id = user.id;
    let new_per_day = user.new_per_day;
    let now = now();
    let deck_ids: Vec<String> = catalog.decks.iter().map(|d| d.id.clone()).collect();
    let clock = user.clock.clone();
    let lookup = std::sync::Arc::clone(&catalog);
    let (states, started, (answered, right), days, missed, today) =
        db::run(&state.pool, move |conn| {
            // "Today" is the learner's day, in their zone, from their rollover hour.
            let today = clock.start_of_day(now);
            // One read of the learner's states, each put with its deck by the catalog: the
            // cards a deck offers now are exactly its unretired ones (the import retires the
            // rest), which `deck_states` asked SQLite to look up card by card.
            let mut states: HashMap<String, HashMap<String, CardState>> = deck_ids
                .iter()
                .map(|id| (id.clone(), HashMap::new()))
                .collect();
            for (card_id, state) in store::learner_states(conn, user_id)? {
                if let Some(deck) = lookup
                    .card(&card_id)
                    .and_then(|c| states.get_mut(&c.deck_id))
                {
                    deck.insert(card_id, state);
                }
            }
            Ok((
                states,
                store::new_cards_since(conn, user_id, today)?,
                store::answered_since(conn, user_id, today, None)?,
                store::study_days(conn, user_id, &clock, now)?,
                store::missed_count(conn, user_id)?,
                clock.day(now),
            ))
        })
        .await?;
    let new_allowed = (new_per_day - started).max(0) as usize;
    let is_teacher = user.role == Role::Teacher;
    let assignments = if is_teacher {
        Vec::new()
    } else {
        open_first(my_assignments(&state, user.id, None, &user.clock).await?)
    };
    let open_assignments = assignments.iter().filter(|a| a.is_open()).count();
    let empty = HashMap::new();
    let decks = catalog
        .decks
        .iter()
        .map(|d| {
            deck_row(
                &catalog,
                d,
                states.get(&d.id).unwrap_or(&empty),
                new_allowed,
                now,
            )
        })
        .collect();
    html(&DashboardPage {
        page: user.page_ctx(),
        display_name: user.display_name.clone(),
        first_visit: days.is_empty(),
        answered_today: answered,
        right_today: right,
        streak: crate::stats::streak(&days, today),
        missed,
        decks,
        is_teacher,
        assignments,
        open_assignments,
    })
}

/// A learner's assignments as the dashboard lists them: the unfinished ones first, soonest
/// due first (undated after dated), then the finished ones.
fn open_first(mut assignments: Vec<MyAssignment>) -> Vec<MyAssignment> {
    assignments.sort_by(|a, b| {
        (!a.is_open(), a.due_date.is_none(), &a.due_date, &a.title).cmp(&(
            !b.is_open(),
            b.due_date.is_none(),
            &b.due_date,
            &b.title,
        ))
    });
    assignments
}
