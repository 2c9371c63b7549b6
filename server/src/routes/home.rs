//! `GET /`: the landing page, or the dashboard when signed in.

use crate::auth::csrf;
use crate::auth::extract::MaybeUser;
use crate::routes::dashboard;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    page: PageCtx,
    events: usize,
    cards: usize,
}

pub async fn home(
    req: HttpRequest,
    user: MaybeUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    if let Some(user) = user.0 {
        return dashboard::show(user, state).await;
    }
    let (token, _) = csrf::anonymous_token(&req, state.settings.secure_cookies);
    html(&Landing {
        page: PageCtx::anonymous(token),
        events: state.catalog().shipped().map(|d| d.events.len()).sum(),
        cards: state
            .catalog()
            .shipped()
            .map(|d| state.catalog().deck_cards(&d.id).count())
            .sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_landing_page_counts_the_deck_and_links_to_register_and_login() {
        let html = Landing {
            page: PageCtx::anonymous("tok".into()),
            events: 123,
            cards: 456,
        }
        .render()
        .unwrap();
        assert!(html.contains("123 events, 456 cards."), "{html}");
        assert!(html.contains("href=\"/register\""));
        assert!(html.contains("href=\"/login\""));
    }
}
