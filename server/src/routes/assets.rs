//! The stylesheet and script, compiled into the binary so the app is one file to deploy.

use actix_web::HttpResponse;

const STYLE: &str = include_str!("../../../static/style.css");
const SCRIPT: &str = include_str!("../../../static/app.js");

fn asset(body: &'static str, content_type: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(body)
}

pub async fn style() -> HttpResponse {
    asset(STYLE, "text/css; charset=utf-8")
}

pub async fn script() -> HttpResponse {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

/// A 32 px icon (a PNG inside an ICO, which every current browser reads), so the browser's
/// automatic `/favicon.ico` request finds something instead of a 404 page.
const FAVICON: &[u8] = include_bytes!("../../../static/favicon.ico");

pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/x-icon")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(FAVICON)
}
