//! The `chronicle questions ...` commands: check and export a dataset without a server.

use crate::catalog::Catalog;
use crate::questions::{Kind, Question, Rule, cards_and_suppressed, lint};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Validates every deck, runs the fairness lint and prints counts; prints every problem as
/// `file:line: message` (loading) or `file:line: rule: message` (lint). Fails on either.
pub fn questions_check(dir: &Path, verbose: bool, out: &mut impl Write) -> anyhow::Result<bool> {
    let (decks, errors) = crate::dataset::read_dir(dir);
    if !errors.is_empty() {
        for e in &errors {
            writeln!(out, "{e}")?;
        }
        // The lint reads what did load, so its findings come in the same pass.
        let findings: Vec<_> = decks.iter().flat_map(lint::lint).collect();
        for f in &findings {
            writeln!(out, "{f}")?;
        }
        writeln!(
            out,
            "{} problem(s) found; nothing was loaded.",
            errors.len()
        )?;
        if !findings.is_empty() {
            writeln!(out, "{} lint warning(s) in what did parse.", findings.len())?;
        }
        return Ok(false);
    }
    let catalog = Catalog::from_decks(decks);
    let mut warnings = 0;
    for deck in &catalog.decks {
        writeln!(
            out,
            "deck {} ({}): {}",
            deck.id,
            deck.source_file.display(),
            deck.title
        )?;
        writeln!(
            out,
            "  {} events, {} quotes, {} figures, {} disputes",
            deck.events.len(),
            deck.quotes.len(),
            deck.events.iter().map(|e| e.figures.len()).sum::<usize>(),
            deck.events
                .iter()
                .flat_map(|e| &e.disputes)
                .filter(|d| d.recorded_on.is_none())
                .count(),
        )?;
        let mut per_document: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &deck.events {
            let mut docs: Vec<&str> = e.sources.iter().map(|s| s.document.as_str()).collect();
            docs.dedup();
            for d in docs {
                *per_document.entry(d).or_default() += 1;
            }
        }
        writeln!(out, "  events per article:")?;
        for (doc, n) in per_document {
            writeln!(out, "    {n:4}  {doc}  {}", deck.document_title(doc))?;
        }
        writeln!(out, "  events per era:")?;
        for era in &deck.eras {
            let n = deck.events.iter().filter(|e| e.era == era.id).count();
            writeln!(out, "    {n:4}  {}  {}", era.id, era.title)?;
        }
        let (cards, suppressed) = cards_and_suppressed(deck);
        writeln!(out, "  cards per kind (and cards suppressed, by rule):")?;
        for kind in Kind::ALL {
            let n = cards.iter().filter(|c| c.kind == kind).count();
            let mut by_rule: BTreeMap<Rule, usize> = BTreeMap::new();
            for s in suppressed.iter().filter(|s| s.kind == kind) {
                *by_rule.entry(s.why.rule).or_default() += 1;
            }
            let why: Vec<String> = by_rule.iter().map(|(r, n)| format!("{n} {r}")).collect();
            if why.is_empty() {
                writeln!(out, "    {n:4}  {kind}")?;
            } else {
                writeln!(out, "    {n:4}  {kind}  (suppressed: {})", why.join(", "))?;
            }
        }
        writeln!(
            out,
            "  {} cards in all, {} suppressed",
            cards.len(),
            suppressed.len()
        )?;
        if verbose {
            writeln!(out, "  suppressed cards:")?;
            for s in &suppressed {
                writeln!(
                    out,
                    "    {}:{}: {}: {} not asked: {}",
                    deck.source_file.display(),
                    s.line,
                    s.why.rule,
                    s.card_id,
                    s.why.message
                )?;
            }
        }
        let findings = lint::lint_with(deck, &cards, &suppressed);
        for f in &findings {
            writeln!(out, "{f}")?;
        }
        warnings += findings.len();
    }
    if warnings > 0 {
        writeln!(out, "{warnings} lint warning(s): the deck is not fair yet.")?;
        return Ok(false);
    }
    writeln!(out, "ok")?;
    Ok(true)
}

#[derive(Serialize)]
struct Export<'a> {
    seed: u64,
    decks: &'a [crate::dataset::Deck],
    questions: Vec<Question>,
}

/// Writes every event and one generated question per card as JSON.
pub fn questions_export(dir: &Path, seed: u64, out: &mut impl Write) -> anyhow::Result<bool> {
    let catalog = match Catalog::load(dir) {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(false);
        }
    };
    let questions = catalog
        .cards
        .iter()
        .filter_map(|c| catalog.question(&c.id, seed))
        .collect();
    let export = Export {
        seed,
        decks: &catalog.decks,
        questions,
    };
    serde_json::to_writer_pretty(&mut *out, &export)?;
    writeln!(out)?;
    Ok(true)
}

/// Writes a consistent copy of the database with `VACUUM INTO`, safe while the server runs.
pub fn backup(db: &Path, to: &Path, out: &mut impl Write) -> anyhow::Result<bool> {
    use anyhow::Context;
    if to.exists() {
        writeln!(
            out,
            "{} already exists; choose a new file name.",
            to.display()
        )?;
        return Ok(false);
    }
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("opening {}", db.display()))?;
    conn.execute("VACUUM INTO ?1", [to.display().to_string()])
        .with_context(|| format!("writing {}", to.display()))?;
    writeln!(out, "backed up {} to {}", db.display(), to.display())?;
    Ok(true)
}

/// `chronicle user reset-password NAME`: prints a one-time reset link for the account (valid
/// a day; using it ends the account's sessions and device tokens). Safe while the server runs.
pub fn reset_password(
    db: &Path,
    username: &str,
    base_url: &str,
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    use anyhow::Context;
    if !db.exists() {
        writeln!(
            out,
            "{} does not exist; start the server once to create it.",
            db.display()
        )?;
        return Ok(false);
    }
    let mut conn =
        rusqlite::Connection::open(db).with_context(|| format!("opening {}", db.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    crate::db::migrations()
        .to_latest(&mut conn)
        .context("applying migrations")?;
    let Some(user) = crate::db::users::by_username(&conn, username)? else {
        writeln!(out, "No account is called {username:?}.")?;
        return Ok(false);
    };
    let now = crate::clock::now();
    let token = crate::auth::reset::issue(&conn, user.id, None, now)?;
    tracing::info!(
        user_id = %user.id,
        "password reset link made from the command line"
    );
    writeln!(
        out,
        "Reset link for {} (works once, until {}):\n{}{}",
        user.username,
        crate::srs::days::DayClock::default().written(crate::clock::Instant::from_secs(
            now + crate::auth::reset::VALID_SECONDS
        )),
        base_url.trim_end_matches('/'),
        crate::auth::reset::path(&token)
    )?;
    Ok(true)
}
