//! The classroom path as a teacher and a new student walk it: the join link through
//! registering or logging in, form errors in sight, confirmations, the review form, and
//! password reset links.

use crate::classes::{
    as_user, create_class, create_date_assignment, input_value, join_code, post, save_review_form,
    sign_up, study_assignment,
};
use crate::helpers::{PASSWORD, TestApp, assert_is_redirect_to, client, field, spawn_app};
use reqwest::StatusCode;

fn members(app: &TestApp, class: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM class_members WHERE class_id = {class}"
    ))
}

/// A class "History 9A" taught by Ms Lan, and its join code.
async fn class_of_ms_lan(app: &mut TestApp) -> (i64, String) {
    sign_up(app, "ms-lan", "teacher").await;
    let class = create_class(app, "History 9A").await;
    (class, join_code(app, class))
}

#[tokio::test]
async fn a_signed_out_new_student_follows_the_link_registers_and_is_in_the_class() {
    let mut app = spawn_app().await;
    let (class, code) = class_of_ms_lan(&mut app).await;
    app.client = client();

    let join = app.get(&format!("/join/{code}")).await;
    assert_eq!(
        join.status(),
        StatusCode::OK,
        "no detour to a bare login page"
    );
    let join = join.text().await.unwrap();
    assert!(
        join.contains("History 9A") && join.contains("ms-lan"),
        "{join}"
    );
    let register_link = format!("/register?join={code}");
    assert!(
        join.contains(&format!("href=\"{register_link}\"")),
        "{join}"
    );
    assert!(
        join.contains(&format!("href=\"/login?join={code}\"")),
        "{join}"
    );

    // The registration page names the class; "Log in" instead keeps the link too.
    let page = app.get_html(&register_link).await;
    assert!(page.contains("History 9A"), "{page}");
    assert!(
        page.contains(&format!("href=\"/login?join={code}\"")),
        "{page}"
    );
    assert_eq!(field(&page, "join").as_deref(), Some(code.as_str()));

    // A first try with a taken name comes back with the class still named, the password
    // still typed, and nobody joined.
    let token = field(&page, "csrf_token").unwrap();
    let r = app
        .post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "MS-LAN"),
                ("password", PASSWORD),
                ("role", "learner"),
                ("join", &code),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let again = r.text().await.unwrap();
    assert!(again.contains("History 9A"), "{again}");
    assert_eq!(field(&again, "join").as_deref(), Some(code.as_str()));
    assert_eq!(input_value(&again, "password").as_deref(), Some(PASSWORD));
    assert_eq!(members(&app, class), 0);

    let r = app
        .post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "ngoc"),
                ("password", PASSWORD),
                ("role", "learner"),
                ("join", &code),
            ],
        )
        .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    assert_eq!(members(&app, class), 1);
    let class_page = app.get_html(&format!("/classes/{class}")).await;
    assert!(class_page.contains("Taught by ms-lan"), "{class_page}");
}

#[tokio::test]
async fn a_signed_out_student_with_an_account_logs_in_from_the_link_and_is_in_the_class() {
    let mut app = spawn_app().await;
    let (class, code) = class_of_ms_lan(&mut app).await;
    sign_up(&mut app, "ngoc", "learner").await;
    app.post_logout().await;

    let page = app.get_html(&format!("/login?join={code}")).await;
    assert!(page.contains("History 9A"), "{page}");
    assert!(
        page.contains(&format!("href=\"/register?join={code}\"")),
        "{page}"
    );
    let token = field(&page, "csrf_token").unwrap();
    let wrong = app
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", "ngoc"),
                ("password", "not-the-password"),
                ("join", &code),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(wrong.contains("History 9A"), "still named: {wrong}");
    assert_eq!(field(&wrong, "join").as_deref(), Some(code.as_str()));
    assert_eq!(members(&app, class), 0);
    let r = app
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", "ngoc"),
                ("password", PASSWORD),
                ("join", &code),
            ],
        )
        .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    assert_eq!(members(&app, class), 1);

    // A teacher who logs in from a link is not put in the class; the join page says why.
    app.post_logout().await;
    let r = app
        .post_form(
            "/login",
            &[
                ("csrf_token", &app.csrf_from("/login").await),
                ("username", "ms-lan"),
                ("password", PASSWORD),
                ("join", &code),
            ],
        )
        .await;
    assert_is_redirect_to(&r, &format!("/join/{code}"));
    assert_eq!(members(&app, class), 1);
}

#[tokio::test]
async fn form_errors_are_summarised_at_the_top_with_links_focus_and_what_was_typed() {
    let app = spawn_app().await;
    let token = app.csrf_from("/register").await;
    let r = app
        .post_form(
            "/register",
            &[
                ("csrf_token", &token),
                ("username", "a b"),
                ("password", "short"),
                ("role", "learner"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let summary_at = page.find("id=\"error-summary\"").expect("a summary");
    let form_at = page
        .find("<form method=\"post\" action=\"/register\"")
        .unwrap();
    assert!(summary_at < form_at, "the summary comes before the form");
    let summary = &page[summary_at..page[summary_at..].find("</div>").unwrap() + summary_at];
    assert!(summary.contains("autofocus") && summary.contains("tabindex=\"-1\""));
    assert!(summary.contains("There are 2 problems"), "{summary}");
    assert!(summary.contains("href=\"#username\""), "{summary}");
    assert!(summary.contains("href=\"#password\""), "{summary}");
    assert!(page.contains("id=\"username\"") && page.contains("id=\"password\""));
    assert_eq!(input_value(&page, "username").as_deref(), Some("a b"));
    assert_eq!(input_value(&page, "password").as_deref(), Some("short"));

    // A page without errors has no summary.
    assert!(!app.get_html("/register").await.contains("error-summary"));
}

#[tokio::test]
async fn the_long_assignment_form_summarises_its_errors_at_the_top() {
    let mut app = spawn_app().await;
    let (class, _) = class_of_ms_lan(&mut app).await;
    let r = post(
        &app,
        &format!("/classes/{class}/assignments"),
        &[
            ("title", ""),
            ("deck", "fixture"),
            ("goal", "stability"),
            ("stability_days", "900"),
            ("due_date", "someday"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let summary_at = page.find("id=\"error-summary\"").expect("a summary");
    assert!(summary_at < page.find("name=\"title\"").unwrap());
    for target in ["#title", "#kinds", "#stability_days", "#due_date"] {
        assert!(
            page.contains(&format!("href=\"{target}\"")),
            "{target}: {page}"
        );
        assert!(
            page.contains(&format!("id=\"{}\"", &target[1..])),
            "{target}"
        );
    }
    assert_eq!(input_value(&page, "due_date").as_deref(), Some("someday"));
    assert_eq!(input_value(&page, "stability_days").as_deref(), Some("900"));
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 0);
}

#[tokio::test]
async fn destructive_actions_ask_first_on_a_page_of_their_own() {
    let mut app = spawn_app().await;
    let (class, code) = class_of_ms_lan(&mut app).await;
    let teacher = app.client.clone();
    let assignment = create_date_assignment(&app, class, "Dates", "").await;
    sign_up(&mut app, "ngoc", "learner").await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let ngoc = app.user_id("ngoc");
    as_user(&mut app, &teacher);

    // The class page links to the confirmations instead of acting.
    let page = app.get_html(&format!("/classes/{class}")).await;
    let code_confirm = format!("/classes/{class}/code");
    let remove_confirm = format!("/classes/{class}/students/{ngoc}/remove");
    let delete_confirm = format!("/classes/{class}/assignments/{assignment}/delete");
    assert!(page.contains(&format!("href=\"{code_confirm}\"")), "{page}");
    assert!(
        page.contains(&format!("href=\"{remove_confirm}\"")),
        "{page}"
    );
    assert!(!page.contains(&format!("action=\"{code_confirm}\"")));
    assert!(
        app.get_html(&format!("/classes/{class}/assignments/{assignment}"))
            .await
            .contains(&format!("href=\"{delete_confirm}\""))
    );

    let shown = crate::helpers::unescape(&app.get_html(&code_confirm).await);
    let display = format!("{}-{}", &code[..4], &code[4..]);
    assert!(
        shown.contains(&display) && shown.contains("stop working"),
        "{shown}"
    );
    let shown = app.get_html(&remove_confirm).await;
    assert!(shown.contains("Remove ngoc"), "{shown}");
    let shown = app.get_html(&delete_confirm).await;
    assert!(shown.contains("Delete “Dates”?"), "{shown}");

    // A POST without the confirmation (an old form, a crafted request) only shows the page.
    for path in [&code_confirm, &remove_confirm, &delete_confirm] {
        let r = post(&app, path, &[]).await;
        assert_is_redirect_to(&r, path);
    }
    assert_eq!(join_code(&app, class), code);
    assert_eq!(members(&app, class), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 1);

    // Confirmed, each one happens.
    for path in [&code_confirm, &remove_confirm, &delete_confirm] {
        let r = post(&app, path, &[("confirm", "yes")]).await;
        assert_is_redirect_to(&r, &format!("/classes/{class}"));
    }
    assert_ne!(join_code(&app, class), code);
    assert_eq!(members(&app, class), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 0);
}

#[tokio::test]
async fn a_review_assignment_is_a_prefilled_form_the_teacher_saves() {
    let mut app = spawn_app().await;
    let (class, code) = class_of_ms_lan(&mut app).await;
    let teacher = app.client.clone();
    let assignment = create_date_assignment(&app, class, "Dates", "").await;
    // Nothing missed yet: nothing to review.
    let r = app
        .get(&format!("/classes/{class}/review?from={assignment}"))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    sign_up(&mut app, "ngoc", "learner").await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let missed = study_assignment(&app, assignment, 2, Some(2)).await;
    as_user(&mut app, &teacher);

    let page = app
        .get_html(&format!("/classes/{class}/review?from={assignment}"))
        .await;
    assert_eq!(
        input_value(&page, "title").as_deref(),
        Some("Review: most missed in Dates")
    );
    let week = time::OffsetDateTime::now_utc().date() + time::Duration::days(7);
    assert_eq!(input_value(&page, "due_date"), Some(week.to_string()));
    assert!(page.contains(&format!("action=\"/classes/{class}/assignments\"")));
    assert!(page.contains("2 hand-picked questions"), "{page}");
    let review = save_review_form(&app, class, &assignment.to_string()).await;
    let (title, due): (String, Option<String>) = app
        .db()
        .query_row(
            "SELECT title, due_date FROM assignments WHERE id = ?1",
            [review],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(title, "Review: most missed in Dates");
    assert_eq!(due, Some(week.to_string()));
    let cards = app.count(&format!(
        "SELECT COUNT(*) FROM assignment_cards WHERE assignment_id = {review}"
    ));
    assert_eq!(cards, missed.len() as i64);
}

/// Ms Lan's class with Ngoc in it; Ngoc signed in on a browser of her own and on a device.
/// Returns (class, ngoc's id, ngoc's browser, ngoc's device token, the teacher's client).
async fn ngoc_in_class(app: &mut TestApp) -> (i64, i64, reqwest::Client, String, reqwest::Client) {
    let (class, code) = class_of_ms_lan(app).await;
    let teacher = app.client.clone();
    let device = app.api_token_in_new_browser("ngoc").await;
    let ngoc_browser = client();
    as_user(app, &ngoc_browser);
    let r = app.post_login("ngoc", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
    post(app, "/classes/join", &[("code", &code)]).await;
    let ngoc = app.user_id("ngoc");
    as_user(app, &teacher);
    (class, ngoc, ngoc_browser, device, teacher)
}

/// The link on the page a teacher gets, as a path.
fn reset_path(page: &str) -> String {
    let at = page.find("id=\"reset-link\">").expect("a link") + "id=\"reset-link\">".len();
    let link = crate::helpers::unescape(&page[at..at + page[at..].find('<').unwrap()]);
    let path = &link[link.find("/reset/").unwrap()..];
    path.to_string()
}

async fn device_works(app: &TestApp, token: &str) -> bool {
    let (status, _) = app
        .sync(
            token,
            &serde_json::json!({"device_id": "d1", "cursor": null, "reviews": []}),
        )
        .await;
    status == StatusCode::OK
}

#[tokio::test]
async fn a_reset_link_works_once_and_signs_the_student_out_everywhere() {
    let mut app = spawn_app().await;
    let (class, ngoc, ngoc_browser, device, _) = ngoc_in_class(&mut app).await;
    assert!(device_works(&app, &device).await);

    let confirm = app
        .get_html(&format!("/classes/{class}/students/{ngoc}/reset"))
        .await;
    assert!(
        confirm.contains("ngoc") && confirm.contains("one day"),
        "{confirm}"
    );
    let r = post(
        &app,
        &format!("/classes/{class}/students/{ngoc}/reset"),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let path = reset_path(&r.text().await.unwrap());
    let token = path.trim_start_matches("/reset/");
    let stored: String = app
        .db()
        .query_row("SELECT token_hash FROM password_resets", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, token, "only a hash is stored");
    assert!(!stored.contains(token));

    // Whoever opens it (signed out) sets a new password; a weak one changes nothing.
    let visitor = client();
    as_user(&mut app, &visitor);
    let form = app.get_html(&path).await;
    assert!(form.contains("ngoc"), "{form}");
    let csrf = field(&form, "csrf_token").unwrap();
    let r = app
        .post_form(&path, &[("csrf_token", &csrf), ("new_password", "short")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("href=\"#new_password\""));
    assert!(device_works(&app, &device).await, "nothing changed yet");
    let new_password = "harbour-violet-compass-7";
    let r = app
        .post_form(
            &path,
            &[("csrf_token", &csrf), ("new_password", new_password)],
        )
        .await;
    assert_is_redirect_to(&r, "/account?changed=reset");
    let account = app.get("/account?changed=reset").await;
    assert_eq!(
        account.status(),
        StatusCode::OK,
        "signed in with the new password"
    );
    assert!(account.text().await.unwrap().contains("New password set"));

    // The old session and the device are signed out; the new password works, the old not.
    as_user(&mut app, &ngoc_browser);
    assert_eq!(app.get("/account").await.status(), StatusCode::SEE_OTHER);
    assert!(!device_works(&app, &device).await);
    as_user(&mut app, &client());
    let r = app.post_login("ngoc", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK, "old password refused");
    let r = app.post_login("ngoc", new_password).await;
    assert_is_redirect_to(&r, "/");

    // Used once: the link is gone, whether opened or posted again.
    as_user(&mut app, &client());
    let r = app.get(&path).await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(r.text().await.unwrap().contains("no longer works"));
    let csrf = app.csrf_from("/login").await;
    let r = app
        .post_form(
            &path,
            &[
                ("csrf_token", &csrf),
                ("new_password", "another-long-pass-99"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::GONE);
    let r = app.post_login("ngoc", new_password).await;
    assert_is_redirect_to(&r, "/");
}

#[tokio::test]
async fn a_reset_link_stops_working_after_a_day_and_when_a_newer_one_is_made() {
    let mut app = spawn_app().await;
    let (class, ngoc, _, device, _) = ngoc_in_class(&mut app).await;
    let reset = format!("/classes/{class}/students/{ngoc}/reset");
    let r = post(&app, &reset, &[("confirm", "yes")]).await;
    let first = reset_path(&r.text().await.unwrap());
    let (created, expires): (i64, i64) = app
        .db()
        .query_row(
            "SELECT created_at, expires_at FROM password_resets",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(expires - created, 86_400, "valid for a day");
    let r = post(&app, &reset, &[("confirm", "yes")]).await;
    let second = reset_path(&r.text().await.unwrap());
    let anonymous = client();
    as_user(&mut app, &anonymous);
    assert_eq!(app.get(&first).await.status(), StatusCode::GONE, "replaced");
    assert_eq!(app.get(&second).await.status(), StatusCode::OK);
    // A day later (moved back in the database: the server's clock is real).
    app.db()
        .execute(
            "UPDATE password_resets SET created_at = created_at - 86400, expires_at = expires_at - 86400",
            [],
        )
        .unwrap();
    assert_eq!(app.get(&second).await.status(), StatusCode::GONE);
    let csrf = app.csrf_from("/login").await;
    let r = app
        .post_form(
            &second,
            &[
                ("csrf_token", &csrf),
                ("new_password", "harbour-violet-compass-7"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::GONE);
    assert!(
        device_works(&app, &device).await,
        "a late link changes nothing"
    );
    let r = app.post_login("ngoc", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
    // An unknown link looks exactly like a used or late one.
    let unknown = app.get(&format!("/reset/{}", "0".repeat(64))).await;
    assert_eq!(unknown.status(), StatusCode::GONE);
}

#[tokio::test]
async fn the_command_line_prints_a_reset_link_that_works() {
    let mut app = spawn_app().await;
    let (_, _, _, device, _) = ngoc_in_class(&mut app).await;
    let run = |name: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_chronicle"))
            .args([
                "user",
                "reset-password",
                name,
                "--base-url",
                "https://school.example/",
            ])
            .arg("--db")
            .arg(&app.db_path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let unknown = run("nobody");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stdout).contains("No account is called"));
    assert_eq!(app.count("SELECT COUNT(*) FROM password_resets"), 0);

    let out = run("NGOC");
    assert!(out.status.success(), "{:?}", out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let link = stdout
        .lines()
        .find(|l| l.starts_with("https://school.example/reset/"))
        .unwrap_or_else(|| panic!("{stdout}"));
    let path = &link["https://school.example".len()..];
    as_user(&mut app, &client());
    let csrf = field(&app.get_html(path).await, "csrf_token").unwrap();
    let r = app
        .post_form(
            path,
            &[
                ("csrf_token", &csrf),
                ("new_password", "harbour-violet-compass-7"),
            ],
        )
        .await;
    assert_is_redirect_to(&r, "/account?changed=reset");
    assert!(!device_works(&app, &device).await);
    assert_eq!(app.get(path).await.status(), StatusCode::GONE);
}

#[tokio::test]
async fn a_students_main_button_studies_the_open_assignment() {
    let mut app = spawn_app().await;
    let (class, code) = class_of_ms_lan(&mut app).await;
    let later = create_date_assignment(&app, class, "Later", "").await;
    let soon = create_date_assignment(&app, class, "Soon", &crate::classes::date_in_days(3)).await;
    sign_up(&mut app, "ngoc", "learner").await;
    let before = app.get_html("/").await;
    assert!(
        before.contains("class=\"button primary\" href=\"/study?deck="),
        "{before}"
    );
    post(&app, "/classes/join", &[("code", &code)]).await;
    let page = app.get_html("/").await;
    let primaries: Vec<&str> = page
        .match_indices("class=\"button primary\" href=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        primaries,
        [
            format!("/study?assignment={soon}"),
            format!("/study?assignment={later}")
        ],
        "the dated one first; the deck's button is no longer primary: {page}"
    );
    let deck_button = page.find("href=\"/study?deck=").unwrap();
    assert!(page.find(&format!("/study?assignment={later}")).unwrap() < deck_button);
}
