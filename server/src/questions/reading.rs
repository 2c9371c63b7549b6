//! How an article's words read where a question leans on them: a date told only as the
//! start of something, the hedge written beside a number ("nearly USD 8 billion"), the dates
//! a phrase of ours writes ("in answer to the attack of 30 April 1977"), and the numbers a
//! quote gives with the words around them ("205 active investment projects").

use super::fair::number_spans;
use crate::dataset::Qualifier;
use crate::dataset::date::month_from_name;

/// Lower-case words of `text`, split at anything but letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn is_number(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// A day number: "25", "25th".
fn day_of(w: &str) -> Option<u32> {
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !is_number(digits) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(w: &str) -> Option<i32> {
    (w.len() == 4 && is_number(w))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1000..3000).contains(y))
}

/// A month's name (or its short form) that stands beside a number: "May" alone is a verb.
fn month_at(ws: &[String], i: usize) -> Option<u8> {
    let m = month_from_name(&ws[i])?;
    let by_number = |j: Option<usize>| {
        j.and_then(|j| ws.get(j))
            .is_some_and(|w| is_number(w.trim_end_matches(char::is_alphabetic)))
    };
    (by_number(i.checked_sub(1)) || by_number(Some(i + 1))).then_some(m)
}

/// Words that tell that a date is when something began, not the whole of it.
const START_WORDS: [&str; 14] = [
    "launched",
    "launch",
    "began",
    "begin",
    "beginning",
    "started",
    "start",
    "opened",
    "increased",
    "escalated",
    "intensified",
    "switched",
    "shifted",
    "continuing",
];

/// Why `quote` reads as telling only when something began: "From September 25, 1977, ..."
/// with no "to" after the date, or a word of beginning or of a rising course ("launched",
/// "opened", "switched", "increased"). `None` when it reads as the whole event.
pub fn reads_as_start(quote: &str) -> Option<String> {
    let ws = words(quote);
    let is_date_word = |w: &str| {
        is_number(w.trim_end_matches(char::is_alphabetic)) || month_from_name(w).is_some()
    };
    for (i, w) in ws.iter().enumerate() {
        if w == "from" {
            let mut j = i + 1;
            let mut dated = false;
            while let Some(x) = ws.get(j) {
                if is_date_word(x) {
                    dated = true;
                } else if !matches!(x.as_str(), "of" | "the" | "early" | "late" | "mid" | "end") {
                    break;
                }
                j += 1;
            }
            let to_a_date = ws.get(j).is_some_and(|c| {
                matches!(c.as_str(), "to" | "until" | "till" | "through" | "and")
                    && ws.get(j + 1).is_some_and(|n| {
                        is_date_word(n) || n == "the" || n == "early" || n == "late"
                    })
            });
            if dated && !to_a_date {
                return Some(format!(
                    "“from” a date with no end (“{}”)",
                    ws[i..j].join(" ")
                ));
            }
        }
        if START_WORDS.contains(&w.as_str()) {
            return Some(format!("“{w}”"));
        }
    }
    None
}

/// A date as a phrase writes it, as far as it goes: "30 April 1977", "January 2020",
/// "3 June" (no year), "1989".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u32>,
}

impl std::fmt::Display for WrittenDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = [
            self.day.map(|d| d.to_string()),
            self.month
                .map(|m| crate::dataset::date::month_name(m).to_string()),
            self.year.map(|y| y.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        f.write_str(&parts.join(" "))
    }
}

/// Every date `text` writes: a month's name beside a day or a year, or a year alone.
pub fn dates_written(text: &str) -> Vec<WrittenDate> {
    let ws = words(text);
    let mut out = Vec::new();
    let mut used = vec![false; ws.len()];
    for i in 0..ws.len() {
        let Some(month) = month_at(&ws, i) else {
            continue;
        };
        let mut d = WrittenDate {
            year: None,
            month: Some(month),
            day: None,
        };
        // "30 April 1977" / "April 30, 1977" / "April 1977" / "3 June".
        if let Some(day) = i.checked_sub(1).and_then(|j| day_of(&ws[j])) {
            d.day = Some(day);
            used[i - 1] = true;
        }
        let mut j = i + 1;
        if d.day.is_none()
            && let Some(day) = ws.get(j).and_then(|w| day_of(w))
        {
            d.day = Some(day);
            used[j] = true;
            j += 1;
        }
        if let Some(year) = ws.get(j).and_then(|w| year_of(w)) {
            d.year = Some(year);
            used[j] = true;
        }
        used[i] = true;
        out.push(d);
    }
    for (i, w) in ws.iter().enumerate() {
        if !used[i]
            && let Some(year) = year_of(w)
        {
            out.push(WrittenDate {
                year: Some(year),
                month: None,
                day: None,
            });
        }
    }
    out
}

/// True when `text` writes every part `date` has: its year, its month's name and its day.
pub fn writes_date(text: &str, date: &WrittenDate) -> bool {
    let ws = words(text);
    let has = |w: &str| ws.iter().any(|x| x == w);
    if let Some(y) = date.year
        && !has(&y.to_string())
    {
        return false;
    }
    if let Some(m) = date.month {
        let full = crate::dataset::date::month_name(m).to_lowercase();
        let short: String = full.chars().take(3).collect();
        if !(has(&full) || has(&short) || (m == 9 && has("sept"))) {
            return false;
        }
    }
    if let Some(d) = date.day
        && !ws.iter().any(|w| day_of(w) == Some(d))
    {
        return false;
    }
    true
}

/// The hedge words of each kind of bound, as articles write them before a number (and
/// "plus", "or more", "or so" after it).
const HEDGES_BEFORE: [(&str, Qualifier); 20] = [
    ("as many as", Qualifier::UpTo),
    ("upwards of", Qualifier::Over),
    ("more than", Qualifier::Over),
    ("less than", Qualifier::Under),
    ("fewer than", Qualifier::Under),
    ("at least", Qualifier::AtLeast),
    ("up to", Qualifier::UpTo),
    ("close to", Qualifier::Nearly),
    ("about", Qualifier::About),
    ("around", Qualifier::About),
    ("some", Qualifier::About),
    ("approximately", Qualifier::About),
    ("roughly", Qualifier::About),
    ("circa", Qualifier::About),
    ("nearly", Qualifier::Nearly),
    ("almost", Qualifier::Nearly),
    ("over", Qualifier::Over),
    ("above", Qualifier::Over),
    ("under", Qualifier::Under),
    ("below", Qualifier::Under),
];

const HEDGES_AFTER: [(&str, Qualifier); 3] = [
    ("plus", Qualifier::Over),
    ("or more", Qualifier::AtLeast),
    ("or so", Qualifier::About),
];

/// Kinds of hedge that say the same: "over" and "at least" both bound from below.
pub fn same_hedge(a: Qualifier, b: Qualifier) -> bool {
    use Qualifier as Q;
    let family = |q: Qualifier| match q {
        Q::Exact => 0,
        Q::About => 1,
        Q::Nearly => 2,
        Q::Over | Q::AtLeast => 3,
        Q::Under | Q::UpTo => 4,
    };
    family(a) == family(b)
}

/// The hedge `quote` writes beside `value` each time it writes the number (`None` where it
/// writes it bare): "over 500" gives `Over`, "nearly USD 8 billion" `Nearly`, "about $2.76
/// billion" `About`, "a 600-km-long-plus line" `Over`; the word is the article's own.
pub fn hedges_at(quote: &str, value: f64) -> Vec<Option<(Qualifier, String)>> {
    let (folded, spans) = number_spans(quote, value);
    spans
        .into_iter()
        .map(|(start, end)| {
            // Before: the last words, past a currency ("nearly USD 8 billion", "about $2").
            let before: Vec<String> = words(&folded[..start])
                .into_iter()
                .rev()
                .skip_while(|w| matches!(w.as_str(), "usd" | "vnd"))
                .take(3)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let before = format!(" {} ", before.join(" "));
            let found = HEDGES_BEFORE
                .iter()
                .find(|(h, _)| before.ends_with(&format!(" {h} ")));
            if let Some((h, q)) = found {
                return Some((*q, h.to_string()));
            }
            // After: "600 km long plus", within the next three words.
            let after: Vec<String> = words(&folded[end..]).into_iter().take(3).collect();
            let after = format!(" {} ", after.join(" "));
            HEDGES_AFTER
                .iter()
                .find(|(h, _)| after.contains(&format!(" {h} ")))
                .map(|(h, q)| (*q, h.to_string()))
        })
        .collect()
}

/// A number a text writes, with the words before and after it.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberAt {
    pub value: f64,
    /// A currency sign or code was written before it ("$2.76", "USD 2.94").
    pub currency: bool,
    /// "%" was written after it.
    pub percent: bool,
    /// Up to three words before it, nearest last.
    pub before: Vec<String>,
    /// Up to six words after it (past "million" or "billion"), nearest first.
    pub after: Vec<String>,
}

/// Every number `text` writes in digits ("205", "1,000", "$2.76 billion", "84%").
pub fn numbers_in(text: &str) -> Vec<NumberAt> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | '(' | ')'))
        .filter(|t| !t.is_empty())
        .collect();
    let plain = |t: &str| {
        t.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let currency_sign = t.starts_with('$');
        let core = t.trim_start_matches('$');
        let core = core.trim_end_matches(|c: char| !c.is_ascii_digit() && c != '%');
        let percent = core.ends_with('%');
        let digits = core.trim_end_matches('%');
        if digits.is_empty()
            || !digits.starts_with(|c: char| c.is_ascii_digit())
            || !digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            continue;
        }
        let Ok(mut value) = digits.replace(',', "").parse::<f64>() else {
            continue;
        };
        let mut next = i + 1;
        if let Some(scale) = tokens.get(next).map(|w| plain(w)) {
            let k = match scale.as_str() {
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                _ => 1.0,
            };
            if k > 1.0 {
                value *= k;
                next += 1;
            }
        }
        let before: Vec<String> = tokens[i.saturating_sub(3)..i]
            .iter()
            .map(|w| plain(w))
            .filter(|w| !w.is_empty())
            .collect();
        let currency = currency_sign
            || before
                .last()
                .is_some_and(|w| matches!(w.as_str(), "usd" | "vnd"));
        let mut after: Vec<String> = Vec::new();
        if percent {
            after.push("percent".into());
        }
        after.extend(
            tokens[next.min(tokens.len())..]
                .iter()
                .take(6)
                .map(|w| plain(w))
                .filter(|w| !w.is_empty()),
        );
        out.push(NumberAt {
            value,
            currency,
            percent,
            before,
            after,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_told_as_a_start() {
        assert!(reads_as_start("From September 25, 1977, Pol Pot concentrated 9 main divisions and local forces to launch").is_some());
        assert!(reads_as_start("On November 15, 1977, Pol Pot launched another attack").is_some());
        assert!(reads_as_start("from June 14 to September 30, 1978, we used Corps 3").is_none());
        assert!(
            reads_as_start("From April 30, 1977, to May 1, 1978, Pol Pot’s army conducted")
                .is_none()
        );
        assert!(reads_as_start("On May 3, 1975, they seized Phu Quoc Island").is_none());
        assert!(reads_as_start("shifted from defence to attack").is_some());
        assert!(reads_as_start("the troops moved from defence to attack").is_none());
    }

    #[test]
    fn dates_a_phrase_writes() {
        let w = |y: Option<i32>, m: Option<u8>, d: Option<u32>| WrittenDate {
            year: y,
            month: m,
            day: d,
        };
        assert_eq!(
            dates_written("in answer to the attack of 30 April 1977"),
            vec![w(Some(1977), Some(4), Some(30))]
        );
        assert_eq!(
            dates_written("“recently”, in an article of January 2020"),
            vec![w(Some(2020), Some(1), None)]
        );
        assert_eq!(
            dates_written("on 3 June; the article gives no year"),
            vec![w(None, Some(6), Some(3))]
        );
        assert_eq!(
            dates_written("within 1979–1989, the span"),
            vec![w(Some(1979), None, None), w(Some(1989), None, None)]
        );
        assert_eq!(dates_written("they may have gone"), vec![]);
        assert!(writes_date(
            "On April 30, 1977, they attacked",
            &w(Some(1977), Some(4), Some(30))
        ));
        assert!(!writes_date(
            "the Pol Pot regime launched an attack along the entire border",
            &w(Some(1977), Some(4), Some(30))
        ));
        assert!(writes_date(
            "Speaking on June 3, Tea Banh",
            &w(None, Some(6), Some(3))
        ));
    }

    #[test]
    fn hedges_beside_numbers() {
        let h = |q: &str, v: f64| hedges_at(q, v).into_iter().next().flatten().map(|x| x.0);
        assert_eq!(
            h("killing over 500 civilians", 500.0),
            Some(Qualifier::Over)
        );
        assert_eq!(
            h("reached nearly USD 8 billion", 8e9),
            Some(Qualifier::Nearly)
        );
        assert_eq!(
            h("with total capital about $2.76 billion", 2.76e9),
            Some(Qualifier::About)
        );
        assert_eq!(
            h("a 600-km-long-plus defensive line", 600.0),
            Some(Qualifier::Over)
        );
        assert_eq!(
            h("approximately 84% of the border", 84.0),
            Some(Qualifier::About)
        );
        assert_eq!(h("Over the ten years from 1979", 10.0), None);
        assert_eq!(h("the city’s two million people", 2e6), None);
        assert_eq!(h("Pol Pot sent 2 more divisions", 2.0), None);
    }

    #[test]
    fn numbers_with_their_words() {
        let n = numbers_in(
            "Vietnam has 205 active investment projects in Cambodia, with USD 2.94 billion",
        );
        assert_eq!(n[0].value, 205.0);
        assert_eq!(n[0].after[..3], ["active", "investment", "projects"]);
        assert_eq!(n[1].value, 2.94e9);
        assert!(n[1].currency);
        let n =
            numbers_in("the signing of two legal documents recognising the achievements (84%) of");
        assert_eq!(n[0].value, 84.0);
        assert!(n[0].percent);
        assert_eq!(n[0].after[..2], ["percent", "of"]);
    }
}
