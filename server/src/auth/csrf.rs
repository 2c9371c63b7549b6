//! CSRF protection. Signed-in forms carry the session's secret; anonymous forms (log in,
//! register) use a double-submit cookie, since there is no session yet to bind to. Requests
//! that change state are also refused when their `Origin` names another site.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use subtle::ConstantTimeEq;

pub const ANON_COOKIE: &str = "chronicle_csrf";

/// Constant-time comparison (`subtle`), so the token cannot be guessed byte by byte from
/// timings. An empty token never matches.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// The anonymous token for this browser, and a cookie to set when it is new.
pub fn anonymous_token(req: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    match req.cookie(ANON_COOKIE) {
        Some(c) if c.value().len() == 64 => (c.value().to_string(), None),
        _ => {
            let token = super::session::random_token();
            let cookie = Cookie::build(ANON_COOKIE, token.clone())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(secure)
                .finish();
            (token, Some(cookie))
        }
    }
}

pub fn anonymous_ok(req: &HttpRequest, given: &str) -> bool {
    req.cookie(ANON_COOKIE)
        .is_some_and(|c| tokens_match(c.value(), given))
}

/// False when the request says it comes from another origin than the host it was sent to.
pub fn origin_ok(origin: Option<&str>, host: Option<&str>) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let Some(host) = host else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/').eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("", ""));
    }

    #[test]
    fn origins() {
        assert!(origin_ok(None, Some("localhost:8080")));
        assert!(origin_ok(
            Some("http://localhost:8080"),
            Some("localhost:8080")
        ));
        assert!(!origin_ok(
            Some("http://evil.example"),
            Some("localhost:8080")
        ));
        assert!(!origin_ok(Some("null"), Some("localhost:8080")));
    }
}
