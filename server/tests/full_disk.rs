//! A full disk: the server starts and serves reads, says plainly in its log and on every
//! write that the disk is full, and writes again once space is freed.
//!
//! The database lives on a 16 MiB tmpfs that the test mounts (it needs root, as in the
//! sandbox and CI) and fills with a file until the kernel says ENOSPC: a real full disk,
//! not SQLite's `max_page_count`, so the WAL, the shared-memory file and start-up all meet
//! it as they would in production.

mod common;

use common::{PASSWORD, Server, field, token};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn questions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions")
}

/// A mounted tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes `path` until the file system is full.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    loop {
        match f.write_all(&chunk).and_then(|()| f.sync_all()) {
            Ok(()) => {}
            Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // Whatever a partial chunk left: fill it byte by byte.
    while f.write_all(&[0]).and_then(|()| f.sync_all()).is_ok() {}
}

async fn sync_one(base: &str, token: &str, n: u128) -> reqwest::Response {
    let catalog = chronicle::catalog::Catalog::load(&questions()).unwrap();
    Client::new()
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(token)
        .json(&json!({"device_id": "phone", "reviews": [{
            "id": uuid::Uuid::from_u128(n).to_string(),
            "card_id": catalog.cards[0].id,
            "rating": 3,
            "answered_at": common::now_ms() - 60_000 + n as i64,
            "duration_ms": 2000,
            "given_answer": "",
        }]}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn on_a_full_disk_the_server_starts_serves_reads_refuses_writes_plainly_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(dir.path(), "16m") else {
        eprintln!("full-disk test SKIPPED: mounting a tmpfs needs root");
        assert!(
            std::env::var("CHRONICLE_REQUIRE_FULL_DISK_TEST").is_err(),
            "CHRONICLE_REQUIRE_FULL_DISK_TEST is set: the full-disk test must run"
        );
        return;
    };
    let db = disk.0.join("chronicle.db");
    let filler = disk.0.join("filler");

    let server = Server::start(&db, &questions()).await;
    let token = token(&server.base, "ann").await;
    assert_eq!(
        sync_one(&server.base, &token, 1).await.status(),
        StatusCode::OK
    );
    // Empty the WAL first: SQLite reuses a WAL's old frames in place after a checkpoint, so a
    // small write into a WAL that already holds room needs no new block and would succeed on
    // a full disk, by luck of the checkpointer's timing.
    let busy: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(busy, 0, "the WAL could not be emptied");
    fill(&filler);

    // Full while running: the write is refused in plain words, the read still answers.
    let r = sync_one(&server.base, &token, 2).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "disk_full", "{body}");
    server.kill();

    // Restart on the full disk (as after a crash or a deploy).
    let server = Server::start(&db, &questions()).await;
    let base = server.base.clone();
    assert!(server.logged("the disk is full"), "{:#?}", server.log);
    let decks = Client::new()
        .get(format!("{base}/api/v1/decks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(decks.status(), StatusCode::OK, "reads are served");
    let decks: Value = decks.json().await.unwrap();
    assert!(!decks.as_array().unwrap().is_empty(), "{decks}");
    let r = sync_one(&base, &token, 3).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.headers().contains_key("retry-after"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "disk_full", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("disk is full"),
        "{body}"
    );
    // A page write (signing in makes a session) says so too.
    let browser = common::browser();
    let page = browser.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "pages are served");
    let csrf = field(&page.text().await.unwrap(), "csrf_token");
    let r = browser
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "ann"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await.unwrap().contains("disk is full"));
    assert!(
        server.logged("the disk holding the database is full"),
        "{:#?}",
        server.log
    );

    // Space returns: writes resume without a restart.
    std::fs::remove_file(&filler).unwrap();
    let r = sync_one(&base, &token, 3).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["accepted"], 1, "{body}");
    server.kill();
}
