//! `POST /api/v1/sync`: upload reviews, receive the card states changed since your cursor.

use super::CardStateOut;
use crate::auth::api_user::ApiUser;
use crate::catalog::seed_for;
use crate::clock::Instant;
use crate::db;
use crate::ids::UserId;
use crate::routes::state::AppState;
use crate::study;
use crate::sync::cursor::Cursor;
use crate::sync::{IncomingReview, MAX_BATCH, Rejection, answers, parse_device_id};
use crate::web::api_error::{ApiError, ErrorBody};
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SyncRequest {
    /// Stored with each review: which device answered it. 1 to 64 characters, not all
    /// spaces, no control characters.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub device_id: String,
    /// The cursor from your last sync or deck download; absent the first time.
    #[serde(default)]
    #[schema(pattern = r"^c[0-9]{1,18}(-d[0-9a-fA-F]{16})?$")]
    pub cursor: Option<String>,
    /// At most 10,000 reviews (`413 batch_too_large`). An empty list just downloads changes.
    #[serde(default)]
    #[schema(max_items = 10000)]
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

/// Replaces each answer the learner could not have given with an empty one (see
/// `sync::answers`): a multiple-choice card's answer must be one of the choices of the
/// learner's recent draws of its question. Draws are made newest first, once per card and
/// batch, and only until the answer is found (an answer from the pack the device holds is in
/// the newest draw): each draw generates a question, which was most of a fresh 10,000-review
/// sync's time. A chronology offers no choices, so its answers go without drawing.
fn keep_only_possible_answers(
    conn: &rusqlite::Connection,
    catalog: &crate::catalog::Catalog,
    user_id: UserId,
    reviews: &mut [IncomingReview],
) -> rusqlite::Result<()> {
    use std::collections::{HashMap, HashSet};
    /// The choices of a card's draws made so far, and the draws still to make.
    struct Draws {
        made: HashSet<String>,
        to_make: std::iter::Rev<std::ops::Range<u32>>,
    }
    let mut cards: HashMap<&str, Option<Draws>> = HashMap::new();
    for r in reviews.iter_mut().filter(|r| !r.given_answer.is_empty()) {
        let draws = match cards.entry(r.card_id.as_str()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let draws = match catalog.card(&r.card_id) {
                    Some(card) if answers::multiple_choice_only(card.kind) => {
                        let to_make = if answers::never_a_choice(card.kind) {
                            (0..0).rev()
                        } else {
                            let reps = crate::db::study::card_state(conn, user_id, &r.card_id)?
                                .map_or(0, |s| s.reps);
                            (reps.saturating_sub(answers::DRAWS_BACK)..reps.saturating_add(1)).rev()
                        };
                        Some(Draws {
                            made: HashSet::new(),
                            to_make,
                        })
                    }
                    _ => None,
                };
                e.insert(draws)
            }
        };
        let allowed = match draws {
            Some(draws) => {
                let wanted = r.given_answer.trim();
                if crate::text::forbidden_char(&r.given_answer).is_none() {
                    while !draws.made.contains(wanted) {
                        let Some(n) = draws.to_make.next() else { break };
                        let seed = seed_for(user_id, &r.card_id, n);
                        if let Some(q) = catalog.question(&r.card_id, seed) {
                            draws.made.extend(q.choices);
                        }
                    }
                }
                Some(&draws.made)
            }
            None => None,
        };
        // Kept as it came, or emptied: no copy of the text either way.
        if answers::stored(&r.given_answer, allowed).is_empty() {
            r.given_answer.clear();
        }
    }
    Ok(())
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
        (status = 415, description = "`unsupported_media_type`: the body is not `application/json`", body = ErrorBody),
        (status = 503, description = "`disk_full`: nothing stored; try again later", body = ErrorBody),
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
    let catalog = state.catalog();
    // A card of an uploaded deck the learner may not see is as unknown as no card at all.
    let visible = crate::routes::deck_access::visible(&state, &catalog, user.id).await?;
    let exit_after_commit = state.settings.exit_after_sync_commit;
    let user_id = user.id;
    let sent = body.reviews.len();
    let learners = std::sync::Arc::clone(&state.learners);
    let synced = db::run(&state.pool, move |conn| {
        let synced = study::sync(
            conn,
            user_id,
            &device,
            body.reviews,
            cursor,
            Instant::now(),
            |card| {
                catalog.card(card).is_some_and(|c| {
                    catalog.owner(&c.deck_id).is_none_or(|o| {
                        o == user_id
                            || visible
                                .as_ref()
                                .is_none_or(|v| v.contains(c.deck_id.as_str()))
                    })
                })
            },
            |tx, reviews| keep_only_possible_answers(tx, &catalog, user_id, reviews),
        );
        // The batch's reviews and states are in (or nothing is): read the learner's
        // numbers again either way.
        learners.forget(user_id);
        let synced = synced?;
        // The failure the retry test needs: committed, and the reply never sent. Compiled
        // into debug builds only, so the release binary carries no way to stop itself.
        #[cfg(debug_assertions)]
        if exit_after_commit {
            tracing::warn!("exiting after a sync commit, as the test setting asks");
            std::process::exit(75);
        }
        #[cfg(not(debug_assertions))]
        let _ = exit_after_commit;
        Ok(synced)
    })
    .await?;
    let study::Synced {
        outcome,
        changed,
        seq,
    } = synced;
    tracing::info!(
        user_id = %user_id,
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
