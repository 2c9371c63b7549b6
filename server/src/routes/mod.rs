//! HTTP handlers, one module per area. The page layout and errors they share live in `web`.

pub mod anki;
pub mod api;
pub mod assets;
pub mod auth;
pub mod browse;
pub mod classes;
pub mod dashboard;
pub mod deck_access;
pub mod decks;
pub mod event_view;
pub mod health;
pub mod home;
pub mod missed;
pub mod offline;
pub mod reset;
pub mod state;
pub mod stats;
pub mod study;
pub mod study_queue;
pub mod timeline;
