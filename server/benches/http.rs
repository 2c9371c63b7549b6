//! Request latency of the study loop, measured against a baseline in the same run.
//!
//! `cargo bench --bench http` starts the real app (release build, temporary SQLite file, the
//! shipped deck) on a loopback port and times, one request at a time:
//! - `GET /healthz` (a `SELECT 1` through the pool): the baseline;
//! - `GET /study` and `POST /study/answer`, alternating, as a learner studies;
//! - `POST /login` (dominated by argon2id at m=19456 KiB, t=2, p=1).
//!
//! It prints median and p99 for each and their ratio to the baseline median, since the
//! machine is shared and absolute numbers drift. `CHRONICLE_BENCH_N` sets the sample count.

use chronicle::app::Application;
use chronicle::config::Settings;
use std::path::Path;
use std::time::{Duration, Instant};

fn field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&#x2f;", "/")
            .replace("&amp;", "&"),
    )
}

struct Stats {
    name: &'static str,
    samples: Vec<Duration>,
}

impl Stats {
    fn new(name: &'static str) -> Stats {
        Stats {
            name,
            samples: Vec::new(),
        }
    }

    fn quantile(&self, q: f64) -> Duration {
        let mut s = self.samples.clone();
        s.sort();
        s[((s.len() - 1) as f64 * q).round() as usize]
    }

    fn print(&self, baseline: Duration) {
        let median = self.quantile(0.5);
        println!(
            "{:<22} n={:<5} median {:>9.3} ms   p99 {:>9.3} ms   median/baseline {:>6.1}x",
            self.name,
            self.samples.len(),
            median.as_secs_f64() * 1e3,
            self.quantile(0.99).as_secs_f64() * 1e3,
            median.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("CHRONICLE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let dir = tempfile::tempdir().unwrap();
    let questions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../questions");
    let settings = Settings::for_tests(dir.path().join("bench.db"), questions);
    let app = Application::build(settings).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let password = "quiet-river-lantern-42";
    let page = client
        .get(format!("{base}/register"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = field(&page, "csrf_token").unwrap();
    client
        .post(format!("{base}/register"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "bench"),
            ("password", password),
            ("role", "learner"),
        ])
        .send()
        .await
        .unwrap();
    // Lift the daily limit so every GET /study shows a card.
    let conn = rusqlite::Connection::open(dir.path().join("bench.db")).unwrap();
    conn.execute("UPDATE users SET new_per_day = 200", [])
        .unwrap();

    let mut health = Stats::new("GET /healthz (baseline)");
    let mut study = Stats::new("GET /study");
    let mut answer = Stats::new("POST /study/answer");
    let mut login = Stats::new("POST /login");
    for i in 0..n {
        let t = Instant::now();
        let r = client.get(format!("{base}/healthz")).send().await.unwrap();
        r.bytes().await.unwrap();
        health.samples.push(t.elapsed());

        let t = Instant::now();
        let html = client
            .get(format!("{base}/study"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        study.samples.push(t.elapsed());
        let mut form: Vec<(String, String)> = [
            "csrf_token",
            "card_id",
            "review_id",
            "reps",
            "shown_at",
            "deck",
            "mode",
        ]
        .iter()
        .map(|k| (k.to_string(), field(&html, k).unwrap_or_default()))
        .collect();
        if html.contains("name=\"grade\"") {
            form.push(("grade".into(), "3".into()));
        } else if html.contains("name=\"typed\"") {
            form.push(("typed".into(), "1979".into()));
        } else {
            form.push(("choice".into(), (i % 4).to_string()));
        }
        let t = Instant::now();
        let r = client
            .post(format!("{base}/study/answer"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "answer failed: {}", r.status());
        r.bytes().await.unwrap();
        answer.samples.push(t.elapsed());
    }
    for _ in 0..(n / 10).max(10) {
        let fresh = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = fresh
            .get(format!("{base}/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = field(&page, "csrf_token").unwrap();
        let t = Instant::now();
        let r = fresh
            .post(format!("{base}/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", "bench"),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        login.samples.push(t.elapsed());
        assert_eq!(r.status(), 303, "login failed");
    }
    let baseline = health.quantile(0.5);
    println!("Chronicle HTTP latency, one client, loopback, release build");
    for s in [&health, &study, &answer, &login] {
        s.print(baseline);
    }
}
