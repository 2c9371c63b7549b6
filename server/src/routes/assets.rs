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
