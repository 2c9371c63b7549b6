//! Classes, one noun a file: the class itself, who is in it, its assignments, the reports its
//! teacher reads and the exports. [`access`] finds every class through the signed-in user.

pub mod access;
pub mod analysis;
pub mod assignment;
pub mod assignment_form;
pub mod class;
pub mod export;
#[cfg(test)]
mod fixtures;
pub mod kept;
pub mod membership;
pub mod report;
