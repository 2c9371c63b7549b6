//! The sync API end to end: idempotent uploads, convergence whatever the order, rejected
//! reviews, limits, and JSON errors.

use crate::helpers::{TestApp, client, now_ms, review, spawn_app};
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn batch(device: &str, cursor: Option<&str>, reviews: &[Value]) -> Value {
    json!({ "device_id": device, "cursor": cursor, "reviews": reviews })
}

fn t0() -> i64 {
    // Ten days ago, so a history of a few days stays in the past.
    now_ms() - 10 * 86_400_000
}

#[tokio::test]
async fn the_same_batch_twice_is_stored_once_and_changes_nothing_the_second_time() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let cards = app.card_ids(3);
    let t0 = t0();
    let reviews: Vec<Value> = (0..6)
        .map(|i| review(i, &cards[i as usize % 3], 3, t0, i as i64 * 1440))
        .collect();
    let (status, first) = app.sync(&token, &batch("phone", None, &reviews)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        (first["accepted"].as_u64(), first["duplicates"].as_u64()),
        (Some(6), Some(0))
    );
    assert_eq!(first["changed"].as_array().unwrap().len(), 3);
    let after_first = app.states("ann");
    let cursor = first["cursor"].as_str().unwrap();

    let (status, again) = app
        .sync(&token, &batch("phone", Some(cursor), &reviews))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (again["accepted"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(
        again["changed"],
        json!([]),
        "nothing changed since the cursor"
    );
    assert_eq!(again["cursor"], first["cursor"]);
    assert_eq!(app.states("ann"), after_first);
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 6);
    // The retry from a client that lost the first reply (its old cursor) gets the same states.
    let (_, lost) = app.sync(&token, &batch("phone", None, &reviews)).await;
    assert_eq!(lost["changed"], first["changed"]);
}

/// Phone and laptop study offline, interleaved in time; each order of upload, and one device
/// answering everything in time order, end in the same states.
#[tokio::test]
async fn two_devices_synced_in_either_order_equal_one_device_in_time_order() {
    let t0 = t0();
    let phone_plan = [(0, 3, 0), (0, 1, 2 * 1440), (1, 3, 3 * 1440), (2, 4, 10)];
    let laptop_plan = [(0, 3, 1440), (1, 2, 5), (0, 3, 4 * 1440), (2, 1, 2 * 1440)];
    let make = |app: &TestApp, plan: &[(usize, i64, i64)], offset: u128| -> Vec<Value> {
        let cards = app.card_ids(3);
        plan.iter()
            .enumerate()
            .map(|(i, (card, rating, minutes))| {
                review(offset + i as u128, &cards[*card], *rating, t0, *minutes)
            })
            .collect()
    };
    let mut results = Vec::new();
    for order in [["phone", "laptop"], ["laptop", "phone"]] {
        let app = spawn_app().await;
        let token = app.api_token("ann").await;
        for device in order {
            let reviews = if device == "phone" {
                make(&app, &phone_plan, 0)
            } else {
                make(&app, &laptop_plan, 100)
            };
            let (status, out) = app.sync(&token, &batch(device, None, &reviews)).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(out["accepted"].as_u64(), Some(4));
        }
        results.push(app.states("ann"));
    }
    assert_eq!(results[0], results[1]);
    // One device that answered all eight itself, in time order, one sync per answer.
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let mut all = make(&app, &phone_plan, 0);
    all.extend(make(&app, &laptop_plan, 100));
    all.sort_by_key(|r| r["answered_at"].as_i64());
    for r in all {
        app.sync(&token, &batch("only", None, &[r])).await;
    }
    assert_eq!(app.states("ann"), results[0]);
}

#[tokio::test]
async fn a_bad_review_is_rejected_with_its_reason_and_the_rest_applied() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let cards = app.card_ids(2);
    let t0 = t0();
    let good = review(1, &cards[0], 3, t0, 0);
    let unknown = review(2, "no-such-event/date", 3, t0, 1);
    let future = review(3, &cards[1], 3, now_ms() + 3_600_000, 0);
    let bad_rating = review(4, &cards[1], 5, t0, 2);
    let (status, out) = app
        .sync(
            &token,
            &batch("phone", None, &[good, unknown, future, bad_rating]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(out["accepted"], 1);
    let reasons: Vec<&str> = out["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["unknown_card", "time_in_future", "bad_rating"]);
    assert_eq!(
        out["rejected"][0]["id"],
        uuid::Uuid::from_u128(3).to_string()
    );
    assert!(
        out["rejected"][1]["message"]
            .as_str()
            .unwrap()
            .contains("later")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 1);
    assert_eq!(app.states("ann").len(), 1);
}

#[tokio::test]
async fn the_cursor_brings_only_what_changed_including_answers_given_on_the_web() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let cards = app.card_ids(2);
    let (_, first) = app
        .sync(
            &token,
            &batch("phone", None, &[review(1, &cards[0], 3, t0(), 0)]),
        )
        .await;
    let cursor = first["cursor"].as_str().unwrap().to_string();
    // The same learner answers one card in the browser.
    let page = app.get_html("/study?deck=fixture").await;
    app.answer_page(&page, true).await;
    let (_, second) = app.sync(&token, &batch("phone", Some(&cursor), &[])).await;
    let changed = second["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{second}");
    assert_ne!(second["cursor"], first["cursor"]);
    let (_, third) = app
        .sync(&token, &batch("phone", second["cursor"].as_str(), &[]))
        .await;
    assert_eq!(third["changed"], json!([]));
}

#[tokio::test]
async fn limits_and_malformed_requests_get_json_errors_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let card = app.card_ids(1)[0].clone();
    let post = |body: String, content_type: &'static str| {
        client()
            .post(app.url("/api/v1/sync"))
            .bearer_auth(&token)
            .header("Content-Type", content_type)
            .body(body)
    };
    let code = |v: &Value| v["error"]["code"].as_str().unwrap().to_string();

    let r = post(
        "{\"device_id\": \"x\", \"reviews\": [".into(),
        "application/json",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.json().await.unwrap()), "malformed_json");

    let r = post("device_id=x".into(), "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(code(&r.json().await.unwrap()), "unsupported_media_type");

    let too_many: Vec<Value> = (0..10_001).map(|i| review(i, &card, 3, t0(), 0)).collect();
    let (status, out) = app.sync(&token, &batch("phone", None, &too_many)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&out), "batch_too_large");

    let mut huge = review(1, &card, 3, t0(), 0);
    huge["given_answer"] = json!("x".repeat(9 * 1024 * 1024));
    let (status, out) = app.sync(&token, &batch("phone", None, &[huge])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&out), "body_too_large");

    let (status, out) = app
        .sync(
            &token,
            &batch(
                "phone",
                Some("not-a-cursor"),
                &[review(1, &card, 3, t0(), 0)],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&out), "bad_cursor");

    let (status, out) = app.sync(&token, &batch("", None, &[])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&out), "invalid_request");

    let (status, out) = app.sync("chr_nope", &batch("phone", None, &[])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&out), "unauthorized");

    let r = client().get(app.url("/api/v1/sync")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let r = client()
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(code(&r.json().await.unwrap()), "not_found");
    let r = client()
        .get(app.url("/api/v1/decks/no-such-deck/cards"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews"),
        0,
        "nothing was stored"
    );
}

#[tokio::test]
async fn the_browser_session_syncs_with_its_csrf_header_and_not_without() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let card = app.card_ids(1)[0].clone();
    let body = batch("browser", None, &[review(1, &card, 3, t0(), 0)]);
    let r = app
        .client
        .post(app.url("/api/v1/sync"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "csrf");

    let session: Value = app.get("/api/v1/session").await.json().await.unwrap();
    let csrf = session["csrf_token"].as_str().unwrap();
    let r = app
        .client
        .post(app.url("/api/v1/sync"))
        .header("X-CSRF-Token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .client
        .post(app.url("/api/v1/sync"))
        .header("X-CSRF-Token", csrf)
        .header("Origin", "http://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "cross_origin");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews WHERE device_id = 'browser'"),
        1
    );
}

#[tokio::test]
async fn deck_download_sends_cards_once_per_version_and_states_since_the_cursor() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let get = |cursor: Option<String>| {
        let mut url = app.url("/api/v1/decks/fixture/cards");
        if let Some(c) = cursor {
            url.push_str(&format!("?cursor={c}"));
        }
        let token = token.clone();
        async move {
            let r = client().get(url).bearer_auth(token).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()
        }
    };
    let first = get(None).await;
    let n = app.catalog.deck_cards("fixture").count();
    assert_eq!(first["cards"].as_array().unwrap().len(), n);
    assert!(first["cards"][0]["question"]["prompt"].is_string());
    assert!(!first["events"].as_array().unwrap().is_empty());
    let card = first["cards"][0]["id"].as_str().unwrap().to_string();
    app.sync(
        &token,
        &batch("phone", None, &[review(1, &card, 3, t0(), 0)]),
    )
    .await;
    let second = get(first["cursor"].as_str().map(String::from)).await;
    assert_eq!(second["cards_unchanged"], true);
    assert_eq!(second["cards"], json!([]));
    assert_eq!(second["states"].as_array().unwrap().len(), 1);
    assert_eq!(second["states"][0]["card_id"], card.as_str());
    let decks: Value = client()
        .get(app.url("/api/v1/decks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(decks[0]["id"], "fixture");
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let app = spawn_app().await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/tokens",
        "/api/v1/tokens/{id}",
        "/api/v1/decks",
        "/api/v1/decks/{id}/cards",
        "/api/v1/study-pack",
        "/api/v1/sync",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is described");
    }
    assert!(doc["components"]["schemas"]["SyncRequest"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn the_openapi_document_matches_what_the_server_does() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let pack = &doc["paths"]["/api/v1/study-pack"]["get"];
    for p in pack["parameters"].as_array().unwrap() {
        assert_eq!(p["in"], "query", "{p}");
        assert_eq!(p["required"], false, "{p}");
    }
    let days = pack["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "days")
        .unwrap();
    assert_eq!(days["schema"]["maximum"], 30);
    let get = |q: &str| {
        client()
            .get(app.url(&format!("/api/v1/study-pack{q}")))
            .bearer_auth(&token)
            .send()
    };
    assert_eq!(get("").await.unwrap().status(), StatusCode::OK);
    assert_eq!(get("?days=30").await.unwrap().status(), StatusCode::OK);
    for q in ["?days=31", "?days=-1"] {
        let r = get(q).await.unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{q}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "invalid_request");
    }
    for path in ["/api/v1/tokens", "/api/v1/sync"] {
        assert!(
            doc["paths"][path]["post"]["responses"]["415"].is_object(),
            "415 is documented for {path}"
        );
    }
    let name = &doc["components"]["schemas"]["TokenRequest"]["properties"]["device_name"];
    assert_eq!(name["minLength"], 1, "{name}");
    assert_eq!(name["maxLength"], 64, "{name}");
    let r = client()
        .request(reqwest::Method::TRACE, app.url("/api/v1/decks"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["allow"], "GET");
    // `3.0` is an integer to JSON Schema, so the server takes it.
    let card = app.card_ids(1)[0].clone();
    let (status, out) = app
        .sync(
            &token,
            &json!({"device_id": "phone", "reviews": [{
                "id": uuid::Uuid::from_u128(9).to_string(), "card_id": card,
                "rating": 3.0, "answered_at": (now_ms() - 60_000) as f64, "duration_ms": 1200.0,
            }]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["accepted"], 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]
    /// Through the real API: a history split over three devices, uploaded in random batches
    /// in random order, some sent twice, ends in the states of one upload of everything.
    #[test]
    fn random_uploads_and_retries_converge(
        history in proptest::collection::vec((0usize..4, 1i64..=4, 0i64..8_000), 1..24),
        plan in proptest::collection::vec((0usize..3, 1usize..5, any::<bool>()), 24),
        seed in any::<u64>(),
    ) {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let (mixed, reference) = rt.block_on(async {
            let t0 = t0();
            let reference = spawn_app().await;
            let token = reference.api_token("ann").await;
            let cards = reference.card_ids(4);
            let reviews: Vec<Value> = history
                .iter()
                .enumerate()
                .map(|(i, (c, r, m))| review(i as u128, &cards[*c], *r, t0, *m))
                .collect();
            reference.sync(&token, &batch("all", None, &reviews)).await;

            // Each review goes to a device; devices upload chunks in a shuffled order.
            let app = spawn_app().await;
            let token = app.api_token("ann").await;
            let mut chunks: Vec<(String, Vec<Value>, bool)> = Vec::new();
            for device in 0..3 {
                let mine: Vec<Value> = reviews
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| plan[*i].0 == device)
                    .map(|(_, r)| r.clone())
                    .collect();
                let mut rest = mine.as_slice();
                let mut k = 0;
                while !rest.is_empty() {
                    let size = plan[k % plan.len()].1.min(rest.len());
                    chunks.push((format!("d{device}"), rest[..size].to_vec(), plan[k].2));
                    rest = &rest[size..];
                    k += 1;
                }
            }
            let mut state = seed;
            for i in (1..chunks.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                chunks.swap(i, (state >> 33) as usize % (i + 1));
            }
            for (device, chunk, retry) in &chunks {
                let (status, _) = app.sync(&token, &batch(device, None, chunk)).await;
                assert_eq!(status, StatusCode::OK);
                if *retry {
                    let (_, again) = app.sync(&token, &batch(device, None, chunk)).await;
                    assert_eq!(again["accepted"], 0);
                    assert_eq!(again["duplicates"].as_u64(), Some(chunk.len() as u64));
                }
            }
            assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), reviews.len() as i64);
            (app.states("ann"), reference.states("ann"))
        });
        prop_assert_eq!(mixed, reference);
    }
}

#[tokio::test]
async fn the_offline_page_its_worker_and_the_study_pack_are_served() {
    let app = spawn_app().await;
    let r = app.get("/study/offline").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed-in learners only");
    app.signed_in_learner("ann").await;
    let page = app.get_html("/study/offline?deck=fixture").await;
    assert!(page.contains("data-deck=\"fixture\""));
    assert!(page.contains("/static/offline.js"));
    assert!(
        app.get_html("/")
            .await
            .contains("/study/offline?deck=fixture")
    );
    let sw = app.get("/sw.js").await;
    assert_eq!(sw.status(), StatusCode::OK);
    assert!(
        sw.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(sw.headers()["service-worker-allowed"], "/");
    assert_eq!(app.get("/static/offline.js").await.status(), StatusCode::OK);

    let pack: Value = app
        .get("/api/v1/study-pack?deck=fixture")
        .await
        .json()
        .await
        .unwrap();
    let cards = pack["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 20, "a new learner gets today's 20 new cards");
    for c in cards {
        let p = c["presentation"].as_str().unwrap();
        assert!(
            p == "multiple_choice" || p == "flashcard",
            "{p}: offline cannot check typing"
        );
        let sources = c["sources"].as_array().unwrap();
        assert!(!sources.is_empty());
        assert!(
            sources.iter().all(|s| s["title"] == "Article A"),
            "sources by the article's title, not its file name: {sources:?}"
        );
        // The events beside the answer, as the result page shows them: each with the
        // dataset's summary, date and place.
        let deck = &app.catalog.decks[0];
        let events = c["events"].as_array().unwrap();
        for e in events {
            let event = deck
                .events
                .iter()
                .find(|d| d.title == e["title"].as_str().unwrap())
                .expect("an event of the deck");
            assert_eq!(e["summary"], event.summary.as_str());
            assert_eq!(e["place"].as_str(), event.place.as_deref());
            assert!(e["date"].as_str().is_some_and(|d| !d.is_empty()));
        }
        if let Some(title) = c["event_title"].as_str() {
            assert_eq!(events[0]["title"], title, "{c}");
        }
        if let Some(items) = c["question"]["items"].as_array() {
            assert_eq!(
                events.len(),
                items.len(),
                "a chronology shows each of its events"
            );
            // A chronology: each event with its right position, checked offline.
            let mut positions: Vec<u64> = items
                .iter()
                .map(|i| i["position"].as_u64().unwrap())
                .collect();
            positions.sort();
            assert_eq!(positions, [1, 2, 3, 4]);
            assert!(items.iter().all(|i| i["when"].is_string()));
        } else if p == "multiple_choice" {
            let i = c["question"]["answer_index"].as_u64().unwrap() as usize;
            assert!(i < c["question"]["choices"].as_array().unwrap().len());
        }
    }
}

#[tokio::test]
async fn a_multiple_choice_answer_that_is_not_one_of_its_choices_is_stored_as_not_given() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let r = client()
        .get(app.url("/api/v1/decks/fixture/cards"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let deck: Value = r.json().await.unwrap();
    let multiple_choice = ["true_false", "chronology", "event_on_date"];
    let card = deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| multiple_choice.contains(&c["kind"].as_str().unwrap()))
        .expect("the fixture has a multiple-choice card");
    let typed = deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["question"]["accepts_typed"] == true)
        .expect("and a card that takes typed answers");
    let id = card["id"].as_str().unwrap();
    let choice = card["question"]["choices"][1].as_str().unwrap().to_string();
    let t0 = now_ms() - 3 * 86_400_000;
    let answered = |n: u128, card: &str, minutes: i64, given: &str| {
        let mut r = review(n, card, 3, t0, minutes);
        r["given_answer"] = json!(given);
        r
    };
    let body = json!({"device_id": "phone", "reviews": [
        answered(1, id, 0, &choice),
        answered(2, id, 60, "something else entirely"),
        answered(3, id, 120, &format!("{choice}\u{202E}")),
        answered(4, typed["id"].as_str().unwrap(), 0, "Phnom Penh"),
        answered(5, typed["id"].as_str().unwrap(), 60, "Phnom\u{0}Penh"),
    ]});
    let (status, out) = app.sync(&token, &body).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        out["accepted"], 5,
        "the reviews count; only the answers are dropped"
    );
    let given = |n: u128| -> String {
        app.db()
            .query_row(
                "SELECT given_answer FROM reviews_as_text WHERE id = ?1",
                [uuid::Uuid::from_u128(n + 1).to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(given(1), choice, "one of its choices is kept");
    assert_eq!(given(2), "", "not one of its choices");
    assert_eq!(given(3), "", "a bidi override");
    assert_eq!(given(4), "Phnom Penh", "a typed answer is kept");
    assert_eq!(given(5), "", "a NUL byte");
}

/// A device may hold a pack drawn before another device answered the card: an answer from
/// one of the recent draws counts, even when the newest draw no longer offers it.
#[tokio::test]
async fn an_answer_from_an_earlier_draw_of_the_question_is_kept() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let choices_of = |deck: &Value, id: &str| -> Vec<String> {
        deck["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["question"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let pack = || async {
        let r = client()
            .get(app.url("/api/v1/decks/fixture/cards"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        r.json::<Value>().await.unwrap()
    };
    let first = pack().await;
    let ids: Vec<String> = first["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "event_on_date")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!ids.is_empty(), "the fixture has event-on-date cards");
    // Answer each card once from the first pack; the next pack draws each question again.
    let t0 = now_ms() - 3 * 86_400_000;
    let mut reviews = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let mut r = review(i as u128, id, 3, t0, 0);
        r["given_answer"] = json!(choices_of(&first, id)[0]);
        reviews.push(r);
    }
    let (status, out) = app.sync(&token, &batch("phone", None, &reviews)).await;
    assert_eq!(
        (status, out["accepted"].as_u64()),
        (StatusCode::OK, Some(ids.len() as u64))
    );
    let second = pack().await;
    // A card whose first draw offered a choice its second draw does not.
    let (card, old_choice) = ids
        .iter()
        .find_map(|id| {
            let now = choices_of(&second, id);
            choices_of(&first, id)
                .into_iter()
                .find(|c| !now.contains(c))
                .map(|c| (id.clone(), c))
        })
        .expect("some card's second draw changed its choices");
    let mut from_old_pack = review(100, &card, 3, t0, 60);
    from_old_pack["given_answer"] = json!(old_choice);
    let mut made_up = review(101, &card, 3, t0, 120);
    made_up["given_answer"] = json!("no draw offered this");
    let (status, out) = app
        .sync(&token, &batch("laptop", None, &[from_old_pack, made_up]))
        .await;
    assert_eq!(
        (status, out["accepted"].as_u64()),
        (StatusCode::OK, Some(2))
    );
    let given = |n: u128| -> String {
        app.db()
            .query_row(
                "SELECT given_answer FROM reviews_as_text WHERE id = ?1",
                [uuid::Uuid::from_u128(n + 1).to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(
        given(100),
        old_choice,
        "a choice of the earlier draw is kept"
    );
    assert_eq!(given(101), "", "an answer no draw offered is not");
}

/// The body is read as `web::Json` read it: a JSON content type with parameters, and a
/// gzip-compressed body (`Content-Encoding: gzip`) are accepted alike.
#[tokio::test]
async fn a_gzip_body_and_a_charset_are_read_as_json() {
    use std::io::Write;
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let card = app.card_ids(1)[0].clone();
    let body = serde_json::to_vec(&batch("phone", None, &[review(1, &card, 3, t0(), 0)])).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).unwrap();
    let r = client()
        .post(app.url("/api/v1/sync"))
        .bearer_auth(&token)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Content-Encoding", "gzip")
        .body(gz.finish().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["accepted"], 1, "{v}");
    assert_eq!(app.states("ann").len(), 1);
}
