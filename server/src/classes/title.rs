//! An assignment's title: the form refuses a longer one, and a drafted review title is cut
//! to fit, so both sides read the one limit from here.

pub const MAX_TITLE: usize = 120;
