//! The lint's rules on the deck's own words, before any question is drawn: a date told only
//! as a start, a hedge that is not the article's, a figure that another undated statement
//! counts differently, a cloze choice the articles write in the same slot elsewhere, a quote
//! tied to an event the articles do not tie it to, a cloze stating a rank another article
//! gives differently, a cloze choice of another sort or time than its answer.

use super::super::fair::{Rule, has_date, states_date, states_number, told_stems};
use super::super::numbers::{format_number, numbers_written};
use super::super::reading::{hedges_at, numbers_in, reads_as_start, same_hedge};
use crate::dataset::{Deck, Event, Figure, NameKind, Qualifier};
use crate::text::normalize;
use std::collections::{HashMap, HashSet};

/// A finding: the deck line, the rule, the message.
pub(super) type DeckFinding = (usize, Rule, String);

pub(super) fn deck_rules(deck: &Deck) -> Vec<DeckFinding> {
    let mut out = Vec::new();
    for e in &deck.events {
        start_only_date(e, &mut out);
        for f in e.figures.iter().filter(|f| !e.is_figure_disputed(f)) {
            hedge_mismatch(e, f, &mut out);
        }
        cloze_distractor_tied(deck, e, &mut out);
        cloze_rival_rank(deck, e, &mut out);
        cloze_distractor_unfit(deck, e, &mut out);
    }
    undated_rival_figures(deck, &mut out);
    quote_event_untied(deck, &mut out);
    out
}

/// A quote's `event` is shown beside its speaker question, with the event's date: the learner
/// reads it as when (or of what) the words were said. The articles must tie them: the quote's
/// own date lies in the event's span, or its passage states the event's date ("If it had not
/// been for January 7, 1979"), or its words or passage tell the event (a word of the event's
/// title, summary or quotes that the deck's quotes do not all use). Hun Sen's undated "that is
/// for sure", told after the withdrawal-day editorial, is none of these.
fn quote_event_untied(deck: &Deck, out: &mut Vec<DeckFinding>) {
    let common = common_stems(deck);
    for q in &deck.quotes {
        let Some(e) = q.event.as_deref().and_then(|id| deck.event(id)) else {
            continue;
        };
        let dated_in = q.date.is_some_and(|d| {
            d.first_day() <= e.end().last_day() && e.date.first_day() <= d.last_day()
        });
        let passage_dates = q.sources.iter().any(|s| states_date(&s.quote, &e.date));
        let rare = |text: &str| -> HashSet<String> {
            told_stems(text)
                .into_iter()
                .filter(|s| !common.contains(s))
                .collect()
        };
        let mut said = rare(&q.text);
        for s in &q.sources {
            said.extend(rare(&s.quote));
        }
        let mut told = rare(&e.title);
        told.extend(rare(&e.summary));
        for s in &e.sources {
            told.extend(rare(&s.quote));
        }
        if dated_in || passage_dates || !said.is_disjoint(&told) {
            continue;
        }
        out.push((
            q.line,
            Rule::QuoteEventUntied,
            format!(
                "quote `{}`: nothing in its date, words or passage ties it to event `{}`, whose \
                 date its question would show beside it; drop `event` or cite the passage that \
                 ties them",
                q.id, e.id
            ),
        ));
    }
}

/// A date without an end, told by a quote as a start ("From September 25, 1977", "launched
/// another attack"), must say whether it is only a start (`open_ended = true`: it may have
/// run on, so it is no wrong answer for later dates) or the whole event (`false`). An
/// `over_by` date must itself be quoted.
fn start_only_date(e: &Event, out: &mut Vec<DeckFinding>) {
    if let Some(by) = &e.over_by
        && !e.sources.iter().any(|s| states_date(&s.quote, by))
    {
        out.push((
            e.line,
            Rule::QuoteLacksFact,
            format!("event `{}`: no quote states over_by {}", e.id, by.iso()),
        ));
    }
    if e.end_date.is_some() || e.ongoing || e.open_ended.is_some() || e.date_inferred {
        return;
    }
    let start = e
        .sources
        .iter()
        .filter(|s| states_date(&s.quote, &e.date))
        .find_map(|s| reads_as_start(&s.quote).map(|why| (s, why)));
    if let Some((s, why)) = start {
        out.push((
            e.line,
            Rule::StartOnlyDate,
            format!(
                "event `{}`: “{}” tells {} as a start ({why}); give its end_date, or mark \
                 open_ended = true (only its start is told) or false (the date is the whole event)",
                e.id,
                s.quote,
                e.date.iso()
            ),
        ));
    }
}

/// The figure's qualifier is the article's: an exact figure is written bare in every quote
/// that writes it, and a hedged one ("about", "over") beside its hedge in at least one, and
/// against another hedge in none.
fn hedge_mismatch(e: &Event, f: &Figure, out: &mut Vec<DeckFinding>) {
    let found: Vec<Option<(Qualifier, String)>> = e
        .sources
        .iter()
        .flat_map(|s| hedges_at(&s.quote, f.value))
        .collect();
    if found.is_empty() {
        return; // quote-lacks-fact says so
    }
    let n = format_number(f.value);
    let mut say = |m: String| {
        out.push((
            e.line,
            Rule::HedgeMismatch,
            format!("event `{}`, figure “{}”: {m}", e.id, f.what),
        ))
    };
    let hedged: Vec<&(Qualifier, String)> = found.iter().flatten().collect();
    if f.qualifier == Qualifier::Exact {
        if let Some((_, w)) = hedged.first() {
            say(format!(
                "an article writes “{w} {n}”, but the figure is exact: give its qualifier"
            ));
        }
        return;
    }
    if let Some((_, w)) = hedged.iter().find(|(q, _)| !same_hedge(*q, f.qualifier)) {
        say(format!(
            "an article writes “{w} {n}”, which is not the figure's qualifier {:?}",
            f.qualifier
        ));
    } else if hedged.is_empty() {
        say(format!(
            "no quote hedges {n}, but the figure's qualifier is {:?}: the articles write it bare",
            f.qualifier
        ));
    }
}

/// Words too common in the deck's quotes to tell one quantity from another ("Vietnam").
fn common_stems(deck: &Deck) -> HashSet<String> {
    let quotes: Vec<&str> = deck
        .events
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| s.quote.as_str()))
        .collect();
    let mut df: HashMap<String, usize> = HashMap::new();
    for q in &quotes {
        let stems: HashSet<String> = told_stems(q).into_iter().collect();
        for s in stems {
            *df.entry(s).or_default() += 1;
        }
    }
    let limit = (quotes.len() / 10).max(3);
    let mut common: HashSet<String> = df
        .into_iter()
        .filter(|(_, n)| *n > limit)
        .map(|(s, _)| s)
        .collect();
    // Words that name a measure, not what is measured.
    for w in [
        "numbe", "total", "share", "value", "lengt", "amoun", "level",
    ] {
        common.insert(w.to_string());
    }
    common
}

fn stem(w: &str) -> String {
    w.chars().take(5).collect()
}

/// An undated figure (its event's date is inferred, so no question shows one) whose quantity
/// an undated quote of another event gives with another value ("184 investment projects"
/// and "205 active investment projects", in two articles that give no date): a learner who
/// read the other cannot tell which count is asked.
fn undated_rival_figures(deck: &Deck, out: &mut Vec<DeckFinding>) {
    let common = common_stems(deck);
    for e in deck.events.iter().filter(|e| e.date_inferred) {
        // Only a figure a quote writes is ever asked (figure or true/false card).
        let asked = |f: &&Figure| {
            !e.is_figure_disputed(f) && e.sources.iter().any(|s| states_number(&s.quote, f.value))
        };
        for f in e.figures.iter().filter(asked) {
            let mut unit_words: Vec<String> = normalize(&f.unit)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            if let Some(one) = &f.unit_singular {
                unit_words.extend(normalize(one).split_whitespace().map(str::to_string));
            }
            let unit_stems: HashSet<String> = unit_words.iter().map(|w| stem(w)).collect();
            let what: HashSet<String> = told_stems(&f.what)
                .into_iter()
                .filter(|s| !unit_stems.contains(s) && !common.contains(s))
                .collect();
            let money = matches!(f.unit.as_str(), "USD" | "VND");
            let percent = matches!(f.unit.as_str(), "percent" | "%");
            for o in deck
                .events
                .iter()
                .filter(|o| o.id != e.id && o.date_inferred)
            {
                for s in &o.sources {
                    for n in numbers_in(&s.quote) {
                        let same_unit = if money {
                            n.currency
                        } else if percent {
                            n.percent
                        } else {
                            n.after
                                .iter()
                                .take(4)
                                .any(|w| unit_stems.contains(&stem(w)))
                        };
                        let same_value = (n.value - f.value).abs() <= 1e-9 * f.value.abs().max(1.0);
                        if !same_unit || same_value {
                            continue;
                        }
                        let near = format!("{} {}", n.before.join(" "), n.after.join(" "));
                        // A yearly pace is not the stock it adds to ($30-70 million per year
                        // against a total of $2.76 billion).
                        if is_rate(&f.what) != is_rate(&near) {
                            continue;
                        }
                        if told_stems(&near).iter().any(|s| what.contains(s)) {
                            out.push((
                                e.line,
                                Rule::UndatedRivalFigure,
                                format!(
                                    "event `{}`: its undated {} ({}) is {} in an undated quote of \
                                     `{}` (“{}”): no question may ask it",
                                    e.id,
                                    f.what,
                                    format_number(f.value),
                                    format_number(n.value),
                                    o.id,
                                    s.quote
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// True when a phrase measures by the period ("yearly", "per year", "annual").
fn is_rate(text: &str) -> bool {
    let t = format!(" {} ", normalize(text));
    [
        "yearly",
        "annual",
        "annually",
        "per year",
        "a year",
        "each year",
        "every year",
        "per month",
    ]
    .iter()
    .any(|w| t.contains(&format!(" {w} ")))
}

/// Words too plain to head a slot ("and", "the").
const NOT_A_HEAD: [&str; 12] = [
    "and", "the", "of", "with", "from", "into", "that", "this", "their", "than", "were", "which",
];

/// A cloze whose blank is the number after a head word ("Route [[19]]", "Division [[330]]")
/// offers no wrong number that a quote of the deck writes after the same head word (Routes
/// 7, 1 and 2 of another offensive): a learner who knows that one may defend it.
fn cloze_distractor_tied(deck: &Deck, e: &Event, out: &mut Vec<DeckFinding>) {
    let Some(c) = &e.cloze else {
        return;
    };
    let before = normalize(&c.before);
    let Some(head) = before.split_whitespace().next_back() else {
        return;
    };
    if head.len() < 4 || !head.chars().all(char::is_alphabetic) || NOT_A_HEAD.contains(&head) {
        return;
    }
    let head = stem(head);
    for o in &deck.events {
        for s in &o.sources {
            let ws: Vec<String> = normalize(&s.quote)
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for (i, w) in ws.iter().enumerate() {
                if stem(w) != head {
                    continue;
                }
                // The numbers listed after it: "Routes 7, 1, and 2".
                let listed: Vec<&String> = ws[i + 1..]
                    .iter()
                    .take_while(|x| {
                        x.chars().all(|c| c.is_ascii_digit()) || *x == "and" || *x == "or"
                    })
                    .filter(|x| x.chars().all(|c| c.is_ascii_digit()))
                    .collect();
                for d in &c.distractors {
                    if listed.iter().any(|x| **x == normalize(d)) {
                        out.push((
                            e.line,
                            Rule::ClozeDistractorTied,
                            format!(
                                "event `{}`: the cloze's wrong “{d}” is written after “{}” in a \
                                 quote of `{}` (“{}”): a learner may defend it",
                                e.id, ws[i], o.id, s.quote
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// The ranks a text states: an ordinal ("third", "2nd") beside a word of ranking ("ranked",
/// "ranks", "largest").
fn ranks_in(text: &str) -> Vec<u64> {
    let ws: Vec<String> = normalize(text)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let ranking =
        |w: &str| w.starts_with("rank") || matches!(w, "largest" | "biggest" | "top" | "leading");
    let ordinal = |w: &str| {
        const WORDS: [&str; 10] = [
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth",
        ];
        WORDS.contains(&w)
            || (w.len() > 2
                && w[..w.len() - 2].chars().all(|c| c.is_ascii_digit())
                && matches!(&w[w.len() - 2..], "st" | "nd" | "rd" | "th"))
    };
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let near = ws[i.saturating_sub(2)..(i + 3).min(ws.len())]
            .iter()
            .any(|x| ranking(x));
        if ordinal(w) && near {
            out.extend(numbers_written(w));
        }
    }
    out
}

/// Stems that say a sentence is a ranking, not what is ranked.
const RANK_STEMS: [&str; 12] = [
    "rank", "ranke", "ranks", "ranki", "large", "bigge", "leadi", "among", "behin", "secon",
    "third", "first",
];

/// A cloze sentence that states a rank ("Cambodia ranked third, behind Russia and [[Laos]]")
/// which another event's quote gives as another rank of the same thing ("Cambodia ranks
/// second among the 79 countries ... outward investment"): a learner who read that article is
/// told a rank it contradicts, with nothing saying whose count or when. The sentence must say
/// so: name its source ("one article ranks ...") or a year.
fn cloze_rival_rank(deck: &Deck, e: &Event, out: &mut Vec<DeckFinding>) {
    let Some(c) = &e.cloze else {
        return;
    };
    let sentence = format!("{}{}{}", c.before, c.answer, c.after);
    let ranks = ranks_in(&sentence);
    let words = format!(" {} ", normalize(&sentence));
    let attributed = ["article", "articles", "according"]
        .iter()
        .any(|w| words.contains(&format!(" {w} ")));
    if ranks.is_empty() || attributed || has_date(&sentence) {
        return;
    }
    let common = common_stems(deck);
    let topic = |text: &str| -> HashSet<String> {
        told_stems(text)
            .into_iter()
            .filter(|s| !common.contains(s) && !RANK_STEMS.contains(&s.as_str()))
            .collect()
    };
    let mine = topic(&sentence);
    for o in deck.events.iter().filter(|o| o.id != e.id) {
        for s in &o.sources {
            let theirs = ranks_in(&s.quote);
            let differs = theirs.iter().any(|r| !ranks.contains(r));
            if differs && !mine.is_disjoint(&topic(&s.quote)) {
                out.push((
                    e.line,
                    Rule::ClozeRivalRank,
                    format!(
                        "event `{}`: the cloze states a rank that a quote of `{}` gives \
                         differently (“{}”): say whose count it is (“one article ranks ...”) \
                         or when",
                        e.id, o.id, s.quote
                    ),
                ));
                return;
            }
        }
    }
}

/// How far (in days) from an event a person may be and still be a plausible wrong answer:
/// ten years.
const PLAUSIBLE_DAYS: i64 = 3653;

/// A cloze's wrong choice that a learner rules out without knowing the fact: one the deck
/// declares as another kind of name than the answer ("Khmer Rouge", an armed group, beside
/// "Cambodian People's Party" and other parties), or a person the deck ties only to events
/// more than ten years away ("Nguyen Xuan Phuc", whom the articles place in the 2010s, as a
/// signer of the 1979 treaty).
fn cloze_distractor_unfit(deck: &Deck, e: &Event, out: &mut Vec<DeckFinding>) {
    let Some(c) = &e.cloze else {
        return;
    };
    let answer_kind = deck.name(&c.answer).map(|n| n.kind);
    for d in &c.distractors {
        let Some(n) = deck.name(d) else {
            continue;
        };
        if let Some(kind) = answer_kind
            && kind != n.kind
        {
            out.push((
                e.line,
                Rule::ClozeSortMismatch,
                format!(
                    "event `{}`: the cloze's wrong “{d}” is a {:?}, its answer “{}” a {kind:?}",
                    e.id, n.kind, c.answer
                ),
            ));
        }
        if n.kind != NameKind::Person {
            continue;
        }
        let times: Vec<&Event> = deck
            .events
            .iter()
            .filter(|o| {
                o.id != e.id
                    && o.actors
                        .iter()
                        .any(|a| deck.name(a).is_some_and(|m| m.name == n.name))
            })
            .collect();
        let gap = |o: &Event| {
            (o.date.first_day() - e.end().last_day()).max(e.date.first_day() - o.end().last_day())
        };
        if !times.is_empty() && times.iter().all(|o| gap(o) > PLAUSIBLE_DAYS) {
            out.push((
                e.line,
                Rule::DistractorOutOfTime,
                format!(
                    "event `{}`: the cloze's wrong “{d}” is tied by the deck only to events more \
                     than ten years away (`{}`): the articles' own dates rule them out",
                    e.id, times[0].id
                ),
            ));
        }
    }
}
