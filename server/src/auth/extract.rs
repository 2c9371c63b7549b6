//! Extractors for the signed-in user. A page that needs one redirects to the login page
//! when there is no live session.

use super::session_cache::{Kept, SessionCache};
use super::{csrf, session};
use crate::db::users::Role;
use crate::db::{self, sessions, users};
use crate::ids::UserId;
use crate::srs::days::DayClock;
use crate::web::error::PageError;
use crate::web::page::{NavUser, PageCtx};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use std::future::Future;
use std::pin::Pin;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub csrf_token: String,
    pub desired_retention: f64,
    pub new_per_day: i64,
    /// The reader's calendar: every time a page shows them is written in its zone.
    pub clock: DayClock,
    /// Hash of this session's token, so logout can end exactly this session.
    pub session_hash: String,
}

impl CurrentUser {
    /// The page layout for this user: the navigation and the session's CSRF token.
    pub fn page_ctx(&self) -> PageCtx {
        PageCtx::signed_in(
            NavUser {
                username: self.username.clone(),
                is_teacher: self.role == Role::Teacher,
            },
            self.csrf_token.clone(),
        )
    }

    /// Refuses (403) a form whose token is not this session's.
    pub fn verify_csrf(&self, given: &str) -> Result<(), PageError> {
        if csrf::tokens_match(&self.csrf_token, given) {
            Ok(())
        } else {
            Err(PageError::Forbidden(
                "This form has expired or did not come from Chronicle. Reload the page and try again."
                    .into(),
            ))
        }
    }
}

/// The signed-in user, if any.
pub struct MaybeUser(pub Option<CurrentUser>);

/// The sessions an app lately read (`app.rs` registers one beside the pool).
pub type KeptSessions = SessionCache<CurrentUser>;

pub(crate) async fn load(req: &HttpRequest) -> Result<Option<CurrentUser>, PageError> {
    let Some(token) = req.cookie(session::COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let hash = session::hash_token(&token);
    let now = crate::clock::now();
    let cache = req
        .app_data::<web::Data<KeptSessions>>()
        .ok_or_else(|| PageError::Unexpected(anyhow::anyhow!("session cache missing")))?
        .clone();
    if let Some(user) = cache.get(&hash, now) {
        return Ok(Some(user));
    }
    let pool = req
        .app_data::<web::Data<db::Pool>>()
        .ok_or_else(|| PageError::Unexpected(anyhow::anyhow!("database pool missing")))?
        .clone();
    // Read before the session: a write after this reading makes the copy out of date.
    let changes = sessions::changes();
    let read = db::run(&pool, move |conn| {
        let Some(s) = sessions::get(conn, &hash)? else {
            return Ok(None);
        };
        if !session::is_live(s.created_at, s.last_seen, s.expires_at, now) {
            sessions::delete(conn, &hash)?;
            return Ok(None);
        }
        let mut last_seen = s.last_seen;
        if now - s.last_seen >= session::TOUCH_EVERY_SECONDS {
            db::unless_disk_full(sessions::touch(conn, &hash, now))?;
            last_seen = now;
        }
        let clock = users::day_clock(conn, s.user_id)?;
        Ok(users::by_id(conn, s.user_id)?.map(|u| {
            let user = CurrentUser {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                role: u.role,
                csrf_token: s.csrf_secret,
                desired_retention: u.desired_retention,
                new_per_day: u.new_per_day,
                clock,
                session_hash: hash,
            };
            let k = Kept {
                user: user.clone(),
                created_at: s.created_at,
                last_seen,
                expires_at: s.expires_at,
                read_at: now,
                changes,
            };
            (user, k)
        }))
    })
    .await?;
    Ok(read.map(|(user, k)| {
        cache.keep(user.session_hash.clone(), k);
        user
    }))
}

/// Where to come back to after logging in: this page, if it is a plain GET.
fn return_path(req: &HttpRequest) -> String {
    if req.method() == actix_web::http::Method::GET {
        req.uri()
            .path_and_query()
            .map_or("/".to_string(), |p| p.to_string())
    } else {
        "/".to_string()
    }
}

impl FromRequest for CurrentUser {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            load(&req)
                .await?
                .ok_or_else(|| PageError::LoginRequired(return_path(&req)))
        })
    }
}

impl FromRequest for MaybeUser {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeUser(load(&req).await?)) })
    }
}
