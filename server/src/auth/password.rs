//! Password hashing with argon2id at OWASP's parameters (m = 19456 KiB, t = 2, p = 1), and the
//! strength policy. Hashing is slow on purpose, so callers run it on a blocking thread.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Condvar, Mutex, OnceLock};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// How many argon2 computations may run at once: one per core. Each holds 19 MiB and keeps a
/// core busy for tens of milliseconds, so running more at once only multiplies memory (a
/// storm of logins reached 2 GiB) and makes every login wait for all the others; queued ones
/// wait here, on their blocking thread, holding nothing.
struct Slots {
    busy: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

impl Slots {
    fn global() -> &'static Slots {
        static SLOTS: OnceLock<Slots> = OnceLock::new();
        SLOTS.get_or_init(|| Slots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            max: std::thread::available_parallelism().map_or(1, |n| n.get()),
        })
    }

    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        {
            let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
            while *busy >= self.max {
                busy = self.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
            }
            *busy += 1;
        }
        // Released even if `f` panics.
        struct Release<'a>(&'a Slots);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                *self.0.busy.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
                self.0.freed.notify_one();
            }
        }
        let _release = Release(self);
        f()
    }
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("making a salt: {e}"))?;
    Slots::global().run(|| {
        Ok(argon2()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?
            .to_string())
    })
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
            Slots::global().run(|| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
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
    fn slots_cap_how_many_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let slots = Slots {
            busy: Mutex::new(0),
            freed: Condvar::new(),
            max: 2,
        };
        let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    slots.run(|| {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        now.fetch_sub(1, Ordering::SeqCst);
                    })
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert_eq!(*slots.busy.lock().unwrap(), 0);
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
