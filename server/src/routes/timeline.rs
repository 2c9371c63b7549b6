//! `GET /timeline`: every event of the deck on a time axis, grouped by era, each marked by how
//! well the learner knows its cards; `?event=ID` opens one event with its sources, disputes
//! and the learner's history. Plain links throughout, so it works by keyboard, on a phone
//! and without JavaScript.

use crate::auth::extract::CurrentUser;
use crate::clock::moment;
use crate::db::{self, study as store};
use crate::ids::{CardId, DeckId, EventId};
use crate::questions::SourceRef;
use crate::routes::event_view::{self, CardRow, Knowledge};
use crate::routes::state::AppState;
use crate::routes::study::EventNote;
use crate::srs::Standing;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct TimelineQuery {
    #[serde(default)]
    pub deck: Option<String>,
    #[serde(default)]
    pub event: Option<String>,
}

pub struct Tick {
    pub left: f32,
    pub year: i32,
}

pub struct Mark {
    pub id: EventId,
    pub title: String,
    pub date: String,
    pub standing: Standing,
    /// Percent of the era's axis.
    pub left: f32,
    pub width: f32,
    pub is_span: bool,
    /// The label goes left of the mark when the mark sits in the right part of the axis.
    pub label_left: bool,
    pub selected: bool,
}

pub struct EraTrack {
    pub id: String,
    pub title: String,
    pub ticks: Vec<Tick>,
    pub marks: Vec<Mark>,
}

pub struct PastRow {
    pub when: String,
    pub kind: String,
    pub correct: bool,
    pub given: String,
}

pub struct Selected {
    pub id: EventId,
    pub era: String,
    pub note: EventNote,
    pub standing: Standing,
    pub sources: Vec<SourceRef>,
    pub cards: Vec<CardRow>,
    pub history: Vec<PastRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "timeline.html")]
struct TimelinePage {
    page: PageCtx,
    deck_id: DeckId,
    deck_title: String,
    eras: Vec<EraTrack>,
    selected: Option<Selected>,
    legend: [Standing; 4],
}

/// Events before this year are placed at its start: the decks tell the story from 1975 on.
const FIRST_YEAR: i32 = 1975;

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let deck = crate::routes::deck_access::chosen(&state, &catalog, user.id, query.deck.as_deref())
        .await?;
    let chosen = match query.event.as_deref().filter(|e| !e.is_empty()) {
        Some(id) => Some(deck.event(id).ok_or(PageError::NotFound)?),
        None => None,
    };
    let user_id = user.id;
    let deck_id = deck.id.clone();
    let chosen_cards: Vec<CardId> = chosen
        .map(|e| {
            event_view::cards_of(&catalog, deck, e)
                .iter()
                .map(|c| c.id.clone())
                .collect()
        })
        .unwrap_or_default();
    let (knowledge, history) = db::run(&state.pool, move |conn| {
        Ok((
            Knowledge {
                states: store::deck_states(conn, user_id, &deck_id)?,
                tallies: store::tallies(conn, user_id)?,
            },
            db::stats::history(conn, user_id, &chosen_cards)?,
        ))
    })
    .await?;

    let eras = deck
        .eras
        .iter()
        .map(|era| {
            let events: Vec<_> = deck.events.iter().filter(|e| e.era == era.id).collect();
            let clamp = |d: i64| d.max(crate::dataset::HistDate::year(FIRST_YEAR).first_day());
            let start = events
                .iter()
                .map(|e| clamp(e.date.first_day()))
                .chain([clamp(era.start.first_day())])
                .min()
                .unwrap_or(0);
            let end = events
                .iter()
                .map(|e| e.end_date.unwrap_or(e.date).last_day())
                .chain(era.end.map(|d| d.last_day()))
                .max()
                .unwrap_or(start)
                .max(start + 1);
            let span = (end - start) as f32;
            let pct = |d: i64| ((clamp(d) - start) as f32 * 100.0 / span).clamp(0.0, 100.0);
            let first_year = crate::dataset::HistDate::year(FIRST_YEAR)
                .year
                .max(year_of(start));
            let last_year = year_of(end);
            let step = ((last_year - first_year) / 5).max(1);
            let ticks = (first_year..=last_year)
                .step_by(step as usize)
                .filter_map(|y| {
                    let d = crate::dataset::HistDate::year(y).first_day();
                    (d >= start).then(|| Tick {
                        left: round(pct(d)),
                        year: y,
                    })
                })
                .collect();
            let marks = events
                .iter()
                .map(|e| {
                    let cards = event_view::cards_of(&catalog, deck, e);
                    let standing =
                        Standing::of_event(cards.iter().map(|c| knowledge.standing(&c.id)));
                    let left = pct(e.date.first_day());
                    let right = pct(e.end_date.unwrap_or(e.date).last_day());
                    Mark {
                        id: e.id.clone(),
                        title: e.title.clone(),
                        date: match &e.end_date {
                            Some(end) => format!("{} – {}", e.date, end),
                            None => e.date.to_string(),
                        },
                        standing,
                        left: round(left),
                        width: round((right - left).max(0.0)),
                        is_span: e.end_date.is_some(),
                        label_left: left > 55.0,
                        selected: chosen.is_some_and(|c| c.id == e.id),
                    }
                })
                .collect();
            EraTrack {
                id: era.id.clone(),
                title: era.title.clone(),
                ticks,
                marks,
            }
        })
        .collect();

    let selected = chosen.map(|e| {
        let cards = event_view::cards_of(&catalog, deck, e);
        let rows = event_view::card_rows(&cards, &knowledge);
        let kind_of = |id: &str| {
            rows.iter()
                .find(|r| r.id == id)
                .map_or(String::new(), |r| r.kind.clone())
        };
        Selected {
            id: e.id.clone(),
            era: e.era.clone(),
            note: event_view::note(deck, e),
            standing: Standing::of_event(rows.iter().map(|r| r.standing)),
            sources: event_view::sources(deck, e),
            history: history
                .iter()
                .map(|p| PastRow {
                    when: moment(p.answered_at),
                    kind: kind_of(&p.card_id),
                    correct: p.correct,
                    given: p.given_answer.clone(),
                })
                .collect(),
            cards: rows,
        }
    });
    html(&TimelinePage {
        page: user.page_ctx(),
        deck_id: deck.id.clone(),
        deck_title: deck.title.clone(),
        eras,
        selected,
        legend: Standing::ALL,
    })
}

/// The year a day number (days since 0000-03-01, as `HistDate` counts) falls in.
fn year_of(day: i64) -> i32 {
    // Day numbers start on 1 March of year 0, so a year runs March to February.
    let mut y = (day / 365) as i32;
    while crate::dataset::HistDate::year(y + 1).first_day() <= day {
        y += 1;
    }
    while crate::dataset::HistDate::year(y).first_day() > day {
        y -= 1;
    }
    y
}

fn round(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::HistDate;

    #[test]
    fn a_day_number_falls_in_its_year() {
        for y in [1975, 1979, 2000, 2024] {
            assert_eq!(year_of(HistDate::year(y).first_day()), y);
            assert_eq!(year_of(HistDate::year(y).last_day()), y);
        }
    }

    #[test]
    fn the_timeline_marks_each_event_and_details_the_chosen_one() {
        let mark = |id: &str, selected| Mark {
            id: id.into(),
            title: "Fall of <Saigon>".into(),
            date: "30 Apr 1975".into(),
            standing: Standing::Known,
            left: 25.0,
            width: 0.0,
            is_span: false,
            label_left: false,
            selected,
        };
        let html = TimelinePage {
            page: PageCtx::learner_for_tests(),
            deck_id: "vn".into(),
            deck_title: "Vietnam".into(),
            eras: vec![EraTrack {
                id: "fall".into(),
                title: "The fall".into(),
                ticks: vec![Tick {
                    left: 0.0,
                    year: 1975,
                }],
                marks: vec![mark("fall", true), mark("after", false)],
            }],
            selected: Some(Selected {
                id: "fall".into(),
                era: "fall".into(),
                note: EventNote {
                    title: "Fall of <Saigon>".into(),
                    date: "30 April 1975".into(),
                    place: Some("Saigon".into()),
                    summary: "The city is taken.".into(),
                    disputes: vec![],
                },
                standing: Standing::Known,
                sources: vec![],
                cards: vec![CardRow {
                    id: "fall/date".into(),
                    kind: "date".into(),
                    standing: Standing::Known,
                }],
                history: vec![PastRow {
                    when: "1 Dec 2026".into(),
                    kind: "date".into(),
                    correct: false,
                    given: "<b>1976</b>".into(),
                }],
            }),
            legend: [
                Standing::NotSeen,
                Standing::Learning,
                Standing::Known,
                Standing::OftenMissed,
            ],
        }
        .render()
        .unwrap();
        assert!(
            html.contains("<h2 id=\"event-detail-h\">Fall of &#60;Saigon&#62;</h2>"),
            "{html}"
        );
        assert!(html.contains("30 April 1975 · Saigon · <span class=\"standing known\">"));
        assert!(html.contains("href=\"/study?deck=vn&amp;event=fall&amp;more=1\""));
        assert!(html.contains("href=\"/study?deck=vn&amp;era=fall\""));
        assert!(html.contains("<td>&#60;b&#62;1976&#60;/b&#62;</td><td>wrong</td>"));
        assert!(html.contains("<span style=\"left: 0%\">1975</span>"));
        assert!(html.contains(
            "href=\"/timeline?deck=vn&amp;event=fall#event-detail\" aria-current=\"true\""
        ));
        assert!(html.contains("href=\"/timeline?deck=vn&amp;event=after#event-detail\">"));
        assert_eq!(html.matches("aria-current=\"true\"").count(), 1);
    }
}
