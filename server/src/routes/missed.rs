//! `GET /missed`: the questions a learner got wrong and has not yet put right.

use crate::auth::extract::CurrentUser;
use crate::catalog::seed_for;
use crate::clock::day_label;
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
    let catalog = &state.catalog;
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
                missed_on: day_label(m.missed_at),
                sources: q.sources,
            })
        })
        .collect();
    html(&MissedPage {
        page: user.page_ctx(),
        rows,
    })
}
