//! Anki packages (`.apkg`): a zip holding `collection.anki2`, an SQLite collection in schema
//! 11, and an empty `media` list. Schema 11 with no `meta` entry is the "legacy 1" package
//! that every Anki since 2.1 and AnkiDroid import (anki 26.9 opens it and upgrades it on
//! import; the Anki check in `scripts/anki-check` does exactly that with the real library).
//!
//! One note per Chronicle card, of a note type of our own ([`FIELDS`]); its guid is the
//! card id, so importing a newer export updates the notes instead of duplicating them.
//! [`schedule`] maps a learner's card states and answers to Anki's cards and review log;
//! [`package`] writes the file. Pure apart from SQLite in memory: values in, bytes out.

pub mod notes;
pub mod package;
pub mod schedule;

use crate::clock::Instant;
use crate::ids::CardId;

pub use package::{ApkgError, write};

/// The note type's fields, in order. The first is the sort field.
pub const FIELDS: [&str; 8] = [
    "Question",
    "Choices",
    "Answer",
    "Event",
    "Date",
    "Summary",
    "Source",
    "Chronicle card",
];

/// A note's fields as plain text (escaped as HTML when written), in [`FIELDS`] order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteFields {
    pub question: String,
    /// The choices a multiple-choice question offers, one a line; empty for the others.
    pub choices: Vec<String>,
    pub answer: String,
    /// The event's title (or, for a quote, who said it).
    pub event: String,
    pub date: String,
    pub summary: String,
    /// One line per source: the citation and the quote that locates the fact.
    pub source: Vec<String>,
    pub card_id: CardId,
}

/// One note and its one card.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub fields: NoteFields,
    /// Index into [`Package::decks`].
    pub deck: usize,
    pub tags: Vec<String>,
    pub card: schedule::Card,
    pub revlog: Vec<schedule::RevlogRow>,
}

/// An Anki deck: a Chronicle deck, by its title.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    /// Chronicle's deck id, from which the Anki deck id is derived (stable across exports).
    pub id: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub decks: Vec<Deck>,
    pub notes: Vec<Note>,
    /// When it was made: note and card ids (Anki's are milliseconds) and modification times
    /// (seconds).
    pub created_at: Instant,
    /// The collection's creation (unix seconds, the start of a day): review due dates are
    /// counted in days from it.
    pub collection_start: i64,
}
