//! Device tokens: issued for a username and password, stored only as a hash, listed and
//! revocable on the account page and through the API, and throttled like the login form.

use crate::helpers::{PASSWORD, client, field, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

async fn request_token(
    app: &crate::helpers::TestApp,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"username": username, "password": password, "device_name": "Ann's phone"}))
        .send()
        .await
        .unwrap()
}

async fn decks_status(app: &crate::helpers::TestApp, token: &str) -> StatusCode {
    client()
        .get(app.url("/api/v1/decks"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_token_is_stored_hashed_works_and_stops_working_once_revoked_on_the_account_page() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let r = request_token(&app, "ann", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("chr_"));

    let stored: String = app
        .db()
        .query_row("SELECT token_hash FROM api_tokens", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, hex::encode(Sha256::digest(token.as_bytes())));
    assert!(!stored.contains(&token[4..]), "only the hash is kept");
    assert_eq!(decks_status(&app, &token).await, StatusCode::OK);

    let page = app.get_html("/account").await;
    assert!(page.contains("Ann&#39;s phone"), "{page}");
    assert!(
        page.contains("<title>Your account · Chronicle</title>"),
        "the page title is just the title: {page}"
    );
    assert_eq!(
        page.matches("id=\"devices-h\"").count(),
        1,
        "one Devices section"
    );
    let csrf = field(&page, "csrf_token").unwrap();
    let action = format!("/account/tokens/{}/revoke", created["id"]);
    assert!(page.contains(&action));
    let r = app.post_form(&action, &[("csrf_token", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(decks_status(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert!(app.get_html("/account").await.contains("revoked"));
    // The revoke form without its CSRF token changes nothing.
    let other: Value = request_token(&app, "ann", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post_form(
            &format!("/account/tokens/{}/revoke", other["id"]),
            &[("csrf_token", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        decks_status(&app, other["token"].as_str().unwrap()).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_token_revokes_itself_over_the_api_but_not_someone_elses() {
    let app = spawn_app().await;
    let ann = app.api_token("ann").await;
    let bob = app.api_token_in_new_browser("bob").await;
    let ann_id: i64 = app
        .db()
        .query_row(
            "SELECT id FROM api_tokens WHERE user_id = ?1",
            [app.user_id("ann")],
            |r| r.get(0),
        )
        .unwrap();
    let delete = |token: String| {
        client()
            .delete(app.url(&format!("/api/v1/tokens/{ann_id}")))
            .bearer_auth(token)
            .send()
    };
    let r = delete(bob.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(decks_status(&app, &ann).await, StatusCode::OK);
    let r = delete(ann.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(decks_status(&app, &ann).await, StatusCode::UNAUTHORIZED);
    assert_eq!(decks_status(&app, &bob).await, StatusCode::OK);
}

#[tokio::test]
async fn wrong_passwords_are_throttled_with_the_login_form() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let r = request_token(&app, "ann", "not-the-password").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_credentials");
    for _ in 0..5 {
        request_token(&app, "ann", "not-the-password").await;
    }
    let r = request_token(&app, "ann", PASSWORD).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(r.headers().contains_key("Retry-After"));
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "too_many_requests");
    // The login form shares the limit for strangers (a browser of their own)...
    let login = app.post_login_in(&client(), "ann", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens"), 0);
    // ...but not for the browser Ann signed up in: its device cookie is counted on its own.
    app.post_logout().await;
    assert_eq!(
        app.post_login("ann", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_bad_device_name_or_body_is_a_json_error() {
    let app = spawn_app().await;
    let r = client()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"username": "ann", "password": PASSWORD, "device_name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_request");
    let r = client()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"username": "ann"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "malformed_json");
}

#[tokio::test]
async fn a_password_change_revokes_every_device_token_and_the_account_page_says_so_first() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let phone = request_token(&app, "ann", PASSWORD).await;
    let phone: Value = phone.json().await.unwrap();
    let phone = phone["token"].as_str().unwrap().to_string();
    let laptop = request_token(&app, "ann", PASSWORD).await;
    let laptop: Value = laptop.json().await.unwrap();
    let laptop = laptop["token"].as_str().unwrap().to_string();
    assert_eq!(decks_status(&app, &phone).await, StatusCode::OK);

    let page = app.get_html("/account").await;
    assert!(
        page.contains("revokes every device token"),
        "the page warns before the change: {page}"
    );
    let csrf = field(&page, "csrf_token").unwrap();
    let r = app
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "amber-falcon-orchard-7"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for token in [&phone, &laptop] {
        assert_eq!(decks_status(&app, token).await, StatusCode::UNAUTHORIZED);
        let sync = client()
            .post(app.url("/api/v1/sync"))
            .bearer_auth(token)
            .json(&json!({"device_id": "phone", "reviews": []}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            sync.status(),
            StatusCode::UNAUTHORIZED,
            "an old token cannot sync"
        );
    }
    let page = app.get_html("/account?changed=password").await;
    assert!(
        page.contains("every device&#x27;s token was revoked")
            || page.contains("every device&#39;s token was revoked"),
        "{page}"
    );
    // The new password issues a token that works.
    let fresh = request_token(&app, "ann", "amber-falcon-orchard-7").await;
    let fresh: Value = fresh.json().await.unwrap();
    assert_eq!(
        decks_status(&app, fresh["token"].as_str().unwrap()).await,
        StatusCode::OK
    );
}
