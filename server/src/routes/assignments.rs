//! Assignments: create, edit, delete, the assignment page, and review assignments made from
//! the cards a class misses most.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::classes::goal::Goal;
use crate::classes::selection::{self, Selection};
use crate::clock::now;
use crate::db::classes::{self as store, Assignment, AssignmentInput, Class, MissedCard};
use crate::db::{self, users::Role};
use crate::questions::Kind;
use crate::routes::auth::Field;
use crate::routes::classes::{
    Access, AssignmentCell, access, cell, class_report, due_label, my_assignments, owned,
    parse_day, question_text, redirect, today, unprocessable,
};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

const MAX_TITLE: usize = 120;
/// How many cards the "most missed" lists show, and a review assignment takes.
pub const MOST_MISSED: usize = 20;

// ---- The form ----

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

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Date => "Date of an event",
        Kind::EventOnDate => "Event on a date",
        Kind::Place => "Place",
        Kind::Figure => "Figures (how many, how much)",
        Kind::Chronology => "Chronology (put in order)",
        Kind::Speaker => "Who said it",
        Kind::Cloze => "Fill in the blank",
        Kind::TrueFalse => "True or false",
        Kind::Flashcard => "Flashcard",
    }
}

fn form_page(
    catalog: &Catalog,
    user: &CurrentUser,
    class: Class,
    editing: Option<i64>,
    form: &AssignmentForm,
    errors: Errors,
) -> FormPage {
    let deck = catalog
        .deck(&form.deck)
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
            .map(|d| Opt {
                value: d.id.clone(),
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
                        value: e.id.clone(),
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
                label: kind_label(*k).to_string(),
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
    deck_id: String,
    selection: Selection,
    goal: Goal,
    due_date: Option<String>,
    cards: Vec<String>,
}

/// Checks a posted form; `kept_due` is the saved due date, which may stay as it is even
/// once it has passed.
fn validate(
    catalog: &Catalog,
    form: &AssignmentForm,
    kept_due: Option<&str>,
) -> Result<Valid, Errors> {
    let mut errors = Errors::default();
    let title = form.title.trim().to_string();
    if title.is_empty() {
        errors.title = Some("Give the assignment a title.".into());
    } else if title.chars().count() > MAX_TITLE {
        errors.title = Some(format!("A title is at most {MAX_TITLE} characters."));
    }
    let deck = catalog.deck(&form.deck).or(catalog.decks.first());
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
        match parse_day(due) {
            None => {
                errors.due = Some("Write the due date as YYYY-MM-DD.".into());
                None
            }
            Some(d) if d < today() && kept_due != Some(due) => {
                errors.due = Some("The due date is in the past.".into());
                None
            }
            Some(_) => Some(due.to_string()),
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

pub async fn new_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let form = AssignmentForm {
        kinds: Kind::ALL.iter().map(|k| k.as_str().to_string()).collect(),
        ..Default::default()
    };
    html(&form_page(
        &state.catalog,
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
    path: web::Path<i64>,
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
    let kept_due = existing.as_ref().and_then(|a| a.due_date.clone());
    let valid = match validate(&state.catalog, &form, kept_due.as_deref()) {
        Ok(v) => v,
        Err(errors) => {
            let page = form_page(
                &state.catalog,
                user,
                class,
                existing.map(|a| a.id),
                &form,
                errors,
            );
            return Ok(unprocessable(&page));
        }
    };
    let class_id = class.id;
    let existing_id = existing.map(|a| a.id);
    let id = db::run(&state.pool, move |conn| {
        let tx = conn.transaction()?;
        let id = store::save_assignment(
            &tx,
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
        tx.commit()?;
        Ok(id)
    })
    .await?;
    Ok(redirect(format!("/classes/{class_id}/assignments/{id}")))
}

/// The assignment of a class the user teaches, or 404.
async fn owned_assignment(
    state: &AppState,
    user: &CurrentUser,
    class_id: i64,
    assignment_id: i64,
) -> Result<(Class, Assignment), PageError> {
    let class = owned(state, user, class_id).await?;
    let a = db::run(&state.pool, move |conn| {
        Ok(store::assignment(conn, class_id, assignment_id)?)
    })
    .await?
    .ok_or(PageError::NotFound)?;
    Ok((class, a))
}

pub async fn edit_form(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
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
        due_date: a.due_date.clone().unwrap_or_default(),
        ..Default::default()
    };
    html(&form_page(
        &state.catalog,
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
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = parse_form(body).await?;
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, assignment_id) = path.into_inner();
    let (class, a) = owned_assignment(&state, &user, class_id, assignment_id).await?;
    save(&state, &user, class, Some(a), form).await
}

pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<crate::routes::classes::CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, assignment_id) = path.into_inner();
    owned_assignment(&state, &user, class_id, assignment_id).await?;
    db::run(&state.pool, move |conn| {
        Ok(store::delete_assignment(conn, class_id, assignment_id)?)
    })
    .await?;
    Ok(redirect(format!("/classes/{class_id}")))
}

// ---- The assignment page and most-missed lists ----

pub struct MissedRow {
    pub card_id: String,
    pub kind: String,
    pub prompt: String,
    pub answer: String,
    pub misses: i64,
    pub answers: i64,
    pub miss_percent: i64,
    pub students: i64,
    pub common_wrong: String,
    pub common_wrong_count: i64,
}

pub fn missed_rows(catalog: &Catalog, cards: Vec<MissedCard>) -> Vec<MissedRow> {
    cards
        .into_iter()
        .map(|m| {
            let (prompt, answer) = question_text(catalog, &m.card_id);
            MissedRow {
                kind: catalog
                    .card(&m.card_id)
                    .map_or("", |c| kind_label(c.kind))
                    .to_string(),
                prompt,
                answer,
                misses: m.misses,
                answers: m.answers,
                miss_percent: m.miss_percent(),
                students: m.students,
                common_wrong: m.common_wrong.clone().unwrap_or_default(),
                common_wrong_count: m.common_wrong_count,
                card_id: m.card_id,
            }
        })
        .collect()
}

pub struct ProgressRow {
    pub user_id: i64,
    pub name: String,
    pub cell: AssignmentCell,
}

#[derive(Template)]
#[template(path = "assignment.html")]
struct TeacherAssignmentPage {
    page: PageCtx,
    class: Class,
    a: Assignment,
    due: String,
    selection: String,
    rows: Vec<ProgressRow>,
    missed: Vec<MissedRow>,
}

#[derive(Template)]
#[template(path = "assignment_member.html")]
struct MemberAssignmentPage {
    page: PageCtx,
    class: Class,
    a: crate::routes::classes::MyAssignment,
}

fn describe_selection(catalog: &Catalog, a: &Assignment) -> String {
    let s = &a.selection;
    if !s.cards.is_empty() {
        return format!("{} hand-picked questions", s.cards.len());
    }
    let deck = catalog.deck(&a.deck_id);
    let mut parts = Vec::new();
    if s.whole_deck() {
        parts.push(format!(
            "the whole deck{}",
            deck.map_or(String::new(), |d| format!(" “{}”", d.title))
        ));
    }
    if let Some(deck) = deck {
        let eras: Vec<&str> = s
            .eras
            .iter()
            .filter_map(|e| deck.era(e).map(|e| e.title.as_str()))
            .collect();
        if !eras.is_empty() {
            parts.push(format!("eras: {}", eras.join("; ")));
        }
    }
    if !s.tags.is_empty() {
        parts.push(format!("tags: {}", s.tags.join(", ")));
    }
    if !s.events.is_empty() {
        parts.push(format!("{} hand-picked events", s.events.len()));
    }
    let kinds = if s.kinds.len() == Kind::ALL.len() {
        "every kind of question".to_string()
    } else {
        s.kinds.join(", ").replace('_', " ")
    };
    format!("{}; {}", parts.join("; "), kinds)
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, assignment_id) = path.into_inner();
    match access(&state, &user, class_id).await? {
        Access::Student { class, .. } => {
            let a = my_assignments(&state, user.id, Some(class_id))
                .await?
                .into_iter()
                .find(|a| a.id == assignment_id)
                .ok_or(PageError::NotFound)?;
            html(&MemberAssignmentPage {
                page: user.page_ctx(),
                class,
                a,
            })
        }
        Access::Teacher(class) => {
            let report = class_report(&state, class_id).await?;
            let index = report
                .assignments
                .iter()
                .position(|a| a.id == assignment_id)
                .ok_or(PageError::NotFound)?;
            let a = report.assignments[index].clone();
            let today = today();
            let rows = report
                .members
                .iter()
                .map(|m| ProgressRow {
                    user_id: m.user_id,
                    name: m.display_name.clone(),
                    cell: cell(
                        &a,
                        report.completion[index]
                            .get(&m.user_id)
                            .copied()
                            .unwrap_or(0),
                        today,
                    ),
                })
                .collect();
            let missed = db::run(&state.pool, move |conn| {
                Ok(store::missed_cards(
                    conn,
                    class_id,
                    Some(assignment_id),
                    true,
                    Some(MOST_MISSED),
                )?)
            })
            .await?;
            html(&TeacherAssignmentPage {
                page: user.page_ctx(),
                due: due_label(&a),
                selection: describe_selection(&state.catalog, &a),
                missed: missed_rows(&state.catalog, missed),
                rows,
                class,
                a,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "class_missed.html")]
struct ClassMissedPage {
    page: PageCtx,
    class: Class,
    missed: Vec<MissedRow>,
}

/// `GET /classes/{id}/missed`: what the class misses most over all its assignments.
pub async fn class_missed(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let class_id = class.id;
    let missed = db::run(&state.pool, move |conn| {
        Ok(store::missed_cards(
            conn,
            class_id,
            None,
            true,
            Some(MOST_MISSED),
        )?)
    })
    .await?;
    html(&ClassMissedPage {
        page: user.page_ctx(),
        missed: missed_rows(&state.catalog, missed),
        class,
    })
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf_token: String,
    /// An assignment id, or empty for the class as a whole.
    #[serde(default)]
    from: String,
}

/// `POST /classes/{id}/review`: one click turns a most-missed list into an assignment.
pub async fn make_review(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    let class_id = class.id;
    let from: Option<i64> = match form.from.trim() {
        "" => None,
        s => Some(s.parse().map_err(|_| PageError::NotFound)?),
    };
    let catalog = state.catalog.clone();
    let id = db::run(&state.pool, move |conn| {
        let source = match from {
            Some(aid) => match store::assignment(conn, class_id, aid)? {
                Some(a) => Some(a),
                None => return Ok(None),
            },
            None => None,
        };
        let missed = store::missed_cards(conn, class_id, from, true, Some(MOST_MISSED))?;
        let cards: Vec<String> = missed
            .into_iter()
            .map(|m| m.card_id)
            .filter(|c| catalog.card(c).is_some())
            .collect();
        let Some(deck_id) = cards
            .first()
            .and_then(|c| catalog.card(c))
            .map(|c| c.deck_id.clone())
        else {
            return Ok(Some(Err(())));
        };
        // One deck per assignment: keep the cards of the deck missed most.
        let cards: Vec<String> = cards
            .into_iter()
            .filter(|c| catalog.card(c).is_some_and(|c| c.deck_id == deck_id))
            .collect();
        let title = match &source {
            Some(a) => format!("Review: most missed in {}", a.title),
            None => "Review: most missed questions".to_string(),
        };
        let tx = conn.transaction()?;
        let id = store::save_assignment(
            &tx,
            class_id,
            None,
            &AssignmentInput {
                title: &title.chars().take(MAX_TITLE).collect::<String>(),
                deck_id: &deck_id,
                selection: &Selection {
                    cards: cards.clone(),
                    ..Default::default()
                },
                goal: Goal::RightOnce,
                due_date: None,
                cards: &cards,
            },
            now(),
        )?;
        tx.commit()?;
        Ok(Some(Ok(id)))
    })
    .await?;
    match id {
        None => Err(PageError::NotFound),
        Some(Err(())) => Err(PageError::BadRequest(
            "Nobody has missed a question yet, so there is nothing to review.".into(),
        )),
        Some(Ok(id)) => Ok(redirect(format!("/classes/{class_id}/assignments/{id}"))),
    }
}

/// Only a learner in the class studies its assignments; used by `/study?assignment=`.
pub async fn for_study(
    state: &AppState,
    user: &CurrentUser,
    assignment_id: i64,
) -> Result<(Assignment, i64), PageError> {
    if user.role != Role::Learner {
        return Err(PageError::NotFound);
    }
    let user_id = user.id;
    db::run(&state.pool, move |conn| {
        let found = store::assignments_of_member(conn, user_id)?
            .into_iter()
            .find(|(a, _, _)| a.id == assignment_id)
            .map(|(a, _, joined)| (a, joined));
        Ok(found)
    })
    .await?
    .ok_or(PageError::NotFound)
}
