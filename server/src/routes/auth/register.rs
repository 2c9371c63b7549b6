//! `GET /register`, `POST /register`: a new account, learner or teacher.

use super::anonymous::{anonymous_page, check_anonymous_csrf};
use super::sign_in::{NextQuery, after_sign_in, invitation_for, start_session, trust_device};
use super::zone::ZoneField;
use crate::auth::extract::MaybeUser;
use crate::auth::password;
use crate::auth::username::Username;
use crate::clock::now;
use crate::db;
use crate::db::users::{self, Role};
use crate::routes::classes::membership::Invitation;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::form::{Field, Problem, problems};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

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
    /// Left out (an older form, a script, the tests' helper), it means the server's zone.
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
        let hash = password::hash_off_thread(password)
            .await
            .map_err(PageError::Unexpected)?;
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
            tracing::info!(user_id = %user_id, "registered");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page(role: Field, join: Option<Invitation>) -> String {
        RegisterPage {
            page: PageCtx::anonymous("tok".into()),
            username: Field::invalid("ann", "That username is taken."),
            password: "kept secret".into(),
            password_error: None,
            role,
            join,
            time_zone: ZoneField::server_default(),
        }
        .render()
        .unwrap()
    }

    #[test]
    fn the_register_form_keeps_what_was_typed_and_marks_the_field_in_error() {
        let html = page(Field::new("teacher"), None);
        assert!(html.contains("action=\"/register\""), "{html}");
        assert!(html.contains("name=\"csrf_token\" value=\"tok\""));
        assert!(html.contains(
            "value=\"ann\" aria-describedby=\"username-help username-error\" aria-invalid=\"true\""
        ));
        assert!(html.contains("id=\"username-error\">That username is taken.</p>"));
        assert!(html.contains("value=\"kept secret\""));
        assert!(html.contains("value=\"teacher\" checked"));
        assert!(html.contains("name=\"time_zone\""));
    }

    #[test]
    fn joining_by_link_registers_a_learner_without_asking_the_role() {
        let html = page(
            Field::default(),
            Some(Invitation {
                code: "ABCDEFGH".into(),
                class_id: crate::ids::ClassId(7),
                class_name: "9A".into(),
                teacher: "Ms Lan".into(),
            }),
        );
        assert!(html.contains("<input type=\"hidden\" name=\"role\" value=\"learner\">"));
        assert!(!html.contains("value=\"teacher\""), "{html}");
        assert!(html.contains("name=\"join\" value=\"ABCDEFGH\""));
        assert!(html.contains("href=\"/login?join=ABCDEFGH\""));
    }
}
