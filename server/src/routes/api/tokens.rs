//! `POST /api/v1/tokens` (a device signs in with a username and password and gets a bearer
//! token), `DELETE /api/v1/tokens/{id}` (revoke), and `GET /api/v1/session` (what the offline
//! study page needs to sync with its session cookie).

use crate::auth::api_user::{ApiUser, new_token};
use crate::auth::extract::MaybeUser;
use crate::auth::throttle::Client;
use crate::auth::{credentials, device, session};
use crate::clock::now;
use crate::db::{self, tokens};
use crate::routes::state::AppState;
use crate::web::api_error::{ApiError, ErrorBody};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

/// Longest device name shown on the account page.
pub const MAX_DEVICE_NAME: usize = 64;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
    /// How the learner will recognise this device on their account page ("Ann's phone"):
    /// 1 to 64 characters, not all spaces, no control characters.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub device_name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    /// The bearer token. Shown once: the server keeps only its SHA-256.
    pub token: String,
    pub device_name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// The rule the schema states: at most 64 characters as sent, not only spaces, none a control.
fn device_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() || raw.chars().count() > MAX_DEVICE_NAME || raw.chars().any(char::is_control)
    {
        return Err(ApiError::invalid(format!(
            "device_name must be 1 to {MAX_DEVICE_NAME} printable characters"
        )));
    }
    Ok(name.to_string())
}

/// Issue a device token. Failed attempts count toward the same limits as the login form's.
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    tag = "tokens",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "The token, shown once", body = TokenCreated),
        (status = 400, description = "Malformed request", body = ErrorBody),
        (status = 401, description = "Wrong username or password (`invalid_credentials`)", body = ErrorBody),
        (status = 413, description = "`body_too_large`: over 16 KiB", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
        (status = 503, description = "`disk_full`: nothing stored; try again later", body = ErrorBody),
    )
)]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let device = device_name(&body.device_name)?;
    let username = body.username.trim().to_string();
    let ip = req.peer_addr().map(|a| a.ip());
    // A device cookie counts here too: the offline page's browser, or an app keeping cookies.
    let nonce = device::trusted_nonce(&req, &state.device_key, &username);
    let client = match &nonce {
        Some(n) => Client::Trusted(n),
        None => Client::Untrusted(ip),
    };
    state
        .throttle
        .check(&username, client)
        .map_err(ApiError::TooManyRequests)?;
    let Some(user) = credentials::check(&state.pool, &username, body.password).await? else {
        state.throttle.record_failure(&username, client);
        tracing::warn!(ip = ?ip, "api token refused");
        return Err(ApiError::Unauthorized(
            "invalid_credentials",
            "incorrect username or password".into(),
        ));
    };
    let token = new_token();
    let hash = session::hash_token(&token);
    let created_at = now();
    let user_id = user.id;
    let name = device.clone();
    let id = db::run(&state.pool, move |conn| {
        Ok(tokens::create(conn, user_id, &name, &hash, created_at)?)
    })
    .await?;
    tracing::info!(user_id = %user_id, token_id = id, "api token issued");
    Ok(HttpResponse::Created().json(TokenCreated {
        id,
        token,
        device_name: device,
        created_at,
    }))
}

/// Revoke one of your device tokens (any of them, with any of your credentials).
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "tokens",
    params(("id" = i64, Path, description = "The token's id, as `POST /api/v1/tokens` gave it")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked; it no longer authenticates"),
        (status = 401, description = "No live credentials", body = ErrorBody),
        (status = 404, description = "Not one of your live tokens", body = ErrorBody),
    )
)]
pub async fn revoke(
    user: ApiUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let user_id = user.id;
    let now = now();
    let done = db::run(&state.pool, move |conn| {
        Ok(tokens::revoke(conn, user_id, id, now)?)
    })
    .await?;
    if !done {
        return Err(ApiError::NotFound(
            "no live token of yours has that id".into(),
        ));
    }
    tracing::info!(user_id = %user_id, token_id = id, "api token revoked");
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionInfo {
    pub username: String,
    /// Send as `X-CSRF-Token` with requests that change something.
    pub csrf_token: String,
}

/// For Chronicle's own pages: the signed-in learner and the CSRF token the session cookie
/// needs. Readable only by same-origin scripts (no CORS), like the token in any form.
#[utoipa::path(
    get,
    path = "/api/v1/session",
    tag = "sync",
    security(("session" = [])),
    responses(
        (status = 200, description = "Signed in", body = SessionInfo),
        (status = 401, description = "No session", body = ErrorBody),
    )
)]
pub async fn session(user: MaybeUser) -> Result<HttpResponse, ApiError> {
    let user = user.0.ok_or_else(|| {
        ApiError::Unauthorized("unauthorized", "sign in to Chronicle first".into())
    })?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(SessionInfo {
            username: user.username,
            csrf_token: user.csrf_token,
        }))
}
