//! The one answer path: the study form and sync store answers the same way, a stale form is
//! refused, concurrent answers on one card all land in its state, and review ids are per
//! learner.

use crate::helpers::{TestApp, hidden_fields, now_ms, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const STALE: &str = "This card was answered meanwhile";

/// The hidden fields of the flashcard study page's answer form.
async fn flashcard_form(app: &TestApp) -> Vec<(String, String)> {
    let html = app.get_html("/study?mode=flashcard").await;
    let start = html
        .find("action=\"/study/answer\"")
        .expect("a card to study");
    hidden_fields(&html[start..start + html[start..].find("</form>").unwrap()])
}

fn get<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    &form.iter().find(|(n, _)| n == name).unwrap().1
}

/// The same form with another review id: a second tab showing the same card.
fn with_review_id(form: &[(String, String)], id: &str, grade: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = form
        .iter()
        .map(|(n, v)| {
            let v = if n == "review_id" { id } else { v };
            (n.clone(), v.to_string())
        })
        .collect();
    out.push(("grade".into(), grade.into()));
    out
}

async fn post(app: &TestApp, form: &[(String, String)]) -> (StatusCode, String) {
    let r = app
        .client
        .post(app.url("/study/answer"))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Every review of a learner as the sync API takes it, read from the database file.
fn stored_log(app: &TestApp) -> Vec<Value> {
    let conn = app.db();
    let mut stmt = conn
        .prepare("SELECT id, card_id, rating, answered_at FROM reviews_as_text ORDER BY entry")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(json!({
            "id": r.get::<_, String>(0)?,
            "card_id": r.get::<_, String>(1)?,
            "rating": r.get::<_, i64>(2)?,
            "answered_at": r.get::<_, i64>(3)?,
        }))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test]
async fn a_second_tab_answering_the_same_card_is_refused_with_a_message() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let tab1 = flashcard_form(&app).await;
    let tab2 = flashcard_form(&app).await;
    assert_eq!(get(&tab1, "card_id"), get(&tab2, "card_id"));
    assert_ne!(get(&tab1, "review_id"), get(&tab2, "review_id"));
    let (status, _) = post(&app, &with_review_id(&tab1, get(&tab1, "review_id"), "3")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = post(&app, &with_review_id(&tab2, get(&tab2, "review_id"), "1")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains(STALE), "{page}");
    assert!(page.contains("was not saved"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 1);
    assert_eq!(app.count("SELECT reps FROM card_states"), 1);
    // The first tab's form sent again is the same answer, not a stale one: shown, not stored.
    let (status, page) = post(&app, &with_review_id(&tab1, get(&tab1, "review_id"), "3")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains(STALE));
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 1);
}

/// Many tabs and devices answer one card at once, fifty times over (the race this guards is
/// a window of microseconds). Whatever order they land in, every stored
/// review is counted in the card's state, at most one form per position is saved (the others
/// are told so), and the state equals the one a fresh server computes from the same log
/// uploaded in one batch.
#[tokio::test]
async fn concurrent_answers_on_one_card_from_forms_and_sync_all_land_in_its_state() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let mut sent_by_sync = 0;
    let first = flashcard_form(&app).await;
    let card = get(&first, "card_id").to_string();
    for round in 0..50u128 {
        // Every tab shows the card at its current position (as a reload would).
        let reps = app.count(&format!(
            "SELECT COALESCE(MAX(reps), 0) FROM card_states WHERE card_id = '{card}'"
        ));
        let form: Vec<(String, String)> = first
            .iter()
            .map(|(n, v)| {
                let v = if n == "reps" {
                    reps.to_string()
                } else {
                    v.clone()
                };
                (n.clone(), v)
            })
            .collect();
        let mut tasks = tokio::task::JoinSet::new();
        for tab in 0..8u128 {
            let id = uuid::Uuid::from_u128(1000 * (round + 1) + tab).to_string();
            let form = with_review_id(&form, &id, ["1", "2", "3", "4"][tab as usize % 4]);
            let client = app.client.clone();
            let url = app.url("/study/answer");
            tasks.spawn(async move {
                let r = client.post(url).form(&form).send().await.unwrap();
                let status = r.status();
                (Some(status), r.text().await.unwrap())
            });
        }
        for device in 0..4u128 {
            // Some dated a few minutes ahead (within the allowed clock skew), some behind.
            let minutes = [-30, 3, -1, 2][device as usize];
            let body = json!({
                "device_id": format!("phone-{device}"),
                "reviews": [{
                    "id": uuid::Uuid::from_u128(900_000 + 10 * round + device).to_string(),
                    "card_id": card,
                    "rating": 1 + (device as i64 + round as i64) % 4,
                    "answered_at": now_ms() + minutes * 60_000,
                }],
            });
            let client = crate::helpers::client();
            let url = app.url("/api/v1/sync");
            let token = token.clone();
            tasks.spawn(async move {
                let r = client.post(url).bearer_auth(token).json(&body).send().await;
                let v: Value = r.unwrap().json().await.unwrap();
                assert_eq!(v["accepted"], 1, "{v}");
                (None, String::new())
            });
            sent_by_sync += 1;
        }
        let mut saved = 0;
        for (status, page) in tasks.join_all().await {
            match status {
                None => {}
                Some(StatusCode::OK) => saved += 1,
                Some(StatusCode::CONFLICT) => assert!(page.contains(STALE), "{page}"),
                Some(other) => panic!("unexpected {other}: {page}"),
            }
        }
        assert!(saved <= 1, "two forms for one position were both saved");
        let reviews = app.count(&format!(
            "SELECT COUNT(*) FROM reviews_as_text WHERE card_id = '{card}'"
        ));
        let reps = app.count(&format!(
            "SELECT reps FROM card_states WHERE card_id = '{card}'"
        ));
        assert_eq!(reps, reviews, "every stored review is in the state");
    }
    // One more answer from a tab alone, after reviews synced with a clock a few minutes ahead:
    // a replay puts it before them, and so must the state.
    let reps = app.count(&format!(
        "SELECT reps FROM card_states WHERE card_id = '{card}'"
    ));
    let last: Vec<(String, String)> =
        with_review_id(&first, &uuid::Uuid::from_u128(7).to_string(), "3")
            .into_iter()
            .map(|(n, v)| {
                if n == "reps" {
                    (n, reps.to_string())
                } else {
                    (n, v)
                }
            })
            .collect();
    assert_eq!(post(&app, &last).await.0, StatusCode::OK);
    let web = app.count("SELECT COUNT(*) FROM reviews WHERE device_id = 'web'");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews"),
        sent_by_sync + web
    );

    // The same log, uploaded in one batch to a fresh server, gives the same states.
    let fresh = spawn_app().await;
    let fresh_token = fresh.api_token("ann").await;
    let (status, v) = fresh
        .sync(
            &fresh_token,
            &json!({ "device_id": "all", "reviews": stored_log(&app) }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(fresh.states("ann"), app.states("ann"));
}

#[tokio::test]
async fn two_learners_may_use_the_same_review_id_and_both_are_stored() {
    let app = spawn_app().await;
    let ann = app.api_token("ann").await;
    let bob = app.api_token_in_new_browser("bob").await;
    let card = app.card_ids(1).remove(0);
    let body = json!({
        "device_id": "phone",
        "reviews": [crate::helpers::review(7, &card, 3, now_ms() - 60_000, 0)],
    });
    for token in [&ann, &bob] {
        let (status, v) = app.sync(token, &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(
            (v["accepted"].as_u64(), v["duplicates"].as_u64()),
            (Some(1), Some(0))
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 2);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT user_id) FROM card_states"),
        2
    );
    // Still idempotent within one learner's log.
    let (_, v) = app.sync(&bob, &body).await;
    assert_eq!(v["duplicates"], 1);
}
