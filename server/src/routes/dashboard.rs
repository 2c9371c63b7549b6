//! The signed-in home page: decks with due and new counts, today's progress, streak, and
//! mastery by era.

use crate::auth::extract::CurrentUser;
use crate::catalog::Catalog;
use crate::clock::now;
use crate::db;
use crate::db::users::Role;
use crate::ids::DeckId;
use crate::routes::classes::kept::Set;
use crate::routes::classes::report::MyAssignment;
use crate::routes::state::AppState;
use crate::srs::{CardState, DayClock, Phase};
use crate::study::summary::Summary;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;

/// A card counts as mastered once FSRS expects it to last three weeks.
const MASTERED_STABILITY: f32 = 21.0;

pub struct EraRow {
    pub id: String,
    pub title: String,
    /// Seen cards of the era due now, and cards not seen yet: what is left to study.
    pub due: usize,
    pub unseen: usize,
    pub total: usize,
    pub seen: usize,
    pub mastered: usize,
    pub mastered_percent: usize,
}

pub struct DeckRow {
    pub id: DeckId,
    pub title: String,
    pub description: String,
    pub due: usize,
    pub new: usize,
    pub seen: usize,
    pub total: usize,
    pub eras: Vec<EraRow>,
    pub tags: Vec<String>,
    pub kinds: Vec<KindChoice>,
}

/// A kind of question the learner can tick, with how many of the deck's cards ask it.
pub struct KindChoice {
    pub id: &'static str,
    pub label: String,
    pub cards: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: PageCtx,
    display_name: String,
    /// No answer yet, ever: greeted as new, not "welcome back".
    first_visit: bool,
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

/// A learner's states of one deck's offered cards, counted: all and due, and per era
/// (seen, due, mastered).
#[derive(Default, Clone)]
struct DeckTally {
    seen: usize,
    due: usize,
    eras: Vec<(usize, usize, usize)>,
}

fn deck_row(
    catalog: &Catalog,
    deck: &crate::dataset::Deck,
    tally: &DeckTally,
    new_allowed: usize,
) -> DeckRow {
    // What is the same for every learner (cards per era and kind, tags) is kept by the
    // catalog; only the learner's own states are counted (a few dozen, not every card).
    let empty;
    let facts = match catalog.facts(&deck.id) {
        Some(f) => f,
        None => {
            empty = crate::deck_facts::DeckFacts::of(deck, &[]).0;
            &empty
        }
    };
    let mut per_era = tally.eras.clone();
    per_era.resize(deck.eras.len(), (0, 0, 0));
    let eras = deck
        .eras
        .iter()
        .zip(&facts.era_cards)
        .zip(per_era)
        .map(|((era, &total), (seen, due, m))| EraRow {
            id: era.id.clone(),
            title: era.title.clone(),
            due,
            unseen: total - seen,
            total,
            seen,
            mastered: m,
            mastered_percent: (m * 100).checked_div(total).unwrap_or(0),
        })
        .collect();
    let unseen = facts.cards - tally.seen;
    let kinds = facts
        .kinds
        .iter()
        .map(|(k, cards)| KindChoice {
            id: k.as_str(),
            label: k.as_str().replace('_', " "),
            cards: *cards,
        })
        .collect();
    DeckRow {
        id: deck.id.clone(),
        title: deck.title.clone(),
        description: deck.description.clone(),
        due: tally.due,
        new: unseen.min(new_allowed),
        seen: tally.seen,
        total: facts.cards,
        eras,
        tags: facts.tags.clone(),
        kinds,
    }
}

fn mastered(s: &CardState) -> bool {
    s.phase == Phase::Review && s.stability >= MASTERED_STABILITY
}

/// The learner's own numbers on the dashboard.
struct Numbers {
    /// Each shown deck's states of the cards it offers now, counted, in `decks` order.
    tallies: Vec<DeckTally>,
    /// New cards started today.
    started: i64,
    answered: i64,
    right: i64,
    /// Study days, newest first, and today's.
    days: Vec<i64>,
    today: i64,
    missed: usize,
    /// Cards finished of each of the learner's assignments, in their order.
    finished: Vec<usize>,
}

fn numbers(
    summary: &Summary,
    catalog: &Catalog,
    shown: &[usize],
    sets: &[Set],
    clock: &DayClock,
    now: i64,
) -> Numbers {
    // Each state counted with its deck and era, found by the catalog in one lookup: the
    // cards a deck offers now are exactly its unretired ones (the import retires the
    // rest). Putting every state in a map per deck first was a fifth of the page's CPU.
    let mut all = vec![DeckTally::default(); catalog.decks.len()];
    for (card_id, s) in summary.states() {
        let Some((deck, era)) = catalog.card_deck_era(card_id) else {
            continue;
        };
        let tally = &mut all[deck];
        let due = usize::from(s.due <= now);
        tally.seen += 1;
        tally.due += due;
        if let Some(era) = era {
            if tally.eras.len() <= era {
                tally.eras.resize(era + 1, (0, 0, 0));
            }
            let e = &mut tally.eras[era];
            e.0 += 1;
            e.1 += due;
            e.2 += usize::from(mastered(s));
        }
    }
    let today = summary.answered_today(None);
    Numbers {
        tallies: shown
            .iter()
            .map(|&d| all.get_mut(d).map(std::mem::take).unwrap_or_default())
            .collect(),
        started: summary.new_today(),
        answered: today.answers,
        right: today.right,
        days: summary.study_days(),
        today: clock.day(now),
        missed: summary.missed_count(|c| catalog.card(c).is_some()),
        finished: sets.iter().map(|s| s.finished(summary)).collect(),
    }
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let user_id = user.id;
    let new_per_day = user.new_per_day;
    let now = now();
    // Shipped decks, and the uploaded ones this user may see (their own, their classes').
    let shown = crate::routes::deck_access::decks_of(&state, &catalog, user.id).await?;
    // Each shown deck's index in the catalog.
    let deck_ids: Vec<usize> = shown
        .iter()
        .map(|d| {
            catalog
                .decks
                .iter()
                .position(|c| c.id == d.id)
                .unwrap_or(usize::MAX)
        })
        .collect();
    let clock = user.clock.clone();
    let is_teacher = user.role == Role::Teacher;
    // A teacher's dashboard lists no assignments of their own.
    let sets: std::sync::Arc<[Set]> = if is_teacher {
        std::sync::Arc::new([])
    } else {
        state.assignments.of(&state.pool, user_id).await?
    };
    // A kept summary and a kept list give every number here on this thread, with no
    // database at all.
    let numbers = match state.learners.peek(user_id, &clock, now, |summary| {
        numbers(summary, &catalog, &deck_ids, &sets, &clock, now)
    }) {
        Some(numbers) => numbers,
        None => {
            let lookup = std::sync::Arc::clone(&catalog);
            let learners = std::sync::Arc::clone(&state.learners);
            let sets = std::sync::Arc::clone(&sets);
            db::run(&state.pool, move |conn| {
                Ok(learners.hold(conn, user_id, &clock, now, |_, summary| {
                    Ok(numbers(summary, &lookup, &deck_ids, &sets, &clock, now))
                })?)
            })
            .await?
        }
    };
    let Numbers {
        tallies,
        started,
        answered,
        right,
        days,
        missed,
        today,
        finished,
    } = numbers;
    let new_allowed = (new_per_day - started).max(0) as usize;
    let assignments = open_first(
        sets.iter()
            .zip(finished)
            .map(|(set, done)| set.mine(done, &user.clock))
            .collect(),
    );
    let open_assignments = assignments.iter().filter(|a| a.is_open()).count();
    let decks = shown
        .iter()
        .zip(&tallies)
        .map(|(d, tally)| deck_row(&catalog, d, tally, new_allowed))
        .collect();
    html(&DashboardPage {
        page: user.page_ctx(),
        display_name: user.display_name.clone(),
        first_visit: days.is_empty(),
        answered_today: answered,
        right_today: right,
        streak: crate::stats::streak(&days, today),
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
    use super::*;
    use crate::classes::goal::Goal;
    use crate::ids::{AssignmentId, ClassId};
    use crate::routes::classes::report::AssignmentCell;

    fn deck() -> DeckRow {
        DeckRow {
            id: "vn".into(),
            title: "Vietnam <1975>".into(),
            description: "Wars and after.".into(),
            due: 4,
            new: 10,
            seen: 30,
            total: 120,
            eras: vec![EraRow {
                id: "fall & after".into(),
                title: "The fall".into(),
                due: 2,
                unseen: 5,
                total: 20,
                seen: 15,
                mastered: 8,
                mastered_percent: 40,
            }],
            tags: vec!["war".into()],
            kinds: vec![KindChoice {
                id: "date",
                label: "Date of an event".into(),
                cards: 40,
            }],
        }
    }

    fn dashboard(first_visit: bool, assignments: Vec<MyAssignment>) -> String {
        let open_assignments = assignments.iter().filter(|a| a.is_open()).count();
        DashboardPage {
            page: PageCtx::learner_for_tests(),
            display_name: "Ann <3".into(),
            first_visit,
            answered_today: 12,
            right_today: 9,
            streak: 1,
            missed: 3,
            decks: vec![deck()],
            is_teacher: false,
            assignments,
            open_assignments,
        }
        .render()
        .unwrap()
    }

    #[test]
    fn the_dashboard_counts_today_and_links_each_way_to_study_a_deck() {
        let html = dashboard(false, vec![]);
        assert!(html.contains("<h1>Welcome back, Ann &#60;3</h1>"), "{html}");
        assert!(
            html.contains(
                "12 answered, 9 right · streak: 1 day · <a href=\"/missed\">3 missed</a>"
            )
        );
        assert!(html.contains("<h2 id=\"deck-vn\">Vietnam &#60;1975&#62;</h2>"));
        assert!(html.contains(
            "<strong>4</strong> due · <strong>10</strong> new today · 30 of 120 cards seen"
        ));
        assert!(html.contains("<a class=\"button primary\" href=\"/study?deck=vn\">Study</a>"));
        assert!(html.contains("href=\"/study?deck=vn&amp;mode=flashcard\""));
        assert!(html.contains("href=\"/study/offline?deck=vn\""));
        // The era id is URL-encoded in the link, so `&` cannot start another parameter.
        assert!(
            html.contains("href=\"/study?deck=vn&amp;era=fall%20%26%20after\""),
            "{html}"
        );
        assert!(
            html.contains(
                "<input type=\"checkbox\" name=\"kind\" value=\"date\"> Date of an event"
            )
        );
        assert!(html.contains("<option value=\"war\">war</option>"));
    }

    #[test]
    fn an_open_assignment_takes_the_primary_study_button() {
        let a = MyAssignment {
            id: AssignmentId(3),
            class_id: ClassId(7),
            class_name: "9A".into(),
            title: "Week 1".into(),
            due: "8 December".into(),
            due_date: None,
            goal: Goal::RightOnce.describe(),
            cell: AssignmentCell {
                done: 2,
                total: 12,
                percent: 16,
                behind: true,
            },
        };
        let html = dashboard(true, vec![a]);
        assert!(
            html.contains("<h1>Welcome to Chronicle, Ann &#60;3</h1>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"assignments-h\">Your assignments</h2>"));
        assert!(html.contains("href=\"/classes/7/assignments/3\">Week 1</a>"));
        assert!(html.contains("href=\"/study?assignment=3\">Study “Week 1”</a>"));
        assert!(
            html.contains("<a class=\"button\" href=\"/study?deck=vn\">Study the whole deck</a>")
        );
    }
}
