//! Who is in a class: joining by code or link, leaving, a teacher removing a student.

use super::access::{Access, access, owned, student_of};
use super::class::list_page;
use crate::auth::extract::{CurrentUser, MaybeUser};
use crate::auth::throttle;
use crate::classes::code;
use crate::clock::now;
use crate::db::classes::{self as store};
use crate::db::{self, users::Role};
use crate::ids::{ClassId, UserId};
use crate::routes::state::AppState;
use crate::web::confirm::{ConfirmPage, ConfirmedForm};
use crate::web::error::PageError;
use crate::web::form::{CsrfForm, Field};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable, with_status};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    code: String,
}

/// Joins by code; an unknown code re-renders the form with a message and changes nothing.
pub async fn join(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<JoinForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let ip = req.peer_addr().map(|a| a.ip());
    let typed = form.code.clone();
    let fail = |message: &str| Field {
        value: typed.clone(),
        error: Some(message.to_string()),
    };
    if user.role != Role::Learner {
        let page = list_page(
            &state,
            &user,
            Field::default(),
            fail("Teachers cannot join classes; sign up as a learner to study in one."),
            None,
        )
        .await?;
        return unprocessable(&page);
    }
    if let Err(wait) = state.join_throttle.check(user.id, ip) {
        tracing::warn!(user_id = %user.id, ip = ?ip, "join codes throttled");
        let message = format!(
            "Too many wrong codes. Try again in {}.",
            throttle::describe_minutes(wait)
        );
        let page = list_page(&state, &user, Field::default(), fail(&message), None).await?;
        return with_status(&page, StatusCode::TOO_MANY_REQUESTS);
    }
    let Some(normalized) = code::normalize(&form.code) else {
        let page = list_page(
            &state,
            &user,
            Field::default(),
            fail("A join code has 8 letters and digits, like ABCD-EFGH."),
            None,
        )
        .await?;
        return unprocessable(&page);
    };
    match join_by_code(&state, user.id, &normalized).await? {
        Joined::Member(id) => Ok(redirect(format!("/classes/{id}"))),
        Joined::Barred => {
            let page = list_page(&state, &user, Field::default(), fail(BARRED), None).await?;
            unprocessable(&page)
        }
        Joined::NoSuchCode => {
            state.join_throttle.record_failure(user.id, ip);
            let page = list_page(
                &state,
                &user,
                Field::default(),
                fail("No open class has that code. Check it with your teacher."),
                None,
            )
            .await?;
            unprocessable(&page)
        }
    }
}

/// What came of a learner's attempt to join with a code.
pub enum Joined {
    Member(ClassId),
    NoSuchCode,
    /// The teacher removed this learner while the code was the one they had.
    Barred,
}

pub const BARRED: &str =
    "Your teacher removed you from this class. Ask them to let you back in from the class page.";

/// Puts a learner in the open class whose (normalized) code this is, unless the teacher
/// removed them under this code. The one way in, for the join form and for a join link
/// followed through registering or logging in.
pub async fn join_by_code(
    state: &AppState,
    user_id: UserId,
    normalized: &str,
) -> Result<Joined, PageError> {
    let code = normalized.to_string();
    Ok(db::run(&state.pool, move |conn| {
        let Some(class) = store::by_code(conn, &code)? else {
            return Ok(Joined::NoSuchCode);
        };
        if store::barred(conn, class.id, user_id)? {
            return Ok(Joined::Barred);
        }
        store::join(conn, class.id, user_id, now())?;
        Ok(Joined::Member(class.id))
    })
    .await?)
}

/// A class as its join link names it to someone who is not in it yet.
#[derive(Clone)]
pub struct Invitation {
    /// The code as stored (no dash), for links and hidden fields.
    pub code: String,
    pub class_id: ClassId,
    pub class_name: String,
    pub teacher: String,
}

/// The open class a join code (as typed or from a link) belongs to, if any.
pub async fn invitation(state: &AppState, typed: &str) -> Result<Option<Invitation>, PageError> {
    let Some(code) = code::normalize(typed) else {
        return Ok(None);
    };
    Ok(db::run(&state.pool, move |conn| {
        let Some(class) = store::by_code(conn, &code)? else {
            return Ok(None);
        };
        let teacher = crate::db::users::by_id(conn, class.teacher_id)?
            .map(|t| t.display_name)
            .unwrap_or_default();
        Ok(Some(Invitation {
            code,
            class_id: class.id,
            class_name: class.name,
            teacher,
        }))
    })
    .await?)
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    page: PageCtx,
    code: String,
    invitation: Invitation,
    signed_in: bool,
    can_join: bool,
}

/// `GET /join/{code}`: the join link. Shows the class and a button (joining is a POST); to
/// someone signed out, the way to register or log in that keeps the class.
pub async fn join_link(
    user: MaybeUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let invitation = invitation(&state, &path.into_inner())
        .await?
        .ok_or(PageError::NotFound)?;
    let code = code::display(&invitation.code);
    let Some(user) = user.0 else {
        return html(&JoinPage {
            page: PageCtx::anonymous(String::new()),
            code,
            invitation,
            signed_in: false,
            can_join: false,
        });
    };
    let (class_id, user_id) = (invitation.class_id, user.id);
    let (already, barred) = db::run(&state.pool, move |conn| {
        Ok((
            store::joined(conn, class_id, user_id)?.is_some(),
            store::barred(conn, class_id, user_id)?,
        ))
    })
    .await?;
    if barred {
        return Err(PageError::Forbidden(BARRED.into()));
    }
    if already {
        return Ok(redirect(format!("/classes/{class_id}")));
    }
    html(&JoinPage {
        page: user.page_ctx(),
        code,
        invitation,
        signed_in: true,
        can_join: user.role == Role::Learner,
    })
}

pub async fn leave(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class_id = path.into_inner();
    match access(&state, &user, class_id).await? {
        Access::Student { .. } => {}
        Access::Teacher(_) => return Err(PageError::NotFound),
    }
    let user_id = user.id;
    db::run(&state.pool, move |conn| {
        Ok(store::remove_member(conn, class_id, user_id)?)
    })
    .await?;
    Ok(redirect("/classes"))
}

/// `GET /classes/{id}/students/{student}/remove`: what removing does, and the button.
pub async fn remove_confirm(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, UserId)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, student_id) = path.into_inner();
    let (class, member) = student_of(&state, &user, class_id, student_id).await?;
    html(&ConfirmPage {
        page: user.page_ctx(),
        heading: format!(
            "Remove {} ({}) from “{}”?",
            member.display_name, member.username, class.name
        ),
        explain: vec![
            format!(
                "{} leaves the class's roster, and you no longer see their progress.",
                member.display_name
            ),
            "Their account and their own progress stay with them.".into(),
        ],
        action: format!("/classes/{class_id}/students/{student_id}/remove"),
        button: format!("Remove {}", member.display_name),
        danger: true,
        back: format!("/classes/{class_id}"),
        back_label: class.name,
    })
}

pub async fn remove_student(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, UserId)>,
    form: web::Form<ConfirmedForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, student_id) = path.into_inner();
    student_of(&state, &user, class_id, student_id).await?;
    if !form.confirmed() {
        return Ok(redirect(format!(
            "/classes/{class_id}/students/{student_id}/remove"
        )));
    }
    db::run(&state.pool, move |conn| {
        Ok(store::remove_by_teacher(conn, class_id, student_id, now())?)
    })
    .await?;
    tracing::info!(class_id = %class_id, student_id = %student_id, "student removed by the teacher");
    Ok(redirect(format!("/classes/{class_id}")))
}

/// `POST /classes/{id}/students/{student}/readmit`: the teacher takes a removed student back.
pub async fn readmit(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(ClassId, UserId)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, student_id) = path.into_inner();
    owned(&state, &user, class_id).await?;
    let readmitted = db::run(&state.pool, move |conn| {
        Ok(store::readmit(conn, class_id, student_id, now())?)
    })
    .await?;
    if !readmitted {
        return Err(PageError::NotFound);
    }
    tracing::info!(class_id = %class_id, student_id = %student_id, "student re-admitted by the teacher");
    Ok(redirect(format!("/classes/{class_id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(signed_in: bool, can_join: bool) -> String {
        JoinPage {
            page: PageCtx::anonymous("tok".into()),
            code: "ABCD-EFGH".into(),
            invitation: Invitation {
                code: "ABCDEFGH".into(),
                class_id: ClassId(7),
                class_name: "History \"9A\"".into(),
                teacher: "Ms Lan".into(),
            },
            signed_in,
            can_join,
        }
        .render()
        .unwrap()
    }

    fn join_page(can_join: bool) -> String {
        page(true, can_join)
    }

    #[test]
    fn signed_out_the_join_page_offers_register_and_login_that_keep_the_code() {
        let html = page(false, false);
        assert!(html.contains("Taught by Ms Lan."));
        assert!(html.contains("href=\"/register?join=ABCDEFGH\""), "{html}");
        assert!(html.contains("href=\"/login?join=ABCDEFGH\""), "{html}");
        assert!(!html.contains("action=\"/classes/join\""));
    }

    #[test]
    fn the_join_page_names_the_class_and_posts_the_code() {
        let html = join_page(true);
        assert!(
            html.contains("<h1>Join “History &#34;9A&#34;”</h1>"),
            "{html}"
        );
        assert!(html.contains("Taught by Ms Lan."));
        assert!(html.contains("<input type=\"hidden\" name=\"code\" value=\"ABCD-EFGH\">"));
        assert!(html.contains("<input type=\"hidden\" name=\"csrf_token\" value=\"tok\">"));
    }

    #[test]
    fn a_teacher_gets_no_join_button() {
        let html = join_page(false);
        assert!(!html.contains("action=\"/classes/join\""));
        assert!(html.contains("Sign in with a learner account"));
    }
}
