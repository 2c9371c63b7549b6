//! A learner's own FSRS parameters, fitted to their review log with the `fsrs` crate's
//! `compute_parameters`. The fit is kept only if it predicts the learner's answers better
//! than the parameters they have now, judged on cards the fit never saw. Pure: a log in, a
//! verdict out; storage and scheduling of the run live elsewhere.

use super::days::DayClock;
use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview, ModelEvaluation};

/// Below this, a fit mostly learns noise. Anki asked for about 400 reviews before it offered
/// to optimise; the crate itself falls back to the defaults under 64 usable items.
pub const MIN_REVIEWS: usize = 400;
/// One card in this many is held out of the fit, to judge it.
const HELD_OUT_EVERY: u64 = 5;

/// One review of the log, as the optimiser needs it.
#[derive(Debug, Clone)]
pub struct LoggedReview {
    pub card_id: String,
    /// Unix seconds.
    pub answered_at: i64,
    pub rating: u32,
}

/// How well a set of parameters predicts answers: lower is better for both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// Average surprise at each answer (binary cross-entropy).
    pub log_loss: f64,
    /// How far predicted recall is from actual recall, over groups of similar reviews.
    pub rmse: f64,
}

impl From<ModelEvaluation> for Fit {
    fn from(e: ModelEvaluation) -> Fit {
        Fit {
            log_loss: f64::from(e.log_loss),
            rmse: f64::from(e.rmse_bins),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub reviews: usize,
    pub before: Fit,
    pub after: Fit,
    /// The fitted parameters, if they predict better than the current ones.
    pub keep: Option<Vec<f32>>,
    pub candidate: Vec<f32>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum OptimiseError {
    #[error("{0} reviews so far; personal parameters need at least {MIN_REVIEWS}")]
    TooFewReviews(usize),
    #[error("the optimiser failed: {0}")]
    Fsrs(String),
}

/// Each card's history as FSRS items: one per review after the first, holding the history
/// up to it, with days counted in the learner's calendar.
fn items(log: &[LoggedReview], days: &DayClock) -> Vec<(u64, FSRSItem)> {
    let mut by_card: std::collections::BTreeMap<&str, Vec<&LoggedReview>> = Default::default();
    for r in log {
        by_card.entry(&r.card_id).or_default().push(r);
    }
    let mut out = Vec::new();
    for (card, mut reviews) in by_card {
        reviews.sort_by_key(|r| r.answered_at);
        let mut history: Vec<FSRSReview> = Vec::with_capacity(reviews.len());
        let mut last_day = None;
        for r in reviews {
            let day = days.day(r.answered_at);
            let delta_t = last_day.map_or(0, |d: i64| (day - d).max(0) as u32);
            last_day = Some(day);
            history.push(FSRSReview {
                rating: r.rating,
                delta_t,
            });
            if history.len() > 1 {
                out.push((
                    super::fuzz::hash(card),
                    FSRSItem {
                        reviews: history.clone(),
                    },
                ));
            }
        }
    }
    out
}

fn evaluate(parameters: &[f32], items: &[FSRSItem]) -> Result<Fit, OptimiseError> {
    let model = FSRS::new(parameters).map_err(|e| OptimiseError::Fsrs(e.to_string()))?;
    model
        .evaluate(items.to_vec(), |_| true)
        .map(Fit::from)
        .map_err(|e| OptimiseError::Fsrs(e.to_string()))
}

/// Fits parameters to the learner's log and judges them against `current` (their parameters
/// now; `None` for the defaults) on the held-out cards.
pub fn optimise(
    log: &[LoggedReview],
    days: &DayClock,
    current: Option<&[f32]>,
) -> Result<Verdict, OptimiseError> {
    if log.len() < MIN_REVIEWS {
        return Err(OptimiseError::TooFewReviews(log.len()));
    }
    let (held_out, train): (Vec<_>, Vec<_>) = items(log, days)
        .into_iter()
        .partition(|(card, _)| card % HELD_OUT_EVERY == 0);
    let train: Vec<FSRSItem> = train.into_iter().map(|(_, i)| i).collect();
    let held_out: Vec<FSRSItem> = held_out
        .into_iter()
        .map(|(_, i)| i)
        .filter(|i| i.reviews.last().is_some_and(|r| r.delta_t > 0))
        .collect();
    let candidate = fsrs::compute_parameters(ComputeParametersInput {
        train_set: train,
        ..ComputeParametersInput::default()
    })
    .map_err(|e| OptimiseError::Fsrs(e.to_string()))?;
    judge(log.len(), current, candidate, &held_out)
}

/// Keeps `candidate` only if it predicts the held-out answers with a lower log loss than
/// the current parameters.
pub fn judge(
    reviews: usize,
    current: Option<&[f32]>,
    candidate: Vec<f32>,
    held_out: &[FSRSItem],
) -> Result<Verdict, OptimiseError> {
    let current = current.unwrap_or(&fsrs::DEFAULT_PARAMETERS);
    let before = evaluate(current, held_out)?;
    let after = evaluate(&candidate, held_out)?;
    Ok(Verdict {
        reviews,
        before,
        after,
        keep: (after.log_loss < before.log_loss).then(|| candidate.clone()),
        candidate,
    })
}

/// The verdict in a learner's words, as Anki words it: lower numbers predict better.
pub fn describe(v: &Verdict) -> String {
    let change = if v.keep.is_some() {
        "Your own parameters predict your answers better than the ones you had, so they are \
         now used to schedule your cards."
    } else {
        "Parameters fitted to your answers did not predict them better than the ones you have, \
         so nothing changed."
    };
    format!(
        "Checked on {} reviews. Log loss (how surprised the schedule is by your answers) {:.4} \
         before, {:.4} after; RMSE (how far its predicted recall is from yours) {:.1} % before, \
         {:.1} % after. Lower is better. {change}",
        v.reviews,
        v.before.log_loss,
        v.after.log_loss,
        v.before.rmse * 100.0,
        v.after.rmse * 100.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use fsrs::MemoryState;
    use rand::{Rng, SeedableRng};

    /// A learner whose memory follows `truth`: each card is reviewed when the defaults would
    /// schedule it at 90 %, and remembered with the probability `truth` gives.
    fn synthetic(truth: &[f32], cards: usize, per_card: usize, seed: u64) -> Vec<LoggedReview> {
        let real = FSRS::new(truth).unwrap();
        let planner = FSRS::default();
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut log = Vec::new();
        for c in 0..cards {
            let card_id = format!("e{c}/date");
            let mut t = 1_700_000_000i64 + (c as i64 % 50) * 86_400;
            let (mut real_state, mut planned): (Option<MemoryState>, Option<MemoryState>) =
                (None, None);
            let mut elapsed = 0u32;
            for _ in 0..per_card {
                let recalled = match real_state {
                    None => rng.random_bool(0.7),
                    Some(m) => {
                        let r = fsrs::current_retrievability(m, elapsed as f32, truth[20]);
                        rng.random_bool(f64::from(r).clamp(0.0, 1.0))
                    }
                };
                let rating = if !recalled {
                    1
                } else if rng.random_bool(0.1) {
                    4
                } else {
                    3
                };
                log.push(LoggedReview {
                    card_id: card_id.clone(),
                    answered_at: t,
                    rating,
                });
                let pick = |n: fsrs::NextStates| match rating {
                    1 => n.again,
                    4 => n.easy,
                    _ => n.good,
                };
                real_state = Some(pick(real.next_states(real_state, 0.9, elapsed).unwrap()).memory);
                let plan = pick(planner.next_states(planned, 0.9, elapsed).unwrap());
                planned = Some(plan.memory);
                elapsed = plan.interval.round().max(1.0) as u32;
                t += i64::from(elapsed) * 86_400;
            }
        }
        log
    }

    /// Memory that lasts three times as long as the defaults assume, at first.
    fn stronger_than_default() -> Vec<f32> {
        let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
        for s in &mut w[0..4] {
            *s *= 3.0;
        }
        w[8] += 0.4;
        w
    }

    fn utc() -> DayClock {
        DayClock::new(jiff::tz::TimeZone::UTC, 0)
    }

    #[test]
    fn a_learner_unlike_the_defaults_gets_parameters_that_predict_them_better() {
        let log = synthetic(&stronger_than_default(), 600, 8, 7);
        let v = optimise(&log, &utc(), None).unwrap();
        assert!(v.after.log_loss < v.before.log_loss, "{v:?}");
        assert!(v.keep.is_some());
        assert!(describe(&v).contains("now used to schedule"));
    }

    #[test]
    fn a_worse_fit_keeps_the_parameters_the_learner_has() {
        // Answers drawn from the defaults themselves: nothing predicts them better, and a fit
        // from a few hundred reviews predicts them worse.
        let log = synthetic(&fsrs::DEFAULT_PARAMETERS, 2_000, 6, 11);
        let few: Vec<LoggedReview> = log.iter().take(480).cloned().collect();
        let held_out: Vec<FSRSItem> = items(&log[480..], &utc())
            .into_iter()
            .map(|(_, i)| i)
            .filter(|i| i.reviews.last().is_some_and(|r| r.delta_t > 0))
            .collect();
        let fitted = fsrs::compute_parameters(ComputeParametersInput {
            train_set: items(&few, &utc()).into_iter().map(|(_, i)| i).collect(),
            ..ComputeParametersInput::default()
        })
        .unwrap();
        let v = judge(few.len(), None, fitted, &held_out).unwrap();
        assert!(v.after.log_loss >= v.before.log_loss, "{v:?}");
        assert_eq!(v.keep, None);
        assert!(describe(&v).contains("nothing changed"));
    }

    /// The figures for the record: `cargo test --release -p chronicle --lib
    /// optimiser_figures -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn optimiser_figures_for_ten_thousand_reviews() {
        let log = synthetic(&stronger_than_default(), 1_250, 8, 3);
        assert_eq!(log.len(), 10_000);
        let t = std::time::Instant::now();
        let v = optimise(&log, &utc(), None).unwrap();
        eprintln!(
            "optimise 10,000 reviews: {:.2} s",
            t.elapsed().as_secs_f64()
        );
        eprintln!(
            "held-out log loss {:.4} -> {:.4}",
            v.before.log_loss, v.after.log_loss
        );
        eprintln!("held-out RMSE {:.4} -> {:.4}", v.before.rmse, v.after.rmse);
        let trained = v.candidate[4..]
            .iter()
            .zip(&fsrs::DEFAULT_PARAMETERS[4..])
            .filter(|(a, b)| (*a - *b).abs() > 1e-3)
            .count();
        eprintln!("parameters past the initial stabilities moved by training: {trained} of 17");
        eprintln!("{}", describe(&v));
    }

    #[test]
    fn too_few_reviews_are_refused_with_the_minimum() {
        let log = synthetic(&fsrs::DEFAULT_PARAMETERS, 10, 5, 1);
        let e = optimise(&log, &utc(), None).unwrap_err();
        assert_eq!(e, OptimiseError::TooFewReviews(50));
        assert!(e.to_string().contains("at least 400"));
    }
}
