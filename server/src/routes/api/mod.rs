//! The JSON API under `/api/v1`: device tokens, deck download and the study pack, sync, and
//! the OpenAPI description of all of it. Every error is JSON (`error.rs`).

pub mod decks;
pub mod openapi;
pub mod sync;
pub mod tokens;

use crate::db::sync::Changed;
use crate::web::api_error::{ApiError, json_error};
use actix_web::web;
use serde::Serialize;

/// Bodies of every endpoint but sync are small forms in JSON.
const SMALL_BODY_BYTES: usize = 16 * 1024;

/// Registers the API's routes. Each resource answers other methods with 405, and unknown paths
/// with a JSON 404, so an API client never gets an HTML page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // Other methods get 405 with the `Allow` header that RFC 9110 asks for.
    let not_allowed = |allow: &'static str| {
        web::to(move || async move { Err::<String, _>(ApiError::MethodNotAllowed(allow)) })
    };
    cfg.service(
        web::scope("/api/v1")
            .app_data(
                web::JsonConfig::default()
                    .limit(SMALL_BODY_BYTES)
                    .error_handler(|e, _| json_error(e).into()),
            )
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                ApiError::BadRequest("invalid_request", e.to_string()).into()
            }))
            .app_data(
                web::PathConfig::default().error_handler(|e, _| {
                    ApiError::NotFound(format!("no such resource: {e}")).into()
                }),
            )
            .service(
                web::resource("/openapi.json")
                    .route(web::get().to(openapi::document))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/tokens")
                    .route(web::post().to(tokens::create))
                    .default_service(not_allowed("POST")),
            )
            .service(
                web::resource("/tokens/{id}")
                    .route(web::delete().to(tokens::revoke))
                    .default_service(not_allowed("DELETE")),
            )
            .service(
                web::resource("/session")
                    .route(web::get().to(tokens::session))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/decks")
                    .route(web::get().to(decks::list))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/decks/{id}/cards")
                    .route(web::get().to(decks::cards))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/study-pack")
                    .route(web::get().to(decks::study_pack))
                    .default_service(not_allowed("GET")),
            )
            .service(
                web::resource("/sync")
                    .app_data(
                        web::JsonConfig::default()
                            .limit(crate::sync::MAX_BODY_BYTES)
                            .error_handler(|e, _| json_error(e).into()),
                    )
                    .route(web::post().to(sync::sync))
                    .default_service(not_allowed("POST")),
            )
            .default_service(web::to(|| async {
                Err::<String, _>(ApiError::NotFound("no such endpoint".into()))
            })),
    );
}

/// A learner's scheduling state for one card, as the API sends it. Times are unix seconds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CardStateOut {
    pub card_id: String,
    pub stability: f32,
    pub difficulty: f32,
    /// When the card is next due (unix seconds).
    pub due: i64,
    pub last_review: i64,
    pub reps: u32,
    pub lapses: u32,
    /// `learning`, `review` or `relearning`.
    pub phase: String,
}

impl From<Changed> for CardStateOut {
    fn from(c: Changed) -> Self {
        CardStateOut {
            card_id: c.card_id,
            stability: c.state.stability,
            difficulty: c.state.difficulty,
            due: c.state.due,
            last_review: c.state.last_review,
            reps: c.state.reps,
            lapses: c.state.lapses,
            phase: c.state.phase.as_str().to_string(),
        }
    }
}
