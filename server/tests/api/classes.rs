use crate::helpers::{
    PASSWORD, TestApp, assert_is_redirect_to, client, field, listed_under, spawn_app,
};
use reqwest::{Client, StatusCode};

/// Registers a user on a fresh client and returns that client, signed in.
pub(crate) async fn sign_up(app: &mut TestApp, username: &str, role: &str) -> Client {
    app.client = client();
    let r = app.post_register(username, PASSWORD, role).await;
    assert_is_redirect_to(&r, "/");
    app.client.clone()
}

pub(crate) fn as_user(app: &mut TestApp, c: &Client) {
    app.client = c.clone();
}

/// The id at the end of a redirect such as `/classes/7`.
pub(crate) fn id_from(r: &reqwest::Response) -> i64 {
    let location = r.headers()["Location"].to_str().unwrap();
    location.rsplit('/').next().unwrap().parse().unwrap()
}

pub(crate) async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let token = app.csrf_from("/account").await;
    let mut pairs = vec![("csrf_token", token.as_str())];
    pairs.extend_from_slice(form);
    app.post_form(path, &pairs).await
}

pub(crate) fn date_in_days(days: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    format!("{}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

pub(crate) async fn create_class(app: &TestApp, name: &str) -> i64 {
    let r = post(app, "/classes", &[("name", name)]).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    id_from(&r)
}

pub(crate) async fn create_date_assignment(
    app: &TestApp,
    class: i64,
    title: &str,
    due: &str,
) -> i64 {
    let r = post(
        app,
        &format!("/classes/{class}/assignments"),
        &[
            ("title", title),
            ("deck", "fixture"),
            ("kinds", "date"),
            ("goal", "right_once"),
            ("due_date", due),
        ],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    id_from(&r)
}

pub(crate) fn join_code(app: &TestApp, class: i64) -> String {
    app.db()
        .query_row(
            "SELECT join_code FROM classes WHERE id = ?1",
            [class],
            |r| r.get(0),
        )
        .unwrap()
}

/// Studies an assignment until the done page, missing the first `misses` questions once.
/// Returns the wrong answers given, by card.
pub(crate) async fn study_assignment(
    app: &TestApp,
    assignment: i64,
    misses: usize,
    stop_after: Option<usize>,
) -> Vec<String> {
    let mut missed = Vec::new();
    for i in 0..200 {
        if stop_after == Some(i) {
            return missed;
        }
        let page = app
            .get_html(&format!("/study?assignment={assignment}"))
            .await;
        if page.contains("You have finished") {
            return missed;
        }
        assert!(page.contains("cards done"), "{page}");
        let card = field(&page, "card_id").unwrap();
        let right = i >= misses;
        if !right {
            missed.push(card);
        }
        let result = app.answer_page(&page, right).await;
        assert!(result.contains(&format!("/study?assignment={assignment}")));
    }
    panic!("the assignment never finished");
}

/// The value of the input named `name` in a page, whatever the order of its attributes.
pub(crate) fn input_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let v = tag.find("value=\"")? + "value=\"".len();
    Some(crate::helpers::unescape(&tag[v..v + tag[v..].find('"')?]))
}

/// Opens the prefilled review form (`from` = an assignment id or empty), checks it published
/// nothing, saves it as it stands and returns the new assignment's id.
pub(crate) async fn save_review_form(app: &TestApp, class: i64, from: &str) -> i64 {
    let before = app.count("SELECT COUNT(*) FROM assignments");
    let form = app
        .get_html(&format!("/classes/{class}/review?from={from}"))
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assignments"),
        before,
        "opening the review form publishes nothing"
    );
    let fields = crate::helpers::hidden_fields(&form);
    let mut pairs: Vec<(String, String)> = fields
        .into_iter()
        .filter(|(n, _)| n != "csrf_token")
        .collect();
    pairs.push(("title".into(), input_value(&form, "title").unwrap()));
    pairs.push(("due_date".into(), input_value(&form, "due_date").unwrap()));
    pairs.push(("goal".into(), "right_once".into()));
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = post(app, &format!("/classes/{class}/assignments"), &pairs).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    id_from(&r)
}

#[tokio::test]
async fn a_class_with_two_students_shows_exactly_what_they_did() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "History \"9A\", <b>Vietnam</b>").await;
    let page = app.get_html(&format!("/classes/{class}")).await;
    assert!(
        page.contains("History &#34;9A&#34;, &#60;b&#62;Vietnam&#60;/b&#62;"),
        "names are escaped: {page}"
    );
    assert!(!page.contains("<b>Vietnam</b>"));
    let due = date_in_days(2);
    let assignment = create_date_assignment(&app, class, "Dates <i>first</i>", &due).await;
    let date_cards = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.id.ends_with("/date"))
        .count() as i64;
    assert!(date_cards >= 5);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM assignment_cards"),
        date_cards
    );
    let code = join_code(&app, class);

    // Alice joins by typing the code; Bob follows the link.
    let alice = sign_up(&mut app, "alice", "learner").await;
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let r = post(&app, "/classes/join", &[("code", &typed)]).await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    let bob = sign_up(&mut app, "bob", "learner").await;
    let join = app.get_html(&format!("/join/{code}")).await;
    assert!(join.contains("Join the class"));
    let r = post(&app, "/classes/join", &[("code", &code)]).await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    assert_eq!(app.count("SELECT COUNT(*) FROM class_members"), 2);
    let dashboard = app.get_html("/").await;
    assert!(
        dashboard.contains("Dates &#60;i&#62;first&#60;/i&#62;"),
        "titles are escaped: {dashboard}"
    );
    assert!(
        dashboard.contains(&format!("</span> 0 of {date_cards} cards done")),
        "{dashboard}"
    );

    // Alice works diligently (two misses, then everything right); Bob answers once, wrong.
    as_user(&mut app, &alice);
    let alice_id = app.user_id("alice");
    let alice_missed = study_assignment(&app, assignment, 2, None).await;
    assert_eq!(alice_missed.len(), 2);
    as_user(&mut app, &bob);
    let bob_id = app.user_id("bob");
    let bob_missed = study_assignment(&app, assignment, 1, Some(1)).await;
    assert_eq!(bob_missed.len(), 1);
    // Answers count in the learner's own schedule too: one review log.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM card_states WHERE user_id = {bob_id}"
        )),
        1
    );

    // The teacher's class page: Alice finished, Bob is behind (due in two days).
    as_user(&mut app, &teacher);
    let page = app.get_html(&format!("/classes/{class}")).await;
    assert!(
        page.contains(&format!("{date_cards}/{date_cards}")),
        "{page}"
    );
    assert!(
        page.contains(&format!("0/{date_cards} <strong class=\"behind\"")),
        "{page}"
    );
    assert!(
        page.contains("1 of 2"),
        "one of two students finished: {page}"
    );
    let alice_reviews = app.count(&format!(
        "SELECT COUNT(*) FROM reviews WHERE user_id = {alice_id}"
    ));
    assert_eq!(alice_reviews, date_cards + 2);

    // Most missed: every missed card, with the wrong answer given.
    let missed_page = app.get_html(&format!("/classes/{class}/missed")).await;
    let mut all_missed: Vec<&String> = alice_missed.iter().chain(&bob_missed).collect();
    all_missed.sort();
    all_missed.dedup();
    let rows = missed_page.matches("<tr>").count() - 1;
    assert_eq!(rows, all_missed.len(), "{missed_page}");
    let conn = app.db();
    let wrong: Vec<(String, String)> = conn
        .prepare(
            "SELECT card_id, given_answer FROM reviews_as_text WHERE correct = 0 ORDER BY given_answer",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(wrong.len(), 3);
    // Each card shows its most common wrong answer (ties: the first alphabetically).
    for card in &all_missed {
        let first = &wrong.iter().find(|(c, _)| c == *card).unwrap().1;
        let shown = format!("<td>{} <span class=\"help\">(1×)</span></td>", first);
        assert!(missed_page.contains(&shown), "{shown} in {missed_page}");
    }

    // Per student and assignment: header + 2 rows; UTF-8 with BOM, CRLF, proper quoting.
    let r = app
        .get(&format!("/classes/{class}/export/students.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = r.bytes().await.unwrap();
    assert!(body.starts_with("\u{feff}".as_bytes()));
    let text = std::str::from_utf8(&body[3..]).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert!(text.contains("\r\n"));
    let alice_row = rows
        .iter()
        .find(|r| &r[col("username")] == "alice")
        .unwrap();
    let bob_row = rows.iter().find(|r| &r[col("username")] == "bob").unwrap();
    assert_eq!(&alice_row[col("class")], "History \"9A\", <b>Vietnam</b>");
    assert_eq!(
        &alice_row[col("cards_done")],
        date_cards.to_string().as_str()
    );
    assert_eq!(&alice_row[col("complete")], "yes");
    assert_eq!(&bob_row[col("cards_done")], "0");
    assert_eq!(&bob_row[col("behind")], "yes");
    assert_eq!(&bob_row[col("answers_last_7_days")], "1");
    // A bare date is due at the end of that day on the teacher's clock (the server's zone,
    // UTC here), exported as an ISO UTC instant.
    assert_eq!(&alice_row[col("due_date")], format!("{due}T23:59:00Z"));

    // Per question: one row per card of the assignment, misses as in the log.
    let r = app
        .get(&format!("/classes/{class}/export/questions.csv"))
        .await;
    let body = r.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as i64, date_cards);
    let total_misses: i64 = rows
        .iter()
        .map(|r| r[col("misses")].parse::<i64>().unwrap())
        .sum();
    assert_eq!(total_misses, 3);
    let total_answers: i64 = rows
        .iter()
        .map(|r| r[col("answers")].parse::<i64>().unwrap())
        .sum();
    assert_eq!(total_answers, alice_reviews + 1);

    // Bob's page in the class shows his missed question; one click makes a review assignment.
    let page = app
        .get_html(&format!("/classes/{class}/students/{bob_id}"))
        .await;
    let bob_given: Vec<String> = app
        .db()
        .prepare(&format!(
            "SELECT given_answer FROM reviews WHERE user_id = {bob_id} AND correct = 0"
        ))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(bob_given.len(), 1);
    assert_eq!(listed_under(&page, "Their answer"), bob_given, "{page}");
    let review = save_review_form(&app, class, &assignment.to_string()).await;
    let mut review_cards: Vec<String> = app
        .db()
        .prepare("SELECT card_id FROM assignment_cards WHERE assignment_id = ?1 ORDER BY card_id")
        .unwrap()
        .query_map([review], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    review_cards.sort();
    let mut expected: Vec<String> = all_missed.into_iter().cloned().collect();
    expected.sort();
    assert_eq!(review_cards, expected);

    // Bob studies the review assignment from his dashboard link: only those cards.
    as_user(&mut app, &bob);
    let link = format!("href=\"/study?assignment={review}\"");
    assert!(
        app.get_html("/").await.contains(&link),
        "the dashboard links it"
    );
    let mut studied = Vec::new();
    for _ in 0..=expected.len() {
        let page = app.get_html(&format!("/study?assignment={review}")).await;
        if page.contains("You have finished") {
            break;
        }
        let card = field(&page, "card_id").unwrap();
        studied.push(card);
        app.answer_page(&page, true).await;
    }
    studied.sort();
    assert_eq!(studied, expected, "exactly the review's cards, each once");
}

#[tokio::test]
async fn bad_class_input_shows_a_message_and_changes_nothing() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let r = post(&app, "/classes", &[("name", "   ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Give the class a name."));
    assert_eq!(app.count("SELECT COUNT(*) FROM classes"), 0);
    let class = create_class(&app, "9A").await;
    let base = [("title", "T"), ("deck", "fixture"), ("goal", "right_once")];
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("title", ""), ("kinds", "date")],
            "Give the assignment a title.",
        ),
        (vec![], "Pick at least one kind of question."),
        (
            vec![("kinds", "date"), ("due_date", "2001-01-01")],
            "The due date is in the past.",
        ),
        (
            vec![("kinds", "date"), ("due_date", "next week")],
            "Write the due date as YYYY-MM-DD, with a time (HH:MM) if you like.",
        ),
        (
            vec![("kinds", "speaker"), ("events", "event-3")],
            "This selection has no questions",
        ),
        (
            vec![("kinds", "date"), ("eras", "no-such-era")],
            "Not in this deck: era",
        ),
        (
            vec![
                ("kinds", "date"),
                ("goal", "stability"),
                ("stability_days", "0"),
            ],
            "from 1 to 365",
        ),
    ];
    for (extra, message) in cases {
        let mut form: Vec<(&str, &str)> = base
            .iter()
            .copied()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .collect();
        form.extend(extra);
        let r = post(&app, &format!("/classes/{class}/assignments"), &form).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{message} in {page}");
        assert!(page.contains("class=\"field-error\""));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM assignment_cards"), 0);

    sign_up(&mut app, "carol", "learner").await;
    let r = post(&app, "/classes/join", &[("code", "ABCD-EFGH")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("No open class has that code")
    );
    let r = post(&app, "/classes/join", &[("code", "nope")]).await;
    assert!(r.text().await.unwrap().contains("8 letters and digits"));
    assert_eq!(app.count("SELECT COUNT(*) FROM class_members"), 0);
}

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    InClass,
    NotInClass,
    Owner,
    OtherTeacher,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::NotInClass,
    Who::OtherTeacher,
    Who::InClass,
    Who::Owner,
];

/// Every row of the tables a class's routes write, to compare before and after a request.
fn class_tables(app: &TestApp) -> Vec<String> {
    let conn = app.db();
    let mut rows = Vec::new();
    for sql in [
        "SELECT id || ' ' || name || ' ' || join_code || ' ' || IFNULL(archived_at, '-') FROM classes",
        "SELECT class_id || ' ' || user_id FROM class_members",
        "SELECT id || ' ' || title || ' ' || IFNULL(due_date, '-') FROM assignments",
        "SELECT assignment_id || ' ' || card_id FROM assignment_cards",
    ] {
        let mut stmt = conn.prepare(&format!("{sql} ORDER BY 1")).unwrap();
        rows.extend(
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap),
        );
    }
    rows
}

/// Every route of classes and assignments x every kind of visitor, with the expected status.
/// POSTs carry the visitor's own valid CSRF token, so only authorization can refuse them.
#[tokio::test]
async fn authorization_matrix() {
    let mut app = spawn_app().await;
    let owner = sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "9A").await;
    let assignment = create_date_assignment(&app, class, "Dates", "").await;
    let code = join_code(&app, class);
    let in_class = sign_up(&mut app, "alice", "learner").await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let leaver = sign_up(&mut app, "dave", "learner").await;
    post(&app, "/classes/join", &[("code", &code)]).await;
    let dave = app.user_id("dave");
    let alice = app.user_id("alice");
    let not_in_class = sign_up(&mut app, "carol", "learner").await;
    let other_learner = app.user_id("carol");
    let other_teacher = sign_up(&mut app, "mr-other", "teacher").await;
    as_user(&mut app, &other_teacher);
    let other_class = create_class(&app, "Other class").await;
    let _ = leaver;

    let c = class;
    let a = assignment;
    // (method, path, form, [anonymous, in class, not in class, owner, other teacher])
    type Row = (&'static str, String, Vec<(&'static str, String)>, [u16; 5]);
    let rows: Vec<Row> = vec![
        (
            "GET",
            format!("/classes/{c}"),
            vec![],
            [303, 200, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/assignments/{a}"),
            vec![],
            [303, 200, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/assignments/new"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/assignments/{a}/edit"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/assignments/{a}/analysis"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{other_class}/assignments/{a}/analysis"),
            vec![],
            [303, 404, 404, 404, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/missed"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/students/{alice}"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/export/students.csv"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/export/questions.csv"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/export/gradebook.csv"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/study?assignment={a}"),
            vec![],
            [303, 200, 404, 404, 404],
        ),
        (
            "GET",
            format!("/classes/{other_class}"),
            vec![],
            [303, 404, 404, 404, 200],
        ),
        (
            "GET",
            format!("/classes/{c}/assignments/999999"),
            vec![],
            [303, 404, 404, 404, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/students/999999"),
            vec![],
            [303, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/rename"),
            // Each visitor asks for a name of their own, so the name left says who succeeded.
            vec![("name", "9A (renamed by {who})".into())],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/code"),
            vec![("confirm", "yes".into())],
            [303, 404, 404, 303, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/review?from="),
            vec![],
            [303, 404, 404, 400, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/review?from={a}"),
            vec![],
            [303, 404, 404, 400, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/code"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/assignments/{a}/delete"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/students/{alice}/remove"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/students/{alice}/reset"),
            vec![],
            [303, 404, 404, 200, 404],
        ),
        (
            "GET",
            format!("/classes/{c}/students/999999/reset"),
            vec![],
            [303, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/students/{alice}/reset"),
            vec![("confirm", "yes".into())],
            [303, 404, 404, 200, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/students/{other_learner}/reset"),
            vec![("confirm", "yes".into())],
            [303, 404, 404, 404, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/assignments"),
            vec![("title", "".into())],
            [303, 404, 404, 422, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/assignments/{a}"),
            vec![("title", "".into())],
            [303, 404, 404, 422, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/archive"),
            vec![("archived", "0".into())],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/assignments/{a}/delete"),
            vec![("confirm", "yes".into())],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/students/{dave}/remove"),
            vec![("confirm", "yes".into())],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/students/{dave}/readmit"),
            vec![],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/leave"),
            vec![],
            [303, 303, 404, 404, 404],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, form, expected) in &rows {
        for who in EVERYONE {
            let (c, index) = match who {
                Who::Anonymous => (client(), 0),
                Who::InClass => (in_class.clone(), 1),
                Who::NotInClass => (not_in_class.clone(), 2),
                Who::Owner => (owner.clone(), 3),
                Who::OtherTeacher => (other_teacher.clone(), 4),
            };
            as_user(&mut app, &c);
            let status = if *method == "GET" {
                app.get(path).await.status().as_u16()
            } else {
                let token = if matches!(who, Who::Anonymous) {
                    app.csrf_from("/login").await
                } else {
                    app.csrf_from("/account").await
                };
                let values: Vec<(&str, String)> = form
                    .iter()
                    .map(|(k, v)| (*k, v.replace("{who}", &format!("{who:?}"))))
                    .collect();
                let mut pairs: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
                pairs.extend(values.iter().map(|(k, v)| (*k, v.as_str())));
                let before = class_tables(&app);
                let status = app.post_form(path, &pairs).await.status().as_u16();
                // A refused POST (an error, or the anonymous visitor sent to log in) changes
                // nothing, whoever comes after.
                if (status >= 400 || matches!(who, Who::Anonymous)) && class_tables(&app) != before
                {
                    failures.push(format!("{method} {path} as {who:?} was refused but wrote"));
                }
                status
            };
            if status != expected[index] {
                failures.push(format!(
                    "{method} {path} as {who:?}: got {status}, expected {}",
                    expected[index]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The refused POSTs changed nothing: the name is the one the owner asked for, and the
    // other teacher's class (which nobody posted to) keeps its name and stays open.
    let name_of = |id: i64| -> (String, Option<i64>) {
        app.db()
            .query_row(
                "SELECT name, archived_at FROM classes WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    };
    assert_eq!(name_of(class), ("9A (renamed by Owner)".to_string(), None));
    assert_eq!(name_of(other_class), ("Other class".to_string(), None));
    // Alice left; Dave was removed and then re-admitted by the owner alone.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM class_members"),
        1,
        "only Dave, re-admitted"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT user_id FROM class_members WHERE class_id = {class}"
        )),
        dave
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM password_resets"),
        1,
        "one link, the owner's, for a student of the class"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM password_resets WHERE user_id = {alice}"
        )),
        1
    );
    let _ = owner;
}

#[tokio::test]
async fn a_removed_student_cannot_rejoin_with_the_same_code_until_the_teacher_readmits_them() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "9A").await;
    let code = join_code(&app, class);
    let bob = sign_up(&mut app, "bob", "learner").await;
    assert_is_redirect_to(
        &post(&app, "/classes/join", &[("code", &code)]).await,
        &format!("/classes/{class}"),
    );
    let bob_id = app.user_id("bob");

    as_user(&mut app, &teacher);
    let r = post(
        &app,
        &format!("/classes/{class}/students/{bob_id}/remove"),
        &[("confirm", "yes")],
    )
    .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    let page = app.get_html(&format!("/classes/{class}")).await;
    assert!(page.contains("Removed students"), "{page}");
    assert!(
        page.contains(&format!("/students/{bob_id}/readmit")),
        "{page}"
    );

    as_user(&mut app, &bob);
    let r = post(&app, "/classes/join", &[("code", &code)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Your teacher removed you from this class"),
        "{page}"
    );
    assert!(
        page.contains("class=\"field-error\""),
        "the message is at the field"
    );
    assert!(
        page.contains(&format!("value=\"{code}\"")),
        "what was typed is kept"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM class_members"), 0);
    let link = app.get(&format!("/join/{code}")).await;
    assert_eq!(
        link.status(),
        StatusCode::FORBIDDEN,
        "nor with the join link"
    );
    assert_eq!(
        app.get(&format!("/classes/{class}")).await.status(),
        StatusCode::NOT_FOUND
    );

    as_user(&mut app, &teacher);
    let r = post(
        &app,
        &format!("/classes/{class}/students/{bob_id}/readmit"),
        &[],
    )
    .await;
    assert_is_redirect_to(&r, &format!("/classes/{class}"));
    let page = app.get_html(&format!("/classes/{class}")).await;
    assert!(!page.contains("Removed students"), "{page}");
    as_user(&mut app, &bob);
    assert_eq!(
        app.get(&format!("/classes/{class}")).await.status(),
        StatusCode::OK
    );
    // Leaving by oneself bars nothing.
    post(&app, &format!("/classes/{class}/leave"), &[]).await;
    assert_is_redirect_to(
        &post(&app, "/classes/join", &[("code", &code)]).await,
        &format!("/classes/{class}"),
    );
}

#[tokio::test]
async fn wrong_join_codes_are_throttled_per_account_and_per_address() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "9A").await;
    let code = join_code(&app, class);
    let _carol = sign_up(&mut app, "carol", "learner").await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        let guess = format!(
            "ABCD-EF{}{}",
            (b'A' + n / 8) as char,
            (b'A' + n % 8) as char
        );
        statuses.push(
            post(&app, "/classes/join", &[("code", &guess)])
                .await
                .status(),
        );
    }
    let first_429 = statuses
        .iter()
        .position(|s| *s == StatusCode::TOO_MANY_REQUESTS)
        .expect("guessing is throttled");
    assert_eq!(first_429, 11, "ten wrong codes, then a wait: {statuses:?}");
    let r = post(&app, "/classes/join", &[("code", &code)]).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right code waits"
    );
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Too many wrong codes. Try again in"),
        "{page}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM class_members"), 0);

    // Many accounts from one address: the address runs out too.
    let mut throttled = false;
    for n in 0..4 {
        sign_up(&mut app, &format!("guesser{n}"), "learner").await;
        for m in 0..10u8 {
            let guess = format!("ZZZZ-ZZ{}{}", (b'A' + n) as char, (b'A' + m) as char);
            let s = post(&app, "/classes/join", &[("code", &guess)])
                .await
                .status();
            throttled |= s == StatusCode::TOO_MANY_REQUESTS;
        }
    }
    assert!(throttled, "forty wrong codes from one address, then a wait");
}

#[tokio::test]
async fn control_characters_in_class_names_and_assignment_titles_are_refused_at_the_field() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    for name in ["9A\u{0}", "9A \u{202E}Sneaky", "Nine\u{2066}A"] {
        let r = post(&app, "/classes", &[("name", name)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains("invisible control character"), "{page}");
        assert!(page.contains("class=\"field-error\""));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM classes"), 0);
    let class = create_class(&app, "9A").await;
    let r = post(
        &app,
        &format!("/classes/{class}/rename"),
        &[("name", "9B\u{202D}")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("9B\u{202D}"), "what was typed is kept");
    assert!(page.contains("U+202D"), "{page}");
    let form = [
        ("title", "Dates\u{202E}"),
        ("deck", "fixture"),
        ("kinds", "date"),
        ("goal", "right_once"),
    ];
    let r = post(&app, &format!("/classes/{class}/assignments"), &form).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("invisible control character"), "{page}");
    assert!(page.contains("Dates\u{202E}"), "what was typed is kept");
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 0);
    let name: String = app
        .db()
        .query_row("SELECT name FROM classes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "9A");
}

/// The roster's row, from the student's link to the end of the row.
fn roster_row(page: &str, class: i64, student: i64) -> &str {
    let start = page
        .find(&format!("<a href=\"/classes/{class}/students/{student}\">"))
        .unwrap_or_else(|| panic!("student {student} on the roster: {page}"));
    let row = &page[start..];
    &row[..row.find("</tr>").unwrap()]
}

/// Every figure of the roster (cards done per goal, cards learned, accuracy over 7 days,
/// last active) and the learner's own progress, checked against a history synced with known
/// times: answers before joining or before an assignment was set count only where they
/// should.
#[tokio::test]
async fn the_roster_and_the_learners_progress_count_each_answer_from_the_right_moment() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let class = create_class(&app, "10B").await;
    let once = create_date_assignment(&app, class, "Dates once", &date_in_days(10)).await;
    let r = post(
        &app,
        &format!("/classes/{class}/assignments"),
        &[
            ("title", "Dates held"),
            ("deck", "fixture"),
            ("kinds", "date"),
            ("goal", "stability"),
            ("stability_days", "1"),
            ("due_date", &date_in_days(10)),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let held = id_from(&r);
    let code = join_code(&app, class);
    let total = app.count(&format!(
        "SELECT COUNT(*) FROM assignment_cards WHERE assignment_id = {once}"
    ));
    let cards: Vec<String> = app
        .catalog
        .cards
        .iter()
        .filter(|c| c.id.ends_with("/date"))
        .take(6)
        .map(|c| c.id.to_string())
        .collect();
    for name in ["alice", "bob"] {
        sign_up(&mut app, name, "learner").await;
        let r = post(&app, "/classes/join", &[("code", &code)]).await;
        assert_is_redirect_to(&r, &format!("/classes/{class}"));
    }
    let (alice, bob) = (app.user_id("alice"), app.user_id("bob"));
    // Alice joined 30 days ago and both assignments were set 25 days ago.
    const DAY: i64 = 86_400_000;
    let now = crate::helpers::now_ms();
    let conn = app.db();
    conn.execute(
        "UPDATE class_members SET joined_at = ?1 WHERE user_id = ?2",
        rusqlite::params![(now - 30 * DAY) / 1000, alice],
    )
    .unwrap();
    conn.execute(
        "UPDATE assignments SET created_at = ?1",
        [(now - 25 * DAY) / 1000],
    )
    .unwrap();
    // (card, rating, days ago): before joining; after joining but before the assignments;
    // right 20 days ago; wrong 2 days ago; right yesterday; one card answered right four
    // times so that it graduates.
    let plan: Vec<(usize, i64, i64)> = vec![
        (0, 3, 40),
        (1, 3, 28),
        (2, 3, 20),
        (3, 1, 2),
        (4, 3, 1),
        (5, 3, 24),
        (5, 3, 22),
        (5, 3, 18),
        (5, 3, 10),
    ];
    let token_of = |name: &'static str| {
        let app = &app;
        async move {
            let r = client()
                .post(app.url("/api/v1/tokens"))
                .json(&serde_json::json!({
                    "username": name, "password": PASSWORD, "device_name": "phone"
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<serde_json::Value>().await.unwrap()["token"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let reviews: Vec<serde_json::Value> = plan
        .iter()
        .enumerate()
        .map(|(i, (card, rating, ago))| {
            crate::helpers::review(i as u128, &cards[*card], *rating, now - ago * DAY, 0)
        })
        .collect();
    let body = serde_json::json!({ "device_id": "phone", "cursor": null, "reviews": reviews });
    let (status, _) = app.sync(&token_of("alice").await, &body).await;
    assert_eq!(status, StatusCode::OK);
    // Bob answered once, right, five days before he joined (today).
    let body = serde_json::json!({ "device_id": "phone", "cursor": null, "reviews": [
        crate::helpers::review(100, &cards[2], 3, now - 5 * DAY, 0)
    ]});
    let (status, _) = app.sync(&token_of("bob").await, &body).await;
    assert_eq!(status, StatusCode::OK);

    // What each figure must be, from the plan above and the stored card states.
    let set_at = now - 25 * DAY;
    let mut right_once: Vec<usize> = plan
        .iter()
        .filter(|(_, rating, ago)| *rating > 1 && now - ago * DAY >= set_at)
        .map(|(card, ..)| *card)
        .collect();
    right_once.sort();
    right_once.dedup();
    assert_eq!(right_once, vec![2, 4, 5]);
    let graduated = |user: i64, min_stability: f64| {
        app.count(&format!(
            "SELECT COUNT(*) FROM card_states s JOIN assignment_cards ac
               ON ac.card_id = s.card_id AND ac.assignment_id = {held}
             WHERE s.user_id = {user} AND s.state = 'review' AND s.stability >= {min_stability}"
        ))
    };
    let (alice_held, alice_learned) = (graduated(alice, 1.0), graduated(alice, 0.0));
    assert!(alice_held >= 1, "the card answered four times graduated");
    let held_total = app.count(&format!(
        "SELECT COUNT(*) FROM assignment_cards WHERE assignment_id = {held}"
    ));

    as_user(&mut app, &teacher);
    let page = app.get_html(&format!("/classes/{class}")).await;
    // Assignments are listed soonest due first; both are due the same day, then by id.
    let row = roster_row(&page, class, alice);
    let cells: Vec<&str> = row
        .split("<td class=\"progress-cell\">")
        .skip(1)
        .map(|c| &c[..c.find(['<', ' ']).unwrap()])
        .collect();
    assert_eq!(
        cells,
        vec![
            format!("{}/{total}", right_once.len()),
            format!("{alice_held}/{held_total}")
        ],
        "{row}"
    );
    assert!(
        row.contains(&format!("<td>{alice_learned}</td><td>50% of 2</td>")),
        "one of the two answers of the last 7 days was right: {row}"
    );
    assert!(!row.contains("never"), "{row}");
    let row = roster_row(&page, class, bob);
    assert!(
        row.contains(&format!("<td class=\"progress-cell\">0/{total}")),
        "Bob's right answer came before he joined: {row}"
    );
    assert!(
        row.contains("<td>—</td><td class=\"when\">never</td>"),
        "{row}"
    );

    // The export says when Alice was last active, to the minute.
    let body = app
        .get(&format!("/classes/{class}/export/students.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let alice_row = rows
        .iter()
        .find(|r| &r[col("username")] == "alice")
        .unwrap();
    let yesterday = time::OffsetDateTime::from_unix_timestamp((now - DAY) / 1000).unwrap();
    assert_eq!(
        &alice_row[col("last_active")],
        format!(
            "{}-{:02}-{:02} {:02}:{:02} UTC",
            yesterday.year(),
            yesterday.month() as u8,
            yesterday.day(),
            yesterday.hour(),
            yesterday.minute()
        )
    );
    assert_eq!(&alice_row[col("answers_last_7_days")], "2");
    assert_eq!(&alice_row[col("right_last_7_days")], "1");

    // Alice's own class page agrees with her teacher's.
    app.client = client();
    let r = app.post_login("alice", PASSWORD).await;
    assert_is_redirect_to(&r, "/");
    let mine = app.get_html(&format!("/classes/{class}")).await;
    assert!(
        mine.contains(&format!(
            "</span> {} of {total} cards done",
            right_once.len()
        )),
        "{mine}"
    );
    assert!(
        mine.contains(&format!("</span> {alice_held} of {held_total} cards done")),
        "{mine}"
    );
    let dashboard = app.get_html("/").await;
    assert!(
        dashboard.contains(&format!(
            "</span> {} of {total} cards done",
            right_once.len()
        )),
        "{dashboard}"
    );
    assert!(
        dashboard.contains(&format!("</span> {alice_held} of {held_total} cards done")),
        "{dashboard}"
    );
}
