//! The WAL stays bounded under sync load and shrinks back once the writers pause.
//!
//! Four clients, each its own learner, send 200-review batches back to back to the real
//! binary for a few seconds (`CHRONICLE_WAL_TEST_SECONDS`, default 12) while the test samples
//! the size of `chronicle.db-wal`. Before the fix the WAL only ever grew (1.35 GB after 24 s
//! in the black-box probe) and kept that size after the load.

mod common;

use common::{Server, token};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const MIB: u64 = 1024 * 1024;

/// The real deck: its hundreds of cards spread each batch over many pages, as real use does.
fn questions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../questions")
}

fn wal_size(db: &Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// Sends 200-review batches until `stop`, following the cursor as a real client does.
async fn client(
    base: String,
    token: String,
    cards: Arc<Vec<String>>,
    stop: Arc<AtomicBool>,
) -> u64 {
    let http = Client::new();
    let mut cursor: Option<String> = None;
    let mut batches = 0u64;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let mut t = now_ms - 300 * 86_400_000;
    while !stop.load(Ordering::Relaxed) {
        let reviews: Vec<Value> = (0..200)
            .map(|i| {
                t += 60_000;
                json!({
                    "id": uuid::Uuid::new_v4().to_string(),
                    "card_id": cards[(batches as usize * 200 + i * 7) % cards.len()],
                    "rating": 1 + (i % 4),
                    "answered_at": t.min(now_ms),
                    "duration_ms": 2500,
                    "given_answer": "",
                })
            })
            .collect();
        let r = http
            .post(format!("{base}/api/v1/sync"))
            .bearer_auth(&token)
            .json(&json!({"device_id": "phone", "cursor": cursor, "reviews": reviews}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let out: Value = r.json().await.unwrap();
        assert_eq!(out["accepted"], 200, "{out}");
        cursor = out["cursor"].as_str().map(str::to_string);
        batches += 1;
    }
    batches
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_wal_stays_small_under_four_syncing_clients_and_shrinks_after() {
    let seconds: u64 = std::env::var("CHRONICLE_WAL_TEST_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chronicle.db");
    let catalog = chronicle::catalog::Catalog::load(&questions()).unwrap();
    let cards: Arc<Vec<String>> =
        Arc::new(catalog.cards.iter().map(|c| c.id.to_string()).collect());
    let server = Server::start(&db, &questions()).await;
    let base = server.base.clone();
    let mut tokens = Vec::new();
    for n in 0..4 {
        tokens.push(token(&base, &format!("learner{n}")).await);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (db, stop, peak) = (db.clone(), Arc::clone(&stop), Arc::clone(&peak));
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                peak.fetch_max(wal_size(&db), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let clients: Vec<_> = tokens
        .into_iter()
        .map(|t| {
            tokio::spawn(client(
                base.clone(),
                t,
                Arc::clone(&cards),
                Arc::clone(&stop),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut batches = 0;
    for c in clients {
        batches += c.await.unwrap();
    }
    sampler.await.unwrap();
    let peak = peak.load(Ordering::Relaxed).max(wal_size(&db));
    let db_size = std::fs::metadata(&db).unwrap().len();

    // The writers have paused: within a few seconds the WAL is back to a few MiB.
    let settled = Instant::now() + Duration::from_secs(10);
    while wal_size(&db) > 4 * MIB && Instant::now() < settled {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = wal_size(&db);
    server.kill();
    eprintln!(
        "{batches} batches of 200 in {seconds} s; WAL peak {:.1} MiB, after {:.1} MiB; database {:.1} MiB",
        peak as f64 / MIB as f64,
        after as f64 / MIB as f64,
        db_size as f64 / MIB as f64,
    );
    assert!(batches >= 8, "the load ran: {batches} batches");
    assert!(peak < 64 * MIB, "WAL peak {peak} bytes");
    assert!(after <= 4 * MIB, "WAL after the load {after} bytes");
}
