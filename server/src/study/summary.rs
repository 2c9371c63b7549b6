//! A learner's own numbers, kept in memory between requests: their card states, today's
//! tallies (answers and right answers per deck, new cards started), each card's latest
//! answer (the missed list is the cards whose latest answer was wrong) and the days they
//! studied (the streak). Read from SQLite once, then kept exact: the answer path brings it
//! up to date right after its commit, and anything else that writes a learner's reviews or
//! states (a sync, a change of settings, a parameter fit) drops it after committing, so the
//! next request reads it again. Reading these on every study page and dashboard was about a
//! third of an answer's server CPU in the load benchmark's profile.
//!
//! "Today" is the learner's day (zone and rollover hour, [`DayClock`]); a summary read for
//! another day, or another offset (a clock change, a new zone), is read again.
//!
//! Cards retired by a deck import stay in here as in the database; callers filter by the
//! catalog (what a deck offers now), as the queries they replace filtered `retired = 0`.

use crate::clock::Instant;
use crate::db::study::{self as store, DAY_MS, day_shift_ms};
use crate::db::sync::current_seq;
use crate::ids::{CardId, DeckId, UserId};
use crate::srs::{CardState, DayClock};
use rusqlite::Connection;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

/// How many learners' summaries are kept at most. A summary is a few kilobytes for a
/// learner who has seen a few dozen cards, ~100 KB for one who has seen a whole deck.
pub const KEPT_LEARNERS: usize = 4_096;

/// At most this many study days are kept for the streak, as `study_days` reads them.
const STUDY_DAYS: usize = 3_660;

/// Answers, and how many of them were right.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub answers: i64,
    pub right: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Latest {
    at: Instant,
    correct: bool,
}

/// One learner's numbers; see the module's documentation.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The learner's change number (`users.sync_seq`) these numbers are exact for.
    seq: i64,
    states: HashMap<CardId, CardState>,
    latest: HashMap<CardId, Latest>,
    /// Each card's latest right answer (an assignment's goal "right once since").
    right: HashMap<CardId, Instant>,
    /// Start of the learner's day the tallies count from (unix seconds).
    day_start: i64,
    /// `db::study::day_shift_ms` the study days were grouped with.
    shift_ms: i64,
    today: HashMap<DeckId, Tally>,
    new_today: i64,
    days: BTreeSet<i64>,
}

/// An answer just committed by the answer path, as [`Summary::record`] takes it.
#[derive(Debug, Clone)]
pub struct Answer<'a> {
    pub card_id: &'a str,
    /// The card's deck (answers are counted per deck).
    pub deck_id: &'a str,
    pub answered_at: Instant,
    pub correct: bool,
    /// The card's state after the answer.
    pub state: CardState,
    /// The learner's change number the answer took.
    pub seq: i64,
}

impl Summary {
    /// Reads a learner's summary, for `clock`'s day at `now`, in one read transaction.
    pub fn load(
        conn: &mut Connection,
        user_id: UserId,
        clock: &DayClock,
        now: i64,
    ) -> rusqlite::Result<Summary> {
        let tx = conn.transaction()?;
        let day_start = clock.start_of_day(now);
        let summary = Summary {
            seq: current_seq(&tx, user_id)?,
            states: store::learner_states(&tx, user_id)?,
            latest: store::latest_reviews(&tx, user_id)?
                .into_iter()
                .map(|(card, at, correct)| (card, Latest { at, correct }))
                .collect(),
            right: crate::db::classes::latest_right(&tx, user_id)?
                .into_iter()
                .collect(),
            day_start,
            shift_ms: day_shift_ms(clock, now),
            today: store::answered_since_by_deck(&tx, user_id, day_start)?
                .into_iter()
                .map(|(deck, answers, right)| (deck, Tally { answers, right }))
                .collect(),
            new_today: store::new_cards_since(&tx, user_id, day_start)?,
            days: store::study_days(&tx, user_id, clock, now)?
                .into_iter()
                .collect(),
        };
        tx.finish()?;
        Ok(summary)
    }

    /// Whether these numbers count the learner's day as `clock` has it at `now`.
    pub fn is_current(&self, clock: &DayClock, now: i64) -> bool {
        self.day_start == clock.start_of_day(now) && self.shift_ms == day_shift_ms(clock, now)
    }

    /// Counts in an answer just committed. False when the summary missed a change before it
    /// (another writer's change number lies between): then it must be read again.
    #[must_use]
    pub fn record(&mut self, a: &Answer<'_>) -> bool {
        if a.seq == self.seq {
            // Read after the commit: the answer is counted already.
            return self.states.get(a.card_id) == Some(&a.state);
        }
        if a.seq != self.seq + 1 {
            return false;
        }
        self.seq = a.seq;
        let today = a.answered_at >= Instant::from_secs(self.day_start);
        let seen_before = match self.latest.get_mut(a.card_id) {
            Some(latest) => {
                // The log's newest row: it is the latest unless an earlier row is dated later.
                if a.answered_at >= latest.at {
                    *latest = Latest {
                        at: a.answered_at,
                        correct: a.correct,
                    };
                }
                true
            }
            None => {
                self.latest.insert(
                    CardId::new(a.card_id),
                    Latest {
                        at: a.answered_at,
                        correct: a.correct,
                    },
                );
                false
            }
        };
        if a.correct {
            let right = self
                .right
                .entry(CardId::new(a.card_id))
                .or_insert(a.answered_at);
            *right = (*right).max(a.answered_at);
        }
        if today {
            let tally = self.today.entry(DeckId::new(a.deck_id)).or_default();
            tally.answers += 1;
            tally.right += i64::from(a.correct);
            self.new_today += i64::from(!seen_before);
        }
        self.days
            .insert((a.answered_at.ms() + self.shift_ms) / DAY_MS);
        self.states.insert(CardId::new(a.card_id), a.state);
        true
    }

    /// Every card state of the learner (retired cards too).
    pub fn states(&self) -> &HashMap<CardId, CardState> {
        &self.states
    }

    pub fn state(&self, card_id: &str) -> Option<CardState> {
        self.states.get(card_id).copied()
    }

    /// Answers given today, in one deck or in all.
    pub fn answered_today(&self, deck_id: Option<&str>) -> Tally {
        match deck_id {
            Some(deck) => self.today.get(deck).copied().unwrap_or_default(),
            None => self.today.values().fold(Tally::default(), |t, d| Tally {
                answers: t.answers + d.answers,
                right: t.right + d.right,
            }),
        }
    }

    /// Cards answered for the first time today.
    pub fn new_today(&self) -> i64 {
        self.new_today
    }

    /// The cards `offered` keeps whose latest answer was wrong, the oldest miss first
    /// (ties by card id), as the missed queue takes them.
    pub fn missed_oldest_first(&self, offered: impl Fn(&CardId) -> bool) -> Vec<&CardId> {
        let mut missed: Vec<(Instant, &CardId)> = self
            .latest
            .iter()
            .filter(|(card, l)| !l.correct && offered(card))
            .map(|(card, l)| (l.at, card))
            .collect();
        missed.sort();
        missed.into_iter().map(|(_, card)| card).collect()
    }

    /// Whether the card was answered right at `since` or later.
    pub fn right_since(&self, card_id: &str, since: Instant) -> bool {
        self.right.get(card_id).is_some_and(|at| *at >= since)
    }

    /// How many cards `offered` keeps whose latest answer was wrong.
    pub fn missed_count(&self, offered: impl Fn(&CardId) -> bool) -> usize {
        self.latest
            .iter()
            .filter(|(card, l)| !l.correct && offered(card))
            .count()
    }

    /// The learner's study days (`DayClock::day` numbers), newest first.
    pub fn study_days(&self) -> Vec<i64> {
        self.days.iter().rev().take(STUDY_DAYS).copied().collect()
    }
}

type Slot = Arc<Mutex<Option<Summary>>>;

/// Every learner's summary lately used, each behind its own lock: a request of one learner
/// never waits on another's, and the map's lock is held only to find a slot.
pub struct Summaries {
    bound: usize,
    slots: Mutex<HashMap<UserId, Slot>>,
}

impl Default for Summaries {
    fn default() -> Self {
        Summaries::new(KEPT_LEARNERS)
    }
}

impl Summaries {
    pub fn new(bound: usize) -> Self {
        Summaries {
            bound: bound.max(1),
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `f` on the learner's summary if one is kept, current for `now`, and not in use
    /// (a try: never waits). For the async threads: no database, no blocking.
    pub fn peek<T>(
        &self,
        user_id: UserId,
        clock: &DayClock,
        now: i64,
        f: impl FnOnce(&Summary) -> T,
    ) -> Option<T> {
        let slot = self.map().get(&user_id).cloned()?;
        let held = slot.try_lock().ok()?;
        let summary = held.as_ref().filter(|s| s.is_current(clock, now))?;
        Some(f(summary))
    }

    /// Runs `f` with the learner's summary, read first if none is kept or it is not current
    /// for `now`; the learner's lock is held throughout, so an answer path that commits in
    /// `f` and records its answer is never seen half done. On the blocking threads only.
    /// When `f` fails the summary is dropped (it may have been left between two states).
    pub fn hold<T>(
        &self,
        conn: &mut Connection,
        user_id: UserId,
        clock: &DayClock,
        now: i64,
        f: impl FnOnce(&mut Connection, &mut Summary) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let slot = self.slot(user_id);
        let mut held = lock(&slot);
        if !held.as_ref().is_some_and(|s| s.is_current(clock, now)) {
            *held = None;
            *held = Some(Summary::load(conn, user_id, clock, now)?);
        }
        let summary = held.as_mut().expect("read just above");
        let out = f(conn, summary);
        if out.is_err() {
            *held = None;
        }
        out
    }

    /// Drops the learner's summary: for what wrote their reviews or states other than the
    /// answer path, after it committed.
    pub fn forget(&self, user_id: UserId) {
        let slot = self.map().get(&user_id).cloned();
        if let Some(slot) = slot {
            *lock(&slot) = None;
        }
    }

    /// How many learners have a slot (for tests).
    pub fn len(&self) -> usize {
        self.map().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn slot(&self, user_id: UserId) -> Slot {
        let mut map = self.map();
        if let Some(slot) = map.get(&user_id) {
            return Arc::clone(slot);
        }
        if map.len() >= self.bound {
            // Only a slot nobody holds may go (held ones are cloned under this lock): one
            // dropped while an answer held it would leave a second, stale copy behind.
            let idle = map
                .iter()
                .find(|(_, s)| Arc::strong_count(s) == 1)
                .map(|(id, _)| *id);
            if let Some(id) = idle {
                map.remove(&id);
            }
        }
        Arc::clone(map.entry(user_id).or_default())
    }

    fn map(&self) -> MutexGuard<'_, HashMap<UserId, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A learner's slot, locked. A panic while it was held may have left the summary half
/// updated, so it is dropped then.
fn lock(slot: &Slot) -> MutexGuard<'_, Option<Summary>> {
    match slot.lock() {
        Ok(held) => held,
        Err(poisoned) => {
            let mut held = poisoned.into_inner();
            *held = None;
            slot.clear_poison();
            held
        }
    }
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
