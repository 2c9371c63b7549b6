//! The learner's own numbers (today's answers, new cards, missed, streak, due) are kept in
//! memory between requests: whatever else writes the learner's reviews or states (a sync, a
//! change of settings) must show on the very next page.

use crate::helpers::{TestApp, field, now_ms, review_at, spawn_app, unescape};

const HOUR_MS: i64 = 3_600_000;

/// The study settings: retention and the hour the day starts (UTC, FSRS alone).
async fn settings(app: &TestApp, retention: &str, rollover: &str) {
    app.save_settings(&[
        ("desired_retention", retention),
        ("rollover_hour", rollover),
    ])
    .await;
}

/// The dashboard's line of today's numbers, tags stripped: "3 answered, 2 right · ...".
async fn today_line(app: &TestApp) -> String {
    let html = app.get_html("/").await;
    let start = html
        .find(" answered")
        .and_then(|i| html[..i].rfind("<p>"))
        .unwrap_or_else(|| panic!("no numbers on the dashboard: {html}"));
    let line = &html[start + 3..start + html[start..].find("</p>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape(text.trim())
}

/// The study page's progress label.
async fn progress(app: &TestApp, path: &str) -> String {
    let html = app.get_html(path).await;
    let marker = "id=\"progress-label\">";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no progress on {path}: {html}"))
        + marker.len();
    unescape(&html[start..start + html[start..].find('<').unwrap()])
}

/// The dashboard's "N due" of the (only) deck.
async fn due(app: &TestApp) -> String {
    let html = app.get_html("/").await;
    let end = html
        .find("</strong> due")
        .unwrap_or_else(|| panic!("no due count: {html}"));
    html[html[..end].rfind("<strong>").unwrap() + "<strong>".len()..end].to_string()
}

#[tokio::test]
async fn a_sync_after_a_web_answer_shows_on_the_next_dashboard_and_study_page() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    settings(&app, "0.90", "0").await;
    assert_eq!(today_line(&app).await, "0 answered · streak: 0 days");
    // One answer on the web, right: the summary is read and then kept.
    let page = app.get_html("/study?deck=fixture").await;
    let answered = field(&page, "card_id").unwrap();
    let result = app.answer_page(&page, true).await;
    assert!(result.contains("1 answered today"), "{result}");
    assert_eq!(
        today_line(&app).await,
        "1 answered, 1 right · streak: 1 day"
    );
    assert!(
        progress(&app, "/study?deck=fixture")
            .await
            .starts_with("2 of ")
    );
    // The phone syncs two more of today's answers, one of them wrong.
    let others: Vec<String> = app
        .card_ids(6)
        .into_iter()
        .filter(|c| *c != answered)
        .take(2)
        .collect();
    let now = now_ms() - 1_000;
    app.upload(
        &token,
        vec![
            review_at(1, &others[0], 1, now - 2_000),
            review_at(2, &others[1], 3, now),
        ],
    )
    .await;
    assert_eq!(
        today_line(&app).await,
        "3 answered, 2 right · streak: 1 day · 1 missed"
    );
    assert!(
        progress(&app, "/study?deck=fixture")
            .await
            .starts_with("4 of "),
        "three done today, the fourth card shown"
    );
    assert_eq!(
        progress(&app, "/study?deck=fixture&mode=missed").await,
        "1 missed left"
    );
    // And the web answer after the sync counts on top of it.
    let page = app.get_html("/study?deck=fixture").await;
    let result = app.answer_page(&page, false).await;
    assert!(result.contains("4 answered today"), "{result}");
    assert!(today_line(&app).await.starts_with("4 answered, 2 right"));
}

#[tokio::test]
async fn new_settings_reschedule_and_the_next_dashboard_counts_the_new_due_cards() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    // Low retention: a card answered Good five days ago waits weeks (FSRS's first interval
    // for Good is ~2.3 days of stability at 90%, far longer at 70%).
    settings(&app, "0.70", "0").await;
    let card = &app.card_ids(1)[0];
    app.upload(
        &token,
        vec![review_at(1, card, 3, now_ms() - 5 * 24 * HOUR_MS)],
    )
    .await;
    assert_eq!(due(&app).await, "0");
    // At 97% the same log asks it back within a day or so of the answer: due now.
    settings(&app, "0.97", "0").await;
    assert_eq!(due(&app).await, "1");
}

#[tokio::test]
async fn moving_the_rollover_hour_moves_today_on_the_next_dashboard() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    // Days that start two hours and one hour before this hour: each start is at least an
    // hour ago and next moves a day later, so the clock passing the top of an hour while
    // the test runs moves neither.
    let now = now_ms();
    let this_hour = now - now % HOUR_MS;
    let hour_of = |at: i64| ((at / HOUR_MS) % 24).to_string();
    let (earlier, later) = (this_hour - 2 * HOUR_MS, this_hour - HOUR_MS);
    // One answer between the two.
    settings(&app, "0.90", &hour_of(earlier)).await;
    let card = &app.card_ids(1)[0];
    app.upload(&token, vec![review_at(1, card, 3, earlier + HOUR_MS / 2)])
        .await;
    // The day began at the earlier hour: the answer is today's.
    assert_eq!(
        today_line(&app).await,
        "1 answered, 1 right · streak: 1 day"
    );
    // The day now begins at the later hour: the answer was yesterday's, the streak still
    // counts it.
    settings(&app, "0.90", &hour_of(later)).await;
    assert_eq!(today_line(&app).await, "0 answered · streak: 1 day");
}
