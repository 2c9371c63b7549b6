//! A deck a teacher uploads: the size limits, the same loading and fairness lint as the
//! shipped decks, and the deck's own id namespace, so that its events and cards can never
//! collide with the shipped deck's or another teacher's.

use crate::dataset::{Deck, csv_deck, read_deck};
use crate::ids::{DeckId, EventId};
use crate::questions::lint;
use rand::Rng;
use std::path::Path;

/// The largest deck file taken. The shipped deck (83 events) is about 100 KiB.
pub const MAX_BYTES: usize = 512 * 1024;
/// The most events a deck may have; also bounds the lint's time on an upload.
pub const MAX_EVENTS: usize = 300;

/// One problem of an uploaded deck, as `file:line: message` (line 0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub text: String,
}

/// A fresh key for a new uploaded deck: `t.` and 8 hex digits. A dot is never in a slug, so
/// no shipped deck, event or quote id can take this form.
pub fn new_key(rng: &mut impl Rng) -> String {
    format!("t.{:08x}", rng.random::<u32>())
}

/// True for a key [`new_key`] makes.
pub fn is_key(s: &str) -> bool {
    s.strip_prefix("t.")
        .is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What an uploaded deck's event and quote ids become in the catalog: `KEY.id`.
pub fn namespaced(key: &str, id: &str) -> String {
    format!("{key}.{id}")
}

/// Loads `text` as a deck under `key`, checks it as `questions check` does (every loading
/// problem, then the lint of what loaded) and returns it namespaced, or every problem.
pub fn check(file_name: &str, text: &str, key: &str) -> Result<Deck, Vec<Problem>> {
    let file = Path::new(file_name);
    let whole = |text: String| Problem { line: 0, text };
    if text.len() > MAX_BYTES {
        return Err(vec![whole(too_big(text.len()))]);
    }
    let (deck, errors, converted) = if is_csv(file_name) {
        match csv_deck::read(file, text) {
            (Some((deck, converted)), errors) => (Some(deck), errors, Some(converted)),
            (None, errors) => (None, errors, None),
        }
    } else {
        let (deck, errors) = read_deck(file, text);
        (deck, errors, None)
    };
    let mut problems: Vec<Problem> = errors
        .iter()
        .map(|e| Problem {
            line: e.line,
            text: e.to_string(),
        })
        .collect();
    let Some(mut deck) = deck else {
        return Err(problems);
    };
    if deck.events.len() > MAX_EVENTS {
        problems.push(whole(format!(
            "{file_name}: the deck has {} events; an uploaded deck may have at most {MAX_EVENTS}",
            deck.events.len()
        )));
        return Err(problems);
    }
    if deck.events.is_empty() && problems.is_empty() {
        problems.push(whole(format!(
            "{file_name}: the deck has no [[event]]: nothing to study"
        )));
    }
    namespace(&mut deck, key);
    // The lint reads the deck as learners will get it (its ids drive the distractors' draw),
    // and speaks of ids as the teacher wrote them.
    let prefix = format!("{key}.");
    problems.extend(lint::lint(&deck).into_iter().map(|f| {
        let message = f.message.replace(&prefix, "");
        match &converted {
            Some(c) => {
                let (line, column) = c.locate(f.line);
                Problem {
                    line,
                    text: format!("{file_name}:{line}:{column}: {}: {message}", f.rule),
                }
            }
            None => Problem {
                line: f.line,
                text: format!("{file_name}:{}: {}: {message}", f.line, f.rule),
            },
        }
    }));
    if problems.is_empty() {
        Ok(deck)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// A stored deck loaded again at start-up, under its key. It passed the lint when it was
/// uploaded; the lint is not run again (it takes seconds a deck).
pub fn reload(
    file_name: &str,
    text: &str,
    key: &str,
) -> Result<Deck, crate::dataset::DatasetErrors> {
    let mut deck = crate::dataset::parse_deck(Path::new(file_name), &as_toml(file_name, text)?)?;
    namespace(&mut deck, key);
    Ok(deck)
}

/// True for a file Chronicle reads as CSV (by its name).
pub fn is_csv(file_name: &str) -> bool {
    file_name.to_ascii_lowercase().ends_with(".csv")
}

/// True for pasted text that is a CSV deck: its header row starts with the `record` column.
pub fn looks_like_csv(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_start().to_ascii_lowercase().starts_with("record,"))
}

/// A deck file in the TOML form: itself, or a CSV deck converted.
pub fn as_toml(file_name: &str, text: &str) -> Result<String, crate::dataset::DatasetErrors> {
    if is_csv(file_name) {
        csv_deck::to_toml(Path::new(file_name), text)
            .map(|c| c.toml)
            .map_err(crate::dataset::DatasetErrors)
    } else {
        Ok(text.to_string())
    }
}

/// The message for a file over [`MAX_BYTES`].
pub fn too_big(bytes: usize) -> String {
    format!(
        "The file is {} KiB; a deck may be at most {} KiB.",
        bytes.div_ceil(1024),
        MAX_BYTES / 1024
    )
}

/// Puts the deck and its events and quotes under `key`, and every reference between them.
fn namespace(deck: &mut Deck, key: &str) {
    let ns = |id: &str| namespaced(key, id);
    deck.id = DeckId::new(key.to_string());
    for e in &mut deck.events {
        e.id = EventId::new(ns(&e.id));
        for d in &mut e.disputes {
            d.also = d.also.iter().map(|a| ns(a)).collect();
            d.recorded_on = d.recorded_on.as_deref().map(ns);
        }
    }
    for q in &mut deck.quotes {
        q.id = ns(&q.id);
        q.event = q.event.as_deref().map(|e| EventId::new(ns(e)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = r#"[deck]
id = "mine"
title = "Mine"
description = "A teacher's deck"
language = "en"

[[document]]
id = "a.txt"
title = "Article A"

[[era]]
id = "war"
title = "War"
start = "1400"

[[event]]
id = "one"
date = "1431-01-01"
title = "A siege begins"
summary = "Our words."
era = "war"
[[event.source]]
document = "a.txt"
quote = "the siege began in 1431"
"#;

    #[test]
    fn keys_are_never_slugs() {
        let key = new_key(&mut rand::rng());
        assert!(is_key(&key), "{key}");
        assert!(!crate::dataset::is_slug(&key));
        assert!(!is_key("t.123"));
        assert!(!is_key("vietnam-cambodia"));
    }

    #[test]
    fn a_checked_deck_is_namespaced() {
        let deck = check("mine.toml", DECK, "t.0000abcd").unwrap();
        assert_eq!(deck.id, "t.0000abcd");
        assert_eq!(deck.events[0].id, "t.0000abcd.one");
    }

    #[test]
    fn size_limits() {
        let big = format!("{DECK}\n#{}", "x".repeat(MAX_BYTES));
        let problems = check("mine.toml", &big, "t.0000abcd").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].text.contains("at most 512 KiB"), "{problems:?}");
    }
}
