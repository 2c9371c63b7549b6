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
