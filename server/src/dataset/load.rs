//! Reads `questions/*.toml` into [`Deck`]s. Every problem is reported as `file:line: message`,
//! all of them at once, so a teacher can fix a deck in one pass.

use super::date::{HistDate, Precision};
use super::model::*;
use crate::ids::{DeckId, EventId};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetError {
    pub file: PathBuf,
    pub line: usize,
    /// The spreadsheet column (1 for A) of a problem in a CSV deck.
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(c) => write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                c,
                self.message
            ),
            None => write!(f, "{}:{}: {}", self.file.display(), self.line, self.message),
        }
    }
}

/// Every problem found in a dataset; never empty.
#[derive(Debug, Clone)]
pub struct DatasetErrors(pub Vec<DatasetError>);

impl fmt::Display for DatasetErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DatasetErrors {}

/// Loads every `*.toml` in `dir` (sorted by name) and checks ids are unique across decks.
pub fn load_dir(dir: &Path) -> Result<Vec<Deck>, DatasetErrors> {
    match read_dir(dir) {
        (decks, errors) if errors.is_empty() => Ok(decks),
        (_, errors) => Err(DatasetErrors(errors)),
    }
}

/// Every problem of every deck in `dir`, and the decks as far as they parsed (see
/// [`read_deck`]), so `questions check` can lint what parsed in the same pass.
pub fn read_dir(dir: &Path) -> (Vec<Deck>, Vec<DatasetError>) {
    let fail = |message: String| {
        vec![DatasetError {
            file: dir.to_path_buf(),
            line: 0,
            column: None,
            message,
        }]
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return (
                Vec::new(),
                fail(format!("cannot read the questions folder: {e}")),
            );
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return (
            Vec::new(),
            fail("no deck: the folder has no .toml file".into()),
        );
    }
    let mut decks = Vec::new();
    let mut errors = Vec::new();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                errors.push(DatasetError {
                    file: file.clone(),
                    line: 0,
                    column: None,
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let (deck, mut problems) = read_deck(file, &text);
        errors.append(&mut problems);
        decks.extend(deck);
    }
    // Event and quote ids key learners' cards, so they must be unique across decks too.
    let mut seen: HashMap<String, &Path> = HashMap::new();
    for deck in &decks {
        let subjects = std::iter::once(&deck.id)
            .map(|id| format!("deck `{id}`"))
            .chain(deck.events.iter().map(|e| format!("event `{}`", e.id)))
            .chain(deck.quotes.iter().map(|q| format!("quote `{}`", q.id)));
        for what in subjects {
            if let Some(first) = seen.get(&what) {
                errors.push(DatasetError {
                    file: deck.source_file.clone(),
                    line: 0,
                    column: None,
                    message: format!("{what} is already defined in {}", first.display()),
                });
            } else {
                seen.insert(what, &deck.source_file);
            }
        }
    }
    (decks, errors)
}

// ---- Raw shapes, exactly as written in TOML. Unknown fields are errors. ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeck {
    id: Spanned<String>,
    title: Spanned<String>,
    description: String,
    language: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    id: Spanned<String>,
    title: Spanned<String>,
    publisher: Option<Spanned<String>>,
    published: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    name: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    kind: Spanned<String>,
    #[serde(default)]
    members: Vec<Spanned<String>>,
    place_kind: Option<Spanned<String>>,
    side: Option<Spanned<String>>,
    country: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEra {
    id: Spanned<String>,
    title: Spanned<String>,
    start: Spanned<String>,
    end: Option<Spanned<String>>,
    description: Option<String>,
}

/// An `[[event]]` without its sub-tables (figures, sources, cloze, disputes), which are
/// decoded one by one so that a fault in one hides nothing else. Required fields are
/// `Option` here and checked by hand, so every missing one is reported, not only the first.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    id: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    end_date: Option<Spanned<String>>,
    #[serde(default)]
    date_inferred: bool,
    date_as_told: Option<Spanned<String>>,
    #[serde(default)]
    ongoing: bool,
    open_ended: Option<Spanned<bool>>,
    over_by: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    place: Option<Spanned<String>>,
    place_kind: Option<Spanned<String>>,
    #[serde(default)]
    actors: Vec<String>,
    era: Option<Spanned<String>>,
    #[serde(default)]
    tags: Vec<String>,
}

/// An event's sub-tables, each decoded on its own.
#[derive(Default)]
struct RawEventParts {
    figure: Vec<Spanned<RawFigure>>,
    source: Vec<Spanned<RawSource>>,
    cloze: Option<Spanned<RawCloze>>,
    dispute: Vec<Spanned<RawDispute>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    what: Option<Spanned<String>>,
    value: Option<Spanned<f64>>,
    unit: Option<Spanned<String>>,
    unit_singular: Option<Spanned<String>>,
    qualifier: Option<Spanned<String>>,
    /// The old form of `qualifier = "about"`, still read.
    approximate: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    document: Option<Spanned<String>>,
    quote: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCloze {
    text: Spanned<String>,
    distractors: Spanned<Vec<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDispute {
    about: Spanned<String>,
    figure: Option<Spanned<String>>,
    note: Spanned<String>,
    #[serde(default)]
    source: Vec<Spanned<RawSource>>,
    #[serde(default)]
    also: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuote {
    id: Spanned<String>,
    speaker: Spanned<String>,
    speaker_role: Option<String>,
    text: Spanned<String>,
    date: Option<Spanned<String>>,
    event: Option<Spanned<String>>,
    #[serde(default)]
    source: Vec<Spanned<RawSource>>,
}

/// Collects problems for one file, turning byte offsets into line numbers.
struct Problems<'a> {
    file: &'a Path,
    text: &'a str,
    errors: Vec<DatasetError>,
    /// `(table offset, key)` of fields dropped for being unknown or of the wrong type.
    dropped: HashSet<(usize, String)>,
}

impl Problems<'_> {
    /// A required field: reported missing (at its table) unless it was dropped for its type.
    fn need<T>(&mut self, table: usize, value: Option<T>, key: &str) -> Option<T> {
        if value.is_none() && !self.dropped.contains(&(table, key.to_string())) {
            self.at(table, format!("missing field `{key}`"));
        }
        value
    }

    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count()
            + 1
    }

    fn at(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.line_of(offset);
        self.errors.push(DatasetError {
            file: self.file.to_path_buf(),
            line,
            column: None,
            message: message.into(),
        });
    }

    fn toml(&mut self, fallback: usize, err: &toml::de::Error) {
        let offset = err.span().map_or(fallback, |s| s.start);
        let message = err.message().trim().to_string();
        self.at(offset, message);
    }

    fn non_empty(&mut self, value: &Spanned<String>, what: &str) {
        if value.get_ref().trim().is_empty() {
            self.at(value.span().start, format!("{what} must not be empty"));
        }
    }

    fn date(&mut self, value: &Spanned<String>, what: &str) -> Option<HistDate> {
        HistDate::parse_iso(value.get_ref())
            .map_err(|e| self.at(value.span().start, format!("{what}: {e}")))
            .ok()
    }

    fn slug(&mut self, value: &Spanned<String>, what: &str) {
        if !is_slug(value.get_ref()) {
            self.at(
                value.span().start,
                format!(
                    "{what} `{}` must be a slug: lowercase letters, digits and single hyphens",
                    value.get_ref()
                ),
            );
        }
    }
}

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Takes the array of tables under `key` out of the document, one `(span, table)` per entry.
fn items<'i>(
    root: &mut DeTable<'i>,
    key: &str,
    problems: &mut Problems<'_>,
) -> Vec<(Range<usize>, DeTable<'i>)> {
    let Some(value) = root.remove(key) else {
        return Vec::new();
    };
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(array) => array
            .into_iter()
            .filter_map(|item| {
                let span = item.span();
                match item.into_inner() {
                    DeValue::Table(t) => Some((span, t)),
                    _ => {
                        problems.at(
                            span.start,
                            format!("each `{key}` must be a table ([[{key}]])"),
                        );
                        None
                    }
                }
            })
            .collect(),
        _ => {
            problems.at(
                span.start,
                format!("`{key}` must be written as [[{key}]] tables"),
            );
            Vec::new()
        }
    }
}

/// Decodes one table into `T`. A field of the wrong type or an unknown field is reported and
/// dropped, and the rest decoded again, so one bad field hides nothing else in the table.
fn decode<T: for<'de> Deserialize<'de>>(
    span: Range<usize>,
    mut table: DeTable<'_>,
    problems: &mut Problems<'_>,
) -> Option<(usize, T)> {
    let start = span.start;
    loop {
        let de = toml::Deserializer::from(Spanned::new(span.clone(), table.clone()));
        let e = match T::deserialize(de) {
            Ok(v) => return Some((start, v)),
            Err(e) => e,
        };
        // A field this loop dropped for its type is not missing as well.
        if let Some(field) = missing_field(e.message())
            && problems.dropped.contains(&(start, field.to_string()))
        {
            return None;
        }
        problems.toml(start, &e);
        let at = e.span().map(|s| s.start)?;
        let culprit = table
            .iter()
            .find(|(k, v)| k.span().start <= at && at < v.span().end.max(k.span().end))
            .map(|(k, _)| k.get_ref().to_string());
        let key = culprit?;
        table.remove(key.as_str());
        problems.dropped.insert((start, key));
    }
}

/// The field a serde "missing field `x`" message names.
fn missing_field(message: &str) -> Option<&str> {
    message
        .trim()
        .strip_prefix("missing field `")?
        .split('`')
        .next()
}

/// Every table of the array `key` inside `table`, each decoded on its own.
fn decode_all<T: for<'de> Deserialize<'de>>(
    table: &mut DeTable<'_>,
    key: &str,
    problems: &mut Problems<'_>,
) -> Vec<Spanned<T>> {
    items(table, key, problems)
        .into_iter()
        .filter_map(|(span, t)| {
            decode::<T>(span.clone(), t, problems).map(|(_, v)| Spanned::new(span, v))
        })
        .collect()
}

/// Takes an event's sub-tables out of it and decodes each apart.
fn event_parts(table: &mut DeTable<'_>, problems: &mut Problems<'_>) -> RawEventParts {
    let cloze = table.remove("cloze").and_then(|v| {
        let span = v.span();
        match v.into_inner() {
            DeValue::Table(t) => {
                decode::<RawCloze>(span.clone(), t, problems).map(|(_, c)| Spanned::new(span, c))
            }
            _ => {
                problems.at(span.start, "`cloze` must be a table ([event.cloze])");
                None
            }
        }
    });
    RawEventParts {
        figure: decode_all(table, "figure", problems),
        source: decode_all(table, "source", problems),
        cloze,
        dispute: decode_all(table, "dispute", problems),
    }
}

/// Parses and validates one deck file. `file` is only used in messages.
pub fn parse_deck(file: &Path, text: &str) -> Result<Deck, DatasetErrors> {
    match read_deck(file, text) {
        (Some(deck), errors) if errors.is_empty() => Ok(deck),
        (_, errors) => Err(DatasetErrors(errors)),
    }
}

/// Every problem of one deck file, in line order, and the deck as far as it parsed (what
/// loaded without a problem, for the lint to read too); no deck when the TOML itself is
/// broken.
pub fn read_deck(file: &Path, text: &str) -> (Option<Deck>, Vec<DatasetError>) {
    let mut p = Problems {
        file,
        text,
        errors: Vec::new(),
        dropped: HashSet::new(),
    };
    let (root, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        for e in &syntax {
            p.toml(0, e);
        }
        return (None, p.errors);
    }
    let mut root = root.into_inner();

    let deck_header = match root.remove("deck") {
        Some(v) => {
            let span = v.span();
            match v.into_inner() {
                DeValue::Table(t) => decode::<RawDeck>(span, t, &mut p).map(|(_, d)| d),
                _ => {
                    p.at(span.start, "`deck` must be a table ([deck])");
                    None
                }
            }
        }
        None => {
            p.at(
                0,
                "missing the [deck] table (id, title, description, language)",
            );
            None
        }
    };
    let documents: Vec<_> = items(&mut root, "document", &mut p)
        .into_iter()
        .filter_map(|(s, t)| decode::<RawDocument>(s, t, &mut p))
        .collect();
    let names: Vec<_> = items(&mut root, "name", &mut p)
        .into_iter()
        .filter_map(|(s, t)| decode::<RawName>(s, t, &mut p))
        .collect();
    let eras: Vec<_> = items(&mut root, "era", &mut p)
        .into_iter()
        .filter_map(|(s, t)| decode::<RawEra>(s, t, &mut p))
        .collect();
    let events: Vec<_> = items(&mut root, "event", &mut p)
        .into_iter()
        .filter_map(|(s, mut t)| {
            let parts = event_parts(&mut t, &mut p);
            decode::<RawEvent>(s, t, &mut p).map(|(start, e)| (start, e, parts))
        })
        .collect();
    let quotes: Vec<_> = items(&mut root, "quote", &mut p)
        .into_iter()
        .filter_map(|(s, t)| decode::<RawQuote>(s, t, &mut p))
        .collect();
    for (key, value) in root.iter() {
        p.at(
            key.span().start.min(value.span().start),
            format!(
                "unknown table or key `{}`: expected deck, document, name, era, event or quote",
                key.get_ref()
            ),
        );
    }

    let mut deck = Deck {
        id: DeckId::default(),
        title: String::new(),
        description: String::new(),
        language: String::new(),
        source_file: file.to_path_buf(),
        documents: Vec::new(),
        names: Vec::new(),
        name_index: HashMap::new(),
        eras: Vec::new(),
        events: Vec::new(),
        quotes: Vec::new(),
    };
    if let Some(h) = deck_header {
        p.slug(&h.id, "deck id");
        p.non_empty(&h.title, "deck title");
        deck.id = DeckId::new(h.id.into_inner());
        deck.title = h.title.into_inner();
        deck.description = h.description;
        deck.language = h.language;
    }

    let mut doc_ids = HashSet::new();
    for (_, d) in documents {
        p.non_empty(&d.title, "document title");
        if !doc_ids.insert(d.id.get_ref().clone()) {
            p.at(
                d.id.span().start,
                format!("duplicate document id `{}`", d.id.get_ref()),
            );
        }
        if let Some(publisher) = &d.publisher {
            p.non_empty(publisher, "document publisher");
        }
        let published = d
            .published
            .as_ref()
            .and_then(|v| p.date(v, "document published"));
        deck.documents.push(Document {
            id: d.id.into_inner(),
            title: d.title.into_inner(),
            publisher: d.publisher.map(|s| s.into_inner().trim().to_string()),
            published,
        });
    }

    let mut name_keys = HashSet::new();
    for (_, n) in names {
        p.non_empty(&n.name, "name");
        let kind = NameKind::parse(n.kind.get_ref());
        if kind.is_none() {
            p.at(
                n.kind.span().start,
                format!(
                    "name kind `{}`: expected {}",
                    n.kind.get_ref(),
                    NameKind::EXPECTED
                ),
            );
        }
        for form in std::iter::once(&n.name).chain(&n.aliases) {
            p.non_empty(form, "name alias");
            let key = crate::text::normalize(form.get_ref());
            if !key.is_empty() && !name_keys.insert(key) {
                p.at(
                    form.span().start,
                    format!("the name `{}` is already declared", form.get_ref()),
                );
            }
        }
        for m in &n.members {
            p.non_empty(m, "name member");
        }
        if !n.members.is_empty() && kind.is_some_and(|k| k == NameKind::Person) {
            p.at(n.kind.span().start, "a person has no `members`");
        }
        let place_kind = n.place_kind.as_ref().and_then(|k| {
            if kind.is_some_and(|kind| kind != NameKind::Place) {
                p.at(k.span().start, "`place_kind` is only for kind = \"place\"");
            }
            PlaceKind::parse(k.get_ref()).or_else(|| {
                p.at(
                    k.span().start,
                    format!(
                        "place_kind `{}`: expected {}",
                        k.get_ref(),
                        PlaceKind::EXPECTED
                    ),
                );
                None
            })
        });
        // A side is a slug the deck chooses ("khmer-rouge"); a place takes no side.
        if let Some(side) = &n.side {
            p.slug(side, "side");
            if kind.is_some_and(|k| k == NameKind::Place) {
                p.at(side.span().start, "a place has no `side`");
            }
        }
        // A country is a slug too ("cambodia"), and only a place lies in one.
        if let Some(country) = &n.country {
            p.slug(country, "country");
            if kind.is_some_and(|k| k != NameKind::Place) {
                p.at(
                    country.span().start,
                    "`country` is only for kind = \"place\"",
                );
            }
        }
        if let Some(kind) = kind {
            let at = deck.names.len();
            for form in std::iter::once(&n.name).chain(&n.aliases) {
                deck.name_index
                    .entry(crate::text::normalize(form.get_ref()))
                    .or_insert(at);
            }
            deck.names.push(Name {
                name: n.name.into_inner().trim().to_string(),
                aliases: n
                    .aliases
                    .into_iter()
                    .map(|a| a.into_inner().trim().to_string())
                    .collect(),
                kind,
                members: n
                    .members
                    .into_iter()
                    .map(|m| m.into_inner().trim().to_string())
                    .collect(),
                place_kind,
                side: n.side.map(|s| s.into_inner()),
                country: n.country.map(|c| c.into_inner()),
            });
        }
    }

    let mut era_ids = HashSet::new();
    for (_, e) in eras {
        p.slug(&e.id, "era id");
        p.non_empty(&e.title, "era title");
        if !era_ids.insert(e.id.get_ref().clone()) {
            p.at(
                e.id.span().start,
                format!("duplicate era id `{}`", e.id.get_ref()),
            );
        }
        let start = p.date(&e.start, "era start");
        let end = e.end.as_ref().and_then(|d| p.date(d, "era end"));
        if let (Some(s), Some(end), Some(raw)) = (start, end, &e.end)
            && end.last_day() < s.first_day()
        {
            p.at(raw.span().start, "era end is before its start");
        }
        if let Some(start) = start {
            deck.eras.push(Era {
                id: e.id.into_inner(),
                title: e.title.into_inner(),
                start,
                end,
                description: e.description,
            });
        }
    }

    let mut event_ids = HashSet::new();
    let mut later = Later::default();
    for (start, e, parts) in events {
        if let Some(event) = check_event(
            &mut p,
            start,
            (e, parts),
            &era_ids,
            &doc_ids,
            &mut event_ids,
            &mut later,
        ) {
            deck.events.push(event);
        }
    }
    // An inferred date is never shown as a fact: without words of the author's, the event is
    // placed in time as the articles can vouch for, by the earliest dated article citing it.
    for e in deck.events.iter_mut() {
        if e.date_inferred && e.date_as_told.is_none() {
            e.date_as_told = e
                .sources
                .iter()
                .filter_map(|s| deck.documents.iter().find(|d| d.id == s.document))
                .filter_map(|d| d.published)
                .min_by_key(|d| d.first_day())
                .map(|d| format!("reported by {}", d.truncate(Precision::Month)));
        }
    }
    // A dispute's `also` may name an event written later in the file, so it is checked here,
    // and a copy of the dispute is left on each event it touches.
    for (offset, from, to) in later.also {
        if to == from {
            p.at(offset, format!("dispute `also` names its own event `{to}`"));
        } else if !event_ids.contains(&to) {
            p.at(offset, format!("dispute `also` names unknown event `{to}`"));
        }
    }
    let copies: Vec<(String, Dispute)> = deck
        .events
        .iter()
        .flat_map(|e| {
            e.disputes
                .iter()
                .flat_map(move |d| d.also.iter().map(move |to| (to, e, d)))
        })
        .filter(|(to, e, _)| e.id != **to)
        .map(|(to, e, d)| {
            let copy = Dispute {
                also: Vec::new(),
                recorded_on: Some(e.id.to_string()),
                ..d.clone()
            };
            (to.clone(), copy)
        })
        .collect();
    for (to, copy) in copies {
        if let Some(target) = deck.events.iter_mut().find(|e| e.id == to) {
            target.disputes.push(copy);
        }
    }
    for (offset, id) in later.told {
        let disputed = deck.event(&id).is_some_and(|e| {
            e.is_disputed(DisputeAbout::Date) || e.is_disputed(DisputeAbout::EndDate)
        });
        if !disputed {
            p.at(
                offset,
                "date_as_told is only for an inferred date (date_inferred = true) or a disputed one",
            );
        }
    }

    let mut quote_ids = HashSet::new();
    for (start, q) in quotes {
        p.slug(&q.id, "quote id");
        if !quote_ids.insert(q.id.get_ref().clone()) {
            p.at(
                q.id.span().start,
                format!("duplicate quote id `{}`", q.id.get_ref()),
            );
        }
        p.non_empty(&q.speaker, "quote speaker");
        p.non_empty(&q.text, "quote text");
        let date = q.date.as_ref().and_then(|d| p.date(d, "quote date"));
        if let Some(ev) = &q.event
            && !event_ids.contains(ev.get_ref())
        {
            p.at(
                ev.span().start,
                format!("quote names unknown event `{}`", ev.get_ref()),
            );
        }
        if q.source.is_empty() {
            p.at(
                start,
                format!(
                    "quote `{}` has no source: add a [[quote.source]]",
                    q.id.get_ref()
                ),
            );
        }
        let sources = check_sources(&mut p, q.source, &doc_ids);
        deck.quotes.push(Quote {
            line: p.line_of(start),
            id: q.id.into_inner(),
            speaker: q.speaker.into_inner().trim().to_string(),
            speaker_role: q.speaker_role,
            text: q.text.into_inner().trim().to_string(),
            date,
            event: q.event.map(|e| EventId::new(e.into_inner())),
            sources,
        });
    }

    p.errors.sort_by_key(|e| e.line);
    (Some(deck), p.errors)
}

fn check_sources(
    p: &mut Problems<'_>,
    sources: Vec<Spanned<RawSource>>,
    doc_ids: &HashSet<String>,
) -> Vec<Source> {
    sources
        .into_iter()
        .filter_map(|s| {
            let at = s.span().start;
            let s = s.into_inner();
            let document = p.need(at, s.document, "document");
            let quote = p.need(at, s.quote, "quote");
            if let Some(d) = &document
                && !doc_ids.contains(d.get_ref())
            {
                p.at(
                    d.span().start,
                    format!(
                        "source names unknown document `{}`: declare it in a [[document]]",
                        d.get_ref()
                    ),
                );
            }
            if let Some(q) = &quote {
                p.non_empty(q, "source quote");
            }
            Some(Source {
                document: document?.into_inner(),
                quote: quote?.into_inner(),
            })
        })
        .collect()
}

/// What an event refers to that only the whole deck can check: dispute `also` targets
/// (offset, from, to), and a `date_as_told` beside a date that is not inferred (offset, id).
#[derive(Default)]
struct Later {
    also: Vec<(usize, String, String)>,
    told: Vec<(usize, String)>,
}

fn check_event(
    p: &mut Problems<'_>,
    start: usize,
    (e, parts): (RawEvent, RawEventParts),
    era_ids: &HashSet<String>,
    doc_ids: &HashSet<String>,
    event_ids: &mut HashSet<String>,
    later: &mut Later,
) -> Option<Event> {
    // Every field is checked even when another is missing, so one pass finds everything.
    let raw_id = p.need(start, e.id, "id");
    let raw_date = p.need(start, e.date, "date");
    let title = p.need(start, e.title, "title");
    let summary = p.need(start, e.summary, "summary");
    let era = p.need(start, e.era, "era");
    let id = raw_id
        .as_ref()
        .map_or_else(String::new, |i| i.get_ref().clone());
    if let Some(raw_id) = &raw_id {
        p.slug(raw_id, "event id");
        if !event_ids.insert(id.clone()) {
            p.at(raw_id.span().start, format!("duplicate event id `{id}`"));
        }
    }
    if let Some(title) = &title {
        p.non_empty(title, "event title");
    }
    if let Some(summary) = &summary {
        p.non_empty(summary, "event summary");
    }
    if let Some(place) = &e.place {
        p.non_empty(place, "event place");
    }
    let place_kind = e.place_kind.as_ref().and_then(|k| {
        if e.place.is_none() {
            p.at(k.span().start, "`place_kind` without a `place`");
        }
        PlaceKind::parse(k.get_ref()).or_else(|| {
            p.at(
                k.span().start,
                format!(
                    "place_kind `{}`: expected {}",
                    k.get_ref(),
                    PlaceKind::EXPECTED
                ),
            );
            None
        })
    });
    let date = raw_date.as_ref().and_then(|d| p.date(d, "date"));
    let end_date = e.end_date.as_ref().and_then(|d| p.date(d, "end_date"));
    if let (Some(d), Some(end), Some(raw)) = (date, end_date, &e.end_date)
        && end.last_day() < d.first_day()
    {
        p.at(
            raw.span().start,
            format!("end_date {} is before date {}", end.iso(), d.iso()),
        );
    }
    let over_by = e.over_by.as_ref().and_then(|d| p.date(d, "over_by"));
    check_open_ended(
        p,
        (e.open_ended.as_ref(), e.over_by.as_ref()),
        (e.end_date.is_some(), e.ongoing),
        date,
        over_by,
    );
    if let Some(told) = &e.date_as_told {
        // A disputed date may be one another event's dispute names, so that is checked
        // once every dispute is copied to the events it touches.
        if !e.date_inferred {
            later.told.push((told.span().start, id.clone()));
        }
        if told.get_ref().trim().is_empty() {
            p.at(told.span().start, "date_as_told must not be empty");
        }
    }
    if let Some(era) = &era
        && !era_ids.contains(era.get_ref())
    {
        p.at(
            era.span().start,
            format!("unknown era `{}`: declare it in an [[era]]", era.get_ref()),
        );
    }
    if parts.source.is_empty() {
        p.at(
            start,
            format!("event `{id}` has no source: add an [[event.source]]"),
        );
    }
    let sources = check_sources(p, parts.source, doc_ids);

    let mut figures = Vec::new();
    for f in parts.figure {
        let at = f.span().start;
        let f = f.into_inner();
        let what = p.need(at, f.what, "what");
        let value = p.need(at, f.value, "value");
        let unit = p.need(at, f.unit, "unit");
        if let Some(what) = &what {
            p.non_empty(what, "figure what");
        }
        if let Some(unit) = &unit {
            p.non_empty(unit, "figure unit");
        }
        if let Some(value) = &value
            && !value.get_ref().is_finite()
        {
            p.at(value.span().start, "figure value must be a finite number");
        }
        if let Some(s) = &f.unit_singular {
            p.non_empty(s, "figure unit_singular");
        }
        let qualifier = match (&f.qualifier, &f.approximate) {
            (Some(q), Some(a)) => {
                p.at(
                    a.span().start,
                    "write either `qualifier` or the old `approximate`, not both",
                );
                Qualifier::parse(q.get_ref()).unwrap_or_default()
            }
            (Some(q), None) => Qualifier::parse(q.get_ref()).unwrap_or_else(|| {
                p.at(
                    q.span().start,
                    format!(
                        "figure qualifier `{}`: expected {}",
                        q.get_ref(),
                        Qualifier::EXPECTED
                    ),
                );
                Qualifier::Exact
            }),
            (None, Some(a)) if *a.get_ref() => Qualifier::About,
            (None, _) => Qualifier::Exact,
        };
        let (Some(what), Some(value), Some(unit)) = (what, value, unit) else {
            continue;
        };
        figures.push(Figure {
            what: what.into_inner(),
            value: value.into_inner(),
            unit: unit.into_inner(),
            unit_singular: f.unit_singular.map(|s| s.into_inner().trim().to_string()),
            qualifier,
            approximate: qualifier != Qualifier::Exact,
        });
    }

    let cloze = parts.cloze.and_then(|c| {
        let c = c.into_inner();
        check_cloze(p, c)
    });

    let mut disputes = Vec::new();
    for d in parts.dispute {
        let span = d.span();
        let d = d.into_inner();
        let Some(about) = DisputeAbout::parse(d.about.get_ref()) else {
            p.at(
                d.about.span().start,
                format!(
                    "dispute about `{}`: expected date, end_date, place, figure, actors or other",
                    d.about.get_ref()
                ),
            );
            continue;
        };
        match (&d.figure, about) {
            (Some(f), DisputeAbout::Figure) => {
                if !figures.iter().any(|x| &x.what == f.get_ref()) {
                    p.at(
                        f.span().start,
                        format!("dispute names no figure of this event: `{}`", f.get_ref()),
                    );
                }
            }
            (None, DisputeAbout::Figure) => p.at(
                d.about.span().start,
                "a figure dispute must name the figure's `what`",
            ),
            (Some(f), _) => p.at(f.span().start, "`figure` is only for about = \"figure\""),
            (None, _) => {}
        }
        p.non_empty(&d.note, "dispute note");
        for a in &d.also {
            later
                .also
                .push((a.span().start, id.clone(), a.get_ref().clone()));
        }
        if d.source.len() < 2 {
            p.at(
                span.start,
                "a dispute must cite both sides: at least two [[event.dispute.source]]",
            );
        }
        disputes.push(Dispute {
            about,
            figure: d.figure.map(Spanned::into_inner),
            note: d.note.into_inner(),
            sources: check_sources(p, d.source, doc_ids),
            also: d.also.into_iter().map(Spanned::into_inner).collect(),
            recorded_on: None,
        });
    }

    Some(Event {
        line: p.line_of(start),
        id: EventId::new(raw_id?.into_inner()),
        date: date?,
        end_date,
        date_inferred: e.date_inferred,
        date_as_told: e
            .date_as_told
            .map(|s| s.into_inner().trim().to_string())
            .filter(|s| !s.is_empty()),
        ongoing: e.ongoing,
        open_ended: e.open_ended.map(Spanned::into_inner),
        over_by,
        title: title?.into_inner().trim().to_string(),
        summary: summary?.into_inner().trim().to_string(),
        place: e.place.map(|s| s.into_inner().trim().to_string()),
        place_kind,
        actors: e.actors,
        era: era?.into_inner(),
        tags: e.tags,
        figures,
        sources,
        cloze,
        disputes,
    })
}

/// `open_ended` says whether a date without an end is only when the event began; `over_by`
/// (with `open_ended = true` only) is a date by which the articles show it over.
fn check_open_ended(
    p: &mut Problems<'_>,
    (open_ended, raw_over_by): (Option<&Spanned<bool>>, Option<&Spanned<String>>),
    (has_end, ongoing): (bool, bool),
    date: Option<HistDate>,
    over_by: Option<HistDate>,
) {
    if let Some(open) = open_ended {
        if has_end {
            p.at(
                open.span().start,
                "open_ended is for a date without an end_date (a span has its end)",
            );
        }
        if ongoing {
            p.at(
                open.span().start,
                "open_ended and ongoing exclude each other (ongoing runs to the articles' day)",
            );
        }
    }
    if let Some(raw) = raw_over_by {
        if open_ended.map(|o| *o.get_ref()) != Some(true) {
            p.at(
                raw.span().start,
                "over_by is only for an open-ended event (open_ended = true)",
            );
        }
        if let (Some(d), Some(by)) = (date, over_by)
            && by.last_day() < d.first_day()
        {
            p.at(
                raw.span().start,
                format!("over_by {} is before date {}", by.iso(), d.iso()),
            );
        }
    }
}

fn check_cloze(p: &mut Problems<'_>, c: RawCloze) -> Option<Cloze> {
    let text = c.text.get_ref();
    let at = c.text.span().start;
    let (before, rest) = match text.split_once("[[") {
        Some(x) => x,
        None => {
            p.at(at, "cloze text must mark the key term as [[term]]");
            return None;
        }
    };
    let Some((answer, after)) = rest.split_once("]]") else {
        p.at(at, "cloze text has `[[` without `]]`");
        return None;
    };
    if after.contains("[[") {
        p.at(at, "cloze text must mark exactly one term");
        return None;
    }
    if answer.trim().is_empty() {
        p.at(at, "cloze term must not be empty");
        return None;
    }
    let distractors = c.distractors.get_ref();
    let key = |s: &str| crate::text::normalize(s);
    let mut keys: HashSet<String> = HashSet::from([key(answer)]);
    if distractors.len() != 3 {
        p.at(
            c.distractors.span().start,
            "cloze needs exactly 3 distractors",
        );
    }
    for d in distractors {
        if !keys.insert(key(d)) {
            p.at(
                c.distractors.span().start,
                format!("cloze distractor `{d}` repeats the answer or another distractor"),
            );
        }
    }
    for a in &c.aliases {
        p.non_empty(a, "cloze alias");
        if distractors.iter().any(|d| key(d) == key(a.get_ref())) {
            p.at(
                a.span().start,
                format!("cloze alias `{}` is also a distractor", a.get_ref()),
            );
        }
    }
    Some(Cloze {
        text: text.clone(),
        before: before.to_string(),
        answer: answer.trim().to_string(),
        after: after.to_string(),
        distractors: distractors.clone(),
        aliases: c
            .aliases
            .into_iter()
            .map(|a| a.into_inner().trim().to_string())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[deck]
id = "test-deck"
title = "Test deck"
description = "A deck for tests"
language = "en"

[[document]]
id = "a.txt"
title = "Article A"

[[era]]
id = "war"
title = "War"
start = "1977"

[[event]]
id = "first"
date = "1979-01-07"
title = "Capital taken"
summary = "Our words."
era = "war"
[[event.figure]]
what = "number of soldiers"
value = 1000
unit = "soldiers"
[[event.source]]
document = "a.txt"
quote = "a quote"
"#;

    fn errors(text: &str) -> Vec<String> {
        match parse_deck(Path::new("deck.toml"), text) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
        }
    }

    fn assert_error(text: &str, expected: &str) {
        let got = errors(text);
        assert!(
            got.iter().any(|e| e.starts_with(expected)),
            "expected an error starting {expected:?}, got {got:#?}"
        );
    }

    #[test]
    fn good_deck_loads() {
        let deck = parse_deck(Path::new("deck.toml"), GOOD).unwrap();
        assert_eq!(deck.events.len(), 1);
        assert_eq!(deck.events[0].figures[0].value, 1000.0);
    }

    /// Each one-line change to GOOD, and the error that names its line.
    #[test]
    fn a_bad_line_is_named_with_what_is_wrong() {
        for (from, to, expected) in [
            (
                "title = \"Capital taken\"",
                "title = \"Capital taken",
                "deck.toml:19: invalid basic string",
            ),
            (
                "era = \"war\"\n[[event.figure]]",
                "era = \"war\"\ncolour = \"red\"\n[[event.figure]]",
                "deck.toml:22: unknown field `colour`",
            ),
            (
                "summary = \"Our words.\"\n",
                "",
                "deck.toml:16: missing field `summary`",
            ),
            (
                "1979-01-07",
                "1979-02-30",
                "deck.toml:18: date: `1979-02-30` is not a real day",
            ),
            (
                "date = \"1979-01-07\"",
                "date = \"1979-01-07\"\nend_date = \"1978-12\"",
                "deck.toml:19: end_date 1978-12 is before date 1979-01-07",
            ),
            (
                "era = \"war\"",
                "era = \"peace\"",
                "deck.toml:21: unknown era `peace`",
            ),
            (
                "title = \"Capital taken\"",
                "title = \"  \"",
                "deck.toml:19: event title must not be empty",
            ),
            ("value = 1000\n", "", "deck.toml:22: missing field `value`"),
        ] {
            assert_error(&GOOD.replace(from, to), expected);
        }
    }

    #[test]
    fn duplicate_ids() {
        let second = &GOOD[GOOD.find("[[event]]").unwrap()..];
        let bad = format!("{GOOD}\n{second}");
        assert_error(&bad, "deck.toml:31: duplicate event id `first`");
    }

    #[test]
    fn event_without_source() {
        let end = GOOD.find("[[event.source]]").unwrap();
        assert_error(&GOOD[..end], "deck.toml:16: event `first` has no source");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = GOOD
            .replace("1979-01-07", "1979-13-01")
            .replace("era = \"war\"", "era = \"peace\"")
            .replace("document = \"a.txt\"\nquote", "document = \"b.txt\"\nquote");
        let got = errors(&bad);
        assert_eq!(got.len(), 3, "{got:#?}");
    }

    #[test]
    fn cloze_needs_one_term_and_three_distractors() {
        let with =
            |cloze: &str| GOOD.replace("[[event.figure]]", &format!("{cloze}\n[[event.figure]]"));
        assert!(errors(&with("[event.cloze]\ntext = \"The [[army]] won.\"\ndistractors = [\"navy\", \"police\", \"militia\"]")).is_empty());
        assert_error(
            &with("[event.cloze]\ntext = \"The army won.\"\ndistractors = [\"a\", \"b\", \"c\"]"),
            "deck.toml:23: cloze text must mark",
        );
        assert_error(
            &with(
                "[event.cloze]\ntext = \"The [[army]] won.\"\ndistractors = [\"Army\", \"b\", \"c\"]",
            ),
            "deck.toml:24: cloze distractor `Army` repeats",
        );
    }

    #[test]
    fn dispute_must_cite_both_sides_and_name_a_real_figure() {
        let dispute = "[[event.dispute]]\nabout = \"figure\"\nfigure = \"number of ships\"\nnote = \"They differ.\"\n[[event.dispute.source]]\ndocument = \"a.txt\"\nquote = \"x\"\n";
        let bad = format!("{GOOD}{dispute}");
        let got = errors(&bad);
        assert!(
            got.iter().any(|e| e.contains("dispute names no figure")),
            "{got:#?}"
        );
        assert!(got.iter().any(|e| e.contains("at least two")), "{got:#?}");
    }

    fn load(text: &str) -> Deck {
        parse_deck(Path::new("deck.toml"), text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn with_event_field(field: &str) -> String {
        GOOD.replace(
            "era = \"war\"\n[[event.figure]]",
            &format!("era = \"war\"\n{field}\n[[event.figure]]"),
        )
    }

    fn with_figure_field(field: &str) -> String {
        GOOD.replace(
            "unit = \"soldiers\"",
            &format!("unit = \"soldiers\"\n{field}"),
        )
    }

    #[test]
    fn date_inferred_defaults_to_false() {
        assert!(!load(GOOD).events[0].date_inferred);
        assert!(load(&with_event_field("date_inferred = true")).events[0].date_inferred);
        assert_error(
            &with_event_field("date_inferred = \"yes\""),
            "deck.toml:22: invalid type",
        );
    }

    #[test]
    fn date_as_told_goes_only_with_an_inferred_date() {
        let told = "date_inferred = true\ndate_as_told = \"by January 2020\"";
        let deck = load(&with_event_field(told));
        assert_eq!(
            deck.events[0].date_as_told.as_deref(),
            Some("by January 2020")
        );
        assert_error(
            &with_event_field("date_as_told = \"by January 2020\""),
            "deck.toml:22: date_as_told is only for an inferred date",
        );
    }

    #[test]
    fn place_kind_is_read_and_checked() {
        let deck = load(&with_event_field(
            "place = \"Phnom Penh\"\nplace_kind = \"city\"",
        ));
        assert_eq!(deck.events[0].place_kind, Some(PlaceKind::City));
        let deck = load(&with_event_field(
            "place = \"Border\"\nplace_kind = \"border-area\"",
        ));
        assert_eq!(deck.events[0].place_kind, Some(PlaceKind::BorderArea));
        assert_eq!(
            load(&with_event_field("place = \"Hanoi\"")).events[0].place_kind,
            None
        );
        assert_error(
            &with_event_field("place = \"Hanoi\"\nplace_kind = \"town\""),
            "deck.toml:23: place_kind `town`: expected city, province",
        );
        assert_error(
            &with_event_field("place_kind = \"city\""),
            "deck.toml:22: `place_kind` without a `place`",
        );
    }

    #[test]
    fn figure_qualifier_and_the_old_approximate() {
        let f = &load(GOOD).events[0].figures[0];
        assert_eq!(f.qualifier, Qualifier::Exact);
        assert!(!f.approximate);
        let f = &load(&with_figure_field("qualifier = \"over\"")).events[0].figures[0];
        assert_eq!(f.qualifier, Qualifier::Over);
        assert!(f.approximate);
        for (written, q) in [
            ("about", Qualifier::About),
            ("nearly", Qualifier::Nearly),
            ("at_least", Qualifier::AtLeast),
            ("under", Qualifier::Under),
            ("up_to", Qualifier::UpTo),
            ("exact", Qualifier::Exact),
        ] {
            let deck = load(&with_figure_field(&format!("qualifier = \"{written}\"")));
            assert_eq!(deck.events[0].figures[0].qualifier, q);
        }
        let old = &load(&with_figure_field("approximate = true")).events[0].figures[0];
        assert_eq!(old.qualifier, Qualifier::About);
        assert_error(
            &with_figure_field("qualifier = \"more\""),
            "deck.toml:26: figure qualifier `more`: expected exact, about",
        );
        assert_error(
            &with_figure_field("qualifier = \"over\"\napproximate = true"),
            "deck.toml:27: write either `qualifier` or the old `approximate`",
        );
    }

    #[test]
    fn figure_unit_singular() {
        assert_eq!(load(GOOD).events[0].figures[0].unit_singular, None);
        let deck = load(&with_figure_field("unit_singular = \"soldier\""));
        assert_eq!(
            deck.events[0].figures[0].unit_singular.as_deref(),
            Some("soldier")
        );
        assert_error(
            &with_figure_field("unit_singular = \" \""),
            "deck.toml:26: figure unit_singular must not be empty",
        );
    }

    const NAMES: &str = "[[name]]\nname = \"Leaders of the Front\"\nkind = \"group\"\nmembers = [\"Heng Samrin\"]\n\n[[name]]\nname = \"Heng Samrin\"\naliases = [\"Samdech Heng Samrin\"]\nkind = \"person\"\n\n";

    fn with_names(names: &str) -> String {
        GOOD.replace("[[era]]", &format!("{names}[[era]]"))
    }

    #[test]
    fn names_with_aliases_kinds_and_members() {
        let deck = load(&with_names(NAMES));
        assert_eq!(deck.names.len(), 2);
        assert_eq!(deck.names[0].kind, NameKind::Group);
        assert_eq!(deck.names[0].members, vec!["Heng Samrin".to_string()]);
        assert_eq!(
            deck.name("samdech heng samrin").unwrap().name,
            "Heng Samrin"
        );
        assert!(deck.related_names("Leaders of the Front", "Samdech Heng Samrin"));
        assert!(deck.related_names("Heng Samrin", "Leaders of the Front"));
        assert!(!deck.related_names("Heng Samrin", "Hun Sen"));
        assert_error(
            &with_names("[[name]]\nname = \"X\"\nkind = \"tribe\"\n\n"),
            "deck.toml:13: name kind `tribe`: expected person, group",
        );
        assert_error(
            &with_names("[[name]]\nname = \"X\"\nkind = \"army\"\ncolour = 1\n\n"),
            "deck.toml:14: unknown field `colour`",
        );
        assert_error(
            &with_names(&format!(
                "{NAMES}[[name]]\nname = \"heng samrin\"\nkind = \"person\"\n\n"
            )),
            "deck.toml:22: the name `heng samrin` is already declared",
        );
        assert_error(
            &with_names("[[name]]\nname = \"X\"\nkind = \"person\"\nmembers = [\"Y\"]\n\n"),
            "deck.toml:13: a person has no `members`",
        );
    }

    #[test]
    fn a_name_may_take_a_side() {
        let deck = load(&with_names(
            "[[name]]\nname = \"Ieng Sary\"\nkind = \"person\"\nside = \"khmer-rouge\"\n\n",
        ));
        assert_eq!(deck.names[0].side.as_deref(), Some("khmer-rouge"));
        assert_error(
            &with_names("[[name]]\nname = \"X\"\nkind = \"person\"\nside = \"Khmer Rouge\"\n\n"),
            "deck.toml:14: side `Khmer Rouge` must be a slug",
        );
        assert_error(
            &with_names(
                "[[name]]\nname = \"X\"\nkind = \"place\"\nplace_kind = \"city\"\nside = \"vietnam\"\n\n",
            ),
            "deck.toml:15: a place has no `side`",
        );
    }

    #[test]
    fn a_named_place_has_a_place_kind() {
        let deck = load(&with_names(
            "[[name]]\nname = \"Hanoi\"\nkind = \"place\"\nplace_kind = \"city\"\n\n",
        ));
        assert_eq!(deck.names[0].place_kind, Some(PlaceKind::City));
        assert_error(
            &with_names("[[name]]\nname = \"X\"\nkind = \"person\"\nplace_kind = \"city\"\n\n"),
            "deck.toml:14: `place_kind` is only for kind = \"place\"",
        );
    }

    #[test]
    fn a_named_place_may_lie_in_a_country() {
        let deck = load(&with_names(
            "[[name]]\nname = \"Hanoi\"\nkind = \"place\"\nplace_kind = \"city\"\ncountry = \"vietnam\"\n\n",
        ));
        assert_eq!(deck.names[0].country.as_deref(), Some("vietnam"));
        assert_error(
            &with_names("[[name]]\nname = \"X\"\nkind = \"person\"\ncountry = \"vietnam\"\n\n"),
            "deck.toml:14: `country` is only for kind = \"place\"",
        );
        assert_error(
            &with_names(
                "[[name]]\nname = \"X\"\nkind = \"place\"\nplace_kind = \"city\"\ncountry = \"Viet Nam\"\n\n",
            ),
            "deck.toml:15:",
        );
    }

    #[test]
    fn cloze_aliases() {
        let with = |aliases: &str| {
            GOOD.replace(
                "[[event.figure]]",
                &format!("[event.cloze]\ntext = \"The [[army]] won.\"\ndistractors = [\"navy\", \"police\", \"militia\"]\n{aliases}\n[[event.figure]]"),
            )
        };
        assert!(
            load(&with("")).events[0]
                .cloze
                .as_ref()
                .unwrap()
                .aliases
                .is_empty()
        );
        let deck = load(&with("aliases = [\"armed forces\"]"));
        assert_eq!(
            deck.events[0].cloze.as_ref().unwrap().aliases,
            vec!["armed forces".to_string()]
        );
        assert_error(
            &with("aliases = [\"Navy\"]"),
            "deck.toml:25: cloze alias `Navy` is also a distractor",
        );
    }

    /// A dispute of `first`'s date (GOOD's event) that names `second` in `also`.
    const DATE_DISPUTE_ALSO_SECOND: &str = r#"[[event.dispute]]
about = "date"
note = "They differ."
also = ["second"]
[[event.dispute.source]]
document = "a.txt"
quote = "x"
[[event.dispute.source]]
document = "a.txt"
quote = "y"
"#;

    /// GOOD's event again, as `second`.
    fn second_event() -> String {
        GOOD[GOOD.find("[[event]]").unwrap()..].replace("\"first\"", "\"second\"")
    }

    #[test]
    fn dispute_also_touches_other_events() {
        let dispute = DATE_DISPUTE_ALSO_SECOND;
        let second = second_event();
        let deck = load(&format!("{GOOD}{dispute}\n{second}"));
        let touched = deck.event("second").unwrap();
        assert!(touched.is_disputed(DisputeAbout::Date));
        assert_eq!(touched.disputes[0].recorded_on.as_deref(), Some("first"));
        assert_eq!(
            deck.event("first").unwrap().disputes[0].also,
            vec!["second".to_string()]
        );
        assert_error(
            &format!("{GOOD}{}", dispute.replace("[\"second\"]", "[\"nowhere\"]")),
            "deck.toml:32: dispute `also` names unknown event `nowhere`",
        );
    }

    #[test]
    fn date_as_told_also_words_a_disputed_date() {
        // The dispute is written on `first` and names `second`, written after it: the words
        // for how each article dates `second` are allowed there too.
        let dispute = DATE_DISPUTE_ALSO_SECOND;
        let second = second_event().replacen(
            "\ntitle =",
            "\ndate_as_told = \"29 June in one, 26 September in another\"\ntitle =",
            1,
        );
        let deck = load(&format!("{GOOD}{dispute}\n{second}"));
        assert_eq!(
            deck.event("second").unwrap().date_as_told.as_deref(),
            Some("29 June in one, 26 September in another")
        );
        // Without the dispute, the same words beside a stated date are an error at their line.
        let undisputed = format!("{GOOD}\n{second}");
        let line = undisputed[..undisputed.find("date_as_told").unwrap()]
            .lines()
            .count()
            + 1;
        assert_error(
            &undisputed,
            &format!("deck.toml:{line}: date_as_told is only for an inferred date"),
        );
    }

    #[test]
    fn document_publisher_and_date_make_the_citation() {
        let deck = load(GOOD);
        assert_eq!(deck.citation("a.txt"), "Article A");
        let with = |fields: &str| {
            GOOD.replace(
                "title = \"Article A\"",
                &format!("title = \"Article A\"\n{fields}"),
            )
        };
        let deck = load(&with(
            "publisher = \"Nhân Dân\"\npublished = \"2024-01-07\"",
        ));
        assert_eq!(
            deck.citation("a.txt"),
            "Article A (Nhân Dân, 7 January 2024)"
        );
        assert_eq!(
            load(&with("published = \"2024-01\"")).citation("a.txt"),
            "Article A (January 2024)"
        );
        assert_error(
            &with("published = \"7 Jan 2024\""),
            "deck.toml:10: document published: `7 Jan 2024` is not a date",
        );
    }
}
