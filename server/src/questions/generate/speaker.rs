//! Speaker questions: "Who said this?", asked only when the words do not name their speaker
//! and one cited source ties the speaker to the words.

use super::build::{Checked, shuffle_in, source_refs};
use crate::dataset::{Deck, Quote, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::{Rule, Why, mentions, mentions_name, name_forms};
use crate::questions::{CardSpec, Kind, Question, distractors, fair};
use rand::Rng;

pub(in crate::questions) fn speaker_check<'a>(
    deck: &Deck,
    quote: &'a Quote,
) -> Checked<Vec<&'a Source>> {
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

fn all_speakers(deck: &Deck) -> Vec<String> {
    deck.quotes.iter().map(|q| q.speaker.clone()).collect()
}

pub(super) fn speaker(deck: &Deck, card: &CardSpec, quote: &Quote, rng: &mut impl Rng) -> Question {
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
