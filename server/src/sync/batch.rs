//! Sorting one uploaded batch before anything is stored: which reviews are valid and new to
//! the batch, which repeat an earlier entry of the same batch, and which are refused and why.
//! Whether a review is already in the log is for storage to say (`INSERT OR IGNORE`).

use super::{IncomingReview, Rejection, canonical_id, validate};
use crate::clock::Instant;
use std::collections::HashMap;

/// A refused review: the id as the client sent it, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub id: String,
    pub reason: Rejection,
}

#[derive(Debug, Default, PartialEq)]
pub struct Triage<'a> {
    /// Valid reviews, each id once, in batch order, with their canonical ids.
    pub fresh: Vec<(String, &'a IncomingReview)>,
    /// Entries that repeat an earlier one of the batch exactly (a client that queued twice).
    pub repeats: usize,
    pub rejected: Vec<Rejected>,
}

/// Sorts `batch`. A review is checked on its own (`validate`); an id seen earlier in the batch
/// with other contents is refused as `conflicting_id`, since only one of them can be true.
pub fn triage<'a>(
    batch: &'a [IncomingReview],
    now: Instant,
    card_exists: impl Fn(&str) -> bool,
) -> Triage<'a> {
    let mut out = Triage::default();
    let mut seen: HashMap<String, &IncomingReview> = HashMap::with_capacity(batch.len());
    for r in batch {
        if let Err(reason) = validate(r, now, &card_exists) {
            out.rejected.push(Rejected {
                id: r.id.clone(),
                reason,
            });
            continue;
        }
        let id = canonical_id(&r.id);
        match seen.get(&id) {
            Some(first) if *first == r => out.repeats += 1,
            Some(_) => out.rejected.push(Rejected {
                id: r.id.clone(),
                reason: Rejection::ConflictingId,
            }),
            None => {
                seen.insert(id.clone(), r);
                out.fresh.push((id, r));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Instant = Instant::from_ms(1_800_000_000_000);

    fn review(n: u128, rating: i64) -> IncomingReview {
        IncomingReview {
            id: uuid::Uuid::from_u128(n).to_string(),
            card_id: "a/date".into(),
            rating,
            answered_at: NOW.ms() - 60_000,
            duration_ms: 1000,
            given_answer: String::new(),
        }
    }

    #[test]
    fn repeats_are_counted_conflicts_and_bad_reviews_refused() {
        let mut upper = review(1, 3);
        upper.id = upper.id.to_uppercase();
        let batch = vec![
            review(1, 3),
            upper,        // the same review, id in capitals: a repeat
            review(1, 4), // same id, other rating: a conflict
            review(2, 9), // bad rating
            review(3, 1),
        ];
        let t = triage(&batch, NOW, |c| c == "a/date");
        let fresh: Vec<&str> = t.fresh.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(
            fresh,
            [
                uuid::Uuid::from_u128(1).to_string(),
                uuid::Uuid::from_u128(3).to_string()
            ]
        );
        assert_eq!(t.repeats, 1);
        let reasons: Vec<Rejection> = t.rejected.iter().map(|r| r.reason).collect();
        assert_eq!(reasons, [Rejection::ConflictingId, Rejection::BadRating]);
    }

    #[test]
    fn an_empty_batch_is_empty() {
        assert_eq!(triage(&[], NOW, |_| true), Triage::default());
    }
}
