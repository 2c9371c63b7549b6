//! The account page's scheduling: days as learners live them (a time zone chosen at
//! registration and on the account page, a rollover hour, "today" and the streak counted in
//! them) and personal parameters.

use crate::helpers::{PASSWORD, TestApp, assert_is_redirect_to, field, spawn_app};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use reqwest::StatusCode;
use serde_json::json;

const HANOI: &str = "Asia/Ho_Chi_Minh";

fn settings<'a>(token: &'a str, zone: &'a str, steps: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", token),
        ("desired_retention", "0.90"),
        ("new_per_day", "20"),
        ("time_zone", zone),
        ("rollover_hour", "4"),
        ("learning_steps", steps),
        ("relearning_steps", "10m"),
        ("maximum_interval", "36500"),
    ]
}

fn stored(app: &TestApp, column: &str) -> Option<String> {
    app.db()
        .query_row(
            &format!("SELECT CAST({column} AS TEXT) FROM users WHERE username = 'ann'"),
            [],
            |r| r.get(0),
        )
        .unwrap()
}

#[tokio::test]
async fn the_zone_is_chosen_at_registration_and_changed_on_the_account_page() {
    let app = spawn_app().await;
    let page = app.get_html("/register").await;
    assert!(page.contains("data-browser-zone"), "the script's hook");
    assert!(page.contains(&format!("<option>{HANOI}</option>")));
    let token = field(&page, "csrf_token").unwrap();
    let form = |zone: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("username", "ann".to_string()),
            ("password", PASSWORD.to_string()),
            ("role", "learner".to_string()),
            ("time_zone", zone.to_string()),
        ]
    };
    let r = app
        .client
        .post(app.url("/register"))
        .form(&form("Mars/Base"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Choose a time zone from the list.")
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM users"), 0);
    let r = app
        .client
        .post(app.url("/register"))
        .form(&form(HANOI))
        .send()
        .await
        .unwrap();
    assert_is_redirect_to(&r, "/");
    assert_eq!(stored(&app, "time_zone").as_deref(), Some(HANOI));

    let account = app.get_html("/account").await;
    assert!(
        account.contains(&format!("<option selected>{HANOI}</option>")),
        "{account}"
    );
    assert!(
        account.contains("about 9 times in 10"),
        "retention in words"
    );
    let token = field(&account, "csrf_token").unwrap();
    // A bad field: the message beside it, what was typed kept, nothing saved.
    let r = app
        .post_form(
            "/account/settings",
            &settings(&token, "Europe/Paris", "1m 1x"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("learning-error"), "{page}");
    assert!(page.contains("value=\"1m 1x\""));
    assert_eq!(stored(&app, "time_zone").as_deref(), Some(HANOI));
    let r = app
        .post_form(
            "/account/settings",
            &settings(&token, "Europe/Paris", "2m 20m"),
        )
        .await;
    assert_is_redirect_to(&r, "/account?changed=settings");
    assert_eq!(stored(&app, "time_zone").as_deref(), Some("Europe/Paris"));
    assert_eq!(stored(&app, "learning_steps").as_deref(), Some("2m 20m"));
}

/// The start of the learner's day holding `now`, at 4 am in `zone`, worked out here from
/// the calendar rather than by the server's code.
fn start_of_learner_day(zone: &str, now_s: i64) -> i64 {
    let tz = TimeZone::get(zone).unwrap();
    let local = jiff::Timestamp::from_second(now_s)
        .unwrap()
        .to_zoned_datetime(tz.clone());
    let mut date = local.date();
    if local.hour() < 4 {
        date = date.yesterday().unwrap();
    }
    DateTime::from_parts(date, jiff::civil::Time::constant(4, 0, 0, 0))
        .to_zoned_datetime(tz)
        .unwrap()
        .timestamp()
        .as_second()
}

#[tokio::test]
async fn today_and_the_streak_count_the_learners_days_from_four_am() {
    let app = spawn_app().await;
    let api = app.api_token("ann").await;
    let account = app.get_html("/account").await;
    let token = field(&account, "csrf_token").unwrap();
    let r = app
        .post_form("/account/settings", &settings(&token, HANOI, "1m 10m"))
        .await;
    assert_is_redirect_to(&r, "/account?changed=settings");
    let now = crate::helpers::now_ms() / 1000;
    let start = start_of_learner_day(HANOI, now);
    let cards = app.card_ids(4);
    // Two answers since 4 am, one just before it (yesterday), one the day before.
    let times = [start + 1, start + 2, start - 60, start - 60 - 86_400];
    let reviews: Vec<_> = times
        .iter()
        .zip(&cards)
        .enumerate()
        .map(|(i, (t, card))| {
            json!({
                "id": uuid::Uuid::from_u128(i as u128 + 1).to_string(),
                "card_id": card, "rating": 3, "answered_at": t * 1000,
            })
        })
        .collect();
    let (status, v) = app
        .sync(&api, &json!({"device_id": "phone", "reviews": reviews}))
        .await;
    assert_eq!(
        (status, v["accepted"].as_u64()),
        (StatusCode::OK, Some(4)),
        "{v}"
    );
    let dashboard = app.get_html("/").await;
    assert!(dashboard.contains("2 answered, 2 right"), "{dashboard}");
    assert!(dashboard.contains("streak: 3 days"), "{dashboard}");
}

/// Personal parameters are started from the account page and run in the background; with too
/// few reviews the page says how many are needed and nothing changes.
#[tokio::test]
async fn fitting_parameters_runs_in_the_background_and_reports_in_words() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let account = app.get_html("/account").await;
    assert!(account.contains("Your own memory parameters"));
    let token = field(&account, "csrf_token").unwrap();
    let r = app
        .post_form("/account/parameters", &[("csrf_token", &token)])
        .await;
    assert_is_redirect_to(&r, "/account?changed=fitting");
    let mut page = String::new();
    for _ in 0..50 {
        page = app.get_html("/account").await;
        if page.contains("did not run") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        page.contains("0 reviews so far; personal parameters need at least 400"),
        "{page}"
    );
    assert_eq!(stored(&app, "fsrs_parameters"), None);
    let r = app
        .post_form("/account/parameters", &[("csrf_token", "")])
        .await;
    assert_ne!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a form without its token is refused"
    );
}
