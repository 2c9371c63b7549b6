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
    assert_eq!(
        rows[0],
        ["alice", "alice", "100", &alice_score.to_string(), "0", "0"]
    );
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

/// An `.apkg` as the test reads it: its entries, and its collection opened with SQLite.
fn open_package(bytes: &[u8]) -> (Vec<String>, rusqlite::Connection) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().to_string())
        .collect();
    names.sort();
    let mut db = Vec::new();
    std::io::copy(&mut archive.by_name("collection.anki2").unwrap(), &mut db).unwrap();
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.deserialize_read_exact("main", std::io::Cursor::new(&db), db.len(), true)
        .unwrap();
    (names, conn)
}

/// A note's fields by name, from the note type the collection declares.
fn notes(conn: &rusqlite::Connection) -> Vec<std::collections::HashMap<String, String>> {
    let models: String = conn
        .query_row("SELECT models FROM col", [], |r| r.get(0))
        .unwrap();
    let models: serde_json::Value = serde_json::from_str(&models).unwrap();
    let model = models.as_object().unwrap().values().next().unwrap();
    let names: Vec<String> = model["flds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect();
    let mut stmt = conn.prepare("SELECT flds FROM notes ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|f| {
            names
                .iter()
                .cloned()
                .zip(f.unwrap().split('\u{1f}').map(crate::helpers::unescape))
                .collect()
        })
        .collect()
}

/// The deck export: a zip with the collection and a media list; one note per card of the
/// deck, whose event fields are those of the deck file; every card new, no history.
#[tokio::test]
async fn a_deck_exports_to_anki_with_a_note_per_card() {
    let mut app = spawn_app().await;
    let r = app.get("/decks/fixture/anki.apkg").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed-in users only");
    sign_up(&mut app, "ann", "learner").await;
    assert!(
        app.get_html("/browse")
            .await
            .contains("href=\"/decks/fixture/anki.apkg\"")
    );
    assert_eq!(
        app.get("/decks/no-such-deck/anki.apkg").await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app.get("/decks/fixture/anki.apkg").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"chronicle-fixture.apkg\""
    );
    let (names, conn) = open_package(&r.bytes().await.unwrap());
    assert_eq!(names, ["collection.anki2", "media"]);
    let ver: i64 = conn
        .query_row("SELECT ver FROM col", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ver, 11);
    let notes = notes(&conn);
    let deck = app.catalog.deck("fixture").unwrap();
    let cards: Vec<&str> = app
        .catalog
        .deck_cards("fixture")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(notes.len(), cards.len());
    let exported: Vec<&str> = notes.iter().map(|n| n["Chronicle card"].as_str()).collect();
    assert_eq!(exported, cards, "one note per card, in deck order");
    // Every note of an event card carries the event as the deck file writes it.
    let event_0 = notes
        .iter()
        .find(|n| n["Chronicle card"] == "event-0/date")
        .unwrap();
    assert_eq!(event_0["Event"], "Thing number A happens");
    assert_eq!(event_0["Date"], "10 January 1970");
    assert_eq!(event_0["Answer"], "10 January 1970");
    assert_eq!(event_0["Summary"], "Summary 0.");
    assert_eq!(
        event_0["Source"],
        "Article A: “quote 0: in Hanoi on 10 January 1970, 1,000 things; the word0 did it”"
    );
    for n in &notes {
        let subject = n["Chronicle card"].split('/').next().unwrap();
        if let Some(e) = deck.event(subject) {
            assert_eq!(n["Event"], e.title);
            assert_eq!(n["Summary"], e.summary);
        }
        assert!(
            !n["Question"].is_empty() && !n["Answer"].is_empty(),
            "{n:?}"
        );
    }
    let not_new: i64 = conn
        .query_row("SELECT COUNT(*) FROM cards WHERE type != 0", [], |r| {
            r.get(0)
        })
        .unwrap();
    let revlog: i64 = conn
        .query_row("SELECT COUNT(*) FROM revlog", [], |r| r.get(0))
        .unwrap();
    assert_eq!((not_new, revlog), (0, 0));
}

/// A learner's own export: the cards they studied, each answer a review-log row with its
/// rating, each card in the phase and with the repetitions Chronicle holds.
#[tokio::test]
async fn a_learners_export_carries_their_cards_and_every_answer() {
    let app = spawn_app().await;
    let token = app.api_token("ann").await;
    let (empty_names, empty) = {
        let r = app.get("/account/anki.apkg").await;
        assert_eq!(r.status(), StatusCode::OK);
        open_package(&r.bytes().await.unwrap())
    };
    assert_eq!(empty_names.len(), 2);
    assert_eq!(notes(&empty).len(), 0, "nothing studied, nothing exported");
    assert!(
        app.get_html("/account")
            .await
            .contains("href=\"/account/anki.apkg\"")
    );

    let cards = app.card_ids(3);
    let t0 = crate::helpers::now_ms() - 20 * 86_400_000;
    let day = 24 * 60;
    let reviews = vec![
        crate::helpers::review(0, &cards[0], 3, t0, 0),
        crate::helpers::review(1, &cards[0], 3, t0, 10),
        crate::helpers::review(2, &cards[0], 3, t0, 3 * day),
        crate::helpers::review(3, &cards[1], 1, t0, 0),
        crate::helpers::review(4, &cards[2], 3, t0, 0),
        crate::helpers::review(5, &cards[2], 3, t0, 11),
        crate::helpers::review(6, &cards[2], 1, t0, 5 * day),
    ];
    let (status, out) = app
        .sync(
            &token,
            &serde_json::json!({"device_id": "phone", "reviews": reviews}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["accepted"], 7);

    let r = app.get("/account/anki.apkg").await;
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"chronicle-ann-cards.apkg\""
    );
    let (_, conn) = open_package(&r.bytes().await.unwrap());
    let notes = notes(&conn);
    let mut exported: Vec<&str> = notes.iter().map(|n| n["Chronicle card"].as_str()).collect();
    exported.sort();
    let mut studied: Vec<&str> = cards.iter().map(String::as_str).collect();
    studied.sort();
    assert_eq!(exported, studied);
    let history = |card: &str| -> Vec<(i64, i64)> {
        conn.prepare(
            "SELECT r.id, r.ease FROM revlog r JOIN cards c ON c.id = r.cid
             JOIN notes n ON n.id = c.nid WHERE n.guid = ?1 ORDER BY r.id",
        )
        .unwrap()
        .query_map([card], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let minute = 60_000;
    assert_eq!(
        history(&cards[0]),
        [(t0, 3), (t0 + 10 * minute, 3), (t0 + 3 * day * minute, 3)]
    );
    // Anki keys its log by the answer's millisecond: three answers at t0 (one per card, in
    // deck order) become t0, t0 + 1 and t0 + 2.
    assert_eq!(history(&cards[1]), [(t0 + 1, 1)]);
    assert_eq!(
        history(&cards[2]),
        [
            (t0 + 2, 3),
            (t0 + 11 * minute, 3),
            (t0 + 5 * day * minute, 1)
        ]
    );
    // Chronicle's phases, as Anki numbers them: review 2, learning 1, relearning 3.
    let phase = |card: &str| -> (i64, i64, i64) {
        conn.query_row(
            "SELECT c.type, c.reps, c.lapses FROM cards c JOIN notes n ON n.id = c.nid
             WHERE n.guid = ?1",
            [card],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    assert_eq!(phase(&cards[0]), (2, 3, 0));
    assert_eq!(phase(&cards[1]), (1, 1, 0));
    assert_eq!(phase(&cards[2]), (3, 3, 1));
}
