//! `GET /browse`: the deck's events and their cards with the learner's standing on each,
//! searchable by word (`?q=`, accents and case ignored) and filterable by era (`?era=`).

use crate::auth::extract::CurrentUser;
use crate::dataset::{Deck, Event};
use crate::db::{self, study as store};
use crate::ids::{DeckId, EventId};
use crate::questions::SourceRef;
use crate::routes::event_view::{self, CardRow, Knowledge};
use crate::routes::state::AppState;
use crate::srs::Standing;
use crate::text::normalize;
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

const MAX_QUERY: usize = 200;

#[derive(Debug, Deserialize, Default)]
pub struct BrowseQuery {
    #[serde(default)]
    pub deck: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub era: Option<String>,
}

pub struct EraOption {
    pub id: String,
    pub title: String,
    pub selected: bool,
}

pub struct EventRow {
    pub id: EventId,
    pub title: String,
    pub date: String,
    pub era_title: String,
    pub place: Option<String>,
    pub actors: Vec<String>,
    pub tags: Vec<String>,
    pub summary: String,
    pub standing: Standing,
    pub sources: Vec<SourceRef>,
    pub cards: Vec<CardRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "browse.html")]
struct BrowsePage {
    page: PageCtx,
    deck_id: DeckId,
    deck_title: String,
    q: String,
    q_error: Option<String>,
    eras: Vec<EraOption>,
    events: Vec<EventRow>,
    total: usize,
}

/// True when every word of `query` (already normalised) is in the event's words.
fn matches(deck: &Deck, e: &Event, words: &[&str]) -> bool {
    if words.is_empty() {
        return true;
    }
    let mut text = vec![e.title.clone(), e.summary.clone(), e.date.to_string()];
    text.extend(e.place.clone());
    text.extend(e.actors.iter().cloned());
    text.extend(e.tags.iter().map(|t| t.replace('-', " ")));
    text.extend(deck.era(&e.era).map(|x| x.title.clone()));
    let haystack = format!(" {} ", normalize(&text.join(" ")));
    words.iter().all(|w| haystack.contains(&format!(" {w}")))
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<BrowseQuery>,
) -> Result<HttpResponse, PageError> {
    let catalog = state.catalog();
    let deck = crate::routes::deck_access::chosen(&state, &catalog, user.id, query.deck.as_deref())
        .await?;
    let era = query.era.clone().unwrap_or_default();
    if !era.is_empty() && deck.era(&era).is_none() {
        return Err(PageError::BadRequest(format!(
            "This deck has no era `{era}`."
        )));
    }
    let raw_q = query.q.clone().unwrap_or_default();
    let (q, q_error) = if raw_q.chars().count() > MAX_QUERY {
        (
            raw_q.chars().take(MAX_QUERY).collect(),
            Some(format!("Searches are at most {MAX_QUERY} characters.")),
        )
    } else {
        (raw_q, None)
    };
    let normalized = if q_error.is_some() {
        String::new()
    } else {
        normalize(&q)
    };
    let words: Vec<&str> = normalized.split_whitespace().collect();
    let user_id = user.id;
    let deck_id = deck.id.clone();
    let knowledge = db::run(&state.pool, move |conn| {
        Ok(Knowledge {
            states: store::deck_states(conn, user_id, &deck_id)?,
            tallies: store::tallies(conn, user_id)?,
        })
    })
    .await?;
    let events = deck
        .events
        .iter()
        .filter(|e| era.is_empty() || e.era == era)
        .filter(|e| matches(deck, e, &words))
        .map(|e| {
            let cards = event_view::card_rows(&event_view::cards_of(&catalog, deck, e), &knowledge);
            EventRow {
                id: e.id.clone(),
                title: e.title.clone(),
                date: event_view::note(deck, e).date,
                era_title: deck.era(&e.era).map_or(String::new(), |x| x.title.clone()),
                place: e.place.clone(),
                actors: e.actors.clone(),
                tags: e.tags.clone(),
                summary: e.summary.clone(),
                standing: Standing::of_event(cards.iter().map(|c| c.standing)),
                sources: event_view::sources(deck, e),
                cards,
            }
        })
        .collect();
    html(&BrowsePage {
        page: user.page_ctx(),
        deck_id: deck.id.clone(),
        deck_title: deck.title.clone(),
        q,
        q_error,
        eras: deck
            .eras
            .iter()
            .map(|x| EraOption {
                id: x.id.clone(),
                title: x.title.clone(),
                selected: x.id == era,
            })
            .collect(),
        events,
        total: deck.events.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browse_keeps_the_search_lists_each_event_and_links_its_cards() {
        let html = BrowsePage {
            page: PageCtx::learner_for_tests(),
            deck_id: "vn".into(),
            deck_title: "Vietnam".into(),
            q: "<saigon>".into(),
            q_error: None,
            eras: vec![EraOption {
                id: "fall".into(),
                title: "The fall".into(),
                selected: true,
            }],
            events: vec![EventRow {
                id: "fall".into(),
                title: "Fall of Saigon".into(),
                date: "30 April 1975".into(),
                era_title: "The fall".into(),
                place: Some("Saigon".into()),
                actors: vec!["PAVN".into(), "ARVN".into()],
                tags: vec!["war".into()],
                summary: "The city is taken.".into(),
                standing: Standing::Learning,
                sources: vec![],
                cards: vec![CardRow {
                    id: "fall/date".into(),
                    kind: "date".into(),
                    standing: Standing::NotSeen,
                }],
            }],
            total: 40,
        }
        .render()
        .unwrap();
        assert!(
            html.contains("name=\"q\" type=\"text\" value=\"&#60;saigon&#62;\""),
            "{html}"
        );
        assert!(html.contains("<option value=\"fall\" selected>The fall</option>"));
        assert!(html.contains("1 of 40 events matching “&#60;saigon&#62;”."));
        assert!(html.contains(
            "30 April 1975 · Saigon · The fall · <span class=\"standing learning\">learning</span>"
        ));
        assert!(html.contains("With PAVN, ARVN <span class=\"tag\">war</span>"));
        assert!(html.contains("href=\"/study?deck=vn&amp;card=fall%2Fdate&amp;more=1\""));
        assert!(html.contains("href=\"/timeline?deck=vn&amp;event=fall#event-detail\""));
    }
}
