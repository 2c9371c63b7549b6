//! Register, log in, log out, and the account page (password and study settings).

use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::auth::throttle::Client;
use crate::auth::username::Username;
use crate::auth::{credentials, csrf, device, password, session, throttle};
use crate::clock::{moment, now};
use crate::db::users::Role;
use crate::db::{self, fits, sessions, tokens, users};
use crate::routes::classes::membership::{self, Invitation, Joined};
use crate::routes::state::AppState;
use crate::srs::Steps;
use crate::srs::days::{self, DayClock};
use crate::srs::optimiser;
use crate::srs::schedule::MAXIMUM_INTERVAL;
use crate::study;
use crate::web::error::PageError;
use crate::web::form::{CsrfForm, Field, Problem, problems};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable, with_status};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageCtx,
    username: Field,
    password_error: Option<String>,
    form_error: Option<String>,
    next: String,
    /// The class a join link is taking this visitor to.
    join: Option<Invitation>,
}

impl LoginPage {
    fn problems(&self) -> Vec<Problem> {
        problems([
            ("username", &self.form_error),
            ("password", &self.password_error),
        ])
    }
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    page: PageCtx,
    username: Field,
    /// Kept as typed when the form comes back for another field ("username taken"): it goes
    /// back only to the browser that sent it, over the same connection.
    password: String,
    password_error: Option<String>,
    role: Field,
    join: Option<Invitation>,
    time_zone: ZoneField,
}

impl RegisterPage {
    fn problems(&self) -> Vec<Problem> {
        problems([
            ("username", &self.username.error),
            ("password", &self.password_error),
            ("role-learner", &self.role.error),
            ("time_zone", &self.time_zone.error),
        ])
    }
}

/// A time zone select: every zone, the chosen one marked. `from_form` tells the page's
/// script not to replace a choice the learner made with the browser's zone.
pub struct ZoneField {
    pub value: String,
    pub error: Option<String>,
    pub zones: &'static [String],
    pub from_form: bool,
}

impl ZoneField {
    fn new(value: &str, from_form: bool) -> ZoneField {
        ZoneField {
            value: value.to_string(),
            error: None,
            zones: days::zone_names(),
            from_form,
        }
    }

    /// The server's zone, which the browser's replaces where the script runs.
    fn server_default() -> ZoneField {
        ZoneField::new(DayClock::default().zone_name(), false)
    }

    /// A zone from a form: `Ok(None)` when left empty (the server's zone), an error
    /// otherwise when it is not one of the list.
    fn parse(&mut self) -> Result<Option<String>, ()> {
        let name = self.value.trim();
        if name.is_empty() {
            return Ok(None);
        }
        match days::zone(name) {
            Some(_) => Ok(Some(name.to_string())),
            None => {
                self.error = Some("Choose a time zone from the list.".into());
                Err(())
            }
        }
    }
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageCtx,
    notice: Option<String>,
    current_password_error: Option<String>,
    new_password_error: Option<String>,
    retention: Field,
    /// What the current retention means, in a learner's words.
    retention_meaning: Vec<String>,
    new_per_day: Field,
    time_zone: ZoneField,
    rollover_hour: Field,
    learning_steps: Field,
    relearning_steps: Field,
    maximum_interval: Field,
    /// The latest fit of the learner's own parameters, in words.
    fit_status: Option<String>,
    reviews: i64,
    fit_minimum: usize,
    devices: Vec<DeviceRow>,
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
fn fit_status(fit: Option<&fits::FitRow>) -> Option<String> {
    let fit = fit?;
    Some(match (&fit.verdict, &fit.error, fit.finished_at) {
        (_, _, None) => format!(
            "Fitting your parameters to your answers (started {}). Reload this page in a minute.",
            moment(fit.started_at)
        ),
        (_, Some(e), Some(at)) => format!("The fit of {} did not run: {e}.", moment(at)),
        (Some(v), None, Some(at)) => format!("{}: {}", moment(at), optimiser::describe(v)),
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

/// A device token as the account page lists it.
pub struct DeviceRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: Option<String>,
}

/// Only local paths, so a crafted link cannot send a learner to another site after login.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// Renders an anonymous form page, setting the double-submit CSRF cookie if it is new.
pub(crate) fn anonymous_page(
    req: &HttpRequest,
    state: &AppState,
    build: impl FnOnce(PageCtx) -> Result<HttpResponse, PageError>,
) -> Result<HttpResponse, PageError> {
    let (token, cookie) = csrf::anonymous_token(req, state.settings.secure_cookies);
    let mut response = build(PageCtx::anonymous(token))?;
    if let Some(c) = cookie {
        response
            .add_cookie(&c)
            .map_err(|e| PageError::Unexpected(e.into()))?;
    }
    Ok(response)
}

pub(crate) fn check_anonymous_csrf(req: &HttpRequest, given: &str) -> Result<(), PageError> {
    if csrf::anonymous_ok(req, given) {
        Ok(())
    } else {
        Err(PageError::Forbidden(
            "This form has expired. Reload the page and try again.".into(),
        ))
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// A class's join code, carried from its join link through registering or logging in.
    join: Option<String>,
}

/// The class a join code names, if the code still opens one; anything else is dropped
/// quietly (the visitor can still register or log in, and type a code later).
async fn invitation_for(
    state: &AppState,
    code: Option<&str>,
) -> Result<Option<Invitation>, PageError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => membership::invitation(state, c).await,
        None => Ok(None),
    }
}

/// Where a learner who came by a join link goes once signed in: into the class.
async fn after_sign_in(
    state: &AppState,
    user_id: i64,
    role: Role,
    join: Option<&Invitation>,
    otherwise: &str,
) -> Result<String, PageError> {
    let Some(invitation) = join else {
        return Ok(otherwise.to_string());
    };
    if role != Role::Learner {
        // The join page says why a teacher cannot join.
        return Ok(format!("/join/{}", invitation.code));
    }
    Ok(
        match membership::join_by_code(state, user_id, &invitation.code).await? {
            Joined::Member(class_id) => {
                tracing::info!(user_id, class_id, "joined a class by its link");
                format!("/classes/{class_id}")
            }
            // The join page says the teacher removed them.
            Joined::Barred => format!("/join/{}", invitation.code),
            Joined::NoSuchCode => otherwise.to_string(),
        },
    )
}

pub async fn login_form(
    req: HttpRequest,
    user: MaybeUser,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    let join = invitation_for(&state, query.join.as_deref()).await?;
    if user.0.is_some() {
        return Ok(redirect(match &join {
            Some(i) => format!("/join/{}", i.code),
            None => next,
        }));
    }
    anonymous_page(&req, &state, |page| {
        html(&LoginPage {
            page,
            username: Field::default(),
            password_error: None,
            form_error: None,
            next,
            join,
        })
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    join: String,
}

/// Starts a fresh session (a new token every time) and returns its cookie.
pub(crate) async fn start_session(
    state: &AppState,
    user_id: i64,
    replacing: Option<String>,
) -> Result<actix_web::cookie::Cookie<'static>, PageError> {
    let token = session::random_token();
    let hash = session::hash_token(&token);
    let csrf_secret = session::random_token();
    let now = now();
    let replacing = replacing.map(|old| session::hash_token(&old));
    db::run(&state.pool, move |conn| {
        Ok(sessions::start(
            conn,
            &hash,
            user_id,
            &csrf_secret,
            replacing.as_deref(),
            now,
            now + session::ABSOLUTE_SECONDS,
        )?)
    })
    .await?;
    Ok(session::cookie(&token, state.settings.secure_cookies))
}

pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    check_anonymous_csrf(&req, &form.csrf_token)?;
    let next = safe_next(&form.next);
    let join = invitation_for(&state, Some(&form.join)).await?;
    let ip = req.peer_addr().map(|a| a.ip());
    let username = form.username.trim().to_string();
    let render = |status: StatusCode, message: String| {
        anonymous_page(&req, &state, |page| {
            with_status(
                &LoginPage {
                    page,
                    username: Field::new(&username),
                    password_error: None,
                    form_error: Some(message),
                    next: next.clone(),
                    join: join.clone(),
                },
                status,
            )
        })
    };
    let nonce = device::trusted_nonce(&req, &state.device_key, &username);
    let client = match &nonce {
        Some(n) => Client::Trusted(n),
        None => Client::Untrusted(ip),
    };
    if let Err(wait) = state.throttle.check(&username, client) {
        tracing::warn!(ip = ?ip, trusted_device = nonce.is_some(), "login throttled");
        return render(StatusCode::TOO_MANY_REQUESTS, throttle::describe_wait(wait));
    }
    let Some(user) = credentials::check(&state.pool, &username, form.password).await? else {
        state.throttle.record_failure(&username, client);
        return render(StatusCode::OK, "Incorrect username or password.".into());
    };
    let old = req.cookie(session::COOKIE).map(|c| c.value().to_string());
    let cookie = start_session(&state, user.id, old).await?;
    tracing::info!(user_id = user.id, "logged in");
    let to = after_sign_in(&state, user.id, user.role, join.as_ref(), &next).await?;
    let mut response = redirect(to);
    response
        .add_cookie(&cookie)
        .map_err(|e| PageError::Unexpected(e.into()))?;
    if nonce.is_none() {
        trust_device(&state, &mut response, &user.username)?;
    }
    Ok(response)
}

/// Marks this browser as one that signed in to `username` (see `auth::device`).
fn trust_device(
    state: &AppState,
    response: &mut HttpResponse,
    username: &str,
) -> Result<(), PageError> {
    let value = state.device_key.issue(username);
    response
        .add_cookie(&device::cookie(value, state.settings.secure_cookies))
        .map_err(|e| PageError::Unexpected(e.into()))
}

pub async fn logout(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let hash = user.session_hash.clone();
    db::run(&state.pool, move |conn| Ok(sessions::delete(conn, &hash)?)).await?;
    let mut response = redirect("/");
    response
        .add_cookie(&session::removal_cookie(state.settings.secure_cookies))
        .map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(response)
}

pub async fn register_form(
    req: HttpRequest,
    user: MaybeUser,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let join = invitation_for(&state, query.join.as_deref()).await?;
    if user.0.is_some() {
        return Ok(redirect(match &join {
            Some(i) => format!("/join/{}", i.code),
            None => "/".into(),
        }));
    }
    anonymous_page(&req, &state, |page| {
        html(&RegisterPage {
            page,
            username: Field::default(),
            password: String::new(),
            password_error: None,
            role: Field::new("learner"),
            join,
            time_zone: ZoneField::server_default(),
        })
    })
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    join: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    check_anonymous_csrf(&req, &form.csrf_token)?;
    let join = invitation_for(&state, Some(&form.join)).await?;
    let mut username = Field::new(form.username.trim());
    let mut role = Field::new(&form.role);
    let parsed_name = Username::parse(&form.username)
        .map_err(|e| username.error = Some(e))
        .ok();
    let parsed_role = Role::parse(&form.role);
    if parsed_role.is_none() {
        role.error = Some("Choose learner or teacher.".into());
    }
    let mut password_error = password::check_strength(&form.password, form.username.trim()).err();
    let mut time_zone = ZoneField::new(&form.time_zone, true);
    let zone = time_zone.parse();
    if let (Some(name), Some(role_value), None, Ok(zone)) =
        (&parsed_name, parsed_role, &password_error, zone)
    {
        let password = form.password.clone();
        let hash = web::block(move || password::hash(&password))
            .await
            .map_err(|e| PageError::Unexpected(e.into()))??;
        let name = name.as_str().to_string();
        let created = db::run(&state.pool, move |conn| {
            let tx = conn.transaction()?;
            let id = users::create(&tx, &name, &hash, role_value, now())?;
            if let Some(id) = id {
                users::set_time_zone(&tx, id, zone.as_deref())?;
            }
            tx.commit()?;
            Ok(id)
        })
        .await?;
        if let Some(user_id) = created {
            tracing::info!(user_id, "registered");
            let cookie = start_session(&state, user_id, None).await?;
            let to = after_sign_in(&state, user_id, role_value, join.as_ref(), "/").await?;
            let mut response = redirect(to);
            response
                .add_cookie(&cookie)
                .map_err(|e| PageError::Unexpected(e.into()))?;
            trust_device(&state, &mut response, form.username.trim())?;
            return Ok(response);
        }
        username.error = Some("That username is taken. Choose another.".into());
    }
    if password_error.is_none()
        && username.error.is_none()
        && role.error.is_none()
        && time_zone.error.is_none()
    {
        password_error = Some("Choose a password.".into());
    }
    anonymous_page(&req, &state, |page| {
        unprocessable(&RegisterPage {
            page,
            username,
            password: form.password.clone(),
            password_error,
            role,
            join,
            time_zone,
        })
    })
}

async fn account_page(state: &AppState, user: &CurrentUser) -> Result<AccountPage, PageError> {
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
            created: moment(t.created_at),
            last_used: t.last_used.map_or_else(|| "never".to_string(), moment),
            revoked: t.revoked_at.map(moment),
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
        fit_status: fit_status(fit.as_ref()),
        reviews,
        fit_minimum: optimiser::MIN_REVIEWS,
        devices,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    user.verify_csrf(&form.csrf_token)?;
    let mut page = account_page(&state, &user).await?;
    let user_id = user.id;
    let stored = db::run(&state.pool, move |conn| Ok(users::by_id(conn, user_id)?))
        .await?
        .map(|u| u.password_hash);
    let current = form.current_password.clone();
    let ok = web::block(move || password::verify(stored.as_deref(), &current))
        .await
        .map_err(|e| PageError::Unexpected(e.into()))?;
    if !ok {
        page.current_password_error = Some("That is not your current password.".into());
        return unprocessable(&page);
    }
    if let Err(e) = password::check_strength(&form.new_password, &user.username) {
        page.new_password_error = Some(e);
        return unprocessable(&page);
    }
    let new_password = form.new_password;
    let hash = web::block(move || password::hash(&new_password))
        .await
        .map_err(|e| PageError::Unexpected(e.into()))??;
    // A new password ends every session, this one included (a fresh one replaces it), and
    // revokes every device token.
    let at = now();
    let revoked = db::run(&state.pool, move |conn| {
        Ok(users::change_password(conn, user_id, &hash, at)?)
    })
    .await?;
    let cookie = start_session(&state, user_id, None).await?;
    tracing::info!(
        user_id,
        tokens_revoked = revoked,
        "password changed; other sessions and device tokens ended"
    );
    let mut response = redirect("/account?changed=password");
    response
        .add_cookie(&cookie)
        .map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(response)
}

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
    let rescheduled = db::run(&state.pool, move |conn| {
        let change = users::ScheduleChange {
            time_zone: zone.as_deref(),
            rollover_hour: rollover,
            learning_steps: &learning,
            relearning_steps: &relearning,
            maximum_interval: maximum,
        };
        // New settings, same log: every card's schedule is a replay of it under them.
        Ok(study::reschedule_after(conn, user_id, |tx| {
            users::set_study_settings(tx, user_id, retention, per_day)?;
            users::set_schedule(tx, user_id, &change)
        })?)
    })
    .await?;
    tracing::info!(
        user_id,
        rescheduled,
        "study settings changed; cards rescheduled"
    );
    Ok(redirect("/account?changed=settings"))
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

/// `POST /account/parameters`: fits the learner's own parameters, off the request path.
pub async fn fit_parameters(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (pool, user_id) = (state.pool.clone(), user.id);
    let started = web::block(move || study::fit::start(&pool, user_id))
        .await
        .map_err(|e| PageError::Unexpected(e.into()))?
        .map_err(PageError::Unexpected)?;
    Ok(redirect(if started {
        "/account?changed=fitting"
    } else {
        "/account?changed=fit-running"
    }))
}

/// `POST /account/tokens/{id}/revoke`: signs a device out of the sync API.
pub async fn revoke_device(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (user_id, id, now) = (user.id, path.into_inner(), now());
    let revoked = db::run(&state.pool, move |conn| {
        Ok(tokens::revoke(conn, user_id, id, now)?)
    })
    .await?;
    if !revoked {
        return Err(PageError::NotFound);
    }
    tracing::info!(
        user_id,
        token_id = id,
        "api token revoked from the account page"
    );
    Ok(redirect("/account?changed=device"))
}
