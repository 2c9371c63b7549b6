//! Date questions: "When did this happen?" and "Which event happened on this date?", the
//! wrong dates they offer, and when a date may be asked at all.

use super::build::{Checked, Parts, build, then_rest};
use crate::dataset::{Deck, DisputeAbout, Event, HistDate, Precision, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::{Rule, Why, date_sources, when, when_phrase};
use crate::questions::{CardSpec, Question, distractors, fair};
use crate::text::normalize;
use rand::Rng;
use rand::seq::SliceRandom;
use serde_json::json;

/// The date can be asked: not disputed, not inferred, not in the title, stated in a quote.
/// Gives the sources that state it.
pub(super) fn date_check(event: &Event) -> Checked<Vec<&Source>> {
    if event.is_disputed(DisputeAbout::Date)
        || (event.end_date.is_some() && event.is_disputed(DisputeAbout::EndDate))
    {
        return Err(Why::new(
            Rule::Disputed,
            "the articles disagree about the date",
        ));
    }
    if event.date_inferred {
        return Err(Why::new(
            Rule::InferredDate,
            "the date is inferred (date_inferred = true), so it is never asked",
        ));
    }
    if fair::has_date(&event.title) {
        return Err(Why::new(Rule::TitleDate, "the title gives a date away"));
    }
    if fair::names_anniversary(&event.title) {
        return Err(Why::new(
            Rule::TitleAnniversary,
            "the title names which anniversary it marks, so its date follows from the original's",
        ));
    }
    date_sources(event).ok_or_else(|| {
        Why::new(
            Rule::QuoteLacksFact,
            format!(
                "no source quote states {}",
                when(&event.date, event.end_date.as_ref())
            ),
        )
    })
}

/// The days a wrong date for `event` may lie in (a single date must touch it, a span lie
/// wholly inside it): its era and a year either side (for a span, at least its own length and
/// a year after it), inside the deck's own dates. A date far outside it ("1966-1968" for a deed of a regime that took power
/// in 1975) is ruled out by the title alone. An ongoing event ("from 2015 up to now") covers
/// every later date, so its wrong dates lie before it.
pub(in crate::questions) fn date_window(deck: &Deck, event: &Event) -> (i64, i64) {
    let dated = deck.events.iter().filter(|e| !e.date_inferred);
    let deck_from = dated
        .clone()
        .map(|e| e.date.first_day())
        .min()
        .unwrap_or(i64::MIN);
    let deck_to = dated.map(|e| e.end().last_day()).max().unwrap_or(i64::MAX);
    let (mut from, mut to) = match deck.era(&event.era) {
        Some(era) => (
            era.start.first_day() - 365,
            era.end.map_or(deck_to, |end| end.last_day() + 365),
        ),
        None => (deck_from, deck_to),
    };
    // A span also gets its own length and a year after it, as room for three wrong spans
    // clear of it and of each other (the second stage of the war, January 1978 to January
    // 1979, runs past its era's end). Not before it: "remnants" of a regime in the years
    // before it fell would be ruled out by the title alone.
    if let Some(end) = event.end_date {
        let room = end.last_day() - event.date.first_day() + 366;
        to = to.max(end.last_day() + room);
    }
    from = from.max(deck_from);
    to = to.min(deck_to);
    // An open-ended event (only its start is told) may have run on: its wrong dates too.
    if event.ongoing || event.is_open_ended() {
        to = to.min(event.date.first_day() - 1);
    }
    (from, to)
}

/// The event's date as a question expects it: a day, month or year, or a span.
fn expected_date(event: &Event) -> Expected {
    match event.end_date {
        Some(to) => Expected::DateSpan {
            from: event.date,
            to,
        },
        None => Expected::Date(event.date),
    }
}

pub(super) fn date_value(event: &Event) -> serde_json::Value {
    match &event.end_date {
        Some(end) => json!(format!("{}/{}", event.date.iso(), end.iso())),
        None => json!(event.date.iso()),
    }
}

/// Wrong dates for `event`, written as its date is: spans for a span, and never inside it.
/// Only dates inside [`date_window`] are offered; fewer than three means the date card is
/// not asked (see [`date_distractors_check`]).
pub(super) fn wrong_dates(deck: &Deck, event: &Event, rng: &mut impl Rng) -> Vec<String> {
    let (lo, hi) = date_window(deck, event);
    let span_fits = |a: &HistDate, b: &HistDate| a.first_day() >= lo && b.last_day() <= hi;
    // A year need only touch the window: "1978" is fair beside an era ending in April.
    let date_fits =
        |d: &HistDate| d.last_day() >= lo && d.first_day() <= hi && !event.span_covers(d);
    match &event.end_date {
        Some(end) => distractors::spans(&event.date, end, span_fits, rng)
            .iter()
            .map(|(a, b)| when(a, Some(b)))
            .collect(),
        None => distractors::dates(&event.date, date_fits, rng)
            .iter()
            .map(|d| d.to_string())
            .collect(),
    }
}

/// How many wrong dates [`wrong_dates`] finds at least, whatever the draw.
fn wrong_dates_available(deck: &Deck, event: &Event) -> usize {
    let (lo, hi) = date_window(deck, event);
    match &event.end_date {
        Some(end) => distractors::spans_available(&event.date, end, |a, b| {
            a.first_day() >= lo && b.last_day() <= hi
        }),
        None => distractors::dates_available(&event.date, |d| {
            d.last_day() >= lo && d.first_day() <= hi && !event.span_covers(d)
        }),
    }
}

/// Three wrong dates inside the plausible window, or the rule that stops a date question.
pub(super) fn date_distractors_check(deck: &Deck, event: &Event) -> Checked<()> {
    if wrong_dates_available(deck, event) < 3 {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three wrong dates lie in the event's era (a year either side)",
        ));
    }
    Ok(())
}

/// "When did this happen?", or "begin" for an event still going on in the articles or one
/// whose date is only its start.
fn happen(event: &Event) -> &'static str {
    if began_only(event) { "begin" } else { "happen" }
}

/// The event's date is when it began, not the whole of it: ongoing, or open-ended.
pub(super) fn began_only(event: &Event) -> bool {
    event.ongoing || event.is_open_ended()
}

/// The quotes that state the date, then the event's other quotes: a date alone ("from 1979
/// to 1989") does not show what happened then, so the rest is cited beside it.
pub(super) fn date_then_rest(event: &Event) -> Vec<&Source> {
    then_rest(event, date_check(event).unwrap_or_default())
}

pub(super) fn date(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    let sources = date_then_rest(event);
    let parts = Parts {
        prompt: format!("When did this {}? {}", happen(event), event.title),
        answer: when(&event.date, event.end_date.as_ref()),
        wrong: wrong_dates(deck, event, rng),
        answer_value: Some(date_value(event)),
        expected: expected_date(event),
        sources,
    };
    build(deck, card, event, parts, rng)
}

/// Events whose dates cannot be confused with `event`'s, nearest in time first: their dates
/// are settled, stated, kept out of their titles, and clear of `event`'s whole span, and
/// none began before it with no end told (open-ended, ongoing): it may have run into it.
pub(super) fn other_dated_events<'a>(deck: &'a Deck, event: &Event) -> Vec<&'a Event> {
    let key = normalize(&event.title);
    let mut others: Vec<&Event> = deck
        .events
        .iter()
        .filter(|o| {
            o.id != event.id
                && !o.is_disputed(DisputeAbout::Date)
                && !o.is_disputed(DisputeAbout::EndDate)
                && !o.date_inferred
                && !fair::has_date(&o.title)
                && (o.end().last_day() < event.date.first_day()
                    || o.date.first_day() > event.end().last_day())
                && !o.may_run_into(event.date.first_day(), event.end().last_day())
                && normalize(&o.title) != key
                && part_of_one_then(deck, o, event).is_none()
        })
        .collect();
    others.sort_by_key(|o| (o.date.first_day() - event.date.first_day()).abs());
    others
}

/// An event of `o`'s own sort (the same tags), dated only by years where `o` is dated more
/// finely, whose span holds `o` and runs into `event`'s dates: `o` may be read as part of it,
/// and so as something that happened then ("Khmer Rouge infiltrate a border area", October
/// 1975, inside the raids of "the end of 1975 and the beginning of 1976", beside a question
/// on February 1976). A finely dated span (a stage of the war, day to day) says when each
/// of its parts happened, so its parts stay fair.
pub(in crate::questions) fn part_of_one_then<'a>(
    deck: &'a Deck,
    o: &Event,
    event: &Event,
) -> Option<&'a Event> {
    let same_sort = |x: &Event| {
        !x.tags.is_empty()
            && x.tags.len() == o.tags.len()
            && x.tags.iter().all(|t| o.tags.contains(t))
    };
    let loose = |x: &Event| {
        let year = |d: &HistDate| d.precision() == Precision::Year;
        (year(&x.date) || year(&x.end())) && !(year(&o.date) && year(&o.end()))
    };
    deck.events.iter().find(|x| {
        x.id != o.id
            && x.id != event.id
            && same_sort(x)
            && loose(x)
            && x.date.first_day() <= o.date.first_day()
            && o.end().last_day() <= x.end().last_day()
            && x.date.first_day() <= event.end().last_day()
            && event.date.first_day() <= x.end().last_day()
    })
}

/// The eight events nearest in time whose dates cannot be confused with `event`'s, as
/// indices into `deck.events`: what an event-on-date question draws its wrong answers from,
/// the same for every draw (so kept per card: the scan was most of a question's cost).
pub(super) fn nearest_dated_others(deck: &Deck, event: &Event) -> Vec<usize> {
    other_dated_events(deck, event)
        .into_iter()
        .take(8)
        .filter_map(|o| deck.events.iter().position(|e| std::ptr::eq(e, o)))
        .collect()
}

/// `near` is [`nearest_dated_others`] of `event`.
pub(super) fn event_on_date(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    near: &[usize],
    rng: &mut impl Rng,
) -> Question {
    let mut near: Vec<&Event> = near.iter().map(|&i| &deck.events[i]).collect();
    near.shuffle(rng);
    let parts = Parts {
        prompt: format!(
            "Which of these {} {}?",
            if began_only(event) {
                "began"
            } else {
                "happened"
            },
            when_phrase(&event.date, event.end_date.as_ref())
        ),
        answer: event.title.clone(),
        wrong: near.iter().take(3).map(|e| e.title.clone()).collect(),
        answer_value: None,
        expected: Expected::ChoiceOnly,
        sources: date_then_rest(event),
    };
    build(deck, card, event, parts, rng)
}

/// " (1979)" after a title, unless the date is inferred (then it is not shown as a fact).
pub(super) fn date_suffix(event: &Event) -> String {
    // Neither an inferred date nor one the articles disagree on is shown as the event's.
    if event.date_inferred
        || event.is_disputed(DisputeAbout::Date)
        || event.is_disputed(DisputeAbout::EndDate)
    {
        String::new()
    } else {
        format!(" ({})", when(&event.date, event.end_date.as_ref()))
    }
}
