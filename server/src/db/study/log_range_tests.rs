//! Queries over a range of a learner's review log: new cards since a moment, and the missed
//! list with its count.

use super::*;

const DAY: i64 = 86_400;

fn db() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::migrations().to_latest(&mut conn).unwrap();
    conn.execute_batch(
        "INSERT INTO decks VALUES ('d', 'D', '', 'd.toml');
         INSERT INTO cards VALUES ('e1/date', 'd', 'e1', 'date', 0, 0),
                                  ('e2/date', 'd', 'e2', 'date', 1, 0),
                                  ('e3/date', 'd', 'e3', 'date', 2, 0);
         INSERT INTO users (id, username, display_name, password_hash, role, created_at)
           VALUES (1, 'ann', 'Ann', 'x', 'learner', 0), (2, 'bo', 'Bo', 'x', 'learner', 0);",
    )
    .unwrap();
    conn
}

fn answer(conn: &Connection, id: &str, user: i64, card: &str, at_s: i64) {
    conn.execute(
        "INSERT INTO reviews (id, user_id, card, answered_at, rating, correct, given_answer,
                              duration_ms, presentation, device_id, received_at)
         VALUES (?1, ?2, (SELECT key FROM card_keys WHERE card_id = ?3), ?4, 3, 1, '', 0,
                 'mc', 'web', 0)",
        params![id, user, card, Instant::from_secs(at_s)],
    )
    .unwrap();
}

#[test]
fn a_card_is_new_today_only_when_its_first_review_is_today() {
    let conn = db();
    let today = 100 * DAY;
    // e1: first seen yesterday, again today (not new today). e2: twice today (new, once).
    // e3: not seen by Ann; Bo's first review of it today is his, not hers.
    answer(&conn, "a", 1, "e1/date", today - 3_600);
    answer(&conn, "b", 1, "e1/date", today + 60);
    answer(&conn, "c", 1, "e2/date", today + 120);
    answer(&conn, "d", 1, "e2/date", today + 180);
    answer(&conn, "e", 2, "e3/date", today + 60);
    assert_eq!(new_cards_since(&conn, UserId(1), today).unwrap(), 1);
    assert_eq!(new_cards_since(&conn, UserId(1), today - DAY).unwrap(), 2);
    assert_eq!(new_cards_since(&conn, UserId(1), today + 150).unwrap(), 0);
    assert_eq!(new_cards_since(&conn, UserId(2), today).unwrap(), 1);
}

#[test]
fn the_missed_count_is_the_length_of_the_missed_list() {
    let conn = db();
    // e1 wrong then right (not missed), e2 right then wrong (missed), e3 wrong (missed),
    // Bo's miss is not Ann's.
    for (id, user, card, at, correct) in [
        ("a", 1, "e1/date", 10, 0),
        ("b", 1, "e1/date", 20, 1),
        ("c", 1, "e2/date", 10, 1),
        ("d", 1, "e2/date", 30, 0),
        ("e", 1, "e3/date", 40, 0),
        ("f", 2, "e1/date", 50, 0),
    ] {
        answer(&conn, id, user, card, at);
        conn.execute(
            "UPDATE reviews SET correct = ?2 WHERE id = ?1",
            params![id, correct],
        )
        .unwrap();
    }
    let listed: Vec<String> = missed(&conn, UserId(1))
        .unwrap()
        .into_iter()
        .map(|m| m.card_id)
        .collect();
    assert_eq!(listed, ["e3/date", "e2/date"]);
    assert_eq!(missed_count(&conn, UserId(1)).unwrap(), 2);
    assert_eq!(missed_count(&conn, UserId(2)).unwrap(), 1);
    conn.execute("UPDATE cards SET retired = 1 WHERE id = 'e3/date'", [])
        .unwrap();
    assert_eq!(
        missed_count(&conn, UserId(1)).unwrap(),
        1,
        "a retired card is not missed"
    );
}

/// The study page's count of new cards reads today's reviews and probes each card's
/// first one: never a scan of the learner's whole log.
#[test]
fn new_cards_since_reads_only_a_range_of_the_log() {
    let conn = db();
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {NEW_CARDS_SINCE}"))
        .unwrap();
    let plan: Vec<String> = stmt
        .query_map(params![1, 1], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let text = plan.join("\n");
    assert!(
        text.contains(
            "SEARCH r USING COVERING INDEX reviews_user_time (user_id=? AND answered_at>?)"
        ),
        "{text}"
    );
    assert!(
        text.contains("SEARCH p USING COVERING INDEX reviews_user_card (user_id=? AND card=? AND answered_at<?)"),
        "{text}"
    );
}
