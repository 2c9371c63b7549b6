//! Answers a study page the way a learner who knows the deck would: from what the page shows
//! (the card, the prompt, the choices, the events to order) and from the deck's TOML files,
//! read here with a plain TOML parser. Chronicle's own generator, seeds and dataset code are
//! never called, so a page that shows one question while the server grades another fails.
//!
//! Shared by the benchmark and the HTTP tests (`server/tests/api` includes this file).

use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone)]
struct EventFacts {
    title: String,
    /// ISO, as precise as the deck gives it.
    date: String,
    end_date: Option<String>,
    place: Option<String>,
    actors: Vec<String>,
    /// (what, value) of each figure, in the deck's order.
    figures: Vec<(String, f64)>,
    cloze: Option<String>,
}

/// What the deck files say, keyed by event id, quote id and event title.
#[derive(Debug, Default)]
pub struct AnswerKey {
    events: HashMap<String, EventFacts>,
    speakers: HashMap<String, String>,
    by_title: HashMap<String, String>,
    /// Every form of a `[[name]]` (the name and its aliases, as keys) -> the name's key.
    names: HashMap<String, String>,
}

/// The fields to add to a study page's form to answer it.
pub type Fields = Vec<(String, String)>;

fn text(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    }
}

fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl AnswerKey {
    /// Reads every `*.toml` deck in `dir`.
    pub fn load(dir: &Path) -> Result<AnswerKey, String> {
        let mut out = AnswerKey::default();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            let raw = std::fs::read_to_string(&path).map_err(|e| format!("{path:?}: {e}"))?;
            let doc: toml::Table = raw.parse().map_err(|e| format!("{path:?}: {e}"))?;
            out.add(&doc);
        }
        Ok(out)
    }

    fn add(&mut self, doc: &toml::Table) {
        let list = |v: Option<&toml::Value>| v.and_then(|v| v.as_array()).cloned();
        for e in list(doc.get("event")).unwrap_or_default() {
            let get = |k: &str| e.get(k).and_then(text);
            let (Some(id), Some(title), Some(date)) = (get("id"), get("title"), get("date")) else {
                continue;
            };
            let figures = list(e.get("figure"))
                .unwrap_or_default()
                .iter()
                .filter_map(|f| {
                    let value = match f.get("value")? {
                        toml::Value::Integer(i) => *i as f64,
                        toml::Value::Float(x) => *x,
                        _ => return None,
                    };
                    Some((f.get("what").and_then(text).unwrap_or_default(), value))
                })
                .collect();
            let actors = e
                .get("actors")
                .and_then(|a| a.as_array())
                .map(|a| a.iter().filter_map(text).collect())
                .unwrap_or_default();
            // The cloze answer is the `[[term]]` inside the statement.
            let cloze = e
                .get("cloze")
                .and_then(|c| c.get("text"))
                .and_then(|t| t.as_str())
                .and_then(|t| {
                    let start = t.find("[[")? + 2;
                    let end = t[start..].find("]]")? + start;
                    Some(t[start..end].to_string())
                });
            self.by_title.insert(key(&title), id.clone());
            self.events.insert(
                id,
                EventFacts {
                    title,
                    date,
                    end_date: get("end_date"),
                    place: get("place"),
                    actors,
                    figures,
                    cloze,
                },
            );
        }
        for n in list(doc.get("name")).unwrap_or_default() {
            let Some(name) = n.get("name").and_then(text) else {
                continue;
            };
            let aliases: Vec<String> = n
                .get("aliases")
                .and_then(|a| a.as_array())
                .map(|a| a.iter().filter_map(text).collect())
                .unwrap_or_default();
            for form in std::iter::once(&name).chain(&aliases) {
                self.names.insert(key(form), key(&name));
            }
        }
        for q in list(doc.get("quote")).unwrap_or_default() {
            if let (Some(id), Some(speaker)) =
                (q.get("id").and_then(text), q.get("speaker").and_then(text))
            {
                self.speakers.insert(id, speaker);
            }
        }
    }

    /// The fields that answer the study page `html` right (or, with `right` false, wrong).
    pub fn answer(&self, html: &str, right: bool) -> Result<Fields, String> {
        let page = Page::read(html)?;
        let (subject, kind) = page
            .card_id
            .split_once('/')
            .ok_or(format!("card id {:?} has no kind", page.card_id))?;
        let field = |name: &str, value: String| Ok(vec![(name.to_string(), value)]);
        if page.grades {
            return field("grade", if right { "3" } else { "1" }.into());
        }
        if !page.slots.is_empty() {
            return self.order(&page, right);
        }
        let event = self.events.get(subject);
        let need = |what: &str| format!("{}: the deck has no {what}", page.card_id);
        // What right looks like for this card, as text the page would show or a test on it.
        let is_right: Box<dyn Fn(&str) -> bool> = match kind {
            "date" => {
                let e = event.ok_or(need("event"))?;
                let want = (e.date.clone(), e.end_date.clone());
                Box::new(move |c| shown_span(c).as_ref() == Some(&want))
            }
            "event_on_date" => {
                let title = key(&event.ok_or(need("event"))?.title);
                Box::new(move |c| key(c) == title)
            }
            "place" => {
                let place = key(event.and_then(|e| e.place.as_ref()).ok_or(need("place"))?);
                Box::new(move |c| key(c) == place)
            }
            "cloze" => {
                let word = key(event.and_then(|e| e.cloze.as_ref()).ok_or(need("cloze"))?);
                Box::new(move |c| key(c) == word)
            }
            "speaker" => {
                let who = key(self.speakers.get(subject).ok_or(need("quote"))?);
                Box::new(move |c| key(c) == who)
            }
            "true_false" => {
                let e = event.ok_or(need("event"))?;
                let truth = self
                    .statement_is_true(e, &page.prompt)
                    .ok_or(format!("cannot read the statement {:?}", page.prompt))?;
                let want = if truth { "true" } else { "false" };
                Box::new(move |c| key(c) == want)
            }
            k if k.starts_with("figure-") => {
                let n: usize = k["figure-".len()..].parse().map_err(|_| need("figure"))?;
                let value = event
                    .and_then(|e| e.figures.get(n.wrapping_sub(1)))
                    .ok_or(need("figure"))?
                    .1;
                Box::new(move |c| shown_number(c).is_some_and(|v| (v - value).abs() < 1e-9))
            }
            other => return Err(format!("{}: unknown kind {other}", page.card_id)),
        };
        if page.typed {
            let typed = if !right {
                "no idea".to_string()
            } else {
                match kind {
                    "date" => event.map(|e| match &e.end_date {
                        Some(end) => format!("{} to {end}", e.date),
                        None => e.date.clone(),
                    }),
                    "place" => event.and_then(|e| e.place.clone()),
                    "cloze" => event.and_then(|e| e.cloze.clone()),
                    "speaker" => self.speakers.get(subject).cloned(),
                    k if k.starts_with("figure-") => {
                        let n: usize = k["figure-".len()..].parse().unwrap_or(0);
                        event
                            .and_then(|e| e.figures.get(n.wrapping_sub(1)))
                            .map(|(_, v)| v.to_string())
                    }
                    _ => None,
                }
                .ok_or(format!("{}: no typed answer for {kind}", page.card_id))?
            };
            return field("typed", typed);
        }
        let rights: Vec<usize> = (0..page.choices.len())
            .filter(|&i| is_right(&page.choices[i]))
            .collect();
        if rights.len() != 1 {
            return Err(format!(
                "{}: {} choices of {:?} are right by the deck",
                page.card_id,
                rights.len(),
                page.choices
            ));
        }
        let pick = if right {
            rights[0]
        } else {
            (rights[0] + 1) % page.choices.len()
        };
        field("choice", pick.to_string())
    }

    /// Positions for the events shown, from their dates in the deck.
    fn order(&self, page: &Page, right: bool) -> Result<Fields, String> {
        let mut firsts = Vec::new();
        for title in &page.slots {
            let id = self
                .by_title
                .get(&key(title))
                .ok_or(format!("no event titled {title:?} in the deck"))?;
            firsts.push(first_day(&self.events[id].date).ok_or(format!("bad date for {id}"))?);
        }
        let mut sorted = firsts.clone();
        sorted.sort();
        let mut positions: Vec<usize> = firsts
            .iter()
            .map(|d| 1 + sorted.iter().position(|s| s == d).unwrap_or(0))
            .collect();
        if !right {
            positions.swap(0, 1);
        }
        Ok(positions
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("order_{i}"), p.to_string()))
            .collect())
    }
}

/// The parts of a study page a learner reads.
struct Page {
    card_id: String,
    prompt: String,
    choices: Vec<String>,
    slots: Vec<String>,
    typed: bool,
    grades: bool,
}

impl Page {
    fn read(html: &str) -> Result<Page, String> {
        let card_id = between(html, "name=\"card_id\" value=\"", "\"")
            .map(unescape)
            .ok_or("no card on the page")?;
        let prompt = between(html, "<h1 class=\"prompt\">", "</h1>")
            .map(unescape)
            .unwrap_or_default();
        let mut choices = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find("name=\"choice\"") {
            rest = &rest[i..];
            let text = between(rest, "</kbd>", "</button>").unwrap_or_default();
            choices.push(unescape(text.trim()));
            rest = &rest[1..];
        }
        let mut slots = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find("<label for=\"order-") {
            rest = &rest[i..];
            slots.push(unescape(
                between(rest, "\">", "</label>").unwrap_or_default().trim(),
            ));
            rest = &rest[1..];
        }
        Ok(Page {
            card_id,
            prompt,
            choices,
            slots,
            typed: html.contains("name=\"typed\""),
            grades: html.contains("name=\"grade\""),
        })
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let to = s[from..].find(end)? + from;
    Some(&s[from..to])
}

pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "7 January 1979", "January 1979" or "1979" (the start, for a span) as ISO.
fn shown_date(text: &str) -> Option<String> {
    let start = text.split(['–', '—']).next()?.trim();
    let words: Vec<&str> = start.split_whitespace().collect();
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| *m == w.to_lowercase())
            .map(|i| i + 1)
    };
    let year = |w: &str| w.parse::<u32>().ok().filter(|y| *y > 999);
    match words.as_slice() {
        [y] => Some(format!("{:04}", year(y)?)),
        [m, y] => Some(format!("{:04}-{:02}", year(y)?, month(m)?)),
        [d, m, y] => Some(format!(
            "{:04}-{:02}-{:02}",
            year(y)?,
            month(m)?,
            d.parse::<u32>().ok()?
        )),
        _ => None,
    }
}

/// The number at the start of a figure as shown ("12,000 troops", "USD 1,500", "41%").
fn shown_number(text: &str) -> Option<f64> {
    let digits: String = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.trim_end_matches('.').parse().ok()
}

/// Days from year 0 to the first day of an ISO date, enough to order dates.
fn first_day(iso: &str) -> Option<i64> {
    let mut parts = iso.split('-').map(|p| p.parse::<i64>().ok());
    let y = parts.next()??;
    let m = parts.next().unwrap_or(Some(1))?;
    let d = parts.next().unwrap_or(Some(1))?;
    Some(y * 372 + (m - 1) * 31 + (d - 1))
}

fn last_day(iso: &str) -> Option<i64> {
    let parts: Vec<i64> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y] => Some(y * 372 + 11 * 31 + 30),
        [y, m] => Some(y * 372 + (m - 1) * 31 + 30),
        [y, m, d] => Some(y * 372 + (m - 1) * 31 + (d - 1)),
        _ => None,
    }
}

impl AnswerKey {
    /// Reads "True or false? TITLE: STATEMENT." and checks the statement against the deck:
    /// "this happened on/in DATE" (true when the event's span holds the date), "this happened
    /// between A and B" (true when that is the span), "this happened in PLACE", "ACTOR took
    /// part" (true for one of the event's actors or a name form of one), "the WHAT was
    /// [more than] N UNIT" (true for the figure's own value); a statement not about the date
    /// may show it after the title ("TITLE (1977): ..."). The older form "TITLE — this
    /// happened in 1979." is read too.
    fn statement_is_true(&self, event: &EventFacts, prompt: &str) -> Option<bool> {
        let rest = prompt.strip_prefix("True or false? ")?;
        let said = rest
            .strip_prefix(event.title.as_str())
            // A statement not about the date shows it after the title: "TITLE (1977): ...".
            .map(
                |r| match r.strip_prefix(" (").and_then(|r| r.split_once("): ")) {
                    Some((_, said)) => said,
                    None => r.trim_start_matches([':', ' ', '—']),
                },
            )
            .unwrap_or(rest)
            .trim_end_matches('.');
        // An ongoing event's date is when it "began".
        let claim = said
            .strip_prefix("this happened ")
            .or(said.strip_prefix("this began "));
        if let Some(claim) = claim {
            if let Some(span) = claim.strip_prefix("between ") {
                let (a, b) = span.split_once(" and ")?;
                let (a, b) = (shown_date(a)?, shown_date(b)?);
                return Some(a == event.date && Some(&b) == event.end_date.as_ref());
            }
            let place = claim.strip_prefix("in ").unwrap_or(claim);
            let date = claim
                .strip_prefix("on ")
                .or(claim.strip_prefix("in "))
                .and_then(shown_date);
            if let Some(iso) = date {
                let end = event.end_date.as_deref().unwrap_or(&event.date);
                let (from, to) = (first_day(&event.date)?, last_day(end)?);
                return Some(
                    iso == event.date || (first_day(&iso)? >= from && last_day(&iso)? <= to),
                );
            }
            let right = event.place.as_deref()?;
            let town = right.split(',').next().unwrap_or(right);
            return Some(self.same_name(place, right) || self.same_name(place, town));
        }
        if let Some(actor) = said.strip_suffix(" took part") {
            return Some(event.actors.iter().any(|a| self.same_name(actor, a)));
        }
        if let Some(figure) = said.strip_prefix("the ") {
            // The figure's own words may hold " was " ("... when the island was taken").
            let (what, shown) = figure.rsplit_once(" was ")?;
            let value = event.figures.iter().find(|(w, _)| key(w) == key(what))?.1;
            return Some(shown_number(shown).is_some_and(|v| (v - value).abs() < 1e-9));
        }
        None
    }

    /// Two forms of one name: equal, or both forms of one `[[name]]`.
    fn same_name(&self, a: &str, b: &str) -> bool {
        let (a, b) = (key(a), key(b));
        a == b
            || self
                .names
                .get(&a)
                .is_some_and(|n| Some(n) == self.names.get(&b))
    }
}

/// A date or span as a choice shows it ("1981–1982", "7 January 1979 – 15 February 1979"):
/// its start and, for a span, its end, as ISO.
fn shown_span(text: &str) -> Option<(String, Option<String>)> {
    let mut parts = text.split(['–', '—']);
    let start = shown_date(parts.next()?)?;
    let end = match parts.next() {
        Some(e) => Some(shown_date(e)?),
        None => None,
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_numbers_read_as_the_page_writes_them() {
        assert_eq!(shown_date("7 January 1979").as_deref(), Some("1979-01-07"));
        assert_eq!(shown_date("January 1979").as_deref(), Some("1979-01"));
        assert_eq!(shown_date("1981–1982").as_deref(), Some("1981"));
        assert_eq!(
            shown_span("7 January 1979 – 15 February 1979"),
            Some(("1979-01-07".into(), Some("1979-02-15".into())))
        );
        assert_eq!(shown_span("1979"), Some(("1979".into(), None)));
        assert_eq!(shown_number("12,000 troops"), Some(12000.0));
        assert_eq!(shown_number("USD 1,500.5"), Some(1500.5));
        assert_eq!(shown_number("41%"), Some(41.0));
    }

    #[test]
    fn a_statement_may_show_the_date_after_the_title() {
        let doc: toml::Table = r#"
[[event]]
id = "build-up"
date = "1975"
end_date = "1977"
title = "Two years of build-up"
place = "Tay Ninh"
actors = ["Khmer Rouge"]
[[event.figure]]
what = "share of the forces moved up"
value = 41
"#
        .parse()
        .unwrap();
        let mut k = AnswerKey::default();
        k.add(&doc);
        let e = k.events["build-up"].clone();
        let says = |p: &str| k.statement_is_true(&e, p);
        let t = "True or false? Two years of build-up";
        assert_eq!(
            says(&format!(
                "{t} (1975–1977): the share of the forces moved up was 41%."
            )),
            Some(true)
        );
        assert_eq!(
            says(&format!(
                "{t} (1975–1977): the share of the forces moved up was 25%."
            )),
            Some(false)
        );
        assert_eq!(
            says(&format!("{t} (1975–1977): this happened in Tay Ninh.")),
            Some(true)
        );
        assert_eq!(
            says(&format!("{t} (1975–1977): Khmer Rouge took part.")),
            Some(true)
        );
        assert_eq!(says(&format!("{t}: this happened in 1976.")), Some(true));
    }
}
