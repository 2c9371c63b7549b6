//! Wrong answers that are plausible and fair: of the answer's type and precision, near it,
//! distinct from each other, and never equivalent to it.

use super::numbers::{round_significant, significant_digits};
use crate::dataset::{HistDate, Precision};
use crate::text::normalize;
use rand::Rng;
use rand::seq::SliceRandom;

/// Three dates near `answer` at its precision, each one `fits` allows (the plausible window:
/// a date the title or the deck's own history rules out gives the answer away), no two days
/// within two days of each other.
pub fn dates(
    answer: &HistDate,
    fits: impl Fn(&HistDate) -> bool,
    rng: &mut impl Rng,
) -> Vec<HistDate> {
    let drawn = pick_dates(answer, &fits, |o| o.shuffle(rng));
    if drawn.len() == 3 {
        return drawn;
    }
    // A draw that took a near pair first may find fewer than the nearest-first order does:
    // that order is what [`dates_available`] counts, so a card it allows always has three.
    let nearest = pick_dates(answer, &fits, |_| {});
    if nearest.len() > drawn.len() {
        nearest
    } else {
        drawn
    }
}

/// How many wrong dates [`dates`] finds for `answer` at least, whatever the draw.
pub fn dates_available(answer: &HistDate, fits: impl Fn(&HistDate) -> bool) -> usize {
    pick_dates(answer, &fits, |_| {}).len()
}

fn pick_dates(
    answer: &HistDate,
    fits: &impl Fn(&HistDate) -> bool,
    order: impl FnOnce(&mut Vec<i64>),
) -> Vec<HistDate> {
    let range: Vec<i64> = match answer.precision() {
        Precision::Day => (3..=60).collect(),
        Precision::Month => (1..=9).collect(),
        Precision::Year => (1..=5).collect(),
    };
    let mut offsets: Vec<i64> = range.iter().flat_map(|&o| [o, -o]).collect();
    order(&mut offsets);
    let mut out: Vec<HistDate> = Vec::new();
    for o in offsets {
        let d = answer.shifted(o);
        if fits(&d) && d != *answer && !out.iter().any(|x| near_day(x, &d)) {
            out.push(d);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Three spans of the same length as `[from, to]`, shifted clear of it so none overlaps it
/// nor most of another, each one `fits` allows.
pub fn spans(
    from: &HistDate,
    to: &HistDate,
    fits: impl Fn(&HistDate, &HistDate) -> bool,
    rng: &mut impl Rng,
) -> Vec<(HistDate, HistDate)> {
    let drawn = pick_spans(from, to, &fits, |o| o.shuffle(rng));
    if drawn.len() == 3 {
        return drawn;
    }
    // As for [`dates`]: never fewer than the nearest-first order finds.
    let nearest = pick_spans(from, to, &fits, |_| {});
    if nearest.len() > drawn.len() {
        nearest
    } else {
        drawn
    }
}

/// How many wrong spans [`spans`] finds for `[from, to]` at least, whatever the draw.
pub fn spans_available(
    from: &HistDate,
    to: &HistDate,
    fits: impl Fn(&HistDate, &HistDate) -> bool,
) -> usize {
    pick_spans(from, to, &fits, |_| {}).len()
}

fn pick_spans(
    from: &HistDate,
    to: &HistDate,
    fits: &impl Fn(&HistDate, &HistDate) -> bool,
    mut order: impl FnMut(&mut Vec<i64>),
) -> Vec<(HistDate, HistDate)> {
    let same = from.precision() == to.precision();
    // Units of the span's own precision when both ends share it; whole years otherwise.
    let length = if same {
        match from.precision() {
            Precision::Year => (to.year - from.year) as i64,
            Precision::Month => {
                (to.year as i64 * 12 + to.month.unwrap_or(1) as i64)
                    - (from.year as i64 * 12 + from.month.unwrap_or(1) as i64)
            }
            Precision::Day => to.first_day() - from.first_day(),
        }
    } else {
        (to.year - from.year) as i64 + 1
    };
    let step = |d: &HistDate, k: i64| {
        if same {
            d.shifted(k)
        } else {
            shift_years(d, k)
        }
    };
    // Shifted just clear of it first, then by one and a half, two, ... three times that:
    // spans shifted by nearly the same amount are one choice twice (see [`mostly_overlap`]).
    let offsets: Vec<i64> = (2..=6)
        .flat_map(|m| {
            let mut tier: Vec<i64> = (0..8)
                .map(|j| m * (length + 1) / 2 + j)
                .flat_map(|o| [o, -o])
                .collect();
            order(&mut tier);
            tier
        })
        .collect();
    let mut out: Vec<(HistDate, HistDate)> = Vec::new();
    for k in offsets {
        let (a, b) = (step(from, k), step(to, k));
        let clear = b.last_day() < from.first_day() || a.first_day() > to.last_day();
        let distinct = !out.iter().any(|(x, y)| mostly_overlap((x, y), (&a, &b)));
        if clear && fits(&a, &b) && distinct {
            out.push((a, b));
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Two wrong days so close ("4 January" and "5 January") that they read as one choice twice.
fn near_day(a: &HistDate, b: &HistDate) -> bool {
    a == b || (a.precision() == Precision::Day && (a.first_day() - b.first_day()).abs() < 3)
}

/// True when two spans share more than two thirds of the shorter one's days: "7 January 1978
/// – 14 September 1978" and "8 January 1978 – 15 September 1978" are one choice offered twice,
/// "1983–1986" and "1985–1988" two choices (half, give or take a leap day).
pub fn mostly_overlap(a: (&HistDate, &HistDate), b: (&HistDate, &HistDate)) -> bool {
    let len = |(x, y): (&HistDate, &HistDate)| y.last_day() - x.first_day() + 1;
    let shared = a.1.last_day().min(b.1.last_day()) - a.0.first_day().max(b.0.first_day()) + 1;
    shared > 0 && 3 * shared > 2 * len(a).min(len(b))
}

fn shift_years(d: &HistDate, k: i64) -> HistDate {
    let year = d.year + k as i32;
    match (d.month, d.day) {
        (Some(m), Some(day)) => HistDate::day(year, m, day)
            .or_else(|| HistDate::day(year, m, day - 1))
            .unwrap_or(HistDate::year(year)),
        (Some(m), None) => HistDate::month(year, m).unwrap_or(HistDate::year(year)),
        _ => HistDate::year(year),
    }
}

/// Counts that cannot exceed a known total: nobody is offered "310 countries".
fn cap_for(unit: &str) -> Option<f64> {
    let u = unit.to_ascii_lowercase();
    if matches!(u.as_str(), "percent" | "%") {
        Some(100.0)
    } else if u.contains("countr") || u.contains("nation") {
        Some(193.0)
    } else if u.contains("province") {
        Some(63.0)
    } else if u == "months" || u == "month" {
        Some(12.0)
    } else {
        None
    }
}

/// Three numbers near `answer` (from half to double it first, further only when those run
/// out), of its roundness and kind, each ruled out by `excluded` (the source's qualifier).
pub fn numbers(
    answer: f64,
    unit: &str,
    excluded: impl Fn(f64) -> bool,
    rng: &mut impl Rng,
) -> Vec<f64> {
    let digits = significant_digits(answer);
    let whole = answer.fract() == 0.0;
    let cap = cap_for(unit);
    let mut near = vec![0.5, 0.6, 0.75, 1.25, 1.5, 2.0];
    let mut far = vec![0.25, 0.4, 0.8, 2.5, 3.0, 4.0];
    near.shuffle(rng);
    far.shuffle(rng);
    let base = if answer == 0.0 { 1.0 } else { answer };
    let mut steps: Vec<f64> = if answer.abs() <= 20.0 && whole {
        (1..=6)
            .flat_map(|k| [answer + k as f64, answer - k as f64])
            .collect()
    } else {
        Vec::new()
    };
    steps.shuffle(rng);
    let candidates = near
        .into_iter()
        .map(|f| round_significant(base * f, digits))
        .chain(steps)
        .chain(far.into_iter().map(|f| round_significant(base * f, digits)));
    let mut out: Vec<f64> = Vec::new();
    for c in candidates {
        let c = if whole { c.round() } else { c };
        let fair = c > 0.0
            && cap.is_none_or(|cap| c <= cap || answer > cap)
            && excluded(c)
            && (c - answer).abs() > 1e-9 * answer.abs().max(1.0)
            && !out.iter().any(|o| (o - c).abs() < 1e-9);
        if fair {
            out.push(c);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Up to `n` names from `pool` that cannot be mistaken for `answer` (nor for each other),
/// and that `apart` allows beside every name already chosen (a group and its member are not).
pub fn names(
    answer: &str,
    pool: &[String],
    n: usize,
    apart: impl Fn(&str, &str) -> bool,
    rng: &mut impl Rng,
) -> Vec<String> {
    let mut seen = vec![name_key(answer)];
    let mut chosen: Vec<&str> = vec![answer];
    let mut shuffled: Vec<&String> = pool.iter().collect();
    shuffled.shuffle(rng);
    let mut out = Vec::new();
    for candidate in shuffled {
        let key = name_key(candidate);
        if seen.iter().any(|s| same_name(s, &key)) || !chosen.iter().all(|c| apart(c, candidate)) {
            continue;
        }
        chosen.push(candidate);
        seen.push(key);
        out.push(candidate.clone());
        if out.len() == n {
            break;
        }
    }
    out
}

/// How many names [`names`] can find besides `answer`, scanning `pool` in order.
pub fn distinct_names_besides(
    answer: &str,
    pool: &[String],
    apart: impl Fn(&str, &str) -> bool,
) -> usize {
    let mut seen = vec![name_key(answer)];
    let mut chosen: Vec<&str> = vec![answer];
    for candidate in pool {
        let key = name_key(candidate);
        if !seen.iter().any(|s| same_name(s, &key)) && chosen.iter().all(|c| apart(c, candidate)) {
            seen.push(key);
            chosen.push(candidate);
        }
    }
    seen.len() - 1
}

/// True when two names would be taken for the same one ("Tay Ninh" and "Tây Ninh province").
pub fn same_name_as(a: &str, b: &str) -> bool {
    same_name(&name_key(a), &name_key(b))
}

/// "Tây Ninh province, Vietnam" and "Tay Ninh" name the same place: compare the part before
/// the first comma, normalised.
fn name_key(s: &str) -> String {
    normalize(s.split(',').next().unwrap_or(s))
}

fn same_name(a: &str, b: &str) -> bool {
    a == b || contains_words(a, b) || contains_words(b, a)
}

fn contains_words(long: &str, short: &str) -> bool {
    !short.is_empty() && format!(" {long} ").contains(&format!(" {short} "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng as StdRng;

    #[test]
    fn date_distractors_keep_precision_and_differ() {
        let mut rng = StdRng::seed_from_u64(7);
        for iso in ["1979-01-07", "1979-01", "1979"] {
            let answer = HistDate::parse_iso(iso).unwrap();
            let d = dates(&answer, |d| d.year <= 2020, &mut rng);
            assert_eq!(d.len(), 3);
            assert!(
                d.iter()
                    .all(|x| x.precision() == answer.precision() && *x != answer)
            );
        }
        let recent = HistDate::year(2020);
        let before = dates(&recent, |d| d.year < 2020, &mut rng);
        assert!(before.iter().all(|d| d.year < 2020));
        // A window the answer's neighbours do not fit leaves fewer than three.
        assert!(dates(&recent, |d| d.year == 2019, &mut rng).len() < 3);
    }

    #[test]
    fn span_distractors_stay_clear_of_the_span() {
        let mut rng = StdRng::seed_from_u64(5);
        for (a, b) in [
            ("1981", "1982"),
            ("1981-11", "1982-04"),
            ("1978-12-25", "1979-01-07"),
            ("1979-01-07", "1989-09"),
        ] {
            let (from, to) = (
                HistDate::parse_iso(a).unwrap(),
                HistDate::parse_iso(b).unwrap(),
            );
            let got = spans(&from, &to, |_, b| b.year <= 2024, &mut rng);
            assert_eq!(got.len(), 3, "{a}..{b}");
            for (x, y) in got {
                assert!(
                    y.last_day() < from.first_day() || x.first_day() > to.last_day(),
                    "{x}..{y} overlaps {a}..{b}"
                );
            }
        }
    }

    #[test]
    fn wrong_choices_are_not_near_duplicates_of_each_other() {
        let d = |s: &str| HistDate::parse_iso(s).unwrap();
        for seed in 0..50 {
            let mut rng = StdRng::seed_from_u64(seed);
            let (from, to) = (d("1977-04-30"), d("1978-01-05"));
            let got = spans(&from, &to, |_, _| true, &mut rng);
            assert_eq!(got.len(), 3);
            for (i, a) in got.iter().enumerate() {
                for b in &got[i + 1..] {
                    assert!(!mostly_overlap((&a.0, &a.1), (&b.0, &b.1)), "{a:?} {b:?}");
                }
            }
            let days = dates(&d("1977-12-31"), |_| true, &mut rng);
            assert_eq!(days.len(), 3);
            for (i, a) in days.iter().enumerate() {
                for b in &days[i + 1..] {
                    assert!((a.first_day() - b.first_day()).abs() >= 3, "{a} {b}");
                }
            }
        }
        let (a, b) = (d("1978-01-07"), d("1978-09-14"));
        assert!(mostly_overlap(
            (&a, &b),
            (&d("1978-01-08"), &d("1978-09-15"))
        ));
        assert!(!mostly_overlap(
            (&a, &b),
            (&d("1978-06-01"), &d("1979-01-31"))
        ));
    }

    #[test]
    fn number_distractors_share_magnitude() {
        let mut rng = StdRng::seed_from_u64(1);
        let d = numbers(2_000_000.0, "people", |_| true, &mut rng);
        assert_eq!(d.len(), 3);
        assert!(
            d.iter()
                .all(|x| *x >= 500_000.0 && *x <= 8_000_000.0 && *x != 2_000_000.0)
        );
        let p = numbers(80.0, "percent", |_| true, &mut rng);
        assert!(p.iter().all(|x| *x <= 100.0));
        assert_eq!(numbers(1.0, "years", |_| true, &mut rng).len(), 3);
        let c = numbers(155.0, "countries", |_| true, &mut rng);
        assert!(c.iter().all(|x| *x <= 193.0), "{c:?}");
        let over = numbers(500.0, "km", |x| x <= 400.0, &mut rng);
        assert_eq!(over.len(), 3);
        assert!(over.iter().all(|x| *x <= 400.0), "{over:?}");
    }

    #[test]
    fn names_skip_variants_of_the_answer() {
        let pool: Vec<String> = [
            "Tay Ninh",
            "Phnom Penh",
            "Phnom Penh, Cambodia",
            "Hanoi",
            "Ha Tien",
        ]
        .map(String::from)
        .to_vec();
        let mut rng = StdRng::seed_from_u64(3);
        let got = names(
            "Tây Ninh province, Vietnam",
            &pool,
            3,
            |_, _| true,
            &mut rng,
        );
        assert_eq!(got.len(), 3);
        assert!(!got.iter().any(|g| g.starts_with("Tay")));
        let penh = got.iter().filter(|g| g.starts_with("Phnom")).count();
        assert!(penh <= 1);
    }
}
