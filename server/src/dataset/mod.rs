//! The event dataset: types, TOML loading, and validation with `file:line` errors.

pub mod date;
mod load;
pub mod model;

pub use date::{HistDate, Precision};
pub use load::{DatasetError, DatasetErrors, load_dir, parse_deck};
pub use model::*;
