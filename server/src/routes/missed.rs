//! `GET /missed`: the questions a learner got wrong and has not yet put right.

use crate::auth::extract::CurrentUser;
use crate::catalog::seed_for;
use crate::db::{self, study as store};
use crate::questions::SourceRef;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;

pub struct MissedRow {
    pub prompt: String,
    pub given: String,
    pub answer: String,
    pub times_missed: i64,
    pub missed_on: String,
    pub sources: Vec<SourceRef>,
}

#[derive(Template, WebTemplate)]
#[template(path = "missed.html")]
struct MissedPage {
    page: PageCtx,
    rows: Vec<MissedRow>,
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.id;
    let missed = db::run(&state.pool, move |conn| Ok(store::missed(conn, user_id)?)).await?;
    let catalog = &state.catalog();
    let rows = missed
        .into_iter()
        .filter_map(|m| {
            // The question as it was asked when missed: the seed of that review.
            let reps = (m.seed_reps - 1).max(0) as u32;
            let q = catalog.question(&m.card_id, seed_for(user_id, &m.card_id, reps))?;
            Some(MissedRow {
                prompt: if q.items.is_empty() {
                    q.prompt.replace('\n', " · ")
                } else {
                    // A chronology: the events it asked to order, as on the result page.
                    let titles: Vec<&str> = q.items.iter().map(|i| i.title.as_str()).collect();
                    format!("{} {}", q.prompt, titles.join(" · "))
                },
                given: m.given_answer,
                answer: q.answer,
                times_missed: m.times_missed,
                missed_on: user.clock.day_label(m.missed_at),
                sources: q.sources,
            })
        })
        .collect();
    html(&MissedPage {
        page: user.page_ctx(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::page::NavUser;

    fn page() -> PageCtx {
        PageCtx::signed_in(
            NavUser {
                username: "ann".into(),
                is_teacher: false,
            },
            "tok".into(),
        )
    }

    #[test]
    fn the_missed_page_lists_each_answer_given_beside_the_right_one() {
        let html = MissedPage {
            page: page(),
            rows: vec![MissedRow {
                prompt: "When did <b>this</b> happen?".into(),
                given: "1978".into(),
                answer: "7 January 1979".into(),
                times_missed: 2,
                missed_on: "1 December 2026".into(),
                sources: vec![],
            }],
        }
        .render()
        .unwrap();
        assert!(html.contains("<p>1 question to put right."), "{html}");
        assert!(html.contains("When did &#60;b&#62;this&#60;/b&#62; happen?"));
        assert!(html.contains("<dt>You said</dt><dd>1978</dd>"));
        assert!(html.contains("<dt>Right answer</dt><dd>7 January 1979</dd>"));
        assert!(html.contains("<dd>2 times, last on 1 December 2026</dd>"));
    }

    #[test]
    fn an_empty_missed_page_says_so_and_offers_no_review() {
        let html = MissedPage {
            page: page(),
            rows: vec![],
        }
        .render()
        .unwrap();
        assert!(html.contains("Nothing missed right now."));
        assert!(!html.contains("href=\"/study?mode=missed\""));
    }
}
