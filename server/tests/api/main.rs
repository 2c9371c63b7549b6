//! Integration tests: the real app on port 0 with a temporary SQLite file, driven over HTTP.

mod analysis;
mod answer;
mod auth;
mod classes;
mod connections;
mod dashboard;
mod days;
mod decks;
mod exports;
mod helpers;
mod learner;
mod study;
mod summary;
mod sync;
mod teacher;
mod times;
mod tokens;
mod two_apps;
