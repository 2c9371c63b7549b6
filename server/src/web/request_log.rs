//! One log line per request: method, route, status and latency.
//!
//! The route is the pattern that matched (`/reset/{token}`), never the path, so that ids,
//! reset tokens and join codes in paths stay out of the log, as do query strings, cookies
//! and headers. This replaced `tracing-actix-web`, whose span per request formatted sixteen
//! fields (a request id, the client's address, the user agent, the full target ...) and
//! whose closing line took over a quarter of the server's CPU on a signed-in page that
//! reads nothing (`GET /study/offline`) under `wrk`.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use std::time::Instant;

/// What a request that matched no route is logged as.
const NO_ROUTE: &str = "(no route)";

/// The middleware (`from_fn(request_log)`); wrap it outermost so that it also sees the
/// requests other middleware refuse.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let start = Instant::now();
    let method = req.method().clone();
    // Matched before the call: the request moves into it. Routing a path is a few string
    // comparisons for the static routes in front of the table.
    let route = req.match_pattern();
    let result = next.call(req).await;
    let latency_us = start.elapsed().as_micros() as u64;
    let route = route.as_deref().unwrap_or(NO_ROUTE);
    let (status, error) = match &result {
        Ok(res) => (res.status(), res.response().error()),
        Err(e) => (e.as_response_error().status_code(), Some(e)),
    };
    log(method.as_str(), route, status, latency_us, error);
    result
}

fn log(method: &str, route: &str, status: StatusCode, latency_us: u64, error: Option<&Error>) {
    let code = status.as_u16();
    match error {
        Some(e) if status.is_server_error() => {
            tracing::error!(%method, %route, status = code, latency_us, error = %e, "request")
        }
        _ => tracing::info!(%method, %route, status = code, latency_us, "request"),
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

    /// Requests to a small app behind the middleware, and the lines they logged.
    async fn logged(requests: Vec<test::TestRequest>) -> Vec<String> {
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
                ),
        )
        .await;
        for req in requests {
            // A refusal comes back as an error, which the server would turn into its page.
            let _ = actix_web::dev::Service::call(&app, req.to_request()).await;
        }
        captured.lines()
    }

    #[actix_web::test]
    async fn one_line_a_request_with_method_route_status_and_latency_and_no_secrets() {
        let lines = logged(vec![
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
        let lines = logged(vec![
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
}
