use crate::helpers::{
    TestApp, assert_is_redirect_to, client, field, listed_under, spawn_app, unescape,
};
use chronicle::catalog::seed_for;
use chronicle::srs::Scheduler;
use reqwest::StatusCode;

/// The question currently on the study page.
struct Shown {
    html: String,
    card_id: String,
    review_id: String,
    reps: u32,
}

async fn shown(app: &TestApp, path: &str) -> Shown {
    let html = app.get_html(path).await;
    Shown {
        card_id: field(&html, "card_id").unwrap_or_else(|| panic!("no card on {path}: {html}")),
        review_id: field(&html, "review_id").unwrap(),
        reps: field(&html, "reps").unwrap().parse().unwrap(),
        html,
    }
}

/// Answers the shown question right or wrong, using the library to know which choice is right.
async fn answer(app: &TestApp, user_id: i64, s: &Shown, right: bool, mode: &str) -> String {
    let q = app
        .catalog
        .question(&s.card_id, seed_for(user_id, &s.card_id, s.reps))
        .expect("the page shows a real card");
    let token = field(&s.html, "csrf_token").unwrap();
    let mut form = vec![
        ("csrf_token", token),
        ("card_id", s.card_id.clone()),
        ("review_id", s.review_id.clone()),
        ("reps", s.reps.to_string()),
        ("shown_at", "0".to_string()),
        ("deck", "fixture".to_string()),
        ("mode", mode.to_string()),
    ];
    if s.html.contains("name=\"grade\"") {
        form.push(("grade", if right { "3" } else { "1" }.to_string()));
    } else if s.html.contains("name=\"typed\"") {
        form.push((
            "typed",
            if right {
                q.answer.clone()
            } else {
                "no idea".into()
            },
        ));
    } else {
        let index = q.answer_index.unwrap();
        let pick = if right {
            index
        } else {
            (index + 1) % q.choices.len()
        };
        form.push(("choice", pick.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form("/study/answer", &pairs).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

#[tokio::test]
async fn study_ten_cards_review_the_missed_ones_and_see_them_leave() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let user = app.user_id("ann");
    let mut missed = Vec::new();
    for i in 0..10 {
        let s = shown(&app, "/study?deck=fixture").await;
        assert!(
            s.html.contains(&format!("{} of ", i + 1)),
            "progress shows the position"
        );
        let right = i % 3 != 0;
        let result = answer(&app, user, &s, right, "").await;
        if right {
            assert!(result.contains("✓</span> Right"), "{result}");
        } else {
            assert!(result.contains("Not quite"));
            missed.push(s.card_id.clone());
        }
        assert!(result.contains("Right answer"));
        assert!(
            result.contains("Article A"),
            "the source is shown beside the answer"
        );
        assert!(result.contains("href=\"/study?deck=fixture\""));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 10);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews WHERE correct = 0"),
        4
    );

    let page = app.get_html("/missed").await;
    assert!(page.contains("4 questions to put right"), "{page}");
    // Each missed card shows the answer given, as the review log has it.
    let mut given: Vec<String> = app
        .db()
        .prepare("SELECT given_answer FROM reviews WHERE correct = 0")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut shown_given = listed_under(&page, "You said");
    given.sort();
    shown_given.sort();
    assert_eq!(shown_given, given, "{page}");

    // The wrong card comes back in the normal queue once nothing else is left; the missed
    // session asks exactly the missed cards.
    let mut asked = Vec::new();
    for _ in 0..4 {
        let s = shown(&app, "/study?mode=missed").await;
        assert!(missed.contains(&s.card_id), "{} was not missed", s.card_id);
        asked.push(s.card_id.clone());
        answer(&app, user, &s, true, "missed").await;
    }
    asked.sort();
    missed.sort();
    assert_eq!(asked, missed);
    let done = app.get_html("/study?mode=missed").await;
    assert!(done.contains("No missed questions left"));
    let page = app.get_html("/missed").await;
    assert!(page.contains("Nothing missed right now"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews"),
        14,
        "missed answers are real reviews"
    );
}

#[tokio::test]
async fn the_kept_state_equals_a_replay_of_the_review_log() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let user = app.user_id("ann");
    for i in 0..12 {
        let s = shown(&app, "/study?deck=fixture").await;
        answer(&app, user, &s, i % 4 != 1, "").await;
    }
    let conn = app.db();
    let mut stmt = conn
        .prepare("SELECT card_id, stability, difficulty, due, reps FROM card_states")
        .unwrap();
    let states: Vec<(String, f64, f64, i64, u32)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!states.is_empty());
    let scheduler = Scheduler::new(0.9);
    for (card_id, stability, difficulty, due, reps) in states {
        let log = chronicle::db::study::card_reviews(&conn, user, &card_id).unwrap();
        let replayed = scheduler.replay(&log).unwrap();
        assert_eq!(replayed.stability as f64, stability, "{card_id}");
        assert_eq!(replayed.difficulty as f64, difficulty, "{card_id}");
        assert_eq!(replayed.due, due, "{card_id}");
        assert_eq!(replayed.reps, reps);
    }
}

#[tokio::test]
async fn a_reload_shows_the_same_question_and_a_double_submit_counts_once() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let user = app.user_id("ann");
    let first = shown(&app, "/study").await;
    let again = shown(&app, "/study").await;
    assert_eq!(first.card_id, again.card_id);
    let choices = |html: &str| html.matches("name=\"choice\"").count();
    assert_eq!(choices(&first.html), choices(&again.html));
    let strip = |h: &str| {
        unescape(
            &h.replace(&field(h, "review_id").unwrap(), "")
                .replace(&field(h, "shown_at").unwrap(), ""),
        )
    };
    assert_eq!(
        strip(&first.html),
        strip(&again.html),
        "same distractors on reload"
    );
    answer(&app, user, &first, true, "").await;
    // Submitting the same form again shows its result and writes nothing.
    let token = field(&first.html, "csrf_token").unwrap();
    let r = app
        .post_form(
            "/study/answer",
            &[
                ("csrf_token", &token),
                ("card_id", &first.card_id),
                ("review_id", &first.review_id),
                ("reps", "0"),
                ("choice", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 1);
}

#[tokio::test]
async fn a_missing_choice_reshows_the_question_with_a_message_and_writes_nothing() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let s = shown(&app, "/study").await;
    let token = field(&s.html, "csrf_token").unwrap();
    let base = [
        ("csrf_token", token.as_str()),
        ("card_id", &s.card_id),
        ("review_id", &s.review_id),
        ("reps", "0"),
    ];
    let r = app.post_form("/study/answer", &base).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("Choose one of the answers."));
    assert_eq!(field(&body, "card_id").as_deref(), Some(s.card_id.as_str()));
    let mut bad = base.to_vec();
    bad.push(("choice", "99"));
    assert!(
        app.post_form("/study/answer", &bad)
            .await
            .text()
            .await
            .unwrap()
            .contains("Choose one of the answers.")
    );
    let r = app
        .post_form(
            "/study/answer",
            &[
                ("csrf_token", &token),
                ("card_id", "no-such/card"),
                ("review_id", &s.review_id),
                ("reps", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .post_form("/study/answer", &[("card_id", &s.card_id), ("choice", "0")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no csrf token");
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM card_states"), 0);
}

#[tokio::test]
async fn another_learner_never_sees_this_learners_progress() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let ann = app.user_id("ann");
    for _ in 0..3 {
        let s = shown(&app, "/study").await;
        answer(&app, ann, &s, false, "").await;
    }
    assert!(
        app.get_html("/missed")
            .await
            .contains("3 questions to put right")
    );
    let mut bob = app;
    bob.client = client(); // another browser
    bob.signed_in_learner("bob").await;
    let page = bob.get_html("/missed").await;
    assert!(page.contains("Nothing missed right now"), "{page}");
    let home = bob.get_html("/").await;
    let total = bob.catalog.cards.len();
    assert!(home.contains("<p>0 answered ·"), "{home}");
    assert!(
        home.contains(&format!("· 0 of {total} cards seen</p>")),
        "bob has seen no cards: {home}"
    );
    // A fresh learner's first session: the deck's cards, up to the new cards a day that their
    // account page shows.
    let account = bob.get_html("/account").await;
    let marker = "name=\"new_per_day\" type=\"number\" min=\"0\" max=\"200\" step=\"1\" value=\"";
    let at = account.find(marker).unwrap() + marker.len();
    let per_day: usize = account[at..at + account[at..].find('"').unwrap()]
        .parse()
        .unwrap();
    let s = shown(&bob, "/study").await;
    assert!(
        s.html
            .contains(&format!(">1 of {}</p>", total.min(per_day))),
        "bob starts at the beginning: {}",
        s.html
    );
}

#[tokio::test]
async fn flashcard_mode_is_self_graded() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let user = app.user_id("ann");
    let s = shown(&app, "/study?mode=flashcard").await;
    assert!(s.html.contains("Show answer"));
    assert!(s.html.contains("name=\"grade\" value=\"4\""));
    let result = answer(&app, user, &s, true, "flashcard").await;
    assert!(result.contains("Good (self-graded)"));
    let presentation: String = app
        .db()
        .query_row("SELECT presentation FROM reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(presentation, "flashcard");
}

#[tokio::test]
async fn unknown_pages_and_decks_are_404() {
    let app = spawn_app().await;
    assert_eq!(
        app.get("/no-such-page").await.status(),
        StatusCode::NOT_FOUND
    );
    app.signed_in_learner("ann").await;
    assert_eq!(
        app.get("/study?deck=nope").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_is_redirect_to(&app.get("/login").await, "/");
}
