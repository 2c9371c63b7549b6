//! Days as a learner lives them: in their time zone, rolling over at an hour of the night
//! (4 am by default, as Anki). FSRS's default parameters were fitted on such days, not on
//! 24-hour periods since the last answer, and "today", "due today" and streaks mean them.

use crate::clock::Instant;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::sync::OnceLock;

pub const DEFAULT_ROLLOVER_HOUR: u8 = 4;
const EPOCH: Date = Date::constant(1970, 1, 1);
const DAY: i64 = 86_400;

static SERVER_ZONE: OnceLock<TimeZone> = OnceLock::new();

/// Sets the zone used for learners who have not chosen one (once, at start-up).
pub fn set_server_zone(zone: TimeZone) {
    let _ = SERVER_ZONE.set(zone);
}

/// The server's default zone: as configured, else the machine's, else UTC.
pub fn server_zone() -> TimeZone {
    SERVER_ZONE.get_or_init(TimeZone::system).clone()
}

/// A time zone by its IANA name (`Asia/Ho_Chi_Minh`), from the bundled database.
pub fn zone(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    jiff::tz::db().get(name).ok()
}

/// Every zone name a learner may choose, sorted (read from the database once).
pub fn zone_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|n| n.to_string())
            .filter(|n| n.contains('/') && !n.starts_with("Etc/") && !n.starts_with("SystemV/"))
            .collect();
        names.push("UTC".into());
        names.sort();
        names.dedup();
        names
    })
}

/// One learner's calendar: their zone and rollover hour.
#[derive(Debug, Clone, PartialEq)]
pub struct DayClock {
    zone: TimeZone,
    rollover_hour: u8,
}

impl Default for DayClock {
    fn default() -> DayClock {
        DayClock::new(server_zone(), DEFAULT_ROLLOVER_HOUR)
    }
}

impl DayClock {
    pub fn new(zone: TimeZone, rollover_hour: u8) -> DayClock {
        DayClock {
            zone,
            rollover_hour: rollover_hour.min(23),
        }
    }

    /// The zone's IANA name, where it has one.
    pub fn zone_name(&self) -> &str {
        self.zone.iana_name().unwrap_or("UTC")
    }

    pub fn rollover_hour(&self) -> u8 {
        self.rollover_hour
    }

    /// The learner's day (days since 1970-01-01 in their calendar) at unix second `t`: a
    /// night owl's 1 am answer still counts for the evening before.
    pub fn day(&self, t: i64) -> i64 {
        let Ok(ts) = Timestamp::from_second(t) else {
            return t.div_euclid(DAY);
        };
        let local = ts.to_zoned_datetime(self.zone.clone()).datetime();
        let shifted = local
            .checked_sub(SignedDuration::from_hours(i64::from(self.rollover_hour)))
            .unwrap_or(local);
        shifted
            .date()
            .duration_since(EPOCH)
            .as_secs()
            .div_euclid(DAY)
    }

    /// The unix second at which learner day `day` begins (its rollover hour, local time; in
    /// a gap of a clock change, the first moment after it).
    pub fn start(&self, day: i64) -> i64 {
        EPOCH
            .checked_add(SignedDuration::from_secs(day.saturating_mul(DAY)))
            .ok()
            .and_then(|date| {
                date.at(self.rollover_hour as i8, 0, 0, 0)
                    .to_zoned_datetime(self.zone.clone())
                    .ok()
            })
            .map_or(day * DAY, |z| z.timestamp().as_second())
    }

    /// When the day holding `t` began.
    pub fn start_of_day(&self, t: i64) -> i64 {
        self.start(self.day(t))
    }

    /// A moment as this reader writes it: `1 Dec 2026, 20:45 (UTC+7)`. A zone with a
    /// lettered abbreviation writes it (`14:45 CET`, `13:45 UTC`); tzdb's numeric ones
    /// (`+07`) read better as an offset. Empty when out of range.
    pub fn written(&self, at: Instant) -> String {
        let Ok(ts) = Timestamp::from_second(at.secs()) else {
            return String::new();
        };
        let local = ts.to_zoned_datetime(self.zone.clone()).datetime();
        let info = self.zone.to_offset_info(ts);
        let abbr = info.abbreviation();
        let zone = if !abbr.is_empty() && abbr.chars().all(|c| c.is_ascii_alphabetic()) {
            abbr.to_string()
        } else {
            format!("(UTC{})", offset_words(info.offset().seconds()))
        };
        format!("{} {zone}", local.strftime("%-d %b %Y, %H:%M"))
    }

    /// The calendar date `t` falls on in this zone (midnight to midnight, not the learner's
    /// rollover day: a due date is a date on the wall calendar).
    pub fn date(&self, t: i64) -> Option<time::Date> {
        let ts = Timestamp::from_second(t).ok()?;
        let d = ts.to_zoned_datetime(self.zone.clone()).date();
        let month = time::Month::try_from(d.month() as u8).ok()?;
        time::Date::from_calendar_date(i32::from(d.year()), month, d.day() as u8).ok()
    }

    /// The day `t` falls on, written out: `23 November 2026`.
    pub fn day_label(&self, t: i64) -> String {
        self.date(t)
            .map(|d| format!("{} {} {}", d.day(), d.month(), d.year()))
            .unwrap_or_default()
    }

    /// A local time as a form sends it (`2026-12-08T23:30` from `datetime-local`, with a
    /// space or seconds allowed, or a bare date meaning 23:59 that day) to unix seconds.
    pub fn parse_local(&self, s: &str) -> Option<i64> {
        let s = s.trim();
        let civil = if s.len() == 10 {
            s.parse::<Date>().ok()?.at(23, 59, 0, 0)
        } else {
            s.replacen(' ', "T", 1)
                .parse::<jiff::civil::DateTime>()
                .ok()?
        };
        civil
            .to_zoned_datetime(self.zone.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    }

    /// Unix seconds as a `datetime-local` field's value in this zone: `2026-12-08T23:30`.
    pub fn local_input(&self, t: i64) -> String {
        Timestamp::from_second(t)
            .map(|ts| {
                ts.to_zoned_datetime(self.zone.clone())
                    .datetime()
                    .strftime("%Y-%m-%dT%H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    }

    /// The zone's offset from UTC at `t`, in seconds (for grouping many instants in SQL).
    pub fn offset_at(&self, t: i64) -> i64 {
        Timestamp::from_second(t).map_or(0, |ts| i64::from(self.zone.to_offset(ts).seconds()))
    }
}

/// An offset as people write it after "UTC": `+7`, `-3:30`, `+0`.
fn offset_words(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    match minutes % 60 {
        0 => format!("{sign}{}", minutes / 60),
        m => format!("{sign}{}:{m:02}", minutes / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(clock: &DayClock, s: &str) -> i64 {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned_datetime(clock.zone.clone())
            .unwrap()
            .timestamp()
            .as_second()
    }

    #[test]
    fn moments_are_written_in_the_readers_zone() {
        // 2026-12-01T13:45:10Z, worked out by hand; Hanoi is UTC+7 all year, Paris UTC+1 in
        // winter, Kolkata UTC+5:30, New York UTC-5 in winter.
        let t = 1_796_132_710;
        let in_zone = |name: &str| DayClock::new(zone(name).unwrap(), 4);
        assert_eq!(
            in_zone("UTC").written(Instant::from_secs(t)),
            "1 Dec 2026, 13:45 UTC"
        );
        assert_eq!(
            in_zone("Asia/Ho_Chi_Minh").written(Instant::from_secs(t)),
            "1 Dec 2026, 20:45 (UTC+7)"
        );
        assert_eq!(
            in_zone("Europe/Paris").written(Instant::from_secs(t)),
            "1 Dec 2026, 14:45 CET"
        );
        assert_eq!(
            in_zone("Asia/Kolkata").written(Instant::from_secs(t)),
            "1 Dec 2026, 19:15 IST"
        );
        assert_eq!(
            in_zone("America/New_York").written(Instant::from_ms(1_796_132_710_999)),
            "1 Dec 2026, 08:45 EST"
        );
        assert_eq!(
            in_zone("Asia/Kathmandu").written(Instant::from_secs(t)),
            "1 Dec 2026, 19:30 (UTC+5:45)"
        );
        // 21:00 UTC is already the 2nd in Hanoi.
        let hanoi = in_zone("Asia/Ho_Chi_Minh");
        assert_eq!(hanoi.day_label(t + 7 * 3600 + 15 * 60), "2 December 2026");
        assert_eq!(in_zone("UTC").written(Instant::from_ms(i64::MAX)), "");
        // A form's local time reads back in the same zone.
        let due = hanoi.parse_local("2026-12-08T23:30").unwrap();
        assert_eq!(due, 1_796_747_400); // 2026-12-08T16:30:00Z
        assert_eq!(hanoi.local_input(due), "2026-12-08T23:30");
        assert_eq!(hanoi.parse_local("2026-12-08"), Some(due + 29 * 60));
        assert_eq!(hanoi.parse_local("8 Dec"), None);
    }

    #[test]
    fn the_day_rolls_over_at_four_in_the_learners_zone() {
        let hanoi = DayClock::new(zone("Asia/Ho_Chi_Minh").unwrap(), 4);
        let evening = at(&hanoi, "2026-03-10T23:30");
        let small_hours = at(&hanoi, "2026-03-11T03:59");
        let morning = at(&hanoi, "2026-03-11T04:00");
        assert_eq!(hanoi.day(evening), hanoi.day(small_hours));
        assert_eq!(hanoi.day(morning), hanoi.day(evening) + 1);
        assert_eq!(
            hanoi.start_of_day(small_hours),
            at(&hanoi, "2026-03-10T04:00")
        );
        assert_eq!(hanoi.start(hanoi.day(morning)), morning);
        // UTC midnight is 7 am in Hanoi: the same Hanoi day on both sides of it.
        let before = at(&hanoi, "2026-03-11T06:59");
        assert_eq!(hanoi.day(before), hanoi.day(before + 120));
    }

    #[test]
    fn days_follow_clock_changes() {
        let paris = DayClock::new(zone("Europe/Paris").unwrap(), 4);
        // The night clocks go forward (29 March 2026) is 23 hours long.
        let d = paris.day(at(&paris, "2026-03-28T12:00"));
        assert_eq!(paris.start(d + 1) - paris.start(d), 23 * 3_600);
        assert_eq!(paris.start(d + 2) - paris.start(d + 1), 24 * 3_600);
        assert_eq!(paris.offset_at(at(&paris, "2026-07-01T12:00")), 7_200);
    }

    #[test]
    fn zones_are_looked_up_by_name() {
        assert!(zone("Asia/Ho_Chi_Minh").is_some());
        assert!(zone("Mars/Olympus").is_none());
        assert!(zone("").is_none());
        let names = zone_names();
        assert!(names.iter().any(|n| n == "Asia/Phnom_Penh"));
        assert!(names.iter().any(|n| n == "UTC"));
    }
}
