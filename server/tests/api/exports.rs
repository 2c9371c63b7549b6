//! Exports: the class gradebook CSV, and Anki packages of a deck and of a learner's own cards.

use crate::classes::{
    as_user, create_class, create_date_assignment, id_from, join_code, post, sign_up,
    study_assignment,
};
use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;

/// Creates an assignment of one kind of card, right once, no due date.
async fn create_kind_assignment(app: &TestApp, class: i64, title: &str, kind: &str) -> i64 {
    let r = post(
        app,
        &format!("/classes/{class}/assignments"),
        &[
            ("title", title),
            ("deck", "fixture"),
            ("kinds", kind),
            ("goal", "right_once"),
            ("due_date", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    id_from(&r)
}

/// The gradebook body without its byte-order mark, parsed.
async fn gradebook(app: &TestApp, class: i64) -> (Vec<String>, Vec<Vec<String>>) {
    let r = app
        .get(&format!("/classes/{class}/export/gradebook.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-disposition"],
        format!("attachment; filename=\"class-{class}-gradebook.csv\"")
    );
    let body = r.bytes().await.unwrap();
    assert!(body.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Two students, two assignments, answers the test chooses: each cell is what the test did,
/// counted by hand. Alice misses her first two date questions and then finishes the dates;
/// Bob answers one date question wrong and stops, then gets every place right.
#[tokio::test]
async fn the_gradebook_has_a_row_per_student_and_a_done_and_score_per_assignment() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "9A").await;
    let dates = create_date_assignment(&app, class, "Dates", "").await;
    let code = join_code(&app, class);
    let alice = sign_up(&mut app, "alice", "learner").await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let bob = sign_up(&mut app, "bob", "learner").await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let date_cards = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.id.ends_with("/date"))
        .count();
    let place_cards = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.id.ends_with("/place"))
        .count();
    assert!(date_cards >= 5 && place_cards >= 5);

    as_user(&mut app, &alice);
    let mut alice_missed = study_assignment(&app, dates, 2, None).await;
    alice_missed.sort();
    alice_missed.dedup();
    as_user(&mut app, &bob);
    study_assignment(&app, dates, 1, Some(1)).await;

    // The second assignment is set after Alice studied: nothing she did before counts.
    as_user(&mut app, &teacher);
    let places = create_kind_assignment(&app, class, "=Places", "place").await;
    as_user(&mut app, &bob);
    study_assignment(&app, places, 0, None).await;

    as_user(&mut app, &teacher);
    let page = app.get_html(&format!("/classes/{class}")).await;
    assert!(page.contains(&format!("/classes/{class}/export/gradebook.csv")));
    let (header, rows) = gradebook(&app, class).await;
    assert_eq!(
        header,
        [
            "Username",
            "Student",
            "Dates (done %)",
            "Dates (score %)",
            "'=Places (done %)",
            "'=Places (score %)",
        ],
        "a formula in a title is defused"
    );
    // Sorted by display name: alice, bob.
    let alice_score = (date_cards - alice_missed.len()) * 100 / date_cards;
    assert_eq!(rows[0], ["alice", "alice", "100", &alice_score.to_string(), "0", "0"]);
    assert_eq!(rows[1], ["bob", "bob", "0", "0", "100", "100"]);
    assert_eq!(rows.len(), 2);

    // A teacher of another class, and a student of this one, are told it does not exist.
    sign_up(&mut app, "mr-other", "teacher").await;
    let r = app
        .get(&format!("/classes/{class}/export/gradebook.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    as_user(&mut app, &alice);
    let r = app
        .get(&format!("/classes/{class}/export/gradebook.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
