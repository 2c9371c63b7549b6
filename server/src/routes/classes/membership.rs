//! Who is in a class: joining by code or link, leaving, a teacher removing a student.

use super::access::{Access, access, student_of};
use super::class::list_page;
use crate::auth::extract::CurrentUser;
use crate::classes::code;
use crate::clock::now;
use crate::db::classes::{self as store};
use crate::db::{self, users::Role};
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::form::{CsrfForm, Field};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable};
use actix_web::{HttpResponse, web};
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
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<JoinForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
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
    let user_id = user.id;
    let joined = db::run(&state.pool, move |conn| {
        let Some(class) = store::by_code(conn, &normalized)? else {
            return Ok(None);
        };
        store::join(conn, class.id, user_id, now())?;
        Ok(Some(class.id))
    })
    .await?;
    match joined {
        Some(id) => Ok(redirect(format!("/classes/{id}"))),
        None => {
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

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    page: PageCtx,
    code: String,
    class_name: String,
    teacher: String,
    can_join: bool,
}

/// `GET /join/{code}`: the join link. Shows the class and a button; joining is a POST.
pub async fn join_link(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let normalized = code::normalize(&path.into_inner()).ok_or(PageError::NotFound)?;
    let user_id = user.id;
    let lookup = normalized.clone();
    let found = db::run(&state.pool, move |conn| {
        let Some(class) = store::by_code(conn, &lookup)? else {
            return Ok(None);
        };
        let teacher = crate::db::users::by_id(conn, class.teacher_id)?
            .map(|t| t.display_name)
            .unwrap_or_default();
        let already = store::joined(conn, class.id, user_id)?.is_some();
        Ok(Some((class, teacher, already)))
    })
    .await?;
    let (class, teacher, already) = found.ok_or(PageError::NotFound)?;
    if already {
        return Ok(redirect(format!("/classes/{}", class.id)));
    }
    html(&JoinPage {
        page: user.page_ctx(),
        code: code::display(&normalized),
        class_name: class.name,
        teacher,
        can_join: user.role == Role::Learner,
    })
}

pub async fn leave(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
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

pub async fn remove_student(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let (class_id, student_id) = path.into_inner();
    student_of(&state, &user, class_id, student_id).await?;
    db::run(&state.pool, move |conn| {
        Ok(store::remove_member(conn, class_id, student_id)?)
    })
    .await?;
    Ok(redirect(format!("/classes/{class_id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join_page(can_join: bool) -> String {
        JoinPage {
            page: PageCtx::anonymous("tok".into()),
            code: "ABCD-EFGH".into(),
            class_name: "History \"9A\"".into(),
            teacher: "Ms Lan".into(),
            can_join,
        }
        .render()
        .unwrap()
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
