//! A small load generator: closed-loop workers (each waits for its reply before the next
//! request, like a learner) and an open-loop ticker (a fixed arrival rate, like logins that
//! come whether or not the server keeps up). Latencies are kept exactly, in microseconds: a
//! run is at most a few hundred thousand requests, so sorting a `Vec` is cheap and exact.

use std::future::Future;
use std::time::{Duration, Instant};

/// Measure only between `start` and `end`; before `start` is warm-up.
#[derive(Clone, Copy)]
pub struct Window {
    pub start: Instant,
    pub end: Instant,
}

impl Window {
    pub fn after(warmup: Duration, measure: Duration) -> Window {
        let start = Instant::now() + warmup;
        Window {
            start,
            end: start + measure,
        }
    }

    pub fn seconds(&self) -> f64 {
        (self.end - self.start).as_secs_f64()
    }
}

/// Requests of one kind (e.g. `GET /study`) inside the window.
#[derive(Default, Clone)]
pub struct Series {
    pub micros: Vec<u32>,
}

impl Series {
    pub fn push(&mut self, d: Duration) {
        self.micros.push(d.as_micros().min(u32::MAX as u128) as u32);
    }

    /// Nearest-rank quantile in milliseconds; `None` without samples.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let mut s = self.micros.clone();
        s.sort_unstable();
        let i = ((s.len() as f64 * q).ceil() as usize).clamp(1, s.len().max(1)) - 1;
        s.get(i).map(|&us| us as f64 / 1e3)
    }

    pub fn max_ms(&self) -> Option<f64> {
        self.micros.iter().max().map(|&us| us as f64 / 1e3)
    }
}

/// What one worker (or all, merged) saw.
#[derive(Default, Clone)]
pub struct Tally {
    /// Completed units (an answer, a login, a health check) inside the window.
    pub units: u64,
    /// Every request inside the window, whatever its kind.
    pub all: Series,
    /// The same requests split by kind, indexed as the worker reports them.
    pub by_kind: Vec<Series>,
    /// Failures at any time, warm-up included: a failure is a failure.
    pub errors: u64,
    pub first_error: Option<String>,
}

impl Tally {
    fn record(&mut self, kind: usize, d: Duration) {
        if self.by_kind.len() <= kind {
            self.by_kind.resize_with(kind + 1, Series::default);
        }
        self.by_kind[kind].push(d);
        self.all.push(d);
    }

    fn fail(&mut self, e: String) {
        self.errors += 1;
        self.first_error.get_or_insert(e);
    }

    pub fn merge(&mut self, other: Tally) {
        self.units += other.units;
        self.all.micros.extend(other.all.micros);
        if self.by_kind.len() < other.by_kind.len() {
            self.by_kind
                .resize_with(other.by_kind.len(), Series::default);
        }
        for (mine, theirs) in self.by_kind.iter_mut().zip(other.by_kind) {
            mine.micros.extend(theirs.micros);
        }
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// One simulated client. A step is one unit of work (e.g. fetch a card and answer it) and
/// returns the latency of each request it made, tagged with its kind.
pub trait Worker: Send + 'static {
    fn step(&mut self) -> impl Future<Output = Result<Vec<(usize, Duration)>, String>> + Send;
}

/// Runs every worker in its own task, back to back, until the window ends. A step counts
/// when it starts and ends inside the window.
pub async fn closed_loop<W: Worker>(workers: Vec<W>, window: Window) -> (Tally, Vec<W>) {
    let mut tasks = Vec::with_capacity(workers.len());
    for mut w in workers {
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            loop {
                let t0 = Instant::now();
                if t0 >= window.end {
                    break;
                }
                match w.step().await {
                    Ok(requests) => {
                        if t0 >= window.start && Instant::now() <= window.end {
                            tally.units += 1;
                            for (kind, d) in requests {
                                tally.record(kind, d);
                            }
                        }
                    }
                    Err(e) => {
                        tally.fail(e);
                        // Do not spin on a broken server.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
            }
            (tally, w)
        }));
    }
    let mut total = Tally::default();
    let mut back = Vec::new();
    for t in tasks {
        match t.await {
            Ok((tally, w)) => {
                total.merge(tally);
                back.push(w);
            }
            Err(e) => total.fail(format!("worker task failed: {e}")),
        }
    }
    (total, back)
}

/// Starts `make(i)` at a fixed rate from now until the window ends, without waiting for
/// earlier ones (open loop), then waits for all of them.
pub async fn open_loop<F, Fut>(rate_per_s: f64, window: Window, mut make: F) -> Tally
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<Vec<(usize, Duration)>, String>> + Send + 'static,
{
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate_per_s));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = Vec::new();
    let mut i = 0;
    loop {
        let tick = ticker.tick().await.into_std();
        if tick >= window.end {
            break;
        }
        let fut = make(i);
        i += 1;
        tasks.push(tokio::spawn(
            async move { (tick, fut.await, Instant::now()) },
        ));
    }
    let mut tally = Tally::default();
    for t in tasks {
        match t.await {
            Ok((t0, Ok(requests), t1)) => {
                if t0 >= window.start && t1 <= window.end {
                    tally.units += 1;
                    for (kind, d) in requests {
                        tally.record(kind, d);
                    }
                }
            }
            Ok((_, Err(e), _)) => tally.fail(e),
            Err(e) => tally.fail(format!("task failed: {e}")),
        }
    }
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        let mut s = Series::default();
        for ms in 1..=100 {
            s.push(Duration::from_millis(ms));
        }
        assert_eq!(s.quantile_ms(0.5), Some(50.0));
        assert_eq!(s.quantile_ms(0.99), Some(99.0));
        assert_eq!(s.max_ms(), Some(100.0));
        assert_eq!(Series::default().quantile_ms(0.5), None);
    }
}
