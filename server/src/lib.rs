pub mod catalog;
pub mod cli;
pub mod dataset;
pub mod questions;
pub mod srs;
pub mod text;
