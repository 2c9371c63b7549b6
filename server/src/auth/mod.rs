//! Accounts and sessions: passwords (argon2id), usernames, server-side sessions, CSRF and
//! login throttling, and the extractors that give handlers the signed-in user (`extract` for
//! pages, `api_user` for the JSON API).

pub mod api_user;
pub mod credentials;
pub mod csrf;
pub mod device;
pub mod extract;
pub mod password;
pub mod reset;
pub mod session;
pub mod session_cache;
pub mod throttle;
pub mod username;
