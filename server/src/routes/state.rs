//! What every handler shares: the pool, the settings, the login throttle and the decks.

use crate::auth::throttle::LoginThrottle;
use crate::catalog::Catalog;
use crate::config::Settings;
use crate::db;
use std::sync::Arc;

pub struct AppState {
    pub pool: db::Pool,
    pub settings: Settings,
    pub throttle: LoginThrottle,
    pub catalog: Arc<Catalog>,
    /// The background checkpointer runs while this lives (see `db::spawn_checkpointer`).
    pub checkpoints: Arc<()>,
}
