//! The one place where API errors become HTTP responses: always JSON,
//! `{"error": {"code": "...", "message": "..."}}`, with a status that says whose fault it is.
//! Client mistakes get a 4xx with a code a program can act on; only our own failures are 500.

use crate::db::DbError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::fmt;
use std::time::Duration;

#[derive(Debug)]
pub enum ApiError {
    /// 400 with a code: `malformed_json`, `invalid_request`, `bad_cursor`, ...
    BadRequest(&'static str, String),
    /// 401: no credentials, or ones we do not know (`unauthorized`, `invalid_credentials`).
    Unauthorized(&'static str, String),
    /// 403: credentials fine, request not allowed (`csrf`, `cross_origin`).
    Forbidden(&'static str, String),
    NotFound(String),
    /// 405, with the methods the resource takes (for the `Allow` header).
    MethodNotAllowed(&'static str),
    /// 413: `body_too_large` or `batch_too_large`.
    TooLarge(&'static str, String),
    UnsupportedMediaType(String),
    TooManyRequests(Duration),
    /// 503 `disk_full`: nothing was stored; reads still work; try again later.
    DiskFull,
    Unexpected(anyhow::Error),
}

/// The error body, as documented in the OpenAPI description.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `malformed_json`, `invalid_request`, `bad_cursor`,
    /// `unauthorized`, `invalid_credentials`, `csrf`, `cross_origin`, `not_found`,
    /// `method_not_allowed`, `body_too_large`, `batch_too_large`, `unsupported_media_type`,
    /// `too_many_requests`, `disk_full`, `internal`.
    pub code: String,
    /// For people; may change.
    pub message: String,
}

impl ApiError {
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest("invalid_request", message.into())
    }

    fn code_and_message(&self) -> (&'static str, String) {
        match self {
            ApiError::BadRequest(c, m)
            | ApiError::Unauthorized(c, m)
            | ApiError::Forbidden(c, m)
            | ApiError::TooLarge(c, m) => (c, m.clone()),
            ApiError::NotFound(m) => ("not_found", m.clone()),
            ApiError::MethodNotAllowed(_) => (
                "method_not_allowed",
                "this endpoint does not take that method".into(),
            ),
            ApiError::UnsupportedMediaType(m) => ("unsupported_media_type", m.clone()),
            ApiError::TooManyRequests(wait) => (
                "too_many_requests",
                format!(
                    "too many failed attempts; try again in {} seconds",
                    wait.as_secs().max(1)
                ),
            ),
            ApiError::DiskFull => (
                "disk_full",
                "the server's disk is full, so nothing was stored; try again later".into(),
            ),
            ApiError::Unexpected(_) => (
                "internal",
                "something went wrong on our side; try again".into(),
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Unexpected(e) => write!(f, "unexpected error: {e:#}"),
            other => f.write_str(&other.code_and_message().1),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError::from(anyhow::Error::from(e))
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        if crate::db::chain_is_disk_full(&e) {
            ApiError::DiskFull
        } else {
            ApiError::Unexpected(e)
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(..) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(..) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(..) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(..) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::DiskFull => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Unexpected(e) = self {
            tracing::error!(error = %format!("{e:#}"), "api request failed");
        }
        if let ApiError::DiskFull = self {
            tracing::error!("write refused: the disk holding the database is full");
        }
        let (code, message) = self.code_and_message();
        let mut response = HttpResponse::build(self.status_code());
        if let ApiError::TooManyRequests(wait) = self {
            response.insert_header(("Retry-After", wait.as_secs().max(1).to_string()));
        }
        if let ApiError::DiskFull = self {
            response.insert_header(("Retry-After", "60"));
        }
        if let ApiError::MethodNotAllowed(allow) = self {
            response.insert_header(("Allow", *allow));
        }
        if let ApiError::Unauthorized(..) = self {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: code.to_string(),
                message,
            },
        })
    }
}

/// Turns the body extractor's failures into API errors: too large, not JSON, wrong shape.
pub fn json_error(err: actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => ApiError::TooLarge(
            "body_too_large",
            format!("the request body is larger than {limit} bytes"),
        ),
        E::ContentType => {
            ApiError::UnsupportedMediaType("send the body as application/json".into())
        }
        E::Deserialize(e) => ApiError::BadRequest("malformed_json", e.to_string()),
        other => ApiError::BadRequest("malformed_json", other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    #[test]
    fn errors_are_json_with_a_code() {
        let r = ApiError::TooLarge("batch_too_large", "at most 2".into()).error_response();
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let body = r.into_body().try_into_bytes().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"]["code"], "batch_too_large");
        assert_eq!(v["error"]["message"], "at most 2");
    }

    #[test]
    fn our_failures_do_not_leak_details() {
        let r = ApiError::Unexpected(anyhow::anyhow!("disk full at /secret")).error_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = r.into_body().try_into_bytes().unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("secret"));
    }
}
