//! Classes, members, assignments and the reports a teacher reads. Every lookup of a class
//! takes the asking user: a class is found only by its teacher or its members, so a wrong id
//! and someone else's id look the same (not found).
//!
//! Times: classes, members and assignments in unix seconds; reviews in milliseconds. A
//! teacher sees a student's reviews on this class's cards from the day they joined, no more.

mod assignment;
pub mod changes;
mod class;
mod membership;
mod report;

pub use assignment::*;
pub use class::*;
pub use membership::*;
pub use report::*;
