//! One assignment: its page (the teacher's progress table, the student's progress), the draft
//! of a review assignment made from the most-missed questions, and who may study it.

use super::access::{Access, access};
use super::report::*;
use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::classes::title::MAX_TITLE;
use crate::db::classes::{self as store, Assignment, Class};
use crate::db::{self, users::Role};
use crate::ids::{AssignmentId, ClassId, DeckId, UserId};
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
                selection: describe_selection(&state.catalog(), &a),
                missed: missed_rows(&state.catalog(), missed),
                rows,
                class,
                a,
            })
        }
    }
}

/// What a review of the most missed questions asks: its deck, cards and a title to start from.
pub struct ReviewDraft {
    pub deck_id: DeckId,
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
    let catalog = state.catalog();
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
            .map(|m| m.card_id.into_string())
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, ESCAPED_NAME};
    use super::*;

    #[test]
    fn a_students_assignment_page_shows_progress_and_a_study_link_until_finished() {
        let page = |done| {
            MemberAssignmentPage {
                page: PageCtx::learner_for_tests(),
                class: fixtures::class(),
                a: fixtures::my_assignment(done),
            }
            .render()
            .unwrap()
        };
        let html = page(5);
        assert!(
            html.contains(&format!("<a href=\"/classes/7\">{ESCAPED_NAME}</a>")),
            "{html}"
        );
        assert!(html.contains("Due: 8 December 2026, 23:30 · Goal: answer every card right once"));
        assert!(
            html.contains(
                "</span> 5 of 12 cards done · <strong class=\"behind\">due soon</strong>"
            )
        );
        assert!(html.contains("href=\"/study?assignment=3\""));
        let done = page(12);
        assert!(!done.contains("href=\"/study?assignment=3\""), "{done}");
        assert!(done.contains("Finished. Well done."));
    }

    #[test]
    fn the_teachers_assignment_page_links_each_student_and_the_review_of_its_misses() {
        let html = TeacherAssignmentPage {
            page: PageCtx::teacher_for_tests(),
            class: fixtures::class(),
            a: fixtures::assignment(),
            due: "8 December 2026, 23:30".into(),
            selection: "the whole deck; every kind of question".into(),
            rows: vec![
                ProgressRow {
                    user_id: UserId(42),
                    name: "Bình".into(),
                    cell: fixtures::cell(12, 12, false),
                },
                ProgressRow {
                    user_id: UserId(43),
                    name: "Chi".into(),
                    cell: fixtures::cell(2, 12, true),
                },
            ],
            missed: vec![fixtures::missed_row()],
        }
        .render()
        .unwrap();
        assert!(
            html.contains("<h1>Week 1 &#60;b&#62;dates&#60;/b&#62;</h1>"),
            "{html}"
        );
        assert!(html.contains(&format!("<a href=\"/classes/7\">{ESCAPED_NAME}</a>")));
        assert!(html.contains("<dd>12: the whole deck; every kind of question</dd>"));
        assert!(html.contains("<dd>answer every card right once</dd>"));
        assert!(html.contains("href=\"/classes/7/assignments/3/edit\""));
        assert!(html.contains("href=\"/classes/7/assignments/3/analysis\""));
        assert!(html.contains("href=\"/classes/7/assignments/3/delete\""));
        assert!(html.contains("<a href=\"/classes/7/students/42\">Bình</a>"));
        assert!(html.contains("</span> 12 of 12</td>\n      <td>finished</td>"));
        assert!(
            html.contains(
                "</span> 2 of 12</td>\n      <td><strong class=\"behind\">behind</strong>"
            )
        );
        assert!(html.contains("<td>3 of 4 (75%)</td>"));
        assert!(html.contains("1976 <span class=\"help\">(2×)</span>"));
        assert!(html.contains("href=\"/classes/7/review?from=3\""));
    }

    #[test]
    fn with_nobody_and_no_misses_the_teachers_page_says_so_and_offers_no_review() {
        let html = TeacherAssignmentPage {
            page: PageCtx::teacher_for_tests(),
            class: fixtures::class(),
            a: fixtures::assignment(),
            due: "no due date".into(),
            selection: String::new(),
            rows: vec![],
            missed: vec![],
        }
        .render()
        .unwrap();
        assert!(html.contains("No student in the class yet."));
        assert!(html.contains("Nobody in the class has missed a question here yet."));
        assert!(!html.contains("/review?from="), "{html}");
    }
}
