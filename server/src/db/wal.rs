//! Keeping the write-ahead log small. Commits append to the WAL; a background thread copies
//! it into the database file and, when it has grown or the writers pause, truncates it.
//!
//! Measured (server/tests/wal.rs, four clients syncing 200-review batches, debug build): with
//! passive checkpoints alone the WAL reached 145 MiB in 12 s and kept that size after the
//! load, because SQLite only rewinds the WAL when a writer finds no reader still in it, and a
//! steady stream of readers always is. A truncating checkpoint waits for those readers.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Past this the checkpointer truncates even while writers are busy: it closes [`GATE`] and
/// holds every database call up for one checkpoint (30-130 ms measured under that load).
pub const TRUNCATE_ABOVE: u64 = 16 * 1024 * 1024;
/// `PRAGMA journal_size_limit`: what SQLite keeps of the WAL file when it rewinds it.
pub const SIZE_LIMIT: u64 = 4 * 1024 * 1024;

/// Every [`super::run`] holds this shared; the checkpointer takes it alone for a checkpoint
/// of a WAL past [`TRUNCATE_ABOVE`]. Without it a truncating checkpoint had to win the write
/// lock against a stream of commits: it waited up to seconds while the WAL grew by
/// 60 MiB a second, to 195 MiB. (One gate for the process: tests that run several apps
/// in one process only share the pauses.)
pub static GATE: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// The checkpoint to run on one tick of the checkpointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// Nothing to do: the WAL is empty.
    None,
    /// Copy what it can without waiting for anyone (writers are busy, the WAL is small).
    Passive,
    /// Wait for readers and writers, copy everything, and cut the WAL file to zero.
    Truncate,
    /// The same, with every database call held at [`GATE`] meanwhile.
    TruncateNow,
}

/// What to do with a WAL of `size` bytes, looked at every [`POLL`]. `tick` says a periodic
/// checkpoint is due, and `at_last_tick` is the size the WAL had at the previous one.
pub fn plan(size: u64, at_last_tick: u64, tick: bool) -> Checkpoint {
    if size > TRUNCATE_ABOVE {
        Checkpoint::TruncateNow
    } else if !tick || size == 0 {
        Checkpoint::None
    } else if size == at_last_tick {
        // No commit grew it since the last tick: the writers have paused.
        Checkpoint::Truncate
    } else {
        Checkpoint::Passive
    }
}

/// How often the WAL's size is looked at: a stat call, cheap. Four syncing clients grow
/// the WAL by about 20 MiB a second, so a 1-second look let it pass 64 MiB.
pub const POLL: Duration = Duration::from_millis(100);
const BACKOFF: Duration = Duration::from_secs(5);

pub fn wal_path(db: &Path) -> PathBuf {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    PathBuf::from(wal)
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Checkpoints the WAL of `db` every `every`, on its own thread, for as long as `alive` can
/// be upgraded.
///
/// With SQLite's default (a checkpoint by whichever commit takes the WAL past 1,000 pages),
/// a steady stream of readers keeps each checkpoint from finishing, so nearly every commit
/// tried again, and fsync-ed twice while holding the write lock: 140 fsyncs a second in the
/// load benchmark's study scenario, with writers queueing behind them.
pub fn spawn_checkpointer(db: &Path, alive: std::sync::Weak<()>, every: Duration) {
    let wal = wal_path(db);
    // Its own connection, so that it never queues for the pool behind the requests.
    let conn = match rusqlite::Connection::open(db).and_then(|c| {
        c.busy_timeout(Duration::from_secs(5))?;
        Ok(c)
    }) {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "no background checkpoints; commits will checkpoint");
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("wal-checkpoint".into())
        .spawn(move || {
            let poll = every.min(POLL);
            let mut at_last_tick = 0;
            let mut last_tick = std::time::Instant::now();
            loop {
                std::thread::sleep(poll);
                if alive.upgrade().is_none() {
                    return;
                }
                let now = size(&wal);
                let tick = last_tick.elapsed() >= every;
                let planned = plan(now, at_last_tick, tick);
                if tick {
                    (at_last_tick, last_tick) = (now, std::time::Instant::now());
                }
                let sql = match planned {
                    Checkpoint::None => continue,
                    Checkpoint::Passive => "PRAGMA wal_checkpoint(PASSIVE)",
                    Checkpoint::Truncate | Checkpoint::TruncateNow => {
                        "PRAGMA wal_checkpoint(TRUNCATE)"
                    }
                };
                let done = {
                    let _closed = (planned == Checkpoint::TruncateNow)
                        .then(|| GATE.write().unwrap_or_else(|e| e.into_inner()));
                    // A busy result (readers, a writer or a commit's own checkpoint outlasted
                    // the busy timeout) is no error: the next look tries again.
                    conn.query_row(sql, [], |_| Ok(()))
                };
                if let Err(e) = done {
                    // A full disk fails every checkpoint until space is freed: try again
                    // every few seconds, not every look, and log as often.
                    tracing::warn!(error = %e, "background checkpoint failed");
                    std::thread::sleep(BACKOFF);
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no background checkpoints; commits will checkpoint");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans() {
        assert_eq!(plan(0, 0, true), Checkpoint::None);
        assert_eq!(plan(1_000_000, 500_000, true), Checkpoint::Passive);
        assert_eq!(plan(1_000_000, 500_000, false), Checkpoint::None);
        assert_eq!(plan(1_000_000, 1_000_000, true), Checkpoint::Truncate);
        assert_eq!(
            plan(TRUNCATE_ABOVE + 1, 1_000, false),
            Checkpoint::TruncateNow
        );
    }

    #[test]
    fn the_checkpointer_moves_the_wal_into_the_database_file_and_truncates_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let pool = super::super::open_pool(&path).unwrap();
        pool.get()
            .unwrap()
            .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(100000));")
            .unwrap();
        // 25 pages: far below the commit's own threshold, so the row is only in the WAL.
        let db_size = || size(&path);
        assert!(db_size() < 100_000, "{}", db_size());
        assert!(size(&wal_path(&path)) > 100_000);
        let alive = std::sync::Arc::new(());
        let every = Duration::from_millis(10);
        spawn_checkpointer(&path, std::sync::Arc::downgrade(&alive), every);
        let t0 = std::time::Instant::now();
        while (db_size() < 100_000 || size(&wal_path(&path)) > 0)
            && t0.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(every);
        }
        assert!(db_size() >= 100_000, "not checkpointed: {}", db_size());
        assert_eq!(size(&wal_path(&path)), 0, "the idle WAL is truncated");
        drop(alive);
    }
}
