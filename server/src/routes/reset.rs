//! Password help: a teacher makes a one-time reset link for a student of their class, and the
//! student (signed out, having forgotten the password) sets a new one through it.

use crate::auth::extract::CurrentUser;
use crate::auth::{password, reset};
use crate::clock::{Instant, now};
use crate::db;
use crate::ids::{ClassId, UserId};
use crate::routes::auth::{anonymous_page, check_anonymous_csrf, start_session};
use crate::routes::classes::access::student_of;
use crate::routes::state::AppState;
use crate::web::confirm::{ConfirmPage, ConfirmedForm};
use crate::web::error::PageError;
use crate::web::form::{Problem, problems};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable, with_status};
use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

/// `GET /classes/{id}/students/{student}/reset`: what a reset link does, and the button.
pub async fn confirm(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, UserId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, student_id) = path.into_inner();
    let (class, member) = student_of(&state, &user, class_id, student_id).await?;
    html(&ConfirmPage {
        page: user.page_ctx(),
        heading: format!(
            "Make a password reset link for {} ({})?",
            member.display_name, member.username
        ),
        explain: vec![
            format!(
                "You get a link to give {} in person or by a message only they read. It works once, for one day, and lets whoever opens it choose a new password for this account.",
                member.display_name
            ),
            "Using it signs the account out everywhere, devices included. An earlier link you made for them stops working.".into(),
        ],
        action: format!("/classes/{class_id}/students/{student_id}/reset"),
        button: "Make the link".into(),
        danger: false,
        back: format!("/classes/{class_id}"),
        back_label: class.name,
    })
}

#[derive(Template)]
#[template(path = "reset_issued.html")]
struct IssuedPage {
    page: PageCtx,
    class_id: ClassId,
    class_name: String,
    student: String,
    link: String,
    until: String,
}

fn origin(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

/// `POST /classes/{id}/students/{student}/reset`: makes the link and shows it, once.
pub async fn issue(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, UserId)>,
    form: web::Form<ConfirmedForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, student_id) = path.into_inner();
    let (class, member) = student_of(&state, &user, class_id, student_id).await?;
    if !form.confirmed() {
        return Ok(redirect(format!(
            "/classes/{class_id}/students/{student_id}/reset"
        )));
    }
    let (teacher, now) = (user.id, now());
    let token = db::run(&state.pool, move |conn| {
        Ok(reset::issue(conn, student_id, Some(teacher), now)?)
    })
    .await?;
    tracing::info!(
        teacher_id = %teacher,
        student_id = %student_id,
        class_id = %class_id,
        "password reset link made"
    );
    let mut response = html(&IssuedPage {
        page: user.page_ctx(),
        class_id,
        class_name: class.name,
        student: member.display_name,
        link: format!("{}{}", origin(&req), reset::path(&token)),
        until: user
            .clock
            .written(Instant::from_secs(now + reset::VALID_SECONDS)),
    })?;
    // The link is a secret: keep the page out of caches and the back-forward history.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    page: PageCtx,
    /// The account's username, or `None` when the link no longer works.
    username: Option<String>,
    token: String,
    password_error: Option<String>,
}

impl ResetPage {
    fn problems(&self) -> Vec<Problem> {
        problems([("new_password", &self.password_error)])
    }
}

/// The page for a link that does not work: one message whatever the reason (used, expired,
/// never made), so a link says nothing about accounts.
fn gone(req: &HttpRequest, state: &AppState) -> Result<HttpResponse, PageError> {
    anonymous_page(req, state, |page| {
        with_status(
            &ResetPage {
                page,
                username: None,
                token: String::new(),
                password_error: None,
            },
            StatusCode::GONE,
        )
    })
}

/// `GET /reset/{token}`: the new-password form, while the link works.
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let lookup = token.clone();
    let now = now();
    let account = db::run(&state.pool, move |conn| {
        Ok(reset::account(conn, &lookup, now)?)
    })
    .await?;
    let Some(account) = account else {
        return gone(&req, &state);
    };
    anonymous_page(&req, &state, |page| {
        html(&ResetPage {
            page,
            username: Some(account.username),
            token,
            password_error: None,
        })
    })
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    new_password: String,
}

/// `POST /reset/{token}`: sets the password, ends every session and device token, and signs
/// this browser in with the new password.
pub async fn complete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<NewPasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    check_anonymous_csrf(&req, &form.csrf_token)?;
    let token = path.into_inner();
    let lookup = token.clone();
    let account = db::run(&state.pool, move |conn| {
        Ok(reset::account(conn, &lookup, now())?)
    })
    .await?;
    let Some(account) = account else {
        return gone(&req, &state);
    };
    if let Err(e) = password::check_strength(&form.new_password, &account.username) {
        return anonymous_page(&req, &state, |page| {
            unprocessable(&ResetPage {
                page,
                username: Some(account.username.clone()),
                token: token.clone(),
                password_error: Some(e),
            })
        });
    }
    let new_password = form.new_password;
    let hash = password::hash_off_thread(new_password)
        .await
        .map_err(PageError::Unexpected)?;
    let done = db::run(&state.pool, move |conn| {
        Ok(reset::complete(conn, &token, &hash, now())?)
    })
    .await?;
    let Some(user_id) = done else {
        // Used from another tab while this one was hashing.
        return gone(&req, &state);
    };
    tracing::info!(
        user_id = %user_id,
        "password reset by link; sessions and device tokens ended"
    );
    let cookie = start_session(&state, user_id, None).await?;
    let mut response = redirect("/account?changed=reset");
    response
        .add_cookie(&cookie)
        .map_err(|e| PageError::Unexpected(e.into()))?;
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issued_page_shows_the_link_once_and_links_back_to_the_class() {
        let html = IssuedPage {
            page: PageCtx::teacher_for_tests(),
            class_id: ClassId(7),
            class_name: "9A".into(),
            student: "<script>x</script>".into(),
            link: "https://chronicle.test/reset/abc".into(),
            until: "2 December 2026, 10:00".into(),
        }
        .render()
        .unwrap();
        assert!(
            html.contains("id=\"reset-link\">https://chronicle.test/reset/abc</code>"),
            "{html}"
        );
        assert!(html.contains("until 2 December 2026, 10:00"));
        assert!(html.contains("href=\"/classes/7\""));
        assert!(!html.contains("<script>x"));
        assert!(html.contains("Reset link for &#60;script&#62;x&#60;/script&#62;"));
    }

    #[test]
    fn the_reset_form_posts_to_its_token_and_a_dead_link_says_so() {
        let live = ResetPage {
            page: PageCtx::anonymous("tok".into()),
            username: Some("ann".into()),
            token: "abc123".into(),
            password_error: Some("Too short.".into()),
        }
        .render()
        .unwrap();
        assert!(live.contains("action=\"/reset/abc123\""), "{live}");
        assert!(live.contains("<strong>ann</strong>"));
        assert!(live.contains("name=\"csrf_token\" value=\"tok\""));
        assert!(live.contains("id=\"password-error\">Too short.</p>"));
        let dead = ResetPage {
            page: PageCtx::anonymous("tok".into()),
            username: None,
            token: "abc123".into(),
            password_error: None,
        }
        .render()
        .unwrap();
        assert!(dead.contains("<h1>This link no longer works</h1>"));
        assert!(!dead.contains("action=\"/reset/"));
    }
}
