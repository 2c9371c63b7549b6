//! Offline study: `GET /study/offline` (the page, which the service worker keeps for use
//! without a network), `GET /sw.js` (the service worker, served at the root so that its scope
//! covers the study pages) and `GET /static/offline.js` (the page's script).

use crate::auth::extract::CurrentUser;
use crate::ids::DeckId;
use crate::routes::state::AppState;
use crate::routes::study_queue::StudyQuery;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;

const SERVICE_WORKER: &str = include_str!("../../../static/sw.js");
const SCRIPT: &str = include_str!("../../../static/offline.js");

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    page: PageCtx,
    deck_id: DeckId,
    deck_title: String,
    username: String,
}

pub async fn page(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<StudyQuery>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let deck = crate::routes::deck_access::chosen(&state, &catalog, user.id, query.deck.as_deref())
        .await?;
    html(&OfflinePage {
        page: user.page_ctx(),
        deck_id: deck.id.clone(),
        deck_title: deck.title.clone(),
        username: user.username.clone(),
    })
}

/// Never cached by HTTP: a new version must reach browsers at their next visit.
pub async fn service_worker() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("Service-Worker-Allowed", "/"))
        .body(SERVICE_WORKER)
}

pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offline_page_names_its_deck_and_links_back_online() {
        let html = OfflinePage {
            page: PageCtx::learner_for_tests(),
            deck_id: "vn".into(),
            deck_title: "Vietnam <1975>".into(),
            username: "ann".into(),
        }
        .render()
        .unwrap();
        assert!(
            html.contains("data-deck=\"vn\" data-user=\"ann\""),
            "{html}"
        );
        assert!(html.contains("<h1>Study offline: Vietnam &#60;1975&#62;</h1>"));
        assert!(html.contains("href=\"/study?deck=vn\""));
        assert!(html.contains("src=\"/static/offline.js\""));
    }
}
