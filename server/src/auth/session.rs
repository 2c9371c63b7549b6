//! Session tokens: 256 random bits in an HttpOnly, SameSite=Lax cookie; the database keeps
//! only their SHA-256. A session ends after 7 days idle or 30 days in all, whichever is first.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "chronicle_session";
pub const IDLE_SECONDS: i64 = 7 * 86_400;
pub const ABSOLUTE_SECONDS: i64 = 30 * 86_400;
/// `last_seen` is written at most this often, to keep reads from becoming writes.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// 32 random bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::seconds(ABSOLUTE_SECONDS))
        .finish()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut c = cookie("", secure);
    c.make_removal();
    c
}

/// Whether a session created at `created_at` and last seen at `last_seen` is still valid.
pub fn is_live(created_at: i64, last_seen: i64, expires_at: i64, now: i64) -> bool {
    now < expires_at && now - last_seen < IDLE_SECONDS && now - created_at < ABSOLUTE_SECONDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn expiry() {
        assert!(is_live(0, 0, ABSOLUTE_SECONDS, 10));
        assert!(!is_live(0, 0, ABSOLUTE_SECONDS, IDLE_SECONDS));
        assert!(!is_live(
            0,
            ABSOLUTE_SECONDS - 5,
            ABSOLUTE_SECONDS,
            ABSOLUTE_SECONDS
        ));
    }

    #[test]
    fn cookie_flags() {
        let c = cookie("t", true);
        assert_eq!(c.http_only(), Some(true));
        assert_eq!(c.same_site(), Some(SameSite::Lax));
        assert_eq!(c.secure(), Some(true));
    }
}
