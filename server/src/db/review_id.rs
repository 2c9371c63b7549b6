//! How a review id is stored (see `migrations/0009`): a UUID in canonical form (lower case,
//! hyphenated) as its 16 bytes, any other id as the text it is. Ids go in and come out as
//! text, so nothing above `db` sees the difference, and an id reads back exactly as written
//! (it seeds the scheduler's fuzz).

use rusqlite::ToSql;
use rusqlite::types::{FromSqlResult, ToSqlOutput, ValueRef};

/// A review id as a statement parameter.
pub struct Stored<'a>(pub &'a str);

impl ToSql for Stored<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(crate::ids::stored_review_id(self.0))
    }
}

/// Calls `f` with the stored id as text; see [`crate::ids::review_id_text`].
pub fn with_text<T>(v: ValueRef<'_>, f: impl FnOnce(&str) -> T) -> FromSqlResult<T> {
    crate::ids::review_id_text(v, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn round_trip(id: &str) -> (String, String) {
        let conn = Connection::open_in_memory().unwrap();
        conn.query_row("SELECT typeof(?1), ?1", [Stored(id)], |r| {
            Ok((r.get(0)?, with_text(r.get_ref(1)?, str::to_owned)?))
        })
        .unwrap()
    }

    #[test]
    fn canonical_uuids_are_16_bytes_and_every_id_reads_back_as_written() {
        let canonical = "6f1c1a9e-3b0c-4d5e-9f00-0a1b2c3d4e5f";
        assert_eq!(round_trip(canonical), ("blob".into(), canonical.into()));
        for other in [
            "6F1C1A9E-3B0C-4D5E-9F00-0A1B2C3D4E5F",
            "6f1c1a9e3b0c4d5e9f000a1b2c3d4e5f",
            "a",
            "",
        ] {
            assert_eq!(round_trip(other), ("text".into(), other.into()));
        }
    }

    #[test]
    fn a_blob_of_another_length_is_an_error() {
        assert!(with_text(ValueRef::Blob(&[1, 2, 3]), str::to_owned).is_err());
        assert!(with_text(ValueRef::Integer(7), str::to_owned).is_err());
    }
}
