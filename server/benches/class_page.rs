//! How fast a teacher's class page renders for a big class: 200 students with 100,000
//! reviews between them (500 each, over the last 60 days) and three assignments.
//!
//! `cargo bench --bench class_page` starts the real app (release build, temporary SQLite file,
//! the shipped deck), creates the class and assignments over HTTP, fills the log with SQL, and
//! times `GET /classes/{id}`, the most-missed page and the per-question CSV against
//! `GET /healthz` in the same run. It prints the query plans of the report queries too.
//! `CHRONICLE_BENCH_N` sets the sample count.

mod support;

use chronicle::app::Application;
use chronicle::config::Settings;
use rand::{Rng, SeedableRng};
use std::path::Path;
use std::time::{Duration, Instant};
use support::{field, quantile};

const STUDENTS: i64 = 200;
const REVIEWS_PER_STUDENT: i64 = 500;

async fn time_get(client: &reqwest::Client, url: &str, n: usize) -> Vec<Duration> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = client.get(url).send().await.unwrap();
        assert!(r.status().is_success(), "{url}: {}", r.status());
        r.bytes().await.unwrap();
        out.push(t.elapsed());
    }
    out
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("CHRONICLE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("bench.db");
    let questions = Path::new(env!("CARGO_MANIFEST_DIR")).join("../questions");
    let settings = Settings::for_tests(db_path.clone(), questions);
    let app = Application::build(settings).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| {
        let client = client.clone();
        let url = format!("{base}{path}");
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let token = field(&get("/register").await, "csrf_token").unwrap();
    client
        .post(format!("{base}/register"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "teacher"),
            ("password", "quiet-river-lantern-42"),
            ("role", "teacher"),
        ])
        .send()
        .await
        .unwrap();
    let token = field(&get("/account").await, "csrf_token").unwrap();
    let r = client
        .post(format!("{base}/classes"))
        .form(&[("csrf_token", token.as_str()), ("name", "Big class")])
        .send()
        .await
        .unwrap();
    let class_path = r.headers()["Location"].to_str().unwrap().to_string();
    let class_id: i64 = class_path.rsplit('/').next().unwrap().parse().unwrap();
    for (title, extra) in [
        ("Whole deck", vec![]),
        ("The border war", vec![("eras", "border-war")]),
        ("Dates", vec![]),
    ] {
        let mut form = vec![
            ("csrf_token", token.as_str()),
            ("title", title),
            ("deck", "vietnam-cambodia"),
            ("goal", "right_once"),
        ];
        if title == "Dates" {
            form.push(("kinds", "date"));
        } else {
            for k in [
                "date",
                "event_on_date",
                "place",
                "figure",
                "chronology",
                "speaker",
                "cloze",
                "true_false",
                "flashcard",
            ] {
                form.push(("kinds", k));
            }
        }
        form.extend(extra);
        let r = client
            .post(format!("{base}/classes/{class_id}/assignments"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{title}");
    }

    // Fill the log directly: 200 students, 500 reviews each over the class's cards.
    let t = Instant::now();
    let mut conn = rusqlite::Connection::open(&db_path).unwrap();
    let cards: Vec<String> = conn
        .prepare("SELECT DISTINCT card_id FROM assignment_cards")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let tx = conn.transaction().unwrap();
    {
        let mut user = tx
            .prepare(
                "INSERT INTO users (username, display_name, password_hash, role, created_at)
                 VALUES (?1, ?1, 'x', 'learner', 0)",
            )
            .unwrap();
        let mut member = tx
            .prepare("INSERT INTO class_members (class_id, user_id, joined_at) VALUES (?1, ?2, 0)")
            .unwrap();
        let mut review = tx
            .prepare(
                "INSERT INTO reviews (id, user_id, card, answered_at, rating, correct,
                     given_answer, duration_ms, presentation, device_id, received_at)
                 VALUES (?1, ?2, (SELECT key FROM card_keys WHERE card_id = ?3), ?4, ?5, ?6,
                         ?7, 4000, 'multiple_choice', 'web', ?4)",
            )
            .unwrap();
        let mut state = tx
            .prepare(
                "INSERT OR REPLACE INTO card_states (user_id, card_id, stability, difficulty, due,
                     last_review, reps, lapses, state)
                 VALUES (?1, ?2, ?3, 5.0, ?4, ?4, 3, 0, ?5)",
            )
            .unwrap();
        for s in 0..STUDENTS {
            user.execute([format!("student{s:03}")]).unwrap();
            let uid = tx.last_insert_rowid();
            member.execute([class_id, uid]).unwrap();
            for i in 0..REVIEWS_PER_STUDENT {
                let card = &cards[rng.random_range(0..cards.len())];
                let correct = rng.random_bool(0.75);
                let at = now_ms - rng.random_range(0..60 * 86_400_000i64);
                let given = if correct {
                    "right".to_string()
                } else {
                    format!("wrong {}", rng.random_range(0..3))
                };
                review
                    .execute(rusqlite::params![
                        format!("{uid}-{i}"),
                        uid,
                        card,
                        at,
                        if correct { 3 } else { 1 },
                        correct,
                        given
                    ])
                    .unwrap();
                state
                    .execute(rusqlite::params![
                        uid,
                        card,
                        rng.random_range(0.5..60.0),
                        at / 1000,
                        if correct { "review" } else { "relearning" }
                    ])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    conn.execute_batch("ANALYZE").unwrap();
    let reviews: i64 = conn
        .query_row("SELECT COUNT(*) FROM reviews", [], |r| r.get(0))
        .unwrap();
    println!(
        "filled {STUDENTS} students, {reviews} reviews over {} cards in {:.1} s",
        cards.len(),
        t.elapsed().as_secs_f64()
    );

    println!("\nquery plans of the report queries:");
    for (name, sql) in chronicle::db::classes::REPORT_QUERIES {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let params: Vec<rusqlite::types::Value> =
            (0..stmt.parameter_count()).map(|_| 1i64.into()).collect();
        let steps: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut times = Vec::new();
        for _ in 0..5 {
            // Every report query takes the class id alone.
            let params: Vec<rusqlite::types::Value> = vec![class_id.into()];
            let t = Instant::now();
            let mut stmt = conn.prepare(sql).unwrap();
            let mut rows = stmt.query(rusqlite::params_from_iter(params)).unwrap();
            while rows.next().unwrap().is_some() {}
            times.push(t.elapsed());
        }
        println!(
            "  {name}: median {:.2} ms",
            quantile(&times, 0.5).as_secs_f64() * 1e3
        );
        for s in steps {
            println!("    {s}");
        }
    }

    // Warm up, then measure.
    time_get(&client, &format!("{base}{class_path}"), 3).await;
    let health = time_get(&client, &format!("{base}/healthz"), n).await;
    let page = time_get(&client, &format!("{base}{class_path}"), n).await;
    let missed = time_get(&client, &format!("{base}{class_path}/missed"), n).await;
    let csv = time_get(
        &client,
        &format!("{base}{class_path}/export/questions.csv"),
        n,
    )
    .await;
    let baseline = quantile(&health, 0.5);
    println!();
    for (name, samples) in [
        ("GET /healthz (baseline)", &health),
        ("GET /classes/{id}", &page),
        ("GET /classes/{id}/missed", &missed),
        ("GET questions.csv", &csv),
    ] {
        let median = quantile(samples, 0.5);
        println!(
            "{name:<26} n={:<4} median {:>8.2} ms   p99 {:>8.2} ms   median/baseline {:>7.1}x",
            samples.len(),
            median.as_secs_f64() * 1e3,
            quantile(samples, 0.99).as_secs_f64() * 1e3,
            median.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}
