//! HTTP handlers, one module per area. `PageCtx` is what every page's layout needs.

pub mod api;
pub mod assets;
pub mod assignments;
pub mod auth;
pub mod class_export;
pub mod classes;
pub mod dashboard;
pub mod error;
pub mod health;
pub mod home;
pub mod missed;
pub mod offline;
pub mod study;

use crate::auth::extract::CurrentUser;
use actix_web::HttpResponse;
use askama::Template;
use error::PageError;

/// The signed-in user as the navigation shows them.
pub struct NavUser {
    pub username: String,
    pub is_teacher: bool,
}

/// What `base.html` needs: who is signed in, and the token for the log-out form.
pub struct PageCtx {
    pub user: Option<NavUser>,
    pub csrf_token: String,
}

impl PageCtx {
    pub fn for_user(user: &CurrentUser) -> PageCtx {
        PageCtx {
            user: Some(NavUser {
                username: user.username.clone(),
                is_teacher: user.role == crate::db::users::Role::Teacher,
            }),
            csrf_token: user.csrf_token.clone(),
        }
    }

    pub fn anonymous(csrf_token: String) -> PageCtx {
        PageCtx {
            user: None,
            csrf_token,
        }
    }
}

/// Renders a page as a 200 HTML response.
pub fn html(page: &impl Template) -> Result<HttpResponse, PageError> {
    let body = page.render().map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}
