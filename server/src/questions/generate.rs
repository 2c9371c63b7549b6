//! One function per kind of question. Each is deterministic for a given seed.

use super::answer::Expected;
use super::numbers::format_figure;
use super::order::OrderItem;
use super::when::when;
use super::{CardSpec, Kind, Question, SourceRef, date_askable, distractors, stable_hash};
use crate::dataset::{Deck, DisputeAbout, Event, Figure, HistDate, Quote, Source};
use crate::text::normalize;
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::json;

/// Chronology items must be at least this many days apart so the order is fair to ask.
const CHRONOLOGY_GAP_DAYS: i64 = 180;

/// Builds the question for `card`, drawing distractors and order from `seed`.
/// Returns `None` only when `card` is not one that [`super::cards`] offers for `deck`.
pub fn generate(deck: &Deck, card: &CardSpec, seed: u64) -> Option<Question> {
    let mut rng = StdRng::seed_from_u64(seed ^ stable_hash(&[&card.id]));
    if card.kind == Kind::Speaker {
        let quote = deck.quote(&card.subject_id)?;
        return speaker_card_possible(deck, quote).then(|| speaker(deck, card, quote, &mut rng));
    }
    let event = deck.event(&card.subject_id)?;
    if card.kind == Kind::Figure {
        let figure = event.figures.get(card.figure?)?;
        return figure_card_possible(event, figure)
            .then(|| figure_question(deck, card, event, figure, &mut rng));
    }
    if !event_card_possible(deck, event, card.kind) {
        return None;
    }
    let q = match card.kind {
        Kind::Date => date(deck, card, event, &mut rng),
        Kind::EventOnDate => event_on_date(deck, card, event, &mut rng),
        Kind::Place => place(deck, card, event, &mut rng),
        Kind::Chronology => chronology(deck, card, event, &mut rng)?,
        Kind::Cloze => cloze(deck, card, event, &mut rng)?,
        Kind::TrueFalse => true_false(deck, card, event, &mut rng),
        Kind::Flashcard => flashcard(deck, card, event),
        Kind::Figure | Kind::Speaker => return None,
    };
    Some(q)
}

pub(super) fn event_card_possible(deck: &Deck, event: &Event, kind: Kind) -> bool {
    match kind {
        Kind::Date | Kind::TrueFalse => date_askable(event),
        Kind::EventOnDate => {
            !event.is_disputed(DisputeAbout::Date) && other_dated_events(deck, event).len() >= 3
        }
        Kind::Place => event.place.as_ref().is_some_and(|place| {
            !event.is_disputed(DisputeAbout::Place)
                && !mentions(&event.title, place)
                && distractors::distinct_names_besides(place, &all_places(deck)) >= 3
        }),
        Kind::Chronology => {
            date_askable(event) && pick_chronology(deck, event, None::<&mut StdRng>).is_some()
        }
        Kind::Cloze => event
            .cloze
            .as_ref()
            .is_some_and(|c| !mentions(&c.before, &c.answer) && !mentions(&c.after, &c.answer)),
        Kind::Flashcard => true,
        Kind::Figure | Kind::Speaker => false,
    }
}

pub(super) fn figure_card_possible(event: &Event, figure: &Figure) -> bool {
    let written = super::numbers::format_number(figure.value);
    !event.is_figure_disputed(figure)
        && !event.title.contains(&written)
        && !event.title.contains(&format!("{}", figure.value))
}

pub(super) fn speaker_card_possible(deck: &Deck, quote: &Quote) -> bool {
    !mentions(&quote.text, &quote.speaker)
        && distractors::distinct_names_besides(&quote.speaker, &all_speakers(deck)) >= 3
}

/// True when `text` contains `name` (first comma part, normalised) as whole words.
fn mentions(text: &str, name: &str) -> bool {
    let key = normalize(name.split(',').next().unwrap_or(name));
    !key.is_empty() && format!(" {} ", normalize(text)).contains(&format!(" {key} "))
}

fn all_places(deck: &Deck) -> Vec<String> {
    deck.events.iter().filter_map(|e| e.place.clone()).collect()
}

fn all_speakers(deck: &Deck) -> Vec<String> {
    deck.quotes.iter().map(|q| q.speaker.clone()).collect()
}

fn latest_year(deck: &Deck) -> i32 {
    deck.events
        .iter()
        .map(|e| e.end_date.unwrap_or(e.date).year)
        .max()
        .unwrap_or(0)
}

fn sources(deck: &Deck, sources: &[Source]) -> Vec<SourceRef> {
    sources
        .iter()
        .map(|s| SourceRef {
            document: s.document.clone(),
            // "Title (Publisher, date)": learners never see the file name.
            document_title: deck.citation(&s.document),
            quote: s.quote.clone(),
        })
        .collect()
}

/// Shuffles the right answer in among the distractors; returns choices and its index.
fn shuffle_in(answer: String, wrong: Vec<String>, rng: &mut impl Rng) -> (Vec<String>, usize) {
    let mut choices = wrong;
    choices.push(answer.clone());
    choices.shuffle(rng);
    let index = choices.iter().position(|c| *c == answer).unwrap_or(0);
    (choices, index)
}

struct Parts {
    prompt: String,
    answer: String,
    wrong: Vec<String>,
    answer_value: Option<serde_json::Value>,
    expected: Expected,
}

fn build(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    parts: Parts,
    rng: &mut impl Rng,
) -> Question {
    let (choices, index) = shuffle_in(parts.answer.clone(), parts.wrong, rng);
    Question {
        id: card.id.clone(),
        kind: card.kind,
        event_ids: vec![event.id.clone()],
        prompt: parts.prompt,
        choices,
        answer_index: Some(index),
        answer: parts.answer,
        answer_value: parts.answer_value,
        accepts_typed: card.kind.accepts_typed(),
        expected: parts.expected,
        items: Vec::new(),
        sources: sources(deck, &event.sources),
    }
}

fn precision_hint(d: &HistDate) -> &'static str {
    match d.precision() {
        crate::dataset::Precision::Day => "the day, month and year",
        crate::dataset::Precision::Month => "the month and year",
        crate::dataset::Precision::Year => "the year",
    }
}

fn date(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    let wrong = distractors::dates(&event.date, latest_year(deck), rng);
    let parts = Parts {
        prompt: format!(
            "When did this happen? {} (give {})",
            event.title,
            precision_hint(&event.date)
        ),
        answer: event.date.to_string(),
        wrong: wrong.iter().map(|d| d.to_string()).collect(),
        answer_value: Some(json!(event.date.iso())),
        expected: Expected::Date(event.date),
    };
    build(deck, card, event, parts, rng)
}

/// Events whose dates cannot be confused with `event`'s, nearest in time first.
fn other_dated_events<'a>(deck: &'a Deck, event: &Event) -> Vec<&'a Event> {
    let mut others: Vec<&Event> = deck
        .events
        .iter()
        .filter(|o| {
            o.id != event.id
                && !o.is_disputed(DisputeAbout::Date)
                && !o.date.overlaps(&event.date)
                && !o.end_date.is_some_and(|end| {
                    end.overlaps(&event.date)
                        || (o.date.first_day() <= event.date.first_day()
                            && end.last_day() >= event.date.last_day())
                })
                && normalize(&o.title) != normalize(&event.title)
        })
        .collect();
    others.sort_by_key(|o| (o.date.first_day() - event.date.first_day()).abs());
    others
}

fn event_on_date(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    let mut near: Vec<&Event> = other_dated_events(deck, event)
        .into_iter()
        .take(8)
        .collect();
    near.shuffle(rng);
    let parts = Parts {
        prompt: format!("Which of these happened {}?", event.date.with_preposition()),
        answer: event.title.clone(),
        wrong: near.iter().take(3).map(|e| e.title.clone()).collect(),
        answer_value: None,
        expected: Expected::ChoiceOnly,
    };
    build(deck, card, event, parts, rng)
}

fn place(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    let place = event.place.clone().unwrap_or_default();
    let wrong = distractors::names(&place, &all_places(deck), 3, rng);
    let mut accepted = vec![place.clone()];
    if let Some((town, _)) = place.split_once(',') {
        accepted.push(town.trim().to_string());
    }
    let parts = Parts {
        prompt: format!("Where did this happen? {} ({})", event.title, event.date),
        answer: place,
        wrong,
        answer_value: None,
        expected: Expected::Text(accepted),
    };
    build(deck, card, event, parts, rng)
}

fn figure_question(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    figure: &Figure,
    rng: &mut impl Rng,
) -> Question {
    let wrong = distractors::numbers(figure.value, &figure.unit, rng);
    let about = if figure.approximate { " (roughly)" } else { "" };
    let parts = Parts {
        prompt: format!(
            "{} ({}): what was the {}{about}?",
            event.title, event.date, figure.what
        ),
        answer: format_figure(figure.value, &figure.unit),
        wrong: wrong
            .iter()
            .map(|v| format_figure(*v, &figure.unit))
            .collect(),
        answer_value: Some(json!(figure.value)),
        expected: Expected::Number {
            value: figure.value,
            approximate: figure.approximate,
        },
    };
    build(deck, card, event, parts, rng)
}

/// Three further events, each at least [`CHRONOLOGY_GAP_DAYS`] from every other chosen one.
/// Without `rng` the scan is in date order, which is how availability is decided.
fn pick_chronology<'a>(
    deck: &'a Deck,
    anchor: &'a Event,
    rng: Option<&mut impl Rng>,
) -> Option<Vec<&'a Event>> {
    let mut pool: Vec<&Event> = deck
        .events
        .iter()
        .filter(|e| e.id != anchor.id && date_askable(e))
        .collect();
    pool.sort_by_key(|e| e.date.first_day());
    if let Some(rng) = rng {
        pool.shuffle(rng);
    }
    let apart = |a: &Event, b: &Event| {
        let (a_end, b_end) = (a.end_date.unwrap_or(a.date), b.end_date.unwrap_or(b.date));
        b.date.first_day() - a_end.last_day() >= CHRONOLOGY_GAP_DAYS
            || a.date.first_day() - b_end.last_day() >= CHRONOLOGY_GAP_DAYS
    };
    let mut chosen = vec![anchor];
    for e in pool {
        if chosen.iter().all(|c| apart(c, e)) {
            chosen.push(e);
            if chosen.len() == 4 {
                return Some(chosen);
            }
        }
    }
    None
}

fn chronology(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Option<Question> {
    let chosen = pick_chronology(deck, event, Some(&mut *rng))
        .or_else(|| pick_chronology(deck, event, None::<&mut StdRng>))?;
    // Shown in a shuffled order that is never already the right one.
    let mut shown = chosen.clone();
    let mut sorted = chosen.clone();
    sorted.sort_by_key(|e| e.date.first_day());
    while shown.iter().map(|e| &e.id).eq(sorted.iter().map(|e| &e.id)) {
        shown.shuffle(rng);
    }
    let items: Vec<OrderItem> = shown
        .iter()
        .map(|e| OrderItem {
            event_id: e.id.clone(),
            title: e.title.clone(),
            when: when(e),
            position: 1 + sorted.iter().position(|s| s.id == e.id).unwrap_or(0),
        })
        .collect();
    let answer = sorted
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{}. {} ({})", i + 1, e.title, when(e)))
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
        items,
        sources: sorted
            .iter()
            .flat_map(|e| sources(deck, &e.sources))
            .collect(),
    })
}

fn cloze(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Option<Question> {
    let c = event.cloze.as_ref()?;
    let parts = Parts {
        prompt: format!("Fill in the blank: {}_____{}", c.before, c.after),
        answer: c.answer.clone(),
        wrong: c.distractors.clone(),
        answer_value: None,
        expected: Expected::Text(vec![c.answer.clone()]),
    };
    Some(build(deck, card, event, parts, rng))
}

fn true_false(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    // A "false" date must lie outside the event's whole span, or a learner who knows that
    // the event ran from 1975 to 1977 is marked wrong for "true" about 1976; when no drawn
    // date does, the statement is the true one.
    let wrong = distractors::dates(&event.date, latest_year(deck), rng)
        .into_iter()
        .find(|d| !event.span_covers(d));
    let truth = rng.random_bool(0.5) || wrong.is_none();
    let shown = match wrong {
        Some(d) if !truth => d,
        _ => event.date,
    };
    let answer = if truth { "True" } else { "False" };
    let choices = vec!["True".to_string(), "False".to_string()];
    Question {
        id: card.id.clone(),
        kind: Kind::TrueFalse,
        event_ids: vec![event.id.clone()],
        prompt: format!(
            "True or false? {} — this happened {}.",
            event.title,
            shown.with_preposition()
        ),
        answer_index: Some(if truth { 0 } else { 1 }),
        choices,
        answer: answer.to_string(),
        answer_value: Some(json!(truth)),
        accepts_typed: false,
        expected: Expected::ChoiceOnly,
        items: Vec::new(),
        sources: sources(deck, &event.sources),
    }
}

fn flashcard(deck: &Deck, card: &CardSpec, event: &Event) -> Question {
    let place = event
        .place
        .as_ref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    Question {
        id: card.id.clone(),
        kind: Kind::Flashcard,
        event_ids: vec![event.id.clone()],
        prompt: event.title.clone(),
        choices: Vec::new(),
        answer_index: None,
        answer: format!("{}{place}. {}", when(event), event.summary),
        answer_value: Some(json!(event.date.iso())),
        accepts_typed: false,
        expected: Expected::SelfGraded,
        items: Vec::new(),
        sources: sources(deck, &event.sources),
    }
}

fn speaker(deck: &Deck, card: &CardSpec, quote: &Quote, rng: &mut impl Rng) -> Question {
    let wrong = distractors::names(&quote.speaker, &all_speakers(deck), 3, rng);
    let when = quote.date.map(|d| format!(" ({d})")).unwrap_or_default();
    let (choices, index) = shuffle_in(quote.speaker.clone(), wrong, rng);
    Question {
        id: card.id.clone(),
        kind: Kind::Speaker,
        event_ids: quote.event.iter().cloned().collect(),
        prompt: format!("Who said this?{when} “{}”", quote.text),
        choices,
        answer_index: Some(index),
        answer: quote.speaker.clone(),
        answer_value: None,
        accepts_typed: true,
        expected: Expected::Text(vec![quote.speaker.clone()]),
        items: Vec::new(),
        sources: sources(deck, &quote.sources),
    }
}
