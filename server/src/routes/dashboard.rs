//! The signed-in home page: decks with due and new counts, today's progress, streak, and
//! mastery by era.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::clock::now;
use crate::db::users::{self, Role};
use crate::db::{self, study as store};
use crate::questions::Kind;
use crate::routes::classes::report::{MyAssignment, my_assignments};
use crate::routes::state::AppState;
use crate::srs::{CardState, Phase};
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use std::collections::HashMap;

/// A card counts as mastered once FSRS expects it to last three weeks.
const MASTERED_STABILITY: f32 = 21.0;

pub struct EraRow {
    pub title: String,
    pub total: usize,
    pub seen: usize,
    pub mastered: usize,
    pub mastered_percent: usize,
}

pub struct DeckRow {
    pub id: String,
    pub title: String,
    pub description: String,
    pub due: usize,
    pub new: usize,
    pub seen: usize,
    pub total: usize,
    pub eras: Vec<EraRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    display_name: String,
    answered_today: i64,
    right_today: i64,
    streak: i64,
    missed: usize,
    decks: Vec<DeckRow>,
    is_teacher: bool,
    assignments: Vec<MyAssignment>,
    /// Unfinished assignments: when there are any, theirs is the primary "Study" button.
    open_assignments: usize,
}

/// Consecutive days with answers, ending today or yesterday. `days` is newest first.
pub fn streak(days: &[i64], today: i64) -> i64 {
    let mut expected = match days.first() {
        Some(&d) if d == today || d == today - 1 => d,
        _ => return 0,
    };
    let mut n = 0;
    for &d in days {
        if d != expected {
            break;
        }
        n += 1;
        expected -= 1;
    }
    n
}

fn deck_row(
    catalog: &Catalog,
    deck: &crate::dataset::Deck,
    states: &HashMap<String, CardState>,
    new_allowed: usize,
    now: i64,
) -> DeckRow {
    let cards: Vec<_> = catalog.deck_cards(&deck.id).collect();
    let era_of = |subject: &str, kind: Kind| -> Option<&str> {
        let event_id = if kind == Kind::Speaker {
            deck.quote(subject)?.event.as_deref()?
        } else {
            subject
        };
        deck.event(event_id).map(|e| e.era.as_str())
    };
    let mastered = |s: &CardState| s.phase == Phase::Review && s.stability >= MASTERED_STABILITY;
    let eras = deck
        .eras
        .iter()
        .map(|era| {
            let in_era: Vec<_> = cards
                .iter()
                .filter(|c| era_of(&c.subject_id, c.kind) == Some(era.id.as_str()))
                .collect();
            let seen: Vec<&CardState> = in_era.iter().filter_map(|c| states.get(&c.id)).collect();
            let m = seen.iter().filter(|s| mastered(s)).count();
            EraRow {
                title: era.title.clone(),
                total: in_era.len(),
                seen: seen.len(),
                mastered: m,
                mastered_percent: (m * 100).checked_div(in_era.len()).unwrap_or(0),
            }
        })
        .collect();
    let unseen = cards.iter().filter(|c| !states.contains_key(&c.id)).count();
    DeckRow {
        id: deck.id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        due: states.values().filter(|s| s.due <= now).count(),
        new: unseen.min(new_allowed),
        seen: states.len(),
        total: cards.len(),
        eras,
    }
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog.clone();
    let user_id = user.id;
    let new_per_day = user.new_per_day;
    let now = now();
    let deck_ids: Vec<String> = catalog.decks.iter().map(|d| d.id.clone()).collect();
    let (states, started, (answered, right), days, missed, today) =
        db::run(&state.pool, move |conn| {
            // "Today" is the learner's day, in their zone, from their rollover hour.
            let clock = users::day_clock(conn, user_id)?;
            let today = clock.start_of_day(now);
            let states = deck_ids
                .iter()
                .map(|id| Ok((id.clone(), store::deck_states(conn, user_id, id)?)))
                .collect::<rusqlite::Result<HashMap<_, _>>>()?;
            Ok((
                states,
                store::new_cards_since(conn, user_id, today)?,
                store::answered_since(conn, user_id, today, None)?,
                store::study_days(conn, user_id, &clock, now)?,
                store::missed(conn, user_id)?.len(),
                clock.day(now),
            ))
        })
        .await?;
    let new_allowed = (new_per_day - started).max(0) as usize;
    let is_teacher = user.role == Role::Teacher;
    let assignments = if is_teacher {
        Vec::new()
    } else {
        open_first(my_assignments(&state, user.id, None, &user.clock).await?)
    };
    let open_assignments = assignments.iter().filter(|a| a.is_open()).count();
    let empty = HashMap::new();
    let decks = catalog
        .decks
        .iter()
        .map(|d| {
            deck_row(
                &catalog,
                d,
                states.get(&d.id).unwrap_or(&empty),
                new_allowed,
                now,
            )
        })
        .collect();
    html(&DashboardPage {
        page: user.page_ctx(),
        display_name: user.display_name.clone(),
        answered_today: answered,
        right_today: right,
        streak: streak(&days, today),
        missed,
        decks,
        is_teacher,
        assignments,
        open_assignments,
    })
}

/// A learner's assignments as the dashboard lists them: the unfinished ones first, soonest
/// due first (undated after dated), then the finished ones.
fn open_first(mut assignments: Vec<MyAssignment>) -> Vec<MyAssignment> {
    assignments.sort_by(|a, b| {
        (!a.is_open(), a.due_date.is_none(), &a.due_date, &a.title).cmp(&(
            !b.is_open(),
            b.due_date.is_none(),
            &b.due_date,
            &b.title,
        ))
    });
    assignments
}

#[cfg(test)]
mod tests {
    use super::streak;

    #[test]
    fn streak_counts_consecutive_days_up_to_today_or_yesterday() {
        assert_eq!(streak(&[], 100), 0);
        assert_eq!(streak(&[100, 99, 98, 96], 100), 3);
        assert_eq!(streak(&[99, 98], 100), 2);
        assert_eq!(streak(&[97], 100), 0);
    }
}
