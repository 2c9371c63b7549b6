//! A class: the list of classes, creating one, the class page (as its teacher and as its
//! student sees it), renaming, archiving, a new join code.

use super::access::{Access, access, owned};
use super::report::*;
use crate::auth::extract::CurrentUser;
use crate::classes::code;
use crate::clock::now;
use crate::db::classes::{self as store, Class};
use crate::db::{self, users::Role};
use crate::ids::{ClassId, UserId};
use crate::routes::state::AppState;
use crate::web::confirm::{ConfirmPage, ConfirmedForm};
use crate::web::error::PageError;
use crate::web::form::{Field, Problem, problems};
use crate::web::page::PageCtx;
use crate::web::redirect::redirect;
use crate::web::respond::{html, unprocessable};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

pub const MAX_NAME: usize = 80;

/// A class name as typed: trimmed, 1 to [`MAX_NAME`] characters.
fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the class a name.".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("A class name is at most {MAX_NAME} characters."));
    }
    if let Some(c) = crate::text::forbidden_char(name) {
        return Err(crate::text::forbidden_char_message(c));
    }
    Ok(name.to_string())
}

pub struct ClassRow {
    pub id: ClassId,
    pub name: String,
    pub code: String,
    pub detail: String,
    pub archived: bool,
}

#[derive(Template)]
#[template(path = "classes.html")]
pub struct ClassesPage {
    page: PageCtx,
    is_teacher: bool,
    classes: Vec<ClassRow>,
    name: Field,
    code: Field,
    notice: Option<String>,
}

impl ClassesPage {
    fn problems(&self) -> Vec<Problem> {
        problems([("name", &self.name.error), ("code", &self.code.error)])
    }
}

pub async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    name: Field,
    code_field: Field,
    notice: Option<String>,
) -> Result<ClassesPage, PageError> {
    let (user_id, role) = (user.id, user.role);
    let classes = db::run(&state.pool, move |conn| {
        Ok(match role {
            Role::Teacher => store::of_teacher(conn, user_id)?
                .into_iter()
                .map(|s| ClassRow {
                    id: s.class.id,
                    code: code::display(&s.class.join_code),
                    detail: format!(
                        "{} student{} · {} assignment{}",
                        s.students,
                        plural(s.students),
                        s.assignments,
                        plural(s.assignments)
                    ),
                    archived: s.class.archived,
                    name: s.class.name,
                })
                .collect(),
            Role::Learner => store::of_member(conn, user_id)?
                .into_iter()
                .map(|(class, teacher)| ClassRow {
                    id: class.id,
                    name: class.name,
                    code: String::new(),
                    detail: format!("taught by {teacher}"),
                    archived: false,
                })
                .collect(),
        })
    })
    .await?;
    Ok(ClassesPage {
        page: user.page_ctx(),
        is_teacher: role == Role::Teacher,
        classes,
        name,
        code: code_field,
        notice,
    })
}

pub fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub async fn list(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    html(&list_page(&state, &user, Field::default(), Field::default(), None).await?)
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
}

pub async fn create(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    if user.role != Role::Teacher {
        return Err(PageError::NotFound);
    }
    let name = match check_name(&form.name) {
        Ok(n) => n,
        Err(message) => {
            let field = Field::invalid(&form.name, message);
            let page = list_page(&state, &user, field, Field::default(), None).await?;
            return unprocessable(&page);
        }
    };
    let teacher = user.id;
    let id = db::run(&state.pool, move |conn| {
        Ok(store::create(
            conn,
            teacher,
            &name,
            || code::generate(&mut rand::rng()),
            now(),
        )?)
    })
    .await?;
    tracing::info!(class_id = %id, "class created");
    Ok(redirect(format!("/classes/{id}")))
}

#[derive(Template)]
#[template(path = "class.html")]
struct ClassPage {
    page: PageCtx,
    class: Class,
    code: String,
    join_link: String,
    name: Field,
    assignments: Vec<AssignmentRow>,
    roster: Vec<RosterRow>,
    removed: Vec<RemovedRow>,
}

/// A student the teacher removed, with a button to take them back.
pub struct RemovedRow {
    pub user_id: UserId,
    pub name: String,
    pub username: String,
}

impl ClassPage {
    fn problems(&self) -> Vec<Problem> {
        problems([("name", &self.name.error)])
    }
}

fn join_link_for(req: &HttpRequest, join_code: &str) -> String {
    let info = req.connection_info();
    format!("{}://{}/join/{}", info.scheme(), info.host(), join_code)
}

async fn teacher_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    class: Class,
    name: Field,
) -> Result<ClassPage, PageError> {
    let report = class_report(state, class.id).await?;
    let class_id = class.id;
    let removed = db::run(&state.pool, move |conn| Ok(store::removed(conn, class_id)?))
        .await?
        .into_iter()
        .map(|r| RemovedRow {
            user_id: r.user_id,
            name: r.display_name,
            username: r.username,
        })
        .collect();
    Ok(ClassPage {
        removed,
        page: user.page_ctx(),
        code: code::display(&class.join_code),
        join_link: join_link_for(req, &class.join_code),
        name: if name.value.is_empty() && name.error.is_none() {
            Field {
                value: class.name.clone(),
                error: None,
            }
        } else {
            name
        },
        assignments: assignment_rows(&report, &user.clock),
        roster: roster(&report, &user.clock),
        class,
    })
}

#[derive(Template)]
#[template(path = "class_member.html")]
struct MemberPage {
    page: PageCtx,
    class: Class,
    teacher: String,
    assignments: Vec<MyAssignment>,
}

pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
) -> Result<HttpResponse, PageError> {
    match access(&state, &user, path.into_inner()).await? {
        Access::Teacher(class) => {
            html(&teacher_page(&state, &req, &user, class, Field::default()).await?)
        }
        Access::Student { class, .. } => {
            let teacher_id = class.teacher_id;
            let teacher = db::run(&state.pool, move |conn| {
                Ok(crate::db::users::by_id(conn, teacher_id)?
                    .map(|t| t.display_name)
                    .unwrap_or_default())
            })
            .await?;
            let assignments = my_assignments(&state, user.id, Some(class.id), &user.clock).await?;
            html(&MemberPage {
                page: user.page_ctx(),
                class,
                teacher,
                assignments,
            })
        }
    }
}

pub async fn rename(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    let name = match check_name(&form.name) {
        Ok(n) => n,
        Err(message) => {
            let field = Field::invalid(&form.name, message);
            let page = teacher_page(&state, &req, &user, class, field).await?;
            return unprocessable(&page);
        }
    };
    let id = class.id;
    db::run(&state.pool, move |conn| Ok(store::rename(conn, id, &name)?)).await?;
    Ok(redirect(format!("/classes/{id}")))
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    archived: String,
}

pub async fn archive(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    form: web::Form<ArchiveForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    let archived = form.archived != "0";
    let id = class.id;
    db::run(&state.pool, move |conn| {
        Ok(store::set_archived(conn, id, archived, now())?)
    })
    .await?;
    Ok(redirect(format!("/classes/{id}")))
}

/// `GET /classes/{id}/code`: what a new code does, and the button.
pub async fn rotate_code_confirm(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
) -> Result<HttpResponse, PageError> {
    let class = owned(&state, &user, path.into_inner()).await?;
    html(&ConfirmPage {
        page: user.page_ctx(),
        heading: format!("Give “{}” a new join code?", class.name),
        explain: vec![
            format!(
                "The code {} and its link stop working at once; anyone you gave them to who has not joined yet will need the new code.",
                code::display(&class.join_code)
            ),
            "Students already in the class stay in it.".into(),
        ],
        action: format!("/classes/{}/code", class.id),
        button: "Make a new code".into(),
        danger: false,
        back: format!("/classes/{}", class.id),
        back_label: class.name,
    })
}

pub async fn rotate_code(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<ClassId>,
    form: web::Form<ConfirmedForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    let id = class.id;
    if !form.confirmed() {
        return Ok(redirect(format!("/classes/{id}/code")));
    }
    db::run(&state.pool, move |conn| {
        Ok(store::rotate_code(conn, id, || {
            code::generate(&mut rand::rng())
        })?)
    })
    .await?;
    Ok(redirect(format!("/classes/{id}")))
}
