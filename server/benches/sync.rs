//! Time to sync a batch of reviews, measured against a baseline in the same run.
//!
//! `cargo bench --bench sync` starts the real app (release build, temporary SQLite file in WAL
//! mode, a generated deck of 1,280 cards) on a loopback port and times, one request at a time:
//! - `GET /healthz` (a `SELECT 1` through the pool): the baseline;
//! - `POST /api/v1/sync` with 10,000 new reviews over 1,000 cards (10 each, spread over a
//!   year): parse, validate, insert, replay each touched card once, commit, reply with the
//!   1,000 changed states. Each sample is a fresh learner, so every review is new;
//! - the same batch again: 10,000 duplicates, nothing replayed, nothing changed since the cursor;
//! - an empty sync with the cursor (a device checking in).
//!
//! The request body is serialised before the clock starts; the time includes the server's
//! JSON parsing and the client reading the reply. Two more lines split the cost: the same
//! batch through `db::sync::apply` in-process (storage and replay, no HTTP or JSON), and the
//! FSRS replay of 1,000 ten-review histories alone. It prints medians and the ratio to the
//! baseline median, since the machine is shared and absolute numbers drift.
//! Last, the review table's key before and after migration 0004, on two files holding the same
//! background log (`CHRONICLE_BENCH_BACKGROUND` reviews, default 300,000), in this one run.
//! `CHRONICLE_BENCH_N` sets the number of 10,000-review samples (default 9).

use chronicle::app::Application;
use chronicle::config::Settings;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const CARDS: usize = 1_000;
const PER_CARD: usize = 10;
const PASSWORD: &str = "quiet-river-lantern-42";

/// A deck of 160 synthetic events: eight kinds of card each, 1,280 cards.
fn generated_deck() -> String {
    let places = [
        "Hanoi",
        "Phnom Penh",
        "Saigon",
        "Hue",
        "Battambang",
        "Siem Reap",
    ];
    let mut s = String::from(
        "[deck]\nid = \"bench\"\ntitle = \"Bench\"\ndescription = \"Generated\"\nlanguage = \"en\"\n\n\
         [[document]]\nid = \"a.txt\"\ntitle = \"Article A\"\n\n\
         [[era]]\nid = \"all\"\ntitle = \"All\"\nstart = \"1900\"\n\n",
    );
    for i in 0..160 {
        write!(
            s,
            "[[event]]\nid = \"event-{i}\"\ndate = \"{}-{:02}-{:02}\"\n\
             title = \"Thing number {i} happens\"\nsummary = \"Summary {i}.\"\nplace = \"{}\"\n\
             place_kind = \"city\"\n\
             actors = [\"Actor {i}\"]\nera = \"all\"\n\
             [[event.figure]]\nwhat = \"number of things\"\nvalue = {}\nunit = \"things\"\n\
             [[event.source]]\ndocument = \"a.txt\"\nquote = \"quote {i}: in {} on {}-{:02}-{:02}, {} things\"\n\
             [event.cloze]\ntext = \"The [[word{i}]] did it.\"\n\
             distractors = [\"other{i}a\", \"other{i}b\", \"other{i}c\"]\n\n",
            1900 + i / 2,
            i % 12 + 1,
            i % 27 + 1,
            places[i % places.len()],
            (i + 1) * 100,
            // The quote states the place, date and figure, so every kind is asked.
            places[i % places.len()],
            1900 + i / 2,
            i % 12 + 1,
            i % 27 + 1,
            (i + 1) * 100,
        )
        .unwrap();
    }
    s
}

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[s.len() / 2]
}

fn print(name: &str, samples: &[Duration], baseline: Duration) {
    let m = median(samples);
    println!(
        "{name:<44} n={:<4} median {:>9.3} ms   min {:>9.3} ms   median/baseline {:>8.1}x",
        samples.len(),
        m.as_secs_f64() * 1e3,
        samples.iter().min().unwrap().as_secs_f64() * 1e3,
        m.as_secs_f64() / baseline.as_secs_f64()
    );
}

/// A new learner with a device token.
async fn learner(base: &str, name: &str) -> String {
    let browser = reqwest::Client::builder()
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
            ("username", name),
            ("password", PASSWORD),
            ("role", "learner"),
        ])
        .send()
        .await
        .unwrap();
    let r: serde_json::Value = browser
        .post(format!("{base}/api/v1/tokens"))
        .json(&serde_json::json!({"username": name, "password": PASSWORD, "device_name": "bench"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["token"].as_str().expect("a token").to_string()
}

/// 10 reviews for each of `cards`, a few days apart over the past year, with fresh UUIDs.
fn batch(cards: &[String], now_ms: i64) -> Vec<u8> {
    let start = now_ms - 365 * 86_400_000;
    let mut reviews = Vec::with_capacity(cards.len() * PER_CARD);
    for (c, card) in cards.iter().enumerate() {
        for k in 0..PER_CARD {
            reviews.push(serde_json::json!({
                "id": uuid::Uuid::new_v4().to_string(),
                "card_id": card,
                "rating": 1 + ((c * 7 + k * 3) % 4),
                "answered_at": start + (k as i64 * 30 + c as i64 % 30) * 86_400_000,
                "duration_ms": 4000,
                "given_answer": "1979",
            }));
        }
    }
    serde_json::to_vec(&serde_json::json!({"device_id": "bench", "reviews": reviews})).unwrap()
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: Vec<u8>,
) -> (Duration, serde_json::Value) {
    let t = Instant::now();
    let r = client
        .post(url)
        .bearer_auth(token)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "sync failed: {}", r.status());
    let bytes = r.bytes().await.unwrap();
    let elapsed = t.elapsed();
    (elapsed, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::var("CHRONICLE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    let dir = tempfile::tempdir().unwrap();
    let questions = dir.path().join("questions");
    std::fs::create_dir(&questions).unwrap();
    std::fs::write(questions.join("bench.toml"), generated_deck()).unwrap();
    let settings = Settings::for_tests(dir.path().join("bench.db"), questions.clone());
    let app = Application::build(settings).await.expect("app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let catalog = chronicle::catalog::Catalog::load(&questions).unwrap();
    let cards: Vec<String> = catalog
        .cards
        .iter()
        .take(CARDS)
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(cards.len(), CARDS);
    let client = reqwest::Client::new();
    let sync_url = format!("{base}/api/v1/sync");
    let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;

    let mut health = Vec::new();
    let mut fresh = Vec::new();
    let mut dups = Vec::new();
    let mut empty = Vec::new();
    for round in 0..n {
        let token = learner(&base, &format!("bench{round}")).await;
        let body = batch(&cards, now_ms);
        let (t, out) = post(&client, &sync_url, &token, body.clone()).await;
        assert_eq!(out["accepted"], CARDS * PER_CARD, "{}", out["rejected"]);
        assert_eq!(out["changed"].as_array().unwrap().len(), CARDS);
        fresh.push(t);
        // The same batch from a client that never got the reply, with the cursor it had
        // before (none): all duplicates, and every state sent again.
        let (t, out) = post(&client, &sync_url, &token, body).await;
        assert_eq!(out["duplicates"], CARDS * PER_CARD);
        dups.push(t);
        let cursor = out["cursor"].as_str().unwrap().to_string();
        for _ in 0..20 {
            let empty_body = serde_json::to_vec(&serde_json::json!({
                "device_id": "bench", "cursor": cursor, "reviews": []
            }))
            .unwrap();
            let (t, out) = post(&client, &sync_url, &token, empty_body).await;
            assert_eq!(out["changed"], serde_json::json!([]));
            empty.push(t);
        }
        for _ in 0..50 {
            let t = Instant::now();
            let r = client.get(format!("{base}/healthz")).send().await.unwrap();
            r.bytes().await.unwrap();
            health.push(t.elapsed());
        }
    }
    // Where the time goes: the same work without HTTP and JSON, in-process on the same file.
    let mut apply_only = Vec::new();
    let mut replay_only = Vec::new();
    let scheduler = chronicle::srs::Scheduler::new(0.9);
    for round in 0..n {
        let body = batch(&cards, now_ms);
        let req: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let reviews: Vec<chronicle::sync::IncomingReview> =
            serde_json::from_value(req["reviews"].clone()).unwrap();
        let mut conn = rusqlite::Connection::open(dir.path().join("bench.db")).unwrap();
        // The pool's settings, so the comparison with the HTTP path is fair.
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO users (username, display_name, password_hash, role, created_at)
             VALUES (?1, ?1, 'x', 'learner', 0)",
            [format!("direct{round}")],
        )
        .unwrap();
        let user_id = chronicle::ids::UserId(conn.last_insert_rowid());
        let t = Instant::now();
        let tx = conn.transaction().unwrap();
        let out = chronicle::db::sync::apply(
            &tx,
            &scheduler,
            user_id,
            "bench",
            &reviews,
            chronicle::clock::Instant::from_ms(now_ms),
            |c| catalog.card(c).is_some(),
        )
        .unwrap();
        tx.commit().unwrap();
        apply_only.push(t.elapsed());
        assert_eq!(out.accepted, CARDS * PER_CARD);
        let per_card: Vec<Vec<chronicle::srs::Review>> = reviews
            .chunks(PER_CARD)
            .map(|c| {
                c.iter()
                    .map(|r| chronicle::srs::Review {
                        answered_at: r.answered_at / 1000,
                        rating: chronicle::srs::Rating::from_number(r.rating).unwrap(),
                        fuzz: chronicle::srs::fuzz::factor(&r.id),
                    })
                    .collect()
            })
            .collect();
        let t = Instant::now();
        for log in &per_card {
            std::hint::black_box(scheduler.replay(log));
        }
        replay_only.push(t.elapsed());
    }
    // The review table's key, before (0001-0003: the random UUID as primary key) and after
    // (0004: an append-ordered rowid, the UUID unique per learner), in this one run:
    // two files, each holding the same background log of other learners, alternately given a
    // fresh learner's 10,000 new reviews through `db::sync::apply`.
    let background: usize = std::env::var("CHRONICLE_BENCH_BACKGROUND")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    // The review table as migrations 0001-0003 made it, under today's other tables.
    const OLD_KEY: &str = "DROP TABLE reviews;
        CREATE TABLE reviews (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            card_id TEXT NOT NULL REFERENCES cards(id),
            answered_at INTEGER NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            correct INTEGER NOT NULL, given_answer TEXT NOT NULL, duration_ms INTEGER NOT NULL,
            presentation TEXT NOT NULL, device_id TEXT NOT NULL, received_at INTEGER NOT NULL);
        CREATE INDEX reviews_user_card ON reviews(user_id, card_id, answered_at);
        CREATE INDEX reviews_user_time ON reviews(user_id, answered_at, card_id, correct);
        CREATE INDEX reviews_user_card_correct ON reviews(user_id, card_id, correct, answered_at);";
    let keyed = |name: &str, old_key: bool| {
        let mut conn = rusqlite::Connection::open(dir.path().join(name)).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -32768;",
        )
        .unwrap();
        chronicle::db::migrations().to_latest(&mut conn).unwrap();
        if old_key {
            conn.execute_batch(OLD_KEY).unwrap();
        }
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO decks VALUES ('bench', 'Bench', '', 'bench.toml')",
            [],
        )
        .unwrap();
        for (i, c) in catalog.cards.iter().enumerate() {
            tx.execute(
                "INSERT INTO cards VALUES (?1, 'bench', ?1, 'date', ?2, 0)",
                rusqlite::params![c.id, i as i64],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        conn
    };
    let add_learner = |conn: &mut rusqlite::Connection, name: String| -> i64 {
        conn.execute(
            "INSERT INTO users (username, display_name, password_hash, role, created_at)
             VALUES (?1, ?1, 'x', 'learner', 0)",
            [name],
        )
        .unwrap();
        conn.last_insert_rowid()
    };
    let apply_batch = |conn: &mut rusqlite::Connection, user_id: chronicle::ids::UserId| {
        let body = batch(&cards, now_ms);
        let req: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let reviews: Vec<chronicle::sync::IncomingReview> =
            serde_json::from_value(req["reviews"].clone()).unwrap();
        let t = Instant::now();
        let tx = conn.transaction().unwrap();
        let out = chronicle::db::sync::apply(
            &tx,
            &scheduler,
            user_id,
            "bench",
            &reviews,
            chronicle::clock::Instant::from_ms(now_ms),
            |c| catalog.card(c).is_some(),
        )
        .unwrap();
        tx.commit().unwrap();
        assert_eq!(out.accepted, CARDS * PER_CARD);
        t.elapsed()
    };
    let mut old_key = keyed("old_key.db", true);
    let mut new_key = keyed("new_key.db", false);
    for conn in [&mut old_key, &mut new_key] {
        for i in 0..background.div_ceil(CARDS * PER_CARD) {
            let user = add_learner(conn, format!("background{i}"));
            apply_batch(conn, chronicle::ids::UserId(user));
        }
    }
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for round in 0..n {
        let user = add_learner(&mut old_key, format!("timed{round}"));
        before.push(apply_batch(&mut old_key, chronicle::ids::UserId(user)));
        let user = add_learner(&mut new_key, format!("timed{round}"));
        after.push(apply_batch(&mut new_key, chronicle::ids::UserId(user)));
    }

    let baseline = median(&health);
    println!(
        "Chronicle sync latency, one client, loopback, release build; {} reviews over {} cards",
        CARDS * PER_CARD,
        CARDS
    );
    print("GET /healthz (baseline)", &health, baseline);
    print("POST /api/v1/sync, 10,000 new reviews", &fresh, baseline);
    print(
        "POST /api/v1/sync, same 10,000 again (dups)",
        &dups,
        baseline,
    );
    print("POST /api/v1/sync, empty, with cursor", &empty, baseline);
    println!("of which, in-process without HTTP and JSON:");
    print(
        "  db::sync::apply, 10,000 new, one tx",
        &apply_only,
        baseline,
    );
    print(
        "  FSRS replay alone, 1,000 cards x 10",
        &replay_only,
        baseline,
    );
    println!("the review table's key, {background} reviews of other learners already stored:");
    print(
        "  apply 10,000 new: UUID primary key (0001-3)",
        &before,
        baseline,
    );
    print(
        "  apply 10,000 new: append-ordered key (0004)",
        &after,
        baseline,
    );
}
