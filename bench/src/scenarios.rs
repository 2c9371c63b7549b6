//! The scenarios, each against the one running server: baseline, study, study with a login
//! storm, sync.

use crate::answer_key::AnswerKey;
use crate::client::{self, HealthChecker, StudyLearner};
use crate::load::{self, Tally, Window};
use crate::seed::{Learner, PASSWORD};
use crate::server::{Server, own_cpu_time};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// CPU used by the server and by this process during a window, as a share of one core.
#[derive(Default, Clone, Copy)]
pub struct CpuUse {
    pub server: Option<f64>,
    pub bench: Option<f64>,
}

impl CpuUse {
    pub fn describe(&self) -> String {
        let pct = |v: Option<f64>| v.map_or("–".into(), |v| format!("{:.0}%", v * 100.0));
        format!("{} / {}", pct(self.server), pct(self.bench))
    }
}

/// Samples CPU time at the window's start and end (run beside the load).
pub async fn cpu_during(server_pid: u32, window: Window) -> CpuUse {
    let read = || (crate::server::process_cpu_time(server_pid), own_cpu_time());
    tokio::time::sleep_until(window.start.into()).await;
    let (s0, b0) = read();
    tokio::time::sleep_until(window.end.into()).await;
    let (s1, b1) = read();
    let share = |a: Option<Duration>, b: Option<Duration>| {
        Some((b?.checked_sub(a?)?).as_secs_f64() / window.seconds())
    };
    CpuUse {
        server: share(s0, s1),
        bench: share(b0, b1),
    }
}

pub struct Measured {
    pub tally: Tally,
    pub seconds: f64,
    pub cpu: CpuUse,
}

impl Measured {
    pub fn rate(&self) -> f64 {
        self.tally.units as f64 / self.seconds
    }

    /// Server CPU time per unit, in milliseconds: what a unit costs, whatever the noise.
    pub fn server_ms_per_unit(&self) -> Option<f64> {
        let rate = self.rate();
        (rate > 0.0).then_some(self.cpu.server? * 1e3 / rate)
    }
}

/// Logs in `learners` through the form, a few at a time (each login is ~30 ms of argon2 on
/// the server's one core; more at once only queues).
pub async fn sign_in(
    server: &Server,
    learners: &[Learner],
    key: &Arc<AnswerKey>,
    deck: &str,
    right_share: f64,
) -> (Vec<StudyLearner>, Tally) {
    let permits = Arc::new(Semaphore::new(4));
    let mut tasks = Vec::new();
    for l in learners {
        let permits = Arc::clone(&permits);
        let base = server.base.clone();
        let username = l.username.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = permits.acquire().await.expect("semaphore open");
            client::login(&base, &username, PASSWORD).await
        }));
    }
    let mut out = Vec::new();
    let mut tally = Tally::default();
    for (l, t) in learners.iter().zip(tasks) {
        match t.await {
            Ok(Ok((browser, _))) => out.push(StudyLearner {
                client: browser,
                base: server.base.clone(),
                deck: deck.to_string(),
                key: Arc::clone(key),
                right_share,
                rng: l.id.get() as u64,
                answered: 0,
                right: 0,
                think: Duration::ZERO,
            }),
            Ok(Err(e)) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(e);
            }
            Err(e) => {
                tally.errors += 1;
                tally.first_error.get_or_insert(e.to_string());
            }
        }
    }
    (out, tally)
}

pub async fn healthz(server: &Server, concurrency: usize, window: Window) -> Measured {
    let workers = (0..concurrency)
        .map(|_| HealthChecker {
            client: client::browser(),
            url: format!("{}/healthz", server.base),
        })
        .collect();
    let (cpu, (tally, _)) = tokio::join!(
        cpu_during(server.pid, window),
        load::closed_loop(workers, window)
    );
    Measured {
        tally,
        seconds: window.seconds(),
        cpu,
    }
}

pub async fn study(
    server: &Server,
    learners: Vec<StudyLearner>,
    window: Window,
) -> (Measured, Vec<StudyLearner>) {
    let (cpu, (tally, learners)) = tokio::join!(
        cpu_during(server.pid, window),
        load::closed_loop(learners, window)
    );
    let m = Measured {
        tally,
        seconds: window.seconds(),
        cpu,
    };
    (m, learners)
}

/// The study loop again, with `rate` fresh logins a second (real form, real argon2, each a
/// new session) arriving whether or not the server keeps up.
pub async fn study_with_logins(
    server: &Server,
    learners: Vec<StudyLearner>,
    storm_users: Arc<Vec<String>>,
    rate: f64,
    window: Window,
) -> (Measured, Measured, Vec<StudyLearner>) {
    let base = server.base.clone();
    let logins = load::open_loop(rate, window, move |i| {
        let base = base.clone();
        let username = storm_users[i as usize % storm_users.len()].clone();
        async move {
            client::login(&base, &username, PASSWORD)
                .await
                .map(|(_, requests)| requests)
        }
    });
    let (cpu, (study, learners), logins) = tokio::join!(
        cpu_during(server.pid, window),
        load::closed_loop(learners, window),
        logins
    );
    let study = Measured {
        tally: study,
        seconds: window.seconds(),
        cpu,
    };
    let logins = Measured {
        tally: logins,
        seconds: window.seconds(),
        cpu,
    };
    (study, logins, learners)
}

#[derive(Default)]
pub struct SyncTimes {
    pub fresh: Vec<Duration>,
    pub duplicate: Vec<Duration>,
    pub empty: Vec<Duration>,
    pub errors: Tally,
    pub reviews_per_batch: usize,
    /// The largest the server's WAL file was seen while the repetitions ran, in bytes.
    pub wal_peak: u64,
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

/// One repetition per sync learner (each fresh, with no history): a batch of `per_card`
/// reviews of each card, the same batch again, then empty syncs with the new cursor.
pub async fn sync(
    server: &Server,
    db: &std::path::Path,
    learners: &[Learner],
    cards: &[String],
    per_card: usize,
    empty_per_rep: usize,
) -> SyncTimes {
    let mut out = SyncTimes {
        reviews_per_batch: cards.len() * per_card,
        ..SyncTimes::default()
    };
    let http = reqwest::Client::new();
    let (wal_peak, stop_watching) = watch_size(chronicle::db::wal::wal_path(db));
    for l in learners {
        let rep = async {
            let token = client::device_token(&http, &server.base, &l.username).await?;
            let body =
                client::sync_batch(cards, per_card, chronicle::clock::Instant::now(), "1979");
            let (t, v) = client::sync(&http, &server.base, &token, body.clone()).await?;
            check(v["accepted"] == cards.len() * per_card, || {
                format!(
                    "fresh batch: accepted {} ({})",
                    v["accepted"], v["rejected"]
                )
            })?;
            check(
                v["changed"].as_array().map(Vec::len) == Some(cards.len()),
                || "fresh batch: not every card changed".into(),
            )?;
            out.fresh.push(t);
            // A client that never got the reply sends the same batch with its old cursor
            // (none): all duplicates, and every state comes back again.
            let (t, v) = client::sync(&http, &server.base, &token, body).await?;
            check(v["duplicates"] == cards.len() * per_card, || {
                format!("duplicate batch: duplicates {}", v["duplicates"])
            })?;
            out.duplicate.push(t);
            let cursor = v["cursor"].as_str().unwrap_or_default().to_string();
            for _ in 0..empty_per_rep {
                let body = serde_json::to_vec(&serde_json::json!({
                    "device_id": "bench", "cursor": cursor, "reviews": []
                }))
                .expect("JSON");
                let (t, v) = client::sync(&http, &server.base, &token, body).await?;
                check(v["changed"] == serde_json::json!([]), || {
                    "empty sync: states came back".into()
                })?;
                out.empty.push(t);
            }
            Ok::<(), String>(())
        };
        if let Err(e) = rep.await {
            out.errors.errors += 1;
            out.errors.first_error.get_or_insert(e);
        }
    }
    stop_watching.store(true, std::sync::atomic::Ordering::Relaxed);
    out.wal_peak = wal_peak.await.unwrap_or(0);
    out
}

/// The fresh batch alone, its reviews without answer text, one repetition per learner: what
/// storing and replaying costs without the check of multiple-choice answers (which draws
/// their questions again), as Anki's review log carries no answer either.
pub async fn sync_without_answers(
    server: &Server,
    learners: &[Learner],
    cards: &[String],
    per_card: usize,
) -> SyncTimes {
    let mut out = SyncTimes {
        reviews_per_batch: cards.len() * per_card,
        ..SyncTimes::default()
    };
    let http = reqwest::Client::new();
    for l in learners {
        let rep = async {
            let token = client::device_token(&http, &server.base, &l.username).await?;
            let body = client::sync_batch(cards, per_card, chronicle::clock::Instant::now(), "");
            let (t, v) = client::sync(&http, &server.base, &token, body).await?;
            check(v["accepted"] == cards.len() * per_card, || {
                format!("batch without answers: accepted {}", v["accepted"])
            })?;
            out.fresh.push(t);
            Ok::<(), String>(())
        };
        if let Err(e) = rep.await {
            out.errors.errors += 1;
            out.errors.first_error.get_or_insert(e);
        }
    }
    out
}

/// Samples the size of `file` every 2 ms (a stat call) until told to stop; the task's result
/// is the largest size seen. A missing file counts as empty.
fn watch_size(
    file: std::path::PathBuf,
) -> (
    tokio::task::JoinHandle<u64>,
    Arc<std::sync::atomic::AtomicBool>,
) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let task = tokio::spawn(async move {
        let mut peak = 0;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            peak = peak.max(std::fs::metadata(&file).map_or(0, |m| m.len()));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        peak
    });
    (task, stop)
}
