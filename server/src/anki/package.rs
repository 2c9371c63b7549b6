//! Writes a [`Package`] as an `.apkg`: the collection is built in an in-memory SQLite
//! database, serialized, and zipped (deflate) with an empty media list.

use super::schedule::{Card, RevlogRow};
use super::{FIELDS, NoteFields, Package};
use rusqlite::{Connection, params};
use serde_json::json;
use sha1::{Digest, Sha1};
use std::io::{Cursor, Write};

#[derive(Debug, thiserror::Error)]
pub enum ApkgError {
    #[error("writing the collection: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("zipping the package: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("zipping the package: {0}")]
    Io(#[from] std::io::Error),
}

/// The note type's id: fixed, so a second import reuses the note type of the first.
pub const NOTETYPE_ID: i64 = 1_764_547_200_000;
/// Anki's own default deck and deck options.
const DEFAULT_DECK_ID: i64 = 1;
const DEFAULT_CONF_ID: i64 = 1;

/// The tables of a schema-11 collection, as Anki's file format defines them.
const SCHEMA: &str = "
CREATE TABLE col (id INTEGER PRIMARY KEY, crt INTEGER NOT NULL, mod INTEGER NOT NULL,
    scm INTEGER NOT NULL, ver INTEGER NOT NULL, dty INTEGER NOT NULL, usn INTEGER NOT NULL,
    ls INTEGER NOT NULL, conf TEXT NOT NULL, models TEXT NOT NULL, decks TEXT NOT NULL,
    dconf TEXT NOT NULL, tags TEXT NOT NULL);
CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT NOT NULL, mid INTEGER NOT NULL,
    mod INTEGER NOT NULL, usn INTEGER NOT NULL, tags TEXT NOT NULL, flds TEXT NOT NULL,
    sfld INTEGER NOT NULL, csum INTEGER NOT NULL, flags INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER NOT NULL, did INTEGER NOT NULL,
    ord INTEGER NOT NULL, mod INTEGER NOT NULL, usn INTEGER NOT NULL, type INTEGER NOT NULL,
    queue INTEGER NOT NULL, due INTEGER NOT NULL, ivl INTEGER NOT NULL, factor INTEGER NOT NULL,
    reps INTEGER NOT NULL, lapses INTEGER NOT NULL, left INTEGER NOT NULL, odue INTEGER NOT NULL,
    odid INTEGER NOT NULL, flags INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, usn INTEGER NOT NULL,
    ease INTEGER NOT NULL, ivl INTEGER NOT NULL, lastIvl INTEGER NOT NULL,
    factor INTEGER NOT NULL, time INTEGER NOT NULL, type INTEGER NOT NULL);
CREATE TABLE graves (usn INTEGER NOT NULL, oid INTEGER NOT NULL, type INTEGER NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

const CSS: &str = ".card { font-family: sans-serif; font-size: 20px; text-align: left; \
    max-width: 40em; margin: 1em auto; }
.choices { margin-top: .5em; }
.answer { font-weight: bold; }
.event, .summary { margin-top: .75em; }
.source { margin-top: .75em; font-size: 80%; color: #555; }";

const FRONT: &str = "<div class=\"question\">{{Question}}</div>\
    {{#Choices}}<div class=\"choices\">{{Choices}}</div>{{/Choices}}";
const BACK: &str = "{{FrontSide}}<hr id=\"answer\"><div class=\"answer\">{{Answer}}</div>\
    <div class=\"event\">{{Event}}{{#Date}} · {{Date}}{{/Date}}</div>\
    {{#Summary}}<div class=\"summary\">{{Summary}}</div>{{/Summary}}\
    {{#Source}}<div class=\"source\">{{Source}}</div>{{/Source}}";

/// Text as an Anki field holds it: HTML, with line breaks as `<br>`.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn lines(items: &[String]) -> String {
    items
        .iter()
        .map(|i| html(i))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The fields joined as Anki stores them (unit separator between fields).
fn joined(f: &NoteFields) -> String {
    let choices = if f.choices.is_empty() {
        String::new()
    } else {
        let items: String = f
            .choices
            .iter()
            .map(|c| format!("<li>{}</li>", html(c)))
            .collect();
        format!("<ul>{items}</ul>")
    };
    [
        html(&f.question),
        choices,
        html(&f.answer),
        html(&f.event),
        html(&f.date),
        html(&f.summary),
        lines(&f.source),
        html(&f.card_id),
    ]
    .join("\u{1f}")
}

/// Anki's duplicate check: the first 8 hex digits of the SHA-1 of the plain sort field.
fn checksum(sort_field: &str) -> i64 {
    let digest = Sha1::digest(sort_field.as_bytes());
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// A deck id that stays the same from one export to the next (Anki matches decks by name
/// on import, so a clash with an id of the learner's own only costs a new id).
fn deck_id(chronicle_id: &str) -> i64 {
    let h = crate::questions::stable_hash(&["anki deck", chronicle_id]);
    1_000_000_000_000 + (h % 1_000_000_000_000) as i64
}

fn today(day: i64, amount: i64) -> serde_json::Value {
    json!([day, amount])
}

fn deck_json(id: i64, name: &str, description: &str, now: i64) -> serde_json::Value {
    json!({
        "id": id, "mod": now, "name": name, "usn": 0, "desc": description, "dyn": 0,
        "conf": DEFAULT_CONF_ID, "collapsed": false, "browserCollapsed": false,
        "lrnToday": today(0, 0), "revToday": today(0, 0), "newToday": today(0, 0),
        "timeToday": today(0, 0), "extendNew": 0, "extendRev": 0,
    })
}

fn collection_json(p: &Package) -> (String, String, String, String) {
    let now = p.created_at.secs();
    let fields: Vec<serde_json::Value> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"name": name, "ord": i, "sticky": false, "rtl": false, "font": "Arial",
                   "size": 20, "media": []})
        })
        .collect();
    let first_deck = p.decks.first().map_or(DEFAULT_DECK_ID, |d| deck_id(&d.id));
    let notetype = json!({
        "id": NOTETYPE_ID, "name": "Chronicle", "type": 0, "mod": now, "usn": 0, "sortf": 0,
        "did": first_deck, "flds": fields, "css": CSS, "latexPre": "", "latexPost": "",
        "latexsvg": false, "tags": [], "vers": [],
        "tmpls": [{"name": "Card", "ord": 0, "qfmt": FRONT, "afmt": BACK, "bqfmt": "",
                   "bafmt": "", "did": null}],
        // The one card needs the Question field.
        "req": [[0, "any", [0]]],
    });
    let mut decks = serde_json::Map::new();
    decks.insert(
        DEFAULT_DECK_ID.to_string(),
        deck_json(DEFAULT_DECK_ID, "Default", "", now),
    );
    for d in &p.decks {
        let id = deck_id(&d.id);
        decks.insert(id.to_string(), deck_json(id, &d.name, &d.description, now));
    }
    // Anki's defaults, written out: older readers expect every key.
    let dconf = json!({ DEFAULT_CONF_ID.to_string(): {
        "id": DEFAULT_CONF_ID, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60,
        "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
        "new": {"delays": [1.0, 10.0], "ints": [1, 4, 0], "initialFactor": 2500,
                "order": 1, "perDay": 20, "bury": false},
        "lapse": {"delays": [10.0], "mult": 0.0, "minInt": 1, "leechFails": 8,
                  "leechAction": 1},
        "rev": {"perDay": 200, "ease4": 1.3, "maxIvl": 36500, "hardFactor": 1.2,
                "bury": false},
    }});
    let conf = json!({
        "schedVer": 2, "nextPos": p.notes.len() + 1, "curDeck": first_deck,
        "curModel": NOTETYPE_ID, "activeDecks": [first_deck], "sortType": "noteFld",
        "sortBackwards": false, "addToCur": true, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true,
    });
    (
        conf.to_string(),
        json!({ NOTETYPE_ID.to_string(): notetype }).to_string(),
        serde_json::Value::Object(decks).to_string(),
        dconf.to_string(),
    )
}

fn card_data(card: &Card) -> String {
    match (card.memory, card.last_review) {
        (Some((s, d)), last) => {
            let mut data = json!({"s": round3(s), "d": round3(d)});
            if let Some(t) = last {
                data["lrt"] = json!(t);
            }
            data.to_string()
        }
        _ => String::new(),
    }
}

fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

/// The collection file (`collection.anki2`) of a package.
pub fn collection(p: &Package) -> Result<Vec<u8>, ApkgError> {
    let mut conn = Connection::open_in_memory()?;
    conn.execute_batch(SCHEMA)?;
    let (conf, models, decks, dconf) = collection_json(p);
    let now = p.created_at.secs();
    // Ids are milliseconds in Anki: the export's own, one apart from its moment on.
    let first_id = p.created_at.ms();
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![p.collection_start, first_id, conf, models, decks, dconf],
    )?;
    // Review-log ids are the answers' milliseconds, unique across the whole log.
    let mut revlog: Vec<(i64, usize, RevlogRow)> = Vec::new();
    {
        let mut note =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, 0, '')")?;
        let mut card = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                                       0, 0, 0, ?13)",
        )?;
        for (i, n) in p.notes.iter().enumerate() {
            let id = first_id + i as i64;
            let tags = if n.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", n.tags.join(" "))
            };
            note.execute(params![
                id,
                n.fields.card_id,
                NOTETYPE_ID,
                now,
                tags,
                joined(&n.fields),
                n.fields.question,
                checksum(&n.fields.question),
            ])?;
            let c = &n.card;
            let deck = p
                .decks
                .get(n.deck)
                .map_or(DEFAULT_DECK_ID, |d| deck_id(&d.id));
            card.execute(params![
                id,
                id,
                deck,
                now,
                c.kind,
                c.queue,
                c.due,
                c.interval,
                c.factor,
                c.reps,
                c.lapses,
                c.left,
                card_data(c),
            ])?;
            revlog.extend(n.revlog.iter().map(|r| (r.id, i, *r)));
        }
        revlog.sort_by_key(|(at, i, _)| (*at, *i));
        let mut insert =
            tx.prepare("INSERT INTO revlog VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        let mut last = i64::MIN;
        for (at, i, r) in &revlog {
            let id = (*at).max(last.saturating_add(1));
            last = id;
            insert.execute(params![
                id,
                first_id + *i as i64,
                r.ease,
                r.interval,
                r.last_interval,
                r.factor,
                r.time_ms,
                r.kind
            ])?;
        }
    }
    tx.commit()?;
    Ok(conn.serialize("main")?.to_vec())
}

/// The `.apkg` file of a package.
pub fn write(p: &Package) -> Result<Vec<u8>, ApkgError> {
    let collection = collection(p)?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", options)?;
    zip.write_all(&collection)?;
    // Legacy packages list their media as a JSON object; there is none.
    zip.start_file("media", options)?;
    zip.write_all(b"{}")?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anki::schedule::{self, Answer, new_card};
    use crate::anki::{Deck, Note};
    use crate::clock::Instant;
    use crate::srs::{DayClock, Rating, Review, Scheduler, Settings};
    use proptest::prelude::*;

    fn package(notes: Vec<Note>) -> Package {
        Package {
            decks: vec![Deck {
                id: "d".into(),
                name: "D".into(),
                description: String::new(),
            }],
            notes,
            created_at: Instant::from_secs(1_700_000_000),
            collection_start: 1_699_920_000,
        }
    }

    fn revlog_of(bytes: &[u8]) -> Vec<(i64, i64, i64)> {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.deserialize_read_exact("main", Cursor::new(bytes), bytes.len(), true)
            .unwrap();
        conn.prepare("SELECT id, cid, ease FROM revlog ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the answers (several in one millisecond, on one card or several), the
        /// review log keeps every one, under distinct ids, each card's ratings in the order
        /// given, and each row's previous interval is the row before's interval.
        #[test]
        fn the_review_log_keeps_every_answer_in_order(
            cards in prop::collection::vec(
                prop::collection::vec((0i64..5, 1i64..=4), 1..8), 1..5)
        ) {
            let settings = Settings {
                days: DayClock::new(jiff::tz::TimeZone::UTC, 4),
                ..Settings::default()
            };
            let scheduler = Scheduler::with(&settings);
            let t0 = Instant::from_ms(1_690_000_000_000);
            let mut notes = Vec::new();
            for (i, answers) in cards.iter().enumerate() {
                // Gaps of 0 to 4 hours: several answers may share a millisecond.
                let mut at = t0;
                let answers: Vec<Answer> = answers
                    .iter()
                    .map(|&(gap, rating)| {
                        at = at + time::Duration::hours(gap);
                        Answer {
                            answered_at: at,
                            review: Review {
                                answered_at: at.secs(),
                                rating: Rating::from_number(rating).unwrap(),
                                fuzz: 0.5,
                            },
                            duration_ms: 1000,
                        }
                    })
                    .collect();
                let revlog = schedule::revlog(&answers, &scheduler, &settings.days);
                for pair in revlog.windows(2) {
                    prop_assert_eq!(pair[1].last_interval, pair[0].interval);
                }
                notes.push(Note {
                    fields: NoteFields {
                        question: format!("Q{i}"),
                        card_id: format!("e{i}/date").into(),
                        ..Default::default()
                    },
                    deck: 0,
                    tags: vec![],
                    card: new_card(i as i64 + 1),
                    revlog,
                });
            }
            let rows = revlog_of(&collection(&package(notes)).unwrap());
            prop_assert_eq!(rows.len(), cards.iter().map(Vec::len).sum::<usize>());
            let ids: std::collections::HashSet<i64> = rows.iter().map(|r| r.0).collect();
            prop_assert_eq!(ids.len(), rows.len());
            for (i, answers) in cards.iter().enumerate() {
                let cid = 1_700_000_000_000 + i as i64;
                let eases: Vec<i64> = rows.iter().filter(|r| r.1 == cid).map(|r| r.2).collect();
                let sent: Vec<i64> = answers.iter().map(|a| a.1).collect();
                prop_assert_eq!(eases, sent);
            }
        }
    }

    #[test]
    fn fields_are_html_and_the_checksum_is_anki_s() {
        assert_eq!(
            html("a < b & \"c\"\nd"),
            "a &lt; b &amp; &quot;c&quot;<br>d"
        );
        // sha1("Hello") = f7ff9e8b...
        assert_eq!(checksum("Hello"), 0xf7ff9e8b);
    }

    #[test]
    fn a_package_is_a_zip_with_a_schema_11_collection() {
        let p = Package {
            decks: vec![Deck {
                id: "d".into(),
                name: "D".into(),
                description: String::new(),
            }],
            notes: vec![Note {
                fields: NoteFields {
                    question: "Q?".into(),
                    card_id: "e/date".into(),
                    ..Default::default()
                },
                deck: 0,
                tags: vec!["t".into()],
                card: new_card(1),
                revlog: vec![],
            }],
            created_at: Instant::from_secs(1_700_000_000),
            collection_start: 1_699_920_000,
        };
        let bytes = write(&p).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().to_string())
            .collect();
        names.sort();
        assert_eq!(names, ["collection.anki2", "media"]);
        let mut db = Vec::new();
        std::io::copy(&mut archive.by_name("collection.anki2").unwrap(), &mut db).unwrap();
        let mut conn = Connection::open_in_memory().unwrap();
        conn.deserialize_read_exact("main", Cursor::new(&db), db.len(), false)
            .unwrap();
        let (ver, guid, flds): (i64, String, String) = conn
            .query_row("SELECT ver, guid, flds FROM col, notes", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .unwrap();
        assert_eq!(ver, 11);
        assert_eq!(guid, "e/date");
        assert_eq!(flds.split('\u{1f}').count(), FIELDS.len());
    }
}
