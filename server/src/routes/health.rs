//! `GET /healthz`: the process is up and the database answers.

use crate::db;
use crate::routes::state::AppState;
use actix_web::{HttpResponse, web};

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let ok = db::run(&state.pool, |conn| {
        Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)
    })
    .await
    .is_ok();
    if ok {
        HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "database unavailable"}))
    }
}
