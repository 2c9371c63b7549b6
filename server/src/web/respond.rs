//! The pages handlers send: rendered, or a form sent back to be fixed.

use super::error::PageError;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

/// Renders a page as a 200 HTML response.
pub fn html(page: &impl Template) -> Result<HttpResponse, PageError> {
    let body = page.render().map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// Renders a page with another status than 200.
pub fn with_status(page: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    let mut response = html(page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// Sends a form page back to be fixed: 422, the page showing what was typed and what is wrong.
pub fn unprocessable(page: &impl Template) -> Result<HttpResponse, PageError> {
    with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
}
