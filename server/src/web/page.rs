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
