//! Speaker questions: "Who said this?", asked only when the words do not name their speaker
//! and one cited source ties the speaker to the words.

use super::build::{Checked, shuffle_in, source_refs};
use crate::dataset::{Deck, NameKind, Quote, Source};
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
    let (same_side, others) = rival_speakers(deck, quote);
    let pool: Vec<String> = same_side.into_iter().chain(others).collect();
    if distractors::distinct_names_besides(&quote.speaker, &pool, |a, b| !deck.related_names(a, b))
        < 3
    {
        return Err(Why::new(
            Rule::TooFewDistractors,
            "fewer than three other speakers who are not this one's group or members, nor \
             named in the words",
        ));
    }
    Ok(held)
}

/// Speakers who could have said `quote`, not one its words name (a quote condemning "the Pol
/// Pot regime" is not Pol Pot's): first the people and bodies of the speaker's own side (the
/// deck's `side`), whom the words alone cannot rule out, then every other speaker.
///
/// Rivals are of the speaker's sort too: people beside a person, bodies beside a body (an
/// institution among three people is found as the odd one out). A body's words are a body's
/// decision, which the words tie to its side ("a directive to the southern forces"), so a
/// body has no rivals from other sides.
fn rival_speakers(deck: &Deck, quote: &Quote) -> (Vec<String>, Vec<String>) {
    let sort = is_body(deck, &quote.speaker);
    let same_sort = |s: &String| sort.is_none() || is_body(deck, s).is_none_or(|b| Some(b) == sort);
    let side = deck.name(&quote.speaker).and_then(|n| n.side.as_deref());
    let same_side: Vec<String> = match side {
        Some(side) => deck
            .names
            .iter()
            .filter(|n| n.side.as_deref() == Some(side))
            .filter(|n| {
                matches!(
                    n.kind,
                    NameKind::Person | NameKind::Group | NameKind::Organisation
                )
            })
            .map(|n| n.name.clone())
            .filter(|n| !mentions_name(deck, &quote.text, n))
            .filter(same_sort)
            .collect(),
        None => Vec::new(),
    };
    let others = all_speakers(deck)
        .into_iter()
        .filter(|s| !mentions_name(deck, &quote.text, s))
        .filter(|s| !same_side.contains(s))
        .filter(same_sort)
        .filter(|_| !(sort == Some(true) && side.is_some()))
        .collect();
    (same_side, others)
}

/// Whether a declared name is a body (a group, organisation, army or state) rather than a
/// person; `None` for a name the deck does not declare.
pub(in crate::questions) fn is_body(deck: &Deck, name: &str) -> Option<bool> {
    deck.name(name).map(|n| n.kind != NameKind::Person)
}

fn all_speakers(deck: &Deck) -> Vec<String> {
    deck.quotes.iter().map(|q| q.speaker.clone()).collect()
}

/// Three wrong speakers: of the speaker's own side where the deck has three; where it has
/// fewer, all of them, filled up from the other speakers (a Pol Pot quote gets Ieng Sary and
/// two others), so the card is still asked.
fn wrong_speakers(deck: &Deck, quote: &Quote, rng: &mut impl Rng) -> Vec<String> {
    let apart = |a: &str, b: &str| !deck.related_names(a, b);
    let (same_side, others) = rival_speakers(deck, quote);
    let mut wrong = distractors::names(&quote.speaker, &same_side, 3, apart, rng);
    if wrong.len() < 3 {
        let rest: Vec<String> = others
            .into_iter()
            .filter(|o| {
                wrong
                    .iter()
                    .all(|w| !distractors::same_name_as(w, o) && apart(w, o))
            })
            .collect();
        let fill = distractors::names(&quote.speaker, &rest, 3 - wrong.len(), apart, rng);
        wrong.extend(fill);
    }
    wrong
}

pub(super) fn speaker(deck: &Deck, card: &CardSpec, quote: &Quote, rng: &mut impl Rng) -> Question {
    let wrong = wrong_speakers(deck, quote, rng);
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
    use super::wrong_speakers;
    use crate::dataset::parse_deck;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn quote(id: &str, speaker: &str) -> String {
        format!(
            "[[quote]]\nid = \"{id}\"\nspeaker = \"{speaker}\"\ntext = \"Words of {id}.\"\n\
             [[quote.source]]\ndocument = \"a.txt\"\nquote = \"{speaker}: Words of {id}.\"\n\n"
        )
    }

    fn name(name: &str, side: &str) -> String {
        format!("[[name]]\nname = \"{name}\"\nkind = \"person\"\nside = \"{side}\"\n\n")
    }

    #[test]
    fn speaker_distractors_come_from_the_speakers_side_first() {
        // Side "red": Red Chief speaks, Red Deputy and Red Aide do not (two of the side
        // besides the speaker). Side "blue": four people, one speaking.
        let mut text = String::from(
            "[deck]\nid = \"t\"\ntitle = \"T\"\ndescription = \"T\"\nlanguage = \"en\"\n\n\
             [[document]]\nid = \"a.txt\"\ntitle = \"A\"\n\n",
        );
        for (n, s) in [
            ("Red Chief", "red"),
            ("Red Deputy", "red"),
            ("Red Aide", "red"),
            ("Blue One", "blue"),
            ("Blue Two", "blue"),
            ("Blue Three", "blue"),
            ("Blue Four", "blue"),
        ] {
            text.push_str(&name(n, s));
        }
        text.push_str("[[era]]\nid = \"x\"\ntitle = \"X\"\nstart = \"1975\"\n\n");
        for (id, s) in [
            ("red", "Red Chief"),
            ("blue", "Blue One"),
            ("grey-1", "Grey Voice"),
            ("grey-2", "Other Voice"),
        ] {
            text.push_str(&quote(id, s));
        }
        let deck = parse_deck(std::path::Path::new("t.toml"), &text).unwrap();
        let red = deck.quote("red").unwrap();
        let blue = deck.quote("blue").unwrap();
        for seed in 0..40 {
            let mut rng = StdRng::seed_from_u64(seed);
            // Too few of its side: both of them, filled up from the other speakers.
            let got = wrong_speakers(&deck, red, &mut rng);
            assert_eq!(got.len(), 3, "{got:?}");
            assert!(got.contains(&"Red Deputy".to_string()), "{got:?}");
            assert!(got.contains(&"Red Aide".to_string()), "{got:?}");
            // Enough of its side: only them.
            let got = wrong_speakers(&deck, blue, &mut rng);
            assert_eq!(got.len(), 3, "{got:?}");
            assert!(got.iter().all(|g| g.starts_with("Blue ")), "{got:?}");
        }
    }
}
