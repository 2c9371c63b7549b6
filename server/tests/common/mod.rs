//! Starting the real `chronicle` binary for the tests that need a process of their own.
#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "quiet-river-lantern-42";

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `chronicle serve` and the lines it has logged so far.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `chronicle serve` on `db` with the decks in `questions`; waits until it answers.
    pub async fn start(db: &Path, questions: &Path) -> Server {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .arg("--questions")
            .arg(questions)
            .arg("--db")
            .arg(db)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line);
                }
            });
        }
        let base = format!("http://127.0.0.1:{port}");
        let client = Client::new();
        // A debug server loading the whole deck on a machine busy compiling once took over 30 s;
        // a crash is still caught at once by `try_wait` below.
        let deadline = Instant::now() + Duration::from_secs(120);
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            if let Some(status) = child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                panic!("the server exited ({status}): {:#?}", log.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Server { child, base, log }
    }

    pub fn logged(&self, text: &str) -> bool {
        self.log.lock().unwrap().iter().any(|l| l.contains(text))
    }

    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// A browser-like client: cookies kept, redirects not followed.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Registers `username` as a learner in a fresh browser and returns that browser.
pub async fn register(base: &str, username: &str) -> Client {
    let browser = browser();
    let page = browser
        .get(format!("{base}/register"))
        .send()
        .await
        .unwrap();
    let csrf = field(&page.text().await.unwrap(), "csrf_token");
    let r = browser
        .post(format!("{base}/register"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", username),
            ("password", PASSWORD),
            ("role", "learner"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    browser
}

/// Registers `username` and returns a fresh API token of theirs.
pub async fn token(base: &str, username: &str) -> String {
    register(base, username).await;
    let r = Client::new()
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({"username": username, "password": PASSWORD, "device_name": "phone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
