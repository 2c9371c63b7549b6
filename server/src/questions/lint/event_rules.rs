//! The lint's rules on the event behind a question: what a question on when it happened
//! must cite, what a date asked must be, what a true/false statement may rest on, and that
//! an inferred date is never shown.

use super::super::answer::parse_number;
use super::super::fair::{self, Rule, contradicts, mentions_name, states_date, states_number};
use super::super::reading::{dates_written, hedges_at, same_hedge, writes_date};
use super::super::{Question, generate};
use super::{out_of_window, overlaps_span, qualifier_of, read_when};
use crate::dataset::{Deck, DisputeAbout, Event, Figure, HistDate, Qualifier};
use crate::text::normalize;

/// A question on an event whose date no article states shows no year of it that neither a
/// cited quote nor the deck's own words for its time (`date_as_told`) give.
pub(super) fn inferred_dates_shown(
    events: &[&Event],
    q: &Question,
    quotes: &[&str],
    out: &mut Vec<(Rule, String)>,
) {
    let mut shown = vec![q.prompt.as_str(), q.answer.as_str()];
    shown.extend(q.choices.iter().map(String::as_str));
    shown.extend(q.items.iter().map(|i| i.when.as_str()));
    shown.extend(q.statement.iter().map(|s| s.shown.as_str()));
    let has_word = |text: &str, w: &str| text.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
    for e in events.iter().filter(|e| e.date_inferred) {
        for d in std::iter::once(e.date).chain(e.end_date) {
            let year = d.year.to_string();
            let vouched = quotes.iter().any(|s| has_word(s, &year))
                || e.date_as_told
                    .as_deref()
                    .is_some_and(|t| has_word(t, &year));
            if !vouched && shown.iter().any(|t| has_word(t, &year)) {
                out.push((
                    Rule::InferredDateShown,
                    format!("shows {year}, the inferred date of `{}`", e.id),
                ));
            }
        }
    }
}

/// A question on an event whose date the articles disagree on never shows one article's
/// date as the event's: the deck words how each dates it (`date_as_told`), and the card
/// shows those words.
pub(super) fn disputed_dates_shown(events: &[&Event], q: &Question, out: &mut Vec<(Rule, String)>) {
    let mut shown = vec![q.prompt.as_str(), q.answer.as_str()];
    shown.extend(q.choices.iter().map(String::as_str));
    shown.extend(q.items.iter().map(|i| i.when.as_str()));
    shown.extend(q.statement.iter().map(|s| s.shown.as_str()));
    let disputed = |e: &&&Event| {
        !e.date_inferred
            && (e.is_disputed(DisputeAbout::Date) || e.is_disputed(DisputeAbout::EndDate))
    };
    for e in events.iter().filter(disputed) {
        let told = e.date_as_told.as_deref().unwrap_or("");
        for d in std::iter::once(e.date).chain(e.end_date) {
            if d.day.is_none() && d.month.is_none() {
                // A bare year: the articles that disagree on the day may agree on it.
                continue;
            }
            let worded = |t: &str| !told.is_empty() && t.contains(told);
            if shown.iter().any(|t| states_date(t, &d) && !worded(t)) {
                out.push((
                    Rule::DisputedDateShown,
                    format!(
                        "shows {}, one article's date of `{}`, which the articles dispute",
                        d, e.id
                    ),
                ));
                break;
            }
        }
    }
}

/// A question that shows how the articles place an inferred or disputed date
/// (`date_as_told`, "in answer to the attack of 30 April 1977") cites, for every date those words write, a quote
/// that writes it (or the article whose title or date does: "1979-1989", "January 2020"; or,
/// for a disputed date, a quote of the dispute shown beside it).
/// Otherwise the learner is taught a date that the evidence shown does not hold.
pub(super) fn told_dates_quoted(events: &[&Event], q: &Question, out: &mut Vec<(Rule, String)>) {
    let mut shown = vec![q.prompt.to_lowercase(), q.answer.to_lowercase()];
    shown.extend(q.choices.iter().map(|c| c.to_lowercase()));
    shown.extend(q.items.iter().map(|i| i.when.to_lowercase()));
    for e in events {
        let Some(told) = &e.date_as_told else {
            continue;
        };
        if !shown.iter().any(|t| t.contains(&told.to_lowercase())) {
            continue;
        }
        for d in dates_written(told) {
            // A dispute's sides are shown beside the answer with their quotes too.
            let vouched = q
                .sources
                .iter()
                .any(|s| writes_date(&s.quote, &d) || writes_date(&s.citation, &d))
                || e.disputes
                    .iter()
                    .flat_map(|x| &x.sources)
                    .any(|s| writes_date(&s.quote, &d));
            if !vouched {
                out.push((
                    Rule::QuoteLacksFact,
                    format!(
                        "shows “{told}” for `{}`, but no cited quote (nor its article's title or \
                         date) writes {d}",
                        e.id
                    ),
                ));
            }
        }
    }
}

/// A figure prompt's note of the article's hedge ("(the article says “around …”)") quotes a
/// word a cited quote writes beside the number, of the figure's kind of bound; an exact
/// figure has no such note, and a hedged one always has it.
pub(super) fn figure_hint_rules(
    f: &Figure,
    q: &Question,
    quotes: &[&str],
    out: &mut Vec<(Rule, String)>,
) {
    let hint = q
        .prompt
        .split_once(" say “")
        .or_else(|| q.prompt.split_once(" says “"))
        .and_then(|(_, rest)| rest.split_once(" …”"))
        .map(|(w, _)| w.to_string());
    match (f.qualifier, hint) {
        (Qualifier::Exact, None) => {}
        (Qualifier::Exact, Some(w)) => out.push((
            Rule::HedgeMismatch,
            format!("the prompt credits the articles with “{w} …” for an exact figure"),
        )),
        (_, None) => out.push((
            Rule::HedgeMismatch,
            "the prompt does not say that the article hedges the figure".into(),
        )),
        (qualifier, Some(w)) => {
            let quoted = quotes.iter().any(|s| {
                hedges_at(s, f.value)
                    .into_iter()
                    .flatten()
                    .any(|(h, word)| word == w && same_hedge(h, qualifier))
            });
            if !quoted {
                out.push((
                    Rule::HedgeMismatch,
                    format!("no cited quote writes “{w}” beside the figure"),
                ));
            }
        }
    }
}

/// A question on when something happened cites a quote that tells what happened, not only
/// a date ("from 1979 to 1989"), whenever one of the event's quotes does.
pub(super) fn told_rules(e: &Event, quotes: &[&str], out: &mut Vec<(Rule, String)>) {
    let told = |s: &str| fair::tells_title(s, &e.title);
    if e.sources.iter().any(|s| told(&s.quote)) && !quotes.iter().any(|s| told(s)) {
        out.push((
            Rule::QuoteLacksFact,
            format!("no cited quote tells “{}”, only its date", e.title),
        ));
    }
}

/// A date asked must be settled, stated in a cited quote, and not inferred.
pub(super) fn date_rules(e: &Event, quotes: &[&str], out: &mut Vec<(Rule, String)>) {
    if e.date_inferred {
        out.push((
            Rule::InferredDateAsked,
            format!("`{}` has an inferred date", e.id),
        ));
    }
    if e.is_disputed(DisputeAbout::Date) {
        out.push((Rule::Disputed, format!("`{}` has a disputed date", e.id)));
    }
    if crate::questions::fair::names_anniversary(&e.title) {
        out.push((
            Rule::TitleAnniversary,
            format!("`{}`: the title says which anniversary it marks", e.id),
        ));
    }
    let stated = |d: &HistDate| quotes.iter().any(|q| states_date(q, d));
    if !stated(&e.date) || e.end_date.is_some_and(|end| !stated(&end)) {
        out.push((
            Rule::QuoteLacksFact,
            format!("no cited quote states the date of `{}`", e.id),
        ));
    }
}

pub(super) fn true_false_rules(
    deck: &Deck,
    e: &Event,
    q: &Question,
    quotes: &[&str],
    out: &mut Vec<(Rule, String)>,
) {
    let Some(st) = &q.statement else {
        out.push((Rule::ChoicesNotDistinct, "no statement".into()));
        return;
    };
    match st.about.as_str() {
        "date" => {
            date_rules(e, quotes, out);
            if let Some((a, b)) = read_when(&st.shown)
                && !st.truth
                && overlaps_span(e, &a, &b)
            {
                out.push((
                    Rule::DistractorInSpan,
                    format!(
                        "“{}” is called false but lies inside the event's dates",
                        st.shown
                    ),
                ));
            }
            let (lo, hi) = generate::date_window(deck, e);
            if let Some((a, b)) = read_when(&st.shown)
                && !st.truth
                && out_of_window(&a, &b, lo, hi)
            {
                out.push((
                    Rule::DateOutOfWindow,
                    format!("“{}” lies outside the event's era", st.shown),
                ));
            }
        }
        "place" => {
            if e.is_disputed(DisputeAbout::Place) {
                out.push((Rule::Disputed, "the place is disputed".into()));
            }
            let place = e.place.as_deref().unwrap_or("");
            if !quotes.iter().any(|s| mentions_name(deck, s, place)) {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote names {place}"),
                ));
            }
            let same = normalize(&st.shown) == normalize(place);
            if st.truth != same {
                out.push((
                    Rule::NotReallyFalse,
                    format!("“{}” vs the place {place}", st.shown),
                ));
            }
            if !st.truth {
                let kind = deck
                    .events
                    .iter()
                    .find(|o| o.place.as_deref() == Some(st.shown.as_str()))
                    .and_then(|o| o.place_kind)
                    .or_else(|| {
                        deck.names
                            .iter()
                            .find(|n| n.name == st.shown)
                            .and_then(|n| n.place_kind)
                    });
                if kind != e.place_kind {
                    out.push((Rule::PlaceKindMismatch, format!("“{}”", st.shown)));
                }
                if let Some(why) = generate::tied_to(deck, e, &st.shown) {
                    out.push((
                        Rule::PlaceTiedToEvent,
                        format!("“{}” is called false: {why}", st.shown),
                    ));
                }
            }
        }
        "actor" => {
            if e.is_disputed(DisputeAbout::Actors) {
                out.push((Rule::Disputed, "the actors are disputed".into()));
            }
            let involved =
                e.actors.iter().any(|a| {
                    normalize(a) == normalize(&st.shown) || deck.related_names(a, &st.shown)
                }) || mentions_name(deck, &e.summary, &st.shown)
                    || mentions_name(deck, &e.title, &st.shown);
            if st.truth != involved {
                out.push((
                    Rule::NotReallyFalse,
                    format!("“{}” called {} for `{}`", st.shown, st.truth, e.id),
                ));
            }
            // True or false, a cited quote must name the actor: it shows them taking part,
            // or (false) founded only after the event.
            if !quotes.iter().any(|s| mentions_name(deck, s, &st.shown)) {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote names {}", st.shown),
                ));
            }
            if st.truth && mentions_name(deck, &e.title, &st.shown) {
                out.push((
                    Rule::AnswerInTitle,
                    format!("“{} took part” repeats the title", st.shown),
                ));
            }
        }
        "figure" => {
            let (shown_q, rest) = qualifier_of(&st.shown);
            let Some(x) = parse_number(rest) else {
                out.push((
                    Rule::ChoicesNotDistinct,
                    format!("“{}” is no figure", st.shown),
                ));
                return;
            };
            let Some(f) = e
                .figures
                .iter()
                .find(|f| q.prompt.contains(&format!("the {} was", f.what)))
            else {
                out.push((
                    Rule::ChoicesNotDistinct,
                    "names no figure of the event".into(),
                ));
                return;
            };
            if e.is_figure_disputed(f) {
                out.push((Rule::Disputed, format!("the {} is disputed", f.what)));
            }
            if !quotes.iter().any(|s| states_number(s, f.value)) {
                out.push((
                    Rule::QuoteLacksFact,
                    format!("no cited quote writes {}", f.value),
                ));
            }
            let false_by_source = contradicts(f.qualifier, f.value, shown_q, x);
            if st.truth == false_by_source {
                out.push((
                    Rule::NotReallyFalse,
                    format!(
                        "“{}” called {} against the source's {:?} {}",
                        st.shown, st.truth, f.qualifier, f.value
                    ),
                ));
            }
        }
        other => out.push((Rule::ChoicesNotDistinct, format!("statement about {other}"))),
    }
}
