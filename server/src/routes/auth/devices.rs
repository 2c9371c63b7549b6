//! The devices (sync API tokens) the account page lists, and `POST /account/tokens/{id}/revoke`.

use crate::auth::extract::CurrentUser;
use crate::clock::now;
use crate::db::{self, tokens};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::form::CsrfForm;
use crate::web::redirect::redirect;
use actix_web::{HttpResponse, web};

/// A device token as the account page lists it.
pub struct DeviceRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: Option<String>,
}

/// `POST /account/tokens/{id}/revoke`: signs a device out of the sync API.
pub async fn revoke_device(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (user_id, id, now) = (user.id, path.into_inner(), now());
    let revoked = db::run(&state.pool, move |conn| {
        Ok(tokens::revoke(conn, user_id, id, now)?)
    })
    .await?;
    if !revoked {
        return Err(PageError::NotFound);
    }
    tracing::info!(
        user_id = %user_id,
        token_id = id,
        "api token revoked from the account page"
    );
    Ok(redirect("/account?changed=device"))
}
