//! Checking what a learner typed. What is accepted (documented in questions/README.md too):
//!
//! - Names and terms: case, diacritics, punctuation and a leading "the" are ignored
//!   (Tà Nốt = ta not), and a small typo is forgiven: none for answers of up to 4 letters,
//!   one edit up to 10 letters, two beyond. For a place written "Town, Country", "Town"
//!   alone is accepted.
//! - Dates: `7 January 1979`, `7th of January 1979`, `January 7, 1979`, `Jan 7 1979`,
//!   `1979-01-07`, `January 1979`, `1979-01`, `1979`. The answer must be given at least to the
//!   precision asked (a day for a day) and agree up to that precision; extra detail is
//!   ignored. All-numeric forms like `7/1/1979` are refused: day and month order is ambiguous.
//!   For an event that spans a period, any date inside the span is right (at the span's
//!   precision), and so is the span itself written `1981–1982`, `1981 - 1982` or
//!   `November 1981 to April 1982`.
//! - Numbers: `2000000`, `2,000,000`, `2 000 000`, `2.5 million`, `2.5m`, `3 billion`, `40%`,
//!   `USD 1.5 billion`; words after the number (units) are ignored. Exact figures must match
//!   exactly; figures the source gives as approximate are accepted within 10%.

use crate::dataset::{HistDate, date::month_from_name};
use crate::text::normalize;

/// What counts as right for one question.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Expected {
    Date(HistDate),
    /// An event over a period: any date inside `[from, to]`, or the span itself.
    DateSpan {
        from: HistDate,
        to: HistDate,
    },
    Number {
        value: f64,
        approximate: bool,
    },
    /// Accepted spellings; the first is the canonical one.
    Text(Vec<String>),
    /// Only a choice can answer it (chronology, true/false, event on a date).
    #[default]
    ChoiceOnly,
    /// A flashcard: the learner grades themselves.
    SelfGraded,
}

/// Whether a typed answer is right.
pub fn check_typed(expected: &Expected, given: &str) -> bool {
    match expected {
        Expected::Date(want) => parse_date(given).is_some_and(|got| date_matches(want, &got)),
        Expected::DateSpan { from, to } => span_matches(from, to, given),
        Expected::Number { value, approximate } => {
            parse_number(given).is_some_and(|got| number_matches(*value, *approximate, got))
        }
        Expected::Text(accepted) => accepted.iter().any(|a| text_matches(a, given)),
        Expected::ChoiceOnly | Expected::SelfGraded => false,
    }
}

pub fn date_matches(want: &HistDate, got: &HistDate) -> bool {
    got.precision() >= want.precision() && got.truncate(want.precision()) == *want
}

/// A typed span must agree at both ends; a typed single date must lie inside the span, at
/// least as precise as the span's coarser end.
pub fn span_matches(from: &HistDate, to: &HistDate, given: &str) -> bool {
    if let Some((a, b)) = parse_span(given) {
        return date_matches(from, &a) && date_matches(to, &b);
    }
    let Some(got) = parse_date(given) else {
        return false;
    };
    got.precision() >= from.precision().min(to.precision())
        && got.first_day() >= from.first_day()
        && got.last_day() <= to.last_day()
}

/// Reads `A–B`, `A - B`, `A to B`, `from A to B`, `between A and B` and `1981-1982`.
pub fn parse_span(input: &str) -> Option<(HistDate, HistDate)> {
    let s = input.trim().to_lowercase();
    let s = s
        .strip_prefix("from ")
        .or_else(|| s.strip_prefix("between "))
        .unwrap_or(&s);
    let b = s.as_bytes();
    // `1981-1982`: two bare years joined by a hyphen (ISO months are `1981-11`).
    if b.len() == 9
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
    {
        return Some((
            HistDate::parse_iso(&s[..4]).ok()?,
            HistDate::parse_iso(&s[5..]).ok()?,
        ));
    }
    for sep in ["–", "—", " - ", " to ", " and ", " until "] {
        if let Some((a, b)) = s.split_once(sep) {
            return Some((parse_date(a)?, parse_date(b)?));
        }
    }
    None
}

pub fn number_matches(want: f64, approximate: bool, got: f64) -> bool {
    if approximate {
        (got - want).abs() <= 0.1 * want.abs()
    } else {
        (got - want).abs() <= 1e-9 * want.abs().max(1.0)
    }
}

pub fn text_matches(want: &str, given: &str) -> bool {
    let want = normalize(want);
    let given = normalize(given);
    if given.is_empty() {
        return false;
    }
    let letters = want.chars().filter(|c| !c.is_whitespace()).count();
    let allowed = match letters {
        0..=4 => 0,
        5..=10 => 1,
        _ => 2,
    };
    strsim::damerau_levenshtein(&want, &given) <= allowed
}

/// Reads a date in the usual written forms (see the module docs).
pub fn parse_date(input: &str) -> Option<HistDate> {
    let s = input.trim();
    if let Ok(d) = HistDate::parse_iso(s) {
        return Some(d);
    }
    let lowered = s.to_lowercase().replace([',', '.'], " ");
    let mut year = None;
    let mut month = None;
    let mut day = None;
    for token in lowered.split_whitespace() {
        if matches!(token, "of" | "the") {
            continue;
        }
        let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &token[digits.len()..];
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if digits.len() == 4 && suffix.is_empty() && year.is_none() {
                year = Some(digits.parse::<i32>().ok()?);
            } else if digits.len() <= 2
                && matches!(suffix, "" | "st" | "nd" | "rd" | "th")
                && day.is_none()
            {
                day = Some(digits.parse::<u8>().ok()?);
            } else {
                return None;
            }
        } else if let (Some(m), None) = (month_from_name(token), month) {
            month = Some(m);
        } else {
            return None;
        }
    }
    match (year?, month, day) {
        (y, None, None) => Some(HistDate::year(y)),
        (y, Some(m), None) => HistDate::month(y, m),
        (y, Some(m), Some(d)) => HistDate::day(y, m, d),
        (_, None, Some(_)) => None,
    }
}

/// Reads a number with optional separators and a scale word (see the module docs).
pub fn parse_number(input: &str) -> Option<f64> {
    let s = input.trim().to_lowercase();
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let rest = &s[start..];
    let mut digits = String::new();
    let mut end = rest.len();
    let chars: Vec<(usize, char)> = rest.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_ascii_digit() {
            digits.push(c);
        } else if c == '.' && !digits.contains('.') && next_is_digit(&chars, i) {
            digits.push('.');
        } else if matches!(c, ',' | ' ' | '_' | '\'' | '\u{202f}' | '\u{a0}')
            && !digits.contains('.')
            && group_of_three_follows(&chars, i)
        {
            // A thousands separator: skip it.
        } else {
            end = at;
            break;
        }
        i += 1;
    }
    let mut value: f64 = digits.parse().ok()?;
    let tail = rest[end..].trim_start();
    let word: String = tail
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    value *= match word.as_str() {
        "thousand" | "k" => 1e3,
        "million" | "millions" | "m" | "mn" | "mln" => 1e6,
        "billion" | "billions" | "bn" | "b" => 1e9,
        _ => 1.0,
    };
    // A second number in the answer makes it ambiguous ("2 or 3 million").
    let after_scale = &tail[word.len()..];
    if after_scale.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(value)
}

fn next_is_digit(chars: &[(usize, char)], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|(_, c)| c.is_ascii_digit())
}

fn group_of_three_follows(chars: &[(usize, char)], i: usize) -> bool {
    let group: Vec<char> = chars[i + 1..].iter().take(4).map(|(_, c)| *c).collect();
    group.len() >= 3
        && group[..3].iter().all(|c| c.is_ascii_digit())
        && group.get(3).is_none_or(|c| !c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> HistDate {
        HistDate::parse_iso(s).unwrap()
    }

    #[test]
    fn dates_in_usual_forms() {
        for form in [
            "7 January 1979",
            "7th January 1979",
            "7th of January, 1979",
            "January 7, 1979",
            "Jan 7 1979",
            "jan. 7th 1979",
            "1979-01-07",
            " 7 JANUARY 1979 ",
        ] {
            assert_eq!(parse_date(form), Some(day("1979-01-07")), "{form}");
        }
        assert_eq!(parse_date("January 1979"), Some(day("1979-01")));
        assert_eq!(parse_date("1979"), Some(day("1979")));
        for bad in [
            "7/1/1979",
            "31 February 1979",
            "7 January",
            "yesterday",
            "1979 1980",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn date_precision_is_respected() {
        let want = Expected::Date(day("1979-01-07"));
        assert!(check_typed(&want, "7 Jan 1979"));
        assert!(!check_typed(&want, "January 1979"));
        assert!(!check_typed(&want, "8 January 1979"));
        let month = Expected::Date(day("1979-01"));
        assert!(check_typed(&month, "January 1979"));
        assert!(check_typed(&month, "7 January 1979"));
        assert!(!check_typed(&month, "1979"));
        assert!(check_typed(&Expected::Date(day("1979")), "1979"));
    }

    #[test]
    fn a_span_accepts_any_date_inside_it_and_itself() {
        let want = Expected::DateSpan {
            from: day("1981"),
            to: day("1982"),
        };
        for right in [
            "1981",
            "1982",
            "1981–1982",
            "1981-1982",
            "1981 to 1982",
            "March 1982",
        ] {
            assert!(check_typed(&want, right), "{right}");
        }
        for wrong in ["1980", "1983", "1980–1982", "1979-1981"] {
            assert!(!check_typed(&want, wrong), "{wrong}");
        }
        let months = Expected::DateSpan {
            from: day("1981-11"),
            to: day("1982-04"),
        };
        assert!(check_typed(&months, "November 1981 – April 1982"));
        assert!(check_typed(&months, "January 1982"));
        assert!(!check_typed(&months, "1982"), "coarser than the span");
        assert!(!check_typed(&months, "May 1982"));
    }

    #[test]
    fn numbers_with_and_without_separators() {
        for form in [
            "2000000",
            "2,000,000",
            "2 000 000",
            "2 million",
            "2m",
            "about 2,000,000 people",
        ] {
            assert_eq!(parse_number(form), Some(2_000_000.0), "{form}");
        }
        assert_eq!(parse_number("USD 1.5 billion"), Some(1.5e9));
        assert_eq!(parse_number("40%"), Some(40.0));
        assert_eq!(parse_number("7.5 percent"), Some(7.5));
        assert_eq!(parse_number("2 or 3 million"), None);
        assert_eq!(parse_number("many"), None);
        let exact = Expected::Number {
            value: 1200.0,
            approximate: false,
        };
        assert!(check_typed(&exact, "1,200"));
        assert!(!check_typed(&exact, "1,300"));
        let about = Expected::Number {
            value: 1200.0,
            approximate: true,
        };
        assert!(check_typed(&about, "1,300"));
        assert!(!check_typed(&about, "1,500"));
    }

    #[test]
    fn names_forgive_case_diacritics_and_small_typos() {
        let want = Expected::Text(vec!["Tà Nốt".into()]);
        assert!(check_typed(&want, "ta not"));
        assert!(check_typed(&want, "TA NOT"));
        assert!(
            check_typed(&want, "ta nat"),
            "one typo in five letters is forgiven"
        );
        assert!(!check_typed(&want, "to nat"));
        let short = Expected::Text(vec!["Huế".into()]);
        assert!(check_typed(&short, "hue"));
        assert!(
            !check_typed(&short, "hoe"),
            "short names need exact spelling"
        );
        let long = Expected::Text(vec!["Phnom Penh".into()]);
        assert!(check_typed(&long, "phnom pen"));
        assert!(
            !check_typed(&long, "phnom phen"),
            "two edits in nine letters is too many"
        );
        assert!(check_typed(&long, "Phnom Pehn"));
        assert!(!check_typed(&long, "Battambang"));
        assert!(!check_typed(&long, ""));
    }
}
