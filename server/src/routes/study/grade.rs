//! Grading a study form: the answer form's fields, and what the learner gave checked against
//! the question (a choice, a typed answer, a chronology's order, or a self-grade).

use crate::questions::{Question, answer, order};
use crate::srs::{Presentation, Rating};
use serde::Deserialize;

const MAX_TYPED: usize = 200;

/// The answer form. Every field is optional text so that a tampered form gets a clear
/// message rather than a deserialisation failure.
#[derive(Debug, Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub card_id: String,
    #[serde(default)]
    pub review_id: String,
    #[serde(default)]
    pub reps: String,
    #[serde(default)]
    pub shown_at: String,
    #[serde(default)]
    pub deck: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub assignment: String,
    /// The learner's choice of cards, as the study URL had it.
    #[serde(default)]
    pub focus: String,
    pub choice: Option<String>,
    pub typed: Option<String>,
    pub grade: Option<String>,
    /// A chronology's positions, one per event as shown (`order_0` for the first).
    pub order_0: Option<String>,
    pub order_1: Option<String>,
    pub order_2: Option<String>,
    pub order_3: Option<String>,
}

impl AnswerForm {
    fn order_fields(&self) -> [Option<&str>; 4] {
        [
            self.order_0.as_deref(),
            self.order_1.as_deref(),
            self.order_2.as_deref(),
            self.order_3.as_deref(),
        ]
    }

    /// The positions chosen so far, to show again with a form error.
    pub(super) fn chosen_order(&self, count: usize) -> Vec<Option<usize>> {
        self.order_fields()
            .iter()
            .take(count)
            .map(|f| {
                f.and_then(|s| s.trim().parse().ok())
                    .filter(|p| (1..=count).contains(p))
            })
            .collect()
    }
}

/// What the learner gave, once checked against the question.
pub(super) struct Graded {
    pub(super) correct: bool,
    /// A flashcard the learner graded themselves.
    pub(super) self_graded: bool,
    pub(super) rating: Rating,
    pub(super) given: String,
}

pub(super) fn grade(
    q: &Question,
    presentation: Presentation,
    form: &AnswerForm,
) -> Result<Graded, String> {
    match presentation {
        Presentation::MultipleChoice if !q.items.is_empty() => {
            let positions = order::parse(&form.order_fields(), q.items.len())
                .map_err(|e| e.message(q.items.len()))?;
            let correct = order::is_right(&q.items, &positions);
            Ok(Graded {
                correct,
                rating: Rating::for_answer(correct),
                given: order::describe(&q.items, &positions),
                self_graded: false,
            })
        }
        Presentation::MultipleChoice => {
            let index: usize = form
                .choice
                .as_deref()
                .and_then(|c| c.trim().parse().ok())
                .filter(|&i| i < q.choices.len())
                .ok_or("Choose one of the answers.")?;
            let correct = Some(index) == q.answer_index;
            Ok(Graded {
                correct,
                self_graded: false,
                rating: Rating::for_answer(correct),
                given: q.choices[index].clone(),
            })
        }
        Presentation::Typed => {
            let typed = form.typed.as_deref().unwrap_or("").trim();
            if typed.is_empty() {
                return Err("Type an answer first.".into());
            }
            if typed.chars().count() > MAX_TYPED {
                return Err(format!("Answers are at most {MAX_TYPED} characters."));
            }
            let correct = answer::check_typed(&q.expected, typed);
            Ok(Graded {
                correct,
                self_graded: false,
                rating: Rating::for_answer(correct),
                given: typed.to_string(),
            })
        }
        Presentation::Flashcard => {
            let rating = form
                .grade
                .as_deref()
                .and_then(|g| g.trim().parse().ok())
                .and_then(Rating::from_number)
                .ok_or("Grade yourself from 1 (again) to 4 (easy).")?;
            let label = match rating {
                Rating::Again => "Again",
                Rating::Hard => "Hard",
                Rating::Good => "Good",
                Rating::Easy => "Easy",
            };
            Ok(Graded {
                correct: rating != Rating::Again,
                self_graded: true,
                rating,
                given: format!("{label} (self-graded)"),
            })
        }
    }
}
