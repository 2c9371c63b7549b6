//! What to study next: due cards (most overdue first), then new cards up to the daily limit,
//! then cards missed in this session, which come back until they are answered right.
//!
//! New cards come in an order that mixes kinds and events ([`interleave`]): never three of
//! one kind in a row while another kind is left, never two cards of one event back to back
//! while another event is left, so a learner does not answer sixty "When?" in a row.

use super::CardState;
use crate::ids::{CardId, UserId};
use crate::questions::{CardSpec, Kind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, VecDeque};

/// A card of the deck being studied, with this learner's state if they have seen it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    pub card_id: &'a CardId,
    pub kind: Kind,
    /// The event (or quote) the card asks about.
    pub subject: &'a str,
    /// Place of the card in this learner's order of introduction ([`interleave`]).
    pub position: i64,
    pub state: Option<CardState>,
}

/// A deck's cards as candidates with the learner's states; `keep` narrows them, e.g. to an
/// assignment's cards. Positions come from [`interleave`] over every kept card, seen or not,
/// with the learner's `seed`: the order does not move as cards are answered, so a reload
/// shows the same card and the cards a learner meets follow the interleaved order.
pub fn candidates<'a>(
    deck_cards: impl Iterator<Item = &'a CardSpec>,
    states: &HashMap<CardId, CardState>,
    keep: impl Fn(&CardSpec) -> bool,
    seed: u64,
) -> Vec<Candidate<'a>> {
    let kept: Vec<&CardSpec> = deck_cards.filter(|c| keep(c)).collect();
    let order = positions(&kept, seed);
    candidates_at(kept.into_iter(), &order, states)
}

/// Each card's place in the learner's order of introduction: [`interleave`] over `cards`
/// with the learner's `seed`. It depends on nothing else, so it may be kept and reused.
pub fn positions(cards: &[&CardSpec], seed: u64) -> Vec<u32> {
    let order = interleave(
        &cards
            .iter()
            .map(|c| (c.kind, c.subject_id.as_str()))
            .collect::<Vec<_>>(),
        seed,
    );
    let mut position = vec![0u32; cards.len()];
    for (rank, &i) in order.iter().enumerate() {
        position[i] = rank as u32;
    }
    position
}

/// [`candidates`] of every card of `cards`, placed by `positions` (same order, as
/// [`positions`] gives for those cards and the learner's seed).
pub fn candidates_at<'a>(
    cards: impl Iterator<Item = &'a CardSpec>,
    positions: &[u32],
    states: &HashMap<CardId, CardState>,
) -> Vec<Candidate<'a>> {
    cards
        .zip(positions)
        .map(|(c, &position)| Candidate {
            card_id: &c.id,
            kind: c.kind,
            subject: &c.subject_id,
            position: i64::from(position),
            state: states.get(&c.id).copied(),
        })
        .collect()
}

/// The seed of a learner's order of new cards: the same on every device and every visit.
pub fn learner_seed(user_id: UserId) -> u64 {
    crate::questions::stable_hash(&["new-cards", &user_id.to_string()])
}

/// An order of `items` (kind, subject), given by their indices. Built greedily: at each step
/// the kinds allowed are those that would not make three in a row (unless no other kind is
/// left); among them, those that offer a card of another event than the last (if any do);
/// within a kind, cards keep the dataset's order (events by date). Which allowed kind comes
/// next is drawn from `seed`, weighted by how many cards it has left, except that a kind
/// holding two thirds of what is left is taken whenever allowed, so it is spread out early
/// instead of bunching at the end.
pub fn interleave(items: &[(Kind, &str)], seed: u64) -> Vec<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut kinds: Vec<Kind> = Vec::new();
    for (k, _) in items {
        if !kinds.contains(k) {
            kinds.push(*k);
        }
    }
    // Per kind, the indices still to place, in dataset order. Cards nearly always leave from
    // the front: a queue, where removing from the front of a `Vec` moved the rest each time
    // (a fifth of the server's CPU on the study pages, for ~600 cards, in the load benchmark).
    let mut left: Vec<VecDeque<usize>> = vec![VecDeque::new(); kinds.len()];
    for (i, (k, _)) in items.iter().enumerate() {
        let slot = kinds
            .iter()
            .position(|x| x == k)
            .expect("every kind is listed");
        left[slot].push_back(i);
    }
    let mut out: Vec<usize> = Vec::with_capacity(items.len());
    // Scratch lists of kind indices, reused on every step.
    let mut open: Vec<usize> = Vec::with_capacity(kinds.len());
    let mut allowed: Vec<usize> = Vec::with_capacity(kinds.len());
    let mut with_fresh: Vec<usize> = Vec::with_capacity(kinds.len());
    while out.len() < items.len() {
        let last = out.last().map(|&i| items[i]);
        let run_kind = match out.as_slice() {
            [.., a, b] if items[*a].0 == items[*b].0 => Some(items[*b].0),
            _ => None,
        };
        open.clear();
        open.extend((0..kinds.len()).filter(|&k| !left[k].is_empty()));
        allowed.clear();
        allowed.extend(open.iter().copied().filter(|&k| Some(kinds[k]) != run_kind));
        if allowed.is_empty() {
            allowed.extend_from_slice(&open);
        }
        // For each allowed kind, its first card of another event than the last one shown.
        let fresh = |k: usize| {
            left[k]
                .iter()
                .position(|&i| last.is_none_or(|(_, s)| items[i].1 != s))
        };
        with_fresh.clear();
        with_fresh.extend(allowed.iter().copied().filter(|&k| fresh(k).is_some()));
        if !with_fresh.is_empty() {
            std::mem::swap(&mut allowed, &mut with_fresh);
        }
        let total = items.len() - out.len();
        let biggest = *allowed
            .iter()
            .max_by_key(|&&k| (left[k].len(), std::cmp::Reverse(k)))
            .expect("some kind is left");
        let k = if left[biggest].len() * 3 >= total * 2 {
            biggest
        } else {
            let weight: usize = allowed.iter().map(|&k| left[k].len()).sum();
            let mut draw = rng.random_range(0..weight);
            *allowed
                .iter()
                .find(|&&k| {
                    if draw < left[k].len() {
                        true
                    } else {
                        draw -= left[k].len();
                        false
                    }
                })
                .expect("the draw falls in some kind")
        };
        let at = fresh(k).unwrap_or(0);
        out.push(left[k].remove(at).expect("a card of that kind is left"));
    }
    out
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan<'a> {
    pub due: Vec<&'a CardId>,
    pub new: Vec<&'a CardId>,
    /// Answered wrong and not due yet: shown again once nothing else is left.
    pub retry: Vec<&'a CardId>,
}

impl<'a> Plan<'a> {
    pub fn next(&self) -> Option<&'a CardId> {
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
    new.sort_by_key(|c| c.position);
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

/// One of the learner's states of a deck's card, for [`glance_deck`]: the card's place
/// among the deck's cards, its id, its state.
pub type Seen<'a> = (usize, &'a CardId, CardState);

/// The card [`glance_deck`] puts next: one the learner has seen, or the new card in a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick<'a> {
    Seen(&'a CardId),
    New(usize),
}

/// What the study page needs of [`plan`]: its next card and how many are left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glance<'a> {
    pub next: Option<Pick<'a>>,
    pub remaining: usize,
}

/// [`plan`]'s next card and remaining count for a whole deck of `positions.len()` cards,
/// from the learner's states of it alone: what [`candidates_at`] and [`plan`] give, without
/// a candidate per card of the deck (each looked up in the learner's states) and sorts of
/// every list, which were most of a study page's queue (~600 cards, a few dozen seen).
pub fn glance_deck<'a>(
    positions: &[u32],
    seen: impl IntoIterator<Item = Seen<'a>>,
    now: i64,
    new_allowed: usize,
) -> Glance<'a> {
    let mut has_state = vec![false; positions.len()];
    let (mut due, mut retry) = (0usize, 0usize);
    // The first of each list as `plan` sorts it: by (due, position); positions are distinct.
    let mut first_due: Option<(i64, u32, &'a CardId)> = None;
    let mut first_retry: Option<(i64, u32, &'a CardId)> = None;
    let mut seen_here = 0usize;
    for (slot, id, s) in seen {
        has_state[slot] = true;
        seen_here += 1;
        let key = (s.due, positions[slot], id);
        let (count, first) = if s.due <= now {
            (&mut due, &mut first_due)
        } else if s.phase != super::Phase::Review {
            (&mut retry, &mut first_retry)
        } else {
            continue;
        };
        *count += 1;
        if first.is_none_or(|(d, p, _)| (key.0, key.1) < (d, p)) {
            *first = Some(key);
        }
    }
    let new = (positions.len() - seen_here).min(new_allowed);
    let first_new = || {
        has_state
            .iter()
            .zip(positions)
            .enumerate()
            .filter(|(_, (seen, _))| !**seen)
            .min_by_key(|&(_, (_, p))| *p)
            .map(|(slot, _)| Pick::New(slot))
    };
    let next = match (first_due, new) {
        (Some((_, _, id)), _) => Some(Pick::Seen(id)),
        (None, 1..) => first_new(),
        (None, 0) => first_retry.map(|(_, _, id)| Pick::Seen(id)),
    };
    Glance {
        next,
        remaining: due + new + retry,
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
            // A test's few ids live as long as the test binary.
            card_id: Box::leak(Box::new(CardId::new(id))),
            kind,
            subject: id.split('/').next().unwrap(),
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
            vec!["e/place", "f/date"],
            "in the learner's order, limit respected"
        );
        assert_eq!(p.retry, vec!["c/date"]);
        assert_eq!(p.next().map(CardId::as_str), Some("b/date"));
        assert_eq!(p.remaining(), 5);
        let only_retry = plan(&cards[2..4], now, 0);
        assert_eq!(only_retry.next().map(CardId::as_str), Some("c/date"));
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

    fn kinds_of(items: &[(Kind, &str)], order: &[usize]) -> Vec<Kind> {
        order.iter().map(|&i| items[i].0).collect()
    }

    #[test]
    fn a_deck_of_many_dates_and_some_places_never_asks_three_dates_in_a_row_while_places_last() {
        let subjects: Vec<String> = (0..40).map(|i| format!("e{i}")).collect();
        let mut items: Vec<(Kind, &str)> =
            subjects.iter().map(|s| (Kind::Date, s.as_str())).collect();
        items.extend(subjects[..10].iter().map(|s| (Kind::Place, s.as_str())));
        let order = interleave(&items, 7);
        let kinds = kinds_of(&items, &order);
        // 40 dates and 10 places: pairs of dates between places until the places run out.
        let places_done = kinds.iter().rposition(|k| *k == Kind::Place).unwrap();
        for w in kinds[..=places_done].windows(3) {
            assert!(!(w[0] == w[1] && w[1] == w[2]), "{kinds:?}");
        }
        assert_eq!(
            interleave(&items, 7),
            order,
            "the same learner gets the same order"
        );
    }

    #[test]
    fn cards_of_one_event_are_not_back_to_back_when_another_event_is_left() {
        let items = [
            (Kind::Date, "a"),
            (Kind::Place, "a"),
            (Kind::Figure, "a"),
            (Kind::Date, "b"),
            (Kind::Place, "b"),
            (Kind::Figure, "b"),
        ];
        for seed in 0..50 {
            let order = interleave(&items, seed);
            for w in order.windows(2) {
                assert_ne!(items[w[0]].1, items[w[1]].1, "seed {seed}: {order:?}");
            }
        }
    }

    #[test]
    fn a_new_learner_meets_kinds_mixed_and_within_a_kind_events_in_deck_order() {
        let items = [
            (Kind::Date, "a"),
            (Kind::Date, "b"),
            (Kind::Date, "c"),
            (Kind::Place, "a"),
            (Kind::Place, "b"),
            (Kind::Place, "c"),
        ];
        let order = interleave(&items, 1);
        let dates: Vec<usize> = order.iter().copied().filter(|&i| i < 3).collect();
        assert_eq!(dates, vec![0, 1, 2]);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        const KINDS: [Kind; 4] = [Kind::Date, Kind::Place, Kind::Figure, Kind::Chronology];
        const SUBJECTS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

        fn deck() -> impl Strategy<Value = Vec<(Kind, &'static str)>> {
            prop::collection::vec((0..KINDS.len(), 0..SUBJECTS.len()), 0..60).prop_map(|v| {
                v.into_iter()
                    .map(|(k, s)| (KINDS[k], SUBJECTS[s]))
                    .collect()
            })
        }

        proptest! {
            /// For any deck, order and states: `glance_deck` gives the next card and the count
            /// `plan` gives over every card of the deck as a candidate.
            #[test]
            fn a_deck_glanced_at_from_its_seen_cards_agrees_with_the_plan_of_every_card(
                items in deck(),
                seed in any::<u64>(),
                picks in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, -3i64..3), 0..40),
                new_allowed in 0usize..30,
            ) {
                let ids: Vec<CardId> = (0..items.len()).map(|i| CardId::new(format!("c{i}/date"))).collect();
                let specs: Vec<CardSpec> = items
                    .iter()
                    .zip(&ids)
                    .map(|((k, s), id)| CardSpec {
                        id: id.clone(),
                        deck_id: "d".into(),
                        subject_id: s.to_string(),
                        kind: *k,
                        figure: None,
                    })
                    .collect();
                let refs: Vec<&CardSpec> = specs.iter().collect();
                let order = positions(&refs, seed);
                let now = 1_000_000;
                let s = Scheduler::new(0.9);
                let mut states = HashMap::new();
                if !specs.is_empty() {
                    for (pick, rating, shift) in &picks {
                        let slot = pick.index(specs.len());
                        let r = Rating::from_number(i64::from(*rating) + 1).unwrap();
                        let mut st = s.answer(None, r, now - 86_400);
                        // Some due, some not; several on the same second.
                        st.due = now + shift * 60;
                        states.insert(ids[slot].clone(), st);
                    }
                }
                let seen: Vec<Seen<'_>> = ids
                    .iter()
                    .enumerate()
                    .filter_map(|(slot, id)| states.get(id).map(|st| (slot, id, *st)))
                    .collect();
                let cands = candidates_at(specs.iter(), &order, &states);
                let planned = plan(&cands, now, new_allowed);
                let glance = glance_deck(&order, seen, now, new_allowed);
                let next = glance.next.map(|p| match p {
                    Pick::Seen(id) => id,
                    Pick::New(slot) => &ids[slot],
                });
                prop_assert_eq!(next, planned.next());
                prop_assert_eq!(glance.remaining, planned.remaining());
            }
        }

        proptest! {
            /// For any deck and learner: every card once; three of a kind in a row only when
            /// nothing else is left; two of one event in a row only when every card of
            /// another event left would make three of a kind.
            #[test]
            fn the_order_mixes_kinds_and_events_wherever_the_deck_allows(
                items in deck(), seed in any::<u64>()
            ) {
                let order = interleave(&items, seed);
                let mut sorted = order.clone();
                sorted.sort();
                prop_assert_eq!(sorted, (0..items.len()).collect::<Vec<_>>());
                for i in 0..order.len() {
                    let rest = &order[i..];
                    let run = i >= 2 && items[order[i - 1]].0 == items[order[i - 2]].0;
                    let run_kind = items[order[i.saturating_sub(1)]].0;
                    if run && items[order[i]].0 == run_kind {
                        prop_assert!(
                            rest.iter().all(|&j| items[j].0 == run_kind),
                            "three of a kind at {} with other kinds left: {:?}", i, order
                        );
                    }
                    if i >= 1 && items[order[i]].1 == items[order[i - 1]].1 {
                        let last = items[order[i - 1]].1;
                        let allowed = |j: usize| !run || items[j].0 != run_kind
                            || rest.iter().all(|&r| items[r].0 == run_kind);
                        prop_assert!(
                            rest.iter().filter(|&&j| allowed(j)).all(|&j| items[j].1 == last),
                            "same event twice at {} though another was allowed: {:?}", i, order
                        );
                    }
                }
            }
        }
    }
}
