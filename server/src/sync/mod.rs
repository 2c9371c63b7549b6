//! The sync protocol's rules, apart from storage: what a client may send, why a review is
//! refused, how a batch is sorted into new, repeated and rejected reviews (`batch`), and the
//! cursor a client keeps between syncs (`cursor`). Merging is a union of review sets keyed by
//! UUID followed by a replay of each touched card in `answered_at` order (see `db::sync`), so
//! the order in which devices upload does not change the result.

pub mod answers;
pub mod batch;
pub mod cursor;
pub mod json_int;

use crate::clock::Instant;
use serde::{Deserialize, Serialize};
use time::Duration;

/// Most reviews one request may carry; more is refused whole with `batch_too_large`.
pub const MAX_BATCH: usize = 10_000;
/// Largest request body accepted by `POST /api/v1/sync`.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// A client clock may run this far ahead of the server's before its answers are refused:
/// phones drift by seconds to minutes, and a review dated later than "now" would jump ahead
/// of reviews that are still to come. Five minutes forgives drift, not a wrong date.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// Longest device id a client may send (it is stored with every review).
pub const MAX_DEVICE_ID: usize = 64;
const MAX_ANSWER_CHARS: usize = 200;

/// One review as a client sends it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
pub struct IncomingReview {
    /// A UUID made by the client; sending it again is harmless.
    pub id: String,
    pub card_id: String,
    /// 1 again, 2 hard, 3 good, 4 easy (another number rejects this review: `bad_rating`).
    #[serde(with = "json_int")]
    #[schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64)]
    pub rating: i64,
    /// Unix milliseconds, by the client's clock.
    #[serde(with = "json_int")]
    #[schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64)]
    pub answered_at: i64,
    #[serde(default, with = "json_int")]
    #[schema(minimum = -9007199254740991_i64, maximum = 9007199254740991_i64)]
    pub duration_ms: i64,
    /// What the learner answered. Over 200 characters rejects this review alone
    /// (`answer_too_long`), so the limit is not a schema constraint on the request.
    #[serde(default)]
    pub given_answer: String,
}

impl IncomingReview {
    /// When the client says it was answered (its `answered_at`, milliseconds).
    pub fn answered(&self) -> Instant {
        Instant::from_ms(self.answered_at)
    }
}

/// Why one review of a batch was not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    BadId,
    UnknownCard,
    BadRating,
    TimeInFuture,
    TimeInvalid,
    AnswerTooLong,
    /// The same UUID appears twice in one batch with different contents.
    ConflictingId,
}

impl Rejection {
    pub fn message(self) -> &'static str {
        match self {
            Rejection::BadId => "the review id must be a UUID",
            Rejection::UnknownCard => "no deck offers this card",
            Rejection::BadRating => "the rating must be 1, 2, 3 or 4",
            Rejection::TimeInFuture => "answered_at is later than the server's clock allows",
            Rejection::TimeInvalid => "answered_at must be unix milliseconds after 2000",
            Rejection::AnswerTooLong => "given_answer is longer than 200 characters",
            Rejection::ConflictingId => "the same id appears twice in the batch, differently",
        }
    }
}

/// 2000-01-01T00:00Z: anything earlier is a client bug (seconds sent, not milliseconds).
const EARLIEST: Instant = Instant::from_secs(946_684_800);

/// Checks one review; `card_exists` says whether a deck offers the card.
pub fn validate(
    r: &IncomingReview,
    now: Instant,
    card_exists: impl Fn(&str) -> bool,
) -> Result<(), Rejection> {
    if uuid::Uuid::parse_str(&r.id).is_err() {
        return Err(Rejection::BadId);
    }
    if !(1..=4).contains(&r.rating) {
        return Err(Rejection::BadRating);
    }
    if r.answered() < EARLIEST {
        return Err(Rejection::TimeInvalid);
    }
    if r.answered() > now + CLOCK_SKEW {
        return Err(Rejection::TimeInFuture);
    }
    if r.given_answer.chars().count() > MAX_ANSWER_CHARS {
        return Err(Rejection::AnswerTooLong);
    }
    if !card_exists(&r.card_id) {
        return Err(Rejection::UnknownCard);
    }
    Ok(())
}

/// A device id as stored with each review: 1 to 64 printable characters.
pub fn parse_device_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    // As the API's schema states it: the length as sent, not only spaces, no control.
    if id.is_empty() || raw.chars().count() > MAX_DEVICE_ID || raw.chars().any(char::is_control) {
        return Err(format!(
            "device_id must be 1 to {MAX_DEVICE_ID} printable characters"
        ));
    }
    Ok(id.to_string())
}

/// The canonical form of a review id, so `ABC…` and `abc…` are one review.
pub fn canonical_id(id: &str) -> String {
    uuid::Uuid::parse_str(id).map_or_else(|_| id.to_string(), |u| u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Instant = Instant::from_ms(1_800_000_000_000);

    fn review() -> IncomingReview {
        IncomingReview {
            id: "6f1c1a9e-3b0c-4d5e-9f00-0a1b2c3d4e5f".into(),
            card_id: "a/date".into(),
            rating: 3,
            answered_at: (NOW - Duration::seconds(1)).ms(),
            duration_ms: 3000,
            given_answer: "1979".into(),
        }
    }

    #[test]
    fn each_kind_of_bad_review_gets_its_reason() {
        let known = |c: &str| c == "a/date";
        assert_eq!(validate(&review(), NOW, known), Ok(()));
        type Change = Box<dyn Fn(&mut IncomingReview)>;
        let cases: Vec<(Change, Rejection)> = vec![
            (Box::new(|r| r.id = "nope".into()), Rejection::BadId),
            (Box::new(|r| r.rating = 5), Rejection::BadRating),
            (Box::new(|r| r.rating = 0), Rejection::BadRating),
            (
                Box::new(|r| r.answered_at = (NOW + CLOCK_SKEW).ms() + 1),
                Rejection::TimeInFuture,
            ),
            (
                Box::new(|r| r.answered_at = 1_700_000_000),
                Rejection::TimeInvalid,
            ),
            (
                Box::new(|r| r.given_answer = "x".repeat(201)),
                Rejection::AnswerTooLong,
            ),
            (
                Box::new(|r| r.card_id = "b/date".into()),
                Rejection::UnknownCard,
            ),
        ];
        for (change, expected) in cases {
            let mut r = review();
            change(&mut r);
            assert_eq!(validate(&r, NOW, known), Err(expected));
        }
        let mut skewed = review();
        skewed.answered_at = (NOW + CLOCK_SKEW).ms();
        assert_eq!(
            validate(&skewed, NOW, known),
            Ok(()),
            "small skew is allowed"
        );
    }

    #[test]
    fn device_ids() {
        assert_eq!(parse_device_id(" phone ").unwrap(), "phone");
        assert!(parse_device_id("").is_err());
        assert!(parse_device_id(&"x".repeat(65)).is_err());
        assert!(parse_device_id("a\nb").is_err());
    }

    #[test]
    fn ids_are_compared_in_canonical_form() {
        assert_eq!(
            canonical_id("6F1C1A9E-3B0C-4D5E-9F00-0A1B2C3D4E5F"),
            "6f1c1a9e-3b0c-4d5e-9f00-0a1b2c3d4e5f"
        );
    }
}
