//! Spaced repetition: FSRS scheduling of one card, replay of a review history, the study queue
//! and how a card is presented. Pure: values in, values out.

pub mod presentation;
pub mod queue;
pub mod schedule;
pub mod standing;

pub use presentation::Presentation;
pub use schedule::{CardState, Phase, Rating, Review, Scheduler};
pub use standing::{Standing, Tally};
