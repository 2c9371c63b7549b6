use crate::helpers::{
    PASSWORD, TestApp, assert_is_redirect_to, client, field, listed_under, spawn_app,
};
use reqwest::{Client, StatusCode};

/// Registers a user on a fresh client and returns that client, signed in.
async fn sign_up(app: &mut TestApp, username: &str, role: &str) -> Client {
    app.client = client();
    let r = app.post_register(username, PASSWORD, role).await;
    assert_is_redirect_to(&r, "/");
    app.client.clone()
}

fn as_user(app: &mut TestApp, c: &Client) {
    app.client = c.clone();
}

/// The id at the end of a redirect such as `/classes/7`.
fn id_from(r: &reqwest::Response) -> i64 {
    let location = r.headers()["Location"].to_str().unwrap();
    location.rsplit('/').next().unwrap().parse().unwrap()
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let token = app.csrf_from("/account").await;
    let mut pairs = vec![("csrf_token", token.as_str())];
    pairs.extend_from_slice(form);
    app.post_form(path, &pairs).await
}

fn date_in_days(days: i64) -> String {
    let d = time::OffsetDateTime::now_utc().date() + time::Duration::days(days);
    format!("{}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

async fn create_class(app: &TestApp, name: &str) -> i64 {
    let r = post(app, "/classes", &[("name", name)]).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    id_from(&r)
}

async fn create_date_assignment(app: &TestApp, class: i64, title: &str, due: &str) -> i64 {
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

fn join_code(app: &TestApp, class: i64) -> String {
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
async fn study_assignment(
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
            "SELECT card_id, given_answer FROM reviews WHERE correct = 0 ORDER BY given_answer",
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
    assert_eq!(&alice_row[col("due_date")], due.as_str());

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
    let r = post(
        &app,
        &format!("/classes/{class}/review"),
        &[("from", &assignment.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let review = id_from(&r);
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
            "Write the due date as YYYY-MM-DD.",
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
            vec![],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/review"),
            vec![("from", "".into())],
            [303, 404, 404, 400, 404],
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
            vec![],
            [303, 404, 404, 303, 404],
        ),
        (
            "POST",
            format!("/classes/{c}/students/{dave}/remove"),
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
    assert_eq!(app.count("SELECT COUNT(*) FROM class_members"), 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM assignments"), 0);
    let _ = owner;
}
