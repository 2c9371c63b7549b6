//! Password hashing with argon2id at OWASP's parameters (m = 19456 KiB, t = 2, p = 1), and the
//! strength policy. Hashing is slow on purpose, so callers run it on a blocking thread.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("making a salt: {e}"))?;
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
        .to_string())
}

/// Verifies against `stored`, or against a dummy hash when there is no such user, so that
/// both cases take the same time and an attacker cannot tell which usernames exist.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash("not a real password, only for timing").unwrap_or_default());
    let target = stored.unwrap_or(dummy);
    let ok = PasswordHash::new(target)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && stored.is_some()
}

/// Checks length and guessability (zxcvbn, which knows common passwords and patterns).
pub fn check_strength(password: &str, username: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(format!("Use at least {MIN_LEN} characters."));
    }
    if len > MAX_LEN {
        return Err(format!("Use at most {MAX_LEN} characters."));
    }
    let score = zxcvbn::zxcvbn(password, &[username]).score();
    if (score as u8) < 2 {
        return Err(
            "That password is too common or easy to guess. Try a few unrelated words together."
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash("quiet-river-lantern").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(Some(&h), "quiet-river-lantern"));
        assert!(!verify(Some(&h), "quiet-river-lanterm"));
        assert!(!verify(None, "quiet-river-lantern"));
    }

    #[test]
    fn strength_policy() {
        assert!(check_strength("short", "ann").is_err());
        assert!(check_strength(&"x".repeat(129), "ann").is_err());
        assert!(check_strength("password", "ann").is_err());
        assert!(check_strength("password123", "ann").is_err());
        assert!(check_strength("annann123", "annann").is_err());
        assert!(check_strength("quiet-river-lantern", "ann").is_ok());
    }
}
