//! `GET /stats`: the learner's figures, each chart drawn on the server as SVG with the same
//! numbers in a table beside it.

use crate::auth::extract::CurrentUser;
use crate::classes::selection::event_of;
use crate::clock::now;
use crate::db;
use crate::ids::CardId;
use crate::routes::state::AppState;
use crate::srs::{DayClock, Standing, Tally};
use crate::stats::chart::{self, Bars, Heatmap, iso_day, short_day};
use crate::stats::{self, Answer};
use crate::web::error::PageError;
use crate::web::page::PageCtx;
use crate::web::respond::html;
use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use std::collections::HashMap;

const HISTORY_DAYS: i64 = 90;
const RETENTION_WEEKS: i64 = 12;
const FORECAST_DAYS: i64 = 30;

pub struct DayRow {
    pub iso: String,
    pub label: String,
    pub count: usize,
}

pub struct WeekRow {
    pub first: String,
    pub label: String,
    pub due: usize,
    pub right: usize,
    pub retention: Option<u32>,
}

pub struct StandingRow {
    pub key: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// One segment of an era's stacked bar, in percent of the bar's width.
pub struct Segment {
    pub key: &'static str,
    pub x: f32,
    pub w: f32,
}

pub struct EraRow {
    pub title: String,
    pub counts: Vec<StandingRow>,
    pub total: usize,
    pub segments: Vec<Segment>,
}

#[derive(Template, WebTemplate)]
#[template(path = "stats.html")]
pub struct StatsPage {
    pub page: PageCtx,
    /// Where the learner's days begin: "Days run from 04:00 to 04:00, Asia/Ho_Chi_Minh time."
    pub day_words: String,
    pub today_cards: usize,
    pub today_answers: usize,
    pub today_right: usize,
    pub today_accuracy: Option<u32>,
    pub today_time: String,
    pub streak: i64,
    pub total_answers: usize,
    pub days: Vec<DayRow>,
    pub days_total: usize,
    pub days_summary: String,
    pub forecast_summary: String,
    pub day_bars: Bars,
    pub heatmap: Heatmap,
    pub weeks: Vec<WeekRow>,
    pub week_bars: Bars,
    pub forecast: Vec<DayRow>,
    pub forecast_total: usize,
    pub forecast_bars: Bars,
    pub standings: Vec<StandingRow>,
    pub standing_bars: Bars,
    pub eras: Vec<EraRow>,
    pub width: f32,
    pub height: f32,
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let user_id = user.id;
    let (answers, states) = db::run(&state.pool, move |conn| {
        Ok((
            db::stats::answers(conn, user_id)?,
            db::stats::states(conn, user_id)?,
        ))
    })
    .await?;
    let catalog = crate::routes::deck_access::catalog_for(&state, user.id).await?;
    let page = build(
        user.page_ctx(),
        &catalog,
        &answers,
        &states,
        &user.clock,
        now(),
    );
    html(&page)
}

/// The page from the learner's log and states at `now` (unix seconds), every day counted in
/// the learner's calendar.
pub fn build(
    page: PageCtx,
    catalog: &crate::catalog::Catalog,
    answers: &[Answer],
    states: &std::collections::HashMap<CardId, crate::srs::CardState>,
    clock: &DayClock,
    now: i64,
) -> StatsPage {
    let today = clock.day(now);
    let log = stats::Dated::new(answers, clock);
    let t = stats::today(&log, today);
    let per_day = stats::per_day(&log, today, HISTORY_DAYS);
    let weeks = stats::retention_by_week(&log, today, RETENTION_WEEKS);
    let forecast = stats::forecast(states.values(), clock, today, FORECAST_DAYS);
    let tallies = stats::tallies(answers);
    let standing = |card_id: &str| {
        Standing::of(
            states.get(card_id),
            tallies.get(card_id).copied().unwrap_or(Tally::default()),
        )
    };
    let standings = rows(stats::by_standing(
        catalog.cards.iter().map(|c| standing(&c.id)),
    ));
    let mut eras = Vec::new();
    for deck in &catalog.decks {
        // Each card's era through its event, looked up once: finding the event by a scan of
        // the deck for every card and every era was most of the page (a profile of the
        // benchmark's /stats: string compares and hashing, 45 % of its CPU).
        let mut era_of: HashMap<&str, &str> = HashMap::new();
        for e in &deck.events {
            // The first of a repeated id, as `Deck::event` finds it.
            era_of.entry(e.id.as_str()).or_insert(e.era.as_str());
        }
        let mut by_era: HashMap<&str, Vec<Standing>> = HashMap::new();
        for c in catalog.deck_cards(&deck.id) {
            if let Some(era) = event_of(deck, c).and_then(|e| era_of.get(e)) {
                by_era.entry(era).or_default().push(standing(&c.id));
            }
        }
        for era in &deck.eras {
            let in_era = by_era.get(era.id.as_str()).cloned().unwrap_or_default();
            let total = in_era.len();
            let counts = rows(stats::by_standing(in_era));
            let mut x = 0.0;
            let segments = counts
                .iter()
                .filter(|r| r.count > 0)
                .map(|r| {
                    let w = 100.0 * r.count as f32 / total.max(1) as f32;
                    let s = Segment { key: r.key, x, w };
                    x += w;
                    s
                })
                .collect();
            eras.push(EraRow {
                title: era.title.clone(),
                counts,
                total,
                segments,
            });
        }
    }
    let day_rows: Vec<DayRow> = per_day.iter().map(|&(d, n)| day_row(d, n)).collect();
    let forecast_rows: Vec<DayRow> = forecast.iter().map(|&(d, n)| day_row(d, n)).collect();
    let week_rows: Vec<WeekRow> = weeks
        .iter()
        .map(|w| WeekRow {
            first: iso_day(w.first_day),
            label: format!("{} – {}", short_day(w.first_day), short_day(w.last_day)),
            due: w.due,
            right: w.right,
            retention: w.retention(),
        })
        .collect();
    let days_total = per_day.iter().map(|d| d.1).sum::<usize>();
    let forecast_total = forecast.iter().map(|d| d.1).sum::<usize>();
    StatsPage {
        page,
        day_words: format!(
            "Days run from {h:02}:00 to {h:02}:00, {} time.",
            clock.zone_name(),
            h = clock.rollover_hour()
        ),
        today_cards: t.cards,
        today_answers: t.answers,
        today_right: t.right,
        today_accuracy: t.accuracy(),
        today_time: stats::duration_words(t.duration_ms),
        streak: stats::streak(&stats::answer_days(&log), today),
        total_answers: answers.len(),
        days_total,
        days_summary: format!(
            "Bar chart of answers per day over the last 90 days, {days_total} in all; the table below has each day"
        ),
        forecast_summary: format!(
            "Bar chart of cards due on each of the next 30 days, {forecast_total} in all; the table below has each day"
        ),
        day_bars: chart::bars(&labelled(&day_rows), None, 30),
        heatmap: chart::heatmap(&per_day),
        week_bars: chart::bars(
            &week_rows
                .iter()
                .map(|w| (w.label.clone(), w.retention.unwrap_or(0) as usize))
                .collect::<Vec<_>>(),
            Some(100),
            4,
        ),
        weeks: week_rows,
        forecast_total,
        forecast_bars: chart::bars(&labelled(&forecast_rows), None, 7),
        forecast: forecast_rows,
        standing_bars: chart::bars(
            &standings
                .iter()
                .map(|r| (r.label.to_string(), r.count))
                .collect::<Vec<_>>(),
            None,
            1,
        ),
        standings,
        eras,
        days: day_rows,
        width: chart::WIDTH,
        height: chart::HEIGHT,
    }
}

fn day_row(day: i64, count: usize) -> DayRow {
    DayRow {
        iso: iso_day(day),
        label: short_day(day),
        count,
    }
}

fn labelled(rows: &[DayRow]) -> Vec<(String, usize)> {
    rows.iter().map(|r| (r.label.clone(), r.count)).collect()
}

fn rows(counts: Vec<(Standing, usize)>) -> Vec<StandingRow> {
    counts
        .into_iter()
        .map(|(s, count)| StandingRow {
            key: s.as_str(),
            label: s.label(),
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::chart::{bars, heatmap};

    fn day(iso: &str, label: &str, count: usize) -> DayRow {
        DayRow {
            iso: iso.into(),
            label: label.into(),
            count,
        }
    }

    #[test]
    fn the_stats_page_shows_today_each_chart_with_its_table_and_the_eras() {
        let known = || StandingRow {
            key: "known",
            label: "Known",
            count: 7,
        };
        let html = StatsPage {
            page: PageCtx::learner_for_tests(),
            today_cards: 5,
            today_answers: 8,
            today_right: 6,
            today_accuracy: Some(75),
            today_time: "4 min".into(),
            day_words: "Days run from 04:00 to 04:00, Asia/Ho_Chi_Minh time.".into(),
            streak: 2,
            total_answers: 40,
            days: vec![day("2026-12-01", "1 Dec", 8)],
            days_total: 40,
            days_summary: "Bar chart of answers per day".into(),
            forecast_summary: "Bar chart of cards due".into(),
            day_bars: bars(&[("1 Dec".into(), 8)], None, 1),
            heatmap: heatmap(&[(20_423, 8)]),
            weeks: vec![WeekRow {
                first: "2026-11-30".into(),
                label: "30 Nov".into(),
                due: 10,
                right: 9,
                retention: Some(90),
            }],
            week_bars: bars(&[("30 Nov".into(), 90)], Some(100), 1),
            forecast: vec![day("2026-12-02", "2 Dec", 3)],
            forecast_total: 1,
            forecast_bars: bars(&[("2 Dec".into(), 3)], None, 1),
            standings: vec![known()],
            standing_bars: bars(&[("Known".into(), 7)], None, 1),
            eras: vec![EraRow {
                title: "The <fall>".into(),
                counts: vec![known()],
                total: 7,
                segments: vec![Segment {
                    key: "known",
                    x: 0.0,
                    w: 100.0,
                }],
            }],
            width: 600.0,
            height: 160.0,
        }
        .render()
        .unwrap();
        assert!(html.contains("Days run from 04:00 to 04:00, Asia/Ho_Chi_Minh time."));
        assert!(html.contains("<dt>Cards studied</dt><dd>5</dd>"), "{html}");
        assert!(html.contains("<dt>Accuracy</dt><dd>75%</dd>"));
        assert!(html.contains("<dt>Streak</dt><dd>2 days</dd>"));
        assert!(!html.contains("No answers yet"));
        assert!(html.contains("40 answers in 90 days."));
        assert!(
            html.contains(
                "<tr data-day=\"2026-12-01\"><th scope=\"row\">1 Dec</th><td>8</td></tr>"
            )
        );
        assert!(html.contains("<tr data-week=\"2026-11-30\"><th scope=\"row\">30 Nov</th><td>10</td><td>9</td><td>90%</td></tr>"));
        assert!(html.contains("1 card come due in 30 days"));
        assert!(html.contains("id=\"days-chart\" viewBox=\"0 0 600 160\" role=\"img\" aria-label=\"Bar chart of answers per day\""));
        assert!(html.contains("data-value=\"8\"><title>1 Dec: 8</title>"));
        assert!(html.contains("<title>30 Nov: 90%</title>"));
        assert!(
            html.contains(
                "<th scope=\"row\">The &#60;fall&#62;</th><td data-state=\"known\">7</td>"
            )
        );
    }
}
