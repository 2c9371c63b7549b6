//! Two apps in one process, as these tests run them: each keeps the sessions it lately read
//! in memory, and neither honours, nor loses, a session of the other.

use crate::helpers::{PASSWORD, TestApp, assert_is_redirect_to, session_cookie, spawn_app};
use reqwest::{Response, StatusCode};

/// Registers `username` in `app` (its own client stays signed in) and returns the cookie
/// that session travels in (`chronicle_session=...`).
async fn signed_in(app: &TestApp, username: &str) -> String {
    let r = app.post_register(username, PASSWORD, "learner").await;
    assert_is_redirect_to(&r, "/");
    let cookie = session_cookie(&r);
    cookie.split(';').next().unwrap().to_string()
}

/// `GET /account` in `app` from a browser that sends only `cookie`.
async fn account_with(app: &TestApp, cookie: &str) -> Response {
    app.get_with_cookie(cookie, "/account").await
}

/// The account page read by the app's own signed-in client: read once more, so the app
/// has just kept a copy of the session.
async fn assert_signed_in_as(app: &TestApp, username: &str) {
    let r = app.get("/account").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains(username), "{username} not signed in: {html}");
}

#[tokio::test]
async fn a_session_of_one_app_is_not_honoured_by_another_and_a_logout_ends_only_its_own() {
    let (a, b) = (spawn_app().await, spawn_app().await);
    let ann = signed_in(&a, "ann").await;
    assert_signed_in_as(&a, "ann").await;
    // Ann's cookie means nothing to the other app: no such session in its database.
    assert_is_redirect_to(&account_with(&b, &ann).await, "/login?next=/account");
    assert_eq!(b.count("SELECT COUNT(*) FROM users"), 0);

    let bob = signed_in(&b, "bob").await;
    assert_signed_in_as(&b, "bob").await;
    assert_signed_in_as(&a, "ann").await;
    // Ann signs out of the first app: her session ends there, Bob's goes on in the other,
    // and his cookie, just read there, is still nobody's in the first.
    assert_is_redirect_to(&a.post_logout().await, "/");
    assert_is_redirect_to(&account_with(&a, &ann).await, "/login?next=/account");
    assert_signed_in_as(&b, "bob").await;
    assert_is_redirect_to(&account_with(&a, &bob).await, "/login?next=/account");
    assert_is_redirect_to(&account_with(&b, &ann).await, "/login?next=/account");
    assert_eq!(account_with(&b, &bob).await.status(), StatusCode::OK);
}
