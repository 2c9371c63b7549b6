//! The one place where page errors become HTTP responses.

use super::page::PageCtx;
use crate::db::DbError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use std::fmt;

#[derive(Debug)]
pub enum PageError {
    NotFound,
    BadRequest(String),
    Forbidden(String),
    TooManyRequests(String),
    /// 503: the server's disk is full, so nothing could be saved.
    DiskFull,
    /// No live session: go to the login page, then come back to this path.
    LoginRequired(String),
    Unexpected(anyhow::Error),
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::NotFound => f.write_str("not found"),
            PageError::BadRequest(m) | PageError::Forbidden(m) | PageError::TooManyRequests(m) => {
                f.write_str(m)
            }
            PageError::LoginRequired(_) => f.write_str("login required"),
            PageError::DiskFull => f.write_str("disk full"),
            PageError::Unexpected(e) => write!(f, "unexpected error: {e:#}"),
        }
    }
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        PageError::from(anyhow::Error::from(e))
    }
}

impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> Self {
        if crate::db::chain_is_disk_full(&e) {
            PageError::DiskFull
        } else {
            PageError::Unexpected(e)
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: PageCtx,
    heading: &'a str,
    message: &'a str,
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Forbidden(_) => StatusCode::FORBIDDEN,
            PageError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            PageError::DiskFull => StatusCode::SERVICE_UNAVAILABLE,
            PageError::LoginRequired(_) => StatusCode::SEE_OTHER,
            PageError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::LoginRequired(next) = self {
            return super::redirect::to_login(next);
        }
        let (heading, message) = match self {
            PageError::NotFound => ("Not found", "There is nothing at this address."),
            PageError::BadRequest(m) => ("That did not work", m.as_str()),
            PageError::Forbidden(m) => ("Not allowed", m.as_str()),
            PageError::TooManyRequests(m) => ("Slow down", m.as_str()),
            PageError::DiskFull => {
                tracing::error!("write refused: the disk holding the database is full");
                (
                    "Not saved: the server's disk is full",
                    "The server's disk is full, so nothing was saved. You can still read; \
                     try again once its administrator has freed space.",
                )
            }
            PageError::Unexpected(e) => {
                tracing::error!(error = %format!("{e:#}"), "request failed");
                (
                    "Something went wrong",
                    "Something went wrong on our side. Please try again.",
                )
            }
            PageError::LoginRequired(_) => ("", ""),
        };
        let body = ErrorPage {
            page: PageCtx::anonymous(String::new()),
            heading,
            message,
        }
        .render()
        .unwrap_or_else(|_| message.to_string());
        let mut response = HttpResponse::build(self.status_code());
        if let PageError::DiskFull = self {
            response.insert_header(("Retry-After", "60"));
        }
        response.content_type("text/html; charset=utf-8").body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(e: PageError) -> (StatusCode, String) {
        let r = e.error_response();
        let status = r.status();
        let bytes = actix_web::body::to_bytes(r.into_body()).await.unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    #[actix_web::test]
    async fn page_errors_render_the_error_page_with_their_status() {
        let (status, html) = body(PageError::Forbidden("No <script> here.".into())).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(html.contains("Not allowed"), "{html}");
        assert!(html.contains("No &#60;script&#62; here."));
        let (status, html) = body(PageError::Unexpected(anyhow::anyhow!("db path /x"))).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!html.contains("/x"), "our failures do not leak details");
    }
}
