//! Spaced repetition: FSRS scheduling of one card, replay of a review history, the study queue
//! and how a card is presented. Pure: values in, values out.

pub mod days;
pub mod fuzz;
#[cfg(test)]
mod golden;
pub mod optimiser;
pub mod presentation;
pub mod queue;
pub mod schedule;
pub mod standing;
pub mod steps;

pub use days::DayClock;
pub use presentation::Presentation;
pub use schedule::{CardState, Phase, Rating, Review, Scheduler, Settings};
pub use standing::{Standing, Tally};
pub use steps::Steps;
