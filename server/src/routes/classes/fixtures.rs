//! Fixed values for the render tests of the class pages.

use super::report::{AssignmentCell, MissedRow, MyAssignment};
use crate::classes::goal::Goal;
use crate::classes::selection::Selection;
use crate::db::classes::{Assignment, Class, Member};
use crate::ids::{AssignmentId, ClassId, UserId};

/// Class 7, with a name that must come out escaped.
pub fn class() -> Class {
    Class {
        id: ClassId(7),
        teacher_id: UserId(1),
        name: "<script>9A</script>".into(),
        join_code: "ABCDEFGH".into(),
        created_at: 0,
        archived: false,
    }
}

pub const ESCAPED_NAME: &str = "&#60;script&#62;9A&#60;/script&#62;";

pub fn cell(done: usize, total: usize, behind: bool) -> AssignmentCell {
    AssignmentCell {
        done,
        total,
        percent: (done * 100).checked_div(total).unwrap_or(0),
        behind,
    }
}

/// Assignment 3 of class 7.
pub fn assignment() -> Assignment {
    Assignment {
        id: AssignmentId(3),
        class_id: ClassId(7),
        title: "Week 1 <b>dates</b>".into(),
        deck_id: "vn".into(),
        selection: Selection::default(),
        goal: Goal::RightOnce,
        due_date: Some("2026-12-08T16:30:00Z".into()),
        created_at: 0,
        cards: 12,
    }
}

pub fn my_assignment(done: usize) -> MyAssignment {
    MyAssignment {
        id: AssignmentId(3),
        class_id: ClassId(7),
        class_name: "9A".into(),
        title: "Week 1".into(),
        due: "8 December 2026, 23:30".into(),
        due_date: None,
        goal: "answer every card right once".into(),
        cell: cell(done, 12, done < 6),
    }
}

pub fn member() -> Member {
    Member {
        user_id: UserId(42),
        username: "binh".into(),
        display_name: "Bình".into(),
        joined_at: 0,
    }
}

pub fn missed_row() -> MissedRow {
    MissedRow {
        card_id: "fall/date".into(),
        kind: "Date of an event".into(),
        prompt: "When did Saigon fall?".into(),
        answer: "30 April 1975".into(),
        misses: 3,
        answers: 4,
        miss_percent: 75,
        students: 2,
        common_wrong: "1976".into(),
        common_wrong_count: 2,
    }
}
