//! What every kind of question is built from: the seeded random stream, the parts a kind
//! fills in (prompt, answer, wrong answers, sources), and the sources as learners see them.

use crate::dataset::{Deck, Event, Source};
use crate::questions::answer::Expected;
use crate::questions::fair::Why;
use crate::questions::{CardSpec, Question, SourceRef};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// The question generator's random stream. ChaCha8 is specified to give the same stream on
/// every platform and version, unlike `StdRng`; answers are graded by regenerating the
/// question from its seed, so a changed stream would grade learners against other choices.
pub type QuestionRng = ChaCha8Rng;

pub(super) type Checked<T> = Result<T, Why>;

/// Sources as learners see them: each quote with its article's title and citation.
pub fn source_refs<'a>(
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

/// `first` (the quotes that hold the fact asked), then the event's other quotes: a quote
/// that holds a date or a place may stop before the words that say what happened then
/// ("... seized Phnom Penh ... shows Cambodians leaving", not yet "ordered ... to
/// evacuate"), so the rest is cited beside it.
pub(super) fn then_rest<'a>(event: &'a Event, mut first: Vec<&'a Source>) -> Vec<&'a Source> {
    for s in &event.sources {
        if !first.iter().any(|f| std::ptr::eq(*f, s)) {
            first.push(s);
        }
    }
    first
}

/// Shuffles the right answer in among the distractors; returns choices and its index.
pub(super) fn shuffle_in(
    answer: String,
    wrong: Vec<String>,
    rng: &mut impl Rng,
) -> (Vec<String>, usize) {
    let mut choices = wrong;
    choices.push(answer.clone());
    choices.shuffle(rng);
    let index = choices.iter().position(|c| *c == answer).unwrap_or(0);
    (choices, index)
}

pub(super) struct Parts<'a> {
    pub(super) prompt: String,
    pub(super) answer: String,
    pub(super) wrong: Vec<String>,
    pub(super) answer_value: Option<serde_json::Value>,
    pub(super) expected: Expected,
    pub(super) sources: Vec<&'a Source>,
}

pub(super) fn build(
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

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
