//! The validated dataset: what the rest of Chronicle sees once a deck has loaded.

use super::date::HistDate;
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize)]
pub struct Deck {
    pub id: String,
    pub title: String,
    pub description: String,
    pub language: String,
    /// The TOML file the deck came from.
    pub source_file: PathBuf,
    pub documents: Vec<Document>,
    pub eras: Vec<Era>,
    pub events: Vec<Event>,
    pub quotes: Vec<Quote>,
}

impl Deck {
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    pub fn quote(&self, id: &str) -> Option<&Quote> {
        self.quotes.iter().find(|q| q.id == id)
    }

    pub fn era(&self, id: &str) -> Option<&Era> {
        self.eras.iter().find(|e| e.id == id)
    }

    pub fn document_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.documents
            .iter()
            .find(|d| d.id == id)
            .map_or(id, |d| d.title.as_str())
    }
}

/// A source article the deck cites.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Era {
    pub id: String,
    pub title: String,
    pub start: HistDate,
    pub end: Option<HistDate>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: String,
    pub date: HistDate,
    pub end_date: Option<HistDate>,
    pub title: String,
    pub summary: String,
    pub place: Option<String>,
    pub actors: Vec<String>,
    pub era: String,
    pub tags: Vec<String>,
    pub figures: Vec<Figure>,
    pub sources: Vec<Source>,
    pub cloze: Option<Cloze>,
    pub disputes: Vec<Dispute>,
}

impl Event {
    /// True when the articles disagree about this part of the event, so no question may ask it.
    pub fn is_disputed(&self, about: DisputeAbout) -> bool {
        self.disputes.iter().any(|d| d.about == about)
    }

    pub fn is_figure_disputed(&self, figure: &Figure) -> bool {
        self.disputes.iter().any(|d| {
            d.about == DisputeAbout::Figure && d.figure.as_deref() == Some(figure.what.as_str())
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub what: String,
    pub value: f64,
    pub unit: String,
    pub approximate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub document: String,
    pub quote: String,
}

/// A statement we wrote with one key term blanked out, and three wrong terms.
#[derive(Debug, Clone, Serialize)]
pub struct Cloze {
    pub text: String,
    pub before: String,
    pub answer: String,
    pub after: String,
    pub distractors: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeAbout {
    Date,
    EndDate,
    Place,
    Figure,
    Actors,
    Other,
}

impl DisputeAbout {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "date" => DisputeAbout::Date,
            "end_date" => DisputeAbout::EndDate,
            "place" => DisputeAbout::Place,
            "figure" => DisputeAbout::Figure,
            "actors" => DisputeAbout::Actors,
            "other" => DisputeAbout::Other,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Dispute {
    pub about: DisputeAbout,
    pub figure: Option<String>,
    pub note: String,
    pub sources: Vec<Source>,
}

/// Words a person said, as printed in an article.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub id: String,
    pub speaker: String,
    pub speaker_role: Option<String>,
    pub text: String,
    pub date: Option<HistDate>,
    pub event: Option<String>,
    pub sources: Vec<Source>,
}
