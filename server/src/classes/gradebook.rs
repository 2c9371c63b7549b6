//! A class's gradebook, the table spreadsheet gradebooks import: one row per student, two
//! columns per assignment. "done %" is the share of the assignment's cards that meet its goal
//! (what the class page shows); "score %" is the share of its cards answered right on the
//! first try since the student joined or the assignment was set, whichever is later, a card
//! not yet answered counting as wrong, as a quiz grade would. Pure: numbers in, rows out.

use super::csv_cell::text;
use super::goal::percent;
use crate::ids::UserId;
use std::collections::HashMap;

/// One assignment as a gradebook column pair.
pub struct Column<'a> {
    pub title: &'a str,
    pub cards: usize,
    /// Cards done per student id.
    pub done: &'a HashMap<UserId, usize>,
    /// Cards right on the first try per student id.
    pub first_right: &'a HashMap<UserId, usize>,
}

/// One student as a gradebook row.
pub struct Student<'a> {
    pub id: UserId,
    pub username: &'a str,
    pub name: &'a str,
}

/// The header and one row per student, in the order given; typed text defused against
/// formulas. Two assignments with one title get their position added, so every header is
/// distinct (gradebook imports match columns by header).
pub fn table(students: &[Student<'_>], columns: &[Column<'_>]) -> Vec<Vec<String>> {
    let mut header = vec!["Username".to_string(), "Student".to_string()];
    let mut titles = HashMap::<&str, usize>::new();
    for c in columns {
        *titles.entry(c.title).or_default() += 1;
    }
    for (i, c) in columns.iter().enumerate() {
        let title = if titles[c.title] > 1 {
            format!("{} #{}", c.title, i + 1)
        } else {
            c.title.to_string()
        };
        header.push(text(&format!("{title} (done %)")));
        header.push(text(&format!("{title} (score %)")));
    }
    let mut rows = vec![header];
    for s in students {
        let mut row = vec![text(s.username), text(s.name)];
        for c in columns {
            let done = c.done.get(&s.id).copied().unwrap_or(0);
            let right = c.first_right.get(&s.id).copied().unwrap_or(0);
            row.push(percent(done, c.cards).to_string());
            row.push(percent(right, c.cards).to_string());
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_student_and_two_columns_per_assignment() {
        let done_a = HashMap::from([(UserId(1), 4), (UserId(2), 1)]);
        let right_a = HashMap::from([(UserId(1), 3)]);
        let none = HashMap::new();
        let students = [
            Student {
                id: UserId(1),
                username: "ann",
                name: "=Ann",
            },
            Student {
                id: UserId(2),
                username: "bo",
                name: "Bo",
            },
        ];
        let columns = [
            Column {
                title: "Dates",
                cards: 4,
                done: &done_a,
                first_right: &right_a,
            },
            Column {
                title: "Dates",
                cards: 0,
                done: &none,
                first_right: &none,
            },
        ];
        let t = table(&students, &columns);
        assert_eq!(
            t[0],
            [
                "Username",
                "Student",
                "Dates #1 (done %)",
                "Dates #1 (score %)",
                "Dates #2 (done %)",
                "Dates #2 (score %)"
            ]
        );
        assert_eq!(t[1], ["ann", "'=Ann", "100", "75", "0", "0"]);
        assert_eq!(t[2], ["bo", "Bo", "25", "0", "0", "0"]);
    }
}
