//! `GET /account`: the account page (password, study settings, fitted parameters, devices).

use super::devices::DeviceRow;
use super::zone::ZoneField;
use crate::auth::extract::CurrentUser;
use crate::clock::Instant;
use crate::db::{self, fits, tokens, users};
use crate::routes::state::AppState;
use crate::srs::days::DayClock;
use crate::srs::optimiser;
use crate::web::error::PageError;
use crate::web::form::{Field, Problem, problems};
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
pub(super) struct AccountPage {
    pub(super) page: PageCtx,
    pub(super) notice: Option<String>,
    pub(super) current_password_error: Option<String>,
    pub(super) new_password_error: Option<String>,
    pub(super) retention: Field,
    /// What the current retention means, in a learner's words.
    pub(super) retention_meaning: Vec<String>,
    pub(super) new_per_day: Field,
    pub(super) time_zone: ZoneField,
    pub(super) rollover_hour: Field,
    pub(super) learning_steps: Field,
    pub(super) relearning_steps: Field,
    pub(super) maximum_interval: Field,
    /// The latest fit of the learner's own parameters, in words.
    pub(super) fit_status: Option<String>,
    pub(super) reviews: i64,
    pub(super) fit_minimum: usize,
    pub(super) devices: Vec<DeviceRow>,
}

impl AccountPage {
    fn problems(&self) -> Vec<Problem> {
        problems([
            ("desired_retention", &self.retention.error),
            ("new_per_day", &self.new_per_day.error),
            ("current_password", &self.current_password_error),
            ("new_password", &self.new_password_error),
            ("time_zone", &self.time_zone.error),
            ("rollover_hour", &self.rollover_hour.error),
            ("learning_steps", &self.learning_steps.error),
            ("relearning_steps", &self.relearning_steps.error),
            ("maximum_interval", &self.maximum_interval.error),
        ])
    }
}

/// The latest fit as the account page says it.
fn fit_status(fit: Option<&fits::FitRow>, clock: &DayClock) -> Option<String> {
    let fit = fit?;
    Some(match (&fit.verdict, &fit.error, fit.finished_at) {
        (_, _, None) => format!(
            "Fitting your parameters to your answers (started {}). Reload this page in a minute.",
            clock.written(Instant::from_secs(fit.started_at))
        ),
        (_, Some(e), Some(at)) => format!(
            "The fit of {} did not run: {e}.",
            clock.written(Instant::from_secs(at))
        ),
        (Some(v), None, Some(at)) => format!(
            "{}: {}",
            clock.written(Instant::from_secs(at)),
            optimiser::describe(v)
        ),
        (None, None, Some(_)) => return None,
    })
}

/// Desired retention explained: what it promises and what moving it costs, from the
/// learner's own parameters.
fn retention_meaning(retention: f64, parameters: Option<&[f32]>) -> Vec<String> {
    let percent = (retention * 100.0).round() as i64;
    let mut out = vec![format!(
        "At {percent} %, when a card comes back you should remember it about {} times in 10; \
         the ones you forget come back within minutes, and again until they stick.",
        (retention * 10.0).round() as i64
    )];
    let wait = |r: f64| crate::srs::schedule::wait_relative_to_90(parameters, r);
    let up = (retention + 0.05).min(0.97);
    let down = (retention - 0.05).max(0.70);
    if up > retention + 0.001 {
        let more = wait(retention) / wait(up);
        out.push(format!(
            "Raising it to {} % makes every card wait about {more:.1} times less between \
             reviews: roughly {more:.1} times as many reviews a day for the same cards.",
            (up * 100.0).round() as i64
        ));
    }
    if down < retention - 0.001 {
        let fewer = wait(down) / wait(retention);
        out.push(format!(
            "Lowering it to {} % means about {fewer:.1} times fewer reviews a day, and \
             forgetting more of what you studied.",
            (down * 100.0).round() as i64
        ));
    }
    out
}

pub(super) async fn account_page(
    state: &AppState,
    user: &CurrentUser,
) -> Result<AccountPage, PageError> {
    let user_id = user.id;
    let (devices, schedule, chosen_zone, fit, reviews) = db::run(&state.pool, move |conn| {
        Ok((
            tokens::list(conn, user_id)?,
            users::scheduling(conn, user_id)?,
            users::chosen_time_zone(conn, user_id)?,
            fits::latest(conn, user_id)?,
            conn.prepare_cached("SELECT COUNT(*) FROM reviews WHERE user_id = ?1")?
                .query_row([user_id], |r| r.get::<_, i64>(0))?,
        ))
    })
    .await?;
    let devices = devices
        .into_iter()
        .map(|t| DeviceRow {
            id: t.id,
            name: t.device_name,
            created: user.clock.written(Instant::from_secs(t.created_at)),
            last_used: t.last_used.map_or_else(
                || "never".to_string(),
                |t| user.clock.written(Instant::from_secs(t)),
            ),
            revoked: t
                .revoked_at
                .map(|t| user.clock.written(Instant::from_secs(t))),
        })
        .collect();
    Ok(AccountPage {
        page: user.page_ctx(),
        notice: None,
        current_password_error: None,
        new_password_error: None,
        retention: Field::new(&format!("{:.2}", schedule.desired_retention)),
        retention_meaning: retention_meaning(
            schedule.desired_retention,
            schedule.parameters.as_deref(),
        ),
        new_per_day: Field::new(&user.new_per_day.to_string()),
        time_zone: ZoneField::new(chosen_zone.as_deref().unwrap_or(""), true),
        rollover_hour: Field::new(&schedule.days.rollover_hour().to_string()),
        learning_steps: Field::new(&schedule.learning_steps.to_string()),
        relearning_steps: Field::new(&schedule.relearning_steps.to_string()),
        maximum_interval: Field::new(&schedule.maximum_interval.to_string()),
        fit_status: fit_status(fit.as_ref(), &user.clock),
        reviews,
        fit_minimum: optimiser::MIN_REVIEWS,
        devices,
    })
}

#[derive(Deserialize)]
pub struct ChangedQuery {
    changed: Option<String>,
}

pub async fn account(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<ChangedQuery>,
) -> Result<HttpResponse, PageError> {
    let mut page = account_page(&state, &user).await?;
    page.notice = match query.changed.as_deref() {
        Some("password") => Some(
            "Password changed. You were signed out everywhere else, and every device's token \
             was revoked: sign in again on each device that syncs."
                .into(),
        ),
        Some("settings") => Some("Study settings saved.".into()),
        Some("reset") => {
            Some("New password set. Every other session and device was signed out.".into())
        }
        Some("fitting") => Some(
            "Fitting your parameters in the background; the result appears below when done.".into(),
        ),
        Some("fit-running") => Some("A fit of your parameters is already running.".into()),
        Some("device") => Some("Device signed out: its token no longer works.".into()),
        _ => None,
    };
    html(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(devices: Vec<DeviceRow>) -> String {
        AccountPage {
            page: PageCtx::learner_for_tests(),
            notice: Some("Settings saved.".into()),
            current_password_error: Some("That is not your password.".into()),
            new_password_error: None,
            retention: Field::invalid("0.99", "Choose 0.70 to 0.97."),
            retention_meaning: vec!["About 1 card in 10 forgotten.".into()],
            new_per_day: Field::new("20"),
            time_zone: ZoneField::server_default(),
            rollover_hour: Field::new("4"),
            learning_steps: Field::invalid("<1m>", "Steps look like 1m 10m."),
            relearning_steps: Field::new("10m"),
            maximum_interval: Field::new("36500"),
            fit_status: Some("Fitted on 1 December: kept.".into()),
            reviews: 321,
            fit_minimum: 400,
            devices,
        }
        .render()
        .unwrap()
    }

    #[test]
    fn the_settings_form_keeps_each_value_typed_with_its_error_beside_it() {
        let html = account(vec![]);
        assert!(
            html.contains("role=\"status\">Settings saved.</p>"),
            "{html}"
        );
        assert!(html.contains("action=\"/account/settings\""));
        assert!(
            html.contains("value=\"0.99\" aria-describedby=\"retention-help retention-error\"")
        );
        assert!(html.contains("id=\"retention-error\">Choose 0.70 to 0.97.</p>"));
        assert!(html.contains("<p>About 1 card in 10 forgotten.</p>"));
        assert!(html.contains("value=\"&#60;1m&#62;\" aria-describedby=\"learning-help learning-error\" aria-invalid=\"true\""));
        assert!(html.contains("id=\"current-error\">That is not your password.</p>"));
        assert!(html.contains("With 400 reviews or more (you have 321)"));
        assert!(html.contains("action=\"/account/parameters\""));
        assert!(html.contains("action=\"/account/password\""));
        assert!(html.contains("No devices yet."));
    }

    #[test]
    fn each_live_device_gets_a_sign_out_form_and_a_revoked_one_says_when() {
        let html = account(vec![
            DeviceRow {
                id: 5,
                name: "Ann's <phone>".into(),
                created: "1 November".into(),
                last_used: "today".into(),
                revoked: None,
            },
            DeviceRow {
                id: 6,
                name: "Old laptop".into(),
                created: "1 October".into(),
                last_used: "never".into(),
                revoked: Some("2 November".into()),
            },
        ]);
        assert!(
            html.contains("<th scope=\"row\">Ann&#39;s &#60;phone&#62;</th>"),
            "{html}"
        );
        assert!(html.contains("action=\"/account/tokens/5/revoke\""));
        assert!(!html.contains("action=\"/account/tokens/6/revoke\""));
        assert!(html.contains("revoked 2 November"));
    }
}
