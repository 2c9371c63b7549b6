//! What every page's layout needs.

/// The signed-in user as the navigation shows them.
pub struct NavUser {
    pub username: String,
    pub is_teacher: bool,
}

/// What `base.html` needs: who is signed in, and the token for the log-out form.
pub struct PageCtx {
    pub user: Option<NavUser>,
    pub csrf_token: String,
}

impl PageCtx {
    pub fn signed_in(user: NavUser, csrf_token: String) -> PageCtx {
        PageCtx {
            user: Some(user),
            csrf_token,
        }
    }

    pub fn anonymous(csrf_token: String) -> PageCtx {
        PageCtx {
            user: None,
            csrf_token,
        }
    }
}

/// Fixed layouts for render tests of the views (kanidm's habit: a view rendered without a
/// server, from fixed values).
#[cfg(test)]
impl PageCtx {
    pub fn learner_for_tests() -> PageCtx {
        let user = NavUser {
            username: "ann".into(),
            is_teacher: false,
        };
        PageCtx::signed_in(user, "tok".into())
    }

    pub fn teacher_for_tests() -> PageCtx {
        let user = NavUser {
            username: "lan".into(),
            is_teacher: true,
        };
        PageCtx::signed_in(user, "tok".into())
    }
}
