//! Integers in the sync API's JSON: any whole number a JavaScript client can hold exactly
//! (|n| ≤ 2^53 − 1), written as `3` or `3.0`. JSON Schema calls `3.0` an integer, and the
//! OpenAPI document states these bounds, so what the schema allows is what the server takes;
//! anything else refuses the request with `malformed_json`.

use serde::{Deserialize, Deserializer, de::Error};

pub const MAX: i64 = (1 << 53) - 1;

/// Written as plain integers (IncomingReview is also serialised, in tests and the bench).
pub fn serialize<S: serde::Serializer>(n: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(*n)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    let value = if let Some(i) = n.as_i64() {
        Some(i)
    } else {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() <= MAX as f64)
            .map(|f| f as i64)
    };
    value
        .filter(|i| i.abs() <= MAX)
        .ok_or_else(|| D::Error::custom(format!("{n} is not a whole number within ±(2^53 − 1)")))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct T {
        #[serde(with = "super")]
        n: i64,
    }

    fn parse(json: &str) -> Option<i64> {
        serde_json::from_str::<T>(json).ok().map(|t| t.n)
    }

    #[test]
    fn whole_numbers_within_the_safe_range_only() {
        assert_eq!(parse(r#"{"n": 3}"#), Some(3));
        assert_eq!(parse(r#"{"n": 3.0}"#), Some(3));
        assert_eq!(parse(r#"{"n": -24788040.0}"#), Some(-24_788_040));
        assert_eq!(parse(r#"{"n": 9007199254740991}"#), Some(super::MAX));
        assert_eq!(parse(r#"{"n": 9007199254740992}"#), None);
        assert_eq!(parse(r#"{"n": 1e300}"#), None);
        assert_eq!(parse(r#"{"n": 2.5}"#), None);
        assert_eq!(parse(r#"{"n": "3"}"#), None);
    }
}
