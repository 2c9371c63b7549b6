//! Item analysis of an assignment, as Moodle's and Blackboard's quiz reports do it: for each
//! question its facility (the share right on the first attempt), its discrimination (the
//! facility among the strongest 27 % of students minus that among the weakest 27 %, ranked by
//! their score on the assignment), and which wrong answers the stronger and the weaker half
//! gave. Pure: it takes each student's first answers and returns figures with their counts.

use crate::ids::CardId;
use std::collections::{BTreeMap, HashMap};

/// One student's first answer to one card of the assignment.
#[derive(Debug, Clone)]
pub struct FirstAnswer {
    pub student: i64,
    pub card: CardId,
    pub correct: bool,
    pub given: String,
}

/// Below this many first answers a facility says little: "not enough answers yet".
pub const MIN_ANSWERS: usize = 5;
/// Discrimination compares groups of 27 % of the class; with fewer students than this the
/// groups are one or two people, and the figure is noise.
pub const MIN_STUDENTS: usize = 10;
/// Kelley's 27 %: the share of the class in each of the upper and lower groups.
pub const GROUP_SHARE: f64 = 0.27;
/// The thresholds Moodle and Blackboard flag at.
pub const EASY_ABOVE: f64 = 0.8;
pub const HARD_BELOW: f64 = 0.3;
pub const DISCRIMINATION_BELOW: f64 = 0.1;

/// Right answers out of answers, in one group of students.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub right: usize,
    pub answers: usize,
}

impl Tally {
    pub fn share(self) -> Option<f64> {
        (self.answers > 0).then(|| self.right as f64 / self.answers as f64)
    }
}

/// A wrong answer and how many in each half of the class gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongAnswer {
    pub given: String,
    pub stronger: usize,
    pub weaker: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Facility above 0.8.
    TooEasy,
    /// Facility below 0.3.
    TooHard,
    /// Discrimination below 0.1.
    DoesNotDiscriminate,
}

impl Flag {
    /// What the flag means, in a teacher's words.
    pub fn explain(self) -> &'static str {
        match self {
            Flag::TooEasy => {
                "Nearly everyone got it right the first time: it tells you little about who has learned what."
            }
            Flag::TooHard => {
                "Most got it wrong the first time: check it was taught, and that the question is clear."
            }
            Flag::DoesNotDiscriminate => {
                "Strong students did no better on it than weak ones: check the question and its answer for ambiguity."
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Item {
    pub card: CardId,
    /// Every student's first answer.
    pub all: Tally,
    /// `None` below [`MIN_ANSWERS`].
    pub facility: Option<f64>,
    pub upper: Tally,
    pub lower: Tally,
    /// `None` when the class is too small or a group did not answer this card.
    pub discrimination: Option<f64>,
    /// Most given first.
    pub wrong: Vec<WrongAnswer>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone)]
pub struct Analysis {
    /// Students with at least one first answer: the ones ranked.
    pub students: usize,
    /// Size of the upper and of the lower group (0 when the class is too small).
    pub group: usize,
    /// Size of the stronger and of the weaker half.
    pub half: usize,
    /// In the order of `cards`.
    pub items: Vec<Item>,
}

/// Analyses the first answers to `cards`. Students are ranked by how many of the
/// assignment's cards they got right first time (ties by id, so the result is stable).
pub fn analyse(cards: &[CardId], answers: &[FirstAnswer]) -> Analysis {
    let mut score: HashMap<i64, usize> = HashMap::new();
    for a in answers {
        *score.entry(a.student).or_default() += usize::from(a.correct);
    }
    let mut ranked: Vec<(i64, usize)> = score.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let n = ranked.len();
    let group = if n >= MIN_STUDENTS {
        (n as f64 * GROUP_SHARE).ceil() as usize
    } else {
        0
    };
    let half = n / 2;
    let rank: HashMap<i64, usize> = ranked
        .iter()
        .enumerate()
        .map(|(i, (s, _))| (*s, i))
        .collect();
    let items = cards
        .iter()
        .map(|card| {
            let mut item = Item {
                card: card.clone(),
                all: Tally::default(),
                facility: None,
                upper: Tally::default(),
                lower: Tally::default(),
                discrimination: None,
                wrong: Vec::new(),
                flags: Vec::new(),
            };
            let mut wrong: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            for a in answers.iter().filter(|a| &a.card == card) {
                let r = rank[&a.student];
                let add = |t: &mut Tally| {
                    t.answers += 1;
                    t.right += usize::from(a.correct);
                };
                add(&mut item.all);
                if r < group {
                    add(&mut item.upper);
                }
                if group > 0 && r >= n - group {
                    add(&mut item.lower);
                }
                let given = a.given.trim();
                if !a.correct && !given.is_empty() {
                    let w = wrong.entry(given.to_string()).or_default();
                    if r < half {
                        w.0 += 1;
                    } else if r >= n - half {
                        w.1 += 1;
                    }
                }
            }
            item.facility = item.all.share().filter(|_| item.all.answers >= MIN_ANSWERS);
            item.discrimination = match (item.upper.share(), item.lower.share()) {
                (Some(u), Some(l)) if item.facility.is_some() => Some(u - l),
                _ => None,
            };
            let mut wrong: Vec<WrongAnswer> = wrong
                .into_iter()
                .map(|(given, (stronger, weaker))| WrongAnswer {
                    given,
                    stronger,
                    weaker,
                })
                .collect();
            wrong.sort_by_key(|w| std::cmp::Reverse(w.stronger + w.weaker));
            item.wrong = wrong;
            if let Some(f) = item.facility {
                if f > EASY_ABOVE {
                    item.flags.push(Flag::TooEasy);
                }
                if f < HARD_BELOW {
                    item.flags.push(Flag::TooHard);
                }
            }
            if item
                .discrimination
                .is_some_and(|d| d < DISCRIMINATION_BELOW)
            {
                item.flags.push(Flag::DoesNotDiscriminate);
            }
            item
        })
        .collect();
    Analysis {
        students: n,
        group,
        half,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(student: i64, card: &str, correct: bool, given: &str) -> FirstAnswer {
        FirstAnswer {
            student,
            card: card.into(),
            correct,
            given: given.into(),
        }
    }

    #[test]
    fn figures_worked_out_by_hand_for_ten_students() {
        // Card a: right for students 0-8, student 9 says "1950".
        // Card b: right for 0-3; 4, 5, 6 say "1980", 7, 8, 9 say "1990".
        // Card c: right for 0, 5 and 9 only, the rest leave it empty.
        let mut answers = Vec::new();
        for s in 0..10 {
            answers.push(answer(s, "a", s < 9, "1950"));
            answers.push(answer(s, "b", s < 4, if s < 7 { "1980" } else { "1990" }));
            answers.push(answer(s, "c", [0, 5, 9].contains(&s), ""));
        }
        let cards: Vec<CardId> = ["a", "b", "c", "d"].map(CardId::from).to_vec();
        let r = analyse(&cards, &answers);
        // Scores: 0 -> 3; 1, 2, 3, 5 -> 2; 4, 6, 7, 8, 9 -> 1. Ranked: 0 1 2 3 5 4 6 7 8 9.
        assert_eq!((r.students, r.group, r.half), (10, 3, 5)); // ceil(2.7) = 3
        let [a, b, c, d] = [0, 1, 2, 3].map(|i| r.items[i].clone());
        // Upper group 0, 1, 2; lower group 7, 8, 9.
        assert_eq!(a.facility, Some(0.9));
        assert_eq!(
            (a.upper, a.lower),
            (
                Tally {
                    right: 3,
                    answers: 3
                },
                Tally {
                    right: 2,
                    answers: 3
                }
            )
        );
        assert!((a.discrimination.unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(a.flags, [Flag::TooEasy]);
        assert_eq!(
            a.wrong,
            [WrongAnswer {
                given: "1950".into(),
                stronger: 0,
                weaker: 1
            }]
        );

        assert_eq!(b.facility, Some(0.4));
        assert_eq!(b.discrimination, Some(1.0));
        assert!(b.flags.is_empty());
        // Stronger half 0 1 2 3 5, weaker half 4 6 7 8 9.
        assert_eq!(
            b.wrong,
            [
                WrongAnswer {
                    given: "1980".into(),
                    stronger: 1,
                    weaker: 2
                },
                WrongAnswer {
                    given: "1990".into(),
                    stronger: 0,
                    weaker: 3
                },
            ]
        );

        assert_eq!(c.facility, Some(0.3), "0.3 is not below 0.3");
        assert_eq!(c.discrimination, Some(0.0)); // 1 of 3 in both groups
        assert_eq!(c.flags, [Flag::DoesNotDiscriminate]);
        assert!(c.wrong.is_empty(), "empty answers are not listed");

        assert_eq!(d.all, Tally::default());
        assert_eq!((d.facility, d.discrimination), (None, None));
    }

    #[test]
    fn small_classes_get_a_facility_but_no_discrimination() {
        let answers: Vec<FirstAnswer> = (0..6).map(|s| answer(s, "a", s < 1, "x")).collect();
        let r = analyse(&[CardId::from("a")], &answers);
        assert_eq!(r.group, 0);
        let a = &r.items[0];
        assert!((a.facility.unwrap() - 1.0 / 6.0).abs() < 1e-9);
        assert_eq!(a.discrimination, None);
        assert_eq!(a.flags, [Flag::TooHard]);
        let few = analyse(&[CardId::from("a")], &answers[..4]);
        assert_eq!(few.items[0].facility, None, "4 answers are not enough");
        assert!(few.items[0].flags.is_empty());
    }
}
