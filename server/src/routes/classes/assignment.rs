//! One assignment: its page (the teacher's progress table, the student's progress), the draft
//! of a review assignment made from the most-missed questions, and who may study it.

use super::access::{Access, access};
use super::report::*;
use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::classes::title::MAX_TITLE;
use crate::db::classes::{self as store, Assignment, Class};
use crate::db::{self, users::Role};
use crate::ids::{AssignmentId, ClassId, UserId};
use crate::questions::Kind;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;

pub struct ProgressRow {
    pub user_id: UserId,
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
    a: MyAssignment,
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
    path: web::Path<(ClassId, AssignmentId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, assignment_id) = path.into_inner();
    match access(&state, &user, class_id).await? {
        Access::Student { class, .. } => {
            let a = my_assignments(&state, user.id, Some(class_id), &user.clock)
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
                        &user.clock,
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
                due: due_label(&a, &user.clock),
                selection: describe_selection(&state.catalog, &a),
                missed: missed_rows(&state.catalog, missed),
                rows,
                class,
                a,
            })
        }
    }
}

/// What a review of the most missed questions asks: its deck, cards and a title to start from.
pub struct ReviewDraft {
    pub deck_id: String,
    pub cards: Vec<String>,
    pub title: String,
}

/// The questions the class (or one assignment's students, `from`) missed most, as a review
/// to be saved from the assignment form. `None` when `from` is not an assignment of the class;
/// `Some(None)` when nobody has missed anything yet.
pub async fn review_draft(
    state: &AppState,
    class_id: ClassId,
    from: Option<AssignmentId>,
) -> Result<Option<Option<ReviewDraft>>, PageError> {
    let catalog = state.catalog.clone();
    Ok(db::run(&state.pool, move |conn| {
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
            return Ok(Some(None));
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
        Ok(Some(Some(ReviewDraft {
            deck_id,
            cards,
            title: title.chars().take(MAX_TITLE).collect(),
        })))
    })
    .await?)
}

/// Only a learner in the class studies its assignments; used by `/study?assignment=`.
pub async fn for_study(
    state: &AppState,
    user: &CurrentUser,
    assignment_id: AssignmentId,
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
