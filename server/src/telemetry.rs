//! Structured logs: one line per request (from `TracingLogger`), filtered by `RUST_LOG`.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // The request span closes once, with method, route and status: one line a request.
        .with_span_events(FmtSpan::CLOSE)
        .try_init();
}
