//! `POST /api/v1/sync`: upload reviews, receive the card states changed since your cursor.

use super::CardStateOut;
use crate::auth::api_user::ApiUser;
use crate::clock::now_ms;
use crate::db::{self, sync as store};
use crate::routes::state::AppState;
use crate::srs::Scheduler;
use crate::sync::cursor::Cursor;
use crate::sync::{IncomingReview, MAX_BATCH, Rejection, parse_device_id};
use crate::web::api_error::{ApiError, ErrorBody};
use actix_web::{HttpResponse, web};
use rusqlite::TransactionBehavior;
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SyncRequest {
    /// Stored with each review: which device answered it.
    pub device_id: String,
    /// The cursor from your last sync or deck download; absent the first time.
    #[serde(default)]
    pub cursor: Option<String>,
    /// At most 10,000 reviews. An empty list just downloads changes.
    #[serde(default)]
    pub reviews: Vec<IncomingReview>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RejectedReview {
    /// The review's id as you sent it.
    pub id: String,
    pub reason: Rejection,
    pub message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SyncResponse {
    /// Reviews stored by this request.
    pub accepted: usize,
    /// Reviews already stored (an earlier upload, or twice in this batch): ignored.
    pub duplicates: usize,
    /// Reviews refused, each with its reason; the rest of the batch was applied.
    pub rejected: Vec<RejectedReview>,
    /// Your card states changed since `cursor` (including by this batch), oldest first.
    pub changed: Vec<CardStateOut>,
    /// Send this as `cursor` next time.
    pub cursor: String,
}

/// Upload reviews and download changed card states, in one transaction.
///
/// New reviews are stored (idempotent by id), every card they touch is replayed from its
/// whole history in `answered_at` order, the transaction commits, and only then does the
/// reply go out. A client that lost the reply sends the same batch again: everything then
/// counts as a duplicate and the states come out the same. Bad reviews are rejected one by
/// one with a reason and the rest applied; a malformed body or a batch over the limit is
/// refused whole and changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/sync",
    tag = "sync",
    request_body = SyncRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Stored and replayed", body = SyncResponse),
        (status = 400, description = "`malformed_json`, `invalid_request` or `bad_cursor`: nothing stored", body = ErrorBody),
        (status = 401, description = "No live credentials", body = ErrorBody),
        (status = 403, description = "Session cookie without the X-CSRF-Token header (`csrf`)", body = ErrorBody),
        (status = 413, description = "`body_too_large` (over 8 MiB) or `batch_too_large` (over 10,000 reviews): nothing stored", body = ErrorBody),
    )
)]
pub async fn sync(
    user: ApiUser,
    state: web::Data<AppState>,
    body: web::Json<SyncRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.reviews.len() > MAX_BATCH {
        return Err(ApiError::TooLarge(
            "batch_too_large",
            format!(
                "{} reviews in one batch; send at most {MAX_BATCH} at a time",
                body.reviews.len()
            ),
        ));
    }
    let device = parse_device_id(&body.device_id).map_err(ApiError::invalid)?;
    let cursor = body
        .cursor
        .as_deref()
        .map(Cursor::parse)
        .transpose()
        .map_err(|e| ApiError::BadRequest("bad_cursor", e.to_string()))?;
    let catalog = state.catalog.clone();
    let scheduler = Scheduler::new(user.desired_retention);
    let exit_after_commit = state.settings.exit_after_sync_commit;
    let user_id = user.id;
    let sent = body.reviews.len();
    let (outcome, changed, seq) = db::run(&state.pool, move |conn| {
        // Immediate: take the write lock now rather than fail to upgrade a read lock later.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let since = Cursor::since(cursor, store::current_seq(&tx, user_id)?);
        let outcome = store::apply(
            &tx,
            &scheduler,
            user_id,
            &device,
            &body.reviews,
            now_ms(),
            |card| catalog.card(card).is_some(),
        )?;
        let changed = store::changed_since(&tx, user_id, since)?;
        let seq = store::current_seq(&tx, user_id)?;
        tx.commit()?;
        // The failure the retry test needs: committed, and the reply never sent. Compiled
        // into debug builds only, so the release binary carries no way to stop itself.
        #[cfg(debug_assertions)]
        if exit_after_commit {
            tracing::warn!("exiting after a sync commit, as the test setting asks");
            std::process::exit(75);
        }
        #[cfg(not(debug_assertions))]
        let _ = exit_after_commit;
        Ok((outcome, changed, seq))
    })
    .await?;
    tracing::info!(
        user_id,
        sent,
        accepted = outcome.accepted,
        duplicates = outcome.duplicates,
        rejected = outcome.rejected.len(),
        changed = changed.len(),
        "synced"
    );
    Ok(HttpResponse::Ok().json(SyncResponse {
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
        rejected: outcome
            .rejected
            .into_iter()
            .map(|r| RejectedReview {
                id: r.id,
                reason: r.reason,
                message: r.reason.message().to_string(),
            })
            .collect(),
        changed: changed.into_iter().map(CardStateOut::from).collect(),
        cursor: Cursor::at(seq).to_string(),
    }))
}
