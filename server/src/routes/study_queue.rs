//! Which cards a study session draws from (a deck, the missed list, an assignment) and where
//! it stands: the next card, how many are done today and how many are left.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::ids::{AssignmentId, CardId};

use crate::db::classes::{self as class_store, Assignment};
use crate::focus::Focus;
use crate::routes::classes::assignment as assignments;
use crate::routes::state::AppState;
use crate::srs::CardState;
use crate::srs::queue;
use crate::study::summary::Summary;
use crate::web::error::PageError;
use serde::Deserialize;

/// `?deck=`, `?mode=missed|flashcard`, `?assignment=ID`.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct StudyQuery {
    #[serde(default)]
    pub deck: Option<String>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub assignment: Option<String>,
}

/// An assignment being studied, and when the learner joined its class.
pub type AssignmentScope = Option<(Assignment, i64)>;

/// The assignment named in a query or form, checked against the learner's classes.
pub async fn assignment_scope(
    state: &AppState,
    user: &CurrentUser,
    raw: Option<&str>,
) -> Result<AssignmentScope, PageError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(id) => {
            let id: AssignmentId = id.parse().map_err(|_| PageError::NotFound)?;
            Ok(Some(assignments::for_study(state, user, id).await?))
        }
    }
}

pub fn study_url(deck_id: &str, mode: Mode, scope: &AssignmentScope, focus: &Focus) -> String {
    let url = match (scope, mode) {
        (Some((a, _)), _) => return format!("/study?assignment={}", a.id),
        (None, Mode::Normal) => format!("/study?deck={deck_id}"),
        (None, _) => format!("/study?deck={deck_id}&mode={}", mode.as_str()),
    };
    match focus.query() {
        q if q.is_empty() => url,
        q => format!("{url}&{q}"),
    }
}

/// The learner's choice of cards from the request, checked against the deck.
pub fn focus_of(query: &str, catalog: &Catalog, deck_id: &str) -> Result<Focus, PageError> {
    let focus = Focus::parse(query).map_err(PageError::BadRequest)?;
    let deck = catalog.deck(deck_id).ok_or(PageError::NotFound)?;
    // The usual queue names nothing to check (and checking gathered every name of the deck).
    if focus.is_whole_deck() {
        return Ok(focus);
    }
    let cards: Vec<_> = catalog.deck_cards(deck_id).collect();
    focus.check(deck, &cards).map_err(PageError::BadRequest)?;
    Ok(focus)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Flashcard,
    Missed,
}

impl Mode {
    pub fn parse(s: Option<&str>) -> Mode {
        match s {
            Some("flashcard") => Mode::Flashcard,
            Some("missed") => Mode::Missed,
            _ => Mode::Normal,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Normal => "",
            Mode::Flashcard => "flashcard",
            Mode::Missed => "missed",
        }
    }
}

/// What the queue says about one deck (or the missed list) right now.
pub struct Position {
    pub next: Option<(String, Option<CardState>)>,
    pub done_today: i64,
    pub remaining: usize,
    /// Cards "study more" would still offer: every new one and those not due yet. Counted
    /// only when there is no next card (0 otherwise), as only then is it shown.
    pub more_left: usize,
}

/// Where the learner stands: in an assignment (its cards and progress read from the
/// database), or else from their summary alone ([`locate_own`]).
#[allow(clippy::too_many_arguments)]
pub fn locate(
    conn: &rusqlite::Connection,
    summary: &Summary,
    catalog: &Catalog,
    user: &CurrentUser,
    deck_id: &str,
    mode: Mode,
    scope: &AssignmentScope,
    focus: &Focus,
    now: i64,
) -> rusqlite::Result<Position> {
    let Some((a, joined_at)) = scope else {
        return Ok(locate_own(
            summary, catalog, user, deck_id, mode, focus, now,
        ));
    };
    let finished = class_store::finished_cards(conn, user.id, a, *joined_at)?;
    let cards: std::collections::HashSet<CardId> = class_store::assignment_cards(conn, a.id)?
        .into_iter()
        .collect();
    // Looked up by the deck's own cards only, so states of other decks do no harm.
    let states = summary.states();
    let candidates = queue::candidates(
        catalog.deck_cards(&a.deck_id),
        states,
        |c| cards.contains(&c.id) && !finished.contains(&c.id),
        queue::learner_seed(user.id),
    );
    let plan = queue::plan_assignment(&candidates, now);
    let done = catalog
        .deck_cards(&a.deck_id)
        .filter(|c| cards.contains(&c.id) && finished.contains(&c.id))
        .count();
    Ok(Position {
        next: plan
            .next()
            .map(|id| (id.to_string(), states.get(id).copied())),
        done_today: done as i64,
        remaining: plan.remaining(),
        more_left: 0,
    })
}

/// Where the learner stands in a deck or their missed list: from their summary and the
/// catalog alone, so with no database (a study page of a kept summary needs none).
pub fn locate_own(
    summary: &Summary,
    catalog: &Catalog,
    user: &CurrentUser,
    deck_id: &str,
    mode: Mode,
    focus: &Focus,
    now: i64,
) -> Position {
    if mode == Mode::Missed {
        // Oldest miss first, so a card missed again goes to the back of the line; the cards
        // the decks offer now only (retired ones are off the list).
        let missed = summary.missed_oldest_first(|c| catalog.card(c).is_some());
        return Position {
            next: missed
                .first()
                .map(|&id| (id.to_string(), summary.state(id))),
            done_today: summary.answered_today(None).answers,
            remaining: missed.len(),
            more_left: 0,
        };
    }
    // Looked up by the deck's own cards (`candidates`) only, so states of other decks and
    // retired cards do no harm; finding each state's deck was a tenth of the study pages' CPU.
    let states = summary.states();
    let new_allowed = (user.new_per_day - summary.new_today()).max(0) as usize;
    let chosen = catalog
        .deck(deck_id)
        .and_then(|deck| focus.cards(deck, catalog.deck_cards(deck_id)));
    let seed = queue::learner_seed(user.id);
    let positions =
        || catalog.new_card_positions(deck_id, seed, |cards| queue::positions(cards, seed));
    // The usual queue, planned from the learner's states of the deck alone; the page that
    // says "done for today" (no next card) counts what "study more" offers below.
    if chosen.is_none()
        && !focus.more()
        && let Some(order) = positions()
        && let Some(places) = catalog.deck_places(deck_id)
    {
        let seen = states
            .iter()
            .filter_map(|(id, s)| places.place(id).map(|place| (place, id, *s)));
        let glance = queue::glance_deck(&order, seen, now, new_allowed);
        let next = match glance.next {
            Some(queue::Pick::Seen(id)) => Some(id),
            Some(queue::Pick::New(place)) => places.card(place).map(|c| &c.id),
            None => None,
        };
        if let Some(next) = next {
            return Position {
                next: Some((next.to_string(), states.get(next).copied())),
                done_today: summary.answered_today(Some(deck_id)).answers,
                remaining: glance.remaining,
                more_left: 0,
            };
        }
    }
    let candidates = match &chosen {
        Some(ids) => queue::candidates(
            catalog.deck_cards(deck_id),
            states,
            |c| ids.contains(&c.id),
            seed,
        ),
        // The whole deck: the learner's order of it is kept by the catalog, built once.
        None => match positions() {
            Some(order) => queue::candidates_at(catalog.deck_cards(deck_id), &order, states),
            None => Vec::new(),
        },
    };
    // "Study more" lifts the new-card limit and asks cards before they are due, as an
    // assignment does; the plain queue stops at today's plan.
    let plan = if focus.more() {
        queue::plan_assignment(&candidates, now)
    } else {
        queue::plan(&candidates, now, new_allowed)
    };
    let next = plan.next();
    // Only the "done for today" page offers to study more, so only then is it counted.
    let more_left = match next {
        Some(_) => 0,
        None => queue::plan_assignment(&candidates, now).remaining(),
    };
    Position {
        next: next.map(|id| (id.to_string(), states.get(id).copied())),
        done_today: summary.answered_today(Some(deck_id)).answers,
        remaining: plan.remaining(),
        more_left,
    }
}

pub fn progress_label(mode: Mode, scope: &AssignmentScope, done: i64, remaining: usize) -> String {
    if scope.is_some() {
        return format!("{done} of {} cards done", done + remaining as i64);
    }
    match mode {
        Mode::Missed => format!("{remaining} missed left"),
        _ => format!("{} of {}", done + 1, done + remaining as i64),
    }
}

pub fn chosen_deck<'a>(
    catalog: &'a Catalog,
    deck: Option<&str>,
) -> Result<&'a crate::dataset::Deck, PageError> {
    match deck.filter(|d| !d.is_empty()) {
        Some(id) => catalog.deck(id).ok_or(PageError::NotFound),
        None => catalog.decks.first().ok_or(PageError::NotFound),
    }
}
