//! The wall clock, read in one place so every module agrees on what "now" is.

/// Seconds in a day, for day arithmetic on Unix times.
pub const DAY: i64 = 86_400;

/// Now, in whole seconds since the Unix epoch (UTC).
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Now, in Unix milliseconds: the unit of review times.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// The start (00:00 UTC) of the day that `t` falls in, in seconds.
pub fn start_of_day(t: i64) -> i64 {
    t - t.rem_euclid(DAY)
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
}
