//! The wall clock and how files write times (UTC), in one place so every module agrees on
//! what "now" is. Pages write times in the reader's zone: `srs::days::DayClock::written`.

use time::{Date, OffsetDateTime, macros::format_description};

/// Seconds in a day, for day arithmetic on Unix times.
pub const DAY: i64 = 86_400;

/// Now, in whole seconds since the Unix epoch (UTC).
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Now, in Unix milliseconds: the unit of review times.
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// The start (00:00 UTC) of the day that `t` falls in, in seconds.
pub fn start_of_day(t: i64) -> i64 {
    t - t.rem_euclid(DAY)
}

/// Today's date, UTC.
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Unix seconds as `2026-11-23 08:30 UTC`; empty when out of range.
pub fn moment(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Unix milliseconds (review times) as [`moment`] writes them.
pub fn moment_ms(ms: i64) -> String {
    moment(ms / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_of_day_is_midnight_utc_at_or_before() {
        // 2026-12-01T13:45:10Z and its midnight, worked out by hand.
        assert_eq!(start_of_day(1_796_132_710), 1_796_083_200);
        assert_eq!(start_of_day(1_796_083_200), 1_796_083_200);
        assert_eq!(start_of_day(-1), -DAY);
    }

    #[test]
    fn times_are_written_one_way() {
        assert_eq!(moment(1_796_132_710), "2026-12-01 13:45 UTC");
        assert_eq!(moment_ms(1_796_132_710_999), "2026-12-01 13:45 UTC");
        assert_eq!(moment(i64::MAX), "");
    }
}
