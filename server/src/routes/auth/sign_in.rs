//! What signing in does, after login or registering: a fresh session, the trusted-device
//! cookie, and the class a join link was taking the visitor to.

use crate::auth::{device, session};
use crate::clock::now;
use crate::db::users::Role;
use crate::db::{self, sessions};
use crate::ids::UserId;
use crate::routes::classes::membership::{self, Invitation, Joined};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use actix_web::HttpResponse;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NextQuery {
    pub(super) next: Option<String>,
    /// A class's join code, carried from its join link through registering or logging in.
    pub(super) join: Option<String>,
}

/// The class a join code names, if the code still opens one; anything else is dropped
/// quietly (the visitor can still register or log in, and type a code later).
pub(super) async fn invitation_for(
    state: &AppState,
    code: Option<&str>,
) -> Result<Option<Invitation>, PageError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => membership::invitation(state, c).await,
        None => Ok(None),
    }
}

/// Where a learner who came by a join link goes once signed in: into the class.
pub(super) async fn after_sign_in(
    state: &AppState,
    user_id: UserId,
    role: Role,
    join: Option<&Invitation>,
    otherwise: &str,
) -> Result<String, PageError> {
    let Some(invitation) = join else {
        return Ok(otherwise.to_string());
    };
    if role != Role::Learner {
        // The join page says why a teacher cannot join.
        return Ok(format!("/join/{}", invitation.code));
    }
    Ok(
        match membership::join_by_code(state, user_id, &invitation.code).await? {
            Joined::Member(class_id) => {
                tracing::info!(user_id = %user_id, class_id = %class_id, "joined a class by its link");
                format!("/classes/{class_id}")
            }
            // The join page says the teacher removed them.
            Joined::Barred => format!("/join/{}", invitation.code),
            Joined::NoSuchCode => otherwise.to_string(),
        },
    )
}

/// Starts a fresh session (a new token every time) and returns its cookie.
pub(crate) async fn start_session(
    state: &AppState,
    user_id: UserId,
    replacing: Option<String>,
) -> Result<actix_web::cookie::Cookie<'static>, PageError> {
    let token = session::random_token();
    let hash = session::hash_token(&token);
    let csrf_secret = session::random_token();
    let now = now();
    let replacing = replacing.map(|old| session::hash_token(&old));
    db::run(&state.pool, move |conn| {
        Ok(sessions::start(
            conn,
            &hash,
            user_id,
            &csrf_secret,
            replacing.as_deref(),
            now,
            now + session::ABSOLUTE_SECONDS,
        )?)
    })
    .await?;
    Ok(session::cookie(&token, state.settings.secure_cookies))
}

/// Marks this browser as one that signed in to `username` (see `auth::device`).
pub(super) fn trust_device(
    state: &AppState,
    response: &mut HttpResponse,
    username: &str,
) -> Result<(), PageError> {
    let value = state.device_key.issue(username);
    response
        .add_cookie(&device::cookie(value, state.settings.secure_cookies))
        .map_err(|e| PageError::Unexpected(e.into()))
}
