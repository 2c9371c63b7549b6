//! The server dies between committing a sync batch and replying; the client, which never got
//! the reply, sends the same batch again to the restarted server. Nothing is doubled or lost.
//! The real binary runs with its test-only setting that exits right after the commit.
//! Only debug builds carry that hook (`cfg(debug_assertions)` in the sync handler), so the
//! release binary cannot be told to stop itself, and under `cargo test --release` this test
//! is left out rather than failing for want of the exit.
#![cfg(debug_assertions)]

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "quiet-river-lantern-42";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn questions() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/questions")
}

/// Starts `chronicle serve` on `db` and waits until it answers.
async fn start(db: &Path, exit_after_commit: bool) -> (Child, String) {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    cmd.args([
        "serve",
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--questions",
        questions(),
    ])
    .arg("--db")
    .arg(db)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    if exit_after_commit {
        cmd.env("CHRONICLE_TEST_EXIT_AFTER_SYNC_COMMIT", "true");
    }
    let child = cmd.spawn().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (child, base)
}

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

async fn token(base: &str) -> String {
    let browser = Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser
        .get(format!("{base}/register"))
        .send()
        .await
        .unwrap();
    let csrf = field(&page.text().await.unwrap(), "csrf_token");
    browser
        .post(format!("{base}/register"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "ann"),
            ("password", PASSWORD),
            ("role", "learner"),
        ])
        .send()
        .await
        .unwrap();
    let r = browser
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"username": "ann", "password": PASSWORD, "device_name": "phone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn states(db: &Path) -> Vec<(String, i64, i64, f64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT card_id, reps, due, stability FROM card_states ORDER BY card_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_retry_after_the_server_died_between_commit_and_reply_doubles_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chronicle.db");
    let catalog = chronicle::catalog::Catalog::load(Path::new(questions())).unwrap();
    let cards: Vec<&str> = catalog
        .cards
        .iter()
        .take(5)
        .map(|c| c.id.as_str())
        .collect();
    let t0 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
        - 20 * 86_400_000;
    let reviews: Vec<Value> = (0..40u128)
        .map(|i| {
            json!({
                "id": uuid::Uuid::from_u128(i + 1).to_string(),
                "card_id": cards[i as usize % cards.len()],
                "rating": 1 + (i % 4),
                "answered_at": t0 + i as i64 * 6 * 3_600_000,
                "duration_ms": 2000,
                "given_answer": "",
            })
        })
        .collect();
    let body = json!({"device_id": "phone", "reviews": reviews});

    let (mut dying, base) = start(&db, true).await;
    let token = token(&base).await;
    let lost = Client::new()
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await;
    assert!(lost.is_err(), "the reply never arrives: {lost:?}");
    let status = dying.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(75),
        "the server exited after the commit"
    );
    // The batch was committed before the server died.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM reviews"), 40);
    let committed = states(&db);
    assert_eq!(committed.len(), 5);

    let (mut server, base) = start(&db, false).await;
    let r = Client::new()
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let out: Value = r.json().await.unwrap();
    assert_eq!(out["accepted"], 0);
    assert_eq!(out["duplicates"], 40);
    assert_eq!(out["rejected"], json!([]));
    // The client had no cursor: it receives every state the lost reply would have carried.
    assert_eq!(out["changed"].as_array().unwrap().len(), 5);
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM reviews"),
        40,
        "nothing doubled"
    );
    assert_eq!(states(&db), committed, "the states are those of one upload");
    let reps: i64 = count(&db, "SELECT SUM(reps) FROM card_states");
    assert_eq!(reps, 40, "every review counted once in the schedule");
}
