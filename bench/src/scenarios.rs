//! The scenarios, each against the one running server: baseline, study, study with a login
//! storm, sync.

use crate::answer_key::AnswerKey;
use crate::client::{self, HealthChecker, StudyLearner};
use crate::load::{self, Tally, Window};
use crate::seed::{Learner, PASSWORD};
use crate::server::{Sched, Server, own_cpu_time, sched};
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

/// One timed sync request: its wall time and what the server's threads did meanwhile.
#[derive(Default, Clone, Copy)]
pub struct Sample {
    pub wall: Duration,
    pub server: Sched,
}

#[derive(Default)]
pub struct SyncTimes {
    pub fresh: Vec<Sample>,
    pub duplicate: Vec<Sample>,
    pub empty: Vec<Sample>,
    /// The first fresh batch after the server started, by a learner of its own: it also
    /// builds the catalog's per-card caches once, so it is shown apart, not in the medians.
    pub warmup: Option<Sample>,
    /// The checkpointer thread's CPU from before each fresh batch until the WAL was empty
    /// again after it: the background cost of one batch, which the timed rows wait out.
    pub checkpoint: Vec<Duration>,
    /// Timed requests before which the WAL did not empty within [`SETTLE_LIMIT`].
    pub unsettled: usize,
    pub errors: Tally,
    pub reviews_per_batch: usize,
    /// The largest the server's WAL file was seen while the repetitions ran, in bytes.
    pub wal_peak: u64,
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

/// Duplicate batches timed per repetition (they write nothing, so they need no wait between).
pub const DUPLICATES_PER_REP: usize = 3;
/// How long to wait for the checkpointer to empty the WAL before a timed request. It copies
/// at its next one-second tick and truncates at the one after, once commits have paused.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(5);

/// Waits until the server's WAL file is empty (or missing): the checkpointer has copied and
/// truncated what earlier requests wrote, so that its checkpoint, which shares the server's
/// core, does not land inside the next timed request (it did, by chance: one run's median
/// duplicate batch was 2.3 times the next's on the same code). False if it took too long.
async fn settle(wal: &std::path::Path) -> bool {
    let t0 = std::time::Instant::now();
    while t0.elapsed() < SETTLE_LIMIT {
        if std::fs::metadata(wal).map_or(0, |m| m.len()) == 0 {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

/// One sync request, timed, with the server's scheduler readings around it.
async fn timed_sync(
    http: &reqwest::Client,
    server: &Server,
    token: &str,
    body: Vec<u8>,
) -> Result<(Sample, serde_json::Value), String> {
    let before = sched(server.pid);
    let (wall, v) = client::sync(http, &server.base, token, body).await?;
    let after = sched(server.pid);
    let server = before
        .zip(after)
        .map(|(a, b)| a.until(&b))
        .unwrap_or_default();
    Ok((Sample { wall, server }, v))
}

fn log_sample(what: &str, s: &Sample) {
    eprintln!(
        "  {what}: {:.2} ms; server ran {:.2} ms, waited for a CPU {:.2} ms, checkpointer {:.2} ms",
        s.wall.as_secs_f64() * 1e3,
        s.server.ran.as_secs_f64() * 1e3,
        s.server.waited.as_secs_f64() * 1e3,
        s.server.checkpointer.as_secs_f64() * 1e3,
    );
}

/// For `warmup` (if any) then each of `learners`: a device token, a fresh batch, the
/// checkpoint after it, [`DUPLICATES_PER_REP`] duplicate batches and `empty_per_rep` empty
/// syncs. Every timed request starts with the WAL empty (see [`settle`]).
pub async fn sync(
    server: &Server,
    db: &std::path::Path,
    warmup: Option<&Learner>,
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
    let wal = chronicle::db::wal::wal_path(db);
    let (wal_peak, stop_watching) = watch_size(wal.clone());
    let reps = warmup
        .map(|l| (l, true))
        .into_iter()
        .chain(learners.iter().map(|l| (l, false)));
    for (l, is_warmup) in reps {
        let rep = async {
            let token = client::device_token(&http, &server.base, &l.username).await?;
            let body =
                client::sync_batch(cards, per_card, chronicle::clock::Instant::now(), "1979");
            out.unsettled += usize::from(!settle(&wal).await);
            let c0 = sched(server.pid);
            let (s, v) = timed_sync(&http, server, &token, body.clone()).await?;
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
            log_sample(
                if is_warmup {
                    "warm-up batch"
                } else {
                    "fresh batch"
                },
                &s,
            );
            out.unsettled += usize::from(!settle(&wal).await);
            if is_warmup {
                out.warmup = Some(s);
                return Ok(());
            }
            out.fresh.push(s);
            if let (Some(a), Some(b)) = (c0, sched(server.pid)) {
                let c = a.until(&b).checkpointer;
                eprintln!("  its checkpoint: {:.2} ms", c.as_secs_f64() * 1e3);
                out.checkpoint.push(c);
            }
            // A client that never got the reply sends the same batch with its old cursor
            // (none): all duplicates, and every state comes back again.
            let mut cursor = String::new();
            for _ in 0..DUPLICATES_PER_REP {
                let (s, v) = timed_sync(&http, server, &token, body.clone()).await?;
                check(v["duplicates"] == cards.len() * per_card, || {
                    format!("duplicate batch: duplicates {}", v["duplicates"])
                })?;
                log_sample("duplicate batch", &s);
                out.duplicate.push(s);
                cursor = v["cursor"].as_str().unwrap_or_default().to_string();
            }
            // Back to back, the server read once around all of them: reading it between
            // requests left the server's core idle long enough to matter (an empty sync's
            // median went from about 0.3 to 2.5-3.5 ms, its server CPU staying at 0.4-0.5
            // ms: most likely the VM's idle CPU waking up), so each gets the block's mean.
            let block = sched(server.pid);
            let mut walls = Vec::with_capacity(empty_per_rep);
            for _ in 0..empty_per_rep {
                let body = serde_json::to_vec(&serde_json::json!({
                    "device_id": "bench", "cursor": cursor, "reviews": []
                }))
                .expect("JSON");
                let (t, v) = client::sync(&http, &server.base, &token, body).await?;
                check(v["changed"] == serde_json::json!([]), || {
                    "empty sync: states came back".into()
                })?;
                walls.push(t);
            }
            let each = block
                .zip(sched(server.pid))
                .map(|(a, b)| {
                    let d = a.until(&b);
                    let n = walls.len().max(1) as u32;
                    Sched {
                        ran: d.ran / n,
                        waited: d.waited / n,
                        checkpointer: d.checkpointer / n,
                    }
                })
                .unwrap_or_default();
            out.empty
                .extend(walls.into_iter().map(|wall| Sample { wall, server: each }));
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
/// their questions again), as Anki's review log carries no answer either. Each batch starts
/// with the WAL empty, as in [`sync`].
pub async fn sync_without_answers(
    server: &Server,
    db: &std::path::Path,
    learners: &[Learner],
    cards: &[String],
    per_card: usize,
) -> SyncTimes {
    let mut out = SyncTimes {
        reviews_per_batch: cards.len() * per_card,
        ..SyncTimes::default()
    };
    let http = reqwest::Client::new();
    let wal = chronicle::db::wal::wal_path(db);
    for l in learners {
        let rep = async {
            let token = client::device_token(&http, &server.base, &l.username).await?;
            let body = client::sync_batch(cards, per_card, chronicle::clock::Instant::now(), "");
            out.unsettled += usize::from(!settle(&wal).await);
            let (s, v) = timed_sync(&http, server, &token, body).await?;
            check(v["accepted"] == cards.len() * per_card, || {
                format!("batch without answers: accepted {}", v["accepted"])
            })?;
            log_sample("batch without answers", &s);
            out.fresh.push(s);
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
