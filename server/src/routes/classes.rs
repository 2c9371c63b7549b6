//! Classes: the teacher's list and class page, joining and leaving, the roster, a student's
//! page. Every handler finds the class through the signed-in user ([`access`]), so another
//! teacher's or class's id is a plain 404.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::classes::{code, goal};
use crate::clock::now;
use crate::db::classes::{self as store, Activity, Assignment, Class, Member};
use crate::db::{self, users::Role};
use crate::routes::auth::Field;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

pub const MAX_NAME: usize = 80;
const RECENT_DAYS: i64 = 7;

/// What the signed-in user is to a class.
pub enum Access {
    Teacher(Class),
    Student { class: Class, joined_at: i64 },
}

/// The class as its teacher or one of its students sees it; anyone else gets 404.
pub async fn access(
    state: &AppState,
    user: &CurrentUser,
    class_id: i64,
) -> Result<Access, PageError> {
    let (user_id, role) = (user.id, user.role);
    db::run(&state.pool, move |conn| {
        Ok(match role {
            Role::Teacher => store::owned(conn, class_id, user_id)?.map(Access::Teacher),
            Role::Learner => store::joined(conn, class_id, user_id)?
                .map(|(class, joined_at)| Access::Student { class, joined_at }),
        })
    })
    .await?
    .ok_or(PageError::NotFound)
}

/// The class when the signed-in user teaches it; 404 for everyone else.
pub async fn owned(
    state: &AppState,
    user: &CurrentUser,
    class_id: i64,
) -> Result<Class, PageError> {
    match access(state, user, class_id).await? {
        Access::Teacher(class) => Ok(class),
        Access::Student { .. } => Err(PageError::NotFound),
    }
}

pub fn redirect(to: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", to.into()))
        .finish()
}

pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

pub fn parse_day(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// `2026-11-23 14:05 UTC` from unix milliseconds.
pub fn moment(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| {
            format!(
                "{}-{:02}-{:02} {:02}:{:02} UTC",
                t.year(),
                t.month() as u8,
                t.day(),
                t.hour(),
                t.minute()
            )
        })
        .unwrap_or_default()
}

/// A class name as typed: trimmed, 1 to [`MAX_NAME`] characters.
fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the class a name.".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("A class name is at most {MAX_NAME} characters."));
    }
    Ok(name.to_string())
}

// ---- The list: GET /classes, POST /classes, POST /classes/join ----

pub struct ClassRow {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub detail: String,
    pub archived: bool,
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    page: PageCtx,
    is_teacher: bool,
    classes: Vec<ClassRow>,
    name: Field,
    code: Field,
    notice: Option<String>,
}

async fn list_page(
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

fn with_status(page: &impl Template, status: actix_web::http::StatusCode) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => actix_web::ResponseError::error_response(&PageError::Unexpected(e.into())),
    }
}

pub fn unprocessable(page: &impl Template) -> HttpResponse {
    with_status(page, actix_web::http::StatusCode::UNPROCESSABLE_ENTITY)
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
            let field = Field {
                value: form.name.clone(),
                error: Some(message),
            };
            let page = list_page(&state, &user, field, Field::default(), None).await?;
            return Ok(unprocessable(&page));
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
    tracing::info!(class_id = id, "class created");
    Ok(redirect(format!("/classes/{id}")))
}

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
        return Ok(unprocessable(&page));
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
        return Ok(unprocessable(&page));
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
            Ok(unprocessable(&page))
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

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf_token: String,
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

// ---- The class page ----

pub struct AssignmentCell {
    pub done: usize,
    pub total: usize,
    pub percent: usize,
    pub behind: bool,
}

pub struct RosterRow {
    pub user_id: i64,
    pub name: String,
    pub username: String,
    pub cells: Vec<AssignmentCell>,
    pub learned: i64,
    pub accuracy: String,
    pub last_active: String,
    pub behind: bool,
}

pub struct AssignmentRow {
    pub id: i64,
    pub title: String,
    pub cards: usize,
    pub due: String,
    pub goal: String,
    pub finished: usize,
    pub behind: usize,
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
}

pub fn due_label(a: &Assignment) -> String {
    a.due_date.clone().unwrap_or_else(|| "no due date".into())
}

/// Per-student progress on every assignment of a class: the roster's numbers.
pub struct ClassReport {
    pub members: Vec<Member>,
    pub assignments: Vec<Assignment>,
    /// completion[assignment index][user id] = cards done.
    pub completion: Vec<HashMap<i64, usize>>,
    pub activity: HashMap<i64, Activity>,
}

pub async fn class_report(state: &AppState, class_id: i64) -> Result<ClassReport, PageError> {
    let recent_since = now() - RECENT_DAYS * 86_400;
    Ok(db::run(&state.pool, move |conn| {
        let assignments = store::assignments(conn, class_id)?;
        let roster = store::roster(conn, class_id, &assignments, recent_since)?;
        Ok(ClassReport {
            members: store::members(conn, class_id)?,
            activity: roster.activity,
            completion: roster.completion,
            assignments,
        })
    })
    .await?)
}

pub fn cell(a: &Assignment, done: usize, today: Date) -> AssignmentCell {
    let due = a.due_date.as_deref().and_then(parse_day);
    AssignmentCell {
        done,
        total: a.cards,
        percent: goal::percent(done, a.cards),
        behind: goal::is_behind(due, today, done, a.cards),
    }
}

pub fn accuracy(a: &Activity) -> String {
    if a.recent_answers == 0 {
        "—".into()
    } else {
        format!(
            "{}% of {}",
            a.recent_right * 100 / a.recent_answers,
            a.recent_answers
        )
    }
}

fn roster(report: &ClassReport, today: Date) -> Vec<RosterRow> {
    report
        .members
        .iter()
        .map(|m| {
            let cells: Vec<AssignmentCell> = report
                .assignments
                .iter()
                .zip(&report.completion)
                .map(|(a, done)| cell(a, done.get(&m.user_id).copied().unwrap_or(0), today))
                .collect();
            let activity = report.activity.get(&m.user_id).cloned().unwrap_or_default();
            RosterRow {
                user_id: m.user_id,
                name: m.display_name.clone(),
                username: m.username.clone(),
                behind: cells.iter().any(|c| c.behind),
                cells,
                learned: activity.cards_learned,
                accuracy: accuracy(&activity),
                last_active: activity.last_active.map(moment).unwrap_or("never".into()),
            }
        })
        .collect()
}

fn assignment_rows(report: &ClassReport, today: Date) -> Vec<AssignmentRow> {
    report
        .assignments
        .iter()
        .zip(&report.completion)
        .map(|(a, done)| {
            let cells: Vec<AssignmentCell> = report
                .members
                .iter()
                .map(|m| cell(a, done.get(&m.user_id).copied().unwrap_or(0), today))
                .collect();
            AssignmentRow {
                id: a.id,
                title: a.title.clone(),
                cards: a.cards,
                due: due_label(a),
                goal: a.goal.describe(),
                finished: cells
                    .iter()
                    .filter(|c| c.total > 0 && c.done >= c.total)
                    .count(),
                behind: cells.iter().filter(|c| c.behind).count(),
            }
        })
        .collect()
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
    let today = today();
    Ok(ClassPage {
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
        assignments: assignment_rows(&report, today),
        roster: roster(&report, today),
        class,
    })
}

pub struct MyAssignment {
    pub id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub title: String,
    pub due: String,
    pub goal: String,
    pub cell: AssignmentCell,
}

#[derive(Template)]
#[template(path = "class_member.html")]
struct MemberPage {
    page: PageCtx,
    class: Class,
    teacher: String,
    assignments: Vec<MyAssignment>,
}

/// A learner's open assignments (in one class or all), with their progress.
pub async fn my_assignments(
    state: &AppState,
    user_id: i64,
    class_id: Option<i64>,
) -> Result<Vec<MyAssignment>, PageError> {
    let rows = db::run(&state.pool, move |conn| {
        store::assignments_of_member(conn, user_id)?
            .into_iter()
            .filter(|(a, _, _)| class_id.is_none_or(|c| c == a.class_id))
            .map(|(a, class_name, joined_at)| {
                let done = store::finished_cards(conn, user_id, &a, joined_at)?.len();
                Ok((a, class_name, done))
            })
            .collect::<Result<Vec<_>, db::DbError>>()
    })
    .await?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|(a, class_name, done)| MyAssignment {
            id: a.id,
            class_id: a.class_id,
            class_name,
            title: a.title.clone(),
            due: due_label(&a),
            goal: a.goal.describe(),
            cell: cell(&a, done, today),
        })
        .collect())
}

pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
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
            let assignments = my_assignments(&state, user.id, Some(class.id)).await?;
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
    path: web::Path<i64>,
    form: web::Form<NameForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    let name = match check_name(&form.name) {
        Ok(n) => n,
        Err(message) => {
            let field = Field {
                value: form.name.clone(),
                error: Some(message),
            };
            let page = teacher_page(&state, &req, &user, class, field).await?;
            return Ok(unprocessable(&page));
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
    path: web::Path<i64>,
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

pub async fn rotate_code(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.verify_csrf(&form.csrf_token)?;
    let class = owned(&state, &user, path.into_inner()).await?;
    let id = class.id;
    db::run(&state.pool, move |conn| {
        Ok(store::rotate_code(conn, id, || {
            code::generate(&mut rand::rng())
        })?)
    })
    .await?;
    Ok(redirect(format!("/classes/{id}")))
}

// ---- One student in a class ----

pub struct StudentMiss {
    pub prompt: String,
    pub given: String,
    pub answer: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "class_student.html")]
struct StudentPage {
    page: PageCtx,
    class: Class,
    student: Member,
    joined: String,
    rows: Vec<(String, String, AssignmentCell)>,
    missed: Vec<StudentMiss>,
    accuracy: String,
    last_active: String,
}

/// The member `student_id` of a class the user teaches, or 404.
async fn student_of(
    state: &AppState,
    user: &CurrentUser,
    class_id: i64,
    student_id: i64,
) -> Result<(Class, Member), PageError> {
    let class = owned(state, user, class_id).await?;
    let member = db::run(&state.pool, move |conn| {
        Ok(store::member(conn, class_id, student_id)?)
    })
    .await?
    .ok_or(PageError::NotFound)?;
    Ok((class, member))
}

pub fn question_text(catalog: &Catalog, card_id: &str) -> (String, String) {
    catalog
        .question(card_id, 0)
        .map(|q| (q.prompt.replace('\n', " "), q.answer))
        .unwrap_or_else(|| (format!("(retired card {card_id})"), String::new()))
}

pub async fn student(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, PageError> {
    let (class_id, student_id) = path.into_inner();
    let (class, member) = student_of(&state, &user, class_id, student_id).await?;
    let report = class_report(&state, class_id).await?;
    let db_member = member.clone();
    let missed = db::run(&state.pool, move |conn| {
        Ok(store::student_missed(conn, class_id, &db_member)?)
    })
    .await?;
    let today = today();
    let rows = report
        .assignments
        .iter()
        .zip(&report.completion)
        .map(|(a, done)| {
            (
                a.title.clone(),
                due_label(a),
                cell(a, done.get(&member.user_id).copied().unwrap_or(0), today),
            )
        })
        .collect();
    let activity = report
        .activity
        .get(&member.user_id)
        .cloned()
        .unwrap_or_default();
    let missed = missed
        .into_iter()
        .map(|(card_id, given, at)| {
            let (prompt, answer) = question_text(&state.catalog, &card_id);
            StudentMiss {
                prompt,
                given,
                answer,
                when: moment(at),
            }
        })
        .collect();
    html(&StudentPage {
        page: user.page_ctx(),
        joined: moment(member.joined_at * 1000),
        class,
        student: member,
        rows,
        missed,
        accuracy: accuracy(&activity),
        last_active: activity.last_active.map(moment).unwrap_or("never".into()),
    })
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
