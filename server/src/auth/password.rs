//! Password hashing with argon2id at OWASP's parameters (m = 19456 KiB, t = 2, p = 1), and the
//! strength policy. Hashing is slow on purpose: handlers use [`hash_off_thread`] and
//! [`verify_off_thread`], which queue the work for threads of its own.

use argon2::password_hash::{self, Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::sync::{Arc, LazyLock, Mutex, OnceLock, mpsc};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

fn params() -> Params {
    Params::new(19_456, 2, 1, None).expect("OWASP argon2 parameters are valid")
}

/// How many argon2 computations may run at once: one per core but one, and at least one.
/// Each holds 19 MiB and keeps a core busy for tens of milliseconds, so running more only
/// multiplies memory (a storm of logins once reached 2 GiB) and takes from the pages the
/// core that they need; logins beyond it wait their turn.
fn at_once() -> usize {
    static AT_ONCE: OnceLock<usize> = OnceLock::new();
    *AT_ONCE.get_or_init(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
    })
}

type Job = Box<dyn FnOnce() + Send>;

/// Threads of their own for the handlers' argon2 jobs, which queue for them in a channel:
/// a login waiting its turn holds no thread of the blocking pool, which the pages'
/// database reads run on, and each thread goes from one job to the next without a round
/// trip through the async worker, however busy that is with pages.
struct Workers(mpsc::Sender<Job>);

impl Workers {
    fn start(threads: usize) -> Workers {
        let (send, receive) = mpsc::channel::<Job>();
        let receive = Arc::new(Mutex::new(receive));
        for i in 0..threads {
            let receive = Arc::clone(&receive);
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        match job {
                            // A job that panics drops its reply, which its caller reports.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password thread");
            }
        }
        Workers(send)
    }

    /// Runs `job` on one of the threads, in the order asked.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.0
            .send(Box::new(move || {
                let _ = reply.send(job());
            }))
            .map_err(|_| anyhow::anyhow!("the password threads are gone"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("a password task failed"))
    }
}

static WORKERS: LazyLock<Workers> = LazyLock::new(|| Workers::start(at_once()));

/// Argon2's working memory, kept between computations (at most [`at_once`] of them). A
/// fresh 19 MiB each time was mapped, faulted in page by page and zeroed by the kernel:
/// 28 ms of CPU a hash against 17 ms in reused memory, measured on the benchmark machine.
/// What a computation leaves in it is overwritten by the next one.
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn with_memory<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let spare = MEMORY.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let mut memory = spare.unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let out = f(&mut memory);
    let mut kept = MEMORY.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() < at_once() {
        kept.push(memory);
    }
    out
}

/// The argon2 output for these inputs, computed in kept memory.
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: Salt<'_>,
    output_len: usize,
) -> password_hash::Result<Output> {
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    with_memory(blocks, |memory| {
        Output::init_with(output_len, |out| {
            Ok(argon2.hash_password_into_with_memory(password, salt, out, &mut *memory)?)
        })
    })
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) for `password`.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("making a salt: {e}"))?;
    let params = params();
    let phc = (|| -> password_hash::Result<String> {
        let output = compute(
            Algorithm::Argon2id,
            Version::V0x13,
            params.clone(),
            password.as_bytes(),
            salt.as_salt(),
            Params::DEFAULT_OUTPUT_LEN,
        )?;
        Ok(PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params)?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        }
        .to_string())
    })();
    phc.map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// True when `password` gives the hash `stored` holds, with the algorithm, version and
/// parameters written in it (hashes made with other parameters still verify).
fn matches(stored: &PasswordHash<'_>, password: &[u8]) -> password_hash::Result<bool> {
    let (Some(salt), Some(expected)) = (stored.salt, &stored.hash) else {
        return Ok(false);
    };
    let algorithm = Algorithm::try_from(stored.algorithm)?;
    let version = stored
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(stored)?;
    let computed = compute(algorithm, version, params, password, salt, expected.len())?;
    // `Output`'s equality is constant-time.
    Ok(computed == *expected)
}

/// Verifies against `stored`, or against a dummy hash when there is no such user, so that
/// both cases take the same time and an attacker cannot tell which usernames exist.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash("not a real password, only for timing").unwrap_or_default());
    let target = stored.unwrap_or(dummy);
    let ok = PasswordHash::new(target)
        .and_then(|parsed| matches(&parsed, password.as_bytes()))
        .unwrap_or(false);
    ok && stored.is_some()
}

/// [`hash`], in turn, on the password threads.
pub async fn hash_off_thread(password: String) -> anyhow::Result<String> {
    WORKERS.run(move || hash(&password)).await?
}

/// [`verify`], in turn, on the password threads.
pub async fn verify_off_thread(stored: Option<String>, password: String) -> anyhow::Result<bool> {
    WORKERS
        .run(move || verify(stored.as_deref(), &password))
        .await
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
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    #[test]
    fn hash_and_verify() {
        let h = hash("quiet-river-lantern").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(Some(&h), "quiet-river-lantern"));
        assert!(!verify(Some(&h), "quiet-river-lanterm"));
        assert!(!verify(None, "quiet-river-lantern"));
    }

    /// Stored hashes made by the argon2 crate's own hasher (every account so far) verify, at
    /// these parameters and at others, smaller and larger than the kept memory, in any
    /// order; and the crate's verifier accepts the hashes made here.
    #[test]
    fn hashes_agree_with_the_argon2_crate_both_ways() {
        let stock = |m, t, p| {
            let a = Argon2::new(
                Algorithm::Argon2id,
                Version::V0x13,
                Params::new(m, t, p, None).unwrap(),
            );
            let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
            a.hash_password(b"quiet-river-lantern", &salt)
                .unwrap()
                .to_string()
        };
        let ours = hash("quiet-river-lantern").unwrap();
        for stored in [
            stock(19_456, 2, 1),
            stock(8_192, 3, 1),
            stock(32_768, 1, 2),
            ours.clone(),
            stock(19_456, 2, 1),
        ] {
            assert!(verify(Some(&stored), "quiet-river-lantern"), "{stored}");
            assert!(!verify(Some(&stored), "quiet-river-lantern!"), "{stored}");
        }
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"quiet-river-lantern", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"quiet-river-lanterm", &parsed)
                .is_err()
        );
    }

    #[test]
    fn a_stored_value_that_is_no_hash_never_verifies() {
        for stored in ["", "plain text", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA"] {
            assert!(!verify(Some(stored), ""), "{stored}");
            assert!(!verify(Some(stored), "plain text"), "{stored}");
        }
    }

    #[actix_web::test]
    async fn the_threads_cap_how_many_run_at_once_and_a_panic_is_reported() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let workers = Arc::new(Workers::start(2));
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<_> = (0..8)
            .map(|_| {
                let (workers, now, peak) =
                    (Arc::clone(&workers), Arc::clone(&now), Arc::clone(&peak));
                actix_web::rt::spawn(async move {
                    workers
                        .run(move || {
                            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                            peak.fetch_max(n, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            now.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for job in jobs {
            job.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert!(workers.run(|| panic!("a broken job")).await.is_err());
        // Both threads are still there after it.
        assert_eq!(
            workers.run(|| 1).await.unwrap() + workers.run(|| 1).await.unwrap(),
            2
        );
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
