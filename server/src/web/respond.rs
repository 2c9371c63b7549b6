//! The responses handlers send: a rendered page, a redirect, a form sent back to fix.

use super::error::PageError;
use actix_web::HttpResponse;
use askama::Template;

/// Renders a page as a 200 HTML response.
pub fn html(page: &impl Template) -> Result<HttpResponse, PageError> {
    let body = page.render().map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}
