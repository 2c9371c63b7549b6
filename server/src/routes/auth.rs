//! Register, log in, log out, and the account page (password and study settings).

use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::auth::username::Username;
use crate::auth::{credentials, csrf, password, session, throttle};
use crate::clock::{moment, now};
use crate::db::users::Role;
use crate::db::{self, sessions, tokens, users};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::form::{CsrfForm, Field};
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
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    page: PageCtx,
    username: Field,
    password_error: Option<String>,
    role: Field,
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
fn anonymous_page(
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

fn check_anonymous_csrf(req: &HttpRequest, given: &str) -> Result<(), PageError> {
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
}

pub async fn login_form(
    req: HttpRequest,
    user: MaybeUser,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref().unwrap_or("/"));
    if user.0.is_some() {
        return Ok(redirect(&next));
    }
    anonymous_page(&req, &state, |page| {
        html(&LoginPage {
            page,
            username: Field::default(),
            password_error: None,
            form_error: None,
            next,
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
}

/// Starts a fresh session (a new token every time) and returns its cookie.
async fn start_session(
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
                },
                status,
            )
        })
    };
    if let Err(wait) = state.throttle.check(&username, ip) {
        tracing::warn!(ip = ?ip, "login throttled");
        return render(StatusCode::TOO_MANY_REQUESTS, throttle::describe_wait(wait));
    }
    let Some(user) = credentials::check(&state.pool, &username, form.password).await? else {
        state.throttle.record_failure(&username, ip);
        return render(StatusCode::OK, "Incorrect username or password.".into());
    };
    let old = req.cookie(session::COOKIE).map(|c| c.value().to_string());
    let cookie = start_session(&state, user.id, old).await?;
    tracing::info!(user_id = user.id, "logged in");
    let mut response = redirect(&next);
    response
        .add_cookie(&cookie)
        .map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(response)
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
) -> Result<HttpResponse, PageError> {
    if user.0.is_some() {
        return Ok(redirect("/"));
    }
    anonymous_page(&req, &state, |page| {
        html(&RegisterPage {
            page,
            username: Field::default(),
            password_error: None,
            role: Field::new("learner"),
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
}

pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    check_anonymous_csrf(&req, &form.csrf_token)?;
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
            let mut response = redirect("/");
            response
                .add_cookie(&cookie)
                .map_err(|e| PageError::Unexpected(e.into()))?;
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
            password_error,
            role,
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
    // A new password ends every session, this one included; a fresh one replaces it.
    db::run(&state.pool, move |conn| {
        Ok(users::change_password(conn, user_id, &hash)?)
    })
    .await?;
    let cookie = start_session(&state, user_id, None).await?;
    tracing::info!(user_id, "password changed; other sessions ended");
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
        Some("password") => Some("Password changed. You were signed out everywhere else.".into()),
        Some("settings") => Some("Study settings saved.".into()),
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
