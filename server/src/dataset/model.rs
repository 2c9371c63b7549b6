//! The validated dataset: what the rest of Chronicle sees once a deck has loaded.

use super::date::HistDate;
use crate::ids::{DeckId, EventId};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize)]
pub struct Deck {
    pub id: DeckId,
    pub title: String,
    pub description: String,
    pub language: String,
    /// The TOML file the deck came from.
    pub source_file: PathBuf,
    pub documents: Vec<Document>,
    /// How the deck's people, groups and places are named, and who belongs to which group.
    pub names: Vec<Name>,
    /// Every normalised name and alias to its entry in `names`; built by the loader.
    #[serde(skip)]
    pub name_index: std::collections::HashMap<String, usize>,
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

    /// What learners see for a source: "Title (Publisher, 7 January 2024)", with whichever of
    /// publisher and date the article gives; the title alone when it gives neither.
    pub fn citation(&self, id: &str) -> String {
        let Some(doc) = self.documents.iter().find(|d| d.id == id) else {
            return id.to_string();
        };
        let mut about: Vec<String> = Vec::new();
        if let Some(p) = &doc.publisher {
            about.push(p.clone());
        }
        if let Some(d) = &doc.published {
            about.push(d.to_string());
        }
        if about.is_empty() {
            doc.title.clone()
        } else {
            format!("{} ({})", doc.title, about.join(", "))
        }
    }

    /// The `[[name]]` entry for a name as the deck writes it (or one of its aliases).
    pub fn name(&self, written: &str) -> Option<&Name> {
        if self.names.is_empty() {
            return None;
        }
        let key = crate::text::normalize(written);
        self.name_index.get(&key).map(|&i| &self.names[i])
    }

    /// True when one of the two names is a group that has the other among its members, so
    /// they cannot stand beside each other as rival answers.
    pub fn related_names(&self, a: &str, b: &str) -> bool {
        self.is_member(a, b) || self.is_member(b, a)
    }

    fn is_member(&self, group: &str, member: &str) -> bool {
        let Some(group) = self.name(group) else {
            return false;
        };
        let forms: Vec<String> = match self.name(member) {
            Some(n) => std::iter::once(&n.name)
                .chain(&n.aliases)
                .map(|s| crate::text::normalize(s))
                .collect(),
            None => vec![crate::text::normalize(member)],
        };
        group
            .members
            .iter()
            .any(|m| forms.contains(&crate::text::normalize(m)))
    }
}

/// A source article the deck cites.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub title: String,
    /// As the article gives it, e.g. "Nhân Dân".
    pub publisher: Option<String>,
    pub published: Option<HistDate>,
}

/// A person, group, organisation, state, army or place as the deck names it.
#[derive(Debug, Clone, Serialize)]
pub struct Name {
    pub name: String,
    /// Other forms the articles themselves use; accepted in typed answers.
    pub aliases: Vec<String>,
    pub kind: NameKind,
    /// A group's members: never offered as rival answers beside the group.
    pub members: Vec<String>,
    /// For a place: what sort it is. Named places of a kind are place distractors too.
    pub place_kind: Option<PlaceKind>,
    /// Whose side a person or body was on ("khmer-rouge"): speaker distractors are drawn
    /// from the speaker's own side first, so the words alone do not give the answer away.
    pub side: Option<String>,
    /// For a place: the country it lies in ("cambodia"). A place question whose answer has
    /// one offers only wrong places of the same country: the event itself often rules out
    /// the other country (offensives on bases inside Cambodia are not in a Vietnamese city).
    pub country: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Person,
    Group,
    Organisation,
    State,
    Army,
    Place,
}

impl NameKind {
    pub const EXPECTED: &'static str = "person, group, organisation, state, army or place";

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "person" => NameKind::Person,
            "group" => NameKind::Group,
            "organisation" => NameKind::Organisation,
            "state" => NameKind::State,
            "army" => NameKind::Army,
            "place" => NameKind::Place,
            _ => return None,
        })
    }
}

/// What sort of place an event's `place` is; place distractors are of the same sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    City,
    Province,
    District,
    Commune,
    Island,
    River,
    Country,
    Region,
    BorderArea,
    Building,
}

impl PlaceKind {
    pub const EXPECTED: &'static str = "city, province, district, commune, island, river, country, region, border-area or building";

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "city" => PlaceKind::City,
            "province" => PlaceKind::Province,
            "district" => PlaceKind::District,
            "commune" => PlaceKind::Commune,
            "island" => PlaceKind::Island,
            "river" => PlaceKind::River,
            "country" => PlaceKind::Country,
            "region" => PlaceKind::Region,
            "border-area" => PlaceKind::BorderArea,
            "building" => PlaceKind::Building,
            _ => return None,
        })
    }
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
    pub id: EventId,
    /// Line of its `[[event]]` in the deck file, for lint messages.
    pub line: usize,
    pub date: HistDate,
    pub end_date: Option<HistDate>,
    /// No article states the date; it is inferred (from a publication date, say). Never asked.
    pub date_inferred: bool,
    /// How the articles place an inferred date in time ("by January 2020"), shown instead
    /// of the inferred date, which is never stated as a fact.
    pub date_as_told: Option<String>,
    /// The event runs on to the articles' own day ("from 2015 up to now"): it covers every
    /// date from its start, so no later date is a wrong one for it, nor it a rival there.
    pub ongoing: bool,
    /// `Some(true)`: the date is only when the event began ("From September 25, 1977, Pol Pot
    /// ... launch[ed] their second large-scale attack") and the articles give no end, so it
    /// may have run on into later dates; `Some(false)`: the author checked that the date is
    /// the whole event; `None`: not said (the lint asks when a quote reads as a start).
    pub open_ended: Option<bool>,
    /// For an open-ended event, a date by which the articles show it over (the end of the
    /// stage of the war it belongs to): from then on it is again a fair wrong answer.
    pub over_by: Option<HistDate>,
    pub title: String,
    pub summary: String,
    pub place: Option<String>,
    pub place_kind: Option<PlaceKind>,
    pub actors: Vec<String>,
    pub era: String,
    pub tags: Vec<String>,
    pub figures: Vec<Figure>,
    pub sources: Vec<Source>,
    pub cloze: Option<Cloze>,
    pub disputes: Vec<Dispute>,
}

impl Event {
    /// The last date the event covers: its `end_date`, or its date.
    pub fn end(&self) -> HistDate {
        self.end_date.unwrap_or(self.date)
    }

    /// True when the date is only the event's start and its end is unknown.
    pub fn is_open_ended(&self) -> bool {
        self.open_ended == Some(true)
    }

    /// True when the event may still have been going on at some day of `[from, to]` (days):
    /// it began by `to`, and it is ongoing, or open-ended and not known over before `from`.
    /// Such an event is no fair "did not happen then" answer for that window.
    pub fn may_run_into(&self, from: i64, to: i64) -> bool {
        let began = self.date.first_day() <= to;
        let over_before = |by: &HistDate| by.last_day() < from;
        began
            && (self.ongoing
                || (self.is_open_ended() && !self.over_by.as_ref().is_some_and(over_before)))
    }

    /// True when `d` could name a day inside the event's [date, end_date] span.
    pub fn span_covers(&self, d: &HistDate) -> bool {
        d.first_day() <= self.end().last_day() && self.date.first_day() <= d.last_day()
    }

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
    /// `unit` is the plural; this is the word for a value of 1 ("division").
    pub unit_singular: Option<String>,
    /// How the source bounds the value ("over 500" is `Over`).
    pub qualifier: Qualifier,
    /// Kept for the export's readers: true for any qualifier but `exact`.
    pub approximate: bool,
}

/// How a source states a figure: exactly, roughly, or as a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    #[default]
    Exact,
    /// "about", "some", "around": either side.
    About,
    /// "nearly", "almost": a little under.
    Nearly,
    /// "over", "more than": above.
    Over,
    /// "at least": this or above.
    AtLeast,
    /// "under", "less than": below.
    Under,
    /// "up to", "as many as": this or below.
    UpTo,
}

impl Qualifier {
    /// "More than", "at least", "under", "up to": one side open, so no single rival is
    /// ruled out as the figure.
    pub fn is_bound(self) -> bool {
        matches!(
            self,
            Qualifier::Over | Qualifier::AtLeast | Qualifier::Under | Qualifier::UpTo
        )
    }
}

impl Qualifier {
    pub const EXPECTED: &'static str = "exact, about, nearly, over, at_least, under or up_to";

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "exact" => Qualifier::Exact,
            "about" => Qualifier::About,
            "nearly" => Qualifier::Nearly,
            "over" => Qualifier::Over,
            "at_least" => Qualifier::AtLeast,
            "under" => Qualifier::Under,
            "up_to" => Qualifier::UpTo,
            _ => return None,
        })
    }
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
    /// Other accepted forms of the blank.
    pub aliases: Vec<String>,
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
    /// Other events the same disputed detail touches.
    pub also: Vec<String>,
    /// Set on the copy a dispute leaves on each event of its `also`: the event it is written on.
    pub recorded_on: Option<String>,
}

/// Words a person said, as printed in an article.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    pub id: String,
    /// Line of its `[[quote]]` in the deck file, for lint messages.
    pub line: usize,
    pub speaker: String,
    pub speaker_role: Option<String>,
    pub text: String,
    pub date: Option<HistDate>,
    /// The event it was said at or speaks of, when the deck names one: shown beside its
    /// question with the event's date, so the articles must tie them (`quote-event-untied`).
    pub event: Option<EventId>,
    pub sources: Vec<Source>,
}
