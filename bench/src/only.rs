//! `--only`: which scenarios a run measures. The default is all of them, in the table's
//! usual order; a part run keeps that order and leaves the other rows out.

use clap::ValueEnum;

/// One scenario (or group of rows) of the table.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// GET /healthz, the baseline every ratio divides by.
    Healthz,
    /// The closed study loop (GET /study + POST /study/answer).
    Study,
    /// The study loop at a learner's pace.
    Paced,
    /// The study loop during a storm of logins.
    Logins,
    /// GET / (the dashboard).
    Dashboard,
    /// GET /stats.
    Stats,
    /// The teacher's class page.
    Class,
    /// The wrk cross-check (it has its own baseline).
    Wrk,
    /// Sync: fresh, without answer text, duplicate, empty, the WAL peak, and Anki beside it.
    Sync,
}

/// The scenarios chosen, with what they need added.
#[derive(Clone, Debug)]
pub struct Selection {
    chosen: Vec<Scenario>,
    /// Scenarios added because a chosen one compares with them (named in the output).
    pub implied: Vec<Scenario>,
}

impl Selection {
    /// `None` (no `--only`) is every scenario. The ratio rows divide by healthz in the same
    /// run, so choosing any of them adds the baseline.
    pub fn new(only: Option<&[Scenario]>) -> Selection {
        let Some(only) = only else {
            return Selection {
                chosen: Scenario::value_variants().to_vec(),
                implied: Vec::new(),
            };
        };
        let mut chosen = only.to_vec();
        let mut implied = Vec::new();
        let needs_baseline = [
            Scenario::Study,
            Scenario::Dashboard,
            Scenario::Stats,
            Scenario::Class,
        ];
        if !chosen.contains(&Scenario::Healthz) && chosen.iter().any(|s| needs_baseline.contains(s))
        {
            chosen.push(Scenario::Healthz);
            implied.push(Scenario::Healthz);
        }
        Selection { chosen, implied }
    }

    pub fn has(&self, s: Scenario) -> bool {
        self.chosen.contains(&s)
    }

    pub fn is_all(&self) -> bool {
        Scenario::value_variants().iter().all(|s| self.has(*s))
    }

    /// The learners must sign in through the form for these.
    pub fn needs_learners(&self) -> bool {
        [
            Scenario::Study,
            Scenario::Paced,
            Scenario::Logins,
            Scenario::Dashboard,
            Scenario::Stats,
        ]
        .iter()
        .any(|s| self.has(*s))
    }

    /// Any of the timed load scenarios (everything but sync).
    pub fn has_load(&self) -> bool {
        self.chosen.iter().any(|s| *s != Scenario::Sync)
    }

    /// "study, sync" for the header line, in the table's order.
    pub fn names(&self) -> String {
        Scenario::value_variants()
            .iter()
            .filter(|s| self.has(**s))
            .map(|s| name(*s))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub fn name(s: Scenario) -> String {
    s.to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_flag_runs_everything() {
        let s = Selection::new(None);
        assert!(s.is_all());
        assert!(s.implied.is_empty());
        assert_eq!(
            s.names(),
            "healthz, study, paced, logins, dashboard, stats, class, wrk, sync"
        );
    }

    #[test]
    fn a_ratio_row_brings_its_baseline() {
        let s = Selection::new(Some(&[Scenario::Dashboard]));
        assert!(s.has(Scenario::Healthz) && s.has(Scenario::Dashboard));
        assert_eq!(s.implied, vec![Scenario::Healthz]);
        assert!(!s.has(Scenario::Study) && !s.is_all());
        assert!(s.needs_learners());
    }

    #[test]
    fn sync_alone_needs_no_baseline_and_no_logins() {
        let s = Selection::new(Some(&[Scenario::Sync]));
        assert_eq!(s.names(), "sync");
        assert!(s.implied.is_empty() && !s.needs_learners() && !s.has_load());
    }
}
