//! What a synced review keeps as the answer the learner gave. A client can send any text;
//! what is stored is shown to teachers (missed answers, exports), so only what the learner
//! could have given is kept, and anything else is stored as not given (an empty answer).

use crate::questions::Kind;
use std::collections::HashSet;

/// How many of the learner's earlier draws of a card's question still count: a study pack
/// keeps the question drawn when it was downloaded, while another device may have answered
/// the card since (each answer draws the choices afresh).
pub const DRAWS_BACK: u32 = 8;

/// Kinds asked only as multiple choice: the answer must be one of the choices.
pub fn multiple_choice_only(kind: Kind) -> bool {
    !kind.accepts_typed() && kind != Kind::Flashcard
}

/// Kinds whose questions carry no choices: a chronology is answered by placing its events.
/// Such a card's answer text is never one of its choices, whatever the draw, so it is not
/// kept, and no question need be drawn to know it.
pub fn never_a_choice(kind: Kind) -> bool {
    kind == Kind::Chronology
}

/// The answer to store for `given`. `choices` holds, for a multiple-choice card, every
/// choice it was offered with; `None` for a card whose answer may be typed.
pub fn stored<'a>(given: &'a str, choices: Option<&HashSet<String>>) -> &'a str {
    if crate::text::forbidden_char(given).is_some() {
        return "";
    }
    match choices {
        Some(allowed) if !allowed.contains(given.trim()) => "",
        _ => given,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What lets a sync skip drawing a chronology: none of its questions has a choice.
    #[test]
    fn a_chronology_never_offers_choices() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../questions");
        let catalog = crate::catalog::Catalog::load(&dir).unwrap();
        let mut asked = 0;
        for card in catalog.cards.iter().filter(|c| never_a_choice(c.kind)) {
            for seed in 0..3 {
                if let Some(q) = catalog.question(&card.id, seed) {
                    assert!(q.choices.is_empty(), "{} offers {:?}", card.id, q.choices);
                    asked += 1;
                }
            }
        }
        assert!(asked > 0, "the shipped deck asks chronologies");
    }

    #[test]
    fn only_a_choice_or_clean_text_is_kept() {
        let choices: HashSet<String> = ["1975", "1979"].iter().map(|s| s.to_string()).collect();
        assert_eq!(stored("1979", Some(&choices)), "1979");
        assert_eq!(stored("1980", Some(&choices)), "", "not one of its choices");
        assert_eq!(stored("1979\0", Some(&choices)), "");
        assert_eq!(
            stored("Phnom Penh", None),
            "Phnom Penh",
            "typed answers stay"
        );
        assert_eq!(stored("Phnom\u{202E}Penh", None), "", "bidi override");
        assert_eq!(stored("", Some(&choices)), "");
        assert!(multiple_choice_only(Kind::Chronology));
        assert!(multiple_choice_only(Kind::TrueFalse));
        assert!(!multiple_choice_only(Kind::Date));
        assert!(!multiple_choice_only(Kind::Flashcard));
        assert!(never_a_choice(Kind::Chronology) && multiple_choice_only(Kind::Chronology));
    }
}
