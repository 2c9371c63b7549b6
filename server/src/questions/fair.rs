//! What makes a question fair, as named rules: each card the deck cannot ask fairly is
//! suppressed with the rule that stops it, and `questions check` reports each by name.

use crate::dataset::{Deck, Event, HistDate, Precision, Qualifier, Source, date::month_name};
use crate::text::normalize;
use serde::Serialize;
use std::fmt;

/// A fairness rule. Its name is what `questions check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A year or date in a title gives away date questions.
    TitleDate,
    /// A title naming which anniversary it marks ("Fortieth anniversary of the victory"):
    /// its date follows from the famous original's by arithmetic.
    TitleAnniversary,
    /// The title shown with the question contains its answer.
    AnswerInTitle,
    /// The prompt contains its own answer.
    AnswerInPrompt,
    /// A wrong choice falls inside the event's date span.
    DistractorInSpan,
    /// A wrong choice is one the figure's qualifier does not exclude.
    DistractorNotExcluded,
    /// An event with a place but no `place_kind`.
    PlaceKindMissing,
    /// A place choice of another kind of place than the answer.
    PlaceKindMismatch,
    /// A wrong place that the deck ties to the event: named with it, or another event there
    /// at the same time.
    PlaceTiedToEvent,
    /// A group offered beside one of its own members.
    GroupBesideMember,
    /// Chronology events too close to order or too far apart to be worth ordering.
    ChronologySpacing,
    /// A date no article states: the card is not asked.
    InferredDate,
    /// A date no article states, asked anyway.
    InferredDateAsked,
    /// A date no article states, shown as if it were stated (a flashcard's "2019").
    InferredDateShown,
    /// A date the articles disagree on, shown as one article's date alone.
    DisputedDateShown,
    /// No cited quote contains the date, number or name asked.
    QuoteLacksFact,
    /// The cloze answer can be told from the sentence's grammar.
    ClozeGrammar,
    /// The articles disagree about the detail asked.
    Disputed,
    /// The deck has too few fair wrong answers.
    TooFewDistractors,
    /// Choices repeat, or not exactly one is right.
    ChoicesNotDistinct,
    /// A false true/false statement that the deck does not show to be false.
    NotReallyFalse,
    /// A wrong date outside the event's era (a year either side) or the deck's own dates.
    DateOutOfWindow,
    /// A speaker offered for words that name them (a quote condemning them).
    SpeakerNamedInWords,
    /// A wrong speaker of another sort than the answer: a body beside people, or a person
    /// beside bodies.
    SpeakerSortMismatch,
    /// A date told only as a start ("From September 25, 1977, ..."), with no end and not
    /// marked `open_ended` or `ongoing`: it would be offered as over for later dates.
    StartOnlyDate,
    /// A figure's hedge differs from the article's words beside the number: "about" where
    /// the article writes it bare, or an exact figure the article hedges.
    HedgeMismatch,
    /// An undated figure whose quantity another undated statement gives with another value
    /// (184 and 205 projects): a learner cannot tell which one is asked.
    UndatedRivalFigure,
    /// A cloze's wrong choice that the deck's quotes write in the same slot for another
    /// event (Route 2 of another offensive for "Route [[19]]").
    ClozeDistractorTied,
    /// A quote tied to an event (shown beside it, with its date) that nothing the articles
    /// say about the quote ties it to.
    QuoteEventUntied,
    /// A cloze sentence stating a rank ("ranked third") that another event's quote gives as
    /// another rank of the same thing ("ranks second"), without saying whose count it is.
    ClozeRivalRank,
    /// Two choices that read as one: spans sharing most of their days, days two apart.
    NearDuplicateChoices,
    /// A cloze's wrong choice that the deck declares as another kind of name than the
    /// answer (an armed group among parties).
    ClozeSortMismatch,
    /// A wrong person whom the deck ties only to events more than ten years away.
    DistractorOutOfTime,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::TitleDate => "title-date",
            Rule::TitleAnniversary => "title-anniversary",
            Rule::AnswerInTitle => "answer-in-title",
            Rule::AnswerInPrompt => "answer-in-prompt",
            Rule::DistractorInSpan => "distractor-in-span",
            Rule::DistractorNotExcluded => "distractor-not-excluded",
            Rule::PlaceKindMissing => "place-kind-missing",
            Rule::PlaceKindMismatch => "place-kind-mismatch",
            Rule::PlaceTiedToEvent => "place-tied-to-event",
            Rule::GroupBesideMember => "group-beside-member",
            Rule::ChronologySpacing => "chronology-spacing",
            Rule::InferredDate => "inferred-date",
            Rule::InferredDateAsked => "inferred-date-asked",
            Rule::InferredDateShown => "inferred-date-shown",
            Rule::DisputedDateShown => "disputed-date-shown",
            Rule::QuoteLacksFact => "quote-lacks-fact",
            Rule::ClozeGrammar => "cloze-grammar",
            Rule::Disputed => "disputed",
            Rule::TooFewDistractors => "too-few-distractors",
            Rule::ChoicesNotDistinct => "choices-not-distinct",
            Rule::NotReallyFalse => "not-really-false",
            Rule::DateOutOfWindow => "date-out-of-window",
            Rule::SpeakerNamedInWords => "speaker-named-in-words",
            Rule::SpeakerSortMismatch => "speaker-sort-mismatch",
            Rule::StartOnlyDate => "start-only-date",
            Rule::HedgeMismatch => "hedge-mismatch",
            Rule::UndatedRivalFigure => "undated-rival-figure",
            Rule::ClozeDistractorTied => "cloze-distractor-tied",
            Rule::QuoteEventUntied => "quote-event-untied",
            Rule::ClozeRivalRank => "cloze-rival-rank",
            Rule::NearDuplicateChoices => "near-duplicate-choices",
            Rule::ClozeSortMismatch => "cloze-sort-mismatch",
            Rule::DistractorOutOfTime => "distractor-out-of-time",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a card is not asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub rule: Rule,
    pub message: String,
}

impl Why {
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Why {
            rule,
            message: message.into(),
        }
    }
}

/// Chronology items must be at least this many days apart (end of one to start of the next,
/// each date taken over its whole precision), so the order is decidable from the sources.
pub const CHRONOLOGY_GAP_DAYS: i64 = 180;
/// ... and all four within this many days, so they belong to one stretch of history.
pub const CHRONOLOGY_WINDOW_DAYS: i64 = 3653;

/// True when `text` contains `name` (first comma part, normalised) as whole words.
pub fn mentions(text: &str, name: &str) -> bool {
    let key = normalize(name.split(',').next().unwrap_or(name));
    !key.is_empty() && format!(" {} ", normalize(text)).contains(&format!(" {key} "))
}

/// True when `text` mentions `name` or any form the deck's `[[name]]` gives for it.
pub fn mentions_name(deck: &Deck, text: &str, name: &str) -> bool {
    name_forms(deck, name).iter().any(|f| mentions(text, f))
}

/// How many words in a row of a speaker's words a cited quote must hold to show them.
pub const QUOTED_RUN_WORDS: usize = 6;

/// True when `source` holds a run of [`QUOTED_RUN_WORDS`] words of `words` (all of them when
/// fewer): the quote shows the words themselves, not just "Hun Sen said".
pub fn holds_words(source: &str, words: &str) -> bool {
    let hay = format!(" {} ", normalize(source));
    let w: Vec<String> = normalize(words)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if w.is_empty() {
        return false;
    }
    let n = QUOTED_RUN_WORDS.min(w.len());
    w.windows(n)
        .any(|run| hay.contains(&format!(" {} ", run.join(" "))))
}

/// Word stems a title is told in: words of four letters or more, cut to five letters so that
/// "sacrifice" meets "sacrificed", less words that tell nothing ("their", "after").
pub(crate) fn told_stems(text: &str) -> Vec<String> {
    const EMPTY: [&str; 16] = [
        "that", "this", "with", "from", "into", "over", "their", "they", "them", "were", "after",
        "before", "about", "which", "when", "what",
    ];
    normalize(text)
        .split_whitespace()
        .filter(|w| w.chars().count() >= 4 && !EMPTY.contains(w))
        .map(|w| w.chars().take(5).collect())
        .collect()
}

/// True when `quote` carries a word of `title`: it shows what happened, not only when.
pub fn tells_title(quote: &str, title: &str) -> bool {
    let said = told_stems(quote);
    told_stems(title).iter().any(|t| said.contains(t))
}

/// The name and every alias the deck declares for it.
pub fn name_forms(deck: &Deck, name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    if let Some(n) = deck.name(name) {
        forms.push(n.name.clone());
        forms.extend(n.aliases.iter().cloned());
    }
    forms
}

/// "Fortieth anniversary", "40th anniversary", "forty-fifth anniversary": a title that says
/// how many years after a dated original it falls (only the ordinal word before it counts:
/// "Anniversary parade" tells no date).
pub fn names_anniversary(text: &str) -> bool {
    const ORDINALS: &str = "first second third fourth fifth sixth seventh eighth ninth tenth \
        eleventh twelfth twentieth thirtieth fortieth fiftieth sixtieth seventieth hundredth";
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let ordinal = |w: &str| {
        ORDINALS.split_whitespace().any(|o| o == w)
            || w.ends_with("teenth")
            || (w.len() > 2
                && w[..w.len() - 2].bytes().all(|b| b.is_ascii_digit())
                && ["st", "nd", "rd", "th"].contains(&&w[w.len() - 2..]))
    };
    words
        .windows(2)
        .any(|p| p[1].starts_with("anniversar") && ordinal(&p[0]))
}

/// A year (1000-2999) or a month written beside a number: what a title must not carry.
pub fn has_date(text: &str) -> bool {
    // Every year and every "7 January" holds a digit: most titles are settled here.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let is_year = |w: &str| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (b'1'..=b'2').contains(&w.as_bytes()[0])
    };
    let is_num = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    words.iter().enumerate().any(|(i, w)| {
        is_year(w)
            || (crate::dataset::date::month_from_name(w).is_some()
                && w.len() > 3
                && w.chars().next().is_some_and(char::is_uppercase)
                && (words.get(i + 1).is_some_and(|n| is_num(n)) || (i > 0 && is_num(words[i - 1]))))
    })
}

/// True when a quote states `date` at its precision: the year, and the month's name and the
/// day's number where the date has them ("On May 23, 1977", "23 May 1977").
pub fn states_date(quote: &str, date: &HistDate) -> bool {
    let year = date.year.to_string();
    if !quote.contains(&year) {
        return false;
    }
    if quote.contains(&date.iso()) {
        return true;
    }
    let words: Vec<String> = quote
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if !has(&date.year.to_string()) {
        return false;
    }
    if let Some(m) = date.month {
        let full = month_name(m).to_lowercase();
        let short: String = full.chars().take(3).collect();
        if !(has(&full) || has(&short) || (m == 9 && has("sept"))) {
            return false;
        }
    }
    if let Some(d) = date.day {
        let n = d.to_string();
        let ok = words.iter().any(|w| {
            w == &n
                || w.strip_suffix("st")
                    .or_else(|| w.strip_suffix("nd"))
                    .or_else(|| w.strip_suffix("rd"))
                    .or_else(|| w.strip_suffix("th"))
                    == Some(n.as_str())
        });
        if !ok {
            return false;
        }
    }
    true
}

const SMALL: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const TENS: [&str; 10] = [
    "", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// English words for a whole number below 100 ("forty", "forty five").
fn words_below_100(n: u64) -> Option<String> {
    match n {
        0..=20 => Some(SMALL[n as usize].to_string()),
        21..=99 if n.is_multiple_of(10) => Some(TENS[(n / 10) as usize].to_string()),
        21..=99 => Some(format!(
            "{} {}",
            TENS[(n / 10) as usize],
            SMALL[(n % 10) as usize]
        )),
        _ => None,
    }
}

/// The ways an article may write `value`: `1,500`, `1500`, `1.5 million`, `forty`,
/// `ten thousand`, `hundreds` is not one of them.
pub fn number_forms(value: f64) -> Vec<String> {
    let mut forms = vec![super::numbers::format_number(value)];
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let n = value.abs() as u64;
        forms.push(n.to_string());
        forms.push(super::numbers::format_number(value).replace(',', "."));
        forms.push(super::numbers::format_number(value).replace(',', " "));
        if let Some(w) = words_below_100(n) {
            forms.push(w);
        }
        for (scale, word) in [
            (1e9, "billion"),
            (1e6, "million"),
            (1e3, "thousand"),
            (1e2, "hundred"),
        ] {
            let k = value / scale;
            if k >= 1.0 && (k * 100.0).fract() == 0.0 {
                forms.push(format!("{} {word}", super::numbers::format_number(k)));
                if k.fract() == 0.0
                    && let Some(w) = words_below_100(k as u64)
                {
                    forms.push(format!("{w} {word}"));
                }
            }
        }
    } else {
        forms.push(format!("{value}"));
    }
    forms
}

/// True when a quote writes the number `value` in one of [`number_forms`].
pub fn states_number(quote: &str, value: f64) -> bool {
    !number_spans(quote, value).1.is_empty()
}

/// The quote folded for reading numbers (lower case, dashes and brackets as spaces), and
/// where in it the number `value` is written, in one of [`number_forms`], as a whole number.
pub fn number_spans(quote: &str, value: f64) -> (String, Vec<(usize, usize)>) {
    let folded = format!(
        " {} ",
        quote
            .to_lowercase()
            .replace(['-', '\u{2013}', '\u{2014}'], " ")
            .replace(['(', ')', '“', '”', '"', ';', ':'], " ")
    );
    let mut spans = Vec::new();
    for form in number_forms(value) {
        let form = form.to_lowercase();
        let mut from = 0;
        while let Some(i) = folded[from..].find(&form) {
            let at = from + i;
            let mut back = folded[..at].chars().rev();
            let mut ahead = folded[at + form.len()..].chars();
            // A whole number: not the "1,500" inside "11,500" nor the "5" of "5.5".
            let joins = |c: Option<char>, next: Option<char>| match c {
                Some(c) if c.is_alphanumeric() => true,
                Some(',' | '.') => next.is_some_and(|n| n.is_ascii_digit()),
                _ => false,
            };
            let (b1, b2) = (back.next(), back.next());
            let (a1, a2) = (ahead.next(), ahead.next());
            if !joins(b1, b2) && !joins(a1, a2) && !spans.contains(&(at, at + form.len())) {
                spans.push((at, at + form.len()));
            }
            from = at + form.len().max(1);
        }
    }
    spans.sort();
    (folded, spans)
}

/// The event's sources whose quote satisfies `holds`.
pub fn sources_holding(event: &Event, holds: impl Fn(&str) -> bool) -> Vec<&Source> {
    event.sources.iter().filter(|s| holds(&s.quote)).collect()
}

/// The sources that state the event's date (and, for a span, its end): `None` when no quote
/// does, so the date is not asked.
pub fn date_sources(event: &Event) -> Option<Vec<&Source>> {
    let start = sources_holding(event, |q| states_date(q, &event.date));
    let mut all = start.clone();
    if let Some(end) = &event.end_date {
        let ends = sources_holding(event, |q| states_date(q, end));
        if ends.is_empty() {
            return None;
        }
        for s in ends {
            if !all.iter().any(|a| std::ptr::eq(*a, s)) {
                all.push(s);
            }
        }
    }
    (!start.is_empty()).then_some(all)
}

/// How a figure's qualifier reads in a prompt or statement: "more than ", "about ", ...
pub fn qualifier_words(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "",
        Qualifier::About => "about ",
        Qualifier::Nearly => "nearly ",
        Qualifier::Over => "more than ",
        Qualifier::AtLeast => "at least ",
        Qualifier::Under => "under ",
        Qualifier::UpTo => "up to ",
    }
}

/// True when the source's figure (`value` with its qualifier) rules `other` out as the
/// figure, with a margin so that a learner who remembers the figure cannot hesitate.
pub fn excluded_by(q: Qualifier, value: f64, other: f64) -> bool {
    let v = value.abs().max(1e-9);
    match q {
        Qualifier::Exact => (other - value).abs() > 1e-9 * v,
        Qualifier::About => other < 0.75 * value || other > 1.33 * value,
        Qualifier::Nearly => other < 0.75 * value || other > 1.1 * value,
        Qualifier::Over | Qualifier::AtLeast => other <= 0.8 * value,
        Qualifier::Under | Qualifier::UpTo => other >= 1.25 * value,
    }
}

/// True when a statement "`shown_q` `shown`" cannot hold if the source's "`q` `v`" does:
/// the values each allows (with the margins of [`excluded_by`]) do not meet.
pub fn contradicts(q: Qualifier, v: f64, shown_q: Qualifier, shown: f64) -> bool {
    use Qualifier as Q;
    let range = |q: Qualifier, v: f64| match q {
        Q::Exact => (v, v),
        Q::About => (0.75 * v, 1.33 * v),
        Q::Nearly => (0.75 * v, v),
        Q::Over | Q::AtLeast => (v, f64::INFINITY),
        Q::Under | Q::UpTo => (0.0, v),
    };
    let (a0, a1) = range(q, v);
    let (b0, b1) = range(shown_q, shown);
    a1 < b0 || b1 < a0
}

/// Where a cloze's grammar gives its answer away: "an" before a blank that only the answer
/// starts with a vowel, or the answer alone capitalised (or alone not) mid-sentence.
pub fn cloze_grammar_leak(before: &str, answer: &str, distractors: &[String]) -> Option<String> {
    let last = before
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    let vowel = |s: &str| {
        s.trim()
            .chars()
            .next()
            .is_some_and(|c| "aeiouAEIOU".contains(c))
    };
    if last == "a" || last == "an" {
        let fits = |s: &str| vowel(s) == (last == "an");
        if fits(answer) && distractors.iter().any(|d| !fits(d)) {
            return Some(format!(
                "“{last}” before the blank fits the answer but not every distractor"
            ));
        }
    }
    let mid_sentence = !before.trim().is_empty() && !before.trim_end().ends_with(['.', '!', '?']);
    // "the United States" reads as a proper name beside "Japan": skip a leading article.
    let capital = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("the ")
            .or_else(|| s.strip_prefix("The "))
            .unwrap_or(s);
        s.chars().next().is_some_and(char::is_uppercase)
    };
    if mid_sentence && distractors.iter().all(|d| capital(d) != capital(answer)) {
        return Some("only the answer is capitalised (or only it is not)".into());
    }
    None
}

/// The written date of an event: `7 January 1979`, or a span `1981–1982`,
/// `November 1981 – April 1982`.
pub fn when(from: &HistDate, to: Option<&HistDate>) -> String {
    match to {
        None => from.to_string(),
        Some(to) if from.precision() == Precision::Year && to.precision() == Precision::Year => {
            format!("{}–{}", from.year, to.year)
        }
        Some(to) => format!("{from} – {to}"),
    }
}

/// "on 7 January 1979", "in 1979", "between 1981 and 1982".
pub fn when_phrase(from: &HistDate, to: Option<&HistDate>) -> String {
    match to {
        None => from.with_preposition(),
        Some(to) => format!("between {from} and {to}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> HistDate {
        HistDate::parse_iso(s).unwrap()
    }

    #[test]
    fn a_quote_tells_a_title_by_its_words_not_its_date() {
        let title = "The volunteers' sacrifice and their nickname";
        assert!(!tells_title("Over the ten years from 1979 to 1989", title));
        assert!(tells_title(
            "Tens of thousands of Vietnamese volunteers and experts sacrificed their lives",
            title
        ));
        assert!(!tells_title("and their families", title));
    }

    #[test]
    fn anniversaries_in_titles() {
        assert!(names_anniversary(
            "Fortieth anniversary of the victory over Pol Pot"
        ));
        assert!(names_anniversary("The 45th anniversary of the victory"));
        assert!(names_anniversary("Forty-fifth Anniversary parade"));
        assert!(!names_anniversary("Anniversary parade in Phnom Penh"));
        assert!(!names_anniversary("The first offensive"));
    }

    #[test]
    fn dates_in_titles() {
        assert!(has_date("Revival of Cambodia (1979-1989)"));
        assert!(has_date("The 7 January victory"));
        assert!(has_date("Victory of January 7"));
        assert!(!has_date("May Day in the capital"));
        assert!(!has_date("The 12 divisions"));
        assert!(!has_date("Phnom Penh taken"));
    }

    #[test]
    fn quotes_state_dates_at_their_precision() {
        let q = "On May 23, 1977, the Central Military Commission issued a directive";
        assert!(states_date(q, &d("1977-05-23")));
        assert!(states_date(q, &d("1977-05")));
        assert!(states_date(q, &d("1977")));
        assert!(!states_date(q, &d("1977-05-24")));
        assert!(!states_date(
            "issued a directive on May 23",
            &d("1977-05-23")
        ));
        assert!(states_date("on the 7th of January 1979", &d("1979-01-07")));
    }

    #[test]
    fn quotes_state_numbers_in_the_usual_forms() {
        assert!(states_number("more than 1,500 tonnes", 1500.0));
        assert!(states_number("some 1500 tonnes", 1500.0));
        assert!(!states_number("some 11,500 tonnes", 1500.0));
        assert!(states_number("forty years of friendship", 40.0));
        assert!(states_number("the 45 years since", 45.0));
        assert!(!states_number("the 45.5 years since", 45.0));
        assert!(states_number("USD 1.5 million", 1_500_000.0));
        assert!(states_number("twelve divisions", 12.0));
        assert!(states_number("a 600-km-long border", 600.0));
        assert!(!states_number("in 1979", 19.0));
    }

    #[test]
    fn qualifiers_exclude_only_what_the_source_rules_out() {
        assert!(!excluded_by(Qualifier::Over, 500.0, 600.0));
        assert!(excluded_by(Qualifier::Over, 500.0, 250.0));
        assert!(!excluded_by(Qualifier::Nearly, 600.0, 550.0));
        assert!(excluded_by(Qualifier::Nearly, 600.0, 750.0));
        assert!(!excluded_by(Qualifier::About, 100.0, 110.0));
        assert!(excluded_by(Qualifier::About, 100.0, 200.0));
        assert!(!excluded_by(Qualifier::UpTo, 10.0, 8.0));
        assert!(excluded_by(Qualifier::UpTo, 10.0, 20.0));
        assert!(!excluded_by(Qualifier::Exact, 7.0, 7.0));
    }

    #[test]
    fn cloze_grammar() {
        let ds = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(
            cloze_grammar_leak("It was an ", "army", &ds(&["navy", "police", "militia"])).is_some()
        );
        assert!(
            cloze_grammar_leak("It was an ", "army", &ds(&["air force", "index", "order"]))
                .is_none()
        );
        assert!(
            cloze_grammar_leak(
                "They met in ",
                "Hanoi",
                &ds(&["the city", "a port", "a town"])
            )
            .is_some()
        );
        assert!(
            cloze_grammar_leak("They met in ", "Hanoi", &ds(&["Hue", "Vinh", "Da Nang"])).is_none()
        );
    }

    #[test]
    fn spans_are_written_as_spans() {
        assert_eq!(when(&d("1981"), Some(&d("1982"))), "1981–1982");
        assert_eq!(
            when(&d("1981-11"), Some(&d("1982-04"))),
            "November 1981 – April 1982"
        );
        assert_eq!(
            when_phrase(&d("1981"), Some(&d("1982"))),
            "between 1981 and 1982"
        );
        assert_eq!(when_phrase(&d("1979-01-07"), None), "on 7 January 1979");
    }
}
