//! What a teacher reads about a class: each student's progress on each assignment, their
//! recent activity, one student's page, and the questions the class misses most.

use super::access::{owned, student_of};
use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::classes::goal;
use crate::clock::{Instant, now};
use crate::db;
use crate::db::classes::{self as store, Activity, Assignment, Class, Member, MissedCard};
use crate::ids::{AssignmentId, CardId, ClassId, UserId};
use crate::routes::state::AppState;
use crate::srs::days::DayClock;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::HashMap;

const RECENT_DAYS: i64 = 7;

pub struct AssignmentCell {
    pub done: usize,
    pub total: usize,
    pub percent: usize,
    pub behind: bool,
}

pub struct RosterRow {
    pub user_id: UserId,
    pub name: String,
    pub username: String,
    pub cells: Vec<AssignmentCell>,
    pub learned: i64,
    pub accuracy: String,
    pub last_active: String,
    pub behind: bool,
}

pub struct AssignmentRow {
    pub id: AssignmentId,
    pub title: String,
    pub cards: usize,
    pub due: String,
    pub goal: String,
    pub finished: usize,
    pub behind: usize,
}

/// The due date as the reader writes it, in their zone.
pub fn due_label(a: &Assignment, clock: &DayClock) -> String {
    match (a.due_at(), a.due_date.as_deref()) {
        (Some(t), _) => clock.written(Instant::from_secs(t)),
        (None, Some(d)) => d.to_string(),
        (None, None) => "no due date".into(),
    }
}

/// Per-student progress on every assignment of a class: the roster's numbers.
pub struct ClassReport {
    pub members: Vec<Member>,
    pub assignments: Vec<Assignment>,
    /// completion[assignment index][user id] = cards done.
    pub completion: Vec<HashMap<UserId, usize>>,
    pub activity: HashMap<UserId, Activity>,
}

pub async fn class_report(state: &AppState, class_id: ClassId) -> Result<ClassReport, PageError> {
    let recent_since = Instant::from_secs(now()) - time::Duration::days(RECENT_DAYS);
    Ok(db::run(&state.pool, move |conn| {
        let assignments = store::assignments(conn, class_id)?;
        let members = store::members(conn, class_id)?;
        let roster = store::roster(conn, class_id, &members, &assignments, recent_since)?;
        Ok(ClassReport {
            members,
            activity: roster.activity,
            completion: roster.completion,
            assignments,
        })
    })
    .await?)
}

/// Progress on one assignment; "behind" counts days on the reader's calendar.
pub fn cell(a: &Assignment, done: usize, clock: &DayClock) -> AssignmentCell {
    let due = a.due_at().and_then(|t| clock.date(t));
    let today = clock.date(now()).unwrap_or_else(crate::clock::today);
    AssignmentCell {
        done,
        total: a.cards,
        percent: goal::percent(done, a.cards),
        behind: goal::is_behind(due, today, done, a.cards),
    }
}

pub fn accuracy(a: &Activity) -> String {
    if a.recent_answers == 0 {
        "—".into()
    } else {
        format!(
            "{}% of {}",
            a.recent_right * 100 / a.recent_answers,
            a.recent_answers
        )
    }
}

pub fn roster(report: &ClassReport, clock: &DayClock) -> Vec<RosterRow> {
    report
        .members
        .iter()
        .map(|m| {
            let cells: Vec<AssignmentCell> = report
                .assignments
                .iter()
                .zip(&report.completion)
                .map(|(a, done)| cell(a, done.get(&m.user_id).copied().unwrap_or(0), clock))
                .collect();
            let activity = report.activity.get(&m.user_id).cloned().unwrap_or_default();
            RosterRow {
                user_id: m.user_id,
                name: m.display_name.clone(),
                username: m.username.clone(),
                behind: cells.iter().any(|c| c.behind),
                cells,
                learned: activity.cards_learned,
                accuracy: accuracy(&activity),
                last_active: activity
                    .last_active
                    .map(|t| clock.written(t))
                    .unwrap_or("never".into()),
            }
        })
        .collect()
}

pub fn assignment_rows(report: &ClassReport, clock: &DayClock) -> Vec<AssignmentRow> {
    report
        .assignments
        .iter()
        .zip(&report.completion)
        .map(|(a, done)| {
            let cells: Vec<AssignmentCell> = report
                .members
                .iter()
                .map(|m| cell(a, done.get(&m.user_id).copied().unwrap_or(0), clock))
                .collect();
            AssignmentRow {
                id: a.id,
                title: a.title.clone(),
                cards: a.cards,
                due: due_label(a, clock),
                goal: a.goal.describe(),
                finished: cells
                    .iter()
                    .filter(|c| c.total > 0 && c.done >= c.total)
                    .count(),
                behind: cells.iter().filter(|c| c.behind).count(),
            }
        })
        .collect()
}

pub struct MyAssignment {
    pub id: AssignmentId,
    pub class_id: ClassId,
    pub class_name: String,
    pub title: String,
    pub due: String,
    /// As stored, for ordering.
    pub due_date: Option<String>,
    pub goal: String,
    pub cell: AssignmentCell,
}

impl MyAssignment {
    /// Not finished yet: something left to study.
    pub fn is_open(&self) -> bool {
        self.cell.done < self.cell.total
    }
}

/// A learner's open assignments (in one class or all), with their progress.
pub async fn my_assignments(
    state: &AppState,
    user_id: UserId,
    class_id: Option<ClassId>,
    clock: &DayClock,
) -> Result<Vec<MyAssignment>, PageError> {
    let rows = db::run(&state.pool, move |conn| {
        let mine: Vec<(Assignment, String, i64)> = store::assignments_of_member(conn, user_id)?
            .into_iter()
            .filter(|(a, _, _)| class_id.is_none_or(|c| c == a.class_id))
            .collect();
        let list: Vec<(&Assignment, i64)> = mine.iter().map(|(a, _, j)| (a, *j)).collect();
        let done = store::finished_counts(conn, user_id, &list)?;
        Ok(mine
            .into_iter()
            .zip(done)
            .map(|((a, class_name, _), done)| (a, class_name, done))
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, class_name, done)| MyAssignment {
            id: a.id,
            class_id: a.class_id,
            class_name,
            title: a.title.clone(),
            due: due_label(&a, clock),
            due_date: a.due_date.clone(),
            goal: a.goal.describe(),
            cell: cell(&a, done, clock),
        })
        .collect())
}

pub struct StudentMiss {
    pub prompt: String,
    pub given: String,
    pub answer: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "class_student.html")]
struct StudentPage {
    page: PageCtx,
    class: Class,
    student: Member,
    joined: String,
    rows: Vec<(String, String, AssignmentCell)>,
    missed: Vec<StudentMiss>,
    accuracy: String,
    last_active: String,
}

pub async fn student(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, UserId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, student_id) = path.into_inner();
    let (class, member) = student_of(&state, &user, class_id, student_id).await?;
    let report = class_report(&state, class_id).await?;
    let db_member = member.clone();
    let missed = db::run(&state.pool, move |conn| {
        Ok(store::student_missed(conn, class_id, &db_member)?)
    })
    .await?;
    let rows = report
        .assignments
        .iter()
        .zip(&report.completion)
        .map(|(a, done)| {
            (
                a.title.clone(),
                due_label(a, &user.clock),
                cell(
                    a,
                    done.get(&member.user_id).copied().unwrap_or(0),
                    &user.clock,
                ),
            )
        })
        .collect();
    let activity = report
        .activity
        .get(&member.user_id)
        .cloned()
        .unwrap_or_default();
    let missed = missed
        .into_iter()
        .map(|(card_id, given, at)| {
            let (prompt, answer) = question_text(&state.catalog(), &card_id);
            StudentMiss {
                prompt,
                given,
                answer,
                when: user.clock.written(at),
            }
        })
        .collect();
    html(&StudentPage {
        page: user.page_ctx(),
        joined: user.clock.written(Instant::from_secs(member.joined_at)),
        class,
        student: member,
        rows,
        missed,
        accuracy: accuracy(&activity),
        last_active: activity
            .last_active
            .map(|t| user.clock.written(t))
            .unwrap_or("never".into()),
    })
}

pub fn question_text(catalog: &Catalog, card_id: &str) -> (String, String) {
    catalog
        .question(card_id, 0)
        .map(|q| (q.prompt.replace('\n', " "), q.answer))
        .unwrap_or_else(|| (format!("(retired card {card_id})"), String::new()))
}

/// How many cards the "most missed" lists show, and a review assignment takes.
pub const MOST_MISSED: usize = 20;

pub struct MissedRow {
    pub card_id: CardId,
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
                    .map_or("", |c| c.kind.label())
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
    path: web::Path<ClassId>,
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
        missed: missed_rows(&state.catalog(), missed),
        class,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, ESCAPED_NAME};
    use super::*;

    #[test]
    fn the_class_missed_page_lists_the_misses_and_offers_a_review() {
        let html = ClassMissedPage {
            page: PageCtx::teacher_for_tests(),
            class: fixtures::class(),
            missed: vec![fixtures::missed_row()],
        }
        .render()
        .unwrap();
        assert!(
            html.contains(&format!("<title>Most missed · {ESCAPED_NAME}")),
            "{html}"
        );
        assert!(html.contains("When did Saigon fall?<br><span class=\"help\">Date of an event · 2 students answered</span>"));
        assert!(html.contains("<td>30 April 1975</td>"));
        assert!(html.contains("href=\"/classes/7/review\""));
        let empty = ClassMissedPage {
            page: PageCtx::teacher_for_tests(),
            class: fixtures::class(),
            missed: vec![],
        }
        .render()
        .unwrap();
        assert!(!empty.contains("href=\"/classes/7/review\""), "{empty}");
    }

    #[test]
    fn a_students_page_shows_their_assignments_misses_and_the_remove_form() {
        let html = StudentPage {
            page: PageCtx::teacher_for_tests(),
            class: fixtures::class(),
            student: fixtures::member(),
            joined: "1 September 2026".into(),
            rows: vec![(
                "Week 1".into(),
                "8 December".into(),
                fixtures::cell(3, 12, true),
            )],
            missed: vec![StudentMiss {
                prompt: "When did Saigon fall?".into(),
                given: "<i>1976</i>".into(),
                answer: "30 April 1975".into(),
                when: "2 December 2026".into(),
            }],
            accuracy: "80%".into(),
            last_active: "today".into(),
        }
        .render()
        .unwrap();
        assert!(html.contains("<h1>Bình</h1>"), "{html}");
        assert!(html.contains(
            "binh · joined 1 September 2026 · last active today · accuracy over 7 days: 80%"
        ));
        assert!(html.contains("<th scope=\"row\">Week 1</th><td>8 December</td>"));
        assert!(html.contains("3 of 12 <strong class=\"behind\">behind</strong>"));
        assert!(html.contains("<dt>Their answer</dt><dd>&#60;i&#62;1976&#60;/i&#62;</dd>"));
        assert!(html.contains("action=\"/classes/7/students/42/remove\""));
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
    }
}
