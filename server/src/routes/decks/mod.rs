//! Decks as pages: the list a user may see, one deck's page and its downloads. A teacher's
//! upload (a new deck or a new version) is in [`upload_form`].

mod upload_form;
pub use upload_form::{new_form, upload_new, upload_version, version_form};

use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::catalog::Catalog;
use crate::dataset::Deck;
use crate::db::{self, users::Role};
use crate::ids::DeckId;
use crate::routes::deck_access::{decks_of, may_see};
use crate::routes::state::AppState;
use crate::upload;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;

/// A request body past this is not read further: the page says the file is too big.
const HARD_CAP: usize = 4 * upload::MAX_BYTES;

pub struct DeckRow {
    pub id: DeckId,
    pub title: String,
    pub events: usize,
    pub cards: usize,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "decks.html")]
struct DecksPage {
    page: PageCtx,
    is_teacher: bool,
    decks: Vec<DeckRow>,
}

/// `GET /decks`: every deck the user may see, with its downloads; a teacher's upload link.
pub async fn list(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let decks = decks_of(&state, &catalog, user.id)
        .await?
        .into_iter()
        .map(|d| DeckRow {
            id: d.id.clone(),
            title: d.title.clone(),
            events: d.events.len(),
            cards: catalog.deck_cards(&d.id).count(),
            mine: catalog.owner(&d.id) == Some(user.id),
        })
        .collect();
    html(&DecksPage {
        page: user.page_ctx(),
        is_teacher: user.role == Role::Teacher,
        decks,
    })
}

pub struct EventRow {
    pub date: String,
    pub title: String,
    pub era: String,
    pub place: String,
}

fn event_rows(deck: &Deck) -> Vec<EventRow> {
    deck.events
        .iter()
        .map(|e| EventRow {
            date: crate::questions::fair::when(&e.date, e.end_date.as_ref()),
            title: e.title.clone(),
            era: deck.era(&e.era).map_or(e.era.clone(), |x| x.title.clone()),
            place: e.place.clone().unwrap_or_default(),
        })
        .collect()
}

pub struct ClassLink {
    pub id: crate::ids::ClassId,
    pub name: String,
}

#[derive(Template)]
#[template(path = "deck.html")]
struct DeckPage {
    page: PageCtx,
    id: DeckId,
    title: String,
    description: String,
    events: Vec<EventRow>,
    cards: usize,
    mine: bool,
    version: i64,
    classes: Vec<ClassLink>,
}

/// The deck `id` when the (maybe signed-out) visitor may see it; 404 otherwise. A visitor
/// who is not signed in sees only the shipped decks.
async fn visible_deck<'a>(
    state: &AppState,
    catalog: &'a Catalog,
    user: Option<&CurrentUser>,
    id: &str,
) -> Result<&'a Deck, PageError> {
    let allowed = match user {
        Some(u) => may_see(state, catalog, u.id, id).await?,
        None => catalog.deck(id).is_some() && catalog.owner(id).is_none(),
    };
    if !allowed {
        return Err(PageError::NotFound);
    }
    catalog.deck(id).ok_or(PageError::NotFound)
}

/// `GET /decks/{id}`: the deck's events; for its teacher, assigning it and a new version.
pub async fn show(
    user: MaybeUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let Some(user) = user.0 else {
        return Err(PageError::NotFound);
    };
    let catalog = state.catalog();
    let deck = visible_deck(&state, &catalog, Some(&user), &path).await?;
    let mine = catalog.owner(&deck.id) == Some(user.id);
    let (version, classes) = if mine {
        let (id, teacher) = (deck.id.clone(), user.id);
        db::run(&state.pool, move |conn| {
            let version = db::teacher_decks::get(conn, &id)?.map_or(0, |s| s.version);
            let classes = db::classes::of_teacher(conn, teacher)?
                .into_iter()
                .filter(|s| !s.class.archived)
                .map(|s| ClassLink {
                    id: s.class.id,
                    name: s.class.name,
                })
                .collect();
            Ok((version, classes))
        })
        .await?
    } else {
        (0, Vec::new())
    };
    html(&DeckPage {
        page: user.page_ctx(),
        id: deck.id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        events: event_rows(deck),
        cards: catalog.deck_cards(&deck.id).count(),
        mine,
        version,
        classes,
    })
}

/// `GET /decks/{id}/deck.toml`: the deck file as it was written (a shipped deck's file, or
/// the file its teacher uploaded), so uploading it again gives the same deck.
pub async fn download_toml(
    user: MaybeUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let deck = visible_deck(&state, &catalog, user.0.as_ref(), &path).await?;
    let (id, file) = (deck.id.clone(), deck.source_file.clone());
    let uploaded = catalog.owner(&id).is_some();
    let (name, text) = if uploaded {
        db::run(&state.pool, move |conn| {
            Ok(db::teacher_decks::get(conn, &id)?.map(|s| (s.file_name, s.source_text)))
        })
        .await?
        .ok_or(PageError::NotFound)?
    } else {
        let text = web::block(move || std::fs::read_to_string(&file))
            .await
            .map_err(|e| PageError::Unexpected(anyhow::anyhow!("{e}")))?
            .map_err(|e| PageError::Unexpected(anyhow::anyhow!("reading the deck file: {e}")))?;
        let name = deck
            .source_file
            .file_name()
            .map_or("deck.toml".into(), |n| n.to_string_lossy().into_owned());
        (name, text)
    };
    let text = upload::as_toml(&name, &text).map_err(|e| {
        PageError::Unexpected(anyhow::anyhow!("a stored deck no longer converts: {e}"))
    })?;
    let name = download_name(&name, "toml");
    Ok(HttpResponse::Ok()
        .content_type("application/toml; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(text))
}

/// `GET /decks/{id}/deck.csv`: the deck as CSV: the file its teacher uploaded when that was
/// CSV, else written from the deck (events, their sources and figures, eras, documents).
pub async fn download_csv(
    user: MaybeUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let deck = visible_deck(&state, &catalog, user.0.as_ref(), &path).await?;
    let id = deck.id.clone();
    let uploaded = catalog.owner(&id).is_some();
    let stored = if uploaded {
        db::run(&state.pool, move |conn| db::teacher_decks::get(conn, &id)).await?
    } else {
        None
    };
    let (name, text) = match stored {
        Some(s) if upload::is_csv(&s.file_name) => (s.file_name, s.source_text),
        other => {
            let name = other.map_or_else(
                || {
                    deck.source_file
                        .file_name()
                        .map_or("deck".into(), |n| n.to_string_lossy().into_owned())
                },
                |s| s.file_name,
            );
            let strip = if uploaded {
                format!("{}.", deck.id)
            } else {
                String::new()
            };
            (name, crate::dataset::csv_deck::write(deck, &strip))
        }
    };
    let name = download_name(&name, "csv");
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(text))
}

/// A file name safe in a header: letters, digits, `-` and `_`, then `.ext`.
fn download_name(name: &str, ext: &str) -> String {
    let stem = name
        .strip_suffix(".toml")
        .or_else(|| name.strip_suffix(".csv"))
        .unwrap_or(name);
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
    let safe = if safe.is_empty() { "deck".into() } else { safe };
    format!("{safe}.{ext}")
}
