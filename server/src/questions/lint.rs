//! The fairness lint run by `chronicle questions check`: problems in the deck itself, and in
//! the questions the generator draws from it over many seeds. Each is `file:line: rule: ...`.

use super::answer::{parse_date, parse_number, parse_span};
use super::fair::{self, CHRONOLOGY_WINDOW_DAYS, Rule, excluded_by, mentions_name, states_number};
use super::numbers::numbers_written;
use super::{CardSpec, Kind, Question, Suppressed, cards_and_suppressed, generate};
use crate::dataset::{Deck, DisputeAbout, Event, HistDate, Qualifier};
use crate::text::normalize;
use std::fmt;
use std::path::PathBuf;

mod deck_rules;
mod event_rules;
use event_rules::{
    date_rules, disputed_dates_shown, figure_hint_rules, inferred_dates_shown, told_dates_quoted,
    told_rules, true_false_rules,
};

/// How many seeds the lint draws each card with.
pub const LINT_SEEDS: u64 = 16;

/// One problem the deck's author should fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub rule: Rule,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.rule,
            self.message
        )
    }
}

/// Suppressions that point at something to fix in the deck, so they are also warnings.
/// (A disputed or inferred date, or too few distractors, is the deck being honest.)
fn suppression_warns(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::TitleDate | Rule::AnswerInTitle | Rule::ClozeGrammar | Rule::PlaceKindMissing
    )
}

/// Every finding for `deck`, in file order, each (line, rule) once.
pub fn lint(deck: &Deck) -> Vec<Finding> {
    let (cards, suppressed) = cards_and_suppressed(deck);
    lint_with(deck, &cards, &suppressed)
}

pub fn lint_with(deck: &Deck, cards: &[CardSpec], suppressed: &[Suppressed]) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut push = |line: usize, rule: Rule, message: String| {
        if !out.iter().any(|f| f.line == line && f.rule == rule) {
            out.push(Finding {
                file: deck.source_file.clone(),
                line,
                rule,
                message,
            });
        }
    };
    for e in &deck.events {
        if fair::has_date(&e.title) {
            push(
                e.line,
                Rule::TitleDate,
                format!("event `{}`: the title “{}” carries a date", e.id, e.title),
            );
        }
        if e.place.is_some() && e.place_kind.is_none() {
            push(
                e.line,
                Rule::PlaceKindMissing,
                format!("event `{}`: place without a place_kind", e.id),
            );
        }
    }
    for (line, rule, message) in deck_rules::deck_rules(deck) {
        push(line, rule, message);
    }
    for s in suppressed.iter().filter(|s| suppression_warns(s.why.rule)) {
        push(
            s.line,
            s.why.rule,
            format!("{} not asked: {}", s.card_id, s.why.message),
        );
    }
    for card in cards {
        let line = deck
            .event(&card.subject_id)
            .map(|e| e.line)
            .or_else(|| deck.quote(&card.subject_id).map(|q| q.line))
            .unwrap_or(0);
        for seed in 0..LINT_SEEDS {
            let Some(q) = generate(deck, card, seed) else {
                continue;
            };
            for (rule, message) in check_question(deck, &q) {
                push(line, rule, format!("{} (seed {seed}): {message}", q.id));
            }
        }
    }
    out.sort_by_key(|f| (f.line, f.rule));
    out
}

fn overlaps_span(e: &Event, from: &HistDate, to: &HistDate) -> bool {
    from.first_day() <= e.end().last_day() && e.date.first_day() <= to.last_day()
}

/// A single date must touch the window `[lo, hi]` (days), a span lie wholly inside it.
fn out_of_window(a: &HistDate, b: &HistDate, lo: i64, hi: i64) -> bool {
    if a == b {
        a.last_day() < lo || a.first_day() > hi
    } else {
        a.first_day() < lo || b.last_day() > hi
    }
}

fn fmt_when((a, b): &(HistDate, HistDate)) -> String {
    fair::when(a, (a != b).then_some(b))
}

/// A written date or span as `(from, to)`.
fn read_when(s: &str) -> Option<(HistDate, HistDate)> {
    parse_span(s).or_else(|| parse_date(s).map(|d| (d, d)))
}

fn qualifier_of(shown: &str) -> (Qualifier, &str) {
    for (words, q) in [
        ("more than ", Qualifier::Over),
        ("at least ", Qualifier::AtLeast),
        ("under ", Qualifier::Under),
        ("up to ", Qualifier::UpTo),
        ("about ", Qualifier::About),
        ("nearly ", Qualifier::Nearly),
    ] {
        if let Some(rest) = shown.strip_prefix(words) {
            return (q, rest);
        }
    }
    (Qualifier::Exact, shown)
}

/// Problems in one generated question, checked from the question and the deck alone.
pub fn check_question(deck: &Deck, q: &Question) -> Vec<(Rule, String)> {
    let mut out = Vec::new();
    let events: Vec<&Event> = q.event_ids.iter().filter_map(|id| deck.event(id)).collect();
    let event = events.first().copied();
    let quotes: Vec<&str> = q.sources.iter().map(|s| s.quote.as_str()).collect();

    // A chronology has no choices: each event gets its position (checked below).
    if q.kind != Kind::Flashcard && q.kind != Kind::Chronology {
        let keys: Vec<String> = q.choices.iter().map(|c| normalize(c)).collect();
        let distinct = keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k));
        let right = q.answer_index.and_then(|i| q.choices.get(i)) == Some(&q.answer);
        let expected_len = if q.kind == Kind::TrueFalse { 2 } else { 4 };
        if !distinct || !right || q.choices.len() != expected_len {
            out.push((
                Rule::ChoicesNotDistinct,
                format!("choices {:?}, answer {:?}", q.choices, q.answer),
            ));
        }
    }
    let wrong: Vec<&String> = q
        .choices
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != q.answer_index)
        .map(|(_, c)| c)
        .collect();

    let prompt_words = format!(" {} ", normalize(&q.prompt));
    let in_prompt = |s: &str| {
        let k = normalize(s);
        !k.is_empty() && prompt_words.contains(&format!(" {k} "))
    };
    match q.kind {
        Kind::Date | Kind::Place | Kind::Speaker | Kind::Cloze | Kind::EventOnDate
            if in_prompt(&q.answer) =>
        {
            out.push((
                Rule::AnswerInPrompt,
                format!("the prompt shows “{}”", q.answer),
            ));
        }
        _ => {}
    }

    // A number the answer turns on that the prompt already writes, in any form ("Forty-fifth
    // anniversary" on the front, "45 years after ..." on the back): the card tests nothing.
    // (A figure's prompt also shows the event's date, context rather than a clue: its title
    // and question are what count.)
    let key = match (q.kind, event) {
        (Kind::Flashcard, Some(e)) => Some((super::when::when(e), q.prompt.clone())),
        (Kind::Cloze, _) => Some((q.answer.clone(), q.prompt.clone())),
        (Kind::Figure, Some(e)) => {
            let asked = q.prompt.strip_prefix(e.title.as_str()).unwrap_or(&q.prompt);
            let asked = asked.split_once(": ").map_or(asked, |(_, a)| a);
            Some((q.answer.clone(), format!("{} {asked}", e.title)))
        }
        _ => None,
    };
    if let Some((key, prompt)) = key {
        let front = numbers_written(&prompt);
        if let Some(n) = numbers_written(&key)
            .into_iter()
            .find(|n| front.contains(n))
        {
            out.push((
                Rule::AnswerInPrompt,
                format!("the prompt already gives the answer's {n}: “{key}”"),
            ));
        }
    }

    inferred_dates_shown(&events, q, &quotes, &mut out);
    disputed_dates_shown(&events, q, &mut out);
    told_dates_quoted(&events, q, &mut out);
    let asks_date = matches!(q.kind, Kind::Date | Kind::EventOnDate)
        || q.statement.as_ref().is_some_and(|s| s.about == "date");
    if let Some(e) = event
        && asks_date
    {
        told_rules(e, &quotes, &mut out);
    }

    match (q.kind, event) {
        (Kind::Date, Some(e)) => {
            date_rules(e, &quotes, &mut out);
            if let Some((from, _)) = read_when(&q.answer)
                && in_prompt(&from.year.to_string())
            {
                out.push((Rule::AnswerInPrompt, "the prompt shows the year".into()));
            }
            let (lo, hi) = generate::date_window(deck, e);
            let read: Vec<(HistDate, HistDate)> =
                q.choices.iter().filter_map(|c| read_when(c)).collect();
            for (i, a) in read.iter().enumerate() {
                for b in &read[i + 1..] {
                    let days = |x: &HistDate| x.precision() == crate::dataset::Precision::Day;
                    let close = if a.0 == a.1 && b.0 == b.1 {
                        days(&a.0) && (a.0.first_day() - b.0.first_day()).abs() < 3
                    } else {
                        super::distractors::mostly_overlap((&a.0, &a.1), (&b.0, &b.1))
                    };
                    if close {
                        out.push((
                            Rule::NearDuplicateChoices,
                            format!(
                                "“{}” and “{}” are nearly one choice",
                                fmt_when(a),
                                fmt_when(b)
                            ),
                        ));
                    }
                }
            }
            for w in &wrong {
                match read_when(w) {
                    Some((a, b)) if overlaps_span(e, &a, &b) => out.push((
                        Rule::DistractorInSpan,
                        format!("“{w}” falls inside the event's own dates"),
                    )),
                    Some((a, b)) if out_of_window(&a, &b, lo, hi) => out.push((
                        Rule::DateOutOfWindow,
                        format!("“{w}” lies outside the event's era and its neighbours"),
                    )),
                    None => out.push((Rule::ChoicesNotDistinct, format!("“{w}” is not a date"))),
                    _ => {}
                }
            }
        }
        (Kind::EventOnDate, Some(e)) => {
            date_rules(e, &quotes, &mut out);
            for w in &wrong {
                match deck.events.iter().find(|o| &&o.title == w) {
                    Some(o) if o.date_inferred => out.push((
                        Rule::InferredDateAsked,
                        format!("“{w}” is offered by a date no article states"),
                    )),
                    Some(o) if overlaps_span(e, &o.date, &o.end()) => out.push((
                        Rule::DistractorInSpan,
                        format!("“{w}” happened within the same dates"),
                    )),
                    Some(o) if o.may_run_into(e.date.first_day(), e.end().last_day()) => {
                        out.push((
                            Rule::DistractorInSpan,
                            format!("“{w}” began before and may still have been going on then"),
                        ))
                    }
                    Some(o) if generate::part_of_one_then(deck, o, e).is_some() => out.push((
                        Rule::DistractorInSpan,
                        format!(
                            "“{w}” lies inside `{}`, of its sort, which ran into these dates",
                            generate::part_of_one_then(deck, o, e).map_or("", |x| &x.id)
                        ),
                    )),
                    Some(_) => {}
                    None => out.push((Rule::ChoicesNotDistinct, format!("“{w}” is no event"))),
                }
            }
        }
        (Kind::Place, Some(e)) => {
            if e.is_disputed(DisputeAbout::Place) {
                out.push((Rule::Disputed, "the place is disputed".into()));
            }
            if !quotes.iter().any(|s| mentions_name(deck, s, &q.answer)) {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote names {}", q.answer),
                ));
            }
            if mentions_name(deck, &e.title, &q.answer) {
                out.push((Rule::AnswerInTitle, "the title names the place".into()));
            }
            let kind_of = |p: &str| {
                deck.events
                    .iter()
                    .find(|o| o.place.as_deref() == Some(p))
                    .and_then(|o| o.place_kind)
                    .or_else(|| {
                        deck.names
                            .iter()
                            .find(|n| n.name == p)
                            .and_then(|n| n.place_kind)
                    })
            };
            for w in &wrong {
                if kind_of(w).is_none() || kind_of(w) != e.place_kind {
                    out.push((
                        Rule::PlaceKindMismatch,
                        format!("“{w}” is not a place of the answer's kind"),
                    ));
                }
                let country = generate::country_of(deck, &q.answer);
                if country.is_some() && generate::country_of(deck, w) != country {
                    out.push((
                        Rule::PlaceKindMismatch,
                        format!("“{w}” does not lie in the answer's country"),
                    ));
                }
                if let Some(why) = generate::tied_to(deck, e, w) {
                    out.push((
                        Rule::PlaceTiedToEvent,
                        format!("“{w}” may be right too: {why}"),
                    ));
                }
            }
        }
        (Kind::Figure, Some(e)) => {
            let Some(f) = e
                .figures
                .iter()
                .find(|f| q.answer_value.as_ref().and_then(|v| v.as_f64()) == Some(f.value))
            else {
                out.push((Rule::ChoicesNotDistinct, "the answer is no figure".into()));
                return out;
            };
            if e.is_figure_disputed(f) {
                out.push((Rule::Disputed, format!("the {} is disputed", f.what)));
            }
            if f.qualifier.is_bound() {
                out.push((
                    Rule::DistractorNotExcluded,
                    format!("a bound ({:?}) rules no rival figure out", f.qualifier),
                ));
            }
            if !quotes.iter().any(|s| states_number(s, f.value)) {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote writes {}", q.answer),
                ));
            }
            figure_hint_rules(f, q, &quotes, &mut out);
            // A length of time beside the dates that measure it: "(1979–1989)" and 10 years.
            let shown = super::fair::when(&e.date, e.end_date.as_ref());
            if generate::is_duration(f) && e.end_date.is_some() && q.prompt.contains(&shown) {
                out.push((
                    Rule::AnswerInPrompt,
                    format!("the prompt shows {shown}, which measures the {}", f.what),
                ));
            }
            // The title and the figure's wording, not the date shown beside them.
            if states_number(&e.title, f.value) || states_number(&f.what, f.value) {
                out.push((Rule::AnswerInPrompt, "the prompt writes the figure".into()));
            }
            for w in &wrong {
                match parse_number(w) {
                    Some(x) if !excluded_by(f.qualifier, f.value, x) => out.push((
                        Rule::DistractorNotExcluded,
                        format!("“{w}” is not ruled out by the source's “{:?}”", f.qualifier),
                    )),
                    None => out.push((Rule::ChoicesNotDistinct, format!("“{w}” is no number"))),
                    _ => {}
                }
                if w.starts_with("1 ") && f.unit.ends_with('s') && w.ends_with(&f.unit) {
                    out.push((Rule::ChoicesNotDistinct, format!("“{w}”: a plural for one")));
                }
            }
        }
        (Kind::Speaker, _) => {
            let words = q
                .prompt
                .split_once('“')
                .map_or("", |(_, w)| w.trim_end_matches('”'));
            if !quotes
                .iter()
                .any(|s| mentions_name(deck, s, &q.answer) && fair::holds_words(s, words))
            {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote both names {} and holds the words", q.answer),
                ));
            }
            let sort = generate::is_body(deck, &q.answer);
            for w in &wrong {
                if mentions_name(deck, words, w) {
                    out.push((
                        Rule::SpeakerNamedInWords,
                        format!("“{w}” is named in the words"),
                    ));
                }
                if let (Some(a), Some(b)) = (sort, generate::is_body(deck, w))
                    && a != b
                {
                    out.push((
                        Rule::SpeakerSortMismatch,
                        format!("“{w}” is not of the answer's sort (a person or a body)"),
                    ));
                }
            }
            for (i, a) in q.choices.iter().enumerate() {
                for b in &q.choices[i + 1..] {
                    if deck.related_names(a, b) {
                        out.push((
                            Rule::GroupBesideMember,
                            format!("“{a}” and “{b}” are a group and its member"),
                        ));
                    }
                }
            }
        }
        (Kind::Chronology, _) => {
            if events.len() != 4 {
                out.push((Rule::ChronologySpacing, "not four events".into()));
            }
            // The positions: one each, 1 to 4, earliest first by the deck, not shown in order.
            let mut placed: Vec<(usize, i64)> = q
                .items
                .iter()
                .filter_map(|i| Some((i.position, deck.event(&i.event_id)?.date.first_day())))
                .collect();
            let shown_sorted = q
                .items
                .iter()
                .enumerate()
                .all(|(i, it)| it.position == i + 1);
            placed.sort();
            let positions: Vec<usize> = placed.iter().map(|p| p.0).collect();
            if positions != [1, 2, 3, 4]
                || !placed.windows(2).all(|w| w[0].1 < w[1].1)
                || shown_sorted
            {
                out.push((
                    Rule::ChoicesNotDistinct,
                    format!(
                        "positions {positions:?} do not order the events, or are shown in order"
                    ),
                ));
            }
            for (i, a) in events.iter().enumerate() {
                date_rules(a, &quotes, &mut out);
                for b in &events[i + 1..] {
                    if !generate::far_enough_apart(a, b) {
                        out.push((
                            Rule::ChronologySpacing,
                            format!("`{}` and `{}` are too close to order", a.id, b.id),
                        ));
                    }
                }
            }
            if generate::window_days(&events) > CHRONOLOGY_WINDOW_DAYS {
                out.push((
                    Rule::ChronologySpacing,
                    "the events span over ten years".into(),
                ));
            }
        }
        (Kind::TrueFalse, Some(e)) => true_false_rules(deck, e, q, &quotes, &mut out),
        (Kind::Cloze, Some(e)) => {
            // The cited text holds the blank's answer, so it shows the wrong ones wrong.
            let forms: Vec<&String> = e
                .cloze
                .iter()
                .flat_map(|c| std::iter::once(&c.answer).chain(&c.aliases))
                .collect();
            if !quotes
                .iter()
                .any(|s| forms.iter().any(|f| fair::mentions(s, f)))
            {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote writes the blank's “{}”", q.answer),
                ));
            }
        }
        _ => {}
    }
    out
}
