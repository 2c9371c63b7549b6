//! HTTP handlers, one module per area. The page layout and errors they share live in `web`.

pub mod api;
pub mod assets;
pub mod auth;
pub mod classes;
pub mod dashboard;
pub mod health;
pub mod home;
pub mod missed;
pub mod offline;
pub mod state;
pub mod study;
pub mod study_queue;
