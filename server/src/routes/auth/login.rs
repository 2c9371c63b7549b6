//! `GET /login`, `POST /login`, `POST /logout`.

use super::anonymous::{anonymous_page, check_anonymous_csrf, safe_next};
use super::sign_in::{NextQuery, after_sign_in, invitation_for, start_session, trust_device};
use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::auth::throttle::Client;
use crate::auth::{credentials, device, session, throttle};
use crate::db::{self, sessions};
use crate::routes::classes::membership::Invitation;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::form::{CsrfForm, Field, Problem, problems};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, with_status};
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
    tracing::info!(user_id = %user.id, "logged in");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClassId;

    fn invitation() -> Invitation {
        Invitation {
            code: "ABCDEFGH".into(),
            class_id: ClassId(7),
            class_name: "<script>alert(1)</script>".into(),
            teacher: "Ms Lan".into(),
        }
    }

    #[test]
    fn the_login_form_keeps_the_username_and_says_what_is_wrong() {
        let html = LoginPage {
            page: PageCtx::anonymous("tok".into()),
            username: Field::new("ann<b>"),
            password_error: None,
            form_error: Some("Wrong username or password.".into()),
            next: "/stats".into(),
            join: None,
        }
        .render()
        .unwrap();
        assert!(html.contains("action=\"/login\""), "{html}");
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
        assert!(html.contains("name=\"next\" value=\"/stats\""));
        assert!(html.contains("value=\"ann&#60;b&#62;\""), "{html}");
        assert!(html.contains("id=\"login-error\">Wrong username or password.</p>"));
        assert!(html.contains("aria-describedby=\"login-error\""));
        assert!(!html.contains("name=\"join\""));
    }

    #[test]
    fn a_join_link_is_carried_through_the_login_form_and_its_class_name_escaped() {
        let html = LoginPage {
            page: PageCtx::anonymous("tok".into()),
            username: Field::default(),
            password_error: None,
            form_error: None,
            next: "/".into(),
            join: Some(invitation()),
        }
        .render()
        .unwrap();
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
        assert!(html.contains("name=\"join\" value=\"ABCDEFGH\""));
        assert!(html.contains("href=\"/register?join=ABCDEFGH\""));
        assert!(html.contains("Log in and join</button>"));
    }
}
