//! The event dataset: types, TOML loading, and validation with `file:line` errors.

pub mod csv_deck;
pub mod date;
mod load;
pub mod model;

pub use date::{HistDate, Precision};
pub use load::{DatasetError, DatasetErrors, is_slug, load_dir, parse_deck, read_deck, read_dir};
pub use model::*;
