//! Learning and relearning steps: the short delays (minutes, hours) a new or forgotten card
//! goes through before FSRS gives it an interval in days. Written as Anki writes them,
//! `1m 10m`; a bare number is minutes.

use std::fmt;

const MINUTE: u32 = 60;
const HOUR: u32 = 3_600;
const DAY: u32 = 86_400;
/// More steps than this is a typo, not a plan.
pub const MAX_STEPS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steps(Vec<u32>);

impl Steps {
    /// Anki's defaults: 1 and 10 minutes for new cards.
    pub fn learning_default() -> Steps {
        Steps(vec![MINUTE, 10 * MINUTE])
    }

    /// Anki's default: 10 minutes for a forgotten card.
    pub fn relearning_default() -> Steps {
        Steps(vec![10 * MINUTE])
    }

    /// `1m 10m`, `30s`, `1h 1d`, `10` (minutes); empty means no steps. Each step is from one
    /// second to 30 days.
    pub fn parse(text: &str) -> Result<Steps, String> {
        let mut out = Vec::new();
        for word in text.split([' ', ',']).filter(|w| !w.is_empty()) {
            let (number, unit) = match word.char_indices().last() {
                Some((i, c)) if c.is_ascii_alphabetic() => (&word[..i], c.to_ascii_lowercase()),
                _ => (word, 'm'),
            };
            let scale = match unit {
                's' => 1,
                'm' => MINUTE,
                'h' => HOUR,
                'd' => DAY,
                _ => return Err(format!("“{word}”: use s, m, h or d, as in 1m 10m")),
            };
            let secs = number
                .parse::<u32>()
                .ok()
                .and_then(|n| n.checked_mul(scale))
                .filter(|s| (1..=30 * DAY).contains(s))
                .ok_or_else(|| format!("“{word}” is not a step from 1s to 30d"))?;
            out.push(secs);
        }
        if out.len() > MAX_STEPS {
            return Err(format!("at most {MAX_STEPS} steps"));
        }
        Ok(Steps(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Seconds until the card is asked again at step `index` (clamped to the last step).
    pub fn delay(&self, index: usize) -> u32 {
        self.0[index.min(self.0.len() - 1)]
    }

    /// Hard at `index` repeats that step. On the first step it waits between Again's delay
    /// and Good's (their mean), or half as long again as the only step, at most a day more,
    /// so that Hard never equals Again nor passes Good (Anki's rule).
    pub fn hard_delay(&self, index: usize) -> u32 {
        let current = self.delay(index);
        if index > 0 {
            return current;
        }
        let secs = match self.0.get(1) {
            Some(next) => (current + next) / 2,
            None => (current.saturating_mul(3) / 2).min(current + DAY),
        };
        // Past a day, whole days, so the answer lands at the same time of day.
        if secs > DAY {
            ((secs as f32 / DAY as f32).round() as u32) * DAY
        } else {
            secs
        }
    }
}

impl fmt::Display for Steps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<String> = self
            .0
            .iter()
            .map(|&s| match s {
                s if s % DAY == 0 => format!("{}d", s / DAY),
                s if s % HOUR == 0 => format!("{}h", s / HOUR),
                s if s % MINUTE == 0 => format!("{}m", s / MINUTE),
                s => format!("{s}s"),
            })
            .collect();
        f.write_str(&words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_anki_writes_them_and_print_back() {
        assert_eq!(Steps::parse("1m 10m").unwrap(), Steps::learning_default());
        assert_eq!(Steps::parse(" 1, 10 ").unwrap(), Steps::learning_default());
        assert_eq!(Steps::parse("30s 1h 2d").unwrap().to_string(), "30s 1h 2d");
        assert_eq!(Steps::parse("90m").unwrap().to_string(), "90m");
        assert!(Steps::parse("").unwrap().is_empty());
        for bad in [
            "1x",
            "0m",
            "-1m",
            "31d",
            "m",
            "1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 11m",
        ] {
            assert!(Steps::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hard_waits_between_again_and_good_on_the_first_step_and_repeats_later_ones() {
        let two = Steps::learning_default();
        assert_eq!(
            (two.delay(0), two.hard_delay(0), two.delay(1)),
            (60, 330, 600)
        );
        assert_eq!(two.hard_delay(1), 600);
        let one = Steps::relearning_default();
        assert_eq!(one.hard_delay(0), 900);
        let long = Steps::parse("3d").unwrap();
        assert_eq!(long.hard_delay(0), 4 * DAY);
    }
}
