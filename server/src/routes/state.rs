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
    pub catalog: Arc<Catalog>,
    /// The background checkpointer runs while this lives (see `db::spawn_checkpointer`).
    pub checkpoints: Arc<()>,
}
