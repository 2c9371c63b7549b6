//! One log line per request: its id, method, route, status and latency.
//!
//! The route is the pattern that matched (`/reset/{token}`), never the path, so that ids,
//! reset tokens and join codes in paths stay out of the log, as do query strings, cookies
//! and headers. This replaced `tracing-actix-web`, whose span per request formatted sixteen
//! fields (a request id, the client's address, the user agent, the full target ...) and
//! whose closing line took over a quarter of the server's CPU on a signed-in page that
//! reads nothing (`GET /study/offline`) under `wrk`.
//!
//! The request id is the caller's `X-Request-Id` when it is a sane one (a proxy's, so one
//! id follows the request through both logs), else the next number of a counter of this
//! process; the response carries it back in the same header. Events a handler logs carry it
//! too, through a span of that one field around the handler (no event of its own at its
//! close). Work handed to the blocking pool runs outside it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use tracing::Instrument;

/// What a request that matched no route is logged as.
const NO_ROUTE: &str = "(no route)";

/// The header a request id comes in and goes back out in.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest id taken from a caller (a UUID is 36).
const MAX_ID_LEN: usize = 64;

/// The id of the next request that brings none of its own.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The middleware (`from_fn(request_log)`); wrap it outermost so that it also sees the
/// requests other middleware refuse.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let start = Instant::now();
    let id = request_id(req.headers().get(&REQUEST_ID));
    // Only this module's digits or a caller's sane id: always text.
    let id_text = id.to_str().unwrap_or_default();
    let method = req.method().clone();
    // Matched before the call: the request moves into it. Routing a path is a few string
    // comparisons for the static routes in front of the table.
    let route = req.match_pattern();
    let span = tracing::info_span!("request", request_id = %id_text);
    let result = next.call(req).instrument(span).await;
    let latency_us = start.elapsed().as_micros() as u64;
    let route = route.as_deref().unwrap_or(NO_ROUTE);
    let (status, error) = match &result {
        Ok(res) => (res.status(), res.response().error()),
        Err(e) => (e.as_response_error().status_code(), Some(e)),
    };
    log(id_text, method.as_str(), route, status, latency_us, error);
    match result {
        Ok(mut res) => {
            res.headers_mut().insert(REQUEST_ID, id);
            Ok(res)
        }
        Err(error) => Err(Refused { error, id }.into()),
    }
}

/// A request refused before it reached a handler (by other middleware), answered as that
/// refusal is, with the request id added.
struct Refused {
    error: Error,
    id: HeaderValue,
}

impl std::fmt::Debug for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.error, f)
    }
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.error, f)
    }
}

impl ResponseError for Refused {
    fn status_code(&self) -> StatusCode {
        self.error.as_response_error().status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = self.error.error_response();
        res.headers_mut().insert(REQUEST_ID, self.id.clone());
        res
    }
}

/// The caller's id if it is short and plain (letters, digits, `-`, `_`, `.`: nothing that
/// could forge a log line or a header), else the next of this process's.
fn request_id(given: Option<&HeaderValue>) -> HeaderValue {
    match given {
        Some(id) if is_sane(id.as_bytes()) => id.clone(),
        _ => HeaderValue::from(NEXT_ID.fetch_add(1, Ordering::Relaxed)),
    }
}

fn is_sane(id: &[u8]) -> bool {
    (1..=MAX_ID_LEN).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn log(
    id: &str,
    method: &str,
    route: &str,
    status: StatusCode,
    latency_us: u64,
    error: Option<&Error>,
) {
    let code = status.as_u16();
    match error {
        Some(e) if status.is_server_error() => {
            tracing::error!(request_id = %id, %method, %route, status = code, latency_us, error = %e, "request")
        }
        _ => {
            tracing::info!(request_id = %id, %method, %route, status = code, latency_us, "request")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};
    use std::sync::{Arc, Mutex};
    use tracing_subscriber::fmt::MakeWriter;

    /// The log lines written while a test runs, on its thread only.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Captured {
        type Writer = Captured;
        fn make_writer(&'a self) -> Captured {
            self.clone()
        }
    }

    impl Captured {
        fn lines(&self) -> Vec<String> {
            String::from_utf8(self.0.lock().unwrap().clone())
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        }
    }

    async fn refuse_posts(
        req: ServiceRequest,
        next: Next<impl MessageBody>,
    ) -> Result<ServiceResponse<impl MessageBody>, Error> {
        if req.method() == actix_web::http::Method::POST {
            return Err(actix_web::error::ErrorForbidden("refused"));
        }
        next.call(req).await
    }

    /// Requests to a small app behind the middleware: the lines they logged, and the
    /// request id each response carries.
    async fn logged(requests: Vec<test::TestRequest>) -> (Vec<String>, Vec<String>) {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_ansi(false)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(from_fn(refuse_posts))
                .wrap(from_fn(request_log))
                .route(
                    "/reset/{token}",
                    web::get().to(|| async { HttpResponse::Ok().body("hello") }),
                )
                .route(
                    "/broken",
                    web::get().to(|| async {
                        Err::<HttpResponse, _>(actix_web::error::ErrorInternalServerError(
                            "the disk caught fire",
                        ))
                    }),
                )
                .route(
                    "/sign-in",
                    web::get().to(|| async {
                        tracing::info!(user_id = 7, "logged in");
                        HttpResponse::Ok().finish()
                    }),
                ),
        )
        .await;
        let mut ids = Vec::new();
        for req in requests {
            // A refusal comes back as an error, which the server turns into its page.
            let res = match actix_web::dev::Service::call(&app, req.to_request()).await {
                Ok(res) => res.into_parts().1.map_into_boxed_body(),
                Err(e) => e.error_response(),
            };
            let id = res.headers().get(&REQUEST_ID).expect("a request id header");
            ids.push(id.to_str().unwrap().to_string());
        }
        (captured.lines(), ids)
    }

    /// The `request_id=` a log line names.
    fn id_in(line: &str) -> &str {
        let at = line
            .find("request_id=")
            .unwrap_or_else(|| panic!("no id: {line}"));
        let rest = &line[at + "request_id=".len()..];
        &rest[..rest.find([' ', '}']).unwrap_or(rest.len())]
    }

    #[actix_web::test]
    async fn one_line_a_request_with_method_route_status_and_latency_and_no_secrets() {
        let (lines, _) = logged(vec![
            test::TestRequest::get()
                .uri("/reset/SECRET-TOKEN?next=/QUERY-SECRET")
                .insert_header(("Cookie", "chronicle_session=COOKIE-SECRET"))
                .insert_header(("User-Agent", "AGENT-STRING")),
        ])
        .await;
        assert_eq!(lines.len(), 1, "{lines:?}");
        let line = &lines[0];
        assert!(line.contains(" INFO "), "{line}");
        assert!(
            line.contains("method=GET route=/reset/{token} status=200 latency_us="),
            "{line}"
        );
        for secret in [
            "SECRET-TOKEN",
            "QUERY-SECRET",
            "COOKIE-SECRET",
            "AGENT-STRING",
        ] {
            assert!(!line.contains(secret), "{secret} logged: {line}");
        }
    }

    #[actix_web::test]
    async fn refused_unrouted_and_failed_requests_are_logged_with_their_status() {
        let (lines, _) = logged(vec![
            test::TestRequest::post().uri("/reset/abc"),
            test::TestRequest::get().uri("/nowhere/42"),
            test::TestRequest::get().uri("/broken"),
        ])
        .await;
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].contains("method=POST route=/reset/{token} status=403"),
            "{}",
            lines[0]
        );
        assert!(!lines[0].contains("refused"), "{}", lines[0]);
        assert!(
            lines[1].contains("route=(no route) status=404"),
            "{}",
            lines[1]
        );
        assert!(!lines[1].contains("nowhere"), "{}", lines[1]);
        assert!(lines[2].contains(" ERROR "), "{}", lines[2]);
        assert!(
            lines[2].contains("route=/broken status=500"),
            "{}",
            lines[2]
        );
        assert!(
            lines[2].contains("error=the disk caught fire"),
            "{}",
            lines[2]
        );
    }

    #[actix_web::test]
    async fn each_request_gets_an_id_in_its_line_its_handlers_events_and_its_response() {
        let (lines, ids) = logged(vec![
            test::TestRequest::get().uri("/sign-in"),
            test::TestRequest::get().uri("/reset/abc"),
            test::TestRequest::post().uri("/reset/abc"),
        ])
        .await;
        assert_eq!(lines.len(), 4, "{lines:?}");
        // The handler's own event comes first, inside the request's span.
        assert!(lines[0].contains("logged in"), "{}", lines[0]);
        assert!(lines[0].contains("request{request_id="), "{}", lines[0]);
        assert!(
            lines[1].contains("route=/sign-in status=200"),
            "{}",
            lines[1]
        );
        assert_eq!(id_in(&lines[0]), ids[0]);
        assert_eq!(id_in(&lines[1]), ids[0]);
        assert_eq!(id_in(&lines[2]), ids[1]);
        assert_eq!(id_in(&lines[3]), ids[2], "a refused request too");
        assert!(lines[3].contains("status=403"), "{}", lines[3]);
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "{ids:?}");
        assert!(ids.iter().all(|id| id.parse::<u64>().is_ok()), "{ids:?}");
    }

    #[actix_web::test]
    async fn a_callers_plain_request_id_is_kept_and_any_other_replaced() {
        let with = |id: &str| {
            test::TestRequest::get()
                .uri("/reset/abc")
                .insert_header(("X-Request-Id", id))
        };
        let uuid = "6f1c1f9e-3b7a-4c2e-9d1a-0b5e8f2a7c44";
        let (lines, ids) = logged(vec![
            with(uuid),
            with("edge.proxy_7"),
            with("two words"),
            with("a=1 status=200"),
            with(""),
            with(&"x".repeat(65)),
        ])
        .await;
        assert_eq!(&ids[..2], [uuid, "edge.proxy_7"]);
        assert_eq!(id_in(&lines[0]), uuid);
        for (id, line) in ids[2..].iter().zip(&lines[2..]) {
            assert!(id.parse::<u64>().is_ok(), "replaced by a number: {id}");
            assert_eq!(id_in(line), id);
        }
        for forged in ["two words", "a=1", "xxxxxxxx"] {
            assert!(
                !lines.iter().any(|l| l.contains(forged)),
                "{forged}: {lines:?}"
            );
        }
    }
}
