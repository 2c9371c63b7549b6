//! `GET /study`, `POST /study/answer`: one card at a time, answers appended to the review log.

mod grade;
pub mod notes;
mod page;

pub use notes::{DisputeNote, EventNote, OrderedEvent, event_note, event_notes};
pub use page::{STALE_MESSAGE, answer, show};
