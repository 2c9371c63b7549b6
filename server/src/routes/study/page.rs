//! The study page: `GET /study` shows one card at a time, `POST /study/answer` appends the
//! answer to the review log and shows the result.

use crate::auth::extract::CurrentUser;
use crate::catalog::{Catalog, seed_for};
use crate::clock::{Instant, now};
use crate::db::{self, study as store};
use crate::focus::Focus;
use crate::ids::{AssignmentId, DeckId, ReviewId};
use crate::questions::{Question, SourceRef, answer};
use crate::routes::state::AppState;
use crate::routes::study::grade::{AnswerForm, Graded, grade};
use crate::routes::study::notes::{EventNote, OrderedEvent, event_notes, ordered_events};
use crate::routes::study_queue::{
    AssignmentScope, Mode, Position, StudyQuery, assignment_scope, chosen_deck, focus_of, locate,
    locate_own, progress_label, study_url,
};
use crate::srs::{CardState, Presentation};
use crate::study;
use crate::study::summary::{self, Summary};
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use std::sync::Arc;

/// Shown above the next card when a form arrives for a card that has moved on.
pub const STALE_MESSAGE: &str = "This card was answered meanwhile, in another tab or on \
    another device, so this answer was not saved. Here is the card to study now.";

#[derive(Template, WebTemplate)]
#[template(path = "study.html")]
struct StudyPage {
    page: PageCtx,
    deck_id: DeckId,
    deck_title: String,
    mode: &'static str,
    assignment_id: Option<AssignmentId>,
    card_id: String,
    review_id: String,
    reps: u32,
    shown_at: i64,
    presentation: &'static str,
    prompt: String,
    /// Chronology: the events to place, each with a position picker.
    slots: Vec<OrderSlot>,
    /// The positions a picker offers, 1 (earliest) to the number of events.
    positions: Vec<usize>,
    choices: Vec<String>,
    typed_hint: &'static str,
    back: String,
    /// On a flashcard's back: the right order of a chronology, with dates.
    back_order: Vec<OrderedEvent>,
    /// On a flashcard's back: where the sources disagree, and the sources.
    notes: Vec<EventNote>,
    sources: Vec<SourceRef>,
    error: Option<String>,
    /// The learner's choice of cards as a query string, carried by the answer form.
    focus: String,
    /// That choice in words; empty for the whole deck.
    focus_label: String,
    progress_label: String,
    progress_done: i64,
    progress_total: i64,
    progress_percent: i64,
}

/// One event of a chronology question and the position picker beside it.
struct OrderSlot {
    title: String,
    /// The form field (`order_0` ...) and the element id (`order-0` ...).
    index: usize,
    /// What the learner chose before a form error, kept when the question is shown again.
    chosen: Option<usize>,
}

/// A form that could not be graded: the message, and the positions chosen so far.
struct Retry {
    message: String,
    order: Vec<Option<usize>>,
}

#[derive(Template, WebTemplate)]
#[template(path = "study_done.html")]
struct DonePage {
    page: PageCtx,
    missed_mode: bool,
    message: String,
    /// "Study more" (past today's plan), with how many cards that offers; none when nothing is left.
    more_url: Option<String>,
    more_left: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "study_result.html")]
struct ResultPage {
    page: PageCtx,
    correct: bool,
    /// "Right", "Not quite", or "Again" for a flashcard graded Again (the learner's own word).
    verdict: &'static str,
    prompt: String,
    given: String,
    answer: String,
    /// Chronology: the right order with the dates, shown instead of `answer`.
    order: Vec<OrderedEvent>,
    events: Vec<EventNote>,
    sources: Vec<SourceRef>,
    next_url: String,
    progress_label: String,
}

fn typed_hint(q: &Question) -> &'static str {
    match &q.expected {
        answer::Expected::Date(d) => match d.precision() {
            crate::dataset::Precision::Day => "a date, e.g. 7 January 1979",
            crate::dataset::Precision::Month => "a month and year, e.g. January 1979",
            crate::dataset::Precision::Year => "a year",
        },
        answer::Expected::DateSpan { .. } => "a date or a span, e.g. 1981–1982",
        answer::Expected::Number { .. } => "a number",
        _ => "",
    }
}

#[allow(clippy::too_many_arguments)]
fn study_page(
    user: &CurrentUser,
    deck: &crate::dataset::Deck,
    mode: Mode,
    scope: &AssignmentScope,
    card_id: &str,
    state: Option<&CardState>,
    question: &Question,
    pos: &Position,
    focus: &Focus,
    retry: Option<Retry>,
) -> StudyPage {
    let presentation = Presentation::choose(question.kind, state, mode == Mode::Flashcard);
    let reps = state.map_or(0, |s| s.reps);
    let kept = retry.as_ref().map(|r| r.order.clone()).unwrap_or_default();
    let slots = question
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| OrderSlot {
            title: item.title.clone(),
            index,
            chosen: kept.get(index).copied().flatten(),
        })
        .collect();
    let flashcard = presentation == Presentation::Flashcard;
    let total = pos.done_today + pos.remaining as i64;
    StudyPage {
        page: user.page_ctx(),
        deck_id: deck.id.clone(),
        deck_title: deck.title.clone(),
        mode: mode.as_str(),
        card_id: card_id.to_string(),
        review_id: ReviewId::new_random().to_string(),
        reps,
        // Whole seconds, as the form has always carried it.
        shown_at: Instant::from_secs(now()).ms(),
        presentation: presentation.as_str(),
        // In flashcard mode any card is a flashcard: the question in front, its answer behind.
        prompt: question.prompt.clone(),
        slots,
        positions: (1..=question.items.len()).collect(),
        choices: question.choices.clone(),
        typed_hint: typed_hint(question),
        back: question.answer.clone(),
        back_order: if flashcard {
            ordered_events(question)
        } else {
            Vec::new()
        },
        notes: if flashcard {
            event_notes(deck, question)
        } else {
            Vec::new()
        },
        sources: if flashcard {
            question.sources.clone()
        } else {
            Vec::new()
        },
        error: retry.map(|r| r.message),
        focus: focus.query(),
        focus_label: if focus.is_whole_deck() && !focus.more() {
            String::new()
        } else {
            focus.describe(deck)
        },
        progress_label: progress_label(mode, scope, pos.done_today, pos.remaining),
        assignment_id: scope.as_ref().map(|(a, _)| a.id),
        progress_done: pos.done_today,
        progress_total: total.max(1),
        progress_percent: (pos.done_today * 100) / total.max(1),
    }
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<StudyQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let mode = Mode::parse(query.mode.as_deref());
    let scope = assignment_scope(&state, &user, query.assignment.as_deref()).await?;
    let deck_choice = match &scope {
        Some((a, _)) => Some(a.deck_id.as_str()),
        None => query.deck.as_deref(),
    };
    // Borrowed from the shared catalog: a deck holds every event, too much to copy per request.
    let deck = chosen_deck(&catalog, deck_choice)?;
    // An uploaded deck is its teacher's and their classes' only (a shipped one costs no query).
    if !crate::routes::deck_access::may_see(&state, &catalog, user.id, &deck.id).await? {
        return Err(PageError::NotFound);
    }
    let focus = if scope.is_some() || mode == Mode::Missed {
        Focus::default()
    } else {
        focus_of(req.query_string(), &catalog, &deck.id)?
    };
    let now = now();
    // A kept summary answers the usual queue on this thread, with no database at all.
    let kept = match &scope {
        None => state.learners.peek(user.id, &user.clock, now, |summary| {
            locate_own(summary, &catalog, &user, &deck.id, mode, &focus, now)
        }),
        Some(_) => None,
    };
    let pos = match kept {
        Some(pos) => pos,
        None => {
            let lookup_focus = focus.clone();
            let lookup_scope = scope.clone();
            let deck_id = deck.id.clone();
            let lookup_user = user.clone();
            let lookup_catalog = Arc::clone(&catalog);
            let learners = Arc::clone(&state.learners);
            db::run(&state.pool, move |conn| {
                let (id, clock) = (lookup_user.id, lookup_user.clock.clone());
                Ok(learners.hold(conn, id, &clock, now, |conn, summary| {
                    locate(
                        conn,
                        summary,
                        &lookup_catalog,
                        &lookup_user,
                        &deck_id,
                        mode,
                        &lookup_scope,
                        &lookup_focus,
                        now,
                    )
                })?)
            })
            .await?
        }
    };
    render_next(&user, &catalog, deck, mode, &scope, &focus, pos, None)
}

#[allow(clippy::too_many_arguments)]
fn render_next(
    user: &CurrentUser,
    catalog: &Catalog,
    deck: &crate::dataset::Deck,
    mode: Mode,
    scope: &AssignmentScope,
    focus: &Focus,
    pos: Position,
    retry: Option<Retry>,
) -> Result<HttpResponse, PageError> {
    let Some((card_id, card_state)) = &pos.next else {
        let message = match (scope, mode) {
            (Some((a, _)), _) => format!(
                "You have finished “{}”: every card meets the goal ({}).",
                a.title,
                a.goal.describe()
            ),
            (None, Mode::Missed) => {
                "Every question you missed has since been answered right.".to_string()
            }
            (None, _) => format!(
                "You answered {} question{} in this deck today. Come back when more cards are due.",
                pos.done_today,
                if pos.done_today == 1 { "" } else { "s" }
            ),
        };
        let more_url = (scope.is_none() && mode != Mode::Missed && pos.more_left > 0).then(|| {
            let mut more = focus.clone();
            more.more = Some("1".into());
            study_url(&deck.id, mode, scope, &more)
        });
        let page = DonePage {
            page: user.page_ctx(),
            missed_mode: mode == Mode::Missed,
            message,
            more_url,
            more_left: pos.more_left,
        };
        return html(&page);
    };
    let reps = card_state.map_or(0, |s| s.reps);
    let question = catalog
        .question_kept(card_id, seed_for(user.id, card_id, reps))
        .ok_or(PageError::NotFound)?;
    let card_deck = catalog
        .card(card_id)
        .and_then(|c| catalog.deck(&c.deck_id))
        .unwrap_or(deck);
    let page = study_page(
        user,
        card_deck,
        mode,
        scope,
        card_id,
        card_state.as_ref(),
        &question,
        &pos,
        focus,
        retry,
    );
    html(&page)
}

enum Outcome {
    Recorded {
        graded: Graded,
        pos: Position,
    },
    /// The card was answered meanwhile (another tab or device): nothing was written.
    Stale {
        pos: Position,
    },
    Invalid {
        retry: Retry,
        pos: Position,
    },
}

pub async fn answer(
    user: CurrentUser,
    state: web::Data<AppState>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    user.verify_csrf(&form.csrf_token)?;
    let catalog = state.catalog();
    let bad = |m: &str| PageError::BadRequest(m.to_string());
    let card = catalog
        .card(&form.card_id)
        .ok_or_else(|| bad("That card does not exist."))?
        .clone();
    if !crate::routes::deck_access::may_see(&state, &catalog, user.id, &card.deck_id).await? {
        return Err(PageError::NotFound);
    }
    let review_id = ReviewId::parse(form.review_id.trim())
        .ok_or_else(|| bad("The form is missing its review id."))?;
    let reps: u32 = form
        .reps
        .trim()
        .parse()
        .map_err(|_| bad("The form is missing its card position."))?;
    let mode = Mode::parse(Some(form.mode.as_str()));
    let scope = assignment_scope(&state, &user, Some(form.assignment.as_str())).await?;
    // In missed mode the queue spans decks; otherwise it is the deck the form names.
    let deck = chosen_deck(
        &catalog,
        Some(form.deck.as_str()).filter(|_| mode != Mode::Missed),
    )
    .or_else(|_| chosen_deck(&catalog, Some(&card.deck_id)))?;
    let question = catalog
        .question_kept(&card.id, seed_for(user.id, &card.id, reps))
        .ok_or(PageError::NotFound)?;
    let focus = if scope.is_some() || mode == Mode::Missed {
        Focus::default()
    } else {
        focus_of(&form.focus, &catalog, &deck.id)?
    };
    let db_focus = focus.clone();
    let answered = Instant::now();
    let answered_at = answered.secs();
    let duration_ms = form
        .shown_at
        .trim()
        .parse::<i64>()
        .map(|shown| {
            let taken = answered - Instant::from_ms(shown);
            taken.whole_milliseconds().clamp(0, 3_600_000) as i64
        })
        .unwrap_or(0);

    let db_user = user.clone();
    let db_catalog = Arc::clone(&catalog);
    let db_deck_id = deck.id.clone();
    let db_question = question.clone();
    let db_scope = scope.clone();
    let learners = Arc::clone(&state.learners);
    let card_deck_id = card.deck_id.clone();
    let outcome = db::run(&state.pool, move |conn| {
        let (user_id, clock) = (db_user.id, db_user.clock.clone());
        // The learner's summary is held from the state shown to the queue after the
        // commit, so no other request of theirs sees the answer half counted.
        Ok(
            learners.hold(conn, user_id, &clock, answered_at, |conn, summary| {
                let card_id = db_question.id.as_str();
                let previous = summary.state(card_id);
                let locate_now = |conn: &rusqlite::Connection, summary: &Summary| {
                    locate(
                        conn,
                        summary,
                        &db_catalog,
                        &db_user,
                        &db_deck_id,
                        mode,
                        &db_scope,
                        &db_focus,
                        answered_at,
                    )
                };
                let presentation = Presentation::choose(
                    db_question.kind,
                    previous.as_ref(),
                    mode == Mode::Flashcard,
                );
                let graded = match grade(&db_question, presentation, &form) {
                    Ok(g) => g,
                    Err(message) => {
                        let pos = locate_now(conn, summary)?;
                        // A form for a card that has moved on is stale, whatever it holds.
                        if previous.map_or(0, |s| s.reps) != reps {
                            return Ok(Outcome::Stale { pos });
                        }
                        // Re-show the same question with the message; nothing is written.
                        let mut pos = pos;
                        pos.next = Some((card_id.to_string(), previous));
                        let order = form.chosen_order(db_question.items.len());
                        return Ok(Outcome::Invalid {
                            retry: Retry { message, order },
                            pos,
                        });
                    }
                };
                let review = store::NewReview {
                    id: &review_id,
                    user_id,
                    card_id,
                    answered_at: answered,
                    rating: graded.rating,
                    correct: graded.correct,
                    given_answer: &graded.given,
                    duration_ms,
                    presentation: presentation.as_str(),
                    device_id: "web",
                };
                // Whether the card moved on is checked inside the write transaction, not here.
                let stored = study::answer(conn, &review, reps, answered)?;
                let counted = match &stored {
                    study::Answered::Saved { state, seq } => summary.record(&summary::Answer {
                        card_id,
                        deck_id: &card_deck_id,
                        answered_at: answered,
                        correct: graded.correct,
                        state: *state,
                        seq: *seq,
                    }),
                    // Nothing written; but a card that moved on unseen means another writer.
                    study::Answered::AlreadySaved => true,
                    study::Answered::Stale => false,
                };
                if !counted {
                    *summary = Summary::load(conn, user_id, &clock, answered_at)?;
                }
                let pos = locate_now(conn, summary)?;
                Ok(match stored {
                    study::Answered::Stale => Outcome::Stale { pos },
                    study::Answered::Saved { .. } | study::Answered::AlreadySaved => {
                        Outcome::Recorded { graded, pos }
                    }
                })
            })?,
        )
    })
    .await?;

    let next_url = study_url(&deck.id, mode, &scope, &focus);
    match outcome {
        Outcome::Stale { pos } => {
            let retry = Retry {
                message: STALE_MESSAGE.to_string(),
                order: Vec::new(),
            };
            let mut page = render_next(
                &user,
                &catalog,
                deck,
                mode,
                &scope,
                &focus,
                pos,
                Some(retry),
            )?;
            *page.status_mut() = actix_web::http::StatusCode::CONFLICT;
            Ok(page)
        }
        Outcome::Invalid { retry, pos } => render_next(
            &user,
            &catalog,
            deck,
            mode,
            &scope,
            &focus,
            pos,
            Some(retry),
        ),
        Outcome::Recorded { graded, pos } => {
            let card_deck = catalog.deck(&card.deck_id).unwrap_or(deck);
            let prompt = if question.items.is_empty() {
                question.prompt.clone()
            } else {
                let titles: Vec<&str> = question.items.iter().map(|i| i.title.as_str()).collect();
                format!("{} {}", question.prompt, titles.join(" · "))
            };
            let page = ResultPage {
                page: user.page_ctx(),
                correct: graded.correct,
                verdict: match (graded.correct, graded.self_graded) {
                    (true, _) => "Right",
                    (false, true) => "Again",
                    (false, false) => "Not quite",
                },
                prompt,
                given: graded.given,
                answer: question.answer.clone(),
                order: ordered_events(&question),
                events: event_notes(card_deck, &question),
                sources: question.sources.clone(),
                next_url,
                progress_label: match mode {
                    _ if scope.is_some() => format!(
                        "{} of {} cards done",
                        pos.done_today,
                        pos.done_today + pos.remaining as i64
                    ),
                    Mode::Missed => format!("{} missed left", pos.remaining),
                    _ => format!(
                        "{} answered today · {} to go",
                        pos.done_today, pos.remaining
                    ),
                },
            };
            html(&page)
        }
    }
}

#[cfg(test)]
#[path = "page_views_tests.rs"]
mod tests;
