//! Pages for visitors not signed in: the double-submit CSRF cookie their forms carry, and
//! where a login may send them next.

use crate::auth::csrf;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use actix_web::{HttpRequest, HttpResponse};

/// Only local paths, so a crafted link cannot send a learner to another site after login.
pub(super) fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Renders an anonymous form page, setting the double-submit CSRF cookie if it is new.
pub(crate) fn anonymous_page(
    req: &HttpRequest,
    state: &AppState,
    build: impl FnOnce(PageCtx) -> Result<HttpResponse, PageError>,
) -> Result<HttpResponse, PageError> {
    let (token, cookie) = csrf::anonymous_token(req, state.settings.secure_cookies);
    let mut response = build(PageCtx::anonymous(token))?;
    if let Some(c) = cookie {
        response
            .add_cookie(&c)
            .map_err(|e| PageError::Unexpected(e.into()))?;
    }
    Ok(response)
}

pub(crate) fn check_anonymous_csrf(req: &HttpRequest, given: &str) -> Result<(), PageError> {
    if csrf::anonymous_ok(req, given) {
        Ok(())
    } else {
        Err(PageError::Forbidden(
            "This form has expired. Reload the page and try again.".into(),
        ))
    }
}
