//! The learner's dashboard keeps their assignments in memory between visits: whatever a
//! teacher changes, and whatever the learner answers, shows on the next visit at once.

use crate::classes::{
    as_user, create_class, create_date_assignment, date_in_days, id_from, join_code, post, sign_up,
};
use crate::helpers::{assert_is_redirect_to, field, spawn_app};

/// The dashboard's line for the assignment titled `title`, if it lists one.
fn listed<'a>(dashboard: &'a str, title: &str) -> Option<&'a str> {
    let at = dashboard.find(&format!("\">{title}</a></strong>"))?;
    let end = at + dashboard[at..].find("</li>")?;
    Some(&dashboard[at..end])
}

#[tokio::test]
async fn a_learners_dashboard_shows_each_change_to_their_assignments_at_once() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "10B").await;
    let code = join_code(&app, class);
    let learner = sign_up(&mut app, "alice", "learner").await;
    let r = post(&app, "/classes/join", &[("code", &code)]).await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    // Seen once with nothing set, so that there is a list kept to go out of date.
    let page = app.get_html("/").await;
    assert!(!page.contains("assignments-h"), "{page}");

    // The teacher sets work: the learner's next dashboard lists it.
    as_user(&mut app, &teacher);
    let week = create_date_assignment(&app, class, "Week 1", &date_in_days(10)).await;
    let total = app.count(&format!(
        "SELECT COUNT(*) FROM assignment_cards WHERE assignment_id = {week}"
    ));
    assert!(total > 1);
    as_user(&mut app, &learner);
    let page = app.get_html("/").await;
    let line = listed(&page, "Week 1").unwrap_or_else(|| panic!("not listed: {page}"));
    assert!(line.contains("10B · due"), "{line}");
    assert!(line.contains(&format!("0 of {total} cards done")), "{line}");

    // One card answered right: one done, on the very next visit.
    let question = app.get_html(&format!("/study?assignment={week}")).await;
    assert!(field(&question, "card_id").is_some(), "{question}");
    app.answer_page(&question, true).await;
    let page = app.get_html("/").await;
    let line = listed(&page, "Week 1").unwrap();
    assert!(line.contains(&format!("1 of {total} cards done")), "{line}");

    // A new name for the class, then for the assignment.
    as_user(&mut app, &teacher);
    let r = post(
        &app,
        &format!("/classes/{class}/rename"),
        &[("name", "10B History")],
    )
    .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    as_user(&mut app, &learner);
    let page = app.get_html("/").await;
    assert!(
        listed(&page, "Week 1")
            .unwrap()
            .contains("10B History · due"),
        "{page}"
    );

    // A second assignment, then the first one deleted.
    as_user(&mut app, &teacher);
    create_date_assignment(&app, class, "Week 2", &date_in_days(12)).await;
    let r = post(
        &app,
        &format!("/classes/{class}/assignments/{week}/delete"),
        &[("confirm", "yes")],
    )
    .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    as_user(&mut app, &learner);
    let page = app.get_html("/").await;
    assert!(listed(&page, "Week 1").is_none(), "{page}");
    assert!(listed(&page, "Week 2").is_some(), "{page}");

    // The class archived: nothing listed; back again: listed again.
    as_user(&mut app, &teacher);
    let r = post(
        &app,
        &format!("/classes/{class}/archive"),
        &[("archived", "1")],
    )
    .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    as_user(&mut app, &learner);
    let page = app.get_html("/").await;
    assert!(!page.contains("assignments-h"), "{page}");
    as_user(&mut app, &teacher);
    post(
        &app,
        &format!("/classes/{class}/archive"),
        &[("archived", "0")],
    )
    .await;
    as_user(&mut app, &learner);
    assert!(listed(&app.get_html("/").await, "Week 2").is_some());

    // The learner leaves: nothing listed.
    let r = post(&app, &format!("/classes/{class}/leave"), &[]).await;
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER);
    let page = app.get_html("/").await;
    assert!(!page.contains("assignments-h"), "{page}");

    // A second learner's list is their own: joining lists the class's work for them only.
    sign_up(&mut app, "bob", "learner").await;
    let page = app.get_html("/").await;
    assert!(!page.contains("assignments-h"), "{page}");
    let r = post(&app, "/classes/join", &[("code", &code)]).await;
    assert_eq!(id_from(&r), class);
    let page = app.get_html("/").await;
    assert!(listed(&page, "Week 2").is_some(), "{page}");
    as_user(&mut app, &learner);
    assert!(!app.get_html("/").await.contains("assignments-h"));
}
