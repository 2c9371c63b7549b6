//! Decks as CSV, for teachers who keep their material in a spreadsheet. A CSV deck is turned
//! into the TOML form line by line, remembering which cell each TOML line came from, and then
//! loaded and checked exactly as a TOML deck is; every problem is reported at its CSV line and
//! column. The columns are described in `questions/README.md`.

use super::DatasetError;
use super::model::{Deck, Qualifier};
use std::path::Path;

/// Every column a CSV deck may have, in the order Chronicle writes them.
pub const COLUMNS: [&str; 19] = [
    "record",
    "id",
    "title",
    "date",
    "end_date",
    "summary",
    "place",
    "place_kind",
    "era",
    "actors",
    "tags",
    "source_document",
    "source_quote",
    "figure_what",
    "figure_value",
    "figure_unit",
    "figure_qualifier",
    "description",
    "language",
];

/// Which columns a row of each `record` kind reads, each with the TOML field it fills.
fn fields_of(record: &str) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match record {
        "deck" => &[
            ("id", "id"),
            ("title", "title"),
            ("description", "description"),
            ("language", "language"),
        ],
        "document" => &[("id", "id"), ("title", "title")],
        "era" => &[
            ("id", "id"),
            ("title", "title"),
            ("date", "start"),
            ("end_date", "end"),
            ("description", "description"),
        ],
        "event" => &[
            ("id", "id"),
            ("date", "date"),
            ("end_date", "end_date"),
            ("title", "title"),
            ("summary", "summary"),
            ("place", "place"),
            ("place_kind", "place_kind"),
            ("era", "era"),
            ("actors", "actors"),
            ("tags", "tags"),
            ("source_document", ""),
            ("source_quote", ""),
            ("figure_what", ""),
            ("figure_value", ""),
            ("figure_unit", ""),
            ("figure_qualifier", ""),
        ],
        "source" => &[("source_document", ""), ("source_quote", "")],
        "figure" => &[
            ("figure_what", ""),
            ("figure_value", ""),
            ("figure_unit", ""),
            ("figure_qualifier", ""),
        ],
        _ => return None,
    })
}

const SOURCE: [(&str, &str); 2] = [("source_document", "document"), ("source_quote", "quote")];
const FIGURE: [(&str, &str); 4] = [
    ("figure_what", "what"),
    ("figure_value", "value"),
    ("figure_unit", "unit"),
    ("figure_qualifier", "qualifier"),
];

/// Where a line of the TOML form came from: the CSV line, the column, and for a table's
/// header, how its fields are named in CSV (to name the column of a missing field).
#[derive(Clone, Copy)]
struct Origin {
    line: usize,
    column: usize,
    fields: &'static [(&'static str, &'static str)],
}

/// A CSV deck in the TOML form, and where each of its lines came from.
pub struct Converted {
    pub toml: String,
    origins: Vec<Origin>,
    header: Vec<String>,
}

impl Converted {
    /// The CSV line and column behind line `line` of the TOML form.
    pub fn locate(&self, line: usize) -> (usize, usize) {
        self.origins
            .get(line.saturating_sub(1))
            .map_or((1, 1), |o| (o.line, o.column))
    }

    /// A problem of the TOML form, told at its CSV cell, a missing field by its column.
    pub fn relocate(&self, e: &DatasetError) -> DatasetError {
        let Some(origin) = self.origins.get(e.line.saturating_sub(1)) else {
            return DatasetError {
                column: Some(1),
                ..e.clone()
            };
        };
        let mut message = e.message.clone();
        let mut column = origin.column;
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_string);
        if let Some(field) = missing
            && let Some((name, _)) = origin.fields.iter().find(|(_, f)| *f == field)
        {
            message = format!("missing `{name}`: this row needs it");
            if let Some(i) = self.header.iter().position(|h| h == name) {
                column = i + 1;
            }
        }
        DatasetError {
            file: e.file.clone(),
            line: origin.line,
            column: Some(column),
            message,
        }
    }
}

/// A TOML basic string holding `s`.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A list cell: items separated by `;`.
fn list(s: &str) -> String {
    let items: Vec<String> = s
        .split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(quoted)
        .collect();
    format!("[{}]", items.join(", "))
}

struct Out {
    toml: String,
    origins: Vec<Origin>,
}

impl Out {
    fn line(&mut self, text: &str, origin: Origin) {
        self.toml.push_str(text);
        self.toml.push('\n');
        self.origins.push(origin);
    }
}

/// Turns a CSV deck into its TOML form, or gives every problem of the CSV itself (a header
/// it does not know, a row kind it does not know, a cell a row does not use).
pub fn to_toml(file: &Path, text: &str) -> Result<Converted, Vec<DatasetError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem = |line: usize, column: usize, message: String| DatasetError {
        file: file.to_path_buf(),
        line,
        column: Some(column),
        message,
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![problem(
                1,
                1,
                format!("cannot read the header row: {e}"),
            )]);
        }
    };
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) && !name.is_empty() {
            errors.push(problem(
                1,
                i + 1,
                format!("unknown column `{name}`: expected {}", COLUMNS.join(", ")),
            ));
        }
    }
    let Some(record_col) = header.iter().position(|h| h == "record") else {
        errors.push(problem(
            1,
            1,
            "the header row has no `record` column (deck, document, era, event, source or figure)"
                .into(),
        ));
        return Err(errors);
    };
    let mut out = Out {
        toml: String::new(),
        origins: Vec::new(),
    };
    let mut last_event = false;
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                errors.push(problem(line, 1, format!("cannot read this row: {e}")));
                continue;
            }
        };
        let line = row.position().map_or(1, |p| p.line() as usize);
        let cell = |name: &str| -> Option<(usize, &str)> {
            let i = header.iter().position(|h| h == name)?;
            let v = row.get(i)?.trim();
            (!v.is_empty()).then_some((i + 1, v))
        };
        let record = row.get(record_col).unwrap_or("").trim().to_lowercase();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(fields) = fields_of(&record) else {
            errors.push(problem(
                line,
                record_col + 1,
                format!("record `{record}`: expected deck, document, era, event, source or figure"),
            ));
            continue;
        };
        for (i, name) in header.iter().enumerate() {
            // An unknown column is reported once, at the header.
            let used = name == "record"
                || !COLUMNS.contains(&name.as_str())
                || fields.iter().any(|(c, _)| c == name);
            if !used && row.get(i).is_some_and(|v| !v.trim().is_empty()) {
                errors.push(problem(
                    line,
                    i + 1,
                    format!("a `{record}` row has no `{name}`: leave this cell empty"),
                ));
            }
        }
        let at = |column: usize| Origin {
            line,
            column,
            fields: &[],
        };
        let head = |fields: &'static [(&'static str, &'static str)]| Origin {
            line,
            column: record_col + 1,
            fields,
        };
        let scalar = |out: &mut Out, name: &str, field: &str| {
            if let Some((col, v)) = cell(name) {
                let value = match field {
                    "actors" | "tags" => list(v),
                    _ => quoted(v),
                };
                out.line(&format!("{field} = {value}"), at(col));
            }
        };
        let sub = |out: &mut Out, table: &str, names: &'static [(&'static str, &'static str)]| {
            out.line(&format!("[[event.{table}]]"), head(names));
            for (name, field) in names {
                if let Some((col, v)) = cell(name) {
                    // A value that is not a plain number stays a string, for the loader to
                    // say so at its cell.
                    let value = if *field == "value" && v.parse::<f64>().is_ok_and(f64::is_finite) {
                        v.to_string()
                    } else {
                        quoted(v)
                    };
                    out.line(&format!("{field} = {value}"), at(col));
                }
            }
        };
        let any = |names: &[(&str, &str)]| names.iter().any(|(n, _)| cell(n).is_some());
        match record.as_str() {
            "deck" | "document" | "era" | "event" => {
                let table = match record.as_str() {
                    "deck" => "[deck]".to_string(),
                    r => format!("[[{r}]]"),
                };
                out.line(&table, head(fields));
                for (name, field) in fields.iter().filter(|(_, f)| !f.is_empty()) {
                    scalar(&mut out, name, field);
                }
                if record == "event" {
                    if any(&SOURCE) {
                        sub(&mut out, "source", &SOURCE);
                    }
                    if any(&FIGURE) {
                        sub(&mut out, "figure", &FIGURE);
                    }
                }
                last_event = record == "event";
            }
            r => {
                if !last_event {
                    errors.push(problem(
                        line,
                        record_col + 1,
                        format!(
                            "a `{r}` row belongs to the `event` row above it, and there is none"
                        ),
                    ));
                    continue;
                }
                if r == "source" {
                    sub(&mut out, "source", &SOURCE);
                } else {
                    sub(&mut out, "figure", &FIGURE);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(Converted {
            toml: out.toml,
            origins: out.origins,
            header,
        })
    } else {
        errors.sort_by_key(|e| (e.line, e.column));
        Err(errors)
    }
}

fn qualifier_name(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "",
        Qualifier::About => "about",
        Qualifier::Nearly => "nearly",
        Qualifier::Over => "over",
        Qualifier::AtLeast => "at_least",
        Qualifier::Under => "under",
        Qualifier::UpTo => "up_to",
    }
}

/// The deck as CSV, ids without `strip` (an uploaded deck's key and its dot). What CSV has no
/// column for (names, quotes, disputes, clozes, a document's publisher) is left out; the
/// caller says so where it offers the file.
pub fn write(deck: &Deck, strip: &str) -> String {
    let id = |s: &str| s.strip_prefix(strip).unwrap_or(s).to_string();
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let row = |w: &mut ::csv::Writer<Vec<u8>>, cells: &[(&str, String)]| {
        let line: Vec<String> = COLUMNS
            .iter()
            .map(|c| {
                cells
                    .iter()
                    .find(|(n, _)| n == c)
                    .map_or(String::new(), |(_, v)| v.clone())
            })
            .collect();
        // Writing to memory cannot fail.
        let _ = w.write_record(&line);
    };
    let _ = w.write_record(COLUMNS);
    let deck_id = deck
        .source_file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|_| deck.id.starts_with("t."))
        .unwrap_or_else(|| deck.id.to_string());
    let deck_id = if crate::dataset::is_slug(&deck_id) {
        deck_id
    } else {
        "deck".into()
    };
    row(
        &mut w,
        &[
            ("record", "deck".into()),
            ("id", deck_id),
            ("title", deck.title.clone()),
            ("description", deck.description.clone()),
            ("language", deck.language.clone()),
        ],
    );
    for d in &deck.documents {
        row(
            &mut w,
            &[
                ("record", "document".into()),
                ("id", d.id.clone()),
                ("title", d.title.clone()),
            ],
        );
    }
    for e in &deck.eras {
        row(
            &mut w,
            &[
                ("record", "era".into()),
                ("id", e.id.clone()),
                ("title", e.title.clone()),
                ("date", e.start.iso()),
                ("end_date", e.end.map_or(String::new(), |d| d.iso())),
                ("description", e.description.clone().unwrap_or_default()),
            ],
        );
    }
    let source = |s: &super::model::Source| {
        vec![
            ("source_document", s.document.clone()),
            ("source_quote", s.quote.clone()),
        ]
    };
    let figure = |f: &super::model::Figure| {
        vec![
            ("figure_what", f.what.clone()),
            ("figure_value", f.value.to_string()),
            ("figure_unit", f.unit.clone()),
            ("figure_qualifier", qualifier_name(f.qualifier).to_string()),
        ]
    };
    for e in &deck.events {
        let mut cells = vec![
            ("record", "event".to_string()),
            ("id", id(&e.id)),
            ("date", e.date.iso()),
            ("end_date", e.end_date.map_or(String::new(), |d| d.iso())),
            ("title", e.title.clone()),
            ("summary", e.summary.clone()),
            ("place", e.place.clone().unwrap_or_default()),
            (
                "place_kind",
                e.place_kind
                    .map_or(String::new(), |k| place_kind_name(k).to_string()),
            ),
            ("era", e.era.clone()),
            ("actors", e.actors.join("; ")),
            ("tags", e.tags.join("; ")),
        ];
        if let Some(s) = e.sources.first() {
            cells.extend(source(s));
        }
        if let Some(f) = e.figures.first() {
            cells.extend(figure(f));
        }
        row(&mut w, &cells);
        for s in e.sources.iter().skip(1) {
            let mut cells = vec![("record", "source".to_string())];
            cells.extend(source(s));
            row(&mut w, &cells);
        }
        for f in e.figures.iter().skip(1) {
            let mut cells = vec![("record", "figure".to_string())];
            cells.extend(figure(f));
            row(&mut w, &cells);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn place_kind_name(k: super::model::PlaceKind) -> &'static str {
    use super::model::PlaceKind::*;
    match k {
        City => "city",
        Province => "province",
        District => "district",
        Commune => "commune",
        Island => "island",
        River => "river",
        Country => "country",
        Region => "region",
        BorderArea => "border-area",
        Building => "building",
    }
}

/// Reads a CSV deck: every problem (of the CSV, of loading) at its line and column, and the
/// deck as far as it loaded, with the TOML form it was read from.
pub fn read(file: &Path, text: &str) -> (Option<(Deck, Converted)>, Vec<DatasetError>) {
    let converted = match to_toml(file, text) {
        Ok(c) => c,
        Err(errors) => return (None, errors),
    };
    let (deck, errors) = super::read_deck(file, &converted.toml);
    let errors = errors.iter().map(|e| converted.relocate(e)).collect();
    (deck.map(|d| (d, converted)), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "record,id,title,date,end_date,summary,place,place_kind,era,actors,tags,source_document,source_quote,figure_what,figure_value,figure_unit,figure_qualifier,description,language
deck,mine,My deck,,,,,,,,,,,,,,,A deck of mine,en
document,notes.txt,Class notes,,,,,,,,,,,,,,,,
era,war,The war,1337,1453,,,,,,,,,,,,,,
event,crecy,Longbows win,1346-08-26,,Archers beat knights.,\"Crécy, France\",city,war,Edward III; Philip VI,battle,notes.txt,On 26 August 1346 the English won,soldiers,\"12,000\",soldiers,about,,
source,,,,,,,,,,,notes.txt,\"a second \"\"quote\"\"\",,,,,,
figure,,,,,,,,,,,,,,,knights,,,
";

    #[test]
    fn every_cell_problem_names_its_line_and_column() {
        let (_, errors) = read(Path::new("deck.csv"), DECK);
        let got: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            got,
            vec![
                "deck.csv:5:15: invalid type: string \"12,000\", expected f64".to_string(),
                "deck.csv:7:14: missing `figure_what`: this row needs it".to_string(),
                "deck.csv:7:15: missing `figure_value`: this row needs it".to_string(),
            ],
            "{got:#?}"
        );
    }

    #[test]
    fn a_csv_deck_loads_and_writes_back_the_same() {
        let good = DECK
            .replace("\"12,000\"", "12000")
            .replace("figure,,,,,,,,,,,,,,,knights,,,\n", "");
        let (deck, errors) = read(Path::new("deck.csv"), &good);
        assert!(errors.is_empty(), "{errors:#?}");
        let (deck, _) = deck.unwrap();
        let e = &deck.events[0];
        assert_eq!(e.actors, vec!["Edward III", "Philip VI"]);
        assert_eq!(e.sources[1].quote, "a second \"quote\"");
        assert_eq!(e.figures[0].value, 12000.0);
        let written = write(&deck, "");
        let (again, errors) = read(Path::new("deck.csv"), &written);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(
            serde_json::to_value(&again.unwrap().0.events).unwrap(),
            serde_json::to_value(&deck.events).unwrap()
        );
    }

    #[test]
    fn unknown_columns_and_rows() {
        let bad = DECK
            .replacen("language", "colour", 1)
            .replacen("\ndocument,", "\ndoc,", 1);
        let (_, errors) = read(Path::new("deck.csv"), &bad);
        let got: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            got[0].starts_with("deck.csv:1:19: unknown column `colour`"),
            "{got:#?}"
        );
        assert!(
            got.iter()
                .any(|e| e.starts_with("deck.csv:3:1: record `doc`")),
            "{got:#?}"
        );
    }
}
