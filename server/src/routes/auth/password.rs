//! `POST /account/password`: a new password ends every other session and device token.

use super::account::account_page;
use super::sign_in::start_session;
use crate::auth::extract::CurrentUser;
use crate::auth::password;
use crate::clock::now;
use crate::db::{self, users};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::redirect::redirect;
use crate::web::respond::unprocessable;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    user.verify_csrf(&form.csrf_token)?;
    let mut page = account_page(&state, &user).await?;
    let user_id = user.id;
    let stored = db::run(&state.pool, move |conn| Ok(users::by_id(conn, user_id)?))
        .await?
        .map(|u| u.password_hash);
    let current = form.current_password.clone();
    let ok = password::verify_off_thread(stored, current)
        .await
        .map_err(PageError::Unexpected)?;
    if !ok {
        page.current_password_error = Some("That is not your current password.".into());
        return unprocessable(&page);
    }
    if let Err(e) = password::check_strength(&form.new_password, &user.username) {
        page.new_password_error = Some(e);
        return unprocessable(&page);
    }
    let new_password = form.new_password;
    let hash = password::hash_off_thread(new_password)
        .await
        .map_err(PageError::Unexpected)?;
    // A new password ends every session, this one included (a fresh one replaces it), and
    // revokes every device token.
    let at = now();
    let revoked = db::run(&state.pool, move |conn| {
        Ok(users::change_password(conn, user_id, &hash, at)?)
    })
    .await?;
    let cookie = start_session(&state, user_id, None).await?;
    tracing::info!(
        user_id = %user_id,
        tokens_revoked = revoked,
        "password changed; other sessions and device tokens ended"
    );
    let mut response = redirect("/account?changed=password");
    response
        .add_cookie(&cookie)
        .map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(response)
}
