//! One function per kind of question. Each is deterministic for a given seed, and asks only
//! what [`super::fair`] allows: every `*_check` says why a card cannot be asked, if it cannot.

use super::answer::Expected;
use super::fair::{
    self, CHRONOLOGY_GAP_DAYS, CHRONOLOGY_WINDOW_DAYS, Rule, Why, date_sources, excluded_by,
    mentions, mentions_name, name_forms, qualifier_words, sources_holding, states_number, when,
    when_phrase,
};
use super::numbers::format_count;
use super::{CardSpec, ChronologyItem, Kind, Question, SourceRef, Statement, distractors};
use crate::dataset::{Deck, DisputeAbout, Event, Figure, Quote, Source};
use crate::text::normalize;
use rand::Rng;
use rand::SeedableRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

/// The question generator's random stream. ChaCha8 is specified to give the same stream on
/// every platform and version, unlike `StdRng`; answers are graded by regenerating the
/// question from its seed, so a changed stream would grade learners against other choices.
pub type QuestionRng = ChaCha8Rng;

type Checked<T> = Result<T, Why>;

/// Builds the question for `card`, drawing distractors and order from `seed`.
/// Returns `None` only when `card` is not one that [`super::cards`] offers for `deck`.
pub fn generate(deck: &Deck, card: &CardSpec, seed: u64) -> Option<Question> {
    let mut rng = QuestionRng::seed_from_u64(seed ^ super::stable_hash(&[&card.id]));
    if card.kind == Kind::Speaker {
        let quote = deck.quote(&card.subject_id)?;
        return speaker_check(deck, quote)
            .ok()
            .map(|_| speaker(deck, card, quote, &mut rng));
    }
    let event = deck.event(&card.subject_id)?;
    if card.kind == Kind::Figure {
        let figure = event.figures.get(card.figure?)?;
        return figure_check(deck, event, figure)
            .ok()
            .map(|_| figure_question(deck, card, event, figure, &mut rng));
    }
    event_card_check(deck, event, card.kind).ok()?;
    match card.kind {
        Kind::Date => Some(date(deck, card, event, &mut rng)),
        Kind::EventOnDate => Some(event_on_date(deck, card, event, &mut rng)),
        Kind::Place => Some(place(deck, card, event, &mut rng)),
        Kind::Chronology => chronology(deck, card, event, &mut rng),
        Kind::Cloze => cloze(deck, card, event, &mut rng),
        Kind::TrueFalse => true_false(deck, card, event, &mut rng),
        Kind::Flashcard => Some(flashcard(deck, card, event)),
        Kind::Figure | Kind::Speaker => None,
    }
}

/// Whether `kind` can be asked fairly of `event`, and if not, which rule stops it.
pub(super) fn event_card_check(deck: &Deck, event: &Event, kind: Kind) -> Checked<()> {
    match kind {
        Kind::Date => {
            date_check(event)?;
            date_distractors_check(deck, event)
        }
        Kind::EventOnDate => {
            date_check(event)?;
            if other_dated_events(deck, event).len() < 3 {
                return Err(Why::new(
                    Rule::TooFewDistractors,
                    "fewer than three other events lie clear of this date",
                ));
            }
            Ok(())
        }
        Kind::Place => place_check(deck, event).map(|_| ()),
        Kind::Chronology => {
            date_check(event)?;
            if event.ongoing {
                return Err(Why::new(
                    Rule::ChronologySpacing,
                    "an ongoing state of affairs has no one place in an order",
                ));
            }
            pick_chronology(deck, event, None)
                .map(|_| ())
                .ok_or_else(|| {
                    Why::new(
                        Rule::ChronologySpacing,
                        format!(
                            "no three other events lie at least {CHRONOLOGY_GAP_DAYS} days apart \
                         within ten years of this one"
                        ),
                    )
                })
        }
        Kind::Cloze => cloze_check(event),
        Kind::TrueFalse => {
            if statement_kinds(deck, event).is_empty() {
                // The date's reason is the likeliest one to act on.
                date_check(event)?;
                return Err(Why::new(
                    Rule::TooFewDistractors,
                    "no fact of this event can be stated falsely",
                ));
            }
            Ok(())
        }
        Kind::Flashcard => Ok(()),
        Kind::Figure | Kind::Speaker => Err(Why::new(Rule::Disputed, "not an event card")),
    }
}

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

fn place_check<'a>(deck: &Deck, event: &'a Event) -> Checked<(&'a str, Vec<&'a Source>)> {
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
    if place_pool(deck, event).len() < 3 {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three other places of the same kind",
        ));
    }
    Ok((place, held))
}

pub(super) fn figure_check<'a>(
    deck: &Deck,
    event: &'a Event,
    figure: &Figure,
) -> Checked<Vec<&'a Source>> {
    let _ = deck;
    let held = figure_fact_check(event, figure)?;
    if figure.qualifier.is_bound() {
        // "More than 10 km" rules out no rival: "more than 8" is true too, "more than 20"
        // may be. Only a contradicting true/false statement ("under 8 km") is fair.
        return Err(Why::new(
            Rule::DistractorNotExcluded,
            format!(
                "the {} is a bound (“{}…”), which rules no rival figure out; it is asked \
                 as true/false instead",
                figure.what,
                qualifier_words(figure.qualifier).trim()
            ),
        ));
    }
    if figure_distractors(figure, &mut QuestionRng::seed_from_u64(0)).len() < 3 {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three numbers the qualifier rules out",
        ));
    }
    Ok(held)
}

/// The figure may be stated at all: settled, not in the title, written in a quote.
fn figure_fact_check<'a>(event: &'a Event, figure: &Figure) -> Checked<Vec<&'a Source>> {
    if event.is_figure_disputed(figure) {
        return Err(Why::new(
            Rule::Disputed,
            format!("the articles disagree about the {}", figure.what),
        ));
    }
    let written = super::numbers::format_number(figure.value);
    if states_number(&event.title, figure.value) || states_number(&figure.what, figure.value) {
        return Err(Why::new(
            Rule::AnswerInTitle,
            format!("the title gives the figure {written} away"),
        ));
    }
    let held = sources_holding(event, |q| states_number(q, figure.value));
    if held.is_empty() {
        return Err(Why::new(
            Rule::QuoteLacksFact,
            format!("no source quote writes the number {written}"),
        ));
    }
    Ok(held)
}

pub(super) fn speaker_check<'a>(deck: &Deck, quote: &'a Quote) -> Checked<Vec<&'a Source>> {
    if name_forms(deck, &quote.speaker)
        .iter()
        .any(|f| mentions(&quote.text, f))
    {
        return Err(Why::new(
            Rule::AnswerInPrompt,
            "the words name their speaker",
        ));
    }
    // One cited quote must tie the speaker to the words: a name here and the words there
    // would not show who said them.
    let held: Vec<&Source> = quote
        .sources
        .iter()
        .filter(|s| {
            mentions_name(deck, &s.quote, &quote.speaker)
                && fair::holds_words(&s.quote, &quote.text)
        })
        .collect();
    if held.is_empty() {
        return Err(Why::new(
            Rule::QuoteLacksFact,
            format!(
                "no source quote both names the speaker `{}` and holds the words",
                quote.speaker
            ),
        ));
    }
    if distractors::distinct_names_besides(&quote.speaker, &rival_speakers(deck, quote), |a, b| {
        !deck.related_names(a, b)
    }) < 3
    {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three other speakers who are not this one's group or members, nor \
             named in the words",
        ));
    }
    Ok(held)
}

/// Speakers who could have said `quote`: not one its words name (a quote condemning "the Pol
/// Pot regime" is not Pol Pot's).
fn rival_speakers(deck: &Deck, quote: &Quote) -> Vec<String> {
    all_speakers(deck)
        .into_iter()
        .filter(|s| !mentions_name(deck, &quote.text, s))
        .collect()
}

fn cloze_check(event: &Event) -> Checked<()> {
    let Some(c) = &event.cloze else {
        return Err(Why::new(Rule::Disputed, "no cloze"));
    };
    let forms = std::iter::once(&c.answer).chain(&c.aliases);
    for f in forms {
        if mentions(&c.before, f) || mentions(&c.after, f) {
            return Err(Why::new(
                Rule::AnswerInPrompt,
                format!("the sentence repeats the blank `{f}`"),
            ));
        }
    }
    if let Some(why) = fair::cloze_grammar_leak(&c.before, &c.answer, &c.distractors) {
        return Err(Why::new(Rule::ClozeGrammar, why));
    }
    Ok(())
}

fn all_speakers(deck: &Deck) -> Vec<String> {
    deck.quotes.iter().map(|q| q.speaker.clone()).collect()
}

/// Places of other events of the same kind as this event's place.
fn place_pool(deck: &Deck, event: &Event) -> Vec<String> {
    let (Some(place), Some(kind)) = (&event.place, event.place_kind) else {
        return Vec::new();
    };
    let mut pool: Vec<String> = Vec::new();
    for e in &deck.events {
        if let Some(p) = &e.place
            && e.place_kind == Some(kind)
            && !distractors::same_name_as(p, place)
            && !mentions_name(deck, &event.title, p)
            && !pool.iter().any(|q| distractors::same_name_as(q, p))
        {
            pool.push(p.clone());
        }
    }
    // Places the articles name without an event there, declared as [[name]] places.
    for n in deck.names.iter().filter(|n| n.place_kind == Some(kind)) {
        let p = &n.name;
        if !distractors::same_name_as(p, place)
            && !mentions_name(deck, &event.title, p)
            && !pool.iter().any(|q| distractors::same_name_as(q, p))
        {
            pool.push(p.clone());
        }
    }
    pool
}

/// The days a wrong date for `event` may lie in (a single date must touch it, a span lie
/// wholly inside it): its era and a year either side, inside the deck's own dates. A date far outside it ("1966-1968" for a deed of a regime that took power
/// in 1975) is ruled out by the title alone. An ongoing event ("from 2015 up to now") covers
/// every later date, so its wrong dates lie before it.
pub(super) fn date_window(deck: &Deck, event: &Event) -> (i64, i64) {
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
    from = from.max(deck_from);
    to = to.min(deck_to);
    if event.ongoing {
        to = to.min(event.date.first_day() - 1);
    }
    (from, to)
}

pub(super) fn source_refs<'a>(
    deck: &Deck,
    sources: impl IntoIterator<Item = &'a Source>,
) -> Vec<SourceRef> {
    sources
        .into_iter()
        .map(|s| SourceRef {
            document: s.document.clone(),
            document_title: deck.document_title(&s.document).to_string(),
            citation: deck.citation(&s.document),
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

struct Parts<'a> {
    prompt: String,
    answer: String,
    wrong: Vec<String>,
    answer_value: Option<serde_json::Value>,
    expected: Expected,
    sources: Vec<&'a Source>,
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
        sources: source_refs(deck, parts.sources),
        items: Vec::new(),
        statement: None,
    }
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

fn date_value(event: &Event) -> serde_json::Value {
    match &event.end_date {
        Some(end) => json!(format!("{}/{}", event.date.iso(), end.iso())),
        None => json!(event.date.iso()),
    }
}

/// Wrong dates for `event`, written as its date is: spans for a span, and never inside it.
/// Only dates inside [`date_window`] are offered; fewer than three means the date card is
/// not asked (see [`date_distractors_check`]).
fn wrong_dates(deck: &Deck, event: &Event, rng: &mut impl Rng) -> Vec<String> {
    let (lo, hi) = date_window(deck, event);
    match &event.end_date {
        Some(end) => distractors::spans(
            &event.date,
            end,
            |a, b| a.first_day() >= lo && b.last_day() <= hi,
            rng,
        )
        .iter()
        .map(|(a, b)| when(a, Some(b)))
        .collect(),
        None => distractors::dates(
            &event.date,
            // A year need only touch the window: "1978" is fair beside an era ending in April.
            |d| d.last_day() >= lo && d.first_day() <= hi && !event.span_covers(d),
            rng,
        )
        .iter()
        .map(|d| d.to_string())
        .collect(),
    }
}

/// Three wrong dates inside the plausible window, or the rule that stops a date question.
fn date_distractors_check(deck: &Deck, event: &Event) -> Checked<()> {
    if wrong_dates(deck, event, &mut QuestionRng::seed_from_u64(0)).len() < 3 {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three wrong dates lie in the event's era (a year either side)",
        ));
    }
    Ok(())
}

/// "When did this happen?", or "begin" for an event still going on in the articles.
fn happen(event: &Event) -> &'static str {
    if event.ongoing { "begin" } else { "happen" }
}

fn date(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    let sources = date_check(event).unwrap_or_default();
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
/// are settled, stated, kept out of their titles, and clear of `event`'s whole span.
fn other_dated_events<'a>(deck: &'a Deck, event: &Event) -> Vec<&'a Event> {
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
                && ((o.end().last_day() < event.date.first_day() && !o.ongoing)
                    || o.date.first_day() > event.end().last_day())
                && normalize(&o.title) != key
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
        prompt: format!(
            "Which of these {} {}?",
            if event.ongoing { "began" } else { "happened" },
            when_phrase(&event.date, event.end_date.as_ref())
        ),
        answer: event.title.clone(),
        wrong: near.iter().take(3).map(|e| e.title.clone()).collect(),
        answer_value: None,
        expected: Expected::ChoiceOnly,
        sources: date_check(event).unwrap_or_default(),
    };
    build(deck, card, event, parts, rng)
}

/// " (1979)" after a title, unless the date is inferred (then it is not shown as a fact).
fn date_suffix(event: &Event) -> String {
    if event.date_inferred {
        String::new()
    } else {
        format!(" ({})", when(&event.date, event.end_date.as_ref()))
    }
}

fn place(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Question {
    let (place, sources) = place_check(deck, event).unwrap_or_default();
    let wrong = distractors::names(place, &place_pool(deck, event), 3, |_, _| true, rng);
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
        sources,
    };
    build(deck, card, event, parts, rng)
}

fn figure_distractors(figure: &Figure, rng: &mut impl Rng) -> Vec<f64> {
    distractors::numbers(
        figure.value,
        &figure.unit,
        |x| excluded_by(figure.qualifier, figure.value, x),
        rng,
    )
}

fn figure_text(figure: &Figure, value: f64) -> String {
    format_count(value, &figure.unit, figure.unit_singular.as_deref())
}

fn figure_question(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    figure: &Figure,
    rng: &mut impl Rng,
) -> Question {
    let sources = figure_check(deck, event, figure).unwrap_or_default();
    let wrong = figure_distractors(figure, rng);
    let bound = qualifier_words(figure.qualifier).trim();
    let hint = if bound.is_empty() {
        String::new()
    } else {
        format!(" (the articles say “{bound} …”)")
    };
    let parts = Parts {
        prompt: format!(
            "{}{}: what was the {}?{hint}",
            event.title,
            date_suffix(event),
            figure.what
        ),
        answer: figure_text(figure, figure.value),
        wrong: wrong.iter().map(|v| figure_text(figure, *v)).collect(),
        answer_value: Some(json!(figure.value)),
        expected: Expected::Number {
            value: figure.value,
            approximate: matches!(
                figure.qualifier,
                crate::dataset::Qualifier::About | crate::dataset::Qualifier::Nearly
            ),
        },
        sources,
    };
    build(deck, card, event, parts, rng)
}

/// Events a chronology may use: their dates are askable (settled, stated, not inferred).
fn chronology_pool<'a>(deck: &'a Deck, anchor: &Event) -> Vec<&'a Event> {
    let key = normalize(&anchor.title);
    let mut pool: Vec<&Event> = deck
        .events
        .iter()
        .filter(|e| {
            // The window first: it is cheap and rules most events out.
            e.id != anchor.id
                && (e.date.first_day() - anchor.date.first_day()).abs() <= CHRONOLOGY_WINDOW_DAYS
                && !e.ongoing
                && date_check(e).is_ok()
                && normalize(&e.title) != key
        })
        .collect();
    pool.sort_by_key(|e| (e.date.first_day() - anchor.date.first_day()).abs());
    pool
}

/// True when `a` ends at least the gap before `b` starts, or the other way round.
pub(super) fn far_enough_apart(a: &Event, b: &Event) -> bool {
    b.date.first_day() - a.end().last_day() >= CHRONOLOGY_GAP_DAYS
        || a.date.first_day() - b.end().last_day() >= CHRONOLOGY_GAP_DAYS
}

/// Days from the earliest start to the latest end of `events`.
pub(super) fn window_days(events: &[&Event]) -> i64 {
    let start = events.iter().map(|e| e.date.first_day()).min().unwrap_or(0);
    let end = events.iter().map(|e| e.end().last_day()).max().unwrap_or(0);
    end - start
}

/// Three further events, each far enough from every other chosen one to be ordered, all four
/// inside one ten-year window. Without `rng` the scan is nearest first, which decides
/// whether the card exists.
fn pick_chronology<'a>(
    deck: &'a Deck,
    anchor: &'a Event,
    rng: Option<&mut QuestionRng>,
) -> Option<Vec<&'a Event>> {
    let mut pool = chronology_pool(deck, anchor);
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

fn chronology(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    rng: &mut QuestionRng,
) -> Option<Question> {
    let chosen = pick_chronology(deck, event, Some(&mut *rng))
        .or_else(|| pick_chronology(deck, event, None))?;
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
        sources: source_refs(
            deck,
            sorted
                .iter()
                .flat_map(|e| date_check(e).unwrap_or_default()),
        ),
        items,
        statement: None,
    })
}

fn cloze(deck: &Deck, card: &CardSpec, event: &Event, rng: &mut impl Rng) -> Option<Question> {
    let c = event.cloze.as_ref()?;
    let mut accepted = vec![c.answer.clone()];
    accepted.extend(c.aliases.iter().cloned());
    let parts = Parts {
        prompt: format!("Fill in the blank: {}_____{}", c.before, c.after),
        answer: c.answer.clone(),
        wrong: c.distractors.clone(),
        answer_value: None,
        expected: Expected::Text(accepted),
        sources: event.sources.iter().collect(),
    };
    Some(build(deck, card, event, parts, rng))
}

/// What a true/false statement may be about for this event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    Date,
    Place,
    Actor,
    Figure(usize),
}

fn statement_kinds(deck: &Deck, event: &Event) -> Vec<About> {
    let mut out = Vec::new();
    if date_check(event).is_ok()
        && !wrong_dates(deck, event, &mut QuestionRng::seed_from_u64(0)).is_empty()
    {
        out.push(About::Date);
    }
    if place_check(deck, event).is_ok() && !false_places(deck, event).is_empty() {
        out.push(About::Place);
    }
    if !true_actors(deck, event).is_empty() && !false_actors(deck, event).is_empty() {
        out.push(About::Actor);
    }
    for (i, f) in event.figures.iter().enumerate() {
        if figure_fact_check(event, f).is_ok()
            && false_figure(f, &mut QuestionRng::seed_from_u64(0)).is_some()
        {
            out.push(About::Figure(i));
        }
    }
    out
}

/// The event's own words (title, summary, quotes), normalised once, so that a statement
/// naming something they mention is never called false.
struct EventWords(String);

impl EventWords {
    fn of(event: &Event) -> Self {
        let mut all = vec![normalize(&event.title), normalize(&event.summary)];
        all.extend(event.sources.iter().map(|s| normalize(&s.quote)));
        EventWords(format!(" {} ", all.join(" | ")))
    }

    fn mention(&self, deck: &Deck, name: &str) -> bool {
        name_forms(deck, name).iter().any(|f| {
            let key = normalize(f.split(',').next().unwrap_or(f));
            !key.is_empty() && self.0.contains(&format!(" {key} "))
        })
    }
}

/// Other events told the same way (same title) could make a false statement true.
fn twins<'a>(deck: &'a Deck, event: &'a Event) -> Vec<&'a Event> {
    let key = normalize(&event.title);
    deck.events
        .iter()
        .filter(|e| e.id != event.id && e.title.len() == event.title.len())
        .filter(|e| normalize(&e.title) == key)
        .collect()
}

fn false_places(deck: &Deck, event: &Event) -> Vec<String> {
    let words = EventWords::of(event);
    let twins = twins(deck, event);
    place_pool(deck, event)
        .into_iter()
        .filter(|p| {
            !words.mention(deck, p) && !twins.iter().any(|t| t.place.as_deref() == Some(p.as_str()))
        })
        .collect()
}

/// The event's actors that one of its quotes names, so a true statement can cite it.
fn true_actors<'a>(deck: &Deck, event: &'a Event) -> Vec<&'a String> {
    if event.is_disputed(DisputeAbout::Actors) {
        return Vec::new();
    }
    event
        .actors
        .iter()
        .filter(|a| {
            // "Pracheachon editorial …: Pracheachon took part" only repeats the title.
            !mentions_name(deck, &event.title, a)
                && event
                    .sources
                    .iter()
                    .any(|s| mentions_name(deck, &s.quote, a))
        })
        .collect()
}

/// Words that say an actor came into being at an event.
const FOUNDING_WORDS: [&str; 5] = ["founded", "formed", "established", "set up", "created"];

/// The cited proof that `actor` had no part in `event`: the actor was founded only after it
/// ended (the event's own date and the founding's, both stated in quotes). Anything short
/// of that ("the articles do not name it") is not a fact a learner can be marked on.
fn refutation<'a>(deck: &'a Deck, event: &'a Event, actor: &str) -> Option<Vec<&'a Source>> {
    let mine = date_check(event).ok()?;
    deck.events.iter().find_map(|f| {
        let founds = f.actors.iter().any(|a| distractors::same_name_as(a, actor))
            && FOUNDING_WORDS
                .iter()
                .any(|w| mentions(&f.title, w) || mentions(&f.summary, w));
        if !founds || f.date.first_day() <= event.end().last_day() {
            return None;
        }
        let theirs: Vec<&Source> = date_check(f)
            .ok()?
            .into_iter()
            .filter(|s| mentions_name(deck, &s.quote, actor))
            .collect();
        (!theirs.is_empty()).then(|| mine.iter().copied().chain(theirs).collect())
    })
}

/// Actors of other events who are not this one's, nor its groups or members, whom nothing
/// the event says mentions, and whom the cited sources show could not have taken part.
fn false_actors(deck: &Deck, event: &Event) -> Vec<String> {
    let words = EventWords::of(event);
    let twins = twins(deck, event);
    let mut out: Vec<String> = Vec::new();
    for other in deck.events.iter().filter(|e| e.id != event.id) {
        for a in &other.actors {
            if out.contains(a) {
                continue;
            }
            let involved = event.actors.iter().any(|mine| {
                distractors::same_name_as(mine, a)
                    || deck.related_names(mine, a)
                    || name_forms(deck, mine).iter().any(|f| mentions(a, f))
            });
            if !involved
                && !words.mention(deck, a)
                && !twins.iter().any(|t| t.actors.contains(a))
                && !out.contains(a)
                && refutation(deck, event, a).is_some()
            {
                out.push(a.clone());
            }
        }
    }
    out
}

fn true_false(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    rng: &mut QuestionRng,
) -> Option<Question> {
    let kinds = statement_kinds(deck, event);
    let about = *kinds.choose(rng)?;
    let truth = rng.random_bool(0.5);
    let (about_name, said, shown, sources): (&str, String, String, Vec<&Source>) = match about {
        About::Date => {
            let right = when(&event.date, event.end_date.as_ref());
            let shown = if truth {
                right.clone()
            } else {
                wrong_dates(deck, event, rng).into_iter().next()?
            };
            let phrase = if truth {
                when_phrase(&event.date, event.end_date.as_ref())
            } else {
                phrase_of(&shown)
            };
            let verb = if event.ongoing { "began" } else { "happened" };
            (
                "date",
                format!("this {verb} {phrase}"),
                shown,
                date_check(event).ok()?,
            )
        }
        About::Place => {
            let (place, held) = place_check(deck, event).ok()?;
            let shown = if truth {
                place.to_string()
            } else {
                false_places(deck, event).choose(rng)?.clone()
            };
            ("place", format!("this happened in {shown}"), shown, held)
        }
        About::Actor => {
            let actors = true_actors(deck, event);
            let right = (*actors.choose(rng)?).clone();
            let shown = if truth {
                right.clone()
            } else {
                false_actors(deck, event).choose(rng)?.clone()
            };
            let held = if truth {
                sources_holding(event, |q| mentions_name(deck, q, &right))
            } else {
                refutation(deck, event, &shown)?
            };
            ("actor", format!("{shown} took part"), shown, held)
        }
        About::Figure(i) => {
            let f = &event.figures[i];
            let held = figure_fact_check(event, f).ok()?;
            let (q, value) = if truth {
                (f.qualifier, f.value)
            } else {
                false_figure(f, rng)?
            };
            let shown = format!("{}{}", qualifier_words(q), figure_text(f, value));
            ("figure", format!("the {} was {shown}", f.what), shown, held)
        }
    };
    let answer = if truth { "True" } else { "False" };
    Some(Question {
        id: card.id.clone(),
        kind: Kind::TrueFalse,
        event_ids: vec![event.id.clone()],
        prompt: format!("True or false? {}: {said}.", event.title),
        answer_index: Some(if truth { 0 } else { 1 }),
        choices: vec!["True".to_string(), "False".to_string()],
        answer: answer.to_string(),
        answer_value: Some(json!(truth)),
        accepts_typed: false,
        expected: Expected::ChoiceOnly,
        sources: source_refs(deck, sources),
        items: Vec::new(),
        statement: Some(Statement {
            about: about_name.to_string(),
            shown,
            truth,
        }),
    })
}

/// "between 1983 and 1984" for a written span, "in 1983" / "on 7 January 1983" otherwise.
fn phrase_of(written: &str) -> String {
    if let Some((a, b)) = super::answer::parse_span(written) {
        return when_phrase(&a, Some(&b));
    }
    super::answer::parse_date(written)
        .map_or_else(|| format!("in {written}"), |d| d.with_preposition())
}

/// A figure statement the source contradicts: below a lower bound, above an upper one, or a
/// value an exact or rough figure rules out, whatever the statement's own qualifier allows.
fn false_figure(f: &Figure, rng: &mut impl Rng) -> Option<(crate::dataset::Qualifier, f64)> {
    use crate::dataset::Qualifier as Q;
    let shown_q = match f.qualifier {
        // "more than 500" is contradicted by "under 400", not by "more than 400".
        Q::Over | Q::AtLeast => Q::Under,
        Q::Under | Q::UpTo | Q::Nearly => Q::Over,
        Q::About => Q::About,
        Q::Exact => Q::Exact,
    };
    let mut wrong = distractors::numbers(
        f.value,
        &f.unit,
        |x| fair::contradicts(f.qualifier, f.value, shown_q, x),
        rng,
    );
    wrong.shuffle(rng);
    wrong.first().map(|v| (shown_q, *v))
}

fn flashcard(deck: &Deck, card: &CardSpec, event: &Event) -> Question {
    let place = event
        .place
        .as_ref()
        .map(|p| format!(", {p}"))
        .unwrap_or_default();
    let inferred = if event.date_inferred {
        " (date not stated in the sources)"
    } else if event.ongoing {
        " onwards (still going on in the articles)"
    } else {
        ""
    };
    Question {
        id: card.id.clone(),
        kind: Kind::Flashcard,
        event_ids: vec![event.id.clone()],
        prompt: event.title.clone(),
        choices: Vec::new(),
        answer_index: None,
        answer: format!(
            "{}{inferred}{place}. {}",
            when(&event.date, event.end_date.as_ref()),
            event.summary
        ),
        answer_value: Some(date_value(event)),
        accepts_typed: false,
        expected: Expected::SelfGraded,
        sources: source_refs(deck, &event.sources),
        items: Vec::new(),
        statement: None,
    }
}

fn speaker(deck: &Deck, card: &CardSpec, quote: &Quote, rng: &mut impl Rng) -> Question {
    let apart = |a: &str, b: &str| !deck.related_names(a, b);
    let wrong = distractors::names(&quote.speaker, &rival_speakers(deck, quote), 3, apart, rng);
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
        expected: Expected::Text(name_forms(deck, &quote.speaker)),
        sources: source_refs(deck, speaker_check(deck, quote).unwrap_or_default()),
        items: Vec::new(),
        statement: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ChaCha8's stream is fixed by its specification: these draws must never change, or
    /// learners would be graded against other choices than the ones they saw.
    #[test]
    fn the_question_stream_is_pinned() {
        let mut rng = QuestionRng::seed_from_u64(42);
        let draws: Vec<u32> = (0..4).map(|_| rand::RngCore::next_u32(&mut rng)).collect();
        assert_eq!(draws, PINNED_DRAWS);
    }

    const PINNED_DRAWS: [u32; 4] = [962419617, 2928721845, 628724104, 4081401798];
}
