//! A learner's figures from their review log and card states: today, reviews per day, true
//! retention per week, the forecast of due cards, cards by standing, streak. Pure: values in,
//! values out; the charts that draw them are in `chart`.
//!
//! Days are the learner's own ([`DayClock`]: their time zone and rollover hour). Each
//! answer's day is worked out once, in [`Dated::new`], and every figure counts those days.

pub mod chart;

use crate::srs::{CardState, DayClock, Standing, Tally};
use std::collections::{BTreeMap, HashMap};

/// One answer from the log, as the statistics need it. Times are unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub card_id: String,
    pub at: i64,
    pub correct: bool,
    pub duration_ms: i64,
}

/// The log with the learner's day of each answer ([`DayClock::day`]: days since 1970-01-01
/// in their calendar), worked out once: a zone lookup per answer, not one per figure.
#[derive(Debug, Clone)]
pub struct Dated<'a> {
    pub answers: &'a [Answer],
    /// `days[i]` is the day of `answers[i]`.
    pub days: Vec<i64>,
}

impl<'a> Dated<'a> {
    pub fn new(answers: &'a [Answer], clock: &DayClock) -> Dated<'a> {
        Dated {
            answers,
            days: answers.iter().map(|a| clock.day(a.at)).collect(),
        }
    }

    /// Each answer with its day.
    fn iter(&self) -> impl Iterator<Item = (&'a Answer, i64)> + '_ {
        self.answers.iter().zip(self.days.iter().copied())
    }
}

/// What today looks like so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Today {
    /// Distinct cards answered.
    pub cards: usize,
    pub answers: usize,
    pub right: usize,
    pub duration_ms: i64,
}

impl Today {
    /// Right answers as a whole percentage, none before the first answer.
    pub fn accuracy(&self) -> Option<u32> {
        percent(self.right, self.answers)
    }
}

/// `part` of `whole` as a whole percentage, rounded to nearest; none when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> Option<u32> {
    (whole > 0).then(|| ((part * 200 + whole) / (2 * whole)) as u32)
}

pub fn today(log: &Dated, today: i64) -> Today {
    let mut cards: Vec<&str> = Vec::new();
    let mut t = Today::default();
    for (a, _) in log.iter().filter(|(_, d)| *d == today) {
        t.answers += 1;
        t.right += usize::from(a.correct);
        t.duration_ms += a.duration_ms;
        cards.push(&a.card_id);
    }
    cards.sort_unstable();
    cards.dedup();
    t.cards = cards.len();
    t
}

/// Answers on each of the `days` days ending today, oldest first: (day, count).
pub fn per_day(log: &Dated, today: i64, days: i64) -> Vec<(i64, usize)> {
    let first = today - days + 1;
    let mut counts = vec![0usize; days.max(0) as usize];
    for &d in &log.days {
        if (first..=today).contains(&d) {
            counts[(d - first) as usize] += 1;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| (first + i as i64, n))
        .collect()
}

/// True retention over one week: of the reviews that came back on a later day than the
/// card's previous answer (the reviews the schedule asked for, not same-day relearning or
/// first sight), the share answered right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub first_day: i64,
    pub last_day: i64,
    pub due: usize,
    pub right: usize,
}

impl Week {
    pub fn retention(&self) -> Option<u32> {
        percent(self.right, self.due)
    }
}

/// `weeks` seven-day weeks ending today, oldest first.
pub fn retention_by_week(log: &Dated, today: i64, weeks: i64) -> Vec<Week> {
    let mut out: Vec<Week> = (0..weeks)
        .rev()
        .map(|k| Week {
            first_day: today - 7 * k - 6,
            last_day: today - 7 * k,
            due: 0,
            right: 0,
        })
        .collect();
    let first = today - 7 * weeks + 1;
    let mut by_card: HashMap<&str, Vec<(&Answer, i64)>> = HashMap::new();
    for (a, d) in log.iter() {
        by_card.entry(&a.card_id).or_default().push((a, d));
    }
    for card_log in by_card.values_mut() {
        card_log.sort_by_key(|(a, _)| a.at);
        for pair in card_log.windows(2) {
            let ((_, before), (now, d)) = (pair[0], pair[1]);
            if d > before && (first..=today).contains(&d) {
                let w = &mut out[((d - first) / 7) as usize];
                w.due += 1;
                w.right += usize::from(now.correct);
            }
        }
    }
    out
}

/// Cards falling due on each of the next `days` learner days, today first; overdue cards
/// count today.
pub fn forecast<'a>(
    states: impl IntoIterator<Item = &'a CardState>,
    clock: &DayClock,
    today: i64,
    days: i64,
) -> Vec<(i64, usize)> {
    let mut counts = vec![0usize; days.max(0) as usize];
    for s in states {
        let d = clock.day(s.due).max(today);
        if d < today + days {
            counts[(d - today) as usize] += 1;
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| (today + i as i64, n))
        .collect()
}

/// How many cards stand where, in [`Standing::ALL`] order.
pub fn by_standing(standings: impl IntoIterator<Item = Standing>) -> Vec<(Standing, usize)> {
    let mut counts: BTreeMap<Standing, usize> = Standing::ALL.iter().map(|s| (*s, 0)).collect();
    for s in standings {
        *counts.entry(s).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// Answers and misses per card.
pub fn tallies(answers: &[Answer]) -> HashMap<&str, Tally> {
    let mut out: HashMap<&str, Tally> = HashMap::new();
    for a in answers {
        let t = out.entry(&a.card_id).or_default();
        t.answers += 1;
        t.misses += u32::from(!a.correct);
    }
    out
}

/// Consecutive days with answers, ending today or yesterday. `days` is newest first.
pub fn streak(days: &[i64], today: i64) -> i64 {
    let mut expected = match days.first() {
        Some(&d) if d == today || d == today - 1 => d,
        _ => return 0,
    };
    let mut n = 0;
    for &d in days {
        if d != expected {
            break;
        }
        n += 1;
        expected -= 1;
    }
    n
}

/// The days with answers, newest first, for [`streak`].
pub fn answer_days(log: &Dated) -> Vec<i64> {
    let mut days = log.days.clone();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    days
}

/// A duration as people say it: `0 min`, `12 min`, `1 h 5 min`.
pub fn duration_words(ms: i64) -> String {
    let minutes = (ms + 30_000) / 60_000;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srs::Phase;
    use crate::srs::days::zone;

    const D: i64 = 20_000; // a day number; D * DAY is 2024-10-04 00:00 UTC
    const DAY: i64 = 86_400;

    fn utc() -> DayClock {
        DayClock::new(jiff::tz::TimeZone::UTC, 0)
    }

    fn at(day: i64, hour: i64) -> i64 {
        day * DAY + hour * 3600
    }

    fn ans(card: &str, day: i64, hour: i64, correct: bool) -> Answer {
        Answer {
            card_id: card.into(),
            at: at(day, hour),
            correct,
            duration_ms: 10_000,
        }
    }

    #[test]
    fn today_counts_cards_once_and_answers_each_time() {
        let log = [
            ans("a", D, 1, false),
            ans("a", D, 2, true),
            ans("b", D, 3, true),
            ans("c", D - 1, 23, true),
        ];
        let t = today(&Dated::new(&log, &utc()), D);
        assert_eq!(
            (t.cards, t.answers, t.right, t.duration_ms),
            (2, 3, 2, 30_000)
        );
        assert_eq!(t.accuracy(), Some(67));
        assert_eq!(today(&Dated::new(&[], &utc()), D).accuracy(), None);
    }

    #[test]
    fn per_day_is_oldest_first_and_drops_older_days() {
        let log = [
            ans("a", D, 1, true),
            ans("a", D - 2, 1, true),
            ans("b", D - 2, 5, true),
            ans("c", D - 3, 1, true),
        ];
        assert_eq!(
            per_day(&Dated::new(&log, &utc()), D, 3),
            vec![(D - 2, 2), (D - 1, 0), (D, 1)]
        );
    }

    #[test]
    fn retention_counts_only_answers_on_a_later_day_than_the_previous_one() {
        let log = [
            ans("a", D - 10, 1, true),  // first sight: not counted
            ans("a", D - 10, 2, false), // same day: not counted
            ans("a", D - 3, 1, true),   // due review, this week
            ans("b", D - 9, 1, true),
            ans("b", D - 8, 1, false), // due review, last week (D-13..=D-7)
            ans("b", D, 1, true),      // due review, this week
            ans("c", D, 1, false),     // first sight
        ];
        let weeks = retention_by_week(&Dated::new(&log, &utc()), D, 2);
        assert_eq!(
            weeks,
            vec![
                Week {
                    first_day: D - 13,
                    last_day: D - 7,
                    due: 1,
                    right: 0
                },
                Week {
                    first_day: D - 6,
                    last_day: D,
                    due: 2,
                    right: 2
                },
            ]
        );
        assert_eq!(weeks[0].retention(), Some(0));
        assert_eq!(weeks[1].retention(), Some(100));
    }

    #[test]
    fn the_forecast_puts_overdue_cards_today() {
        let state = |due| CardState {
            stability: 1.0,
            difficulty: 5.0,
            due,
            last_review: 0,
            reps: 1,
            lapses: 0,
            phase: Phase::Review,
            step: 0,
        };
        let states = [
            state(at(D - 5, 3)),
            state(at(D, 23)),
            state(at(D + 2, 0)),
            state(at(D + 3, 0)),
        ];
        assert_eq!(
            forecast(&states, &utc(), D, 3),
            vec![(D, 2), (D + 1, 0), (D + 2, 1)]
        );
    }

    #[test]
    fn every_figure_counts_the_learners_own_days() {
        // Hanoi is UTC+7 all year. With the day rolling over at 4 am there, 16:30 UTC is
        // 23:30 (day D), 20:30 UTC is 03:30 the next morning (still day D), 21:30 UTC is
        // 04:30 (day D + 1): three answers on one UTC date, on two of the learner's days.
        let hanoi = DayClock::new(zone("Asia/Ho_Chi_Minh").unwrap(), 4);
        let utc_time = |hour: i64, min: i64| D * DAY + hour * 3600 + min * 60;
        let log = [
            Answer {
                card_id: "a".into(),
                at: utc_time(16, 30),
                correct: true,
                duration_ms: 1_000,
            },
            Answer {
                card_id: "a".into(),
                at: utc_time(20, 30),
                correct: false,
                duration_ms: 1_000,
            },
            Answer {
                card_id: "a".into(),
                at: utc_time(21, 30),
                correct: true,
                duration_ms: 1_000,
            },
        ];
        let dated = Dated::new(&log, &hanoi);
        assert_eq!(dated.days, [D, D, D + 1]);
        assert_eq!(per_day(&dated, D + 1, 2), [(D, 2), (D + 1, 1)]);
        assert_eq!(today(&dated, D + 1).answers, 1);
        assert_eq!(answer_days(&dated), [D + 1, D]);
        assert_eq!(streak(&answer_days(&dated), D + 1), 2);
        // The 04:30 answer came back on a later day than the 03:30 one: a due review.
        let week = retention_by_week(&dated, D + 1, 1)[0];
        assert_eq!((week.due, week.right), (1, 1));
        // A card due at 20:59 UTC (03:59 in Hanoi) falls on day D; at 21:00 UTC, on D + 1.
        let due = |t| CardState {
            stability: 1.0,
            difficulty: 5.0,
            due: t,
            last_review: 0,
            reps: 1,
            lapses: 0,
            phase: Phase::Review,
            step: 0,
        };
        let states = [due(utc_time(20, 59)), due(utc_time(21, 0))];
        assert_eq!(forecast(&states, &hanoi, D, 2), [(D, 1), (D + 1, 1)]);
        // The same log in UTC: one day, and no due review in it.
        let in_utc = Dated::new(&log, &utc());
        assert_eq!(per_day(&in_utc, D, 1), [(D, 3)]);
        assert_eq!(retention_by_week(&in_utc, D, 1)[0].due, 0);
    }

    #[test]
    fn percentages_round_to_nearest() {
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn streak_counts_consecutive_days_up_to_today_or_yesterday() {
        assert_eq!(streak(&[], 100), 0);
        assert_eq!(streak(&[100, 99, 98, 96], 100), 3);
        assert_eq!(streak(&[99, 98], 100), 2);
        assert_eq!(streak(&[97], 100), 0);
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(duration_words(0), "0 min");
        assert_eq!(duration_words(29_000), "0 min");
        assert_eq!(duration_words(12 * 60_000 + 10_000), "12 min");
        assert_eq!(duration_words(65 * 60_000), "1 h 5 min");
        assert_eq!(duration_words(120 * 60_000), "2 h");
    }
}
