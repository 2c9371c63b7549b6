//! The wall clock, the one type for instants, and how files write times (UTC), in one place
//! so every module agrees on what "now" is and no call site converts seconds and
//! milliseconds by hand. Pages write times in the reader's zone: `srs::days::DayClock::written`.
//!
//! The database keeps the units it always had (no data migration): review times
//! (`reviews.answered_at`, `received_at`) are milliseconds and bind as an [`Instant`] itself;
//! the other `*_at` columns (users, sessions, classes, memberships, assignments, tokens) are
//! seconds and bind through [`Seconds`].

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::ops::{Add, Sub};
use time::{Date, Duration, OffsetDateTime, macros::format_description};

/// Seconds in a day, for day arithmetic on Unix times.
pub const DAY: i64 = 86_400;

const MS_PER_SEC: i64 = 1_000;

/// A moment in time: milliseconds since the Unix epoch (UTC). The unit of review times, so
/// two answers within one second keep their order; in JSON the bare number the API has
/// always sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Instant(i64);

impl Instant {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const EPOCH: Instant = Instant(0);

    /// Now, by the server's wall clock.
    pub fn now() -> Instant {
        Instant((OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// Unix milliseconds (review times, the sync API's `answered_at`).
    pub const fn from_ms(ms: i64) -> Instant {
        Instant(ms)
    }

    /// Unix seconds (the seconds columns, day arithmetic); saturates far outside any date.
    pub const fn from_secs(secs: i64) -> Instant {
        Instant(secs.saturating_mul(MS_PER_SEC))
    }

    pub const fn ms(self) -> i64 {
        self.0
    }

    /// Whole seconds, rounded down (also before the epoch).
    pub const fn secs(self) -> i64 {
        self.0.div_euclid(MS_PER_SEC)
    }

    /// The start (00:00 UTC) of the day this falls in.
    pub const fn start_of_day(self) -> Instant {
        Instant::from_secs(start_of_day(self.secs()))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(whole_ms(d)))
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    fn sub(self, d: Duration) -> Instant {
        Instant(self.0.saturating_sub(whole_ms(d)))
    }
}

/// How long from `other` to `self` (negative when `other` is later).
impl Sub for Instant {
    type Output = Duration;
    fn sub(self, other: Instant) -> Duration {
        Duration::milliseconds(self.0.saturating_sub(other.0))
    }
}

fn whole_ms(d: Duration) -> i64 {
    d.whole_milliseconds()
        .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Stored as its milliseconds: the unit of the review-time columns.
impl ToSql for Instant {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Instant {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Instant)
    }
}

/// An instant in a column that holds whole seconds (`users.created_at`, `sessions.*`,
/// `class_members.joined_at`, `assignments.*_at`, ...): binds as seconds, reads seconds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub Instant);

impl ToSql for Seconds {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.secs()))
    }
}

impl FromSql for Seconds {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(|s| Seconds(Instant::from_secs(s)))
    }
}

/// Now, in whole seconds since the Unix epoch (UTC): the unit of the seconds columns.
pub fn now() -> i64 {
    Instant::now().secs()
}

/// The start (00:00 UTC) of the day that `t` falls in, in seconds.
pub const fn start_of_day(t: i64) -> i64 {
    t - t.rem_euclid(DAY)
}

/// Today's date, UTC.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The UTC date of a day number (days since the epoch); `None` out of range.
pub fn date_of_day(day: i64) -> Option<Date> {
    OffsetDateTime::from_unix_timestamp(day.checked_mul(DAY)?)
        .ok()
        .map(|t| t.date())
}

/// An instant as `2026-11-23 08:30 UTC`; empty when out of range.
pub fn moment(at: Instant) -> String {
    OffsetDateTime::from_unix_timestamp(at.secs())
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // 2026-12-01T13:45:10Z, worked out by hand: 20,788 days from 1970-01-01 to 2026-12-01
    // (56 years, 14 of them leap: 20,454 days; January to November 2026: 334 days), so
    // 20,788 * 86,400 = 1,796,083,200 s at midnight, plus 13:45:10 = 49,510 s.
    const T: i64 = 1_796_132_710;

    #[test]
    fn start_of_day_is_midnight_utc_at_or_before() {
        assert_eq!(start_of_day(T), 1_796_083_200);
        assert_eq!(start_of_day(1_796_083_200), 1_796_083_200);
        assert_eq!(start_of_day(-1), -DAY);
        assert_eq!(
            Instant::from_ms(T * 1_000 + 999).start_of_day(),
            Instant::from_ms(1_796_083_200_000)
        );
    }

    #[test]
    fn seconds_and_milliseconds_convert_in_one_place() {
        let at = Instant::from_secs(T);
        assert_eq!(at.ms(), 1_796_132_710_000);
        assert_eq!(Instant::from_ms(1_796_132_710_999).secs(), T);
        // Before the epoch a time rounds down to its second, as a clock reads it.
        assert_eq!(Instant::from_ms(-1).secs(), -1);
        assert_eq!(Instant::from_ms(-1_000).secs(), -1);
        assert_eq!(Instant::from_ms(-1_001).secs(), -2);
        assert_eq!(Instant::from_secs(i64::MAX).ms(), i64::MAX);
    }

    #[test]
    fn durations_add_subtract_and_measure() {
        let at = Instant::from_secs(T);
        assert_eq!(at + Duration::minutes(5), Instant::from_secs(T + 300));
        assert_eq!(at - Duration::days(1), Instant::from_secs(T - 86_400));
        assert_eq!(
            Instant::from_ms(1_796_132_710_250) - at,
            Duration::milliseconds(250)
        );
        assert_eq!(at - Instant::from_secs(T + 1), Duration::seconds(-1));
        assert!(at < at + Duration::milliseconds(1));
    }

    #[test]
    fn an_instant_is_its_milliseconds_in_json_and_sql() {
        let at = Instant::from_ms(1_796_132_710_999);
        assert_eq!(serde_json::to_string(&at).unwrap(), "1796132710999");
        assert_eq!(
            serde_json::from_str::<Instant>("1796132710999").unwrap(),
            at
        );
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let (ms, back, secs, in_secs): (i64, Instant, i64, Seconds) = conn
            .query_row("SELECT ?1, ?1, ?2, ?2", (at, Seconds(at)), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!((ms, back), (1_796_132_710_999, at));
        assert_eq!(secs, T);
        assert_eq!(in_secs, Seconds(Instant::from_secs(T)));
        let err = conn
            .query_row("SELECT 'soon'", [], |r| r.get::<_, Instant>(0))
            .unwrap_err();
        assert!(
            matches!(err, rusqlite::Error::InvalidColumnType(..)),
            "{err:?}"
        );
    }

    #[test]
    fn times_are_written_one_way() {
        assert_eq!(moment(Instant::from_secs(T)), "2026-12-01 13:45 UTC");
        assert_eq!(
            moment(Instant::from_ms(T * 1_000 + 999)),
            "2026-12-01 13:45 UTC"
        );
        assert_eq!(moment(Instant::from_ms(i64::MAX)), "");
        assert_eq!(
            date_of_day(20_788),
            Some(time::macros::date!(2026 - 12 - 01))
        );
        assert_eq!(date_of_day(i64::MAX), None);
    }

    proptest! {
        #[test]
        fn seconds_and_milliseconds_round_trip(
            secs in -62_135_596_800_i64..253_402_300_800,
            ms in any::<i64>(),
        ) {
            prop_assert_eq!(Instant::from_secs(secs).secs(), secs);
            prop_assert_eq!(Instant::from_ms(ms).ms(), ms);
            let at = Instant::from_ms(ms);
            // Its second is the one it falls in: at or before it, less than a second before.
            let back = Instant::from_secs(at.secs());
            prop_assert!(back <= at);
            prop_assert!(at.ms() - back.ms() < 1_000);
        }
    }
}
