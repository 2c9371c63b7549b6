//! Times on pages are written in the reader's own zone: a due date a teacher in Hanoi types
//! reads back as typed, and a student in New York sees the same moment on their clock.

use crate::classes::{create_class, create_date_assignment, input_value, join_code, post};
use crate::helpers::{PASSWORD, TestApp, assert_is_redirect_to, client, field};
use jiff::Timestamp;
use jiff::tz::TimeZone;

const HANOI: &str = "Asia/Ho_Chi_Minh";
const NEW_YORK: &str = "America/New_York";

/// Registers `username` with a time zone on a fresh client, and signs in as them.
async fn sign_up_in(app: &mut TestApp, username: &str, role: &str, zone: &str) {
    app.client = client();
    let page = app.get_html("/register").await;
    let token = field(&page, "csrf_token").unwrap();
    let r = app
        .post_form(
            "/register",
            &[
                ("csrf_token", token.as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("role", role),
                ("time_zone", zone),
            ],
        )
        .await;
    assert_is_redirect_to(&r, "/");
}

/// A moment as a page should write it in `zone`, from the zone rules (jiff), not the server.
fn expected(t: Timestamp, zone: &str) -> String {
    let local = t.to_zoned_datetime(TimeZone::get(zone).unwrap());
    let abbr = local.strftime("%Z").to_string();
    let when = local.datetime().strftime("%-d %b %Y, %H:%M").to_string();
    if abbr.starts_with(['+', '-']) {
        // tzdb's numeric abbreviations, "+07", are written as the offset.
        let hours: i32 = abbr.parse().unwrap();
        format!("{when} (UTC{hours:+})")
    } else {
        format!("{when} {abbr}")
    }
}

#[tokio::test]
async fn a_due_time_typed_in_hanoi_reads_back_there_and_on_a_new_york_clock() {
    let mut app = crate::helpers::spawn_app().await;
    sign_up_in(&mut app, "co-hoa", "teacher", HANOI).await;
    let teacher = app.client.clone();
    let class = create_class(&app, "9A").await;

    // 23:30 in Hanoi, three days from now on the Hanoi calendar.
    let hanoi = TimeZone::get(HANOI).unwrap();
    let day = Timestamp::now()
        .to_zoned_datetime(hanoi.clone())
        .date()
        .checked_add(jiff::Span::new().days(3))
        .unwrap();
    let typed = format!("{day}T23:30");
    let due = day
        .at(23, 30, 0, 0)
        .to_zoned_datetime(hanoi)
        .unwrap()
        .timestamp();
    let assignment = create_date_assignment(&app, class, "Dates", &typed).await;

    // Stored (and exported) as the UTC instant.
    let stored: String = app
        .db()
        .query_row(
            "SELECT due_date FROM assignments WHERE id = ?1",
            [assignment],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, due.to_string());

    // The teacher reads 23:30, Hanoi time, on the class and assignment pages and the form.
    let in_hanoi = expected(due, HANOI);
    assert!(in_hanoi.contains("23:30 (UTC+7)"), "{in_hanoi}");
    let page = app.get_html(&format!("/classes/{class}")).await;
    assert!(page.contains(&in_hanoi), "{in_hanoi} on: {page}");
    let page = app
        .get_html(&format!("/classes/{class}/assignments/{assignment}"))
        .await;
    assert!(page.contains(&in_hanoi), "{in_hanoi} on: {page}");
    let form = app
        .get_html(&format!("/classes/{class}/assignments/{assignment}/edit"))
        .await;
    assert_eq!(input_value(&form, "due_date"), Some(typed.clone()));
    assert!(form.contains(HANOI), "the form says which zone it reads");

    // A student in New York sees the same moment on their own clock (12 hours earlier in
    // winter, 11 in summer: the test takes the offset from the zone rules).
    let code = join_code(&app, class);
    sign_up_in(&mut app, "sam", "learner", NEW_YORK).await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let in_new_york = expected(due, NEW_YORK);
    assert!(in_new_york.contains("10:30") || in_new_york.contains("11:30"));
    let page = app.get_html("/").await;
    assert!(page.contains(&in_new_york), "{in_new_york} on: {page}");
    assert!(!page.contains(&in_hanoi));
    let page = app
        .get_html(&format!("/classes/{class}/assignments/{assignment}"))
        .await;
    assert!(page.contains(&in_new_york), "{in_new_york} on: {page}");

    // The CSV export keeps the ISO UTC instant.
    app.client = teacher;
    let csv = app
        .get_html(&format!("/classes/{class}/export/students.csv"))
        .await;
    assert!(csv.contains(&format!(",{due},")), "{due} in: {csv}");
}
