//! The cursor a client keeps between syncs. It is opaque to clients (`"c<seq>"`, or
//! `"c<seq>-d<deck version>"` from a deck download) so that its contents can change without
//! breaking them. `seq` is the learner's change counter: every saved card state takes the next
//! number, so "changed since the cursor" is the range `seq > cursor.seq`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub seq: i64,
    /// The version of the deck's cards the client holds (deck downloads only).
    pub deck_version: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the cursor is not one this server handed out")]
pub struct BadCursor;

impl Cursor {
    pub fn at(seq: i64) -> Cursor {
        Cursor {
            seq,
            deck_version: None,
        }
    }

    pub fn parse(raw: &str) -> Result<Cursor, BadCursor> {
        let rest = raw.strip_prefix('c').ok_or(BadCursor)?;
        let (seq, deck) = match rest.split_once("-d") {
            Some((seq, deck)) => (seq, Some(deck)),
            None => (rest, None),
        };
        // Digits only: `i64::from_str` would also take a sign.
        if seq.is_empty() || seq.len() > 18 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadCursor);
        }
        let deck_version = match deck {
            Some(d) if d.len() == 16 => Some(u64::from_str_radix(d, 16).map_err(|_| BadCursor)?),
            Some(_) => return Err(BadCursor),
            None => None,
        };
        Ok(Cursor {
            seq: seq.parse().map_err(|_| BadCursor)?,
            deck_version,
        })
    }

    /// The `seq` to read changes after. No cursor means everything (states saved before the
    /// sync API existed have seq 0). A cursor ahead of the server (a database restored from a
    /// backup) also means everything: the client's copy may be newer than ours, and sending
    /// all states is the only answer that cannot leave it with a stale one.
    pub fn since(cursor: Option<Cursor>, current_seq: i64) -> i64 {
        match cursor {
            Some(c) if c.seq <= current_seq => c.seq,
            _ => -1,
        }
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.seq)?;
        if let Some(v) = self.deck_version {
            write!(f, "-d{v:016x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn malformed_cursors_are_refused() {
        for bad in [
            "", "c", "12", "c-1", "c+1", "cx", "c1-d", "c1-dzz", "c1-d12", "c 1",
        ] {
            assert_eq!(Cursor::parse(bad), Err(BadCursor), "{bad:?}");
        }
    }

    #[test]
    fn no_cursor_or_one_from_the_future_means_everything() {
        assert_eq!(Cursor::since(None, 5), -1);
        assert_eq!(Cursor::since(Some(Cursor::at(3)), 5), 3);
        assert_eq!(Cursor::since(Some(Cursor::at(9)), 5), -1);
    }

    proptest! {
        #[test]
        fn a_cursor_reads_back_as_written(seq in 0i64..i64::MAX / 100, v in any::<Option<u64>>()) {
            let c = Cursor { seq, deck_version: v };
            prop_assert_eq!(Cursor::parse(&c.to_string()), Ok(c));
        }
    }
}
