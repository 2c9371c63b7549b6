//! Register, log in, log out, and the account page (password and study settings).

use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::auth::throttle::Client;
use crate::auth::username::Username;
use crate::auth::{credentials, csrf, device, password, session, throttle};
use crate::clock::{moment, now};
use crate::db::users::Role;
use crate::db::{self, sessions, tokens, users};
use crate::routes::classes::membership::{self, Invitation, Joined};
use crate::routes::state::AppState;
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
}

impl RegisterPage {
    fn problems(&self) -> Vec<Problem> {
        problems([
            ("username", &self.username.error),
            ("password", &self.password_error),
            ("role-learner", &self.role.error),
        ])
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
    new_per_day: Field,
    devices: Vec<DeviceRow>,
}

impl AccountPage {
    fn problems(&self) -> Vec<Problem> {
        problems([
            ("desired_retention", &self.retention.error),
            ("new_per_day", &self.new_per_day.error),
            ("current_password", &self.current_password_error),
            ("new_password", &self.new_password_error),
        ])
    }
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
    if let (Some(name), Some(role_value), None) = (&parsed_name, parsed_role, &password_error) {
        let password = form.password.clone();
        let hash = web::block(move || password::hash(&password))
            .await
            .map_err(|e| PageError::Unexpected(e.into()))??;
        let name = name.as_str().to_string();
        let created = db::run(&state.pool, move |conn| {
            Ok(users::create(conn, &name, &hash, role_value, now())?)
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
    if password_error.is_none() && username.error.is_none() && role.error.is_none() {
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
        })
    })
}

async fn account_page(state: &AppState, user: &CurrentUser) -> Result<AccountPage, PageError> {
    let user_id = user.id;
    let devices = db::run(&state.pool, move |conn| Ok(tokens::list(conn, user_id)?))
        .await?
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
        retention: Field::new(&format!("{:.2}", user.desired_retention)),
        new_per_day: Field::new(&user.new_per_day.to_string()),
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
    let (Some(retention), Some(per_day)) = (retention, per_day) else {
        return unprocessable(&page);
    };
    let user_id = user.id;
    db::run(&state.pool, move |conn| {
        Ok(users::set_study_settings(
            conn, user_id, retention, per_day,
        )?)
    })
    .await?;
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
        Some("device") => Some("Device signed out: its token no longer works.".into()),
        _ => None,
    };
    html(&page)
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
