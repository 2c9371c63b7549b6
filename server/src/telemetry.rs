//! Structured logs, filtered by `RUST_LOG` (default `info`): one line per request
//! (`web::request_log`) and the events handlers record.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Colour codes only for a person at a terminal, not in a log file.
        .with_ansi(std::io::stdout().is_terminal())
        .try_init();
}
