//! Cloze questions: the deck's sentence about an event with its answer blanked, asked only
//! when nothing else in the sentence gives the blank away.

use super::build::{Checked, Parts, build};
use crate::dataset::{Deck, Event};
use crate::questions::answer::Expected;
use crate::questions::fair::{Rule, Why, mentions};
use crate::questions::{CardSpec, Question, fair};
use rand::Rng;

pub(super) fn cloze_check(event: &Event) -> Checked<()> {
    let Some(c) = &event.cloze else {
        return Err(Why::new(Rule::Disputed, "no cloze"));
    };
    let forms = std::iter::once(&c.answer).chain(&c.aliases);
    for f in forms {
        if mentions(&c.before, f) || mentions(&c.after, f) {
            return Err(Why::new(
                Rule::AnswerInPrompt,
                format!("the sentence repeats the blank `{f}`"),
            ));
        }
    }
    if let Some(why) = fair::cloze_grammar_leak(&c.before, &c.answer, &c.distractors) {
        return Err(Why::new(Rule::ClozeGrammar, why));
    }
    Ok(())
}

pub(super) fn cloze(
    deck: &Deck,
    card: &CardSpec,
    event: &Event,
    rng: &mut impl Rng,
) -> Option<Question> {
    let c = event.cloze.as_ref()?;
    let mut accepted = vec![c.answer.clone()];
    accepted.extend(c.aliases.iter().cloned());
    let parts = Parts {
        prompt: format!("Fill in the blank: {}_____{}", c.before, c.after),
        answer: c.answer.clone(),
        wrong: c.distractors.clone(),
        answer_value: None,
        expected: Expected::Text(accepted),
        sources: event.sources.iter().collect(),
    };
    Some(build(deck, card, event, parts, rng))
}
