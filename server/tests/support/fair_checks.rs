//! What a fair question is, checked from the question as shown and the deck's data only:
//! never by calling the generator or the lint again. Shared by tests/dataset.rs (the shipped
//! deck) and tests/fairness.rs (the synthetic tricky deck).

use chronicle::dataset::{Deck, DisputeAbout, Event, HistDate, Qualifier};
use chronicle::questions::{Kind, Question, answer};
use chronicle::text::normalize;
use proptest::prelude::*;
use std::collections::HashSet;

/// A written date or span, read with the answer checker's parsers (what a learner types).
fn read_when(s: &str) -> Option<(HistDate, HistDate)> {
    answer::parse_span(s).or_else(|| answer::parse_date(s).map(|d| (d, d)))
}

fn overlaps(e: &Event, a: &HistDate, b: &HistDate) -> bool {
    let end = e.end_date.unwrap_or(e.date);
    a.first_day() <= end.last_day() && e.date.first_day() <= b.last_day()
}

fn words(s: &str) -> String {
    format!(" {} ", normalize(s))
}

fn names(deck: &Deck, text: &str, name: &str) -> bool {
    let mut forms = vec![name.split(',').next().unwrap_or(name).to_string()];
    if let Some(n) = deck.names.iter().find(|n| n.name == name) {
        forms.extend(n.aliases.iter().cloned());
    }
    forms.iter().any(|f| words(text).contains(&words(f)))
}

/// True when one is a group the deck lists the other as a member of.
fn group_and_member(deck: &Deck, a: &str, b: &str) -> bool {
    deck.names.iter().any(|g| {
        (g.name == a && g.members.iter().any(|m| m == b))
            || (g.name == b && g.members.iter().any(|m| m == a))
    })
}

/// The digits of a whole number, or its English word for small ones, found in a quote.
fn writes_number(quote: &str, value: f64) -> bool {
    const WORDS: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    let digits: String = quote.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
    let plain = format!("{value}");
    let scaled = [(1e9, "billion"), (1e6, "million"), (1e3, "thousand")]
        .iter()
        .any(|(s, w)| {
            let k = value / s;
            value >= *s
                && (quote.contains(&format!("{k} {w}"))
                    || (k.fract() == 0.0
                        && (k as usize) < WORDS.len()
                        && words(quote).contains(&format!(" {} {w} ", WORDS[k as usize]))))
        });
    digits.contains(&plain)
        || scaled
        || (value.fract() == 0.0
            && (value as usize) < WORDS.len()
            && words(quote).contains(&format!(" {} ", WORDS[value as usize])))
        || (value.fract() == 0.0
            && (30.0..100.0).contains(&value)
            && value % 10.0 == 0.0
            && words(quote).contains(
                [
                    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
                ][(value as usize) / 10 - 3],
            ))
}

/// A source's bound rules a value out, with a learner's margin.
fn ruled_out(q: Qualifier, v: f64, x: f64) -> bool {
    match q {
        Qualifier::Exact => x != v,
        Qualifier::About => x < 0.75 * v || x > 1.33 * v,
        Qualifier::Nearly => x < 0.75 * v || x > v,
        Qualifier::Over | Qualifier::AtLeast => x < v,
        Qualifier::Under | Qualifier::UpTo => x > v,
    }
}

fn date_asked_fairly(e: &Event, q: &Question) -> Result<(), TestCaseError> {
    prop_assert!(
        !e.date_inferred,
        "{}: asks the inferred date of {}",
        q.id,
        e.id
    );
    prop_assert!(
        !e.is_disputed(DisputeAbout::Date),
        "{}: asks the disputed date of {}",
        q.id,
        e.id
    );
    let year = e.date.year.to_string();
    prop_assert!(
        q.sources
            .iter()
            .any(|s| s.quote.contains(&year) || s.quote.contains(&e.date.iso())),
        "{}: no cited quote holds the year {year}",
        q.id
    );
    Ok(())
}

pub fn check_question(deck: &Deck, q: &Question) -> Result<(), TestCaseError> {
    let event = q.event_ids.first().and_then(|id| deck.event(id));
    for s in &q.sources {
        prop_assert!(!s.citation.is_empty() && !s.citation.ends_with(".txt"));
    }
    if q.kind == Kind::Flashcard {
        prop_assert!(q.choices.is_empty());
        prop_assert!(!q.answer.is_empty());
        if let Some(e) = event
            && e.date_inferred
        {
            // Marked, and never the inferred year unless a cited quote or the deck's own
            // words for its time (date_as_told) give it.
            prop_assert!(
                q.answer
                    .to_lowercase()
                    .contains("date not stated in the sources")
            );
            let year = e.date.year.to_string();
            prop_assert!(
                !q.answer.contains(&year)
                    || q.sources.iter().any(|s| s.quote.contains(&year))
                    || e.date_as_told.as_ref().is_some_and(|t| t.contains(&year)),
                "{}: states the inferred {year}: {}",
                q.id,
                q.answer
            );
        }
        return Ok(());
    }
    let wrong: Vec<&String> = q.choices.iter().filter(|c| **c != q.answer).collect();
    if q.kind == Kind::Chronology {
        // An ordering, not choices: each event its own position, 1 to 4, earliest first by
        // the deck's dates, never shown already in order.
        prop_assert!(q.choices.is_empty() && q.answer_index.is_none());
        let mut placed: Vec<(usize, i64)> = q
            .items
            .iter()
            .map(|i| {
                (
                    i.position,
                    deck.event(&i.event_id).unwrap().date.first_day(),
                )
            })
            .collect();
        prop_assert!(
            q.items
                .iter()
                .enumerate()
                .any(|(i, it)| it.position != i + 1),
            "{}: shown in order",
            q.id
        );
        placed.sort();
        let positions: Vec<usize> = placed.iter().map(|p| p.0).collect();
        prop_assert_eq!(positions, vec![1, 2, 3, 4]);
        prop_assert!(placed.windows(2).all(|w| w[0].1 < w[1].1), "{:?}", q.items);
    } else {
        // Exactly one right answer among distinct choices.
        let index = q.answer_index.expect("choice question has an answer index");
        prop_assert_eq!(&q.choices[index], &q.answer);
        let keys: HashSet<String> = q.choices.iter().map(|c| normalize(c)).collect();
        prop_assert_eq!(
            keys.len(),
            q.choices.len(),
            "choices not distinct: {:?}",
            &q.choices
        );
        let expected_len = if q.kind == Kind::TrueFalse { 2 } else { 4 };
        prop_assert_eq!(q.choices.len(), expected_len);
        if q.accepts_typed {
            prop_assert!(
                answer::check_typed(&q.expected, &q.answer),
                "{} rejects its own answer {:?}",
                q.id,
                q.answer
            );
            for c in &wrong {
                prop_assert!(
                    !answer::check_typed(&q.expected, c),
                    "{}: distractor {:?} counts as right",
                    q.id,
                    c
                );
            }
        }
    }
    // The answer is not in the prompt.
    if !matches!(q.kind, Kind::TrueFalse | Kind::Chronology | Kind::Figure) {
        prop_assert!(
            !words(&q.prompt).contains(&words(&q.answer)),
            "{}: prompt {:?} contains answer {:?}",
            q.id,
            q.prompt,
            q.answer
        );
    }
    prop_assert!(
        !q.prompt.contains("(give "),
        "{}: a typed-answer hint above choices",
        q.id
    );
    match (q.kind, event) {
        (Kind::Date, Some(e)) => {
            date_asked_fairly(e, q)?;
            prop_assert_eq!(
                e.end_date.is_some(),
                q.answer.contains('–'),
                "a span is asked as a span"
            );
            for c in &wrong {
                let (a, b) = read_when(c).expect("a date choice");
                prop_assert!(
                    !overlaps(e, &a, &b),
                    "{}: {c} is inside the event's dates",
                    q.id
                );
            }
        }
        (Kind::EventOnDate, Some(e)) => {
            date_asked_fairly(e, q)?;
            for c in &wrong {
                let other = deck
                    .events
                    .iter()
                    .find(|o| &&o.title == c)
                    .expect("a deck title");
                prop_assert!(!other.date_inferred, "{}: {c} has an inferred date", q.id);
                prop_assert!(
                    !overlaps(e, &other.date, &other.end_date.unwrap_or(other.date)),
                    "{}: {c} happened within the same dates",
                    q.id
                );
                // Begun before with no end told (ongoing, or open-ended and not shown over
                // before the window): it may still have been going on then.
                let window = (e.date.first_day(), e.end_date.unwrap_or(e.date).last_day());
                let known_over = other.over_by.is_some_and(|by| by.last_day() < window.0);
                prop_assert!(
                    !(other.date.first_day() <= window.1
                        && (other.ongoing || (other.open_ended == Some(true) && !known_over))),
                    "{}: {c} began before and may still have been going on",
                    q.id
                );
            }
        }
        (Kind::Figure, Some(e)) => {
            let value = answer::parse_number(&q.answer).unwrap();
            let f = e
                .figures
                .iter()
                .find(|f| f.value == value)
                .expect("one of its figures");
            prop_assert!(
                q.sources.iter().any(|s| writes_number(&s.quote, value)),
                "{}: no cited quote writes {value}",
                q.id
            );
            for c in &wrong {
                let x = answer::parse_number(c).expect("a number");
                prop_assert!(
                    ruled_out(f.qualifier, f.value, x),
                    "{}: {c} is allowed by {:?} {}",
                    q.id,
                    f.qualifier,
                    f.value
                );
                let ratio = x / value;
                prop_assert!(
                    (0.2..=5.0).contains(&ratio) || value < 10.0,
                    "{c} vs {}",
                    q.answer
                );
            }
            for c in &q.choices {
                prop_assert!(
                    !(c.starts_with("1 ") && c.ends_with('s') && !c.ends_with('%')),
                    "{}: plural for one: {c}",
                    q.id
                );
            }
        }
        (Kind::Place, Some(e)) => {
            prop_assert!(!e.is_disputed(DisputeAbout::Place));
            prop_assert!(
                q.sources.iter().any(|s| names(deck, &s.quote, &q.answer)),
                "{}: no cited quote names {}",
                q.id,
                q.answer
            );
            for c in &q.choices {
                let kind = deck
                    .events
                    .iter()
                    .find(|o| o.place.as_deref() == Some(c.as_str()))
                    .map(|o| o.place_kind)
                    .or_else(|| {
                        deck.names
                            .iter()
                            .find(|n| &n.name == c)
                            .map(|n| n.place_kind)
                    });
                prop_assert_eq!(
                    kind,
                    Some(e.place_kind),
                    "{}: {} is another kind of place",
                    &q.id,
                    c
                );
            }
        }
        (Kind::Speaker, _) => {
            prop_assert!(
                q.sources.iter().any(|s| names(deck, &s.quote, &q.answer)),
                "{}: no cited quote names {}",
                q.id,
                q.answer
            );
            let speakers: HashSet<&str> = deck.quotes.iter().map(|q| q.speaker.as_str()).collect();
            // The speaker's own side (the deck's `side`): its people may stand as wrong
            // speakers though they never speak, and another side's only once all of them do.
            let side = deck.name(&q.answer).and_then(|n| n.side.clone());
            let words = q.prompt.as_str();
            // People stand beside a person, bodies beside a body.
            let person = |name: &str| {
                deck.name(name)
                    .map(|n| n.kind == chronicle::dataset::NameKind::Person)
            };
            let sort = person(&q.answer);
            for c in &q.choices {
                if let (Some(a), Some(b)) = (sort, person(c)) {
                    prop_assert_eq!(a, b, "{}: {} is not of the speaker's sort", &q.id, c);
                }
            }
            let same_side: Vec<&str> = deck
                .names
                .iter()
                .filter(|n| side.is_some() && n.side == side && n.name != q.answer)
                .filter(|n| {
                    sort.is_none() || Some(n.kind == chronicle::dataset::NameKind::Person) == sort
                })
                .filter(|n| n.kind != chronicle::dataset::NameKind::State)
                .filter(|n| n.kind != chronicle::dataset::NameKind::Army)
                .filter(|n| !names(deck, words, &n.name))
                .map(|n| n.name.as_str())
                .collect();
            let others_offered = q
                .choices
                .iter()
                .any(|c| c != &q.answer && !same_side.contains(&c.as_str()));
            if others_offered {
                for n in &same_side {
                    prop_assert!(
                        q.choices.iter().any(|c| c == n)
                            || q.choices.iter().any(|c| group_and_member(deck, c, n)),
                        "{}: {n} of the speaker's side left out for another side's voice: {:?}",
                        q.id,
                        q.choices
                    );
                }
            }
            for (i, a) in q.choices.iter().enumerate() {
                prop_assert!(
                    speakers.contains(a.as_str()) || same_side.contains(&a.as_str()),
                    "{a} is not a speaker in the deck nor of the speaker's side"
                );
                for b in &q.choices[i + 1..] {
                    prop_assert!(!group_and_member(deck, a, b), "{}: {a} beside {b}", q.id);
                }
            }
        }
        (Kind::Chronology, _) => {
            prop_assert_eq!(q.event_ids.len(), 4);
            prop_assert_eq!(q.items.len(), 4);
            let events: Vec<&Event> = q
                .event_ids
                .iter()
                .map(|id| deck.event(id).unwrap())
                .collect();
            for (i, a) in events.iter().enumerate() {
                date_asked_fairly(a, q)?;
                for b in &events[i + 1..] {
                    let (a_end, b_end) =
                        (a.end_date.unwrap_or(a.date), b.end_date.unwrap_or(b.date));
                    let gap = (b.date.first_day() - a_end.last_day())
                        .max(a.date.first_day() - b_end.last_day());
                    prop_assert!(
                        gap >= 180,
                        "{}: {} and {} are {gap} days apart",
                        q.id,
                        a.id,
                        b.id
                    );
                }
            }
            let start = events.iter().map(|e| e.date.first_day()).min().unwrap();
            let end = events
                .iter()
                .map(|e| e.end_date.unwrap_or(e.date).last_day())
                .max()
                .unwrap();
            prop_assert!(
                end - start <= 3653,
                "{}: the events span {} days",
                q.id,
                end - start
            );
            // The items name the shown events; their positions follow the dates.
            for item in &q.items {
                let at = q
                    .event_ids
                    .iter()
                    .position(|id| *id == item.event_id)
                    .unwrap();
                prop_assert_eq!(item.position, at + 1);
            }
        }
        (Kind::TrueFalse, Some(e)) => {
            let st = q.statement.as_ref().expect("a true/false statement");
            prop_assert_eq!(q.answer == "True", st.truth);
            match st.about.as_str() {
                "date" => {
                    date_asked_fairly(e, q)?;
                    let (a, b) = read_when(&st.shown).expect("a date");
                    prop_assert_eq!(
                        overlaps(e, &a, &b),
                        st.truth,
                        "{}: {} against the event's dates",
                        &q.id,
                        &st.shown
                    );
                }
                "place" => {
                    prop_assert!(!e.is_disputed(DisputeAbout::Place));
                    let place = e.place.as_deref().unwrap();
                    prop_assert_eq!(normalize(&st.shown) == normalize(place), st.truth);
                    if !st.truth {
                        prop_assert!(
                            !words(&e.summary)
                                .contains(&words(st.shown.split(',').next().unwrap()))
                        );
                    }
                }
                "actor" => {
                    prop_assert!(!e.is_disputed(DisputeAbout::Actors));
                    let involved = e
                        .actors
                        .iter()
                        .any(|a| a == &st.shown || group_and_member(deck, a, &st.shown));
                    prop_assert_eq!(
                        involved,
                        st.truth,
                        "{}: {} called {}",
                        &q.id,
                        &st.shown,
                        st.truth
                    );
                    if !st.truth {
                        prop_assert!(
                            !names(deck, &e.summary, &st.shown),
                            "{}: the summary names {}",
                            q.id,
                            st.shown
                        );
                    }
                }
                "figure" => {
                    let x = answer::parse_number(&st.shown).unwrap();
                    let f = e
                        .figures
                        .iter()
                        .find(|f| q.prompt.contains(&f.what))
                        .expect("a figure");
                    prop_assert!(!e.is_figure_disputed(f));
                    if st.truth {
                        prop_assert_eq!(x, f.value);
                    } else {
                        prop_assert!(
                            x != f.value
                                || !st.shown.starts_with(
                                    chronicle::questions::fair::qualifier_words(f.qualifier)
                                )
                        );
                    }
                }
                other => prop_assert!(false, "statement about {other}"),
            }
        }
        _ => {}
    }
    Ok(())
}
