//! Where the browser is sent next.

use actix_web::HttpResponse;
use actix_web::http::header::LOCATION;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// 303 See Other to `to`: where a handled POST (or a page that moved) sends the browser.
pub fn redirect(to: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, to.into()))
        .finish()
}

/// What a path keeps unencoded inside a query value: unreserved characters and `/`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// To the login page, which comes back to `next` once signed in.
pub fn to_login(next: &str) -> HttpResponse {
    redirect(format!(
        "/login?next={}",
        utf8_percent_encode(next, QUERY_VALUE)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_is_encoded_as_one_query_value() {
        let r = to_login("/study?deck=a b&mode=missed#x");
        assert_eq!(
            r.headers().get(LOCATION).unwrap(),
            "/login?next=/study%3Fdeck%3Da%20b%26mode%3Dmissed%23x"
        );
        assert_eq!(
            to_login("/é").headers().get(LOCATION).unwrap(),
            "/login?next=/%C3%A9"
        );
    }
}
