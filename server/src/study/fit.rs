//! Personal parameters, run off the request path: read the learner's log, fit (seconds of
//! CPU, outside any transaction), then in one transaction record the verdict and, if the fit
//! predicts better, use it and reschedule every card by replaying the log under it.

use crate::db::{Pool, fits, study as store, users};
use crate::ids::UserId;
use crate::srs::Scheduler;
use crate::srs::optimiser;
use crate::study::summary::Summaries;
use rusqlite::TransactionBehavior;
use std::sync::Arc;
use std::time::Duration;

/// A fit that started this long ago and never finished (a crash) no longer blocks another.
pub const RUNNING_FOR: i64 = 30 * 60;

/// Runs the fit `fit_id` (already recorded as started) for the learner to the end.
pub fn run(pool: &Pool, learners: &Summaries, user_id: UserId, fit_id: i64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    let log = store::learner_log(&conn, user_id)?;
    let settings = users::scheduling(&conn, user_id)?;
    let started = std::time::Instant::now();
    let verdict = optimiser::optimise(&log, &settings.days, settings.parameters.as_deref());
    tracing::info!(
        user_id = %user_id,
        reviews = log.len(),
        ms = started.elapsed().as_millis() as u64,
        kept = verdict.as_ref().is_ok_and(|v| v.keep.is_some()),
        "parameters fitted"
    );
    let now = crate::clock::now();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match &verdict {
        Ok(v) => {
            fits::finish(&tx, fit_id, now, Ok(v))?;
            if let Some(p) = &v.keep {
                fits::set_parameters(&tx, user_id, Some(p))?;
                let scheduler = Scheduler::with(&users::scheduling(&tx, user_id)?);
                for card in store::card_ids_with_state(&tx, user_id)? {
                    store::replay_card(&tx, &scheduler, user_id, &card)?;
                }
            }
        }
        Err(e) => fits::finish(&tx, fit_id, now, Err(&e.to_string()))?,
    }
    tx.commit()?;
    // Every card may have been rescheduled: the learner's numbers are read again.
    learners.forget(user_id);
    Ok(())
}

/// Starts a fit for the learner on its own thread; false when one is already running.
pub fn start(pool: &Pool, learners: &Arc<Summaries>, user_id: UserId) -> anyhow::Result<bool> {
    let conn = pool.get()?;
    let Some(fit_id) = fits::start(&conn, user_id, crate::clock::now(), RUNNING_FOR)? else {
        return Ok(false);
    };
    drop(conn);
    let pool = pool.clone();
    let learners = Arc::clone(learners);
    std::thread::Builder::new()
        .name("fit-parameters".into())
        .spawn(move || {
            if let Err(e) = run(&pool, &learners, user_id, fit_id) {
                tracing::warn!(user_id = %user_id, error = %e, "fitting parameters failed");
            }
        })?;
    Ok(true)
}

/// Once a week for every learner who studied that week, one at a time, for as long as
/// `alive` can be upgraded. Checked every `every`.
pub fn spawn_weekly(
    pool: Pool,
    learners: Arc<Summaries>,
    alive: std::sync::Weak<()>,
    every: Duration,
) {
    let spawned = std::thread::Builder::new()
        .name("weekly-fits".into())
        .spawn(move || {
            loop {
                std::thread::sleep(every);
                if alive.upgrade().is_none() {
                    return;
                }
                let due = pool
                    .get()
                    .map_err(anyhow::Error::from)
                    .and_then(|c| Ok(fits::due_weekly(&c, crate::clock::now())?));
                for user_id in due.unwrap_or_default() {
                    let started = pool.get().map_err(anyhow::Error::from).and_then(|c| {
                        Ok(fits::start(&c, user_id, crate::clock::now(), RUNNING_FOR)?)
                    });
                    if let Ok(Some(fit_id)) = started
                        && let Err(e) = run(&pool, &learners, user_id, fit_id)
                    {
                        tracing::warn!(user_id = %user_id, error = %e, "weekly fit failed");
                    }
                }
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no weekly parameter fits");
    }
}
