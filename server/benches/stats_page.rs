//! Time to render the learner's pages for a learner with a long history.
//!
//! `cargo bench --bench stats_page` starts the real app (release build, temporary SQLite file,
//! the shipped deck), uploads 10,000 reviews for one learner through `POST /api/v1/sync`
//! (about twenty per card, spread over the last 300 days, four in five right; the learner
//! lives in Asia/Ho_Chi_Minh, so every day is counted in their own calendar), then times
//! `GET /stats`, `GET /timeline` and `GET /browse` one request at a time against
//! `GET /healthz`. `CHRONICLE_BENCH_N` sets the sample count (default 50).

mod support;

use chronicle::app::Application;
use chronicle::catalog::Catalog;
use chronicle::config::Settings;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};
use support::{field, quantile};

const REVIEWS: usize = 10_000;

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("CHRONICLE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let questions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../questions");
    let catalog = Catalog::load(&questions).unwrap();
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
    let csrf = field(&page, "csrf_token").unwrap();
    client
        .post(format!("{base}/register"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "bench"),
            ("password", password),
            ("role", "learner"),
            // A zone with an offset, so every day is counted through the learner's calendar.
            ("time_zone", "Asia/Ho_Chi_Minh"),
        ])
        .send()
        .await
        .unwrap();
    let token: serde_json::Value = client
        .post(format!("{base}/api/v1/tokens"))
        .json(&json!({ "username": "bench", "password": password, "device_name": "bench" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_string();

    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let cards = &catalog.cards;
    let per_card = REVIEWS.div_ceil(cards.len());
    let span_ms = 300 * 86_400_000_i64;
    let reviews: Vec<_> = (0..REVIEWS)
        .map(|i| {
            let card = &cards[i % cards.len()];
            let k = (i / cards.len()) as i64;
            let at = now_ms - span_ms + span_ms * k / per_card as i64 + (i as i64 % 997) * 60_000;
            json!({
                "id": uuid::Uuid::from_u128(i as u128 + 1).to_string(),
                "card_id": card.id,
                "rating": if i % 5 == 0 { 1 } else { 3 },
                "answered_at": at.min(now_ms - 1000),
                "duration_ms": 8000,
                "given_answer": "",
            })
        })
        .collect();
    let t = Instant::now();
    let r: serde_json::Value = client
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(&token)
        .json(&json!({ "device_id": "bench", "cursor": null, "reviews": reviews }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["accepted"].as_u64(), Some(REVIEWS as u64), "{r}");
    println!(
        "seeded {REVIEWS} reviews on {} cards in {:.1} s",
        cards.len(),
        t.elapsed().as_secs_f64()
    );

    // The pure part that the learner's calendar adds: each answer's day in their zone.
    let clock =
        chronicle::srs::DayClock::new(chronicle::srs::days::zone("Asia/Ho_Chi_Minh").unwrap(), 4);
    let answers: Vec<chronicle::stats::Answer> = (0..REVIEWS as i64)
        .map(|i| chronicle::stats::Answer {
            card_id: String::new(),
            at: now_ms / 1000 - 300 * 86_400 + i * 2_592,
            correct: true,
            duration_ms: 0,
        })
        .collect();
    let mut samples = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        let dated = chronicle::stats::Dated::new(&answers, &clock);
        std::hint::black_box(&dated);
        samples.push(t.elapsed());
    }
    println!(
        "stats::Dated::new over {REVIEWS} answers (their days in Asia/Ho_Chi_Minh): median {:.2} ms",
        quantile(&samples, 0.5).as_secs_f64() * 1e3
    );

    let mut baseline = Duration::ZERO;
    for path in ["/healthz", "/stats", "/timeline", "/browse"] {
        let mut samples = Vec::new();
        let mut bytes = 0;
        for _ in 0..n {
            let t = Instant::now();
            let r = client.get(format!("{base}{path}")).send().await.unwrap();
            assert!(r.status().is_success(), "{path}: {}", r.status());
            bytes = r.bytes().await.unwrap().len();
            samples.push(t.elapsed());
        }
        let median = quantile(&samples, 0.5);
        if path == "/healthz" {
            baseline = median;
        }
        println!(
            "GET {path:<10} n={n:<4} median {:>8.2} ms   p99 {:>8.2} ms   {:>7} bytes   median/baseline {:>6.1}x",
            median.as_secs_f64() * 1e3,
            quantile(&samples, 0.99).as_secs_f64() * 1e3,
            bytes,
            median.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}
