//! The server's own secrets, made on first start and kept in the database.

use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};

/// The 32-byte key called `name`, made and stored now if there is none yet.
pub fn get_or_create(conn: &Connection, name: &str) -> rusqlite::Result<[u8; 32]> {
    let found: Option<Vec<u8>> = conn
        .query_row("SELECT key FROM server_keys WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(key) = found.and_then(|k| <[u8; 32]>::try_from(k).ok()) {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    conn.execute(
        "INSERT OR REPLACE INTO server_keys (name, key) VALUES (?1, ?2)",
        params![name, key.to_vec()],
    )?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_is_made_once_and_then_kept() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        crate::db::migrations().to_latest(&mut conn).unwrap();
        let a = super::get_or_create(&conn, "device").unwrap();
        assert_eq!(super::get_or_create(&conn, "device").unwrap(), a);
        assert_ne!(super::get_or_create(&conn, "other").unwrap(), a);
    }
}
