use crate::helpers::{
    TestApp, assert_is_redirect_to, client, field, listed_under, spawn_app, unescape,
};
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

/// Answers the shown question right or wrong, with the answer read off the page and the
/// deck file (never the server's own generator); the result page must agree.
async fn answer(app: &TestApp, s: &Shown, right: bool, mode: &str) -> String {
    let token = field(&s.html, "csrf_token").unwrap();
    let mut form = vec![
        ("csrf_token".to_string(), token),
        ("card_id".to_string(), s.card_id.clone()),
        ("review_id".to_string(), s.review_id.clone()),
        ("reps".to_string(), s.reps.to_string()),
        ("shown_at".to_string(), "0".to_string()),
        ("deck".to_string(), "fixture".to_string()),
        ("mode".to_string(), mode.to_string()),
    ];
    form.extend(
        app.key
            .answer(&s.html, right)
            .unwrap_or_else(|e| panic!("{e}")),
    );
    app.post_answer(&form, right, &s.html).await
}

#[tokio::test]
async fn study_ten_cards_review_the_missed_ones_and_see_them_leave() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let mut missed = Vec::new();
    for i in 0..10 {
        let s = shown(&app, "/study?deck=fixture").await;
        assert!(
            s.html.contains(&format!("{} of ", i + 1)),
            "progress shows the position"
        );
        let right = i % 3 != 0;
        let result = answer(&app, &s, right, "").await;
        if right {
            assert!(result.contains("✓</span> Right"), "{result}");
        } else {
            // A self-graded flashcard says "Again"; every other kind "Not quite".
            let verdict = if s.card_id.ends_with("/flashcard") {
                "Again"
            } else {
                "Not quite"
            };
            assert!(result.contains(verdict), "{result}");
            missed.push(s.card_id.clone());
        }
        assert!(result.contains("Right answer"));
        assert!(
            result.contains("Article A"),
            "the source is shown beside the answer"
        );
        assert!(!result.contains("a.txt"), "by its title, not its file name");
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
        answer(&app, &s, true, "missed").await;
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
        answer(&app, &s, i % 4 != 1, "").await;
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
        let log = chronicle::db::study::card_reviews(&conn, chronicle::ids::UserId(user), &card_id)
            .unwrap();
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
    answer(&app, &first, true, "").await;
    // Submitting the same form again shows its result and writes nothing (`answer` checks
    // the 200 and the verdict).
    answer(&app, &first, true, "").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 1);
}

#[tokio::test]
async fn a_missing_choice_reshows_the_question_with_a_message_and_writes_nothing() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    // The first card with choices (an ordering is tested on its own below).
    let mut s = shown(&app, "/study").await;
    while !s.html.contains("name=\"choice\"") {
        answer(&app, &s, true, "").await;
        s = shown(&app, "/study").await;
    }
    let before = app.count("SELECT COUNT(*) FROM reviews");
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
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), before);
    assert_eq!(app.count("SELECT COUNT(*) FROM card_states"), before);
}

#[tokio::test]
async fn another_learner_never_sees_this_learners_progress() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    for _ in 0..3 {
        let s = shown(&app, "/study").await;
        answer(&app, &s, false, "").await;
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
    let s = shown(&app, "/study?mode=flashcard").await;
    assert!(s.html.contains("Show answer"));
    assert!(s.html.contains("name=\"grade\" value=\"4\""));
    let result = answer(&app, &s, true, "flashcard").await;
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

/// Answers right (from the page and the deck) until a card of `kind` is shown.
async fn study_until(app: &TestApp, kind: &str) -> Shown {
    for _ in 0..60 {
        let s = shown(app, "/study?deck=fixture").await;
        if s.card_id.ends_with(&format!("/{kind}")) {
            return s;
        }
        answer(app, &s, true, "").await;
    }
    panic!("no {kind} card in 60 questions");
}

/// Posts the answer form: `base` fields and then `fields`; the page that comes back.
async fn post_with(
    app: &TestApp,
    base: &[(String, String)],
    fields: Vec<(String, String)>,
) -> String {
    let mut form = base.to_vec();
    form.extend(fields);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form("/study/answer", &pairs).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_chronology_is_answered_by_choosing_each_events_position() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let s = study_until(&app, "chronology").await;
    assert!(
        !s.html.contains("name=\"choice\""),
        "no lettered orders to pick from"
    );
    for i in 0..4 {
        assert!(s.html.contains(&format!("<label for=\"order-{i}\">")));
        assert!(
            s.html
                .contains(&format!("id=\"order-{i}\" name=\"order_{i}\" required"))
        );
    }
    let before = app.count("SELECT COUNT(*) FROM reviews");
    let right = app.key.answer(&s.html, true).unwrap();
    let token = field(&s.html, "csrf_token").unwrap();
    let base = vec![
        ("csrf_token".to_string(), token),
        ("card_id".to_string(), s.card_id.clone()),
        ("review_id".to_string(), s.review_id.clone()),
        ("reps".to_string(), s.reps.to_string()),
        ("deck".to_string(), "fixture".to_string()),
    ];
    // One position missing: the question again, with the message and the choices kept.
    let page = post_with(&app, &base, right[..3].to_vec()).await;
    assert!(
        page.contains("Give every event a position from 1 to 4."),
        "{page}"
    );
    for (name, value) in &right[..3] {
        let i = name.trim_start_matches("order_");
        let select = &page[page.find(&format!("name=\"order_{i}\"")).unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        assert!(
            select.contains(&format!("<option value=\"{value}\" selected>")),
            "{select}"
        );
    }
    assert_eq!(field(&page, "card_id").as_deref(), Some(s.card_id.as_str()));
    // Two events in one position.
    let mut twice = right.clone();
    twice[1].1 = twice[0].1.clone();
    let page = post_with(&app, &base, twice).await;
    assert!(page.contains("Two events are both in position"), "{page}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM reviews"),
        before,
        "nothing written"
    );
    // The right order: marked right, the order shown with each event's date.
    let result = post_with(&app, &base, right.clone()).await;
    assert!(result.contains("verdict correct"), "{result}");
    let list = &result[result
        .find("<ol class=\"right-order\">")
        .expect("the right order")..];
    let list = &list[..list.find("</ol>").unwrap()];
    assert_eq!(list.matches("<span class=\"when\">").count(), 4);
    let mut titles: Vec<(usize, String)> = right
        .iter()
        .map(|(name, p)| {
            let i = name.trim_start_matches("order_");
            let label = &s.html[s.html.find(&format!("<label for=\"order-{i}\">")).unwrap()..];
            let title = &label[label.find('>').unwrap() + 1..label.find("</label>").unwrap()];
            (p.parse().unwrap(), title.to_string())
        })
        .collect();
    titles.sort();
    let at: Vec<usize> = titles
        .iter()
        .map(|(_, t)| list.find(t.as_str()).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "earliest first: {list}");
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), before + 1);
}

#[tokio::test]
async fn a_new_learner_meets_kinds_and_events_mixed() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let mut seen: Vec<(String, String)> = Vec::new();
    for _ in 0..20 {
        let s = shown(&app, "/study?deck=fixture").await;
        let (event, kind) = s.card_id.split_once('/').unwrap();
        let kind = kind.split('-').next().unwrap();
        seen.push((event.to_string(), kind.to_string()));
        answer(&app, &s, true, "").await;
    }
    for w in seen.windows(3) {
        assert!(
            !(w[0].1 == w[1].1 && w[1].1 == w[2].1),
            "three of a kind: {seen:?}"
        );
    }
    for w in seen.windows(2) {
        assert_ne!(w[0].0, w[1].0, "one event twice in a row: {seen:?}");
    }
    let kinds: std::collections::HashSet<&str> = seen.iter().map(|(_, k)| k.as_str()).collect();
    assert!(kinds.len() >= 5, "{kinds:?}");
}

/// A small deck with what the displays must get right: a span, an inferred date, a dispute
/// that touches a second event, and articles with a publisher and a date.
const DISPLAY_DECK: &str = r#"
[deck]
id = "shown"
title = "Displays"
description = "Spans, inferred dates, disputes, citations"
language = "en"

[[document]]
id = "001_c318bde9ade62660.txt"
title = "The victory on the southwestern border"
publisher = "Nhan Dan"
published = "2024-01-07"

[[era]]
id = "war"
title = "War"
start = "1975"

[[event]]
id = "offensives"
date = "1981"
end_date = "1982"
title = "The dry-season offensives"
summary = "Offensives along the border."
era = "war"
[[event.source]]
document = "001_c318bde9ade62660.txt"
quote = "the 1981-1982 dry-season offensives"
[[event.dispute]]
about = "place"
note = "One account puts them near the border, another deeper inland."
also = ["farewell"]
[[event.dispute.source]]
document = "001_c318bde9ade62660.txt"
quote = "near the border"
[[event.dispute.source]]
document = "001_c318bde9ade62660.txt"
quote = "deeper inland"

[[event]]
id = "farewell"
date = "2019"
date_inferred = true
title = "A farewell ceremony"
summary = "Troops were seen off."
era = "war"
[[event.source]]
document = "001_c318bde9ade62660.txt"
quote = "seen off"
"#;

#[tokio::test]
async fn flashcards_and_results_show_spans_inferred_dates_disputes_and_article_titles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shown.toml"), DISPLAY_DECK).unwrap();
    let questions = dir.path().to_path_buf();
    let app = crate::helpers::spawn_app_with(move |s| s.questions_dir = questions).await;
    app.signed_in_learner("ann").await;
    let citation = "The victory on the southwestern border (Nhan Dan, 7 January 2024)";
    let mut seen = Vec::new();
    for _ in 0..10 {
        let page = app.get_html("/study?deck=shown&mode=flashcard").await;
        if !page.contains("name=\"card_id\"") {
            break;
        }
        let s = shown(&app, "/study?deck=shown&mode=flashcard").await;
        seen.push(s.card_id.clone());
        let back = unescape(&s.html);
        let cited = format!("<footer>{citation}</footer>");
        assert!(
            back.contains(&cited),
            "{}: the source by its title: {back}",
            s.card_id
        );
        assert!(!back.contains("c318bde9ade62660"), "no file names: {back}");
        assert!(
            back.contains("One account puts them near the border"),
            "{}: the dispute is on the flashcard, also for the event it touches: {back}",
            s.card_id
        );
        if s.card_id == "offensives/flashcard" {
            assert!(back.contains("1981–1982"), "the whole span: {back}");
        }
        if s.card_id == "farewell/flashcard" {
            // The inferred 2019 is never shown: only what its dated article allows.
            assert!(
                back.contains("eported by January 2024 (date not stated in the sources)"),
                "{back}"
            );
            assert!(!back.contains("2019"), "{back}");
        }
        let result = unescape(&answer_shown_deck(&app, &s).await);
        assert!(result.contains(&cited), "{result}");
        assert!(!result.contains("c318bde9ade62660"), "{result}");
        if s.card_id.starts_with("offensives/") {
            assert!(result.contains("1981–1982"), "{result}");
        }
    }
    for card in ["offensives/flashcard", "farewell/flashcard"] {
        assert!(
            seen.iter().any(|c| c == card),
            "{card} never shown: {seen:?}"
        );
    }
}

/// Self-grades a flashcard of the display deck "good".
async fn answer_shown_deck(app: &TestApp, s: &Shown) -> String {
    let token = field(&s.html, "csrf_token").unwrap();
    let r = app
        .post_form(
            "/study/answer",
            &[
                ("csrf_token", token.as_str()),
                ("card_id", &s.card_id),
                ("review_id", &s.review_id),
                ("reps", &s.reps.to_string()),
                ("deck", "shown"),
                ("mode", "flashcard"),
                ("grade", "3"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_chronology_flashcard_lists_the_events_in_front_and_their_order_with_dates_behind() {
    let app = spawn_app().await;
    app.signed_in_learner("ann").await;
    let mut s = shown(&app, "/study?deck=fixture&mode=flashcard").await;
    for _ in 0..40 {
        if s.card_id.ends_with("/chronology") {
            break;
        }
        answer(&app, &s, true, "flashcard").await;
        s = shown(&app, "/study?deck=fixture&mode=flashcard").await;
    }
    assert!(
        s.card_id.ends_with("/chronology"),
        "no chronology in flashcard mode"
    );
    assert!(
        !s.html.contains("<select"),
        "a flashcard is self-graded, not ordered"
    );
    let front = &s.html[s
        .html
        .find("<ul class=\"chronology-items\">")
        .expect("the events")..];
    let front = &front[..front.find("</ul>").unwrap()];
    assert_eq!(front.matches("<li>").count(), 4);
    let back = &s.html[s
        .html
        .find("<ol class=\"right-order\">")
        .expect("the order behind")..];
    let back = &back[..back.find("</ol>").unwrap()];
    assert_eq!(back.matches("<span class=\"when\">").count(), 4);
    // Behind: earliest first, by the fixture's dates (events are a year or more apart, in
    // id order by date).
    let ids: Vec<usize> = back
        .split("<li>")
        .skip(1)
        .map(|li| {
            let letter = li
                .split("Thing number ")
                .nth(1)
                .unwrap()
                .chars()
                .next()
                .unwrap();
            letter as usize
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{back}");
    let result = answer(&app, &s, true, "flashcard").await;
    assert!(result.contains("<ol class=\"right-order\">"));
}

#[tokio::test]
async fn a_card_recognised_twice_on_separate_days_is_asked_as_typed_recall() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    // Two right answers, ten days apart, about three months ago: the
    // card is due now, and strong enough to be recalled rather than recognised.
    let day = 24 * 60;
    let t0 = crate::helpers::now_ms() - 90 * day * 60_000;
    let card = "event-3/date";
    let body = serde_json::json!({
        "device_id": "phone",
        "reviews": [
            crate::helpers::review(0, card, 3, t0, 0),
            crate::helpers::review(1, card, 3, t0, 10 * day),
        ],
    });
    let (status, _) = app.sync(&token, &body).await;
    assert_eq!(status, StatusCode::OK);
    let s = shown(&app, "/study?deck=fixture").await;
    assert_eq!(s.card_id, card, "the due card comes first");
    assert!(
        s.html.contains("name=\"typed\""),
        "typed recall: {}",
        s.html
    );
    assert!(!s.html.contains("name=\"choice\""));
    let result = answer(&app, &s, true, "").await;
    let presentation: String = app
        .db()
        .query_row(
            "SELECT presentation FROM reviews WHERE device_id = 'web'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(presentation, "typed");
    assert!(result.contains("verdict correct"));

    // A card answered right once is still asked with choices.
    let t1 = crate::helpers::now_ms() - 5 * day * 60_000;
    let once = "event-5/date";
    let body = serde_json::json!({
        "device_id": "phone",
        "reviews": [crate::helpers::review(2, once, 3, t1, 0)],
    });
    assert_eq!(app.sync(&token, &body).await.0, StatusCode::OK);
    let s = shown(&app, "/study?deck=fixture").await;
    assert_eq!(s.card_id, once);
    assert!(s.html.contains("name=\"choice\""), "still recognition");
}
