//! Place questions: "Where did this happen?", and the places offered beside the right one.

use super::build::{Checked, Parts, build, then_rest};
use super::date::date_suffix;
use crate::dataset::{Deck, DisputeAbout, Event, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::{Rule, Why, mentions_name, name_forms, sources_holding};
use crate::questions::{CardSpec, Question, distractors, fair};
use rand::Rng;

pub(super) fn place_check<'a>(
    deck: &Deck,
    event: &'a Event,
) -> Checked<(&'a str, Vec<&'a Source>)> {
    let (place, held) = place_and_quotes(deck, event)?;
    if place_pool(deck, event).len() < 3 {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three other places of the same kind",
        ));
    }
    Ok((place, held))
}

/// [`place_check`] but for the places offered beside it: the place and the quotes that
/// hold it.
fn place_and_quotes<'a>(deck: &Deck, event: &'a Event) -> Checked<(&'a str, Vec<&'a Source>)> {
    let Some(place) = event.place.as_deref() else {
        return Err(Why::new(Rule::Disputed, "no place"));
    };
    if event.is_disputed(DisputeAbout::Place) {
        return Err(Why::new(
            Rule::Disputed,
            "the articles disagree about the place",
        ));
    }
    if event.place_kind.is_none() {
        return Err(Why::new(
            Rule::PlaceKindMissing,
            format!("place `{place}` has no place_kind"),
        ));
    }
    if mentions_name(deck, &event.title, place) {
        return Err(Why::new(
            Rule::AnswerInTitle,
            format!("the title names the place `{place}`"),
        ));
    }
    let held = sources_holding(event, |q| mentions_name(deck, q, place));
    if held.is_empty() {
        return Err(Why::new(
            Rule::QuoteLacksFact,
            format!("no source quote names `{place}`"),
        ));
    }
    Ok((place, held))
}

/// Places of other events of the same kind as this event's place, less those the articles
/// tie to this event (see [`tied_to`]).
pub(super) fn place_pool(deck: &Deck, event: &Event) -> Vec<String> {
    let (Some(place), Some(kind)) = (&event.place, event.place_kind) else {
        return Vec::new();
    };
    let mut pool: Vec<String> = Vec::new();
    // Where the answer's country is known, a wrong place lies in the same one.
    let country = country_of(deck, place);
    let fits = |pool: &[String], p: &str| {
        (country.is_none() || country_of(deck, p) == country)
            && !distractors::same_name_as(p, place)
            && tied_to(deck, event, p).is_none()
            && !pool.iter().any(|q| distractors::same_name_as(q, p))
    };
    for e in &deck.events {
        if let Some(p) = &e.place
            && e.place_kind == Some(kind)
            && fits(&pool, p)
        {
            pool.push(p.clone());
        }
    }
    // Places the articles name without an event there, declared as [[name]] places.
    for n in deck.names.iter().filter(|n| n.place_kind == Some(kind)) {
        if fits(&pool, &n.name) {
            pool.push(n.name.clone());
        }
    }
    pool
}

/// The country a `[[name]]` place is declared to lie in.
pub(in crate::questions) fn country_of<'a>(deck: &'a Deck, place: &str) -> Option<&'a str> {
    deck.name(place).and_then(|n| n.country.as_deref())
}

/// Why `other` may also be where `event` happened, by what the deck itself says: the event's
/// title, summary or quotes name it (an attack "into An Giang, Kien Giang, Long An and Dong
/// Thap"), or another event at the same time is placed there (one offensive, two provinces).
/// Such a place is never offered as a wrong one; `None` when nothing ties it.
pub(in crate::questions) fn tied_to(deck: &Deck, event: &Event, other: &str) -> Option<String> {
    if names_place(deck, &event.title, other) {
        return Some("the title names it".into());
    }
    if names_place(deck, &event.summary, other) {
        return Some("the summary names it".into());
    }
    if event
        .sources
        .iter()
        .any(|s| names_place(deck, &s.quote, other))
    {
        return Some("a quote of the event names it".into());
    }
    // An event only begun before (open-ended, ongoing) may still have been there then.
    let (from, to) = (event.date.first_day(), event.end().last_day());
    let overlaps = |o: &Event| {
        (o.date.first_day() <= to && from <= o.end().last_day()) || o.may_run_into(from, to)
    };
    let at_once: Vec<&Event> = deck
        .events
        .iter()
        .filter(|o| o.id != event.id && overlaps(o))
        .collect();
    if let Some(o) = at_once.iter().find(|o| {
        o.place
            .as_deref()
            .is_some_and(|p| distractors::same_name_as(p, other))
    }) {
        return Some(format!("`{}` happened there at the same time", o.id));
    }
    // A deed of the same sort at the same time, told of that place ("massacres in Tan Lap
    // (Tay Ninh), Ba Chuc (An Giang)" beside "civilians massacred in three communes").
    at_once
        .iter()
        .find(|o| {
            fair::tells_title(&o.title, &event.title)
                && (names_place(deck, &o.summary, other)
                    || o.sources.iter().any(|s| names_place(deck, &s.quote, other)))
        })
        .map(|o| format!("`{}`, a deed of the same sort then, names it", o.id))
}

/// The question, for a card `place_check` lets through, with its event's [`place_pool`]
/// (the same whatever the draw, so kept by whoever draws often: working it out, a
/// [`tied_to`] of every other place, was most of a place question's cost).
pub(super) fn place(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    pool: &[String],
    rng: &mut impl Rng,
) -> Question {
    let (place, sources) = place_and_quotes(deck, event).unwrap_or_default();
    let wrong = distractors::names(place, pool, 3, |_, _| true, rng);
    let mut accepted = name_forms(deck, place);
    if let Some((town, _)) = place.split_once(',') {
        accepted.insert(1, town.trim().to_string());
    }
    let parts = Parts {
        prompt: format!(
            "Where did this happen? {}{}",
            event.title,
            date_suffix(event)
        ),
        answer: place.to_string(),
        wrong,
        answer_value: None,
        expected: Expected::Text(accepted),
        sources: then_rest(event, sources),
    };
    build(deck, card, event, parts, rng)
}

/// True when `text` names `place` in any of its forms, or without the word for its kind
/// ("Ba Chuc (An Giang)" names "An Giang province").
fn names_place(deck: &Deck, text: &str, place: &str) -> bool {
    if mentions_name(deck, text, place) {
        return true;
    }
    let town = place.split(',').next().unwrap_or(place).trim();
    ["province", "town", "city", "district", "island", "commune"]
        .iter()
        .filter_map(|kind| town.strip_suffix(kind))
        .any(|bare| fair::mentions(text, bare.trim()))
}
