//! CSV exports of a class's results: one row per student and assignment, one row per
//! question, and the gradebook (one row per student, [`gradebook`] says what it counts). UTF-8 with a byte-order mark so spreadsheets read accents right; fields quoted
//! by the `csv` crate; typed text defused against formulas ([`csv_cell::text`]).

use crate::auth::extract::CurrentUser;
use crate::classes::csv_cell::text;
use crate::classes::gradebook;
use crate::clock::{Instant, moment};
use crate::db::{self, classes as store};
use crate::ids::{CardId, ClassId, UserId};
use crate::routes::classes::access::owned;
use crate::routes::classes::report::{cell, class_report, question_text};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use actix_web::{HttpResponse, web};
use std::collections::HashMap;

fn csv_response(file_name: &str, rows: Vec<Vec<String>>) -> Result<HttpResponse, PageError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        for row in rows {
            writer
                .write_record(&row)
                .map_err(|e| PageError::Unexpected(e.into()))?;
        }
        writer
            .flush()
            .map_err(|e| PageError::Unexpected(e.into()))?;
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(out))
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// `GET /classes/{id}/export/students.csv`
pub async fn students(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let report = class_report(&state, class.id).await?;
    let mut rows = vec![
        [
            "class",
            "username",
            "student",
            "joined",
            "assignment",
            "due_date",
            "goal",
            "cards",
            "cards_done",
            "percent_done",
            "complete",
            "behind",
            "answers_last_7_days",
            "right_last_7_days",
            "last_active",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for m in &report.members {
        let activity = report.activity.get(&m.user_id).cloned().unwrap_or_default();
        for (a, done) in report.assignments.iter().zip(&report.completion) {
            let c = cell(a, done.get(&m.user_id).copied().unwrap_or(0), &user.clock);
            rows.push(vec![
                text(&class.name),
                text(&m.username),
                text(&m.display_name),
                moment(Instant::from_secs(m.joined_at)),
                text(&a.title),
                a.due_date.clone().unwrap_or_default(),
                a.goal.as_str().to_string(),
                c.total.to_string(),
                c.done.to_string(),
                c.percent.to_string(),
                yes(c.total > 0 && c.done >= c.total),
                yes(c.behind),
                activity.recent_answers.to_string(),
                activity.recent_right.to_string(),
                activity.last_active.map(moment).unwrap_or_default(),
            ]);
        }
    }
    csv_response(&format!("class-{}-students.csv", class.id), rows)
}

/// `GET /classes/{id}/export/questions.csv`: every question the class's assignments cover.
pub async fn questions(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let class_id = class.id;
    let (cards, stats) = db::run(&state.pool, move |conn| {
        let cards = store::class_cards(conn, class_id)?;
        Ok((
            cards,
            store::missed_cards(conn, class_id, None, false, None)?,
        ))
    })
    .await?;
    let by_card: std::collections::HashMap<&str, &store::MissedCard> =
        stats.iter().map(|m| (m.card_id.as_str(), m)).collect();
    let mut rows = vec![
        [
            "card_id",
            "kind",
            "question",
            "right_answer",
            "answers",
            "misses",
            "miss_rate_percent",
            "students_answering",
            "most_common_wrong_answer",
            "times_given",
        ]
        .map(String::from)
        .to_vec(),
    ];
    // Most missed first, then the questions nobody has answered yet, in deck order.
    let mut ordered: Vec<&CardId> = stats.iter().map(|m| &m.card_id).collect();
    ordered.extend(cards.iter().filter(|c| !by_card.contains_key(c.as_str())));
    for card_id in ordered {
        let (prompt, answer) = question_text(&state.catalog(), card_id);
        let kind = state
            .catalog()
            .card(card_id)
            .map_or("", |c| c.kind.as_str())
            .to_string();
        let row = match by_card.get(card_id.as_str()) {
            Some(m) => vec![
                card_id.to_string(),
                kind,
                text(&prompt),
                text(&answer),
                m.answers.to_string(),
                m.misses.to_string(),
                m.miss_percent().to_string(),
                m.students.to_string(),
                text(m.common_wrong.as_deref().unwrap_or("")),
                m.common_wrong_count.to_string(),
            ],
            None => vec![
                card_id.to_string(),
                kind,
                text(&prompt),
                text(&answer),
                "0".into(),
                "0".into(),
                "0".into(),
                "0".into(),
                String::new(),
                "0".into(),
            ],
        };
        rows.push(row);
    }
    csv_response(&format!("class-{class_id}-questions.csv"), rows)
}

/// `GET /classes/{id}/export/gradebook.csv`: one row per student, a done and a score column
/// per assignment, for a spreadsheet gradebook.
pub async fn gradebook(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    let report = class_report(&state, class.id).await?;
    let class_id = class.id;
    let assignments = report.assignments.clone();
    // Cards right on the first try, per assignment and student.
    let first_right: Vec<HashMap<UserId, usize>> = db::run(&state.pool, move |conn| {
        assignments
            .iter()
            .map(|a| {
                let mut right = HashMap::new();
                for f in store::first_answers(conn, class_id, a)? {
                    if f.correct {
                        *right.entry(UserId(f.student)).or_default() += 1;
                    }
                }
                Ok(right)
            })
            .collect::<Result<_, db::DbError>>()
    })
    .await?;
    let students: Vec<gradebook::Student<'_>> = report
        .members
        .iter()
        .map(|m| gradebook::Student {
            id: m.user_id,
            username: &m.username,
            name: &m.display_name,
        })
        .collect();
    let columns: Vec<gradebook::Column<'_>> = report
        .assignments
        .iter()
        .zip(&report.completion)
        .zip(&first_right)
        .map(|((a, done), first_right)| gradebook::Column {
            title: &a.title,
            cards: a.cards,
            done,
            first_right,
        })
        .collect();
    csv_response(
        &format!("class-{class_id}-gradebook.csv"),
        gradebook::table(&students, &columns),
    )
}
