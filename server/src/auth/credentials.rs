//! The login credential check, shared by the login form and the device-token API.

use super::password;
use crate::db::{self, DbError, users};

/// The user whose username and password these are, or `None`. argon2 runs off the async
/// workers, and an unknown username is checked against a dummy hash, so both cases cost the
/// same and timing does not tell which usernames exist.
pub async fn check(
    pool: &db::Pool,
    username: &str,
    password: String,
) -> Result<Option<users::User>, DbError> {
    let lookup = username.to_string();
    let candidate = db::run(pool, move |conn| Ok(users::by_username(conn, &lookup)?)).await?;
    let stored = candidate.as_ref().map(|u| u.password_hash.clone());
    let ok = password::verify_off_thread(stored, password)
        .await
        .map_err(|e| DbError::Blocking(e.to_string()))?;
    Ok(candidate.filter(|_| ok))
}
