//! Teachers' own decks over HTTP: upload, preview, confirm, assign, study; every problem in
//! one pass with nothing stored; a new version that keeps progress; outsiders get 404; the
//! size limits; the TOML round trip.

use crate::classes::{as_user, create_class, id_from, join_code, post, sign_up};
use crate::helpers::{AnswerKey, PASSWORD, TestApp, client, field, spawn_app, unescape};
use reqwest::{Client, Response, StatusCode};
use std::path::{Path, PathBuf};

fn teacher_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/teacher")
}

fn hundred_years() -> String {
    std::fs::read_to_string(teacher_fixtures().join("hundred-years.toml")).unwrap()
}

const BOUNDARY: &str = "chronicle-test-7f3a9c";

/// A `multipart/form-data` body: `(name, file name if a file, value)`.
fn multipart(parts: &[(&str, Option<&str>, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (name, file, value) in parts {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""
        ));
        if let Some(f) = file {
            body.push_str(&format!(
                "; filename=\"{f}\"\r\nContent-Type: application/toml"
            ));
        }
        body.push_str("\r\n\r\n");
        body.push_str(value);
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body.into_bytes()
}

async fn post_multipart(
    app: &TestApp,
    path: &str,
    parts: &[(&str, Option<&str>, &str)],
) -> Response {
    let token = app.csrf_from("/account").await;
    let mut all = vec![("csrf_token", None, token.as_str())];
    all.extend_from_slice(parts);
    app.client
        .post(app.url(path))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&all))
        .send()
        .await
        .unwrap()
}

/// Uploads `text` as the file `name` to `path` (`/decks/new` or a deck's `/upload`).
async fn upload(app: &TestApp, path: &str, name: &str, text: &str) -> Response {
    post_multipart(app, path, &[("file", Some(name), text)]).await
}

/// The text of the `<textarea name="text"...>` a page carries.
fn textarea(html: &str) -> String {
    let start = html
        .find("<textarea name=\"text\"")
        .expect("a deck textarea");
    let open_end = html[start..].find('>').unwrap() + start + 1;
    let close = html[open_end..].find("</textarea>").unwrap() + open_end;
    unescape(&html[open_end..close])
}

/// Confirms a preview page as its form stands: its hidden fields and the deck it carries.
async fn confirm(app: &TestApp, preview: &str) -> Response {
    let form_at = preview.rfind("<form method=\"post\"").unwrap();
    let form = &preview[form_at..];
    let action_at = form.find("action=\"").unwrap() + "action=\"".len();
    let action = &form[action_at..action_at + form[action_at..].find('"').unwrap()];
    let fields = crate::helpers::hidden_fields(form);
    let text = textarea(form);
    let mut parts: Vec<(&str, Option<&str>, &str)> = fields
        .iter()
        .filter(|(n, _)| n != "csrf_token")
        .map(|(n, v)| (n.as_str(), None, v.as_str()))
        .collect();
    parts.push(("text", None, text.as_str()));
    post_multipart(app, action, &parts).await
}

/// Uploads and confirms `text` as a new deck; returns the deck's id.
async fn upload_deck(app: &TestApp, name: &str, text: &str) -> String {
    let r = upload(app, "/decks/new", name, text).await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("Save this deck"), "{preview}");
    let r = confirm(app, &preview).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let location = r.headers()["Location"].to_str().unwrap().to_string();
    location.strip_prefix("/decks/").unwrap().to_string()
}

fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("SELECT COUNT(*) FROM teacher_decks"),
        app.count("SELECT COUNT(*) FROM events"),
        app.count("SELECT COUNT(*) FROM cards"),
    )
}

/// The titles a deck file gives its events, in order.
fn titles_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("title = \""))
        .map(|t| t.trim_end_matches('"').to_string())
        .collect()
}

/// A student of a new class of the signed-in teacher, and the class: (class, student client).
async fn class_with_student(
    app: &mut TestApp,
    teacher: &Client,
    class_name: &str,
    student: &str,
) -> (i64, Client) {
    as_user(app, teacher);
    let class = create_class(app, class_name).await;
    let code = join_code(app, class);
    let s = sign_up(app, student, "learner").await;
    let r = post(app, "/classes/join", &[("code", &code)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    as_user(app, teacher);
    (class, s)
}

async fn assign(app: &TestApp, class: i64, deck: &str) -> i64 {
    let r = post(
        app,
        &format!("/classes/{class}/assignments"),
        &[
            ("title", "The war's dates"),
            ("deck", deck),
            ("kinds", "date"),
            ("kinds", "place"),
            ("goal", "right_once"),
            ("due_date", ""),
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

#[tokio::test]
async fn a_teacher_uploads_previews_confirms_and_assigns_and_a_student_studies_it() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let deck_text = hundred_years();
    let before = counts(&app);

    let r = upload(&app, "/decks/new", "hundred-years.toml", &deck_text).await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview = r.text().await.unwrap();
    // Every event of the file, and a sample question of every kind the deck offers.
    for title in titles_in(&deck_text).iter().skip(3) {
        assert!(
            preview.contains(&unescape_html(title)),
            "{title} in {preview}"
        );
    }
    for kind in [
        "Date of an event",
        "Event on a date",
        "Place",
        "Figures",
        "True or false",
        "Flashcard",
    ] {
        assert!(
            preview.contains(&format!("<h3>{kind}")),
            "{kind} sample in {preview}"
        );
    }
    assert!(
        preview.contains("not checked against the articles"),
        "{preview}"
    );
    assert_eq!(counts(&app), before, "a preview stores nothing");

    let r = confirm(&app, &preview).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let deck = r.headers()["Location"].to_str().unwrap()["/decks/".len()..].to_string();
    assert_eq!(app.count("SELECT COUNT(*) FROM teacher_decks"), 1);
    let page = app.get_html(&format!("/decks/{deck}")).await;
    assert!(page.contains("The Hundred Years"), "{page}");

    let (class, student) = class_with_student(&mut app, &teacher, "History 9A", "minh").await;
    // The assignment form offers the deck, and the deck page links to it.
    let form = app
        .get_html(&format!("/classes/{class}/assignments/new?deck={deck}"))
        .await;
    assert!(
        form.contains(&format!("value=\"{deck}\" selected")),
        "{form}"
    );
    assert!(
        form.contains("The Lancastrian phase"),
        "the deck's eras: {form}"
    );
    let assignment = assign(&app, class, &deck).await;

    as_user(&mut app, &student);
    app.key = key_for(&deck, &deck_text);
    let page = app
        .get_html(&format!("/study?assignment={assignment}"))
        .await;
    assert!(page.contains("cards done"), "{page}");
    let card = field(&page, "card_id").unwrap();
    assert!(card.starts_with(&format!("{deck}.")), "{card}");
    app.answer_page(&page, true).await;
    let student_id = app.user_id("minh");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM reviews_as_text WHERE user_id = {student_id} AND card_id = '{card}'"
        )),
        1
    );
    // The student finds it in the deck list too.
    assert!(
        app.get_html("/decks")
            .await
            .contains(&format!("/decks/{deck}\""))
    );
}

/// The answer key of an uploaded deck: its file with every id under the deck's key, as the
/// study pages name its cards.
fn key_for(deck: &str, text: &str) -> AnswerKey {
    let dir = tempfile::tempdir().unwrap();
    let namespaced = text.replace("\nid = \"", &format!("\nid = \"{deck}."));
    std::fs::write(dir.path().join("deck.toml"), namespaced).unwrap();
    AnswerKey::load(dir.path()).unwrap()
}

fn unescape_html(s: &str) -> String {
    s.replace('\'', "&#39;")
}

#[tokio::test]
async fn every_problem_of_both_kinds_is_shown_at_its_line_and_nothing_is_stored() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let good = hundred_years();
    // Structural: a figure without `value`, an event without `era`. Semantic: a duplicate
    // id, an impossible date, an empty title, no source. Lint: a title naming its place.
    let bad = good
        .replacen("value = 11\n", "", 1)
        .replacen("era = \"lancastrian\"\ntags = [\"battle\"]\n[[event.source]]\ndocument = \"notes.txt\"\nquote = \"Henry V", "tags = [\"battle\"]\n[[event.source]]\ndocument = \"notes.txt\"\nquote = \"Henry V", 1)
        .replacen("id = \"poitiers\"", "id = \"crecy\"", 1)
        .replacen("1429-05-08", "1431-02-30", 1)
        .replacen("title = \"A French king is captured\"", "title = \"\"", 1)
        .replacen("[[event.source]]\ndocument = \"notes.txt\"\nquote = \"Castillon", "#\n#\n#", 1)
        .replacen("title = \"Longbows beat the French knights\"", "title = \"Longbows win at Crécy\"", 1);
    let line = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let event_line = |nth: usize| {
        bad.lines()
            .enumerate()
            .filter(|(_, l)| *l == "[[event]]")
            .nth(nth)
            .unwrap()
            .0
            + 1
    };
    // The duplicate is the second `id = "crecy"`.
    let second_crecy = bad
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "id = \"crecy\"")
        .nth(1)
        .unwrap()
        .0
        + 1;
    let expected = [
        format!("deck.toml:{}: answer-in-title", event_line(0)),
        format!(
            "deck.toml:{}: missing field `value`",
            line("what = \"months of the siege\"") - 1
        ),
        format!("deck.toml:{second_crecy}: duplicate event id `crecy`"),
        format!(
            "deck.toml:{}: event title must not be empty",
            line("title = \"\"")
        ),
        format!("deck.toml:{}: missing field `era`", event_line(3)),
        format!(
            "deck.toml:{}: date: `1431-02-30` is not a real day",
            line("1431-02-30")
        ),
        format!(
            "deck.toml:{}: event `castillon` has no source",
            event_line(5)
        ),
    ];
    let before = counts(&app);
    let r = upload(&app, "/decks/new", "deck.toml", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&r.text().await.unwrap());
    for e in &expected {
        assert!(page.contains(e.as_str()), "{e} in {page}");
    }
    assert!(page.contains("This deck has 7 problems"), "{page}");
    // At the top, linking to the deck, which is kept as it was sent, to fix in place.
    let summary = page.find("error-summary").unwrap();
    assert!(summary < page.find("enctype=\"multipart/form-data\"").unwrap());
    assert!(page.contains("href=\"#text\""), "{page}");
    assert_eq!(textarea_of_form(&page), bad);
    assert_eq!(counts(&app), before, "nothing stored");
}

/// The deck text the upload form keeps (its visible textarea).
fn textarea_of_form(page: &str) -> String {
    let start = page.find("<textarea id=\"text\"").unwrap();
    let open_end = page[start..].find('>').unwrap() + start + 1;
    let close = page[open_end..].find("</textarea>").unwrap() + open_end;
    page[open_end..close].to_string()
}

#[tokio::test]
async fn a_new_version_keeps_progress_on_the_events_that_stayed() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let text = hundred_years();
    let deck = upload_deck(&app, "hundred-years.toml", &text).await;
    let (class, student) = class_with_student(&mut app, &teacher, "History 9A", "minh").await;
    let assignment = assign(&app, class, &deck).await;

    as_user(&mut app, &student);
    app.key = key_for(&deck, &text);
    let mut answered = Vec::new();
    for _ in 0..4 {
        let page = app
            .get_html(&format!("/study?assignment={assignment}"))
            .await;
        answered.push(field(&page, "card_id").unwrap());
        app.answer_page(&page, true).await;
    }
    let student_id = app.user_id("minh");
    let states_of = |app: &TestApp, card: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM card_states WHERE user_id = {student_id} AND card_id = '{card}'"
        ))
    };
    for c in &answered {
        assert_eq!(states_of(&app, c), 1, "{c}");
    }

    // Version 2: one event reworded, Castillon dropped, Formigny added.
    let v2 = text
        .replace(
            "summary = \"English longbowmen defeated a much larger French army in northern France.\"",
            "summary = \"English archers beat a far larger French army.\"",
        )
        .split("[[event]]\nid = \"castillon\"")
        .next()
        .unwrap()
        .to_string()
        + "[[event]]\nid = \"formigny\"\ndate = \"1450-04-15\"\ntitle = \"Normandy is won back\"\nsummary = \"French cannon and cavalry routed an English army.\"\nera = \"lancastrian\"\n[[event.source]]\ndocument = \"notes.txt\"\nquote = \"at Formigny on 15 April 1450\"\n";
    as_user(&mut app, &teacher);
    let r = upload(
        &app,
        &format!("/decks/{deck}/upload"),
        "hundred-years.toml",
        &v2,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("keep their progress"), "{preview}");
    let r = confirm(&app, &preview).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.count(&format!(
            "SELECT version FROM teacher_decks WHERE id = '{deck}'"
        )),
        2
    );
    let retired = |app: &TestApp, card: &str| {
        app.count(&format!("SELECT retired FROM cards WHERE id = '{card}'"))
    };
    for c in &answered {
        assert_eq!(states_of(&app, c), 1, "progress kept on {c}");
        let kept = !c.contains(".castillon/");
        assert_eq!(retired(&app, c), i64::from(!kept), "{c}");
    }
    assert_eq!(retired(&app, &format!("{deck}.castillon/date")), 1);
    assert_eq!(retired(&app, &format!("{deck}.formigny/date")), 0);
    // The running app serves the new version at once.
    let page = app.get_html(&format!("/decks/{deck}")).await;
    assert!(
        page.contains("Normandy is won back") && !page.contains("The last English field army"),
        "{page}"
    );
}

#[tokio::test]
async fn outsiders_get_404_on_every_route_that_names_the_deck() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let deck = upload_deck(&app, "hundred-years.toml", &hundred_years()).await;
    let (class, student) = class_with_student(&mut app, &teacher, "History 9A", "minh").await;
    assign(&app, class, &deck).await;
    // Another teacher, and a student of that teacher's class.
    let other = sign_up(&mut app, "mr-binh", "teacher").await;
    let (_, outsider) = class_with_student(&mut app, &other, "History 9B", "hoa").await;

    let pages = [
        format!("/decks/{deck}"),
        format!("/decks/{deck}/deck.toml"),
        format!("/decks/{deck}/anki.apkg"),
        format!("/decks/{deck}/upload"),
        format!("/study?deck={deck}"),
        format!("/browse?deck={deck}"),
        format!("/timeline?deck={deck}"),
        format!("/study/offline?deck={deck}"),
    ];
    for (who, c) in [("the class's student", &student), ("its teacher", &teacher)] {
        as_user(&mut app, c);
        for p in &pages[..3] {
            assert_eq!(app.get(p).await.status(), StatusCode::OK, "{who}: {p}");
        }
        let stats = app.get_html("/stats").await;
        assert!(stats.contains("Lancastrian"), "{who}: stats");
    }
    for (who, c) in [
        ("another teacher", &other),
        ("a student of another class", &outsider),
    ] {
        as_user(&mut app, c);
        for p in &pages {
            assert_eq!(
                app.get(p).await.status(),
                StatusCode::NOT_FOUND,
                "{who}: {p}"
            );
        }
        assert!(
            !app.get_html("/decks").await.contains(&deck),
            "{who}: deck list"
        );
        // Pages that sum over every deck leave it out: its title, its eras.
        for p in ["/", "/stats"] {
            let html = app.get_html(p).await;
            assert!(
                !html.contains("Hundred Years") && !html.contains("Lancastrian"),
                "{who}: {p}"
            );
        }
        let r = upload(
            &app,
            &format!("/decks/{deck}/upload"),
            "x.toml",
            &hundred_years(),
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}: new version");
    }
    // Signed out: no deck page or download; study sends to the login page, naming nothing.
    app.client = client();
    for p in &pages[..2] {
        assert_eq!(
            app.get(p).await.status(),
            StatusCode::NOT_FOUND,
            "signed out: {p}"
        );
    }
    assert_eq!(app.get(&pages[3]).await.status(), StatusCode::SEE_OTHER);

    // The API, with a device token of the outsider.
    let r = app
        .client
        .post(app.url("/api/v1/tokens"))
        .json(&serde_json::json!({"username": "hoa", "password": PASSWORD, "device_name": "phone"}))
        .send()
        .await
        .unwrap();
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let api = |path: String| {
        let (app, token) = (&app, &token);
        async move {
            app.client
                .get(app.url(&path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        api(format!("/api/v1/decks/{deck}/cards")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api(format!("/api/v1/study-pack?deck={deck}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let list = api("/api/v1/decks".into()).await.text().await.unwrap();
    assert!(
        list.contains("\"fixture\"") && !list.contains(&deck),
        "{list}"
    );
    let sync = serde_json::json!({
        "device_id": "0b6d7e4c-5a1f-4d0e-9a51-3c9f1f1a2b3c",
        "reviews": [crate::helpers::review(1, &format!("{deck}.crecy/date"), 3, crate::helpers::now_ms(), -1)],
    });
    let (status, body) = app.sync(&token, &sync).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["rejected"][0]["reason"], "unknown_card", "{body}");
}

#[tokio::test]
async fn the_size_limits_are_clear_and_store_nothing() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let before = counts(&app);
    let big = format!("{}\n# {}\n", hundred_years(), "padding ".repeat(80 * 1024));
    let r = upload(&app, "/decks/new", "big.toml", &big).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = r.text().await.unwrap();
    assert!(page.contains("a deck may be at most 512 KiB"), "{page}");

    let text = hundred_years();
    let one = &text[text.find("[[event]]\nid = \"crecy\"").unwrap()
        ..text.find("[[event]]\nid = \"calais\"").unwrap()];
    let mut many = text.clone();
    for i in 0..300 {
        many.push_str(&one.replace("id = \"crecy\"", &format!("id = \"copy-{i}\"")));
    }
    let r = upload(&app, "/decks/new", "many.toml", &many).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("the deck has 306 events; an uploaded deck may have at most 300"),
        "{page}"
    );
    assert_eq!(counts(&app), before);
}

#[tokio::test]
async fn a_downloaded_deck_uploads_again_as_the_same_deck() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let text = hundred_years();
    let deck = upload_deck(&app, "hundred-years.toml", &text).await;
    let r = app.get(&format!("/decks/{deck}/deck.toml")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["Content-Disposition"]
            .to_str()
            .unwrap()
            .contains("hundred-years.toml")
    );
    let downloaded = r.text().await.unwrap();
    assert_eq!(downloaded, text);
    let again = upload_deck(&app, "hundred-years.toml", &downloaded).await;
    assert_ne!(again, deck);
    let events = |html: String| html[html.find("<h2>Events</h2>").unwrap()..].to_string();
    assert_eq!(
        events(app.get_html(&format!("/decks/{again}")).await),
        events(app.get_html(&format!("/decks/{deck}")).await)
    );
    // The shipped deck downloads as its file.
    let shipped = app.get_html("/decks/fixture/deck.toml").await;
    let file = std::fs::read_to_string(crate::helpers::fixture_questions().join("fixture.toml"));
    assert_eq!(Some(shipped), file.ok());
}

#[tokio::test]
async fn a_deck_downloaded_as_csv_uploads_again_as_the_same_deck_and_csv_problems_name_their_cell()
{
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let deck = upload_deck(&app, "hundred-years.toml", &hundred_years()).await;
    let r = app.get(&format!("/decks/{deck}/deck.csv")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["Content-Disposition"]
            .to_str()
            .unwrap()
            .contains("hundred-years.csv")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.starts_with("record,id,title,date"), "{csv}");
    let from_csv = upload_deck(&app, "hundred-years.csv", &csv).await;
    let events = |html: String| html[html.find("<h2>Events</h2>").unwrap()..].to_string();
    let original = events(app.get_html(&format!("/decks/{deck}")).await);
    assert_eq!(
        events(app.get_html(&format!("/decks/{from_csv}")).await),
        original
    );
    // A CSV deck downloads as the very file uploaded, and as TOML that loads the same deck.
    assert_eq!(
        app.get_html(&format!("/decks/{from_csv}/deck.csv")).await,
        csv
    );
    let toml = app.get_html(&format!("/decks/{from_csv}/deck.toml")).await;
    let again = upload_deck(&app, "again.toml", &toml).await;
    assert_eq!(
        events(app.get_html(&format!("/decks/{again}")).await),
        original
    );

    // Problems of a CSV deck name their line and column, all in one pass; nothing is stored.
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap() + 1;
    let row_of = |needle: &str| csv.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let bad =
        csv.replacen("1415-10-25", "1415-13-25", 1)
            .replacen(",11,months,", ",eleven,months,", 1);
    let before = counts(&app);
    let r = upload(&app, "/decks/new", "bad.csv", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = unescape(&r.text().await.unwrap());
    for want in [
        format!(
            "bad.csv:{}:{}: invalid type: string \"eleven\"",
            row_of("months of the siege"),
            col("figure_value")
        ),
        format!(
            "bad.csv:{}:{}: date: `1415-13-25`",
            row_of("Victory in the mud"),
            col("date")
        ),
    ] {
        assert!(page.contains(&want), "{want} in {page}");
    }
    assert_eq!(counts(&app), before);
}

#[tokio::test]
async fn uploaded_decks_come_back_after_a_restart() {
    let mut app = spawn_app().await;
    sign_up(&mut app, "ms-lan", "teacher").await;
    let deck = upload_deck(&app, "hundred-years.toml", &hundred_years()).await;
    let before = app.get_html(&format!("/decks/{deck}")).await;
    let settings = chronicle::config::Settings::for_tests(
        app.db_path.clone(),
        crate::helpers::fixture_questions(),
    );
    let restarted = chronicle::app::Application::build(settings).await.unwrap();
    app.address = format!("http://127.0.0.1:{}", restarted.port());
    tokio::spawn(restarted.run_until_stopped());
    // The same session (it lives in the database) on the new server.
    assert_eq!(app.get_html(&format!("/decks/{deck}")).await, before);
    assert_eq!(
        app.get(&format!("/study?deck={deck}")).await.status(),
        StatusCode::OK
    );
}

/// The deck's section of a dashboard page: from its heading to the next deck's.
fn deck_section(page: &str, deck: &str) -> String {
    let start = page
        .find(&format!("<h2 id=\"deck-{deck}\">"))
        .unwrap_or_else(|| panic!("no section for {deck}: {page}"));
    let rest = &page[start + 4..];
    rest[..rest.find("<h2 id=\"deck-").unwrap_or(rest.len())].to_string()
}

/// What the dashboard shows of a deck whatever the learner (its cards, per era) is kept per
/// version of the decks: a new version with one more event is counted at once, the event's
/// cards in its era, and studying the whole deck reaches them.
#[tokio::test]
async fn a_new_version_is_counted_on_the_dashboard_and_studied_at_once() {
    let mut app = spawn_app().await;
    let teacher = sign_up(&mut app, "ms-lan", "teacher").await;
    let text = hundred_years();
    let deck = upload_deck(&app, "hundred-years.toml", &text).await;
    let (class, student) = class_with_student(&mut app, &teacher, "History 9A", "minh").await;
    assign(&app, class, &deck).await;
    let offered = |app: &TestApp, era: &str| {
        app.count(&format!(
            "SELECT COUNT(*) FROM cards c JOIN events e ON e.id = c.subject_id
             WHERE c.deck_id = '{deck}' AND c.retired = 0 AND e.era LIKE '{era}'"
        ))
    };
    as_user(&mut app, &student);
    // The whole deck studied once in this version, so its order of new cards is kept.
    let page = app.get_html(&format!("/study?deck={deck}")).await;
    assert!(field(&page, "card_id").is_some(), "{page}");
    let (all_v1, era_v1) = (offered(&app, "%"), offered(&app, "lancastrian"));
    let v1 = deck_section(&app.get_html("/").await, &deck);
    assert!(v1.contains(&format!("0 of {all_v1} cards seen")), "{v1}");
    assert!(v1.contains(&format!("0 of {era_v1}</td>")), "{v1}");

    let v2 = text
        + "[[event]]\nid = \"formigny\"\ndate = \"1450-04-15\"\ntitle = \"Normandy is won back\"\nsummary = \"French cannon and cavalry routed an English army.\"\nera = \"lancastrian\"\n[[event.source]]\ndocument = \"notes.txt\"\nquote = \"at Formigny on 15 April 1450\"\n";
    as_user(&mut app, &teacher);
    let r = upload(
        &app,
        &format!("/decks/{deck}/upload"),
        "hundred-years.toml",
        &v2,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = confirm(&app, &r.text().await.unwrap()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    as_user(&mut app, &student);
    let (all_v2, era_v2) = (offered(&app, "%"), offered(&app, "lancastrian"));
    assert!(all_v2 > all_v1 && era_v2 > era_v1, "{all_v1} {all_v2}");
    let after = deck_section(&app.get_html("/").await, &deck);
    assert!(
        after.contains(&format!("0 of {all_v2} cards seen")),
        "{after}"
    );
    assert!(after.contains(&format!("0 of {era_v2}</td>")), "{after}");
    // Studying on, the whole deck's queue offers every card of the new version.
    app.key = key_for(&deck, &v2);
    let mut seen = std::collections::HashSet::new();
    // "Study more" offers every new card before any answered one comes back.
    for _ in 0..all_v2 {
        let page = app.get_html(&format!("/study?deck={deck}&more=1")).await;
        let card = field(&page, "card_id").unwrap_or_else(|| panic!("{page}"));
        assert!(seen.insert(card.clone()), "{card} asked twice: {page}");
        app.answer_page(&page, true).await;
    }
    assert!(seen.contains(&format!("{deck}.formigny/date")), "{seen:?}");
}
