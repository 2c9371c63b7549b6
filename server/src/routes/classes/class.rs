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

#[cfg(test)]
mod tests {
    use super::super::fixtures::{self, ESCAPED_NAME};
    use super::*;
    use crate::ids::AssignmentId;

    fn list(is_teacher: bool, classes: Vec<ClassRow>) -> String {
        ClassesPage {
            page: if is_teacher {
                PageCtx::teacher_for_tests()
            } else {
                PageCtx::learner_for_tests()
            },
            is_teacher,
            classes,
            name: Field::invalid("<b>", "A class needs a name."),
            code: Field::invalid("XYZ", "That code does not work."),
            notice: Some("You left “9A”.".into()),
        }
        .render()
        .unwrap()
    }

    #[test]
    fn a_teachers_class_list_links_each_class_and_keeps_the_new_name_with_its_error() {
        let html = list(
            true,
            vec![ClassRow {
                id: ClassId(7),
                name: "<script>9A</script>".into(),
                code: "ABCD-EFGH".into(),
                detail: "12 students · 2 assignments".into(),
                archived: true,
            }],
        );
        assert!(
            html.contains(&format!(
                "<a href=\"/classes/7\">{ESCAPED_NAME}</a> <span class=\"tag\">archived</span>"
            )),
            "{html}"
        );
        assert!(html.contains("12 students · 2 assignments · code <code>ABCD-EFGH</code>"));
        assert!(html.contains("action=\"/classes\""));
        assert!(html.contains(
            "value=\"&#60;b&#62;\" aria-invalid=\"true\" aria-describedby=\"name-error\""
        ));
        assert!(html.contains("id=\"name-error\">A class needs a name.</p>"));
        assert!(!html.contains("action=\"/classes/join\""));
        assert!(html.contains("role=\"status\">You left “9A”.</p>"));
    }

    #[test]
    fn a_learner_with_no_class_gets_the_join_form_with_what_they_typed() {
        let html = list(false, vec![]);
        assert!(html.contains("You are not in a class yet."), "{html}");
        assert!(html.contains("action=\"/classes/join\""));
        assert!(html.contains(
            "value=\"XYZ\" aria-describedby=\"code-help code-error\" aria-invalid=\"true\""
        ));
        assert!(!html.contains("action=\"/classes\" "));
    }

    #[test]
    fn the_class_page_shows_the_code_the_roster_and_every_teacher_action() {
        let mut class = fixtures::class();
        class.archived = true;
        let html = ClassPage {
            page: PageCtx::teacher_for_tests(),
            class,
            code: "ABCD-EFGH".into(),
            join_link: "https://chronicle.test/join/ABCDEFGH".into(),
            name: Field::new("9A"),
            assignments: vec![AssignmentRow {
                id: AssignmentId(3),
                title: "Week 1".into(),
                cards: 12,
                due: "8 December".into(),
                goal: "answer every card right once".into(),
                finished: 1,
                behind: 1,
            }],
            roster: vec![RosterRow {
                user_id: UserId(42),
                name: "Bình".into(),
                username: "binh".into(),
                cells: vec![fixtures::cell(3, 12, true)],
                learned: 9,
                accuracy: "80%".into(),
                last_active: "today".into(),
                behind: true,
            }],
            removed: vec![RemovedRow {
                user_id: UserId(43),
                name: "Chi".into(),
                username: "chi".into(),
            }],
        }
        .render()
        .unwrap();
        assert!(
            html.contains(&format!(
                "<h1>{ESCAPED_NAME} <span class=\"tag\">archived</span></h1>"
            )),
            "{html}"
        );
        assert!(html.contains("<code data-copy=\"ABCD-EFGH\">ABCD-EFGH</code>"));
        assert!(html.contains("https://chronicle.test/join/ABCDEFGH</code>"));
        assert!(html.contains("<a href=\"/classes/7/assignments/3\">Week 1</a>"));
        assert!(html.contains("<td>1 of 1</td><td><strong class=\"behind\">1</strong></td>"));
        assert!(html.contains(
            "<a href=\"/classes/7/students/42\">Bình</a> <strong class=\"behind\">behind</strong>"
        ));
        assert!(html.contains("<td class=\"progress-cell\">3/12 <strong"));
        assert!(html.contains("href=\"/classes/7/students/42/reset\""));
        assert!(html.contains("href=\"/classes/7/students/42/remove\""));
        assert!(html.contains("action=\"/classes/7/students/43/readmit\""));
        assert!(html.contains("href=\"/classes/7/export/students.csv\""));
        assert!(html.contains("action=\"/classes/7/rename\""));
        assert!(
            html.contains("name=\"archived\" value=\"0\""),
            "an archived class offers to reopen"
        );
        assert!(html.contains("href=\"/classes/7/assignments/new\""));
    }

    #[test]
    fn a_members_class_page_lists_open_assignments_with_a_study_link_and_the_leave_form() {
        let html = MemberPage {
            page: PageCtx::learner_for_tests(),
            class: fixtures::class(),
            teacher: "Ms Lan".into(),
            assignments: vec![fixtures::my_assignment(5)],
        }
        .render()
        .unwrap();
        assert!(html.contains("Taught by Ms Lan."), "{html}");
        assert!(html.contains(&format!("<h1>{ESCAPED_NAME}</h1>")));
        assert!(html.contains("<a href=\"/classes/7/assignments/3\">Week 1</a>"));
        assert!(html.contains("href=\"/study?assignment=3\">Study “Week 1”</a>"));
        assert!(html.contains("action=\"/classes/7/leave\""));
        let none = MemberPage {
            page: PageCtx::learner_for_tests(),
            class: fixtures::class(),
            teacher: "Ms Lan".into(),
            assignments: vec![],
        }
        .render()
        .unwrap();
        assert!(none.contains("Your teacher has not set an assignment yet."));
    }
}
