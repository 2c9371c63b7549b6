//! SQLite: the pool, pragmas, migrations, and one module per table group. Every call from a
//! handler goes through [`run`], which moves it off the async workers.

pub mod classes;
pub mod decks;
pub mod fits;
pub mod history;
pub mod keys;
pub mod resets;
pub mod review_id;
pub mod sessions;
pub mod stats;
pub mod study;
pub mod sync;
pub mod teacher_decks;
#[cfg(test)]
pub(crate) mod testing;
pub mod tokens;
pub mod users;
pub mod wal;

pub use wal::spawn_checkpointer;

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

impl DbError {
    /// True when SQLite could not write because the disk (or the database's page limit) is
    /// full: the request is refused with a plain 503, reads go on, and writes resume by
    /// themselves once space is freed.
    pub fn is_disk_full(&self) -> bool {
        matches!(self, DbError::Sqlite(e) if is_disk_full(e))
    }
}

pub fn is_disk_full(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
}

/// True when any error in the chain is SQLite's "disk is full".
pub fn chain_is_disk_full(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<DbError>()
            .is_some_and(DbError::is_disk_full)
            || c.downcast_ref::<rusqlite::Error>()
                .is_some_and(is_disk_full)
    })
}

/// For writes a read can do without (a session's or token's "last seen"): a full disk
/// must not turn reading a page into an error.
pub fn unless_disk_full(r: rusqlite::Result<()>) -> rusqlite::Result<()> {
    match r {
        Err(e) if is_disk_full(&e) => {
            tracing::debug!("disk full: bookkeeping write skipped");
            Ok(())
        }
        other => other,
    }
}

/// Migrations in `migrations/`, applied in order and recorded in `user_version`.
/// A landed migration is never edited: add the next file instead.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/0001_initial.sql"),
    include_str!("../../../migrations/0002_classes.sql"),
    include_str!("../../../migrations/0003_sync.sql"),
    include_str!("../../../migrations/0004_reviews_per_learner.sql"),
    include_str!("../../../migrations/0005_learner_scheduling.sql"),
    include_str!("../../../migrations/0006_device_cookie_key.sql"),
    include_str!("../../../migrations/0007_class_removals.sql"),
    include_str!("../../../migrations/0008_password_resets.sql"),
    include_str!("../../../migrations/0009_compact_review_log.sql"),
    include_str!("../../../migrations/0010_teacher_decks.sql"),
    include_str!("../../../migrations/0011_card_states_without_rowid.sql"),
    include_str!("../../../migrations/0012_card_states_fewer_indexes.sql"),
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
        // Checkpoints run in the background (`wal::spawn_checkpointer`); a commit only checkpoints
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
        )?;
        // When SQLite rewinds the WAL it cuts the file back to this size (see `wal`).
        c.pragma_update(None, "journal_size_limit", wal::SIZE_LIMIT as i64)
    });
    // A connection to a local file does not go stale, so it is neither tested at each
    // checkout (r2d2's test prepared an empty statement under SQLite's locks: 3.7% of the
    // server's CPU on `GET /study` in the load benchmark's profile) nor replaced after an
    // idle or a total lifetime, which would throw away its page and statement caches.
    let pool = r2d2::Pool::builder()
        .max_size(8)
        .test_on_check_out(false)
        .idle_timeout(None)
        .max_lifetime(None)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .context("opening the database pool")?;
    let mut conn = pool.get().context("connecting to the database")?;
    migrations()
        .to_latest(&mut conn)
        .context("applying migrations")?;
    Ok(pool)
}

/// Runs `f` with a pooled connection on a blocking thread.
pub async fn run<T, F>(pool: &Pool, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: FnOnce(&mut rusqlite::Connection) -> Result<T, DbError> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let _gate = wal::GATE.read().unwrap_or_else(|e| e.into_inner());
        let mut conn = pool.get()?;
        let done = f(&mut conn);
        sessions::settle();
        classes::changes::settle();
        done
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

    /// 0011 keeps every card state, column for column, with its checks and indexes, and
    /// leaves the table without a rowid (read through its primary key alone).
    #[test]
    fn card_states_without_rowid_keep_every_state() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_version(&mut conn, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0),
                                      ('e2/date', 'd', 'e2', 'date', 1, 0);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 'ann', 'Ann', 'x', 'learner', 0), (2, 'bob', 'Bob', 'x', 'learner', 0);
             INSERT INTO card_states (user_id, card_id, stability, difficulty, due, last_review,
                                      reps, lapses, state, seq, step) VALUES
               (1, 'e1/date', 3.1, 5.2, 90000, 3, 1, 0, 'review', 1, 0),
               (1, 'e2/date', 0.2, 7.5, 1600, 1, 1, 2, 'relearning', 2, 1),
               (2, 'e1/date', 8.3, 1.1, 95000, 2, 1, 0, 'review', 1, 0);",
        )
        .unwrap();
        let states = |conn: &rusqlite::Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare(
                    "SELECT user_id, card_id, stability, difficulty, due, last_review, reps,
                            lapses, state, seq, step FROM card_states ORDER BY user_id, card_id",
                )
                .unwrap();
            stmt.query_map([], |r| {
                (0..11)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let before = states(&conn);
        super::migrations().to_version(&mut conn, 11).unwrap();
        assert_eq!(states(&conn), before);
        let table: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'card_states'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(table.ends_with("WITHOUT ROWID"), "{table}");
        let indexes: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'card_states'
                   AND name IN ('card_states_due', 'card_states_user_state', 'card_states_seq')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 3);
        let bad = conn.execute(
            "INSERT INTO card_states (user_id, card_id, stability, difficulty, due, last_review,
                                      reps, lapses, state) VALUES (2, 'e2/date', 1, 1, 1, 1, 1, 0, 'lost')",
            [],
        );
        assert!(bad.is_err(), "the state check is kept");
        conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM users WHERE id = 1")
            .unwrap();
        assert_eq!(states(&conn).len(), 1, "a learner's states go with them");
    }

    /// A database at 0003 with reviews of two learners and their states keeps every review,
    /// column for column, and every state through the rebuild of the review table; after it,
    /// review ids are per learner.
    #[test]
    fn the_per_learner_review_key_keeps_every_review_and_state() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0),
                                      ('e2/date', 'd', 'e2', 'date', 1, 0);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at,
                                sync_seq)
               VALUES (1, 'ann', 'Ann', 'x', 'learner', 0, 2),
                      (2, 'bob', 'Bob', 'x', 'learner', 0, 1);
             INSERT INTO reviews VALUES
               ('00000000-0000-0000-0000-000000000003', 1, 'e1/date', 3000, 3, 1, 'a', 10, 'typed', 'web', 3001),
               ('00000000-0000-0000-0000-000000000001', 1, 'e2/date', 1000, 1, 0, 'b', 20, 'offline', 'phone', 5000),
               ('00000000-0000-0000-0000-000000000002', 2, 'e1/date', 2000, 4, 1, 'c', 30, 'flashcard', 'web', 2001);
             INSERT INTO card_states VALUES
               (1, 'e1/date', 3.1, 5.2, 90000, 3, 1, 0, 'review', 1),
               (1, 'e2/date', 0.2, 7.5, 1600, 1, 1, 0, 'learning', 2),
               (2, 'e1/date', 8.3, 1.1, 95000, 2, 1, 0, 'review', 1);",
        )
        .unwrap();
        let dump = |conn: &rusqlite::Connection, sql: &str| -> Vec<String> {
            let mut stmt = conn.prepare(sql).unwrap();
            let n = stmt.column_count();
            stmt.query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let reviews = "SELECT id, user_id, card_id, answered_at, rating, correct, given_answer,
                              duration_ms, presentation, device_id, received_at
                       FROM reviews ORDER BY user_id, id";
        let states = "SELECT user_id, card_id, stability, difficulty, due, last_review, reps,
                             lapses, state, seq
                      FROM card_states ORDER BY user_id, card_id";
        let (reviews_before, states_before) = (dump(&conn, reviews), dump(&conn, states));
        assert_eq!((reviews_before.len(), states_before.len()), (3, 3));

        // Up to 0008: the review table as this migration left it (0009 compacts it again).
        super::migrations().to_version(&mut conn, 8).unwrap();
        assert_eq!(dump(&conn, reviews), reviews_before);
        assert_eq!(dump(&conn, states), states_before);
        // The append-ordered key follows arrival order.
        let order = dump(&conn, "SELECT received_at FROM reviews ORDER BY entry");
        assert_eq!(order, ["Integer(2001)", "Integer(3001)", "Integer(5000)"]);
        // Bob may now use an id of Ann's; Ann may not use it twice.
        let insert = |user: i64| {
            conn.execute(
                "INSERT OR IGNORE INTO reviews (id, user_id, card_id, answered_at, rating,
                     correct, given_answer, duration_ms, presentation, device_id, received_at)
                 VALUES ('00000000-0000-0000-0000-000000000003', ?1, 'e1/date', 9, 3, 1, '',
                         0, 'typed', 'web', 9)",
                [user],
            )
            .unwrap()
        };
        assert_eq!((insert(2), insert(1)), (1, 0));
    }
    /// A database at 0008 with reviews (canonical UUIDs, an id in capitals, an id that is no
    /// UUID) reads the same after the log is compacted: every column through the text view,
    /// and through the server's own reads each review's time, rating and the fuzz its id
    /// seeds. Only canonical UUIDs become 16-byte blobs.
    #[test]
    fn the_compact_review_log_reads_the_same() {
        use crate::srs::{Rating, fuzz};
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::migrations().to_version(&mut conn, 8).unwrap();
        let ids = [
            "0b9a3c51-7d2e-4f60-8a1b-2c3d4e5f6a7b",
            "0B9A3C51-7D2E-4F60-8A1B-2C3D4E5F6A7C",
            "not-a-uuid",
            "0b9a3c51-7d2e-4f60-8a1b-2c3d4e5f6a7d",
        ];
        conn.execute_batch(&format!(
            "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
             INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0),
                                      ('e2/place', 'd', 'e2', 'place', 1, 1);
             INSERT INTO users (id, username, display_name, password_hash, role, created_at)
               VALUES (1, 'ann', 'Ann', 'x', 'learner', 0), (2, 'bob', 'Bob', 'x', 'learner', 0);
             INSERT INTO reviews (id, user_id, card_id, answered_at, rating, correct,
                                  given_answer, duration_ms, presentation, device_id, received_at)
             VALUES ('{0}', 1, 'e1/date', 1750000000123, 3, 1, '1979', 10, 'typed', 'web', 5),
                    ('{1}', 1, 'e1/date', 1750000900456, 1, 0, 'Hanoi', 20, 'offline', 'phone', 6),
                    ('{2}', 1, 'e2/place', 1750000500000, 4, 1, '', 30, 'flashcard', 'web', 7),
                    ('{0}', 2, 'e1/date', 1750000000999, 2, 1, 'x', 40, 'multiple_choice', 'web', 8),
                    ('{3}', 2, 'e1/date', 1750086400000, 3, 1, 'y', 50, 'typed', 'web', 9);",
            ids[0], ids[1], ids[2], ids[3]
        ))
        .unwrap();
        let columns = "entry, id, user_id, card_id, answered_at, rating, correct, given_answer,
                       duration_ms, presentation, device_id, received_at";
        let dump = |conn: &rusqlite::Connection, table: &str| -> Vec<Vec<rusqlite::types::Value>> {
            let mut stmt = conn
                .prepare(&format!("SELECT {columns} FROM {table} ORDER BY entry"))
                .unwrap();
            stmt.query_map([], |r| (0..12).map(|i| r.get(i)).collect())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let before = dump(&conn, "reviews");
        assert_eq!(before.len(), 5);

        super::migrations().to_latest(&mut conn).unwrap();
        assert_eq!(dump(&conn, "reviews_as_text"), before);
        let kinds: Vec<String> = conn
            .prepare("SELECT typeof(id) FROM reviews ORDER BY entry")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kinds, ["blob", "text", "text", "blob", "blob"]);
        // The server's own reads: Ann's e1 in time order, with the fuzz of each id as sent.
        let got = super::study::card_reviews(&conn, crate::ids::UserId(1), "e1/date").unwrap();
        let want = [
            (1_750_000_000, Rating::Good, fuzz::factor(ids[0])),
            (1_750_000_900, Rating::Again, fuzz::factor(ids[1])),
        ];
        let got: Vec<_> = got
            .iter()
            .map(|r| (r.answered_at, r.rating, r.fuzz))
            .collect();
        assert_eq!(got, want);
        for (user, id) in [
            (1, ids[0]),
            (1, ids[1]),
            (1, ids[2]),
            (2, ids[0]),
            (2, ids[3]),
        ] {
            assert!(
                super::study::has_review(
                    &conn,
                    crate::ids::UserId(user),
                    &crate::ids::ReviewId::from_stored(id)
                )
                .unwrap(),
                "{user} {id}"
            );
        }
        assert!(
            !super::study::has_review(
                &conn,
                crate::ids::UserId(2),
                &crate::ids::ReviewId::from_stored(ids[1])
            )
            .unwrap()
        );
        let tallies = super::study::tallies(&conn, crate::ids::UserId(1)).unwrap();
        assert_eq!(
            (tallies["e1/date"].answers, tallies["e1/date"].misses),
            (2, 1)
        );
        assert_eq!(tallies["e2/place"].answers, 1);
        // A card added later takes the next key, and its reviews are stored.
        conn.execute(
            "INSERT INTO cards VALUES ('e3/date', 'd', 'e3', 'date', 2, 0)",
            [],
        )
        .unwrap();
        let key: i64 = conn
            .query_row(
                "SELECT key FROM card_keys WHERE card_id = 'e3/date'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(key, 3);
    }
}
