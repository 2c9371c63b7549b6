//! Interval fuzz as Anki applies it: a review interval of 2.5 days or more moves by up to a
//! day plus 15 % of its days between 2.5 and 7, 10 % of those between 7 and 20 and 5 % of
//! the rest, so that cards learned together drift apart. The draw comes from the review
//! itself (its id), never from a random generator, so a replay of the log lands on the same
//! day every time.

const RANGES: [(f32, f32, f32); 3] = [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)];

/// A number in [0, 1) drawn from a review id: the same id, the same number.
pub fn factor(review_id: &str) -> f32 {
    (hash(review_id) >> 40) as f32 / (1u64 << 24) as f32
}

/// A stable 64-bit hash of a text (FNV-1a, then a splitmix64 finaliser to spread similar
/// texts apart): the same on every machine and in every version.
pub fn hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn delta(interval: f32) -> f32 {
    if interval < 2.5 {
        return 0.0;
    }
    RANGES.iter().fold(1.0, |d, (start, end, f)| {
        d + f * (interval.min(*end) - start).max(0.0)
    })
}

/// The lowest and highest day the fuzz may pick, inside `minimum..=maximum`; at least two
/// days to choose from when the limits allow and the interval is past two days.
pub fn bounds(interval: f32, minimum: u32, maximum: u32) -> (u32, u32) {
    let minimum = minimum.min(maximum);
    let interval = interval.clamp(minimum as f32, maximum as f32);
    let d = delta(interval);
    let lower = ((interval - d).round() as u32).clamp(minimum, maximum);
    let mut upper = ((interval + d).round() as u32).clamp(minimum, maximum);
    if upper == lower && upper > 2 && upper < maximum {
        upper = lower + 1;
    }
    (lower, upper)
}

/// The fuzzed interval in days: uniform over the bounds by `factor`.
pub fn apply(interval: f32, factor: f32, minimum: u32, maximum: u32) -> u32 {
    let (lower, upper) = bounds(interval, minimum, maximum);
    (lower as f32 + factor * (1 + upper - lower) as f32).floor() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The ranges Anki's manual and its scheduler give for these intervals.
    #[test]
    fn ranges_match_ankis() {
        let lmu = |ivl: f32, min: u32, max: u32| {
            (
                apply(ivl, 0.0, min, max),
                apply(ivl, 0.5, min, max),
                apply(ivl, 0.99, min, max),
            )
        };
        assert_eq!(lmu(1.0, 1, 1000), (1, 1, 1));
        assert_eq!(lmu(2.49, 1, 1000), (2, 2, 2));
        assert_eq!(lmu(2.5, 1, 1000), (2, 3, 4));
        assert_eq!(lmu(7.0, 1, 1000), (5, 7, 9));
        assert_eq!(lmu(17.0, 1, 1000), (14, 17, 20));
        assert_eq!(lmu(37.0, 1, 1000), (33, 37, 41));
        assert_eq!(lmu(2.0, 3, 1000), (3, 4, 4));
        assert_eq!(lmu(100.0, 101, 1000), (101, 105, 108));
        assert_eq!(lmu(100.0, 1, 99), (92, 96, 99));
    }

    #[test]
    fn the_factor_is_a_function_of_the_id() {
        let id = "6f1c1a9e-3b0c-4d5e-9f00-0a1b2c3d4e5f";
        assert_eq!(factor(id), factor(id));
        assert_ne!(factor(id), factor("6f1c1a9e-3b0c-4d5e-9f00-0a1b2c3d4e60"));
    }

    proptest! {
        #[test]
        fn fuzz_stays_within_its_bounds_and_the_limits(
            interval in 0.0f32..50_000.0, f in 0.0f32..1.0, max in 1u32..40_000,
        ) {
            let (lower, upper) = bounds(interval, 1, max);
            let got = apply(interval, f, 1, max);
            prop_assert!(lower <= got && got <= upper && upper <= max, "{lower} {got} {upper}");
        }

        #[test]
        fn factors_spread_over_the_unit_interval(n in 0u128..1_000_000) {
            let f = factor(&format!("{:032x}", n));
            prop_assert!((0.0..1.0).contains(&f));
        }
    }
}
