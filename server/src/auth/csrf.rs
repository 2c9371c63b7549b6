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

/// False when the request says it comes from another origin than the one it was sent to:
/// scheme, host and port must all match (`https://host:port` is another origin than
/// `http://host:port`). `scheme` is the one this server is reached by.
pub fn origin_ok(origin: Option<&str>, host: Option<&str>, scheme: &str) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    let Some(host) = host else {
        return false;
    };
    let Some((origin_scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let (Some(a), Some(b)) = (
        host_and_port(rest.trim_end_matches('/'), origin_scheme),
        host_and_port(host, scheme),
    ) else {
        return false;
    };
    origin_scheme.eq_ignore_ascii_case(scheme) && a.0.eq_ignore_ascii_case(b.0) && a.1 == b.1
}

/// `host[:port]` (or `[v6]:port`) with the scheme's default port filled in.
fn host_and_port<'a>(authority: &'a str, scheme: &str) -> Option<(&'a str, u16)> {
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, p.parse().ok()?),
        _ => (authority, default),
    };
    (!host.is_empty() && !host.contains(['/', '@'])).then_some((host, port))
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
        let ok = |origin, host, scheme| origin_ok(Some(origin), Some(host), scheme);
        assert!(origin_ok(None, Some("localhost:8080"), "http"));
        assert!(ok("http://localhost:8080", "localhost:8080", "http"));
        assert!(ok("http://LocalHost:8080/", "localhost:8080", "http"));
        assert!(ok("https://example.org", "example.org", "https"));
        assert!(ok("https://example.org:443", "example.org", "https"));
        assert!(ok("http://[::1]:8080", "[::1]:8080", "http"));
        assert!(!ok("http://evil.example", "localhost:8080", "http"));
        assert!(!ok("null", "localhost:8080", "http"));
        assert!(!ok("https://localhost:8080", "localhost:8080", "http"));
        assert!(!ok("http://localhost:8080", "localhost:8080", "https"));
        assert!(!ok("http://localhost:8081", "localhost:8080", "http"));
        assert!(!ok("http://localhost", "localhost:8080", "http"));
        assert!(!ok("http://a@localhost:8080", "localhost:8080", "http"));
        assert!(!origin_ok(Some("http://localhost:8080"), None, "http"));
    }
}
