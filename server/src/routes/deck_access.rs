//! Who may see a deck: a shipped deck, everyone signed in; an uploaded deck, its teacher and
//! the students of the classes it is assigned to. To anyone else it does not exist (404),
//! as another teacher's class does not. A shipped deck costs no query.

use crate::catalog::Catalog;
use crate::dataset::Deck;
use crate::db::{self, DbError};
use crate::ids::UserId;
use crate::routes::state::AppState;
use crate::web::error::PageError;
use std::collections::HashSet;
use std::sync::Arc;

/// True when `user_id` may see the deck `deck_id` (false for no such deck).
pub async fn may_see(
    state: &AppState,
    catalog: &Catalog,
    user_id: UserId,
    deck_id: &str,
) -> Result<bool, DbError> {
    if catalog.deck(deck_id).is_none() {
        return Ok(false);
    }
    match catalog.owner(deck_id) {
        None => Ok(true),
        Some(owner) if owner == user_id => Ok(true),
        Some(_) => Ok(visible(state, catalog, user_id)
            .await?
            .is_none_or(|v| v.contains(deck_id))),
    }
}

/// The uploaded decks `user_id` may see besides the shipped ones; `None` when no teacher has
/// uploaded a deck (every deck is visible, and no query is made).
pub async fn visible(
    state: &AppState,
    catalog: &Catalog,
    user_id: UserId,
) -> Result<Option<HashSet<String>>, DbError> {
    if !catalog.has_uploads() {
        return Ok(None);
    }
    let ids = db::run(&state.pool, move |conn| {
        db::teacher_decks::visible_to(conn, user_id)
    })
    .await?;
    Ok(Some(ids))
}

/// The decks `user_id` may see, shipped first, in catalog order.
pub async fn decks_of<'a>(
    state: &AppState,
    catalog: &'a Catalog,
    user_id: UserId,
) -> Result<Vec<&'a Deck>, DbError> {
    let visible = visible(state, catalog, user_id).await?;
    Ok(catalog
        .decks
        .iter()
        .filter(|d| {
            catalog.owner(&d.id).is_none()
                || visible.as_ref().is_none_or(|v| v.contains(d.id.as_str()))
        })
        .collect())
}

/// The catalog as `user_id` may see it, for pages that sum over every deck: the live one
/// when nobody has uploaded a deck, else a copy without the decks hidden from them.
pub async fn catalog_for(state: &AppState, user_id: UserId) -> Result<Arc<Catalog>, DbError> {
    let catalog = state.catalog();
    let Some(visible) = visible(state, &catalog, user_id).await? else {
        return Ok(catalog);
    };
    Ok(Arc::new(catalog.only(|d| {
        catalog.owner(&d.id).is_none() || visible.contains(d.id.as_str())
    })))
}

/// The deck a page asks for (`?deck=`), or the first shipped deck; 404 when the user may
/// not see it.
pub async fn chosen<'a>(
    state: &AppState,
    catalog: &'a Catalog,
    user_id: UserId,
    requested: Option<&str>,
) -> Result<&'a Deck, PageError> {
    match requested.filter(|d| !d.is_empty()) {
        Some(id) => {
            if !may_see(state, catalog, user_id, id).await? {
                return Err(PageError::NotFound);
            }
            catalog.deck(id).ok_or(PageError::NotFound)
        }
        None => catalog
            .shipped()
            .next()
            .or(catalog.decks.first())
            .ok_or(PageError::NotFound),
    }
}
