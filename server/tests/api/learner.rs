//! The learner's pages: choosing what to study, the verdict first, /stats against a history
//! worked out by hand, the timeline's marks, browse and search.

use crate::helpers::{TestApp, field, now_ms, review_at, spawn_app, spawn_learner_app, unescape};
use chronicle::questions::Kind;
use reqwest::StatusCode;

const DAY_MS: i64 = 86_400_000;

/// The learner's days run from UTC midnight, as the histories below are worked out; the
/// learning and relearning steps ("" for FSRS alone: a right answer goes straight to
/// review).
async fn settings(app: &TestApp, learning: &str, relearning: &str) {
    settings_in(app, "UTC", "0", learning, relearning).await;
}

/// The study settings with the learner's time zone and the hour their day starts.
async fn settings_in(app: &TestApp, zone: &str, rollover: &str, learning: &str, relearning: &str) {
    app.save_settings(&[
        ("time_zone", zone),
        ("rollover_hour", rollover),
        ("learning_steps", learning),
        ("relearning_steps", relearning),
    ])
    .await;
}

/// The text of the first `<td>` of the row whose attribute `attr` is `value`.
fn cell(html: &str, attr: &str, value: &str) -> String {
    cells(html, attr, value)[0].clone()
}

/// Every `<td>` text of the row whose attribute `attr` is `value`.
fn cells(html: &str, attr: &str, value: &str) -> Vec<String> {
    let marker = format!("<tr {attr}=\"{value}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no row {marker}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("<td>")
        .skip(1)
        .map(|c| unescape(&c[..c.find("</td>").unwrap()]))
        .collect()
}

/// The figure a `<dt>` names in a `<dl class="figures">`.
fn figure(html: &str, term: &str) -> String {
    let marker = format!("<dt>{term}</dt><dd>");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {term}")) + marker.len();
    unescape(&html[start..start + html[start..].find("</dd>").unwrap()])
}

fn iso(day_ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(day_ms / 1000).unwrap();
    t.date().to_string()
}

#[tokio::test]
async fn stats_show_the_figures_of_a_known_history() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    // Anki's default steps: a card leaves learning only when answered right after its last
    // step, so a single right answer (card 5) keeps it in learning.
    settings(&app, "1m 10m", "10m").await;
    let cards = app.card_ids(6);
    let now = now_ms();
    let midnight = now - now.rem_euclid(DAY_MS);
    let day = |d: i64, hours: i64| midnight + d * DAY_MS + hours * 3_600_000;
    // Today's answers fall between midnight and now, whatever the hour the test runs at.
    let today = |k: i64| midnight + (now - midnight) * k / 10;
    let (again, good) = (1, 3);
    let c = |i: usize| cards[i].as_str();
    app.upload(
        &token,
        vec![
            review_at(1, c(0), good, day(-20, 9)),
            review_at(2, c(0), good, day(-10, 9)),
            review_at(3, c(0), again, day(-3, 9)),
            review_at(4, c(0), good, today(2)),
            review_at(5, c(1), again, day(-8, 9)),
            review_at(6, c(1), good, day(-8, 10)),
            review_at(7, c(1), good, day(-1, 9)),
            review_at(8, c(2), again, today(3)),
            review_at(9, c(2), again, today(4)),
            review_at(10, c(3), good, day(-100, 9)),
            review_at(11, c(3), good, day(-40, 9)),
            review_at(12, c(4), again, today(5)),
            // Right once, 60 days ago: due long since, so the forecast counts it today.
            review_at(13, c(5), good, day(-60, 9)),
        ],
    )
    .await;
    let html = app.get_html("/stats").await;
    let forecast_table = &html[html.find("id=\"forecast-table\"").unwrap()..];
    let html = &html[..html.find("id=\"forecast-table\"").unwrap()];

    // Today: cards 0, 2 and 4; four answers, one right; 4 x 40 s = 2 min 40 s, "3 min".
    assert_eq!(figure(html, "Cards studied"), "3");
    assert_eq!(figure(html, "Answers"), "4");
    assert_eq!(figure(html, "Accuracy"), "25%");
    assert_eq!(figure(html, "Time spent"), "3 min");
    // Answers today and yesterday, none the day before.
    assert_eq!(figure(html, "Streak"), "2 days");

    // Reviews per day, by hand: the answer 100 days ago is outside the 90 days.
    for (d, n) in [
        (-89, 0),
        (-60, 1),
        (-40, 1),
        (-20, 1),
        (-10, 1),
        (-8, 2),
        (-3, 1),
        (-2, 0),
        (-1, 1),
        (0, 4),
    ] {
        assert_eq!(
            cell(html, "data-day", &iso(day(d, 0))),
            n.to_string(),
            "day {d}"
        );
    }
    assert!(!html.contains(&format!("data-day=\"{}\"", iso(day(-90, 0)))));
    assert!(html.contains("12 answers in 90 days."));
    // The bar chart draws one bar per day with answers, carrying its value.
    let days_chart = &html[html.find("id=\"days-chart\"").unwrap()..];
    let days_chart = &days_chart[..days_chart.find("</svg>").unwrap()];
    assert_eq!(days_chart.matches("<rect").count(), 8);
    assert!(days_chart.contains("data-value=\"4\""));

    // True retention: answers on a later day than the card's previous one.
    // Week 0 (days -6..0): card 0 on day -3 (wrong) and today (right), card 1 on day -1
    // (right): 2 of 3. Week 1 (-13..-7): card 0 on day -10, right. Week 5 (-41..-35): card 3
    // on day -40, right. Card 1's same-day retry and every first sight are left out.
    let week = |k: i64| iso(day(-7 * k - 6, 0));
    assert_eq!(cells(html, "data-week", &week(0)), ["3", "2", "67%"]);
    assert_eq!(cells(html, "data-week", &week(1)), ["1", "1", "100%"]);
    assert_eq!(cells(html, "data-week", &week(2)), ["0", "0", "–"]);
    assert_eq!(cells(html, "data-week", &week(5)), ["1", "1", "100%"]);

    // Cards by state. Card 2: two answers, both wrong: often missed. Card 4: one wrong answer
    // on first sight, and card 5: one right answer, both still on a learning step: learning.
    // Cards 0, 1 and 3 were answered right after their last step, so in review: known.
    let total = app.catalog.cards.len();
    let states = forecast_table;
    assert_eq!(
        cell(states, "data-state", "not-seen"),
        (total - 6).to_string()
    );
    assert_eq!(cell(states, "data-state", "learning"), "2");
    assert_eq!(cell(states, "data-state", "known"), "3");
    assert_eq!(cell(states, "data-state", "often-missed"), "1");
    // By era: the fixture has one era, holding every card but those of quotes with no event.
    let deck = &app.catalog.decks[0];
    let without_era = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.kind == Kind::Speaker)
        .filter(|c| deck.quote(&c.subject_id).is_some_and(|q| q.event.is_none()))
        .count();
    let era_row = &forecast_table[forecast_table.find("<th scope=\"row\">All</th>").unwrap()..];
    for (state, n) in [
        ("not-seen", total - 6 - without_era),
        ("learning", 2),
        ("known", 3),
        ("often-missed", 1),
    ] {
        assert!(
            era_row.contains(&format!("<td data-state=\"{state}\">{n}</td>")),
            "{state}: {}",
            &era_row[..600]
        );
    }

    // The forecast buckets each card's stored due time into days; overdue cards count today.
    // Cards 2 and 4 were last answered wrong minutes ago, so they are due again today; card 5
    // is overdue.
    let dues = app.numbers("SELECT due FROM card_states");
    assert_eq!(dues.len(), 6);
    assert!(
        dues.iter().any(|&due| due < midnight / 1000),
        "card 5 is overdue"
    );
    for d in 0..30 {
        let start = (midnight + d * DAY_MS) / 1000;
        let expected = dues
            .iter()
            .filter(|&&due| {
                let due_day = if due < midnight / 1000 {
                    midnight / 1000
                } else {
                    due
                };
                (start..start + 86_400).contains(&due_day)
            })
            .count();
        assert_eq!(
            cell(forecast_table, "data-day", &iso(day(d, 0))),
            expected.to_string(),
            "forecast day {d}"
        );
        if d == 0 {
            assert!(expected >= 3, "the two missed cards and the overdue one");
        }
    }
}

#[tokio::test]
async fn stats_count_the_days_of_a_learner_in_hanoi() {
    let app = spawn_app().await;
    let token = app.api_token("lan").await;
    // Hanoi is UTC+7 all year (no summer time since 1975). With the day starting at
    // midnight there, learner day n runs from n * 24 h - 7 h to (n + 1) * 24 h - 7 h UTC.
    settings_in(&app, "Asia/Ho_Chi_Minh", "0", "", "").await;
    const HOUR_MS: i64 = 3_600_000;
    let now = now_ms();
    let today = (now + 7 * HOUR_MS).div_euclid(DAY_MS);
    let start = |day: i64| day * DAY_MS - 7 * HOUR_MS;
    let iso_day = |day: i64| iso(day * DAY_MS);
    // One UTC date, two Hanoi days: 16:30 UTC on date today-2 is 23:30 in Hanoi (day
    // today-2), 18:30 UTC is 01:30 the next morning (day today-1).
    let utc_date = (today - 2) * DAY_MS;
    let (evening, small_hours) = (
        utc_date + 16 * HOUR_MS + 1_800_000,
        utc_date + 18 * HOUR_MS + 1_800_000,
    );
    assert_eq!(iso(evening), iso(small_hours), "the same UTC date");
    // And one answer today, between the start of Hanoi's today and now.
    let this_morning = start(today) + (now - start(today)) / 2;
    let cards = app.card_ids(2);
    let (again, good) = (1, 3);
    app.upload(
        &token,
        vec![
            review_at(1, &cards[0], good, evening),
            review_at(2, &cards[0], good, small_hours),
            review_at(3, &cards[1], again, this_morning),
        ],
    )
    .await;
    let html = app.get_html("/stats").await;
    assert!(
        html.contains("Days run from 00:00 to 00:00, Asia/Ho_Chi_Minh time."),
        "the page says whose days"
    );
    // Today in Hanoi: card 1, answered wrong once.
    assert_eq!(figure(&html, "Cards studied"), "1");
    assert_eq!(figure(&html, "Answers"), "1");
    assert_eq!(figure(&html, "Accuracy"), "0%");
    // Answers on today-2, today-1 and today: three days running (counted in UTC, the first
    // two share one date and the streak comes out shorter).
    assert_eq!(figure(&html, "Streak"), "3 days");
    let days_table = &html[html.find("id=\"days-table\"").unwrap()..];
    for (day, n) in [(today - 3, 0), (today - 2, 1), (today - 1, 1), (today, 1)] {
        assert_eq!(
            cell(days_table, "data-day", &iso_day(day)),
            n.to_string(),
            "day {day}"
        );
    }
    // The calendar's squares carry the same days.
    let calendar = &html[html.find("id=\"calendar\"").unwrap()..];
    let calendar = &calendar[..calendar.find("</svg>").unwrap()];
    let square = |day: i64| {
        let t = time::OffsetDateTime::from_unix_timestamp(day * 86_400).unwrap();
        let month: String = t.month().to_string().chars().take(3).collect();
        format!("<title>{} {month}: ", t.day())
    };
    for day in [today - 2, today - 1, today] {
        assert!(
            calendar.contains(&format!("{}1</title>", square(day))),
            "square {day}"
        );
    }
    // Retention: card 0 came back on a later Hanoi day than its first answer, and was right.
    // This week runs from today-6 to today.
    assert_eq!(
        cells(&html, "data-week", &iso_day(today - 6)),
        ["1", "1", "100%"]
    );
    // The forecast buckets each stored due time into Hanoi days; overdue counts today.
    let dues = app.numbers("SELECT due FROM card_states");
    assert_eq!(dues.len(), 2);
    let forecast_table = &html[html.find("id=\"forecast-table\"").unwrap()..];
    for d in 0..30 {
        let expected = dues
            .iter()
            .filter(|&&due| {
                let due_day = (due * 1000 + 7 * HOUR_MS).div_euclid(DAY_MS).max(today);
                due_day == today + d
            })
            .count();
        assert_eq!(
            cell(forecast_table, "data-day", &iso_day(today + d)),
            expected.to_string(),
            "forecast day {d}"
        );
    }

    // The day starting at 4 am instead: 01:30 belongs to the evening before, so both of
    // card 0's answers fall on today-2 and neither is a due review any more.
    settings_in(&app, "Asia/Ho_Chi_Minh", "4", "", "").await;
    let html = app.get_html("/stats").await;
    let days_table = &html[html.find("id=\"days-table\"").unwrap()..];
    assert_eq!(cell(days_table, "data-day", &iso_day(today - 2)), "2");
    assert_eq!(cell(days_table, "data-day", &iso_day(today - 3)), "0");
}

#[tokio::test]
async fn stats_for_a_new_learner_say_there_is_nothing_yet() {
    let app = spawn_app().await;
    app.signed_in_learner("new").await;
    let r = app.get("/stats").await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("No answers yet"));
    assert_eq!(figure(&html, "Accuracy"), "–");
    assert_eq!(figure(&html, "Streak"), "0 days");
    assert_eq!(app.get("/stats").await.status(), StatusCode::OK);
    // Signed out: the login page, not the figures.
    let anonymous = crate::helpers::client();
    let r = anonymous.get(app.url("/stats")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// The event a card asks about, from the dataset.
fn event_of(app: &TestApp, card_id: &str) -> String {
    let card = app.catalog.card(card_id).unwrap();
    card.subject_id.clone()
}

fn era_of(app: &TestApp, card_id: &str) -> String {
    let deck = &app.catalog.decks[0];
    deck.event(&event_of(app, card_id)).unwrap().era.clone()
}

#[tokio::test]
async fn a_learner_studies_one_era_and_one_kind_and_can_study_more() {
    let app = spawn_learner_app().await;
    app.signed_in_learner("ann").await;
    settings(&app, "", "").await;
    let deck = &app.catalog.decks[0];
    let early_dates: Vec<&str> = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.kind == Kind::Date)
        .filter(|c| deck.event(&c.subject_id).is_some_and(|e| e.era == "early"))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(early_dates.len(), 4, "events 0 to 3 are early");
    let early_cards = app
        .catalog
        .cards
        .iter()
        .filter(|c| {
            deck.event(&c.subject_id).is_some_and(|e| e.era == "early")
                || deck
                    .quote(&c.subject_id)
                    .and_then(|q| q.event.as_deref())
                    .and_then(|e| deck.event(e))
                    .is_some_and(|e| e.era == "early")
        })
        .count();

    // The dashboard says how much is left in each era and links to it.
    let home = app.get_html("/").await;
    assert!(home.contains(&format!("0 due · {early_cards} not seen")));
    assert!(home.contains("href=\"/study?deck=fixture&amp;era=early\""));
    assert!(home.contains("name=\"kind\" value=\"date\""));

    // Early era, dates only: every question is one of those four cards, and the way on keeps
    // the choice.
    let mut page = app
        .get_html("/study?deck=fixture&era=early&kind=date")
        .await;
    let mut seen = Vec::new();
    for _ in 0..4 {
        let card = field(&page, "card_id").expect("a question");
        assert!(early_dates.contains(&card.as_str()), "{card}");
        assert!(page.contains("Studying era “Early years” · date"));
        seen.push(card);
        let result = app.answer_page(&page, true).await;
        let next = field_href(&result, "next");
        assert!(
            next.contains("era=early") && next.contains("kind=date"),
            "{next}"
        );
        page = app.get_html(&next).await;
    }
    seen.sort();
    assert_eq!(seen, early_dates);
    // All four are known and not due: done for today, with "study more" offering them early.
    assert!(page.contains("All done for now"), "{page}");
    assert!(page.contains("4 more cards can be studied now"));
    let more = field_href(&page, "more");
    assert!(more.contains("more=1"));
    let page = app.get_html(&more).await;
    let card = field(&page, "card_id").expect("study more asks a card before it is due");
    assert!(early_dates.contains(&card.as_str()));
    assert!(unescape(&page).contains("studying more than today's plan"));

    // One card by id, from browse or the timeline.
    let one = "event-6/place";
    let page = app
        .get_html(&format!("/study?deck=fixture&card={one}&more=1"))
        .await;
    assert_eq!(field(&page, "card_id").as_deref(), Some(one));
}

#[tokio::test]
async fn a_choice_the_deck_does_not_have_is_refused_with_its_name() {
    let app = spawn_learner_app().await;
    app.signed_in_learner("ann").await;
    for (query, name) in [
        ("era=nope", "era `nope`"),
        ("tag=nope", "tag `nope`"),
        ("kind=nope", "kind `nope`"),
        ("card=event-0/nope", "card `event-0/nope`"),
    ] {
        let r = app.get(&format!("/study?deck=fixture&{query}")).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(r.text().await.unwrap().contains(name), "{query}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM reviews"), 0);
    // A tag picks its events across eras.
    let page = app.get_html("/study?deck=fixture&tag=border").await;
    let card = field(&page, "card_id").unwrap();
    assert!(["event-1", "event-2"].contains(&event_of(&app, &card).as_str()));
    let _ = app.answer_page(&page, true).await;
    assert_eq!(era_of(&app, &card), "early");
}

/// The `href` of the element with this id.
fn field_href(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id}: {html}"));
    let tag_start = html[..at].rfind('<').unwrap();
    let tag = &html[tag_start..at + html[at..].find('>').unwrap()];
    let h = tag.find("href=\"").unwrap() + 6;
    unescape(&tag[h..h + tag[h..].find('"').unwrap()])
}

#[tokio::test]
async fn the_verdict_and_right_answer_come_before_the_sources_and_the_way_on() {
    let app = spawn_learner_app().await;
    app.signed_in_learner("ann").await;
    let uid = app.user_id("ann");
    let page = app
        .get_html("/study?deck=fixture&event=event-4&more=1")
        .await;
    let card = field(&page, "card_id").unwrap();
    let result = app.answer_page(&page, false).await;
    let q = app
        .catalog
        .question(
            &card,
            chronicle::catalog::seed_for(chronicle::ids::UserId(uid), &card, 0),
        )
        .unwrap();
    let verdict = result.find("id=\"verdict\"").unwrap();
    let right = result
        .find(&format!(
            "<dt>Right answer</dt><dd id=\"right-answer\">{}",
            askama_escape(&q.answer)
        ))
        .expect("the right answer from the dataset");
    let next = result.find("id=\"next\"").unwrap();
    let summary = result.find("Summary 4.").unwrap();
    assert!(verdict < right && right < next && next < summary);
    assert!(result.contains("role=\"status\""));
    assert!(result.contains("aria-describedby=\"verdict right-answer-said\""));
    assert!(result.contains("Not quite"));
    // Dispute sources name their article.
    assert!(result.contains("“quote b4” <span class=\"doc\">(Article B)</span>"));

    // A flashcard graded Again says Again, in the learner's own word.
    let page = app.get_html("/study?deck=fixture&mode=flashcard").await;
    let result = app.answer_page(&page, false).await;
    assert!(result.contains("✗</span> Again"), "{result}");
    assert!(!result.contains("Not quite"));
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn a_new_account_is_welcomed_and_a_returning_one_welcomed_back() {
    let app = spawn_learner_app().await;
    app.signed_in_learner("ann").await;
    let home = app.get_html("/").await;
    assert!(home.contains("Welcome to Chronicle, ann"));
    assert!(!home.contains("Welcome back"));
    let page = app.get_html("/study?deck=fixture").await;
    let _ = app.answer_page(&page, true).await;
    assert!(app.get_html("/").await.contains("Welcome back, ann"));
    // The account page speaks plainly: no API paths, retention explained.
    let account = app.get_html("/account").await;
    assert!(!account.contains("/api/"), "{account}");
    assert!(account.contains("you should remember it about 9 times in 10"));
}

/// The standing a timeline or browse page gives an event.
fn standing(html: &str, event: &str) -> String {
    let marker = format!("data-event=\"{event}\" data-standing=\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no {event}")) + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn the_timeline_marks_each_event_by_how_well_its_cards_are_known() {
    let app = spawn_learner_app().await;
    let token = app.api_token("ann").await;
    settings(&app, "", "").await;
    let deck = &app.catalog.decks[0];
    let cards_of = |event: &str| -> Vec<String> {
        app.catalog
            .cards
            .iter()
            .filter(|c| c.subject_id == event)
            .map(|c| c.id.to_string())
            .collect()
    };
    let t = now_ms() - 3 * DAY_MS;
    let mut reviews = Vec::new();
    let mut n = 0;
    // event-0: every card right once: known.
    for card in cards_of("event-0") {
        n += 1;
        reviews.push(review_at(n, &card, 3, t + n as i64 * 1000));
    }
    // event-1: its date missed twice in a row: often missed.
    let e1 = format!("event-1/{}", Kind::Date.as_str());
    let mut missed_answers = Vec::new();
    for k in 0..2 {
        n += 1;
        reviews.push(review_at(n, &e1, 1, t + 100_000 + k * 1000));
        missed_answers.push(format!("answer {n}"));
    }
    // event-2: one card right, the rest not seen: learning.
    n += 1;
    reviews.push(review_at(n, "event-2/place", 3, t + 200_000));
    app.upload(&token, reviews).await;

    let html = app.get_html("/timeline").await;
    assert_eq!(standing(&html, "event-0"), "known");
    assert_eq!(standing(&html, "event-1"), "often-missed");
    assert_eq!(standing(&html, "event-2"), "learning");
    assert_eq!(standing(&html, "event-3"), "not-seen");
    // Grouped by era; the span (1980-06-15 to 1982) is drawn with a width, a day as a point.
    let early = html.find("id=\"era-early\"").unwrap();
    let late = html.find("id=\"era-late\"").unwrap();
    let at = |e: &str| html.find(&format!("data-event=\"{e}\"")).unwrap();
    assert!(early < at("event-3") && at("event-3") < late && late < at("event-4"));
    let span = &html[at("event-5")..at("event-6")];
    assert!(span.contains("15 June 1980 – 1982"));
    assert!(
        span.contains("; width: ") && !span.contains(" point\""),
        "{span}"
    );
    assert!(html[at("event-4")..at("event-5")].contains(" point\""));

    // Selecting an event: summary, sources with titles, the dispute, history, study links.
    let html = app.get_html("/timeline?event=event-1").await;
    let detail =
        &html[html.find("id=\"event-detail\"").unwrap()..html.find("id=\"era-early\"").unwrap()];
    assert!(detail.contains("Summary 1."));
    assert!(detail.contains(
        "“quote 1: in Phnom Penh on 11 February 1972, 2,000 things”</p><footer>Article A</footer>"
    ));
    assert_eq!(detail.matches("<td>wrong</td>").count(), 2);
    for given in &missed_answers {
        assert!(detail.contains(&format!("<td>{given}</td>")), "{given}");
    }
    assert!(detail.contains("href=\"/study?deck=fixture&amp;event=event-1&amp;more=1\""));
    assert!(detail.contains("href=\"/study?deck=fixture&amp;era=early\""));
    assert!(html.contains("aria-current=\"true\""));
    let html = app.get_html("/timeline?event=event-4").await;
    assert!(html.contains("Article B puts it in another town."));
    assert_eq!(deck.event("event-4").unwrap().disputes.len(), 1);
    assert_eq!(
        app.get("/timeline?event=nope").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn browse_finds_events_by_word_and_era_with_the_learners_standing() {
    let app = spawn_learner_app().await;
    let token = app.api_token("ann").await;
    settings(&app, "", "").await;
    app.upload(
        &token,
        vec![review_at(1, "event-4/date", 3, now_ms() - DAY_MS)],
    )
    .await;
    let html = app.get_html("/browse").await;
    let total = app.catalog.decks[0].events.len();
    assert!(html.contains(&format!("{total} of {total} events")));
    // "hue" finds the events in Huế (accents and case ignored), and only them.
    let in_hue: Vec<&str> = app.catalog.decks[0]
        .events
        .iter()
        .filter(|e| e.place.as_deref() == Some("Huế"))
        .map(|e| e.id.as_str())
        .collect();
    assert!(in_hue.contains(&"event-4"));
    let html = app.get_html("/browse?q=HUE").await;
    assert!(html.contains(&format!(
        "{} of {total} events matching “HUE”",
        in_hue.len()
    )));
    assert_eq!(html.matches("<li id=\"event-").count(), in_hue.len());
    assert_eq!(standing(&html, "event-4"), "learning");
    assert!(html.contains(
        "<li data-card=\"event-4/date\">date · <span class=\"standing known\">known</span>"
    ));
    assert!(html.contains("<footer>Article A</footer>"));
    let at = html
        .find("<li data-card=\"event-4/cloze\">")
        .unwrap_or_else(|| panic!("{html}"));
    let link = field_href(&html[at..], "study-event-4/cloze");
    assert_eq!(link, "/study?deck=fixture&card=event-4%2Fcloze&more=1");
    // The era filter, and words with it.
    let early = app.catalog.decks[0]
        .events
        .iter()
        .filter(|e| e.era == "early")
        .count();
    let html = app.get_html("/browse?era=early").await;
    assert!(html.contains(&format!("{early} of {total} events")));
    assert!(html.contains("<option value=\"early\" selected>"));
    let html = app.get_html("/browse?era=early&q=border").await;
    assert!(html.contains(&format!("2 of {total} events")));
    // A card's study link studies that card.
    let page = app
        .get_html("/study?deck=fixture&card=event-4%2Fcloze&more=1")
        .await;
    assert_eq!(field(&page, "card_id").as_deref(), Some("event-4/cloze"));
    // Bad input: a clear answer, what was typed kept.
    let r = app.get("/browse?era=nope").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let long = "x".repeat(201);
    let html = app.get_html(&format!("/browse?q={long}")).await;
    assert!(html.contains("Searches are at most 200 characters."));
    assert!(html.contains(&format!("value=\"{}\"", "x".repeat(200))));
}

#[tokio::test]
async fn the_favicon_is_an_icon() {
    let app = spawn_app().await;
    let r = app.get("/favicon.ico").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/x-icon");
    let body = r.bytes().await.unwrap();
    assert_eq!(&body[..4], &[0, 0, 1, 0], "an ICO header");
}
