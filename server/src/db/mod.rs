//! SQLite: the pool, pragmas, migrations, and one module per table group. Every call from a
//! handler goes through [`run`], which moves it off the async workers.

pub mod classes;
pub mod decks;
pub mod sessions;
pub mod study;
pub mod sync;
pub mod tokens;
pub mod users;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite_migration::{M, Migrations};
use std::path::Path;
use std::time::Duration;

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("no database connection available: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database task failed: {0}")]
    Blocking(String),
}

/// What a row decoder returns for a stored value it does not know: it fails, never guesses.
pub(crate) fn invalid_value(
    row: &rusqlite::Row<'_>,
    column: &str,
    value: impl std::fmt::Display,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        row.as_ref().column_index(column).unwrap_or(0),
        rusqlite::types::Type::Text,
        format!(
            "unexpected value {value:?} in column {column}",
            value = value.to_string()
        )
        .into(),
    )
}

/// Migrations in `migrations/`, applied in order and recorded in `user_version`.
/// A landed migration is never edited: add the next file instead.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/0001_initial.sql"),
    include_str!("../../../migrations/0002_classes.sql"),
    include_str!("../../../migrations/0003_sync.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Opens (creating if needed) the database file and brings its schema up to date.
pub fn open_pool(path: &Path) -> anyhow::Result<Pool> {
    use anyhow::Context;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let manager = SqliteConnectionManager::file(path).with_init(|c| {
        // WAL lets readers run beside the one writer; NORMAL is durable at each WAL commit.
        // Checkpoints run in the background (`spawn_checkpointer`); a commit only checkpoints
        // itself past 10,000 pages (40 MiB of WAL), a backstop should that thread fall behind.
        // A 32 MiB page cache (default 2 MiB) holds a 10,000-review sync batch's dirty pages:
        // with the default, SQLite spilled them to the WAL mid-transaction and read them back
        // (sync of 10,000 reviews into a 300,000-review database: ~300 ms, now ~210 ms).
        c.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA wal_autocheckpoint = 10000;
             PRAGMA cache_size = -32768;",
        )
    });
    let pool = r2d2::Pool::builder()
        .max_size(8)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .context("opening the database pool")?;
    let mut conn = pool.get().context("connecting to the database")?;
    migrations()
        .to_latest(&mut conn)
        .context("applying migrations")?;
    Ok(pool)
}

/// Checkpoints the WAL into the database file every `every`, on its own thread, for as long
/// as `alive` can be upgraded.
///
/// With SQLite's default (a checkpoint by whichever commit takes the WAL past 1,000 pages),
/// a steady stream of readers keeps each checkpoint from finishing, so nearly every commit
/// tried again, and fsync-ed twice while holding the write lock: 140 fsyncs a second in the
/// load benchmark's study scenario, with writers queueing behind them.
pub fn spawn_checkpointer(pool: Pool, alive: std::sync::Weak<()>, every: Duration) {
    let spawned = std::thread::Builder::new()
        .name("wal-checkpoint".into())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                if alive.upgrade().is_none() {
                    return;
                }
                let done = pool.get().map_err(|e| e.to_string()).and_then(|c| {
                    c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                        .map_err(|e| e.to_string())
                });
                if let Err(e) = done {
                    tracing::warn!(error = %e, "background checkpoint failed");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no background checkpoints; commits will checkpoint");
    }
}

/// Runs `f` with a pooled connection on a blocking thread.
pub async fn run<T, F>(pool: &Pool, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: FnOnce(&mut rusqlite::Connection) -> Result<T, DbError> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| DbError::Blocking(e.to_string()))?
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        super::migrations().validate().unwrap();
    }

    #[test]
    fn the_checkpointer_moves_the_wal_into_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let pool = super::open_pool(&path).unwrap();
        pool.get()
            .unwrap()
            .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (randomblob(100000));")
            .unwrap();
        // 25 pages: far below the commit's own threshold, so the row is only in the WAL.
        let size = || std::fs::metadata(&path).unwrap().len();
        assert!(size() < 100_000, "{}", size());
        let alive = std::sync::Arc::new(());
        let every = std::time::Duration::from_millis(10);
        super::spawn_checkpointer(pool.clone(), std::sync::Arc::downgrade(&alive), every);
        let t0 = std::time::Instant::now();
        while size() < 100_000 && t0.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(every);
        }
        assert!(size() >= 100_000, "not checkpointed: {}", size());
        drop(alive);
    }
}
