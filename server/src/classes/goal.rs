//! What finishing an assignment means, and who is behind.

use time::Date;

/// Assignments due within this many days (or overdue) and unfinished mark a student behind.
pub const DUE_SOON_DAYS: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    /// Every selected card answered right at least once after the assignment was set.
    RightOnce,
    /// Every selected card reviewed until FSRS expects it to last this many days.
    Stability(f64),
}

impl Goal {
    /// The goal as stored; `None` for a value no version of Chronicle writes.
    pub fn from_db(goal: &str, stability: Option<f64>) -> Option<Goal> {
        match (goal, stability) {
            ("stability", Some(days)) => Some(Goal::Stability(days)),
            ("right_once", _) => Some(Goal::RightOnce),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Goal::RightOnce => "right_once",
            Goal::Stability(_) => "stability",
        }
    }

    pub fn describe(self) -> String {
        match self {
            Goal::RightOnce => "answer every card right once".into(),
            Goal::Stability(days) => {
                format!("review until every card is expected to last {days} days")
            }
        }
    }
}

/// Cards done out of the assignment's total, as a whole percentage.
pub fn percent(done: usize, total: usize) -> usize {
    (done * 100).checked_div(total).unwrap_or(0).min(100)
}

/// Behind: unfinished with the due date at most [`DUE_SOON_DAYS`] away, or past.
pub fn is_behind(due: Option<Date>, today: Date, done: usize, total: usize) -> bool {
    match due {
        Some(due) => done < total && (due - today).whole_days() <= DUE_SOON_DAYS,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn behind_means_unfinished_and_due_soon() {
        let today = date!(2026 - 11 - 23);
        assert!(is_behind(Some(date!(2026 - 11 - 25)), today, 3, 10));
        assert!(is_behind(Some(date!(2026 - 11 - 20)), today, 3, 10));
        assert!(!is_behind(Some(date!(2026 - 11 - 25)), today, 10, 10));
        assert!(!is_behind(Some(date!(2026 - 12 - 25)), today, 0, 10));
        assert!(!is_behind(None, today, 0, 10));
    }

    #[test]
    fn percent_handles_empty_assignments() {
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(3, 3), 100);
    }
}
