//! Classes, join codes and assignments: the pure rules, apart from storage and HTTP.

pub mod code;
pub mod csv_cell;
pub mod goal;
pub mod gradebook;
pub mod item_analysis;
pub mod selection;
pub mod title;
