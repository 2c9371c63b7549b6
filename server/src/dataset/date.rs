//! Historical dates at the precision a source gives them: `1979`, `1979-01`, `1979-01-07`.

use serde::{Serialize, Serializer};
use std::fmt;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

/// A date known to a year, a month or a day. Ordering is by first day, then precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl HistDate {
    pub fn year(year: i32) -> Self {
        HistDate {
            year,
            month: None,
            day: None,
        }
    }

    pub fn month(year: i32, month: u8) -> Option<Self> {
        (1..=12).contains(&month).then_some(HistDate {
            year,
            month: Some(month),
            day: None,
        })
    }

    pub fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(
            HistDate {
                year,
                month: Some(month),
                day: Some(day),
            },
        )
    }

    /// Parses the dataset form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, rejecting impossible dates.
    pub fn parse_iso(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let number = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let bad = || format!("`{s}` is not a date: use YYYY, YYYY-MM or YYYY-MM-DD");
        let year = parts.first().and_then(|p| number(p, 4)).ok_or_else(bad)? as i32;
        match parts.len() {
            1 => Ok(HistDate::year(year)),
            2 => {
                let m = number(parts[1], 2).ok_or_else(bad)? as u8;
                HistDate::month(year, m).ok_or_else(|| format!("`{s}`: there is no month {m}"))
            }
            3 => {
                let m = number(parts[1], 2).ok_or_else(bad)? as u8;
                let d = number(parts[2], 2).ok_or_else(bad)? as u8;
                HistDate::day(year, m, d).ok_or_else(|| format!("`{s}` is not a real day"))
            }
            _ => Err(bad()),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The same date cut down to `precision` (never made more precise).
    pub fn truncate(&self, precision: Precision) -> Self {
        match precision {
            Precision::Year => HistDate::year(self.year),
            Precision::Month => HistDate { day: None, ..*self },
            Precision::Day => *self,
        }
    }

    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// Days since 0000-03-01 of the first day the date covers.
    pub fn first_day(&self) -> i64 {
        day_number(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Days since 0000-03-01 of the last day the date covers.
    pub fn last_day(&self) -> i64 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        day_number(self.year, month, day)
    }

    /// True when the two dates could name the same day (one covers part of the other).
    pub fn overlaps(&self, other: &HistDate) -> bool {
        self.first_day() <= other.last_day() && other.first_day() <= self.last_day()
    }

    /// Moves the date by whole units of its own precision (days, months or years).
    pub fn shifted(&self, units: i64) -> Self {
        match self.precision() {
            Precision::Year => HistDate::year(self.year + units as i32),
            Precision::Month => {
                let index = self.year as i64 * 12 + (self.month.unwrap_or(1) as i64 - 1) + units;
                HistDate {
                    year: index.div_euclid(12) as i32,
                    month: Some(index.rem_euclid(12) as u8 + 1),
                    day: None,
                }
            }
            Precision::Day => from_day_number(self.first_day() + units),
        }
    }

    /// "in 1979", "in January 1979", "on 7 January 1979".
    pub fn with_preposition(&self) -> String {
        match self.precision() {
            Precision::Day => format!("on {self}"),
            _ => format!("in {self}"),
        }
    }
}

impl fmt::Display for HistDate {
    /// The written form learners see: `1979`, `January 1979`, `7 January 1979`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{} {} {}", d, month_name(m), self.year),
            (Some(m), None) => write!(f, "{} {}", month_name(m), self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

impl Serialize for HistDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

pub fn month_name(month: u8) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// Month number for a full or three-letter English month name, any case.
pub fn month_from_name(name: &str) -> Option<u8> {
    let name = name.to_ascii_lowercase();
    let name = name.trim_end_matches('.');
    if name.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            m == name
                || (name.len() == 3 && m.starts_with(name))
                || (name == "sept" && m == "september")
        })
        .map(|i| i as u8 + 1)
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

// Civil-calendar day numbers (Howard Hinnant's algorithm), so shifting by days is exact.
fn day_number(year: i32, month: u8, day: u8) -> i64 {
    let y = year as i64 - if month <= 2 { 1 } else { 0 };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe
}

fn from_day_number(n: i64) -> HistDate {
    let era = n.div_euclid(146097);
    let doe = n - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
    HistDate {
        year,
        month: Some(month),
        day: Some(day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(
            HistDate::parse_iso("1979").unwrap().precision(),
            Precision::Year
        );
        assert_eq!(
            HistDate::parse_iso("1979-01").unwrap().precision(),
            Precision::Month
        );
        let d = HistDate::parse_iso("1979-01-07").unwrap();
        assert_eq!(d.precision(), Precision::Day);
        assert_eq!(d.to_string(), "7 January 1979");
        assert_eq!(d.iso(), "1979-01-07");
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "1979-02-30",
            "1979-13",
            "1979-00-10",
            "79",
            "1979-1-7",
            "1979/01/07",
            "",
            "1980-02-30",
        ] {
            assert!(
                HistDate::parse_iso(bad).is_err(),
                "{bad} should be rejected"
            );
        }
        assert!(HistDate::parse_iso("1980-02-29").is_ok());
        assert!(HistDate::parse_iso("1979-02-29").is_err());
    }

    #[test]
    fn shifting_crosses_months_and_years() {
        let d = HistDate::parse_iso("1978-12-25").unwrap();
        assert_eq!(d.shifted(14).iso(), "1979-01-08");
        assert_eq!(d.shifted(-25).iso(), "1978-11-30");
        let m = HistDate::parse_iso("1979-01").unwrap();
        assert_eq!(m.shifted(-1).iso(), "1978-12");
        assert_eq!(HistDate::year(1979).shifted(3).iso(), "1982");
    }

    #[test]
    fn overlap_follows_precision() {
        let year = HistDate::year(1979);
        let day = HistDate::parse_iso("1979-01-07").unwrap();
        let other = HistDate::parse_iso("1978-12-25").unwrap();
        assert!(year.overlaps(&day));
        assert!(!year.overlaps(&other));
        assert!(day.first_day() > other.last_day());
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("jan"), Some(1));
        assert_eq!(month_from_name("January"), Some(1));
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("ja"), None);
        assert_eq!(month_from_name("Janvier"), None);
    }
}
