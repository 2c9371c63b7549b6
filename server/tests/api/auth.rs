use crate::helpers::{
    PASSWORD, TestApp, assert_is_redirect_to, client, session_cookie, spawn_app, spawn_app_with,
};
use reqwest::StatusCode;

#[tokio::test]
async fn health_check_works() {
    let app = spawn_app().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn register_signs_in_and_the_dashboard_shows_the_deck() {
    let app = spawn_app().await;
    let r = app.post_register("ann", PASSWORD, "learner").await;
    assert_is_redirect_to(&r, "/");
    let home = app.get_html("/").await;
    // A new account is greeted as new, not "welcome back".
    assert!(home.contains("Welcome to Chronicle, ann"), "{home}");
    assert!(home.contains("Fixture deck"));
    assert!(
        home.contains("20</strong> new today"),
        "default daily limit of 20 new cards"
    );
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let cookie_before = app.count("SELECT COUNT(*) FROM sessions");
    assert_eq!(cookie_before, 1);
    assert_is_redirect_to(&app.post_logout().await, "/");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 0);
    assert_is_redirect_to(&app.get("/study").await, "/login?next=/study");
    assert_is_redirect_to(&app.get("/missed").await, "/login?next=/missed");
}

#[tokio::test]
async fn login_issues_a_new_token_with_safe_cookie_flags() {
    let app = spawn_app().await;
    let registered = app.post_register("ann", PASSWORD, "learner").await;
    let first = session_cookie(&registered);
    app.post_logout().await;
    let r = app.post_login("ann", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
    let cookie = session_cookie(&r);
    assert_ne!(
        first.split(';').next(),
        cookie.split(';').next(),
        "a new token at login"
    );
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 1);
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("chronicle_session=");
    assert_eq!(token.len(), 64);
    let stored: String = app
        .db()
        .query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, token, "only a hash of the token is stored");
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = spawn_app_with(|s| s.secure_cookies = true).await;
    let token = app.csrf_from("/register").await;
    let r = app
        .post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "ann"),
                ("password", PASSWORD),
                ("role", "learner"),
            ],
        )
        .await;
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    app.post_logout().await;
    let wrong = app.post_login("ann", "not-the-password-at-all").await;
    let wrong_status = wrong.status();
    let wrong_body = wrong.text().await.unwrap();
    let unknown = app.post_login("nobody", "not-the-password-at-all").await;
    assert_eq!(wrong_status, unknown.status());
    let unknown_body = unknown.text().await.unwrap();
    assert!(wrong_body.contains("Incorrect username or password."));
    assert_eq!(
        wrong_body.replace("value=\"ann\"", ""),
        unknown_body.replace("value=\"nobody\"", ""),
        "the pages differ only in the username typed"
    );
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Signs in from a browser of its own (no cookies yet): a stranger, or a school computer.
async fn login_from_new_browser(app: &TestApp, username: &str, password: &str) -> StatusCode {
    app.post_login_in(&client(), username, password)
        .await
        .status()
}

#[tokio::test]
async fn strangers_guessing_a_password_are_throttled_but_cannot_lock_out_its_owners_device() {
    let app = spawn_app().await;
    app.signed_in_learner("bob").await;
    app.post_logout().await;
    // Ann signed up in this browser: it is a device she signed in on before.
    app.signed_in_learner("ann").await;
    app.post_logout().await;
    for _ in 0..6 {
        let status = login_from_new_browser(&app, "ann", "guess-guess-guess").await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(
        login_from_new_browser(&app, "ann", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a stranger waits, even with the right password"
    );
    let r = app.post_login_in(&client(), "ann", PASSWORD).await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Too many failed attempts. Try again in"),
        "the page says why"
    );
    let r = app.post_login("ann", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
    app.post_logout().await;
    // The lock is on ann's account: bob, from the same address, still logs in.
    assert_is_redirect_to(&app.post_login("bob", PASSWORD).await, "/");

    // A forged device cookie is no way around the throttle.
    let forged = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let csrf = "f".repeat(64);
    let device = format!("{}.{}.{}", hex_of("ann"), "0".repeat(32), "0".repeat(64));
    let r = forged
        .post(app.url("/login"))
        .header(
            "Cookie",
            format!("chronicle_csrf={csrf}; chronicle_device={device}"),
        )
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", "ann"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_out_devices_that_signed_in_before() {
    let app = spawn_app().await;
    app.signed_in_learner("bob").await;
    app.post_logout().await;
    // Someone behind the same address tries a list of accounts until the address is locked.
    let mut locked = false;
    for n in 0..60 {
        let status = login_from_new_browser(&app, &format!("user{n}"), "guess-guess-guess").await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            locked = true;
            break;
        }
    }
    assert!(locked, "the address is throttled for strangers");
    let r = app.post_login("bob", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
}

#[tokio::test]
async fn a_class_of_35_signs_in_from_one_address_within_a_minute_each_mistyping_once() {
    let app = spawn_app().await;
    for n in 0..35 {
        // Registered elsewhere (their own browsers); today they use the school's computers.
        let r = TestApp::post_register_in(&app, &client(), &format!("student{n}")).await;
        assert_eq!(r, StatusCode::SEE_OTHER);
    }
    let t0 = std::time::Instant::now();
    for n in 0..35 {
        let name = format!("student{n}");
        assert_eq!(
            login_from_new_browser(&app, &name, "mistyped-password-1").await,
            StatusCode::OK,
            "{name}: wrong password"
        );
        assert_eq!(
            login_from_new_browser(&app, &name, PASSWORD).await,
            StatusCode::SEE_OTHER,
            "{name} signs in"
        );
    }
    let took = t0.elapsed();
    eprintln!("a class of 35, each mistyping once, signed in from one address in {took:.1?}");
    assert!(took < std::time::Duration::from_secs(60), "{took:?}");
}

#[tokio::test]
async fn posts_without_a_csrf_token_are_refused() {
    let app = spawn_app().await;
    let r = app
        .post_form(
            "/register",
            &[
                ("username", "ann"),
                ("password", PASSWORD),
                ("role", "learner"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT COUNT(*) FROM users"), 0);
    app.signed_in_learner("ann").await;
    let r = app.post_form("/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.post_form("/logout", &[("csrf_token", "forged")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions"),
        1,
        "still signed in"
    );
}

#[tokio::test]
async fn posts_from_another_origin_are_refused() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let token = app.csrf_from("/account").await;
    let host = app.url("").trim_start_matches("http://").to_string();
    // Another site; the same host and port over https; another port: all other origins.
    for origin in [
        "http://evil.example".to_string(),
        format!("https://{host}"),
        format!("http://{}:1", host.split(':').next().unwrap()),
    ] {
        let r = app
            .client
            .post(app.url("/logout"))
            .header("Origin", &origin)
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{origin}");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 1, "{origin}");
    }
    let r = app
        .client
        .post(app.url("/logout"))
        .header("Origin", format!("http://{host}"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "its own origin is fine");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 0);
}

#[tokio::test]
async fn bad_registrations_show_the_problem_next_to_the_field_and_write_nothing() {
    let app = spawn_app().await;
    let cases = [
        ("an", PASSWORD, "learner", "Use 3 to 32 characters."),
        ("ann lee", PASSWORD, "learner", "Use only letters, digits"),
        ("ann", "short", "learner", "Use at least 8 characters."),
        (
            "ann",
            "password123",
            "learner",
            "too common or easy to guess",
        ),
        ("ann", PASSWORD, "admin", "Choose learner or teacher."),
    ];
    for (username, password, role, message) in cases {
        let r = app.post_register(username, password, role).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{username}/{role}"
        );
        let body = r.text().await.unwrap();
        assert!(body.contains(message), "expected {message:?} in the page");
        assert!(body.contains("class=\"field-error\""));
        // What was typed stays, the password too (issue 16), but only in its own field.
        assert_eq!(
            crate::classes::input_value(&body, "password").as_deref(),
            Some(password)
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users"), 0);
    // Taken names, in any case, are refused too.
    app.signed_in_learner("ann").await;
    let mut other = app;
    other.client = client(); // another browser
    let r = other.post_register("ANN", PASSWORD, "learner").await;
    assert!(r.text().await.unwrap().contains("That username is taken"));
    assert_eq!(other.count("SELECT COUNT(*) FROM users"), 1);
}

/// Ann changes her password on the account page, in the app's own browser.
async fn change_password(app: &TestApp) {
    let token = app.csrf_from("/account").await;
    let r = app
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &token),
                ("current_password", PASSWORD),
                ("new_password", "amber-falcon-orchard-7"),
            ],
        )
        .await;
    assert_is_redirect_to(&r, "/account?changed=password");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    // A second browser for the same account on the same server.
    let phone = client();
    let r = app.post_login_in(&phone, "ann", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions"), 2);
    change_password(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM sessions"),
        1,
        "only the fresh session remains"
    );
    assert_eq!(
        app.get("/study").await.status(),
        StatusCode::OK,
        "this browser stays signed in"
    );
    let phone_page = phone.get(app.url("/study")).send().await.unwrap();
    assert_eq!(
        phone_page.status(),
        StatusCode::SEE_OTHER,
        "the other browser is signed out"
    );
}

#[tokio::test]
async fn login_redirects_only_to_local_paths() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    app.post_logout().await;
    let token = app.csrf_from("/login").await;
    let r = app
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", "ann"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_is_redirect_to(&r, "/");
}

/// A session that ends is refused on the very next request, even one used a moment before
/// (which the server may keep in memory): its cookie sent again after logout, after a login
/// in the same browser replaced it, and another browser's after a password change.
#[tokio::test]
async fn an_ended_session_is_refused_at_once_even_just_after_use() {
    let app = spawn_app().await;
    let registered = app.post_register("ann", PASSWORD, "learner").await;
    let first = session_cookie(&registered);
    let first = first.split(';').next().unwrap();
    for _ in 0..2 {
        let r = app.get_with_cookie(first, "/study").await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    assert_is_redirect_to(&app.post_logout().await, "/");
    assert_is_redirect_to(
        &app.get_with_cookie(first, "/study").await,
        "/login?next=/study",
    );

    // Another browser signs in, then signs in again: the second login replaces its session.
    let phone = client();
    // One form, sent twice: a signed-in browser is shown no login page to read again.
    let token = app.csrf_in(&phone, "/login").await;
    let login = || {
        phone
            .post(app.url("/login"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", "ann"),
                ("password", PASSWORD),
            ])
            .send()
    };
    let r = login().await.unwrap();
    assert_is_redirect_to(&r, "/");
    let replaced = session_cookie(&r);
    let replaced = replaced.split(';').next().unwrap();
    assert_eq!(
        app.get_with_cookie(replaced, "/study").await.status(),
        StatusCode::OK
    );
    assert_is_redirect_to(&login().await.unwrap(), "/");
    assert_is_redirect_to(
        &app.get_with_cookie(replaced, "/study").await,
        "/login?next=/study",
    );

    // That browser's new session, used just before the password changes in the first one.
    app.post_login("ann", PASSWORD).await;
    let on_phone = phone.get(app.url("/study")).send().await.unwrap();
    assert_eq!(on_phone.status(), StatusCode::OK);
    change_password(&app).await;
    let on_phone = phone.get(app.url("/study")).send().await.unwrap();
    assert_is_redirect_to(&on_phone, "/login?next=/study");
}
