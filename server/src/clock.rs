//! The wall clock and how times are written, in one place so every module agrees on what
//! "now" is and every page writes a time the same way.

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

/// A date as a form or the database writes it: `2026-11-23`.
pub fn parse_day(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
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

/// Unix seconds as a page writes them for people: `1 Dec 2026, 13:45 UTC` (short enough for
/// a table cell). Pages call this, not [`moment`], so that showing each reader's own time zone
/// (once it is stored) is a change here alone.
pub fn written(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// Unix milliseconds (review times) as [`written`] writes them.
pub fn written_ms(ms: i64) -> String {
    written(ms / 1000)
}

/// A day (a due date) as people write it: `Tue 8 Dec 2026`.
pub fn written_day(day: Date) -> String {
    day.format(format_description!(
        "[weekday repr:short] [day padding:none] [month repr:short] [year]"
    ))
    .unwrap_or_default()
}

/// Unix seconds as the day they fall on: `23 November 2026`.
pub fn day_label(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| format!("{} {} {}", t.day(), t.month(), t.year()))
        .unwrap_or_default()
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
        assert_eq!(day_label(1_796_132_710), "1 December 2026");
        assert_eq!(
            parse_day("2026-12-01"),
            Some(time::macros::date!(2026 - 12 - 01))
        );
        assert_eq!(parse_day("2026-13-01"), None);
        assert_eq!(moment(i64::MAX), "");
        assert_eq!(written(1_796_132_710), "1 Dec 2026, 13:45 UTC");
        assert_eq!(written_ms(1_796_132_710_999), "1 Dec 2026, 13:45 UTC");
        assert_eq!(
            written_day(time::macros::date!(2026 - 12 - 08)),
            "Tue 8 Dec 2026"
        );
    }
}
