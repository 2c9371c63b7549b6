//! Ids of the tables, one type each, so a class id cannot be passed where a user id is meant
//! (Anki's `CardId` habit). Each is stored as the same SQLite value as before (no migration),
//! reads and writes itself through rusqlite, and is its bare value in JSON, paths and pages.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An id that is a SQLite integer (a rowid).
macro_rules! integer_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    };
}

integer_id!(
    /// A user: learner, teacher or anonymous visitor (`users.id`).
    UserId
);
integer_id!(
    /// A class (`classes.id`).
    ClassId
);
integer_id!(
    /// An assignment of a class (`assignments.id`).
    AssignmentId
);

/// An id that is text: a slug written in a dataset, or made of slugs.
macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        // Reads as its text wherever text is wanted (a lookup, a format, a template), so a
        // `&CardId` goes where a `&str` does; the other way needs `new`, which is the point.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        // Hashes and orders as its text, so maps keyed by the id are looked up with a `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.0.as_bytes())))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                String::column_result(value).map($name)
            }
        }
    };
}

text_id!(
    /// A deck (`decks.id`): the `[deck]` id of its file (an uploaded deck's is namespaced).
    DeckId
);
text_id!(
    /// An event (`events.id`): the slug written in the dataset.
    EventId
);
text_id!(
    /// A card (`cards.id`): one fact of one event, `event_id/kind` (`kufns-founded/date`).
    CardId
);

/// A review's id: a UUID, written by the device that took the answer (or by the server for the
/// study form), unique per learner. Kept as its text form: that is what the API carries and
/// what the `reviews` table stores today; how it is stored is decided in [`ToSql`] alone.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReviewId(String);

impl ReviewId {
    /// A fresh random id, for an answer given through the study form.
    pub fn new_random() -> Self {
        ReviewId(uuid::Uuid::new_v4().to_string())
    }

    /// The id as the learner's device sent it; `None` unless it is a UUID.
    pub fn parse(s: &str) -> Option<Self> {
        uuid::Uuid::parse_str(s)
            .ok()
            .map(|u| ReviewId(u.to_string()))
    }

    /// An id taken as it is, for text already checked (or read back from the log).
    pub fn from_stored(s: impl Into<String>) -> Self {
        ReviewId(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReviewId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ToSql for ReviewId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(stored_review_id(&self.0))
    }
}

impl FromSql for ReviewId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        review_id_text(value, |s| ReviewId(s.to_owned()))
    }
}

/// How a review id is stored (see `migrations/0009`): a UUID in canonical form (lower case,
/// hyphenated) as its 16 bytes, any other id as the text it is, so an id reads back exactly
/// as written (it seeds the scheduler's fuzz).
pub fn stored_review_id(id: &str) -> ToSqlOutput<'_> {
    match canonical_uuid(id) {
        Some(bytes) => ToSqlOutput::Owned(rusqlite::types::Value::Blob(bytes.to_vec())),
        None => ToSqlOutput::Borrowed(ValueRef::Text(id.as_bytes())),
    }
}

/// The 16 bytes of `id` when it is a UUID written in canonical form, else `None` (an id in
/// capitals or without hyphens stays text, so it is never rewritten on the way back).
fn canonical_uuid(id: &str) -> Option<[u8; 16]> {
    if id.len() != 36 {
        return None;
    }
    let u = uuid::Uuid::try_parse(id).ok()?;
    let mut buf = uuid::Uuid::encode_buffer();
    (u.hyphenated().encode_lower(&mut buf) == id).then(|| *u.as_bytes())
}

/// Calls `f` with a stored review id as text. A blob that is not 16 bytes, or a value of
/// another type, fails: the decoder does not guess.
pub fn review_id_text<T>(v: ValueRef<'_>, f: impl FnOnce(&str) -> T) -> FromSqlResult<T> {
    use rusqlite::types::FromSqlError;
    match v {
        ValueRef::Blob(b) => {
            let u = uuid::Uuid::from_slice(b).map_err(|e| FromSqlError::Other(Box::new(e)))?;
            let mut buf = uuid::Uuid::encode_buffer();
            Ok(f(u.hyphenated().encode_lower(&mut buf)))
        }
        ValueRef::Text(t) => std::str::from_utf8(t)
            .map(f)
            .map_err(|e| FromSqlError::Other(Box::new(e))),
        _ => Err(FromSqlError::InvalidType),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn ids_are_their_bare_values_in_sql_and_json() {
        let conn = Connection::open_in_memory().unwrap();
        let back: (i64, UserId) = conn
            .query_row("SELECT ?1, ?1", [UserId(42)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(back, (42, UserId(42)));
        assert_eq!(serde_json::to_string(&ClassId(7)).unwrap(), "7");
        assert_eq!(
            serde_json::from_str::<AssignmentId>("9").unwrap(),
            AssignmentId(9)
        );
        assert_eq!(UserId(3).to_string(), "3");
    }

    #[test]
    fn an_integer_id_refuses_text() {
        let conn = Connection::open_in_memory().unwrap();
        let err = conn
            .query_row("SELECT 'x'", [], |r| r.get::<_, UserId>(0))
            .unwrap_err();
        assert!(
            matches!(err, rusqlite::Error::InvalidColumnType(..)),
            "{err:?}"
        );
    }

    #[test]
    fn text_ids_are_their_bare_text_in_sql_json_and_pages() {
        let card = CardId::new("kufns-founded/date");
        assert_eq!(
            serde_json::to_string(&card).unwrap(),
            r#""kufns-founded/date""#
        );
        assert_eq!(
            serde_json::from_str::<DeckId>(r#""vietnam-1975""#).unwrap(),
            DeckId::new("vietnam-1975")
        );
        assert_eq!(EventId::new("fall-of-saigon").to_string(), "fall-of-saigon");
        let conn = Connection::open_in_memory().unwrap();
        let (text, back): (String, CardId) = conn
            .query_row("SELECT ?1, ?1", [&card], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap();
        assert_eq!((text.as_str(), back), ("kufns-founded/date", card.clone()));
        let typed: Option<String> = conn
            .query_row("SELECT typeof(?1)", [&card], |r| r.get(0))
            .unwrap();
        assert_eq!(typed.as_deref(), Some("text"));
        // A map keyed by ids is looked up by the text.
        let map = std::collections::HashMap::from([(card, 1)]);
        assert_eq!(map.get("kufns-founded/date"), Some(&1));
        let err = conn
            .query_row("SELECT 7", [], |r| r.get::<_, CardId>(0))
            .unwrap_err();
        assert!(
            matches!(err, rusqlite::Error::InvalidColumnType(..)),
            "{err:?}"
        );
    }

    #[test]
    fn a_review_id_is_a_uuid() {
        assert!(ReviewId::parse("not-a-uuid").is_none());
        let id = ReviewId::parse("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!(id.as_str(), "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
    }
}
