//! Wrong answers that are plausible and fair: of the answer's type and precision, near it,
//! distinct from each other, and never equivalent to it.

use super::numbers::{round_significant, significant_digits};
use crate::dataset::{HistDate, Precision};
use crate::text::normalize;
use rand::Rng;
use rand::seq::SliceRandom;

/// Three dates near `answer` at its precision, none later than `latest_year`.
pub fn dates(answer: &HistDate, latest_year: i32, rng: &mut impl Rng) -> Vec<HistDate> {
    let range: Vec<i64> = match answer.precision() {
        Precision::Day => (3..=60).collect(),
        Precision::Month => (1..=9).collect(),
        Precision::Year => (1..=5).collect(),
    };
    let mut offsets: Vec<i64> = range.iter().flat_map(|&o| [o, -o]).collect();
    offsets.shuffle(rng);
    let mut out: Vec<HistDate> = Vec::new();
    for o in offsets {
        let d = answer.shifted(o);
        if d.year <= latest_year.max(answer.year) && d != *answer && !out.contains(&d) {
            out.push(d);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Three numbers of the same magnitude, roundness and kind (whole, percentage) as `answer`.
pub fn numbers(answer: f64, unit: &str, rng: &mut impl Rng) -> Vec<f64> {
    let digits = significant_digits(answer);
    let whole = answer.fract() == 0.0;
    let percent = matches!(unit, "percent" | "%") && answer <= 100.0;
    let mut factors = vec![0.25, 0.4, 0.5, 0.6, 0.75, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0];
    factors.shuffle(rng);
    let base = if answer == 0.0 { 1.0 } else { answer };
    let candidates = factors
        .into_iter()
        .map(|f| round_significant(base * f, digits))
        .chain([1.0, 2.0, 3.0, 4.0, 5.0].map(|k| answer + k));
    let mut out: Vec<f64> = Vec::new();
    for c in candidates {
        let c = if whole { c.round() } else { c };
        let fair = c > 0.0
            && (!percent || c <= 100.0)
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

/// Up to `n` names from `pool` that cannot be mistaken for `answer` (nor for each other).
pub fn names(answer: &str, pool: &[String], n: usize, rng: &mut impl Rng) -> Vec<String> {
    let mut seen = vec![name_key(answer)];
    let mut shuffled: Vec<&String> = pool.iter().collect();
    shuffled.shuffle(rng);
    let mut out = Vec::new();
    for candidate in shuffled {
        let key = name_key(candidate);
        if seen.iter().any(|s| same_name(s, &key)) {
            continue;
        }
        seen.push(key);
        out.push(candidate.clone());
        if out.len() == n {
            break;
        }
    }
    out
}

/// How many distinct names `pool` offers besides `answer`.
pub fn distinct_names_besides(answer: &str, pool: &[String]) -> usize {
    let mut seen = vec![name_key(answer)];
    for candidate in pool {
        let key = name_key(candidate);
        if !seen.iter().any(|s| same_name(s, &key)) {
            seen.push(key);
        }
    }
    seen.len() - 1
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
    use rand::rngs::StdRng;

    #[test]
    fn date_distractors_keep_precision_and_differ() {
        let mut rng = StdRng::seed_from_u64(7);
        for iso in ["1979-01-07", "1979-01", "1979"] {
            let answer = HistDate::parse_iso(iso).unwrap();
            let d = dates(&answer, 2020, &mut rng);
            assert_eq!(d.len(), 3);
            assert!(
                d.iter()
                    .all(|x| x.precision() == answer.precision() && *x != answer)
            );
        }
        let recent = HistDate::year(2020);
        assert!(dates(&recent, 2020, &mut rng).iter().all(|d| d.year < 2020));
    }

    #[test]
    fn number_distractors_share_magnitude() {
        let mut rng = StdRng::seed_from_u64(1);
        let d = numbers(2_000_000.0, "people", &mut rng);
        assert_eq!(d.len(), 3);
        assert!(
            d.iter()
                .all(|x| *x >= 500_000.0 && *x <= 8_000_000.0 && *x != 2_000_000.0)
        );
        let p = numbers(80.0, "percent", &mut rng);
        assert!(p.iter().all(|x| *x <= 100.0));
        assert_eq!(numbers(1.0, "years", &mut rng).len(), 3);
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
        let got = names("Tây Ninh province, Vietnam", &pool, 3, &mut rng);
        assert_eq!(got.len(), 3);
        assert!(!got.iter().any(|g| g.starts_with("Tay")));
        let penh = got.iter().filter(|g| g.starts_with("Phnom")).count();
        assert!(penh <= 1);
    }
}
