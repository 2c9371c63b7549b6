//! What every handler shares: the pool, the settings, the login throttle, the device-cookie key and the decks.

use crate::auth::device::DeviceKey;
use crate::auth::throttle::{JoinThrottle, LoginThrottle};
use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db;
use std::sync::Arc;

pub struct AppState {
    pub pool: db::Pool,
    pub settings: Settings,
    pub throttle: LoginThrottle,
    /// Wrong join codes, per account and address.
    pub join_throttle: JoinThrottle,
    /// Signs device cookies (see `auth::device`).
    pub device_key: DeviceKey,
    /// Every deck, shipped and uploaded; see [`AppState::catalog`].
    pub decks: crate::catalog::Live,
    /// Each learner's own numbers, kept between requests (see `study::summary`).
    pub learners: Arc<crate::study::summary::Summaries>,
    /// Each learner's assignments, kept between dashboards (see `routes::classes::kept`).
    pub assignments: crate::routes::classes::kept::KeptAssignments,
    /// The background checkpointer runs while this lives (see `db::spawn_checkpointer`).
    pub checkpoints: Arc<()>,
}

impl AppState {
    /// The decks as they are now: a request holds on to this one for its whole run, so an
    /// upload meanwhile never shows it half a change.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.decks.now()
    }
}
