//! Sessions lately read, by token hash, so that most requests need no database round trip
//! for their user: the lookup was a blocking-pool hop of its own on every request (the
//! hops were about a sixth of the server's CPU per answer in the load benchmark's profile).
//!
//! The app owns one (`app.rs` registers it beside the pool), so two apps in one process
//! (tests) never honour each other's sessions. A copy is used only while nothing that could
//! end a session or change an account has been written since it was read
//! (`sessions::changes`, counted for the whole process: a write in another app only costs
//! a read again), for at most [`KEEP_SECONDS`], and never when the session is due to be
//! touched: logout, a password change, rotation at login and settings reach every request
//! at once. [`KEEP_SECONDS`] bounds what another process (the `chronicle user` command)
//! can change unseen.

use super::session;
use crate::db::sessions;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

const KEEP_SECONDS: i64 = 10;
/// Past this many copies the store starts again empty.
const KEPT_SESSIONS: usize = 10_000;

/// Copies of sessions and their users (`U`: the extractor's `CurrentUser`).
pub struct SessionCache<U> {
    kept: Mutex<HashMap<String, Kept<U>>>,
}

impl<U> Default for SessionCache<U> {
    fn default() -> Self {
        SessionCache {
            kept: Mutex::new(HashMap::new()),
        }
    }
}

/// A session as it was read, with what decides whether the copy may still be used.
pub(crate) struct Kept<U> {
    pub user: U,
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
    pub read_at: i64,
    /// `sessions::changes()` just before the read.
    pub changes: u64,
}

impl<U: Clone> SessionCache<U> {
    /// The user of session `hash` as kept, if the copy may still be used at `now`.
    pub(crate) fn get(&self, hash: &str, now: i64) -> Option<U> {
        let kept = self.lock();
        let k = kept.get(hash)?;
        let fresh = k.changes == sessions::changes()
            && now - k.read_at < KEEP_SECONDS
            && now - k.last_seen < session::TOUCH_EVERY_SECONDS
            && session::is_live(k.created_at, k.last_seen, k.expires_at, now);
        fresh.then(|| k.user.clone())
    }

    pub(crate) fn keep(&self, hash: String, k: Kept<U>) {
        let mut kept = self.lock();
        if kept.len() >= KEPT_SESSIONS {
            kept.clear();
        }
        kept.insert(hash, k);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Kept<U>>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}
