//! Figure questions: a number an article states, asked only when it is settled and quoted.

use super::build::{Checked, Parts, QuestionRng, build};
use super::date::date_suffix;
use crate::dataset::{Deck, Event, Figure, Qualifier, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::{
    Rule, Why, excluded_by, qualifier_words, sources_holding, states_number,
};
use crate::questions::numbers::format_count;
use crate::questions::reading::{hedges_at, same_hedge};
use crate::questions::{CardSpec, Question, distractors};
use rand::{Rng, SeedableRng};
use serde_json::json;

pub(in crate::questions) fn figure_check<'a>(
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
pub(super) fn figure_fact_check<'a>(event: &'a Event, figure: &Figure) -> Checked<Vec<&'a Source>> {
    if event.is_figure_disputed(figure) {
        return Err(Why::new(
            Rule::Disputed,
            format!("the articles disagree about the {}", figure.what),
        ));
    }
    let written = crate::questions::numbers::format_number(figure.value);
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

fn figure_distractors(figure: &Figure, rng: &mut impl Rng) -> Vec<f64> {
    distractors::numbers(
        figure.value,
        &figure.unit,
        |x| excluded_by(figure.qualifier, figure.value, x),
        rng,
    )
}

/// " (the article says “around …”)": the hedge in the article's own word, from the quotes
/// that write the figure, and whether every article writing it hedges it; empty for an exact
/// figure. (A hedge of ours, "about" for a bare "two million", would misreport the article.)
fn hedge_hint(figure: &Figure, sources: &[&Source]) -> String {
    if figure.qualifier == Qualifier::Exact {
        return String::new();
    }
    let hedge_of = |s: &Source| {
        hedges_at(&s.quote, figure.value)
            .into_iter()
            .flatten()
            .find(|(q, _)| same_hedge(*q, figure.qualifier))
            .map(|(_, w)| w)
    };
    let hedging: Vec<(&str, String)> = sources
        .iter()
        .filter_map(|s| hedge_of(s).map(|w| (s.document.as_str(), w)))
        .collect();
    let word = hedging.first().map_or_else(
        || qualifier_words(figure.qualifier).trim().to_string(),
        |(_, w)| w.clone(),
    );
    let docs = |v: Vec<&str>| {
        v.into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let all = docs(sources.iter().map(|s| s.document.as_str()).collect());
    let hedged = docs(hedging.iter().map(|(d, _)| *d).collect());
    let who = if hedged < all {
        if hedged <= 1 {
            "one article says"
        } else {
            "some articles say"
        }
    } else if all <= 1 {
        "the article says"
    } else {
        "the articles say"
    };
    format!(" ({who} “{word} …”)")
}

/// A figure that measures time (years, months, days), which an event's dates may give.
pub(in crate::questions) fn is_duration(figure: &Figure) -> bool {
    matches!(
        figure.unit.to_lowercase().as_str(),
        "years" | "year" | "months" | "month" | "weeks" | "week" | "days" | "day"
    )
}

pub(super) fn figure_text(figure: &Figure, value: f64) -> String {
    format_count(value, &figure.unit, figure.unit_singular.as_deref())
}

pub(super) fn figure_question(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    figure: &Figure,
    rng: &mut impl Rng,
) -> Question {
    let sources = figure_check(deck, event, figure).unwrap_or_default();
    let wrong = figure_distractors(figure, rng);
    let hint = hedge_hint(figure, &sources);
    let parts = Parts {
        prompt: format!(
            "{}{}: what was the {}?{hint}",
            event.title,
            if is_duration(figure) {
                // "(1979–1989)" beside "how long was the mission?" gives the 10 years away.
                String::new()
            } else {
                date_suffix(event)
            },
            figure.what
        ),
        answer: figure_text(figure, figure.value),
        wrong: wrong.iter().map(|v| figure_text(figure, *v)).collect(),
        answer_value: Some(json!(figure.value)),
        expected: Expected::Number {
            value: figure.value,
            approximate: matches!(figure.qualifier, Qualifier::About | Qualifier::Nearly),
        },
        sources,
    };
    build(deck, card, event, parts, rng)
}
