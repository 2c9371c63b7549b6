//! `POST /account/settings`, `POST /account/parameters`: study settings, and fitting the
//! learner's own parameters.

use super::account::account_page;
use super::zone::ZoneField;
use crate::auth::extract::CurrentUser;
use crate::db::users;
use crate::routes::state::AppState;
use crate::srs::Steps;
use crate::srs::schedule::MAXIMUM_INTERVAL;
use crate::web::error::PageError;
use crate::web::form::{CsrfForm, Field};
use crate::web::redirect::redirect;
use crate::web::respond::unprocessable;
use crate::{db, study};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    desired_retention: String,
    #[serde(default)]
    new_per_day: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    rollover_hour: String,
    #[serde(default)]
    learning_steps: String,
    #[serde(default)]
    relearning_steps: String,
    #[serde(default)]
    maximum_interval: String,
}

pub async fn change_settings(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    user.verify_csrf(&form.csrf_token)?;
    let mut page = account_page(&state, &user).await?;
    page.retention = Field::new(form.desired_retention.trim());
    page.new_per_day = Field::new(form.new_per_day.trim());
    let retention = form
        .desired_retention
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| (0.70..=0.97).contains(r));
    let per_day = form
        .new_per_day
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=200).contains(n));
    if retention.is_none() {
        page.retention.error = Some("Enter a number from 0.70 to 0.97.".into());
    }
    if per_day.is_none() {
        page.new_per_day.error = Some("Enter a whole number from 0 to 200.".into());
    }
    page.time_zone = ZoneField::new(form.time_zone.trim(), true);
    let zone = page.time_zone.parse();
    page.rollover_hour = Field::new(form.rollover_hour.trim());
    let rollover = form
        .rollover_hour
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|h| *h <= 23);
    if rollover.is_none() {
        page.rollover_hour.error = Some("Enter an hour from 0 to 23.".into());
    }
    let steps = |field: &mut Field, raw: &str| {
        *field = Field::new(raw.trim());
        Steps::parse(raw)
            .map_err(|e| field.error = Some(format!("{e}; write steps as in 1m 10m.")))
            .ok()
    };
    let learning = steps(&mut page.learning_steps, &form.learning_steps);
    let relearning = steps(&mut page.relearning_steps, &form.relearning_steps);
    page.maximum_interval = Field::new(form.maximum_interval.trim());
    let maximum = form
        .maximum_interval
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=MAXIMUM_INTERVAL).contains(d));
    if maximum.is_none() {
        page.maximum_interval.error = Some(format!(
            "Enter a number of days from 1 to {MAXIMUM_INTERVAL}."
        ));
    }
    let (
        Some(retention),
        Some(per_day),
        Ok(zone),
        Some(rollover),
        Some(learning),
        Some(relearning),
        Some(maximum),
    ) = (
        retention, per_day, zone, rollover, learning, relearning, maximum,
    )
    else {
        page.notice = Some("Nothing was saved: fix the fields marked below.".into());
        return unprocessable(&page);
    };
    let user_id = user.id;
    let learners = std::sync::Arc::clone(&state.learners);
    let rescheduled = db::run(&state.pool, move |conn| {
        let change = users::ScheduleChange {
            time_zone: zone.as_deref(),
            rollover_hour: rollover,
            learning_steps: &learning,
            relearning_steps: &relearning,
            maximum_interval: maximum,
        };
        // New settings, same log: every card's schedule is a replay of it under them.
        let rescheduled = study::reschedule_after(conn, user_id, |tx| {
            users::set_study_settings(tx, user_id, retention, per_day)?;
            users::set_schedule(tx, user_id, &change)
        });
        // New states (and perhaps a new day): the learner's numbers are read again.
        learners.forget(user_id);
        Ok(rescheduled?)
    })
    .await?;
    tracing::info!(
        user_id = %user_id,
        rescheduled,
        "study settings changed; cards rescheduled"
    );
    Ok(redirect("/account?changed=settings"))
}

/// `POST /account/parameters`: fits the learner's own parameters, off the request path.
pub async fn fit_parameters(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (pool, user_id) = (state.pool.clone(), user.id);
    let learners = std::sync::Arc::clone(&state.learners);
    let started = web::block(move || study::fit::start(&pool, &learners, user_id))
        .await
        .map_err(|e| PageError::Unexpected(e.into()))?
        .map_err(PageError::Unexpected)?;
    Ok(redirect(if started {
        "/account?changed=fitting"
    } else {
        "/account?changed=fit-running"
    }))
}
