//! A teacher's upload (a new deck or a new version): form, preview, confirm. Nothing is
//! stored until the teacher confirms a deck that loads and passes the lint as a whole.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::clock::now;
use crate::dataset::Deck;
use crate::db::{self, users::Role};
use crate::ids::DeckId;
use crate::questions::{Kind, Question};
use crate::routes::state::AppState;
use crate::upload::{self, Problem as DeckProblem};
use crate::web::error::PageError;
use crate::web::form::Problem;
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, with_status};
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use futures_util::StreamExt;

/// A request body past this is not read further: the page says the file is too big.
use super::{EventRow, HARD_CAP, event_rows};

/// What an upload form sends (multipart: it carries a file).
#[derive(Default)]
struct UploadForm {
    csrf_token: String,
    file_name: String,
    text: String,
    /// "yes" on the preview's form: store the deck.
    confirm: bool,
    /// The key the preview drew for a new deck, so the stored deck is the one previewed.
    key: String,
    /// The size of a file past [`upload::MAX_BYTES`].
    too_big: Option<usize>,
}

fn unreadable(e: impl std::fmt::Display) -> PageError {
    PageError::BadRequest(format!("The upload could not be read: {e}"))
}

async fn read_upload(mut payload: Multipart) -> Result<UploadForm, PageError> {
    let mut form = UploadForm::default();
    let mut total = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(unreadable)?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let mut bytes: Vec<u8> = Vec::new();
        let mut size = 0usize;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(unreadable)?;
            size += chunk.len();
            total += chunk.len();
            if total > HARD_CAP {
                form.too_big = Some(total);
                return Ok(form);
            }
            // Past the limit the rest is read and dropped, so the reply reaches the browser.
            if size <= upload::MAX_BYTES {
                bytes.extend_from_slice(&chunk);
            }
        }
        let value = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "csrf_token" => form.csrf_token = value(),
            "confirm" => form.confirm = value() == "yes",
            "key" => form.key = value(),
            "file_name" if form.file_name.is_empty() => form.file_name = value(),
            "file" | "text" if size > upload::MAX_BYTES => form.too_big = Some(size),
            "file" if size > 0 => {
                form.text = String::from_utf8(bytes).map_err(|_| {
                    PageError::BadRequest("The deck file must be UTF-8 text.".into())
                })?;
                form.file_name = file_name.unwrap_or_default();
            }
            // A file chosen wins over text pasted beside it.
            "text" if form.text.is_empty() => form.text = value().replace("\r\n", "\n"),
            _ => {}
        }
    }
    if form.file_name.trim().is_empty() {
        form.file_name = if upload::looks_like_csv(&form.text) {
            "deck.csv".into()
        } else {
            "deck.toml".into()
        };
    }
    Ok(form)
}

#[derive(Template)]
#[template(path = "deck_upload.html")]
struct UploadPage {
    page: PageCtx,
    heading: String,
    action: String,
    /// The deck a new version replaces, for the crumbs.
    replaces: Option<(DeckId, String)>,
    text: String,
    file_name: String,
    /// Every problem of the deck, in line order.
    deck_problems: Vec<DeckProblem>,
    /// What is wrong, next to the field.
    text_error: Option<String>,
}

impl UploadPage {
    fn problems(&self) -> Vec<Problem> {
        if self.deck_problems.is_empty() {
            return self
                .text_error
                .iter()
                .map(|m| Problem {
                    target: "file",
                    message: m.clone(),
                })
                .collect();
        }
        self.deck_problems
            .iter()
            .map(|p| Problem {
                target: "text",
                message: p.text.clone(),
            })
            .collect()
    }
}

pub struct Sample {
    pub kind: &'static str,
    pub prompt: String,
    pub choices: Vec<String>,
    pub answer: String,
}

/// One question of every kind the deck offers, as a learner would meet it first.
fn samples(catalog_cards: &[crate::questions::CardSpec], deck: &Deck) -> Vec<Sample> {
    Kind::ALL
        .iter()
        .filter_map(|kind| {
            let card = catalog_cards.iter().find(|c| c.kind == *kind)?;
            let q: Question = crate::questions::generate(deck, card, 0)?;
            Some(Sample {
                kind: kind.label(),
                prompt: q.prompt,
                choices: q.choices,
                answer: q.answer,
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "deck_preview.html")]
struct PreviewPage {
    page: PageCtx,
    action: String,
    title: String,
    description: String,
    file_name: String,
    text: String,
    key: String,
    events: Vec<EventRow>,
    cards: usize,
    samples: Vec<Sample>,
    new_version: bool,
}

fn teacher(user: &CurrentUser) -> Result<(), PageError> {
    if user.role == Role::Teacher {
        Ok(())
    } else {
        Err(PageError::NotFound)
    }
}

fn upload_page(
    user: &CurrentUser,
    replaces: Option<&Deck>,
    form: &UploadForm,
    deck_problems: Vec<DeckProblem>,
    text_error: Option<String>,
) -> UploadPage {
    UploadPage {
        page: user.page_ctx(),
        heading: match replaces {
            Some(d) => format!("New version of {}", d.title),
            None => "Upload a deck".into(),
        },
        action: match replaces {
            Some(d) => format!("/decks/{}/upload", d.id),
            None => "/decks/new".into(),
        },
        replaces: replaces.map(|d| (d.id.clone(), d.title.clone())),
        text: form.text.clone(),
        file_name: form.file_name.clone(),
        deck_problems,
        text_error,
    }
}

/// `GET /decks/new`: the upload form (teachers only).
pub async fn new_form(user: CurrentUser) -> Result<HttpResponse, PageError> {
    teacher(&user)?;
    html(&upload_page(
        &user,
        None,
        &UploadForm::default(),
        Vec::new(),
        None,
    ))
}

/// `GET /decks/{id}/upload`: the form for a new version of a deck the teacher uploaded.
pub async fn version_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let deck = owned_deck(&catalog, &user, &path)?;
    html(&upload_page(
        &user,
        Some(deck),
        &UploadForm::default(),
        Vec::new(),
        None,
    ))
}

fn owned_deck<'a>(
    catalog: &'a Catalog,
    user: &CurrentUser,
    id: &str,
) -> Result<&'a Deck, PageError> {
    match catalog.deck(id) {
        Some(d) if catalog.owner(id) == Some(user.id) => Ok(d),
        _ => Err(PageError::NotFound),
    }
}

/// `POST /decks/new`: preview the deck, or (confirmed) store it.
pub async fn upload_new(
    user: CurrentUser,
    state: web::Data<AppState>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let form = read_upload(payload).await?;
    user.verify_csrf(&form.csrf_token)?;
    teacher(&user)?;
    let key = if form.confirm && upload::is_key(&form.key) {
        form.key.clone()
    } else {
        upload::new_key(&mut rand::rng())
    };
    handle_upload(&state, &user, None, key, form).await
}

/// `POST /decks/{id}/upload`: preview a new version, or (confirmed) store it.
pub async fn upload_version(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let form = read_upload(payload).await?;
    user.verify_csrf(&form.csrf_token)?;
    let catalog = state.catalog();
    let deck = owned_deck(&catalog, &user, &path)?.clone();
    handle_upload(
        &state,
        &user,
        Some(deck.clone()),
        deck.id.into_string(),
        form,
    )
    .await
}

async fn handle_upload(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    replaces: Option<Deck>,
    key: String,
    form: UploadForm,
) -> Result<HttpResponse, PageError> {
    let refuse = |status, problems: Vec<DeckProblem>, error: String| {
        with_status(
            &upload_page(user, replaces.as_ref(), &form, problems, Some(error)),
            status,
        )
    };
    if let Some(size) = form.too_big {
        let form = UploadForm {
            text: String::new(),
            ..Default::default()
        };
        let page = upload_page(
            user,
            replaces.as_ref(),
            &form,
            Vec::new(),
            Some(upload::too_big(size)),
        );
        return with_status(&page, StatusCode::PAYLOAD_TOO_LARGE);
    }
    if form.text.trim().is_empty() {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            Vec::new(),
            "Choose a deck file (.toml or .csv), or paste the deck below.".into(),
        );
    }
    // Loading and the lint take a while on a big deck: off the async workers.
    let (name, text, k) = (form.file_name.clone(), form.text.clone(), key.clone());
    let checked = web::block(move || upload::check(&name, &text, &k))
        .await
        .map_err(|e| PageError::Unexpected(anyhow::anyhow!("{e}")))?;
    let deck = match checked {
        Ok(deck) => deck,
        Err(problems) => {
            let n = problems.len();
            tracing::info!(problems = n, "uploaded deck refused");
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                problems,
                format!(
                    "This deck has {n} problem{} (listed above, each at its line). Nothing was saved: fix the file and upload it again, or fix it here.",
                    if n == 1 { "" } else { "s" }
                ),
            );
        }
    };
    let cards = crate::questions::cards(&deck);
    if !form.confirm {
        return html(&PreviewPage {
            page: user.page_ctx(),
            action: match &replaces {
                Some(d) => format!("/decks/{}/upload", d.id),
                None => "/decks/new".into(),
            },
            title: deck.title.clone(),
            description: deck.description.clone(),
            file_name: form.file_name.clone(),
            text: form.text.clone(),
            key,
            events: event_rows(&deck),
            cards: cards.len(),
            samples: samples(&cards, &deck),
            new_version: replaces.is_some(),
        });
    }
    let (owner, file_name, text) = (user.id, form.file_name.clone(), form.text.clone());
    let stored_deck = deck.clone();
    let replacing = replaces.is_some();
    let live = state.clone();
    let id = deck.id.clone();
    let saved = db::run(&state.pool, move |conn| {
        let _writer = live.decks.writer();
        let saved = db::teacher_decks::save(
            conn,
            db::teacher_decks::Save {
                owner_id: owner,
                file_name: &file_name,
                source_text: &text,
                deck: &stored_deck,
                cards: &cards,
                now: now(),
            },
            replacing,
        )?;
        if saved.is_some() {
            live.decks.update(|c| c.with_uploaded(stored_deck, owner));
        }
        Ok(saved)
    })
    .await?;
    let Some(version) = saved else {
        return Err(PageError::NotFound);
    };
    tracing::info!(deck = %id, version, "uploaded deck saved");
    Ok(redirect(format!("/decks/{id}")))
}
