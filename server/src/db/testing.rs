//! For unit tests: a database in memory, migrated, with learners in it.

use rusqlite::{Connection, params};

/// A migrated database in memory holding these learners, ids 1, 2, ... in the order given,
/// each with its display name, that name in lower case as its username, and no usable
/// password.
pub fn with_learners(names: &[&str]) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    super::migrations().to_latest(&mut conn).unwrap();
    for (id, name) in (1_i64..).zip(names) {
        add_learner(&conn, id, name);
    }
    conn
}

/// One more learner, as [`with_learners`] writes them.
pub fn add_learner(conn: &Connection, id: i64, name: &str) {
    conn.execute(
        "INSERT INTO users (id, username, display_name, password_hash, role, created_at)
         VALUES (?1, lower(?2), ?2, 'x', 'learner', 0)",
        params![id, name],
    )
    .unwrap();
}
