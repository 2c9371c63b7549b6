//! What to study next: due cards (most overdue first), then new cards up to the daily limit,
//! then cards missed in this session, which come back until they are answered right.

use super::CardState;
use crate::questions::{CardSpec, Kind};
use std::collections::HashMap;

/// A card of the deck being studied, with this learner's state if they have seen it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub card_id: &'a str,
    pub kind: Kind,
    /// Order of the card in the dataset (events in date order).
    pub position: i64,
    pub state: Option<CardState>,
}

/// A deck's cards (in dataset order) as candidates with the learner's states; `keep` narrows
/// them, e.g. to an assignment's cards, without changing their positions in the deck.
pub fn candidates<'a>(
    deck_cards: impl Iterator<Item = &'a CardSpec>,
    states: &HashMap<String, CardState>,
    keep: impl Fn(&CardSpec) -> bool,
) -> Vec<Candidate<'a>> {
    deck_cards
        .enumerate()
        .filter(|(_, c)| keep(c))
        .map(|(i, c)| Candidate {
            card_id: &c.id,
            kind: c.kind,
            position: i as i64,
            state: states.get(&c.id).copied(),
        })
        .collect()
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan<'a> {
    pub due: Vec<&'a str>,
    pub new: Vec<&'a str>,
    /// Answered wrong and not due yet: shown again once nothing else is left.
    pub retry: Vec<&'a str>,
}

impl<'a> Plan<'a> {
    pub fn next(&self) -> Option<&'a str> {
        self.due
            .first()
            .or(self.new.first())
            .or(self.retry.first())
            .copied()
    }

    pub fn remaining(&self) -> usize {
        self.due.len() + self.new.len() + self.retry.len()
    }
}

/// New cards are introduced one kind at a time, in dataset order within a kind, so a learner
/// meets dates first and is not asked seven things about one event in a row.
fn introduction_rank(kind: Kind) -> usize {
    match kind {
        Kind::Date => 0,
        Kind::Place => 1,
        Kind::Figure => 2,
        Kind::Cloze => 3,
        Kind::Speaker => 4,
        Kind::EventOnDate => 5,
        Kind::TrueFalse => 6,
        Kind::Chronology => 7,
        Kind::Flashcard => 8,
    }
}

/// `new_allowed` is how many new cards the learner may still start today.
pub fn plan<'a>(candidates: &[Candidate<'a>], now: i64, new_allowed: usize) -> Plan<'a> {
    let mut due: Vec<(&Candidate, i64)> = Vec::new();
    let mut retry: Vec<(&Candidate, i64)> = Vec::new();
    let mut new: Vec<&Candidate> = Vec::new();
    for c in candidates {
        match &c.state {
            None => new.push(c),
            Some(s) if s.due <= now => due.push((c, s.due)),
            Some(s) if s.phase != super::Phase::Review => retry.push((c, s.due)),
            Some(_) => {}
        }
    }
    due.sort_by_key(|(c, d)| (*d, c.position));
    retry.sort_by_key(|(c, d)| (*d, c.position));
    new.sort_by_key(|c| (introduction_rank(c.kind), c.position));
    Plan {
        due: due.into_iter().map(|(c, _)| c.card_id).collect(),
        new: new
            .into_iter()
            .take(new_allowed)
            .map(|c| c.card_id)
            .collect(),
        retry: retry.into_iter().map(|(c, _)| c.card_id).collect(),
    }
}

/// The queue for an assignment: `candidates` are its cards the learner has not finished. Due
/// cards first, then every new one (the teacher set the amount, so no daily limit), then the
/// rest, soonest due first: finishing an assignment may mean reviewing a card early.
pub fn plan_assignment<'a>(candidates: &[Candidate<'a>], now: i64) -> Plan<'a> {
    let mut p = plan(candidates, now, usize::MAX);
    let mut ahead: Vec<(&Candidate, i64)> = candidates
        .iter()
        .filter_map(|c| c.state.map(|s| (c, s.due)))
        .filter(|(c, due)| *due > now && !p.retry.contains(&c.card_id))
        .collect();
    ahead.sort_by_key(|(c, d)| (*d, c.position));
    p.retry.extend(ahead.into_iter().map(|(c, _)| c.card_id));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::{Rating, Scheduler};

    fn cand(
        id: &'static str,
        kind: Kind,
        position: i64,
        state: Option<CardState>,
    ) -> Candidate<'static> {
        Candidate {
            card_id: id,
            kind,
            position,
            state,
        }
    }

    #[test]
    fn due_first_most_overdue_first_then_new_within_the_limit_then_retries() {
        let s = Scheduler::new(0.9);
        let now = 10_000_000;
        let long_ago = s.answer(None, Rating::Good, now - 40 * 86_400);
        let recently = s.answer(None, Rating::Good, now - 5 * 86_400);
        // Missed half a minute ago: back after the first learning step (1 min), not yet due.
        let missed = s.answer(None, Rating::Again, now - 30);
        let future = s.answer(None, Rating::Easy, now);
        let cards = [
            cand("a/date", Kind::Date, 0, Some(recently)),
            cand("b/date", Kind::Date, 1, Some(long_ago)),
            cand("c/date", Kind::Date, 2, Some(missed)),
            cand("d/date", Kind::Date, 3, Some(future)),
            cand("e/place", Kind::Place, 4, None),
            cand("f/date", Kind::Date, 5, None),
            cand("g/date", Kind::Date, 6, None),
        ];
        let p = plan(&cards, now, 2);
        assert_eq!(p.due, vec!["b/date", "a/date"]);
        assert_eq!(
            p.new,
            vec!["f/date", "g/date"],
            "dates before places, limit respected"
        );
        assert_eq!(p.retry, vec!["c/date"]);
        assert_eq!(p.next(), Some("b/date"));
        assert_eq!(p.remaining(), 5);
        let only_retry = plan(&cards[2..4], now, 0);
        assert_eq!(only_retry.next(), Some("c/date"));
    }

    #[test]
    fn an_assignment_queue_has_no_new_limit_and_asks_strong_cards_early() {
        let s = Scheduler::new(0.9);
        let now = 10_000_000;
        let strong = s.answer(None, Rating::Easy, now - 60);
        // Missed half a minute ago: back after the first learning step (1 min), not yet due.
        let missed = s.answer(None, Rating::Again, now - 30);
        let cards = [
            cand("a/date", Kind::Date, 0, Some(strong)),
            cand("b/date", Kind::Date, 1, Some(missed)),
            cand("c/date", Kind::Date, 2, None),
            cand("d/date", Kind::Date, 3, None),
        ];
        let p = plan_assignment(&cards, now);
        assert_eq!(p.new, vec!["c/date", "d/date"]);
        assert_eq!(p.retry, vec!["b/date", "a/date"]);
        assert_eq!(p.remaining(), 4);
    }
}
