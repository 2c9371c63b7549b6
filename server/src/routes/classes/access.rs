//! Who may see a class: its teacher, or one of its students. Every handler finds the class
//! through the signed-in user, so another teacher's or class's id is a plain 404.

use crate::auth::extract::CurrentUser;
use crate::db::classes::{self as store, Assignment, Class, Member};
use crate::db::{self, users::Role};
use crate::ids::{AssignmentId, ClassId, UserId};
use crate::routes::state::AppState;
use crate::web::error::PageError;

/// What the signed-in user is to a class.
pub enum Access {
    Teacher(Class),
    Student { class: Class, joined_at: i64 },
}

/// The class as its teacher or one of its students sees it; anyone else gets 404.
pub async fn access(
    state: &AppState,
    user: &CurrentUser,
    class_id: ClassId,
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
    class_id: ClassId,
) -> Result<Class, PageError> {
    match access(state, user, class_id).await? {
        Access::Teacher(class) => Ok(class),
        Access::Student { .. } => Err(PageError::NotFound),
    }
}

/// The member `student_id` of a class the user teaches, or 404.
pub async fn student_of(
    state: &AppState,
    user: &CurrentUser,
    class_id: ClassId,
    student_id: UserId,
) -> Result<(Class, Member), PageError> {
    let class = owned(state, user, class_id).await?;
    let member = db::run(&state.pool, move |conn| {
        Ok(store::member(conn, class_id, student_id)?)
    })
    .await?
    .ok_or(PageError::NotFound)?;
    Ok((class, member))
}

/// The assignment of a class the user teaches, or 404.
pub async fn owned_assignment(
    state: &AppState,
    user: &CurrentUser,
    class_id: ClassId,
    assignment_id: AssignmentId,
) -> Result<(Class, Assignment), PageError> {
    let class = owned(state, user, class_id).await?;
    let a = db::run(&state.pool, move |conn| {
        Ok(store::assignment(conn, class_id, assignment_id)?)
    })
    .await?
    .ok_or(PageError::NotFound)?;
    Ok((class, a))
}
