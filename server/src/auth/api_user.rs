//! Who is calling the JSON API. Two ways in:
//! - `Authorization: Bearer <token>`: a device token from `POST /api/v1/tokens`, for apps;
//! - the browser's session cookie, for Chronicle's own offline study page, which is served to
//!   a signed-in learner. Requests that change something must then carry the session's CSRF
//!   token in `X-CSRF-Token`, as forms carry it in a field, so another site cannot make a
//!   learner's browser sync on its behalf.
//!
//! A request with an `Authorization` header is judged by that header alone.

use super::{csrf, session};
use crate::db::{self, tokens, users};
use crate::ids::UserId;
use crate::web::api_error::ApiError;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// Device tokens start with this, so a leaked one is easy to recognise (and to scan for).
pub const TOKEN_PREFIX: &str = "chr_";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Token { id: i64 },
    Session,
}

#[derive(Debug, Clone)]
pub struct ApiUser {
    pub id: UserId,
    pub desired_retention: f64,
    pub new_per_day: i64,
    pub credential: Credential,
}

/// A fresh device token: the prefix and 256 random bits in hex.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", session::random_token())
}

fn unauthorized() -> ApiError {
    ApiError::Unauthorized(
        "unauthorized",
        "send `Authorization: Bearer <token>` with a live device token".into(),
    )
}

async fn by_token(pool: &db::Pool, header: &str) -> Result<ApiUser, ApiError> {
    let token = header
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| t.starts_with(TOKEN_PREFIX))
        .ok_or_else(unauthorized)?;
    let hash = session::hash_token(token);
    let now = crate::clock::now();
    let found = db::run(pool, move |conn| {
        let Some((user_id, token_id)) = tokens::authenticate(conn, &hash, now)? else {
            return Ok(None);
        };
        Ok(users::by_id(conn, user_id)?.map(|u| (u, token_id)))
    })
    .await?;
    let (user, token_id) = found.ok_or_else(unauthorized)?;
    Ok(ApiUser {
        id: user.id,
        desired_retention: user.desired_retention,
        new_per_day: user.new_per_day,
        credential: Credential::Token { id: token_id },
    })
}

async fn by_session(req: &HttpRequest) -> Result<ApiUser, ApiError> {
    let user = super::extract::load(req)
        .await
        .map_err(|e| ApiError::Unexpected(anyhow::anyhow!("loading the session: {e}")))?
        .ok_or_else(unauthorized)?;
    let safe = matches!(req.method().as_str(), "GET" | "HEAD" | "OPTIONS");
    if !safe {
        let given = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !csrf::tokens_match(&user.csrf_token, given) {
            return Err(ApiError::Forbidden(
                "csrf",
                format!("a request made with the session cookie needs the {CSRF_HEADER} header"),
            ));
        }
    }
    Ok(ApiUser {
        id: user.id,
        desired_retention: user.desired_retention,
        new_per_day: user.new_per_day,
        credential: Credential::Session,
    })
}

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let pool = req
                .app_data::<web::Data<db::Pool>>()
                .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("database pool missing")))?
                .clone();
            let header = req
                .headers()
                .get(AUTHORIZATION)
                .map(|v| v.to_str().unwrap_or("").to_string());
            match header {
                Some(h) => by_token(&pool, &h).await,
                None => by_session(&req).await,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_random_and_stored_only_as_a_hash() {
        let t = new_token();
        assert!(t.starts_with(TOKEN_PREFIX));
        assert_eq!(t.len(), TOKEN_PREFIX.len() + 64);
        assert_ne!(t, new_token());
        assert!(!session::hash_token(&t).contains(&t[TOKEN_PREFIX.len()..]));
    }
}
