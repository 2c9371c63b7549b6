//! A count of the writes that change which assignments a learner is set (an assignment
//! saved or deleted, a member joining or leaving, a class renamed or archived), so that a
//! learner's list kept in memory (`routes::classes::kept`) is known to be out of date at
//! once, whoever made the write. Process-wide: a write in one app only makes another's
//! copies be read again, never wrong.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

static CHANGES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set by [`changed`] on this thread; [`db::run`](crate::db::run) bumps [`CHANGES`]
    /// again once its closure has returned, so after the commit too: a reader that looked
    /// between the first bump and the commit saw the old rows, and its copy is stale again.
    static CHANGED_HERE: Cell<bool> = const { Cell::new(false) };
}

/// How many such writes this process has made (compare two readings, nothing else).
pub fn changes() -> u64 {
    CHANGES.load(Ordering::SeqCst)
}

/// Records a write of that kind (called by the writes themselves).
pub(crate) fn changed() {
    CHANGES.fetch_add(1, Ordering::SeqCst);
    CHANGED_HERE.with(|c| c.set(true));
}

/// Bumps [`CHANGES`] once more if this thread made such a write since the last call.
pub(crate) fn settle() {
    if CHANGED_HERE.with(|c| c.replace(false)) {
        CHANGES.fetch_add(1, Ordering::SeqCst);
    }
}
