//! Writing and rounding figures the way a learner reads them.

/// `2000000` -> `2,000,000`; `7.5` -> `7.5`.
pub fn format_number(value: f64) -> String {
    let negative = value < 0.0;
    let abs = value.abs();
    let text = if abs.fract() == 0.0 && abs < 1e15 {
        format!("{}", abs as u64)
    } else {
        let s = format!("{abs:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut out = if negative {
        "-".to_string()
    } else {
        String::new()
    };
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A figure with its unit: `2,000,000 people`, `USD 1,500,000`, `7.5%`.
pub fn format_figure(value: f64, unit: &str) -> String {
    let n = format_number(value);
    match unit {
        "percent" | "%" => format!("{n}%"),
        "USD" | "VND" => format!("{unit} {n}"),
        "" => n,
        _ => format!("{n} {unit}"),
    }
}

/// A figure as the deck states it, with the singular unit for a value of 1 ("1 division").
pub fn format_count(value: f64, unit: &str, unit_singular: Option<&str>) -> String {
    if value == 1.0 {
        let singular = unit_singular.map_or_else(|| singular_of(unit), str::to_string);
        return format_figure(value, &singular);
    }
    format_figure(value, unit)
}

/// A best guess at the singular of an English plural unit, for decks that give none.
pub fn singular_of(unit: &str) -> String {
    let (head, last) = match unit.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), unit),
    };
    let lower = last.to_ascii_lowercase();
    let one = if matches!(
        lower.as_str(),
        "percent" | "%" | "usd" | "vnd" | "" | "people" | "series" | "species"
    ) {
        if lower == "people" {
            "person".to_string()
        } else {
            last.to_string()
        }
    } else if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if lower.ends_with("sses")
        || lower.ends_with("ches")
        || lower.ends_with("shes")
        || lower.ends_with("xes")
    {
        last[..last.len() - 2].to_string()
    } else if lower.ends_with('s') && !lower.ends_with("ss") {
        last[..last.len() - 1].to_string()
    } else {
        last.to_string()
    };
    format!("{head}{one}")
}

/// Number of significant digits written in `value` (2,000,000 has 1; 1,250 has 3).
pub fn significant_digits(value: f64) -> u32 {
    let s = format!("{}", value.abs());
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if s.contains('.') {
        trimmed
    } else {
        trimmed.trim_end_matches('0')
    };
    trimmed.len().max(1) as u32
}

/// Rounds to `digits` significant digits.
pub fn round_significant(value: f64, digits: u32) -> f64 {
    if value == 0.0 {
        return 0.0;
    }
    let magnitude = value.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits as i32 - 1 - magnitude);
    (value * scale).round() / scale
}

/// Every whole number a text writes, in digits or words, cardinal or ordinal: "The 45th
/// anniversary" and "Forty-fifth anniversary" both give 45. Used to see that a card's front
/// already gives its back away.
pub fn numbers_written(text: &str) -> Vec<u64> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .flat_map(|t| {
            // "1979-1989" and "07-01-2020" hold several numbers; "forty-fifth" one.
            let n = word_number(t);
            let parts: Vec<u64> = if n.is_some() {
                n.into_iter().collect()
            } else {
                t.split('-').filter_map(digit_number).collect()
            };
            parts
        })
        .collect()
}

fn digit_number(t: &str) -> Option<u64> {
    let digits = t.trim_end_matches(|c: char| c.is_alphabetic());
    let suffix = &t[digits.len()..];
    if digits.is_empty() || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok()
}

/// "forty-fifth" -> 45, "second" -> 2, "twenty" -> 20; up to ninety-nine.
fn word_number(t: &str) -> Option<u64> {
    const UNITS: [(&str, &str, u64); 19] = [
        ("one", "first", 1),
        ("two", "second", 2),
        ("three", "third", 3),
        ("four", "fourth", 4),
        ("five", "fifth", 5),
        ("six", "sixth", 6),
        ("seven", "seventh", 7),
        ("eight", "eighth", 8),
        ("nine", "ninth", 9),
        ("ten", "tenth", 10),
        ("eleven", "eleventh", 11),
        ("twelve", "twelfth", 12),
        ("thirteen", "thirteenth", 13),
        ("fourteen", "fourteenth", 14),
        ("fifteen", "fifteenth", 15),
        ("sixteen", "sixteenth", 16),
        ("seventeen", "seventeenth", 17),
        ("eighteen", "eighteenth", 18),
        ("nineteen", "nineteenth", 19),
    ];
    const TENS: [(&str, &str, u64); 8] = [
        ("twenty", "twentieth", 20),
        ("thirty", "thirtieth", 30),
        ("forty", "fortieth", 40),
        ("fifty", "fiftieth", 50),
        ("sixty", "sixtieth", 60),
        ("seventy", "seventieth", 70),
        ("eighty", "eightieth", 80),
        ("ninety", "ninetieth", 90),
    ];
    let unit = |w: &str| {
        UNITS
            .iter()
            .find(|(c, o, _)| *c == w || *o == w)
            .map(|u| u.2)
    };
    let ten = |w: &str| {
        TENS.iter()
            .find(|(c, o, _)| *c == w || *o == w)
            .map(|t| t.2)
    };
    match t.split_once('-') {
        Some((a, b)) => Some(ten(a)? + unit(b).filter(|&u| u < 10)?),
        None => unit(t).or_else(|| ten(t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_read_digits_words_and_ordinals() {
        assert_eq!(
            numbers_written("Forty-fifth anniversary of the border war victory"),
            vec![45]
        );
        assert_eq!(
            numbers_written("45 years after the victory of 7 January 1979"),
            vec![45, 7, 1979]
        );
        assert_eq!(
            numbers_written("the 2nd attack, 1979-1989"),
            vec![2, 1979, 1989]
        );
        assert_eq!(numbers_written("a second-hand front"), Vec::<u64>::new());
    }

    #[test]
    fn formats_with_separators() {
        assert_eq!(format_number(2_000_000.0), "2,000,000");
        assert_eq!(format_number(999.0), "999");
        assert_eq!(format_number(1000.0), "1,000");
        assert_eq!(format_number(7.5), "7.5");
        assert_eq!(format_number(1234567.25), "1,234,567.25");
        assert_eq!(format_figure(40.0, "percent"), "40%");
        assert_eq!(format_figure(1.5e9, "USD"), "USD 1,500,000,000");
        assert_eq!(format_figure(30.0, "tonnes"), "30 tonnes");
    }

    #[test]
    fn one_takes_the_singular() {
        assert_eq!(format_count(1.0, "divisions", None), "1 division");
        assert_eq!(
            format_count(1.0, "divisions", Some("division")),
            "1 division"
        );
        assert_eq!(
            format_count(7.0, "divisions", Some("division")),
            "7 divisions"
        );
        assert_eq!(format_count(1.0, "countries", None), "1 country");
        assert_eq!(format_count(1.0, "people", None), "1 person");
        assert_eq!(format_count(1.0, "percent", None), "1%");
        assert_eq!(format_count(1.0, "km", None), "1 km");
        assert_eq!(
            format_count(1.0, "military regions", None),
            "1 military region"
        );
    }

    #[test]
    fn significant_digit_rounding() {
        assert_eq!(significant_digits(2_000_000.0), 1);
        assert_eq!(significant_digits(1250.0), 3);
        assert_eq!(significant_digits(7.5), 2);
        assert_eq!(round_significant(2_600_000.0, 1), 3_000_000.0);
        assert_eq!(round_significant(1249.0, 3), 1250.0);
    }
}
