//! Chronology questions: put four events in order, each far enough from the others to be
//! ordered, all inside one ten-year window.

use super::build::{QuestionRng, source_refs};
use super::date::{date_check, date_then_rest};
use crate::dataset::{Deck, Event};
use crate::questions::answer::Expected;
use crate::questions::fair::{CHRONOLOGY_GAP_DAYS, CHRONOLOGY_WINDOW_DAYS, when};
use crate::questions::{CardSpec, ChronologyItem, Kind, Question};
use crate::text::normalize;
use rand::seq::SliceRandom;

/// Events a chronology may use: their dates are askable (settled, stated, not inferred).
/// As indices into `deck.events`, nearest first: the same whatever the draw, so kept by
/// whoever draws often (normalising every title in the window on each draw was most of a
/// chronology question's cost).
pub(super) fn chronology_pool(deck: &Deck, anchor: &Event) -> Vec<usize> {
    let key = normalize(&anchor.title);
    let mut pool: Vec<usize> = deck
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            // The window first: it is cheap and rules most events out.
            e.id != anchor.id
                && (e.date.first_day() - anchor.date.first_day()).abs() <= CHRONOLOGY_WINDOW_DAYS
                && !e.ongoing
                && date_check(e).is_ok()
                && normalize(&e.title) != key
        })
        .map(|(i, _)| i)
        .collect();
    pool.sort_by_key(|&i| (deck.events[i].date.first_day() - anchor.date.first_day()).abs());
    pool
}

/// True when `a` ends at least the gap before `b` starts, or the other way round.
pub(in crate::questions) fn far_enough_apart(a: &Event, b: &Event) -> bool {
    b.date.first_day() - a.end().last_day() >= CHRONOLOGY_GAP_DAYS
        || a.date.first_day() - b.end().last_day() >= CHRONOLOGY_GAP_DAYS
}

/// Days from the earliest start to the latest end of `events`.
pub(in crate::questions) fn window_days(events: &[&Event]) -> i64 {
    let start = events.iter().map(|e| e.date.first_day()).min().unwrap_or(0);
    let end = events.iter().map(|e| e.end().last_day()).max().unwrap_or(0);
    end - start
}

/// Three further events, each far enough from every other chosen one to be ordered, all four
/// inside one ten-year window. Without `rng` the scan is nearest first, which decides
/// whether the card exists.
pub(super) fn pick_chronology<'a>(
    deck: &'a Deck,
    anchor: &'a Event,
    rng: Option<&mut QuestionRng>,
) -> Option<Vec<&'a Event>> {
    pick_from(deck, anchor, &chronology_pool(deck, anchor), rng)
}

/// [`pick_chronology`] from the anchor's [`chronology_pool`].
fn pick_from<'a>(
    deck: &'a Deck,
    anchor: &'a Event,
    pool: &[usize],
    rng: Option<&mut QuestionRng>,
) -> Option<Vec<&'a Event>> {
    let mut pool: Vec<&Event> = pool.iter().map(|&i| &deck.events[i]).collect();
    if let Some(rng) = rng {
        pool.shuffle(rng);
    }
    let mut chosen = vec![anchor];
    for e in pool {
        let mut with = chosen.clone();
        with.push(e);
        if chosen.iter().all(|c| far_enough_apart(c, e))
            && window_days(&with) <= CHRONOLOGY_WINDOW_DAYS
        {
            chosen = with;
            if chosen.len() == 4 {
                return Some(chosen);
            }
        }
    }
    None
}

pub(super) fn chronology(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    pool: &[usize],
    rng: &mut QuestionRng,
) -> Option<Question> {
    let chosen = pick_from(deck, event, pool, Some(&mut *rng))
        .or_else(|| pick_from(deck, event, pool, None))?;
    // Shown in a shuffled order that is never already the right one.
    let mut shown = chosen.clone();
    let mut sorted = chosen.clone();
    sorted.sort_by_key(|e| e.date.first_day());
    while shown.iter().map(|e| &e.id).eq(sorted.iter().map(|e| &e.id)) {
        shown.shuffle(rng);
    }
    let when_of = |e: &Event| when(&e.date, e.end_date.as_ref());
    let items: Vec<ChronologyItem> = shown
        .iter()
        .map(|e| ChronologyItem {
            event_id: e.id.clone(),
            title: e.title.clone(),
            position: 1 + sorted.iter().position(|s| s.id == e.id).unwrap_or(0),
            when: when_of(e),
        })
        .collect();
    // The learner gives each event its position; shown afterwards with the dates.
    let answer = sorted
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{}. {} ({})", i + 1, e.title, when_of(e)))
        .collect::<Vec<_>>()
        .join("; ");
    Some(Question {
        id: card.id.clone(),
        kind: Kind::Chronology,
        event_ids: sorted.iter().map(|e| e.id.clone()).collect(),
        prompt: "Put these events in order, earliest first.".to_string(),
        choices: Vec::new(),
        answer_index: None,
        answer,
        answer_value: None,
        accepts_typed: false,
        expected: Expected::ChoiceOnly,
        sources: source_refs(deck, sorted.iter().flat_map(|e| date_then_rest(e))),
        items,
        statement: None,
    })
}
