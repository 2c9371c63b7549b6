//! The `chronicle` binary itself: `chronicle serve` answers requests and logs one line for
//! each, and the one-shot commands still print. (A stdout lock held by `main` once froze
//! every request while the server logged; only running the real binary shows that.)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn the_binary_serves_and_logs_one_line_per_request() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let questions = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/questions");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--questions",
            questions,
        ])
        .arg("--db")
        .arg(dir.path().join("chronicle.db"))
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let lines = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let mut answered = None;
    for _ in 0..100 {
        match client.get(&url).send().await {
            Ok(r) => {
                answered = Some(r.status());
                break;
            }
            // Not listening yet: try again. Anything else (a timeout) is the failure.
            Err(e) if e.is_connect() => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(_) => break,
        }
    }
    let second = client.get(&url).send().await.map(|r| r.status());
    child.kill().unwrap();
    child.wait().unwrap();
    let lines = lines.join().unwrap();
    assert_eq!(answered, Some(reqwest::StatusCode::OK), "{lines:?}");
    assert_eq!(second.unwrap(), reqwest::StatusCode::OK);
    let request_lines = lines.iter().filter(|l| l.contains("/healthz")).count();
    assert_eq!(request_lines, 2, "one log line per request: {lines:#?}");
}

#[test]
fn questions_check_prints_the_counts() {
    let questions = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/questions");
    let out = Command::new(env!("CARGO_BIN_EXE_chronicle"))
        .args(["questions", "check", "--questions", questions])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("cards per kind"), "{text}");
}
