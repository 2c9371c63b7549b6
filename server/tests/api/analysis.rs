//! Item analysis against a class whose first answers the test sets, figures worked out by hand.

use crate::classes::{create_class, create_date_assignment, join_code, sign_up};
use crate::helpers::{PASSWORD, TestApp, client, field, now_ms, unescape};
use reqwest::StatusCode;

/// Registers `name` through the class's join link, then gets a device token for them.
async fn student_by_link(app: &TestApp, name: &str, code: Option<&str>) -> String {
    let browser = client();
    let query = code.map_or(String::new(), |c| format!("?join={c}"));
    let page = browser
        .get(app.url(&format!("/register{query}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = field(&page, "csrf_token").unwrap();
    let r = browser
        .post(app.url("/register"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", name),
            ("password", PASSWORD),
            ("role", "learner"),
            ("join", code.unwrap_or("")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = browser
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"username": name, "password": PASSWORD, "device_name": "t"}))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// The text of the item section for `card`, tags stripped to single spaces.
fn item_text(page: &str, card: &str) -> String {
    let at = page
        .find(&format!("data-card=\"{card}\""))
        .unwrap_or_else(|| panic!("no item for {card}: {page}"));
    let end = page[at..].find("</section>").unwrap() + at;
    let mut text = String::new();
    let mut in_tag = false;
    for ch in page[at..end].chars() {
        match ch {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    unescape(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[tokio::test]
async fn item_analysis_figures_match_a_class_whose_answers_are_known() {
    let mut app = crate::helpers::spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let teacher = app.client.clone();
    let class = create_class(&app, "9A").await;
    let assignment = create_date_assignment(&app, class, "Dates", "").await;
    let code = join_code(&app, class);
    let mut cards: Vec<String> = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.id.ends_with("/date"))
        .map(|c| c.id.to_string())
        .collect();
    cards.sort();
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| cards[i].clone());

    // Ten students, s0..s9, and what each answers first:
    //   a: right for s0-s8; s9 says "1950" (then gets it right: only the first answer counts)
    //   b: right for s0-s3; s4, s5, s6 say "1980"; s7, s8, s9 say "1990"
    //   c: right for s0, s5, s9; the others wrong with nothing given
    //   d: only s0 and s1 answer, right
    // Scores (right first answers): s0 4, s1 3, s2 s3 s5 2, s4 s6 s7 s8 1, s9 1.
    // Ranked (ties by registration): s0 s1 s2 s3 s5 s4 s6 s7 s8 s9.
    // Groups of ceil(27 % of 10) = 3: strongest s0 s1 s2, weakest s7 s8 s9.
    // Halves of 5: stronger s0 s1 s2 s3 s5, weaker s4 s6 s7 s8 s9.
    for s in 0..10u128 {
        let token = student_by_link(&app, &format!("student{s}"), Some(&code)).await;
        // After joining (whole seconds), so that the class sees every answer.
        let t0 = now_ms() + 1000;
        let mut reviews = Vec::new();
        let mut add = |card: &str, right: bool, given: &str, minute: i64| {
            let n = s * 100 + reviews.len() as u128 + 1;
            reviews.push(serde_json::json!({
                "id": uuid::Uuid::from_u128(n).to_string(),
                "card_id": card,
                "rating": if right { 3 } else { 1 },
                "answered_at": t0 + 1000 + minute * 30_000,
                "duration_ms": 1500,
                "given_answer": given,
            }));
        };
        add(&a, s < 9, if s < 9 { "" } else { "1950" }, 0);
        if s == 9 {
            add(&a, true, "", 1);
        }
        add(
            &b,
            s < 4,
            match s {
                0..=3 => "",
                4..=6 => "1980",
                _ => "1990",
            },
            2,
        );
        add(&c, [0, 5, 9].contains(&s), "", 3);
        if s < 2 {
            add(&d, true, "", 4);
        }
        let (status, body) = app
            .sync(
                &token,
                &serde_json::json!({"device_id": "d", "cursor": null, "reviews": reviews}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["rejected"].as_array().unwrap().len(), 0, "{body}");
    }
    // Someone outside the class answers everything wrong: not counted.
    let outsider = student_by_link(&app, "outsider", None).await;
    let t0 = now_ms() + 1000;
    let wrong: Vec<_> = [&a, &b, &c]
        .iter()
        .enumerate()
        .map(|(i, card)| {
            serde_json::json!({"id": uuid::Uuid::from_u128(9000 + i as u128).to_string(),
                "card_id": card, "rating": 1, "answered_at": t0 + 1000, "duration_ms": 1,
                "given_answer": "1950"})
        })
        .collect();
    app.sync(
        &outsider,
        &serde_json::json!({"device_id": "d", "cursor": null, "reviews": wrong}),
    )
    .await;

    app.client = teacher;
    let page = app
        .get_html(&format!(
            "/classes/{class}/assignments/{assignment}/analysis"
        ))
        .await;
    assert!(page.contains("10 students have answered"), "{page}");

    let item = item_text(&page, &a);
    assert!(
        item.contains("Facility 0.90 (9 of 10 right the first time)"),
        "{item}"
    );
    assert!(
        item.contains("Discrimination +0.33 (strongest: 3 of 3 right; weakest: 2 of 3)"),
        "{item}"
    );
    assert!(item.contains("Nearly everyone got it right"), "{item}");
    assert!(
        item.contains("1950 0 1"),
        "wrong answer, stronger, weaker: {item}"
    );

    let item = item_text(&page, &b);
    assert!(
        item.contains("Facility 0.40 (4 of 10 right the first time)"),
        "{item}"
    );
    assert!(
        item.contains("+1.00 (strongest: 3 of 3 right; weakest: 0 of 3)"),
        "{item}"
    );
    assert!(!item.contains("Look at this question"), "{item}");
    assert!(
        item.contains("1990 0 3") && item.contains("1980 1 2"),
        "{item}"
    );

    let item = item_text(&page, &c);
    assert!(
        item.contains("Facility 0.30 (3 of 10 right the first time)"),
        "{item}"
    );
    assert!(
        item.contains("+0.00 (strongest: 1 of 3 right; weakest: 1 of 3)"),
        "{item}"
    );
    assert!(item.contains("Strong students did no better"), "{item}");
    assert!(
        !item.contains("Most got it wrong"),
        "0.30 is not below 0.30: {item}"
    );

    let item = item_text(&page, &d);
    assert!(
        item.contains("Not enough answers yet: 2 of the 5 needed."),
        "{item}"
    );

    // Flagged questions come first.
    assert!(page.find(&format!("data-card=\"{a}\"")) < page.find(&format!("data-card=\"{b}\"")));
}
