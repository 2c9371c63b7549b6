//! Device cookies, after OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a
//! browser that has signed in to an account carries a cookie, signed by the server, naming
//! that account. Its login attempts for that account are counted against that cookie alone,
//! so strangers guessing the password (who lock the account for untrusted clients and their
//! own address) cannot lock its owner out.
//!
//! The value is `<account, hex>.<nonce, hex>.<HMAC-SHA256 of both, hex>`; the nonce names
//! the device in the throttle.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const COOKIE: &str = "chronicle_device";
/// A device stays trusted for a year after its last successful sign-in.
const MAX_AGE_DAYS: i64 = 365;

#[derive(Clone)]
pub struct DeviceKey([u8; 32]);

impl DeviceKey {
    pub fn new(key: [u8; 32]) -> DeviceKey {
        DeviceKey(key)
    }

    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key");
        mac.update(payload.as_bytes());
        mac
    }

    /// A new cookie value for `username` on this device.
    pub fn issue(&self, username: &str) -> String {
        let mut nonce = [0u8; 16];
        rand::rng().fill_bytes(&mut nonce);
        let payload = format!(
            "{}.{}",
            hex::encode(username.to_lowercase()),
            hex::encode(nonce)
        );
        let tag = hex::encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{tag}")
    }

    /// The device's nonce when `value` is a cookie this server signed for `username`.
    pub fn verify<'a>(&self, value: &'a str, username: &str) -> Option<&'a str> {
        let (payload, tag) = value.rsplit_once('.')?;
        let (account, nonce) = payload.split_once('.')?;
        let tag = hex::decode(tag).ok()?;
        // `verify_slice` compares in constant time.
        self.mac(payload).verify_slice(&tag).ok()?;
        let account = String::from_utf8(hex::decode(account).ok()?).ok()?;
        (account == username.to_lowercase()).then_some(nonce)
    }
}

/// Who is trying to sign in as `username` with `req`, for the throttle: the device's nonce
/// when it carries a cookie signed for that account.
pub fn trusted_nonce(req: &HttpRequest, key: &DeviceKey, username: &str) -> Option<String> {
    let cookie = req.cookie(COOKIE)?;
    key.verify(cookie.value(), username).map(str::to_string)
}

pub fn cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(CookieDuration::days(MAX_AGE_DAYS))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_trusted_only_for_its_account_and_only_unaltered() {
        let key = DeviceKey::new([7; 32]);
        let value = key.issue("Ann");
        let nonce = key.verify(&value, "ann").expect("trusted for ann");
        assert_eq!(nonce.len(), 32);
        assert_eq!(key.verify(&value, "bob"), None, "not for another account");
        assert_eq!(
            DeviceKey::new([8; 32]).verify(&value, "ann"),
            None,
            "another key"
        );
        let mut forged = value.clone();
        forged.replace_range(0..2, "62"); // 'b' for 'a'
        assert_eq!(key.verify(&forged, "bnn"), None, "altered account");
        assert_eq!(key.verify("garbage", "ann"), None);
        assert_eq!(key.verify("..", "ann"), None);
        assert_ne!(key.issue("ann"), value, "every device has its own nonce");
    }
}
