//! The assignment form: create, edit, delete, with every field checked before anything is
//! saved.

use super::access::{owned, owned_assignment};
use super::assignment::review_draft;
use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::classes::goal::Goal;
use crate::classes::selection::{self, Selection};
use crate::classes::title::MAX_TITLE;
use crate::clock::now;
use crate::dataset::Deck;
use crate::db;
use crate::db::classes::{self as store, Assignment, AssignmentInput, Class};
use crate::ids::{AssignmentId, CardId, ClassId, DeckId, UserId};
use crate::questions::Kind;
use crate::routes::state::AppState;
use crate::srs::days::DayClock;
use crate::web::confirm::{ConfirmPage, ConfirmedForm};
use crate::web::error::PageError;
use crate::web::form::{Field, Problem, problems};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable};
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub struct Opt {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct EraGroup {
    pub title: String,
    pub events: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "assignment_form.html")]
struct FormPage {
    page: PageCtx,
    class: Class,
    heading: String,
    action: String,
    title: Field,
    decks: Vec<Opt>,
    eras: Vec<Opt>,
    tags: Vec<Opt>,
    events: Vec<EraGroup>,
    kinds: Vec<Opt>,
    cards: Vec<String>,
    selection_error: Option<String>,
    kinds_error: Option<String>,
    goal: String,
    stability: Field,
    due: Field,
    /// The teacher's zone, which the due time is read in.
    zone: String,
}

impl FormPage {
    fn problems(&self) -> Vec<Problem> {
        problems([
            ("title", &self.title.error),
            ("selection", &self.selection_error),
            ("kinds", &self.kinds_error),
            ("stability_days", &self.stability.error),
            ("due_date", &self.due.error),
        ])
    }
}

/// The assignment form as posted. Checkbox groups repeat their name, hence `serde_html_form`.
#[derive(Debug, Deserialize, Default)]
pub struct AssignmentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    deck: String,
    #[serde(default)]
    eras: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    events: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
    /// Card ids of a review assignment being edited: kept as they are.
    #[serde(default)]
    cards: Vec<String>,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    stability_days: String,
    #[serde(default)]
    due_date: String,
}

fn form_page(
    catalog: &Catalog,
    user: &CurrentUser,
    class: Class,
    editing: Option<AssignmentId>,
    form: &AssignmentForm,
    errors: Errors,
) -> FormPage {
    let deck = offered(catalog, user.id, &form.deck)
        .or(catalog.decks.first())
        .expect("the catalog has a deck");
    let checked = |list: &[String], v: &str| list.iter().any(|x| x == v);
    let mut tags: Vec<&str> = deck
        .events
        .iter()
        .flat_map(|e| e.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    FormPage {
        page: user.page_ctx(),
        heading: if editing.is_some() {
            "Edit assignment".into()
        } else {
            format!("New assignment for {}", class.name)
        },
        action: match editing {
            Some(id) => format!("/classes/{}/assignments/{id}", class.id),
            None => format!("/classes/{}/assignments", class.id),
        },
        title: Field {
            value: form.title.clone(),
            error: errors.title,
        },
        decks: catalog
            .decks
            .iter()
            .filter(|d| catalog.owner(&d.id).is_none_or(|o| o == user.id))
            .map(|d| Opt {
                value: d.id.to_string(),
                label: d.title.clone(),
                checked: d.id == deck.id,
            })
            .collect(),
        eras: deck
            .eras
            .iter()
            .map(|e| Opt {
                value: e.id.clone(),
                label: e.title.clone(),
                checked: checked(&form.eras, &e.id),
            })
            .collect(),
        tags: tags
            .into_iter()
            .map(|t| Opt {
                value: t.to_string(),
                label: t.replace('-', " "),
                checked: checked(&form.tags, t),
            })
            .collect(),
        events: deck
            .eras
            .iter()
            .map(|era| EraGroup {
                title: era.title.clone(),
                events: deck
                    .events
                    .iter()
                    .filter(|e| e.era == era.id)
                    .map(|e| Opt {
                        value: e.id.to_string(),
                        label: format!("{} ({})", e.title, e.date),
                        checked: checked(&form.events, &e.id),
                    })
                    .collect(),
            })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|k| Opt {
                value: k.as_str().to_string(),
                label: k.label().to_string(),
                checked: checked(&form.kinds, k.as_str()),
            })
            .collect(),
        cards: form.cards.clone(),
        selection_error: errors.selection,
        kinds_error: errors.kinds,
        goal: if form.goal == "stability" {
            "stability".into()
        } else {
            "right_once".into()
        },
        stability: Field {
            value: form.stability_days.clone(),
            error: errors.stability,
        },
        due: Field {
            value: form.due_date.clone(),
            error: errors.due,
        },
        zone: user.clock.zone_name().to_string(),
        class,
    }
}

#[derive(Default)]
struct Errors {
    title: Option<String>,
    selection: Option<String>,
    kinds: Option<String>,
    stability: Option<String>,
    due: Option<String>,
}

impl Errors {
    fn any(&self) -> bool {
        self.title.is_some()
            || self.selection.is_some()
            || self.kinds.is_some()
            || self.stability.is_some()
            || self.due.is_some()
    }
}

struct Valid {
    title: String,
    deck_id: DeckId,
    selection: Selection,
    goal: Goal,
    due_date: Option<String>,
    cards: Vec<CardId>,
}

/// Checks a posted form; `kept_due` is the saved due moment, which may stay as it is even
/// once it has passed. The due time is read on the teacher's own clock.
/// The deck `id` when the teacher may assign it: a shipped deck, or one they uploaded.
fn offered<'a>(catalog: &'a Catalog, teacher: UserId, id: &str) -> Option<&'a Deck> {
    catalog
        .deck(id)
        .filter(|d| catalog.owner(&d.id).is_none_or(|o| o == teacher))
}

fn validate(
    catalog: &Catalog,
    teacher: UserId,
    form: &AssignmentForm,
    kept_due: Option<i64>,
    clock: &DayClock,
) -> Result<Valid, Errors> {
    let mut errors = Errors::default();
    let title = form.title.trim().to_string();
    if title.is_empty() {
        errors.title = Some("Give the assignment a title.".into());
    } else if title.chars().count() > MAX_TITLE {
        errors.title = Some(format!("A title is at most {MAX_TITLE} characters."));
    } else if let Some(c) = crate::text::forbidden_char(&title) {
        errors.title = Some(crate::text::forbidden_char_message(c));
    }
    let deck = if form.deck.is_empty() {
        catalog.decks.first()
    } else {
        offered(catalog, teacher, &form.deck)
    };
    let selection = Selection {
        eras: form.eras.clone(),
        tags: form.tags.clone(),
        events: form.events.clone(),
        kinds: form.kinds.clone(),
        cards: form.cards.clone(),
    };
    let mut cards = Vec::new();
    match deck {
        None => errors.selection = Some("Choose a deck.".into()),
        Some(deck) => {
            let unknown = selection.unknown_names(deck);
            if !unknown.is_empty() {
                errors.selection = Some(format!(
                    "Not in this deck: {}. Pick again from the lists below.",
                    unknown.join(", ")
                ));
            } else if selection.cards.is_empty() && selection.kinds.is_empty() {
                errors.kinds = Some("Pick at least one kind of question.".into());
            } else {
                cards = selection::resolve(deck, catalog.deck_cards(&deck.id), &selection);
                if cards.is_empty() {
                    errors.selection = Some(
                        "This selection has no questions: widen the eras, tags or events, or pick more kinds."
                            .into(),
                    );
                }
            }
        }
    }
    let goal = if form.goal == "stability" {
        match form.stability_days.trim().parse::<f64>() {
            Ok(d) if (1.0..=365.0).contains(&d) => Goal::Stability(d),
            _ => {
                errors.stability =
                    Some("Give a number of days from 1 to 365 for the memory goal.".into());
                Goal::RightOnce
            }
        }
    } else {
        Goal::RightOnce
    };
    let due = form.due_date.trim();
    let due_date = if due.is_empty() {
        None
    } else {
        // The form shows minutes, so a kept due time matches to the minute.
        let kept = |t: i64| kept_due.is_some_and(|k| k.div_euclid(60) == t.div_euclid(60));
        match clock.parse_local(due) {
            None => {
                errors.due = Some(
                    "Write the due date as YYYY-MM-DD, with a time (HH:MM) if you like.".into(),
                );
                None
            }
            Some(t) if t < now() && !kept(t) => {
                errors.due = Some("The due date is in the past.".into());
                None
            }
            Some(t) => store::due_text(t),
        }
    };
    if errors.any() {
        return Err(errors);
    }
    Ok(Valid {
        title,
        deck_id: deck.map(|d| d.id.clone()).unwrap_or_default(),
        selection,
        goal,
        due_date,
        cards,
    })
}

async fn parse_form(body: web::Bytes) -> Result<AssignmentForm, PageError> {
    serde_html_form::from_bytes(&body)
        .map_err(|_| PageError::BadRequest("The form could not be read.".into()))
}

/// `?deck=`: the deck the new assignment starts from (the deck page links here).
#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    deck: String,
}

pub async fn new_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    query: web::Query<NewQuery>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let form = AssignmentForm {
        kinds: Kind::ALL.iter().map(|k| k.as_str().to_string()).collect(),
        deck: query.into_inner().deck,
        ..Default::default()
    };
    html(&form_page(
        &state.catalog(),
        &user,
        class,
        None,
        &form,
        Errors::default(),
    ))
}

pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = parse_form(body).await?;
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    save(&state, &user, class, None, form).await
}

async fn save(
    state: &AppState,
    user: &CurrentUser,
    class: Class,
    existing: Option<Assignment>,
    form: AssignmentForm,
) -> Result<HttpResponse, PageError> {
    let kept_due = existing.as_ref().and_then(|a| a.due_at());
    let valid = match validate(&state.catalog(), user.id, &form, kept_due, &user.clock) {
        Ok(v) => v,
        Err(errors) => {
            let page = form_page(
                &state.catalog(),
                user,
                class,
                existing.map(|a| a.id),
                &form,
                errors,
            );
            return unprocessable(&page);
        }
    };
    let class_id = class.id;
    let existing_id = existing.map(|a| a.id);
    let id = db::run(&state.pool, move |conn| {
        let id = store::save_assignment(
            conn,
            class_id,
            existing_id,
            &AssignmentInput {
                title: &valid.title,
                deck_id: &valid.deck_id,
                selection: &valid.selection,
                goal: valid.goal,
                due_date: valid.due_date.as_deref(),
                cards: &valid.cards,
            },
            now(),
        )?;
        Ok(id)
    })
    .await?;
    Ok(redirect(format!("/classes/{class_id}/assignments/{id}")))
}

pub async fn edit_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, AssignmentId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, assignment_id) = path.into_inner();
    let (class, a) = owned_assignment(&state, &user, class_id, assignment_id).await?;
    let (stability_days, goal) = match a.goal {
        Goal::Stability(d) => (d.to_string(), "stability"),
        Goal::RightOnce => (String::new(), "right_once"),
    };
    let form = AssignmentForm {
        title: a.title.clone(),
        deck: a.deck_id.clone(),
        eras: a.selection.eras.clone(),
        tags: a.selection.tags.clone(),
        events: a.selection.events.clone(),
        kinds: a.selection.kinds.clone(),
        cards: a.selection.cards.clone(),
        goal: goal.into(),
        stability_days,
        due_date: a
            .due_at()
            .map(|t| user.clock.local_input(t))
            .unwrap_or_default(),
        ..Default::default()
    };
    html(&form_page(
        &state.catalog(),
        &user,
        class,
        Some(a.id),
        &form,
        Errors::default(),
    ))
}

pub async fn update(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, AssignmentId)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = parse_form(body).await?;
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, assignment_id) = path.into_inner();
    let (class, a) = owned_assignment(&state, &user, class_id, assignment_id).await?;
    save(&state, &user, class, Some(a), form).await
}

#[derive(Deserialize)]
pub struct ReviewQuery {
    /// An assignment id, or nothing for the class as a whole.
    #[serde(default)]
    from: String,
}

/// `GET /classes/{id}/review?from=`: the assignment form filled in with the most missed
/// questions, a title and a due date a week out; nothing is published until it is saved.
pub async fn review_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    query: web::Query<ReviewQuery>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let from: Option<AssignmentId> = match query.from.trim() {
        "" => None,
        s => Some(s.parse().map_err(|_| PageError::NotFound)?),
    };
    let draft = review_draft(&state, class.id, from)
        .await?
        .ok_or(PageError::NotFound)?
        .ok_or_else(|| {
            PageError::BadRequest(
                "Nobody has missed a question yet, so there is nothing to review.".into(),
            )
        })?;
    let form = AssignmentForm {
        title: draft.title,
        deck: draft.deck_id.into_string(),
        cards: draft.cards,
        goal: "right_once".into(),
        due_date: review_due(&user.clock, now()),
        ..Default::default()
    };
    html(&form_page(
        &state.catalog(),
        &user,
        class,
        None,
        &form,
        Errors::default(),
    ))
}

/// A review assignment's due date, suggested: a week from today.
const REVIEW_DAYS: i64 = 7;

/// The suggested due time: the end of the day a week out, on the teacher's calendar.
fn review_due(clock: &DayClock, now: i64) -> String {
    clock
        .date(now + REVIEW_DAYS * crate::clock::DAY)
        .map(|d| format!("{d}T23:59"))
        .unwrap_or_default()
}

/// `GET /classes/{id}/assignments/{a}/delete`: what deleting will do, and the button.
pub async fn delete_confirm(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, AssignmentId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, assignment_id) = path.into_inner();
    let (_, a) = owned_assignment(&state, &user, class_id, assignment_id).await?;
    let back = format!("/classes/{class_id}/assignments/{assignment_id}");
    html(&ConfirmPage {
        page: user.page_ctx(),
        heading: format!("Delete “{}”?", a.title),
        explain: vec![
            "The assignment leaves every student's list, and its progress table goes with it."
                .into(),
            "Students keep their own answers and progress; you can set the same questions again later."
                .into(),
        ],
        action: format!("{back}/delete"),
        button: "Delete the assignment".into(),
        danger: true,
        back,
        back_label: a.title,
    })
}

pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, AssignmentId)>,
    form: web::Form<ConfirmedForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, assignment_id) = path.into_inner();
    owned_assignment(&state, &user, class_id, assignment_id).await?;
    if !form.confirmed() {
        return Ok(redirect(format!(
            "/classes/{class_id}/assignments/{assignment_id}/delete"
        )));
    }
    db::run(&state.pool, move |conn| {
        Ok(store::delete_assignment(conn, class_id, assignment_id)?)
    })
    .await?;
    Ok(redirect(format!("/classes/{class_id}")))
}

#[cfg(test)]
#[path = "assignment_form_tests.rs"]
mod tests;
