//! How an event's time is written for learners: the whole span when it has an end date
//! ("1981–1982", "7 January 1979 – 15 February 1979").

use crate::dataset::Event;

/// The event's date, or its span from start to end.
pub fn when(event: &Event) -> String {
    match event.end_date {
        Some(end) if end != event.date => {
            let (start, end) = (event.date.to_string(), end.to_string());
            // Single words join with an en dash; longer forms need spaces to read as a range.
            if start.contains(' ') || end.contains(' ') {
                format!("{start} – {end}")
            } else {
                format!("{start}–{end}")
            }
        }
        _ => event.date.to_string(),
    }
}
