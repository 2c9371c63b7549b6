//! `GET /classes/{id}/assignments/{a}/analysis`: the item analysis of an assignment, for its
//! teacher: which questions are too easy, too hard, or do not tell stronger from weaker
//! students, with the counts behind every figure.

use super::access::owned_assignment;
use super::report::question_text;
use crate::auth::extract::CurrentUser;
use crate::classes::item_analysis::{self, Tally, WrongAnswer};
use crate::db;
use crate::db::classes::{self as store, Assignment, Class};
use crate::ids::{AssignmentId, CardId, ClassId};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;

pub struct ItemView {
    pub card_id: CardId,
    pub kind: String,
    pub prompt: String,
    pub answer: String,
    /// "0.90", or empty when there are not enough answers yet.
    pub facility: String,
    pub all: Tally,
    pub upper: Tally,
    pub lower: Tally,
    /// "+0.33", or empty when it cannot be worked out.
    pub discrimination: String,
    pub wrong: Vec<WrongAnswer>,
    pub flags: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "analysis.html")]
struct AnalysisPage {
    page: PageCtx,
    class: Class,
    a: Assignment,
    students: usize,
    group: usize,
    half: usize,
    min_answers: usize,
    min_students: usize,
    items: Vec<ItemView>,
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, AssignmentId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, assignment_id) = path.into_inner();
    let (class, a) = owned_assignment(&state, &user, class_id, assignment_id).await?;
    let query = a.clone();
    let (cards, answers) = db::run(&state.pool, move |conn| {
        Ok((
            store::assignment_cards(conn, query.id)?,
            store::first_answers(conn, class_id, &query)?,
        ))
    })
    .await?;
    let analysis = item_analysis::analyse(&cards, &answers);
    let mut items: Vec<ItemView> = analysis
        .items
        .into_iter()
        .map(|i| {
            let (prompt, answer) = question_text(&state.catalog(), &i.card);
            ItemView {
                kind: state
                    .catalog()
                    .card(&i.card)
                    .map_or("", |c| c.kind.label())
                    .to_string(),
                prompt,
                answer,
                facility: i.facility.map_or(String::new(), |f| format!("{f:.2}")),
                all: i.all,
                upper: i.upper,
                lower: i.lower,
                discrimination: i
                    .discrimination
                    .map_or(String::new(), |d| format!("{d:+.2}")),
                wrong: i.wrong,
                flags: i.flags.iter().map(|f| f.explain()).collect(),
                card_id: i.card,
            }
        })
        .collect();
    // Questions to look at first; then the ones with answers, then the rest.
    items.sort_by_key(|i| (i.flags.is_empty(), i.facility.is_empty()));
    html(&AnalysisPage {
        page: user.page_ctx(),
        class,
        a,
        students: analysis.students,
        group: analysis.group,
        half: analysis.half,
        min_answers: item_analysis::MIN_ANSWERS,
        min_students: item_analysis::MIN_STUDENTS,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::*;

    fn item(facility: &str, discrimination: &str) -> ItemView {
        ItemView {
            card_id: "fall/date".into(),
            kind: "Date of an event".into(),
            prompt: "When did <i>Saigon</i> fall?".into(),
            answer: "30 April 1975".into(),
            facility: facility.into(),
            all: Tally {
                right: 9,
                answers: 10,
            },
            upper: Tally {
                right: 3,
                answers: 3,
            },
            lower: Tally {
                right: 2,
                answers: 3,
            },
            discrimination: discrimination.into(),
            wrong: vec![WrongAnswer {
                given: "1976".into(),
                stronger: 0,
                weaker: 1,
            }],
            flags: vec!["Most students get it right: it may be too easy."],
        }
    }

    fn page(items: Vec<ItemView>) -> String {
        AnalysisPage {
            page: PageCtx::teacher_for_tests(),
            class: fixtures::class(),
            a: fixtures::assignment(),
            students: 10,
            group: 3,
            half: 5,
            min_answers: 5,
            min_students: 10,
            items,
        }
        .render()
        .unwrap()
    }

    #[test]
    fn each_question_shows_its_facility_discrimination_flags_and_wrong_answers() {
        let html = page(vec![item("0.90", "+0.33")]);
        assert!(
            html.contains(
                "<a href=\"/classes/7/assignments/3\">Week 1 &#60;b&#62;dates&#60;/b&#62;</a>"
            ),
            "{html}"
        );
        assert!(html.contains("10 students have answered."));
        assert!(html.contains("data-card=\"fall/date\""));
        assert!(html.contains("When did &#60;i&#62;Saigon&#60;/i&#62; fall?</h2>"));
        assert!(html.contains("<dd class=\"facility\">0.90 (9 of 10 right the first time)</dd>"));
        assert!(html.contains("+0.33 (strongest: 3 of 3 right; weakest: 2 of 3)"));
        assert!(
            html.contains("<strong>Look at this question.</strong> Most students get it right")
        );
        assert!(html.contains("<th scope=\"row\">1976</th><td>0</td><td>1</td>"));
    }

    #[test]
    fn a_question_with_too_few_answers_says_how_many_it_needs() {
        let html = page(vec![item("", "")]);
        assert!(
            html.contains("Not enough answers yet: 10 of the 5 needed."),
            "{html}"
        );
        assert!(!html.contains("class=\"facility\""));
        assert!(page(vec![]).contains("This assignment has no questions."));
    }
}
