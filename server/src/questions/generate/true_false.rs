//! True/false statements: a true fact of the event, or a false one the cited sources refute.

use super::build::{QuestionRng, source_refs};
use super::date::{began_only, date_check, date_then_rest, wrong_dates};
use super::figure::{figure_fact_check, figure_text, is_duration};
use super::place::{place_check, place_pool};
use crate::dataset::{Deck, DisputeAbout, Event, Figure, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::{
    mentions, mentions_name, name_forms, qualifier_words, sources_holding, when, when_phrase,
};
use crate::questions::{CardSpec, Kind, Question, Statement, distractors, fair};
use crate::text::normalize;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use serde_json::json;

/// What a true/false statement may be about for this event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum About {
    Date,
    Place,
    Actor,
    Figure(usize),
}

pub(super) fn statement_kinds(deck: &Deck, event: &Event) -> Vec<About> {
    Statements::of(deck, event).kinds
}

/// What a true/false statement about one event may say, worked out from the deck alone (no
/// draw): the facts that can be stated falsely, the false places, the true actors, and each
/// false actor with the cited proof. A false actor takes a scan of the deck for a founding
/// for every actor of every other event: redone on each question, that was ~80 % of the
/// server's CPU on the study pages (load benchmark profile), so the catalog keeps one of
/// these per card ([`super::Prepared`]).
#[derive(Debug, Clone)]
pub struct Statements {
    kinds: Vec<About>,
    false_places: Vec<String>,
    true_actors: Vec<String>,
    /// In the order [`false_actors`] finds them, each with [`refutation`]'s sources.
    false_actors: Vec<(String, Vec<Source>)>,
    /// The event's place and the quotes that name it ([`place_check`], whose scan of the
    /// deck's places was most of a true/false question's cost when redone on every draw).
    place: Option<(String, Vec<Source>)>,
}

impl Statements {
    pub fn of(deck: &Deck, event: &Event) -> Statements {
        let mut kinds = Vec::new();
        if date_check(event).is_ok()
            && !wrong_dates(deck, event, &mut QuestionRng::seed_from_u64(0)).is_empty()
        {
            kinds.push(About::Date);
        }
        let place = place_check(deck, event)
            .ok()
            .map(|(p, held)| (p.to_string(), held.into_iter().cloned().collect()));
        let false_places = if place.is_some() {
            false_places(deck, event)
        } else {
            Vec::new()
        };
        if !false_places.is_empty() {
            kinds.push(About::Place);
        }
        let true_actors: Vec<String> = true_actors(deck, event).into_iter().cloned().collect();
        let false_actors = if true_actors.is_empty() {
            Vec::new()
        } else {
            false_actors(deck, event)
        };
        if !false_actors.is_empty() {
            kinds.push(About::Actor);
        }
        for (i, f) in event.figures.iter().enumerate() {
            if figure_fact_check(event, f).is_ok()
                && false_figure(f, &mut QuestionRng::seed_from_u64(0)).is_some()
            {
                kinds.push(About::Figure(i));
            }
        }
        Statements {
            kinds,
            false_places,
            true_actors,
            false_actors,
            place,
        }
    }

    /// No fact of the event can be stated falsely: no true/false question is asked of it.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
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
/// the event says mentions, and whom the cited sources show could not have taken part: each
/// with that proof.
fn false_actors(deck: &Deck, event: &Event) -> Vec<(String, Vec<Source>)> {
    let words = EventWords::of(event);
    let twins = twins(deck, event);
    let mut out: Vec<(String, Vec<Source>)> = Vec::new();
    let listed = |out: &[(String, Vec<Source>)], a: &String| out.iter().any(|(o, _)| o == a);
    for other in deck.events.iter().filter(|e| e.id != event.id) {
        for a in &other.actors {
            if listed(&out, a) {
                continue;
            }
            let involved = event.actors.iter().any(|mine| {
                distractors::same_name_as(mine, a)
                    || deck.related_names(mine, a)
                    || name_forms(deck, mine).iter().any(|f| mentions(a, f))
            });
            if involved || words.mention(deck, a) || twins.iter().any(|t| t.actors.contains(a)) {
                continue;
            }
            if let Some(proof) = refutation(deck, event, a) {
                out.push((a.clone(), proof.into_iter().cloned().collect()));
            }
        }
    }
    out
}

/// The question, drawing from `statements` (which must be [`Statements::of`] this event).
pub(super) fn true_false(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    statements: &Statements,
    rng: &mut QuestionRng,
) -> Option<Question> {
    let about = *statements.kinds.choose(rng)?;
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
            let verb = if began_only(event) {
                "began"
            } else {
                "happened"
            };
            date_check(event).ok()?;
            (
                "date",
                format!("this {verb} {phrase}"),
                shown,
                date_then_rest(event),
            )
        }
        About::Place => {
            let (place, held) = statements.place.as_ref()?;
            let shown = if truth {
                place.clone()
            } else {
                statements.false_places.choose(rng)?.clone()
            };
            let held = held.iter().collect();
            ("place", format!("this happened in {shown}"), shown, held)
        }
        About::Actor => {
            let right = statements.true_actors.choose(rng)?.clone();
            let (shown, held) = if truth {
                let held = sources_holding(event, |q| mentions_name(deck, q, &right));
                (right, held)
            } else {
                let (actor, proof) = statements.false_actors.choose(rng)?;
                (actor.clone(), proof.iter().collect())
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
    let dated = dated_title_suffix(event, about);
    Some(Question {
        id: card.id.clone(),
        kind: Kind::TrueFalse,
        event_ids: vec![event.id.clone()],
        prompt: format!("True or false? {}{dated}: {said}.", event.title),
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

/// " (1977)" after the title of a statement not about the date, when the articles state the
/// date: "the share moved up to the border was 41%" or "this happened in An Giang" is true of
/// one event at one time, and the date says which (as a figure or place question shows it).
/// Never for a date statement (it is the answer), an inferred or disputed date (never shown
/// as stated), or a length of time the dates would measure ("(1979–1989)" beside "10 years").
fn dated_title_suffix(event: &Event, about: About) -> String {
    let measures = matches!(about, About::Figure(i) if is_duration(&event.figures[i]));
    if about == About::Date || measures || date_check(event).is_err() {
        return String::new();
    }
    format!(" ({})", when(&event.date, event.end_date.as_ref()))
}

/// "between 1983 and 1984" for a written span, "in 1983" / "on 7 January 1983" otherwise.
fn phrase_of(written: &str) -> String {
    if let Some((a, b)) = crate::questions::answer::parse_span(written) {
        return when_phrase(&a, Some(&b));
    }
    crate::questions::answer::parse_date(written)
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
