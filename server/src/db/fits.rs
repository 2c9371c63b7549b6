//! Fits of a learner's own FSRS parameters: each run, kept or not, with how well the old and
//! the new parameters predicted the learner's answers.

use crate::clock::{Instant, Seconds};
use crate::ids::UserId;
use crate::srs::optimiser::{Fit, Verdict};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};

/// A fit as the account page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub verdict: Option<Verdict>,
    pub error: Option<String>,
}

/// Records that a fit started; `None` when one for this learner is still running (started
/// in the last `running_for` seconds and not finished).
pub fn start(
    conn: &Connection,
    user_id: UserId,
    now: i64,
    running_for: i64,
) -> rusqlite::Result<Option<i64>> {
    let busy: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM parameter_fits WHERE user_id = ?1 AND finished_at IS NULL
             AND started_at > ?2",
        )?
        .query_row(params![user_id, now - running_for], |r| r.get(0))
        .optional()?;
    if busy.is_some() {
        return Ok(None);
    }
    conn.execute(
        "INSERT INTO parameter_fits (user_id, started_at) VALUES (?1, ?2)",
        params![user_id, now],
    )?;
    Ok(Some(conn.last_insert_rowid()))
}

pub fn finish(
    conn: &Connection,
    id: i64,
    now: i64,
    outcome: Result<&Verdict, &str>,
) -> rusqlite::Result<()> {
    match outcome {
        Ok(v) => conn.execute(
            "UPDATE parameter_fits SET finished_at = ?2, reviews = ?3, log_loss_before = ?4,
                 rmse_before = ?5, log_loss_after = ?6, rmse_after = ?7, kept = ?8,
                 parameters = ?9 WHERE id = ?1",
            params![
                id,
                now,
                v.reviews as i64,
                v.before.log_loss,
                v.before.rmse,
                v.after.log_loss,
                v.after.rmse,
                v.keep.is_some(),
                serde_json::to_string(&v.candidate).unwrap_or_default()
            ],
        )?,
        Err(e) => conn.execute(
            "UPDATE parameter_fits SET finished_at = ?2, error = ?3 WHERE id = ?1",
            params![id, now, e],
        )?,
    };
    Ok(())
}

/// The learner's own parameters from now on (`None`: the defaults).
pub fn set_parameters(
    conn: &Connection,
    user_id: UserId,
    p: Option<&[f32]>,
) -> rusqlite::Result<()> {
    let json = p.map(|p| serde_json::to_string(p).unwrap_or_default());
    conn.execute(
        "UPDATE users SET fsrs_parameters = ?2 WHERE id = ?1",
        params![user_id, json],
    )?;
    Ok(())
}

pub fn latest(conn: &Connection, user_id: UserId) -> rusqlite::Result<Option<FitRow>> {
    conn.prepare_cached(
        "SELECT started_at, finished_at, reviews, log_loss_before, rmse_before, log_loss_after,
                rmse_after, kept, parameters, error
         FROM parameter_fits WHERE user_id = ?1 ORDER BY started_at DESC, id DESC LIMIT 1",
    )?
    .query_row([user_id], |r| {
        let fit = |i: usize| -> rusqlite::Result<Option<Fit>> {
            let (log_loss, rmse): (Option<f64>, Option<f64>) = (r.get(i)?, r.get(i + 1)?);
            Ok(log_loss
                .zip(rmse)
                .map(|(log_loss, rmse)| Fit { log_loss, rmse }))
        };
        let candidate: Option<String> = r.get(8)?;
        let candidate: Vec<f32> = candidate
            .map(|c| serde_json::from_str(&c))
            .transpose()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(8, Type::Text, e.into()))?
            .unwrap_or_default();
        let kept: bool = r.get(7)?;
        let verdict = match (fit(3)?, fit(5)?) {
            (Some(before), Some(after)) => Some(Verdict {
                // A finished fit always counted its reviews: no count, no verdict.
                reviews: usize::try_from(r.get::<_, i64>(2)?).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(2, Type::Integer, e.into())
                })?,
                before,
                after,
                keep: kept.then(|| candidate.clone()),
                candidate,
            }),
            _ => None,
        };
        Ok(FitRow {
            started_at: r.get(0)?,
            finished_at: r.get(1)?,
            verdict,
            error: r.get(9)?,
        })
    })
    .optional()
}

/// Learners who answered in the last week and have had no fit in it: the weekly run's list.
pub fn due_weekly(conn: &Connection, now: i64) -> rusqlite::Result<Vec<UserId>> {
    let week_ago = Instant::from_secs(now) - time::Duration::weeks(1);
    let mut stmt = conn.prepare_cached(
        "SELECT u.id FROM users u
         WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.user_id = u.id AND r.answered_at >= ?1)
           AND NOT EXISTS (SELECT 1 FROM parameter_fits f
                           WHERE f.user_id = u.id AND f.started_at >= ?2)",
    )?;
    let rows = stmt.query_map(params![week_ago, Seconds(week_ago)], |r| r.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_fit_with_unreadable_parameters_fails_the_read() {
        let conn = crate::db::testing::with_learners(&["Ann"]);
        conn.execute_batch(
            "INSERT INTO parameter_fits (user_id, started_at, finished_at, reviews,
                 log_loss_before, rmse_before, log_loss_after, rmse_after, kept, parameters)
               VALUES (1, 10, 20, 400, 0.5, 0.1, 0.4, 0.09, 1, '[0.5, 1.5]');",
        )
        .unwrap();
        let v = latest(&conn, UserId(1)).unwrap().unwrap().verdict.unwrap();
        assert_eq!((v.reviews, v.keep), (400, Some(vec![0.5, 1.5])));
        conn.execute("UPDATE parameter_fits SET parameters = 'lost'", [])
            .unwrap();
        let e = latest(&conn, UserId(1)).unwrap_err();
        assert!(
            matches!(e, rusqlite::Error::FromSqlConversionFailure(8, ..)),
            "{e:?}"
        );
        conn.execute(
            "UPDATE parameter_fits SET parameters = '[0.5]', reviews = -3",
            [],
        )
        .unwrap();
        assert!(latest(&conn, UserId(1)).is_err(), "a negative count");
    }
}
